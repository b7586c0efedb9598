package sitoo

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// Sentinel errors, the same names and meanings in every loyalsync client. The status sentinels
// match an *APIError or *ItemError of that status with errors.Is.
var (
	// ErrInvalidArgument is an argument the client refused before sending anything (a missing
	// id, an empty batch item, a bad option value).
	ErrInvalidArgument = errors.New("sitoo: invalid argument")
	// ErrBadRequest is a 400: invalid syntax, a missing required field or an invalid value.
	ErrBadRequest = errors.New("sitoo: bad request")
	// ErrUnauthorized is a 401: wrong API ID or password, or a request from an IP address that is
	// not on the account's allow-list.
	ErrUnauthorized = errors.New("sitoo: unauthorized")
	// ErrForbidden is a 403.
	ErrForbidden = errors.New("sitoo: forbidden")
	// ErrNotFound is a 404: the resource does not exist, or the URL is invalid.
	ErrNotFound = errors.New("sitoo: not found")
	// ErrRateLimited is a 429 that was still refused after the retries the client allows.
	ErrRateLimited = errors.New("sitoo: rate limited")
	// ErrServer is any 5xx.
	ErrServer = errors.New("sitoo: server error")
	// ErrTransport is a request that got no usable HTTP response; it matches every *TransportError.
	ErrTransport = errors.New("sitoo: transport error")
	// ErrDecode is a 2xx response whose body could not be decoded; it matches every *DecodeError.
	ErrDecode = errors.New("sitoo: cannot decode response")

	// ErrVirtualWarehouse is returned, without a request, for an operation Sitoo refuses on a
	// Virtual warehouse (warehouse transactions and warehouse batches).
	ErrVirtualWarehouse = errors.New("sitoo: not allowed on a Virtual warehouse")
	// ErrNotVirtualWarehouse is returned, without a request, for setting absolute stock
	// (decimaltotal, moneytotal) on a warehouse that is not Virtual: such stock changes only
	// through warehouse transactions or batches.
	ErrNotVirtualWarehouse = errors.New("sitoo: only allowed on a Virtual warehouse")
	// ErrBatchMismatch is returned when a batch response does not hold one result per item sent.
	ErrBatchMismatch = errors.New("sitoo: batch response does not match the request")
)

// APIError is a non-2xx response from Sitoo. Sitoo's error body is
// {"statuscode": 400, "errortext": "Invalid value"}; a body of any other shape is kept in Body.
//
// Match the common cases with errors.Is (ErrNotFound, ErrUnauthorized, ErrRateLimited, ...) and
// get the details with errors.As.
type APIError struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Code is the "statuscode" of the error body, usually equal to StatusCode; 0 when absent.
	Code int
	// Message is the "errortext" of the error body, or the HTTP status text when absent.
	Message string
	// Body is the raw response body.
	Body []byte
	// Header holds the response headers (rate-limit headers, Retry-After).
	Header http.Header
}

// Error describes the response: "sitoo: http 404: Resource not found".
func (e *APIError) Error() string {
	return fmt.Sprintf("sitoo: http %d: %s", e.StatusCode, e.Message)
}

// Is matches the sentinel for the error's status.
func (e *APIError) Is(target error) bool {
	return statusSentinel(e.StatusCode) == target && target != nil
}

// RetryAfter returns the wait the server asked for on a 429 or 503 (Retry-After, else
// X-Rate-Limit-Reset), and whether it asked.
func (e *APIError) RetryAfter(now time.Time) (time.Duration, bool) {
	if d, ok := rest.ParseRetryAfter(e.Header.Get("Retry-After"), now); ok {
		return d, true
	}
	if rl, ok := rest.ParseRateLimitHeaders(e.Header, now); ok && !rl.Reset.IsZero() {
		return max(rl.Reset.Sub(now), 0), true
	}
	return 0, false
}

func statusSentinel(code int) error {
	switch {
	case code == http.StatusBadRequest:
		return ErrBadRequest
	case code == http.StatusUnauthorized:
		return ErrUnauthorized
	case code == http.StatusForbidden:
		return ErrForbidden
	case code == http.StatusNotFound:
		return ErrNotFound
	case code == http.StatusTooManyRequests:
		return ErrRateLimited
	case code >= 500 && code <= 599:
		return ErrServer
	}
	return nil
}

// errorBody is Sitoo's error body.
type errorBody struct {
	StatusCode int    `json:"statuscode"`
	ErrorText  string `json:"errortext"`
}

// decodeAPIError is the rest.Config.DecodeError hook.
func decodeAPIError(resp *http.Response, body []byte) error {
	e := &APIError{StatusCode: resp.StatusCode, Body: body, Header: resp.Header}
	var eb errorBody
	if json.Unmarshal(rest.StripBOM(body), &eb) == nil {
		e.Code, e.Message = eb.StatusCode, strings.TrimSpace(eb.ErrorText)
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
		if e.Message == "" {
			e.Message = "unknown status"
		}
	}
	return e
}

// ItemError is the failure of one item of a batch request: Sitoo answers a batch with one
// {"statuscode", "return"} per item, and an item whose statuscode is not 2xx becomes an ItemError.
// The shape of a failed item is not documented; the message is taken from "errortext" if present,
// else from a string "return".
type ItemError struct {
	// Index is the item's position in the slice passed to the batch method.
	Index int
	// StatusCode is the item's "statuscode".
	StatusCode int
	// Message is the item's error text, if Sitoo sent one.
	Message string
	// Raw is the item's raw JSON.
	Raw json.RawMessage
}

// Error names the item, its status and Sitoo's text.
func (e *ItemError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("sitoo: batch item %d: status %d", e.Index, e.StatusCode)
	}
	return fmt.Sprintf("sitoo: batch item %d: status %d: %s", e.Index, e.StatusCode, e.Message)
}

// Is matches the sentinel for the item's status.
func (e *ItemError) Is(target error) bool {
	return statusSentinel(e.StatusCode) == target && target != nil
}

// WarehouseTypeError is the refusal, made before any request is sent, of a stock operation the
// warehouse's type does not allow. It unwraps to ErrVirtualWarehouse or ErrNotVirtualWarehouse.
type WarehouseTypeError struct {
	Op          string        // what was refused, e.g. "add warehouse transactions"
	WarehouseID int64         // the warehouse
	Type        WarehouseType // its type
	Err         error         // ErrVirtualWarehouse or ErrNotVirtualWarehouse
}

// Error says what was refused and why.
func (e *WarehouseTypeError) Error() string {
	if errors.Is(e.Err, ErrVirtualWarehouse) {
		return fmt.Sprintf("sitoo: %s: warehouse %d is Virtual (type %d); Sitoo accepts no transactions there, set its stock with WarehouseItems.Set",
			e.Op, e.WarehouseID, e.Type)
	}
	return fmt.Sprintf("sitoo: %s: warehouse %d has type %d, not Virtual; its stock changes only through warehouse transactions or batches",
		e.Op, e.WarehouseID, e.Type)
}

// Unwrap returns ErrVirtualWarehouse or ErrNotVirtualWarehouse.
func (e *WarehouseTypeError) Unwrap() error { return e.Err }

// TransportError is a request that got no usable HTTP response after the retries allowed (a
// network error). Attempts says how often it was sent, and MayHaveReachedServer whether a write
// may have been applied by Sitoo although its response was lost. It matches ErrTransport.
type TransportError = rest.TransportError

// DecodeError is a 2xx response whose body did not decode into the expected type; Body holds it.
// It matches ErrDecode.
type DecodeError = rest.DecodeError

func invalidArg(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalidArgument, fmt.Sprintf(format, args...))
}
