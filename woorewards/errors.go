package woorewards

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/loyalsync/loyalsync/internal/rest"
	"github.com/loyalsync/loyalsync/internal/wp"
)

// Sentinel errors, matched with errors.Is against an *APIError (from the server), a *ParamError
// (rejected before sending), a *TransportError or a *DecodeError.
var (
	// ErrNotFound: a 404 about a user, pool, reward or badge that does not exist. It does not match
	// a missing route (ErrNoRoute).
	ErrNotFound = errors.New("woorewards: not found")
	// ErrUserNotFound: 404, no WordPress user has this email. Also matches ErrNotFound.
	ErrUserNotFound = errors.New("woorewards: user not found")
	// ErrPoolNotFound: 404, no points and rewards system (pool) has this id. Also matches ErrNotFound.
	ErrPoolNotFound = errors.New("woorewards: pool not found")
	// ErrRewardNotFound: 404, the pool has no reward with this id. Also matches ErrNotFound.
	ErrRewardNotFound = errors.New("woorewards: reward not found")
	// ErrBadgeNotFound: 404, no badge has this id. Also matches ErrNotFound.
	ErrBadgeNotFound = errors.New("woorewards: badge not found")
	// ErrNoRoute: 404 rest_no_route, the WooRewards REST API is not there. Its REST API is off by
	// default (WooRewards → System → API → "Enable REST API"), exists only in WooRewards Pro, and
	// needs permalinks other than "Plain".
	ErrNoRoute = errors.New("woorewards: REST API route not found")
	// ErrPoolInactive: 410, the pool exists but is not active, so its rewards cannot be unlocked.
	ErrPoolInactive = errors.New("woorewards: pool not active")
	// ErrConditionsNotMet: 409, the user does not fulfil the reward's conditions (not enough
	// points, a role restriction, …).
	ErrConditionsNotMet = errors.New("woorewards: reward conditions not met")
	// ErrUnauthorized: 401, WordPress did not log a user in. The APIError's Hint says why.
	ErrUnauthorized = errors.New("woorewards: unauthorized")
	// ErrForbidden: 403, the user lacks the WooRewards API permission for this route.
	ErrForbidden = errors.New("woorewards: forbidden")
	// ErrRateLimited: 429 (after the client's own retries gave up).
	ErrRateLimited = errors.New("woorewards: rate limited")
	// ErrServer: a 5xx response.
	ErrServer = errors.New("woorewards: server error")
	// ErrBadRequest: 400, the server refused a parameter.
	ErrBadRequest = errors.New("woorewards: bad request")
	// ErrInvalidArgument: an argument the client rejected before sending anything (empty email,
	// zero amount…); the error is a *ParamError.
	ErrInvalidArgument = errors.New("woorewards: invalid argument")
	// ErrTransport: no usable HTTP response (network error, unreadable body) after the retries
	// allowed; the error is a *TransportError.
	ErrTransport = errors.New("woorewards: transport error")
	// ErrDecode: a 2xx response whose body could not be decoded; the error is a *DecodeError.
	ErrDecode = errors.New("woorewards: decode error")
)

// TransportError is a request that got no usable HTTP response after the retries allowed. Its
// Attempts says how often it was sent, and MayHaveReachedServer whether a point change or unlock
// may have been applied. It matches ErrTransport.
type TransportError = rest.TransportError

// DecodeError is a 2xx response whose body did not decode into the expected type; Body keeps it.
// It matches ErrDecode.
type DecodeError = rest.DecodeError

// Resource names what a 404 was about.
type Resource string

// The resources a WooRewards 404 can be about. ResourceUnknown means the route allows several and
// the error body did not say which.
const (
	ResourceUnknown Resource = ""
	ResourceUser    Resource = "user"
	ResourcePool    Resource = "pool"
	ResourceReward  Resource = "reward"
	ResourceBadge   Resource = "badge"
)

// APIError is a non-2xx response from the WooRewards API, in the WordPress REST error format
// {"code","message","data":{"status"}}. Use errors.As to read it and errors.Is with the sentinels
// to classify it.
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Code is the WordPress error code (e.g. "rest_no_route", "rest_forbidden"). Empty when the
	// body was not a WordPress error (an HTML page from a proxy, for instance).
	Code string
	// Message is the server's human-readable message, or the status text.
	Message string
	// Data is the error's "data" member as sent.
	Data json.RawMessage
	// NotFound says what a 404 was about: the only resource the route can miss, or the one the
	// error code or message names. ResourceUnknown when neither tells.
	NotFound Resource
	// Hint explains the likely cause of a 401, a 403 or a missing route; empty otherwise.
	Hint string
	// Body is the raw response body.
	Body []byte
}

