package rest

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
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

// TransportError is a request that got no usable HTTP response: a network error on the last
// attempt, or a response whose body could not be read. Clients export it as an alias
// (type TransportError = rest.TransportError) and match it with their ErrTransport sentinel
// (Config.ErrTransport).
type TransportError struct {
	Method   string // HTTP method
	Path     string // path and query, with credentials redacted
	Attempts int    // how many times the request was sent
	Err      error  // the last attempt's error

	processed bool  // an attempt may have been processed by the server
	sentinel  error // the client's ErrTransport
}

// Error reports the request (credentials redacted), the cause and the number of attempts.
func (e *TransportError) Error() string {
	return fmt.Sprintf("%s %s: %v (after %d attempt(s))", e.Method, e.Path, e.Err, e.Attempts)
}

// Unwrap returns the network or context error of the last attempt.
func (e *TransportError) Unwrap() error { return e.Err }

// Is reports whether target is the client's ErrTransport sentinel.
func (e *TransportError) Is(target error) bool { return e.sentinel != nil && target == e.sentinel }

// MayHaveReachedServer reports whether the server may have processed the request, so that a
// POST may have taken effect although its response was lost. It is false only when no attempt
// can have been processed: each one either failed before anything was sent (DNS lookup, connect,
// TLS handshake, the client's authentication hook) or was answered with 429, which servers send
// before processing a request.
func (e *TransportError) MayHaveReachedServer() bool { return e.processed }

// DecodeError is a 2xx response whose body could not be decoded into the expected type. Clients
// export it as an alias (type DecodeError = rest.DecodeError) and match it with their ErrDecode
// sentinel (Config.ErrDecode).
type DecodeError struct {
	Method string // HTTP method
	Path   string // path and query, with credentials redacted
	Status int    // the 2xx status received
	Body   []byte // raw response body
	Err    error  // the decoder's error

	sentinel error // the client's ErrDecode
}

// Error reports the request, the status and the decoding error.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("decode %s %s response (status %d): %v", e.Method, e.Path, e.Status, e.Err)
}

// Unwrap returns the decoder's error, e.g. a *json.UnmarshalTypeError.
func (e *DecodeError) Unwrap() error { return e.Err }

// Is reports whether target is the client's ErrDecode sentinel.
func (e *DecodeError) Is(target error) bool { return e.sentinel != nil && target == e.sentinel }

// notSent reports whether err, an attempt's error, proves the request never left the client:
// DNS, connect and TLS handshake failures, and a failed authentication hook.
func notSent(err error) bool {
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var certErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	return errors.As(err, &dnsErr) || (errors.As(err, &opErr) && (opErr.Op == "dial" || opErr.Op == "proxyconnect")) ||
		errors.As(err, &certErr) || errors.As(err, &recErr) || errors.As(err, new(*authError))
}
