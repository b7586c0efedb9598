package rest

import (
	"errors"
	"fmt"
	"net/http"
)

// ErrResponseTooLarge is returned when a response body exceeds Config.MaxResponseBytes.
var ErrResponseTooLarge = errors.New("rest: response body too large")

// HTTPError is the error for a non-2xx response when the API's decoder does not produce its own.
type HTTPError struct {
	StatusCode int         // e.g. 404
	Status     string      // e.g. "404 Not Found"
	Header     http.Header // response headers (Retry-After, request ids, ...)
	Body       []byte      // raw response body, for diagnosis
}

// NewHTTPError builds an HTTPError from a response and its raw body.
func NewHTTPError(resp *http.Response, body []byte) *HTTPError {
	return &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, Header: resp.Header, Body: body}
}

// Error reports the status and the first 200 bytes of the body.
func (e *HTTPError) Error() string {
	body := e.Body
	if len(body) > 200 {
		body = body[:200]
	}
	if len(body) == 0 {
		return fmt.Sprintf("http status %d", e.StatusCode)
	}
	return fmt.Sprintf("http status %d: %s", e.StatusCode, body)
}

// TransportError is a request that got no HTTP response: a network error on the last attempt.
// The request may or may not have reached the server.
type TransportError struct {
	Method   string // HTTP method
	Path     string // path and query, with credentials redacted
	Attempts int    // how many times the request was sent
	Err      error  // the last attempt's error
}

// Error reports the request (credentials redacted), the cause and the number of attempts.
func (e *TransportError) Error() string {
	return fmt.Sprintf("%s %s: %v (after %d attempt(s))", e.Method, e.Path, e.Err, e.Attempts)
}

// Unwrap returns the network or context error of the last attempt.
func (e *TransportError) Unwrap() error { return e.Err }

// DecodeError is a 2xx response whose body could not be decoded into the expected type.
type DecodeError struct {
	Method string // HTTP method
	Path   string // path and query, with credentials redacted
	Status int    // the 2xx status received
	Body   []byte // raw response body
	Err    error  // the decoder's error
}

// Error reports the request, the status and the decoding error.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("decode %s %s response (status %d): %v", e.Method, e.Path, e.Status, e.Err)
}

// Unwrap returns the decoder's error, e.g. a *json.UnmarshalTypeError.
func (e *DecodeError) Unwrap() error { return e.Err }