func newAPIError(status int, body []byte, auth authMethod) *APIError {
	re, _ := wp.ParseError(status, body)
	e := &APIError{StatusCode: status, Code: re.Code, Message: re.Message, Data: re.Data, Body: body}
	e.Hint = hint(status, e.Code, auth)
	return e
}

func hint(status int, code string, auth authMethod) string {
	switch {
	case status == http.StatusUnauthorized && auth == authAppPassword:
		return "WordPress did not log the user in with the application password: check the user name and " +
			"password, that WordPress sees the request as HTTPS (it disables application passwords otherwise), " +
			"and that the web server passes the Authorization header to PHP"
	case status == http.StatusUnauthorized:
		return "WordPress did not log a user in with the WooCommerce key: check the key and secret, and that " +
			"\"Allow authentication by WooCommerce REST API\" is on in WooRewards → System → API"
	case status == http.StatusForbidden:
		return "the user lacks the WooRewards API permission for this route (general reading, user reading or " +
			"user writing): grant it in WooRewards → System → API"
	case status == http.StatusNotFound && code == wp.NoRouteCode:
		return "the WooRewards REST API is not available: it needs WooRewards Pro, \"Enable REST API\" in " +
			"WooRewards → System → API, and permalinks other than \"Plain\""
	}
	return ""
}

// Error returns "<status> <code>: <message>", the missing resource of a 404, and the hint.
func (e *APIError) Error() string {
	detail := ""
	if e.NotFound != ResourceUnknown {
		detail = string(e.NotFound) + " not found"
	}
	return wp.ErrorString(e.StatusCode, e.Code, e.Message, detail, e.Hint)
}

// Is matches the sentinel errors by status, code and the resource a 404 was about.
func (e *APIError) Is(target error) bool {
	noRoute := e.StatusCode == http.StatusNotFound && e.Code == wp.NoRouteCode
	switch target {
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound && !noRoute
	case ErrNoRoute:
		return noRoute
	case ErrUserNotFound:
		return e.NotFound == ResourceUser
	case ErrPoolNotFound:
		return e.NotFound == ResourcePool
	case ErrRewardNotFound:
		return e.NotFound == ResourceReward
	case ErrBadgeNotFound:
		return e.NotFound == ResourceBadge
	case ErrPoolInactive:
		return e.StatusCode == http.StatusGone
	case ErrConditionsNotMet:
		return e.StatusCode == http.StatusConflict
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	case ErrServer:
		return e.StatusCode >= 500
	}
	return false
}

// whichNotFound decides what a 404 is about. A route that can only miss one resource settles it;
// otherwise the error code, then the message, must name one of the route's candidates. WooRewards'
// own codes and wording are not documented, so this reads words, not fixed codes.
func whichNotFound(code, message string, candidates []Resource) Resource {
	if code == wp.NoRouteCode {
		return ResourceUnknown
	}
	if len(candidates) == 1 {
		return candidates[0]
	}
	for _, text := range []string{code, message} {
		if r := mentioned(text, candidates); r != ResourceUnknown {
			return r
		}
	}
	return ResourceUnknown
}

// precedence orders the resources from the most to the least specific: a message about a missing
// reward usually names its pool too ("reward 7 not found in pool default"), one about a missing
// user may name the pool it was looked up for, and one about a missing pool names nothing else.
var precedence = [...]struct {
	r     Resource
	words []string
}{
	{ResourceReward, []string{"reward"}},
	{ResourceBadge, []string{"badge"}},
	{ResourceUser, []string{"user", "email", "customer"}},
	{ResourcePool, []string{"pool", "system"}},
}

// poolNames are WooRewards' public names for a pool, and plugin names that appear in error codes
// (woorewards_…, lws_…); they are rewritten before matching so that their "reward" does not count.
var poolNames = strings.NewReplacer(
	"points and rewards system", "pool",
	"points & rewards system", "pool",
	"loyalty system", "pool",
	"woorewards", "",
	"myrewards", "",
)

// mentioned returns the most specific candidate text names.
func mentioned(text string, candidates []Resource) Resource {
	t := poolNames.Replace(strings.ToLower(text))
	for _, p := range precedence {
		if !slices.Contains(candidates, p.r) {
			continue
		}
		for _, w := range p.words {
			if strings.Contains(t, w) {
				return p.r
			}
		}
	}
	return ResourceUnknown
}

// ParamError is an argument the client rejected before sending anything. It matches
// ErrInvalidArgument with errors.Is.
type ParamError struct {
	Param  string // e.g. "email"
	Value  string
	Reason string
}

// Error names the parameter, its value and why it was rejected.
func (e *ParamError) Error() string {
	return fmt.Sprintf("invalid %s %q: %s", e.Param, e.Value, e.Reason)
}

// Is reports whether target is ErrInvalidArgument.
func (e *ParamError) Is(target error) bool { return target == ErrInvalidArgument }
