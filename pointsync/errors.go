package pointsync

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// Sentinel errors, matched with errors.Is. The generic ones have the same names and meanings as in
// every loyalsync client; the specific ones say which setting of a remote is wrong, and each also
// matches its generic sentinel (ErrBadCredentials is also ErrUnauthorized, and so on).
var (
	// ErrInvalidArgument: refused before anything was sent or stored (a *ValidationError says which
	// field and why).
	ErrInvalidArgument = errors.New("pointsync: invalid argument")
	// ErrBadRequest: the remote answered 400, the request was malformed (a bad batch).
	ErrBadRequest = errors.New("pointsync: bad request")
	// ErrUnauthorized: the remote answered 401.
	ErrUnauthorized = errors.New("pointsync: unauthorized")
	// ErrForbidden: the remote answered 403.
	ErrForbidden = errors.New("pointsync: forbidden")
	// ErrNotFound: the remote answered 404.
	ErrNotFound = errors.New("pointsync: not found")
	// ErrRateLimited: the remote answered 429 after the client's own retries.
	ErrRateLimited = errors.New("pointsync: rate limited")
	// ErrServer: the remote answered 5xx.
	ErrServer = errors.New("pointsync: server error")
	// ErrTransport: no usable HTTP response (matches *TransportError).
	ErrTransport = errors.New("pointsync: transport error")
	// ErrDecode: a 2xx response whose body could not be decoded (matches *DecodeError).
	ErrDecode = errors.New("pointsync: decode error")

	// ErrUnreachable: the remote URL could not be reached at all (DNS, refused connection, TLS,
	// timeout) or does not speak the protocol there (404 without a protocol error body, HTML page).
	ErrUnreachable = errors.New("pointsync: remote unreachable")
	// ErrBadCredentials: 401, the remote's auth or pass is wrong. Also ErrUnauthorized.
	ErrBadCredentials = errors.New("pointsync: wrong auth or pass")
	// ErrBadSignature: 401, the signature does not match the body (the pass is wrong, or the body
	// was changed on the way). Also ErrUnauthorized.
	ErrBadSignature = errors.New("pointsync: bad signature")
	// ErrStaleTimestamp: 401, the request's timestamp is outside the remote's time window (the
	// clocks of the two sites disagree, or the request is an old capture). Also ErrUnauthorized.
	ErrStaleTimestamp = errors.New("pointsync: stale timestamp")
	// ErrReplayed: 401, the remote already applied a batch with this id. A sender that gets it for a
	// batch it sent itself knows the batch was applied. Also ErrUnauthorized.
	ErrReplayed = errors.New("pointsync: batch already received")
	// ErrWrongSharingKey: 403, the remote's sharing key is not the one configured here. Also
	// ErrForbidden.
	ErrWrongSharingKey = errors.New("pointsync: wrong sharing key")
	// ErrUnknownSite: 403, the remote does not list this site (with this sharing key) among its
	// remote sites. Also ErrForbidden.
	ErrUnknownSite = errors.New("pointsync: this site is not a remote site of the remote")
	// ErrUnknownReserve: 404, the target point reserve does not exist on the remote. Also
	// ErrNotFound.
	ErrUnknownReserve = errors.New("pointsync: unknown target point reserve")
	// ErrInProgress: 409, the remote is applying a batch with this id right now; send it again
	// later.
	ErrInProgress = errors.New("pointsync: batch in progress")
	// ErrUnsupportedVersion: 400, the remote does not speak this protocol version. Also
	// ErrBadRequest.
	ErrUnsupportedVersion = errors.New("pointsync: unsupported protocol version")

	// ErrNoLocalSite: the settings store holds no local site information yet.
	ErrNoLocalSite = errors.New("pointsync: local site not initialised")
	// ErrRemoteNotFound: no remote site has this sharing key in the settings store.
	ErrRemoteNotFound = errors.New("pointsync: remote site not found")
	// ErrLeaseLost: the lease was acknowledged or failed after it expired or was already settled.
	ErrLeaseLost = errors.New("pointsync: lease lost")
)

