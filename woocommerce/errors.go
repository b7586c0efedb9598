package woocommerce

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/loyalsync/loyalsync/internal/rest"
	"github.com/loyalsync/loyalsync/internal/wp"
)

// Sentinel errors, matched with errors.Is against an *APIError (from the server), a *ParamError
// (rejected before sending), a *TransportError, a *DecodeError or a *BatchError (any failed
// item). The first nine have the same names and meanings in every loyalsync client.
var (
	// ErrInvalidArgument: refused client-side, nothing was sent (a *ParamError: per_page > 100,
	// a coupon without a code, an expiry at the zero time, ...).
	ErrInvalidArgument = errors.New("woocommerce: invalid argument")
	// ErrBadRequest: the server answered 400, e.g. rest_invalid_param or
	// rest_missing_callback_param (data.params names the parameters). Some 400s also match a
	// more specific sentinel: ErrAlreadyExists, or ErrNotFound for an unknown id on PUT.
	ErrBadRequest = errors.New("woocommerce: bad request")
	// ErrNotFound: 404, or a "…_invalid_id" code (WooCommerce answers 400 for an unknown id on PUT).
	ErrNotFound = errors.New("woocommerce: not found")
	// ErrUnauthorized: 401, credentials missing, unseen or wrong, or a key without the
	// permission for the request (see ErrKeyPermission). The APIError's Hint says why.
	ErrUnauthorized = errors.New("woocommerce: unauthorized")
	// ErrKeyPermission: the API key's permission (read, write or read_write) does not allow the
	// request, e.g. a read-only key used for a write. WooCommerce answers it with 401
	// woocommerce_rest_authentication_error ("The API key provided does not have write
	// permissions."), not 403, so it also matches ErrUnauthorized. It is recognised by that
	// message, so on a site whose language is not English only ErrUnauthorized matches.
	ErrKeyPermission = errors.New("woocommerce: API key lacks the permission")
	// ErrForbidden: 403, a valid key whose WordPress user may not do this (a user without the
	// manage_woocommerce capability, or a role missing the object's capability).
	ErrForbidden = errors.New("woocommerce: forbidden")
	// ErrRateLimited: 429 (after the client's own retries gave up).
	ErrRateLimited = errors.New("woocommerce: rate limited")
	// ErrAlreadyExists: a unique value is taken (coupon code, customer email or username, SKU).
	ErrAlreadyExists = errors.New("woocommerce: already exists")
	// ErrBatchTooLarge: 413 woocommerce_rest_request_entity_too_large. The client splits batches
	// into chunks of 100, so this only happens on stores that lowered the limit.
	ErrBatchTooLarge = errors.New("woocommerce: batch too large")
	// ErrAlreadyTrashed: 410, the object is already in the trash.
	ErrAlreadyTrashed = errors.New("woocommerce: already trashed")
	// ErrTrashNotSupported: 501 woocommerce_rest_trash_not_supported; delete with force.
	ErrTrashNotSupported = errors.New("woocommerce: trash not supported")
	// ErrServer: a 5xx response.
	ErrServer = errors.New("woocommerce: server error")
	// ErrTransport: no usable HTTP response (matches *TransportError).
	ErrTransport = errors.New("woocommerce: transport error")
	// ErrDecode: a 2xx body that could not be decoded (matches *DecodeError).
	ErrDecode = errors.New("woocommerce: decode error")
)

// TransportError is a request that got no usable HTTP response; its Attempts and
// MayHaveReachedServer tell whether a write may have been applied. It matches ErrTransport.
type TransportError = rest.TransportError

// DecodeError is a 2xx response whose body could not be decoded; it keeps the body. It matches
// ErrDecode.
type DecodeError = rest.DecodeError

