package wp

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// RESTError is the body of a WordPress REST API error:
// {"code":"rest_no_route","message":"…","data":{"status":404}}.
type RESTError struct {
	Code    string
	Message string
	// Data is the "data" member as sent (nil when absent or null).
	Data json.RawMessage
}

// ParseError reads a WordPress REST error body. ok is false when the body is not one (an HTML
// error page from a proxy, an empty body); the message then falls back to the status text.
func ParseError(status int, body []byte) (e RESTError, ok bool) {
	var w struct {
		Code    String          `json:"code"`
		Message String          `json:"message"`
		Data    json.RawMessage `json:"data"`
	}
	trimmed := bytes.TrimSpace(rest.StripBOM(body))
	if len(trimmed) > 0 && trimmed[0] == '{' && json.Unmarshal(trimmed, &w) == nil && (w.Code != "" || w.Message != "") {
		e = RESTError{Code: string(w.Code), Message: string(w.Message), Data: Raw(w.Data)}
		ok = true
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	return e, ok
}

// NoRouteCode is the code WordPress answers with when no registered route matches: the plugin is
// inactive, its API is switched off, or permalinks are "Plain".
const NoRouteCode = "rest_no_route"

// Text returns code and message lower-cased and joined, for keyword classification.
func (e RESTError) Text() string {
	return strings.ToLower(e.Code + " " + e.Message)
}

// ErrorString formats an API error as "<status> <code>: <message> (<detail>) — likely cause:
// <hint>", leaving out the empty parts.
func ErrorString(status int, code, message, detail, hint string) string {
	var b strings.Builder
	b.WriteString(strconv.Itoa(status))
	if code != "" {
		b.WriteByte(' ')
		b.WriteString(code)
	}
	b.WriteString(": ")
	b.WriteString(message)
	if detail != "" {
		b.WriteString(" (")
		b.WriteString(detail)
		b.WriteByte(')')
	}
	if hint != "" {
		b.WriteString(" — likely cause: ")
		b.WriteString(hint)
	}
	return b.String()
}
