package woocommercetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// wpError is a WP_Error as the REST server renders it: {"code","message","data":{"status",...}}.
type wpError struct {
	Code    string         `json:"code"`
	Message string         `json:"message"`
	Data    map[string]any `json:"data"`
}

func (e *wpError) Error() string { return e.Code + ": " + e.Message }

func (e *wpError) status() int {
	if s, ok := e.Data["status"].(int); ok {
		return s
	}
	return http.StatusInternalServerError
}

func newError(status int, code, format string, args ...any) *wpError {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &wpError{Code: code, Message: msg, Data: map[string]any{"status": status}}
}

// Errors WordPress and WooCommerce answer with, named after what they mean.

func errNoRoute() *wpError {
	return newError(404, "rest_no_route", "No route was found matching the URL and request method.")
}

func errAuth(msg string) *wpError {
	return newError(401, "woocommerce_rest_authentication_error", "%s", msg)
}

func errInvalidID(postType string, status int) *wpError {
	return newError(status, "woocommerce_rest_"+postType+"_invalid_id", "Invalid ID.")
}

func errTrashNotSupported(postType string) *wpError {
	return newError(501, "woocommerce_rest_trash_not_supported", "The %s does not support trashing.", postType)
}

func errAlreadyTrashed(postType string) *wpError {
	return newError(410, "woocommerce_rest_already_trashed", "The %s has already been deleted.", postType)
}

func errExists(postType string) *wpError {
	return newError(400, "woocommerce_rest_"+postType+"_exists", "Cannot create existing %s.", postType)
}

// errPermission is a permission callback's refusal: 401 when anonymous, 403 when logged in
// (rest_authorization_required_code).
func errPermission(action string, loggedIn bool) *wpError {
	status := http.StatusUnauthorized
	if loggedIn {
		status = http.StatusForbidden
	}
	switch action {
	case actionList:
		return newError(status, "woocommerce_rest_cannot_view", "Sorry, you cannot list resources.")
	case actionView:
		return newError(status, "woocommerce_rest_cannot_view", "Sorry, you cannot view this resource.")
	case actionCreate:
		return newError(status, "woocommerce_rest_cannot_create", "Sorry, you are not allowed to create resources.")
	case actionEdit:
		return newError(status, "woocommerce_rest_cannot_edit", "Sorry, you are not allowed to edit this resource.")
	case actionDelete:
		return newError(status, "woocommerce_rest_cannot_delete", "Sorry, you are not allowed to delete this resource.")
	}
	return newError(status, "woocommerce_rest_cannot_batch", "Sorry, you are not allowed to batch manipulate this resource.")
}

// paramErrors collects invalid parameters the way WP_REST_Request::has_valid_params reports them.
type paramErrors struct {
	params  map[string]string
	details map[string]any
	missing []string
}

func (p *paramErrors) add(param, code, msg string) {
	if p.params == nil {
		p.params, p.details = map[string]string{}, map[string]any{}
	}
	if _, dup := p.params[param]; dup {
		return
	}
	p.params[param] = msg
	p.details[param] = map[string]any{"code": code, "message": msg, "data": nil}
}

func (p *paramErrors) require(param string) { p.missing = append(p.missing, param) }

// err returns rest_missing_callback_param or rest_invalid_param, or nil when all is well.
func (p *paramErrors) err() *wpError {
	if len(p.missing) > 0 {
		e := newError(400, "rest_missing_callback_param", "Missing parameter(s): %s", strings.Join(p.missing, ", "))
		e.Data["params"] = p.missing
		return e
	}
	if len(p.params) == 0 {
		return nil
	}
	names := make([]string, 0, len(p.params))
	for k := range p.params {
		names = append(names, k)
	}
	slices.Sort(names)
	e := newError(400, "rest_invalid_param", "Invalid parameter(s): %s", strings.Join(names, ", "))
	e.Data["params"] = p.params
	e.Data["details"] = p.details
	return e
}

// wpList is wp_sprintf's %l: "a", "a and b", "a, b, and c".
func wpList(items []string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	case 2:
		return items[0] + " and " + items[1]
	}
	return strings.Join(items[:len(items)-1], ", ") + ", and " + items[len(items)-1]
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body := phpJSON(v)
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeError(w http.ResponseWriter, e *wpError) { writeJSON(w, e.status(), e) }

// phpJSON encodes like wp_json_encode with PHP's defaults: "/" is escaped as "\/" and every
// non-ASCII character as a \uXXXX escape, while <, > and & are left alone. Deliveries are signed
// over exactly these bytes.
func phpJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return []byte(`{"code":"internal_server_error","message":"The response could not be encoded.","data":{"status":500}}`)
	}
	b := bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
	out := make([]byte, 0, len(b)+16)
	for _, r := range string(b) {
		switch {
		case r == '/':
			out = append(out, '\\', '/')
		case r < utf8.RuneSelf:
			out = append(out, byte(r))
		default:
			for _, u := range utf16.Encode([]rune{r}) {
				out = fmt.Appendf(out, "\\u%04x", u)
			}
		}
	}
	return out
}