// APIError is a non-2xx response from WooCommerce (WordPress REST error format
// {"code","message","data":{"status",...},"additional_errors":[...]}). Use errors.As to read it and
// errors.Is with the sentinels above to classify it.
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is WooCommerce's error code, e.g. "woocommerce_rest_shop_order_invalid_id". Empty when
	// the body was not a WordPress error (an HTML error page from a proxy, for instance).
	Code string
	// Message is the server's human-readable message.
	Message string
	// Data is the error's "data" member.
	Data ErrorData
	// AdditionalErrors holds further errors WordPress sent with the main one.
	AdditionalErrors []ErrorDetail
	// Hint explains the likely cause of an authentication failure; empty otherwise.
	Hint string
	// Body is the raw response body.
	Body []byte
}

// ErrorData is the "data" member of a WordPress REST error.
type ErrorData struct {
	// Status is the HTTP status WordPress intended (data.status).
	Status int
	// Params maps invalid parameter names to their messages (data.params, rest_invalid_param).
	Params map[string]string
	// Raw is the whole data member as sent, for fields this type does not name.
	Raw json.RawMessage
}

// ErrorDetail is one of the additional_errors of a WordPress REST error, or the error of one batch
// item.
type ErrorDetail struct {
	Code    string
	Message string
	Data    ErrorData
}

// additionalErrors is the part of a WordPress REST error body that internal/wp does not read:
// WP_Error's further errors.
type additionalErrors struct {
	AdditionalErrors []struct {
		Code    string          `json:"code"`
		Message string          `json:"message"`
		Data    json.RawMessage `json:"data"`
	} `json:"additional_errors"`
}

func decodeErrorData(raw json.RawMessage) ErrorData {
	d := ErrorData{}
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || raw[0] != '{' {
		if len(raw) > 0 && !bytes.Equal(raw, []byte("null")) {
			d.Raw = raw
		}
		return d
	}
	d.Raw = raw
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return d
	}
	if s, ok := m["status"]; ok {
		var n json.Number
		if json.Unmarshal(bytes.Trim(s, `"`), &n) == nil {
			if v, err := strconv.Atoi(n.String()); err == nil {
				d.Status = v
			}
		}
	}
	if p, ok := m["params"]; ok {
		var params map[string]json.RawMessage
		if json.Unmarshal(p, &params) == nil && len(params) > 0 {
			d.Params = make(map[string]string, len(params))
			for k, v := range params {
				var s string
				if json.Unmarshal(v, &s) != nil {
					s = string(v)
				}
				d.Params[k] = s
			}
		}
	}
	return d
}

// newAPIError builds the APIError for a non-2xx response.
func newAPIError(resp *http.Response, body []byte, auth authMethod) error {
	we, ok := wp.ParseError(resp.StatusCode, body)
	e := &APIError{StatusCode: resp.StatusCode, Body: body, Code: we.Code, Message: we.Message, Data: decodeErrorData(we.Data)}
	var more additionalErrors
	if ok && json.Unmarshal(body, &more) == nil {
		for _, a := range more.AdditionalErrors {
			e.AdditionalErrors = append(e.AdditionalErrors, ErrorDetail{Code: a.Code, Message: a.Message, Data: decodeErrorData(a.Data)})
		}
	}
	e.Hint = authHint(auth, e.StatusCode, e.Code, e.Message)
	return e
}

// Error returns "<status> <code>: <message> (<invalid parameters>)", followed by the hint for
// authentication failures.
func (e *APIError) Error() string {
	var params []string
	for _, k := range slices.Sorted(maps.Keys(e.Data.Params)) {
		params = append(params, k+": "+e.Data.Params[k])
	}
	return wp.ErrorString(e.StatusCode, e.Code, e.Message, strings.Join(params, "; "), e.Hint)
}

// Is matches the sentinel errors by status and code (and, for ErrKeyPermission, the message).
func (e *APIError) Is(target error) bool {
	if target == ErrKeyPermission {
		return isKeyPermission(e.StatusCode, e.Code, e.Message)
	}
	return classify(e.StatusCode, e.Code, target)
}

// isKeyPermission recognises WC_REST_Authentication::check_permissions' refusal.
func isKeyPermission(status int, code, message string) bool {
	return status == http.StatusUnauthorized && code == "woocommerce_rest_authentication_error" &&
		strings.Contains(message, "does not have") && strings.Contains(message, "permissions")
}

