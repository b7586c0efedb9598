package rewardpoints

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/loyalsync/loyalsync/internal/rest"
	"github.com/loyalsync/loyalsync/internal/wp"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrInvalidUser: 400 invalid_user (the user id is missing, invalid or not an existing
	// WordPress user), or a user id the client rejected before sending (not positive).
	ErrInvalidUser = errors.New("rewardpoints: invalid user")
	// ErrInvalidPoints: 400 invalid_points, or points the client rejected before sending (not
	// positive: the API only adds).
	ErrInvalidPoints = errors.New("rewardpoints: invalid points")
	// ErrBadRequest: any 400 from the server, invalid_user and invalid_points included.
	ErrBadRequest = errors.New("rewardpoints: bad request")
	// ErrInvalidArgument: an argument the client rejected before sending anything or touching the
	// operation store; the error is a *ParamError.
	ErrInvalidArgument = errors.New("rewardpoints: invalid argument")
	// ErrTransport: no usable HTTP response (network error, unreadable body); the error is a
	// *TransportError. AddPoints reports it inside an *OutcomeUnknownError unless the request
	// certainly never reached the server.
	ErrTransport = errors.New("rewardpoints: transport error")
	// ErrDecode: a 2xx response whose body could not be decoded; the error is a *DecodeError.
	ErrDecode = errors.New("rewardpoints: decode error")
	// ErrNotFound: 404. The add-points API has a single route, so a 404 is always a missing route
	// (ErrNoRoute matches too).
	ErrNotFound = errors.New("rewardpoints: not found")
	// ErrUnauthorized: 401, WordPress did not log the user in.
	ErrUnauthorized = errors.New("rewardpoints: unauthorized")
	// ErrForbidden: 403, the user lacks the manage_woocommerce capability.
	ErrForbidden = errors.New("rewardpoints: forbidden")
	// ErrNoRoute: 404, the route is not registered: the plugin is inactive, its API is not enabled
	// (routes register only when the plugin's "enable" setting is on), permalinks are "Plain", or
	// a security plugin blocks /wp-json.
	ErrNoRoute = errors.New("rewardpoints: add-points route not found")
	// ErrRateLimited: 429 (after the client's own retries gave up).
	ErrRateLimited = errors.New("rewardpoints: rate limited")
	// ErrServer: a 5xx response.
	ErrServer = errors.New("rewardpoints: server error")

	// ErrOutcomeUnknown: the request may or may not have added the points, and the client will not
	// send it again on its own. See OutcomeUnknownError.
	ErrOutcomeUnknown = errors.New("rewardpoints: outcome unknown")
	// ErrOperationMismatch: the operation id was already used for a different user, amount or
	// message. Nothing was sent.
	ErrOperationMismatch = errors.New("rewardpoints: operation id reused with different parameters")
	// ErrInFlight: the operation is being sent by a call in this client right now.
	ErrInFlight = errors.New("rewardpoints: operation in flight")
	// ErrNotPending: ResolveUnknown was called for an operation that is not pending.
	ErrNotPending = errors.New("rewardpoints: operation not pending")
)

// APIError is a non-2xx response from the add-points route, in the WordPress REST error format
// {"code","message","data":{"status"}}.
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is the error code: "invalid_user", "invalid_points", "rest_forbidden",
	// "rest_no_route"… Empty when the body was not a WordPress error.
	Code string
	// Message is the server's human-readable message, or the status text.
	Message string
	// Data is the error's "data" member as sent.
	Data json.RawMessage
	// Hint explains the likely cause of a 401, 403 or 404; empty otherwise.
	Hint string
	// Body is the raw response body.
	Body []byte
}

func newAPIError(status int, body []byte) *APIError {
	re, _ := wp.ParseError(status, body)
	e := &APIError{StatusCode: status, Code: re.Code, Message: re.Message, Data: re.Data, Body: body}
	switch status {
	case http.StatusUnauthorized:
		e.Hint = "WordPress did not log the user in: check the user name and application password, that WordPress " +
			"sees the request as HTTPS, and that the web server passes the Authorization header to PHP"
	case http.StatusForbidden:
		e.Hint = "the user needs the manage_woocommerce capability (an Administrator or Shop Manager)"
	case http.StatusNotFound:
		e.Hint = "the add-points route is not registered: check that WooCommerce Reward Points is active and its " +
			"API enabled, that permalinks are not \"Plain\", and that nothing blocks /wp-json or POST requests"
	}
	return e
}