// Error codes sent in the "code" member of an error body, one per specific sentinel.
const (
	CodeBadRequest         = "bad_request"
	CodeUnsupportedVersion = "unsupported_version"
	CodeBadCredentials     = "bad_credentials"
	CodeBadSignature       = "bad_signature"
	CodeStaleTimestamp     = "stale_timestamp"
	CodeReplayed           = "replayed_batch"
	CodeWrongSharingKey    = "wrong_sharing_key"
	CodeUnknownSite        = "unknown_site"
	CodeUnknownReserve     = "unknown_reserve"
	CodeInProgress         = "batch_in_progress"
	CodeMethodNotAllowed   = "method_not_allowed"
	CodeNotFound           = "not_found"
	CodeTooLarge           = "too_large"
	CodeInternal           = "internal_error"
)

var codeSentinels = map[string]error{
	CodeUnsupportedVersion: ErrUnsupportedVersion,
	CodeBadCredentials:     ErrBadCredentials,
	CodeBadSignature:       ErrBadSignature,
	CodeStaleTimestamp:     ErrStaleTimestamp,
	CodeReplayed:           ErrReplayed,
	CodeWrongSharingKey:    ErrWrongSharingKey,
	CodeUnknownSite:        ErrUnknownSite,
	CodeUnknownReserve:     ErrUnknownReserve,
	CodeInProgress:         ErrInProgress,
}

// ErrorBody is the JSON body of every error response of the protocol.
type ErrorBody struct {
	// Code is machine-readable, one of the Code… constants.
	Code string `json:"code"`
	// Message explains the problem to a person.
	Message string `json:"message"`
	// Status repeats the HTTP status.
	Status int `json:"status"`
}

// APIError is a non-2xx response from a remote site. Use errors.As to read it and errors.Is with
// the sentinels to classify it.
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is the protocol error code, empty when the body was not a protocol error (a proxy's
	// HTML page, for instance).
	Code string
	// Message is the remote's message, or the status text.
	Message string
	// Body is the raw response body.
	Body []byte
}

func newAPIError(resp *http.Response, body []byte) *APIError {
	e := &APIError{StatusCode: resp.StatusCode, Body: body}
	var eb ErrorBody
	if err := unmarshalStrict(body, &eb); err == nil && eb.Code != "" {
		e.Code, e.Message = eb.Code, eb.Message
	}
	if e.Message == "" {
		e.Message = http.StatusText(resp.StatusCode)
	}
	return e
}

// Error reports the status, code and message.
func (e *APIError) Error() string {
	if e.Code != "" {
		return fmt.Sprintf("status %d %s: %s", e.StatusCode, e.Code, e.Message)
	}
	return fmt.Sprintf("status %d: %s", e.StatusCode, e.Message)
}

// Is matches the sentinel of the status and the one of the code.
func (e *APIError) Is(target error) bool {
	if s, ok := codeSentinels[e.Code]; ok && s == target {
		return true
	}
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	case ErrUnreachable:
		// A 404 or 405 without a protocol error body means nothing speaks the protocol there.
		return e.Code == "" && (e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusMethodNotAllowed)
	}
	return false
}

// TransportError is a request that got no HTTP response. It matches ErrTransport and
// ErrUnreachable.
type TransportError = rest.TransportError

// DecodeError is a 2xx response whose body could not be decoded. It matches ErrDecode.
type DecodeError = rest.DecodeError

// ValidationError is a value refused before anything was sent or stored. It matches
// ErrInvalidArgument.
type ValidationError struct {
	// Field names the field, e.g. "remote.url" or "movements[3].points".
	Field string
	// Problem says what is wrong with it.
	Problem string
}

// Error reports the field and the problem.
func (e *ValidationError) Error() string { return "pointsync: " + e.Field + ": " + e.Problem }

// Is matches ErrInvalidArgument.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalidArgument }

func invalid(field, format string, args ...any) *ValidationError {
	return &ValidationError{Field: field, Problem: fmt.Sprintf(format, args...)}
}

// classify makes a transport error also match ErrUnreachable.
func classify(err error) error {
	if errors.As(err, new(*TransportError)) {
		return &unreachable{err}
	}
	return err
}

// unreachable is a transport error seen from the protocol: the remote could not be reached.
type unreachable struct{ err error }

func (u *unreachable) Error() string        { return u.err.Error() }
func (u *unreachable) Unwrap() error        { return u.err }
func (u *unreachable) Is(target error) bool { return target == ErrUnreachable }