func classify(status int, code string, target error) bool {
	switch target {
	case ErrNotFound:
		return status == http.StatusNotFound || strings.HasSuffix(code, "_invalid_id")
	case ErrUnauthorized:
		return status == http.StatusUnauthorized
	case ErrForbidden:
		return status == http.StatusForbidden
	case ErrRateLimited:
		return status == http.StatusTooManyRequests
	case ErrBadRequest:
		return status == http.StatusBadRequest || code == "rest_invalid_param" || code == "rest_missing_callback_param"
	case ErrAlreadyExists:
		return strings.HasSuffix(code, "_exists") || strings.HasSuffix(code, "_already_exists") ||
			code == "product_invalid_sku" || code == "registration-error-email-exists" ||
			code == "registration-error-username-exists"
	case ErrBatchTooLarge:
		return status == http.StatusRequestEntityTooLarge || code == "woocommerce_rest_request_entity_too_large"
	case ErrAlreadyTrashed:
		return status == http.StatusGone || code == "woocommerce_rest_already_trashed"
	case ErrTrashNotSupported:
		return code == "woocommerce_rest_trash_not_supported"
	case ErrServer:
		return status >= 500 && code != "woocommerce_rest_trash_not_supported"
	}
	return false
}

// ParamError is an option or argument the client rejected before sending anything. It matches
// ErrInvalidArgument with errors.Is; the error returned wraps it with the operation
// ("woocommerce: list orders: invalid per_page \"500\": must be between 1 and 100").
type ParamError struct {
	Param  string // e.g. "per_page"
	Value  string
	Reason string
}

// Error describes the rejected parameter.
func (e *ParamError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("invalid %s: %s", e.Param, e.Reason)
	}
	return fmt.Sprintf("invalid %s %q: %s", e.Param, e.Value, e.Reason)
}

// Is reports whether target is ErrInvalidArgument.
func (e *ParamError) Is(target error) bool { return target == ErrInvalidArgument }

// invalid names the operation of an argument refused before sending.
func invalid(op string, err error) error { return fmt.Errorf("woocommerce: %s: %w", op, err) }

// BatchOp names the part of a batch request an item belongs to.
type BatchOp string

// The three parts of a batch request.
const (
	BatchOpCreate BatchOp = "create"
	BatchOpUpdate BatchOp = "update"
	BatchOpDelete BatchOp = "delete"
)

// BatchItemError is one batch item that WooCommerce refused while answering the batch with 200.
type BatchItemError struct {
	Op BatchOp
	// Index is the item's position in the caller's Create, Update or Delete slice.
	Index int
	// ID is the object id WooCommerce reported (0 for a failed create).
	ID int64
	// Code, Message and Data are the item's error as WooCommerce sent it.
	Code    string
	Message string
	Data    ErrorData
}

// Error names the item and WooCommerce's error for it.
func (e *BatchItemError) Error() string {
	return fmt.Sprintf("woocommerce: batch %s item %d (id %d): %s: %s", e.Op, e.Index, e.ID, e.Code, e.Message)
}

// Is matches the sentinels like APIError does, by the item's data.status and code.
func (e *BatchItemError) Is(target error) bool { return classify(e.Data.Status, e.Code, target) }

// BatchError reports the items of a batch that failed; the successful ones are in the
// BatchResult returned with it. errors.Is matches a sentinel if any item matches it.
type BatchError struct {
	Items []*BatchItemError
}

// Error summarises the failed items.
func (e *BatchError) Error() string {
	if len(e.Items) == 1 {
		return e.Items[0].Error()
	}
	return fmt.Sprintf("woocommerce: %d batch items failed; first: %v", len(e.Items), e.Items[0])
}

// Unwrap returns the item errors, so errors.Is and errors.As look at each of them.
func (e *BatchError) Unwrap() []error {
	out := make([]error, len(e.Items))
	for i, it := range e.Items {
		out[i] = it
	}
	return out
}
