package rewardpoints

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"

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
	// ErrInvalidParam: any 400, or any argument the client rejected before sending. It matches
	// ErrInvalidUser and ErrInvalidPoints errors too.
	ErrInvalidParam = errors.New("rewardpoints: invalid parameter")
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
	case ErrInvalidParam:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNoRoute:
		return e.StatusCode == http.StatusNotFound
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// ParamError is an argument the client rejected before sending anything or touching the
// operation store. It matches ErrInvalidParam, and ErrInvalidUser or ErrInvalidPoints for those
// parameters.
type ParamError struct {
	Param  string // "user_id", "points", "message" or "operation id"
	Value  string
	Reason string
}

// Error names the parameter, its value and why it was rejected.
func (e *ParamError) Error() string {
	return fmt.Sprintf("rewardpoints: invalid %s %q: %s", e.Param, e.Value, e.Reason)
}

// Is matches ErrInvalidParam, and ErrInvalidUser or ErrInvalidPoints by parameter.
func (e *ParamError) Is(target error) bool {
	switch target {
	case ErrInvalidParam:
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

// notApplied reports whether err proves that the server did not add the points: it answered with
// a 4xx (validation, authentication, a missing route and rate limits all come before the add), or
// the connection failed before the request could be sent (DNS, connect, TLS handshake).
func notApplied(err error) bool {
	var ae *APIError
	if errors.As(err, &ae) {
		return ae.StatusCode >= 400 && ae.StatusCode < 500
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	var certErr *tls.CertificateVerificationError
	var recErr tls.RecordHeaderError
	return errors.As(err, &dnsErr) || (errors.As(err, &opErr) && opErr.Op == "dial") ||
		errors.As(err, &certErr) || errors.As(err, &recErr)
}