// Error returns "<status> <code>: <message>" and the hint.
func (e *APIError) Error() string {
	return wp.ErrorString(e.StatusCode, e.Code, e.Message, "", e.Hint)
}

// Is matches the sentinel errors by status and code.
func (e *APIError) Is(target error) bool {
	switch target {
	case ErrInvalidUser:
		return e.Code == "invalid_user"
	case ErrInvalidPoints:
		return e.Code == "invalid_points"
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNoRoute, ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// ParamError is an argument the client rejected before sending anything or touching the
// operation store. It matches ErrInvalidArgument, and ErrInvalidUser or ErrInvalidPoints for
// those parameters.
type ParamError struct {
	Param  string // "user_id", "points", "message" or "operation id"
	Value  string
	Reason string
}

// Error names the parameter, its value and why it was rejected.
func (e *ParamError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s", e.Param, e.Value, e.Reason)
}

// Is matches ErrInvalidArgument, and ErrInvalidUser or ErrInvalidPoints by parameter.
func (e *ParamError) Is(target error) bool {
	switch target {
	case ErrInvalidArgument:
		return true
	case ErrInvalidUser:
		return e.Param == "user_id"
	case ErrInvalidPoints:
		return e.Param == "points"
	}
	return false
}

// OutcomeUnknownError reports an add whose outcome the client cannot know: the request may have
// added the points or not. The operation stays pending in the store, and AddPoints with the same
// operation id returns this error again, without sending anything, until ResolveUnknown settles
// it. It matches ErrOutcomeUnknown, and unwraps to the cause when this call saw one (a transport
// error, an *APIError with a 5xx, a response that could not be read).
type OutcomeUnknownError struct {
	// Operation is the pending operation as stored.
	Operation Operation
	// Err is what made the outcome unknown in this call; nil when the operation was already
	// pending before it (an earlier call lost its response, or the process stopped mid-request).
	Err error
}

// Error names the operation, what to do, and the cause.
func (e *OutcomeUnknownError) Error() string {
	msg := fmt.Sprintf("rewardpoints: outcome of operation %q (add %d points to user %d) is unknown; "+
		"check the user's points log, then call ResolveUnknown", e.Operation.ID, e.Operation.Points, e.Operation.UserID)
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	if e.Operation.LastError != "" {
		return msg + " (earlier: " + e.Operation.LastError + ")"
	}
	return msg
}

// Is reports whether target is ErrOutcomeUnknown.
func (e *OutcomeUnknownError) Is(target error) bool { return target == ErrOutcomeUnknown }

// Unwrap returns the cause seen by this call, if any.
func (e *OutcomeUnknownError) Unwrap() error { return e.Err }

// MismatchError reports an operation id reused for a different request. It matches
// ErrOperationMismatch.
type MismatchError struct {
	// Stored is the operation recorded under the id.
	Stored Operation
	// Request is the new request that reused the id.
	Request AddRequest
}

// Error shows the stored operation next to the new request.
func (e *MismatchError) Error() string {
	return fmt.Sprintf("rewardpoints: operation %q was recorded as %d points for user %d (%q), not %d points for user %d (%q)",
		e.Stored.ID, e.Stored.Points, e.Stored.UserID, e.Stored.Message, e.Request.Points, e.Request.UserID, e.Request.Message)
}

// Is reports whether target is ErrOperationMismatch.
func (e *MismatchError) Is(target error) bool { return target == ErrOperationMismatch }

// TransportError is a request that got no usable HTTP response after the retries allowed. Its
// Attempts says how often it was sent, and MayHaveReachedServer whether it may have been applied.
// It matches ErrTransport.
type TransportError = rest.TransportError

// DecodeError is a 2xx response whose body did not decode into the expected type; Body keeps it.
// It matches ErrDecode.
type DecodeError = rest.DecodeError

// notApplied reports whether err proves that the server did not add the points: it answered with
// a 4xx (validation, authentication, a missing route and rate limits all come before the add), or
// no attempt can have been processed (each failed before it was sent — DNS, connect, TLS
// handshake — or was answered with 429).
func notApplied(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode >= 400 && ae.StatusCode < 500
	}
	var te *TransportError
	return errors.As(err, &te) && !te.MayHaveReachedServer()
}
