package woorewards

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// PointsService reads and changes users' points. Users are identified by email; a pool's
// balance is that of the points reserve the pool uses, shared with every pool on that reserve.
type PointsService service

// Get returns the points of the user with this email in a pool (GET /points/{email}/{pool}).
// Needs the user reading permission. Errors: ErrUserNotFound or ErrPoolNotFound (404; ErrNotFound
// alone when the server's message does not say which).
//
// WooRewards API docs: https://plugins.longwatchstudio.com/kb/get-a-users-points/
func (s *PointsService) Get(ctx context.Context, email, poolID string) (*Balance, *Response, error) {
	op := fmt.Sprintf("get points of %q in pool %q", email, poolID)
	if err := firstErr(checkEmail(email), checkSegment("pool id", poolID)); err != nil {
		return nil, nil, fmt.Errorf("woorewards: %s: %w", op, err)
	}
	out := new(Balance)
	resp, err := s.client.call(ctx, op, &rest.Request{Path: rest.JoinPath("points", email, poolID)}, out, ResourceUser, ResourcePool)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// Add adds points (> 0) to the user with this email in a pool's reserve, with a reason shown in
// the user's history. See Adjust.
//
// WooRewards API docs: https://plugins.longwatchstudio.com/kb/add-subtract-points/
func (s *PointsService) Add(ctx context.Context, email, poolID string, points int64, reason string) (*BalanceUpdate, *Response, error) {
	if points <= 0 {
		return nil, nil, fmt.Errorf("woorewards: add points: %w",
			&ParamError{Param: "points", Value: strconv.FormatInt(points, 10), Reason: "must be positive (use Subtract to remove points)"})
	}
	return s.Adjust(ctx, email, poolID, points, reason)
}

// Subtract removes points (> 0) from the user with this email in a pool's reserve, with a reason.
// WooRewards does not stop at zero: the balance can become negative. See Adjust.
//
// WooRewards API docs: https://plugins.longwatchstudio.com/kb/add-subtract-points/
func (s *PointsService) Subtract(ctx context.Context, email, poolID string, points int64, reason string) (*BalanceUpdate, *Response, error) {
	if points <= 0 {
		return nil, nil, fmt.Errorf("woorewards: subtract points: %w",
			&ParamError{Param: "points", Value: strconv.FormatInt(points, 10), Reason: "must be positive (the client adds the minus sign)"})
	}
	return s.Adjust(ctx, email, poolID, -points, reason)
}

// Adjust adds delta points (negative: subtracts) to the user with this email in a pool's reserve,
// with a reason (PUT /points/{email}/{pool}/{delta}/{reason}). Needs the user writing permission.
// The email and reason travel as escaped path segments; the reason must not be empty. (A "/" in a
// reason is sent as %2F, which some Apache set-ups reject with a 404; avoid it.)
//
// The change can unlock rewards when the pool is set up to do so, consuming points at once: the
// returned BalanceUpdate has the final balance and the number of rewards unlocked.
//
// Errors: ErrUserNotFound or ErrPoolNotFound (404; ErrNotFound alone when the server's message
// does not say which).
//
// Adjust is not retried after a network error or a 5xx, and the library cannot make it safe to:
// WooRewards takes no idempotency key and has no points-history route, so a request whose response
// was lost may or may not have been applied, and sending it again can apply it twice. The error
// then wraps a transport error or ErrServer; reading the balance with Get tells you the current
// state, but not whether this change is part of it if anything else moves the balance.
//
// WooRewards API docs: https://plugins.longwatchstudio.com/kb/add-subtract-points/
func (s *PointsService) Adjust(ctx context.Context, email, poolID string, delta int64, reason string) (*BalanceUpdate, *Response, error) {
	op := fmt.Sprintf("adjust points of %q in pool %q by %d", email, poolID, delta)
	err := firstErr(checkEmail(email), checkSegment("pool id", poolID), checkSegment("reason", reason))
	if err == nil && delta == 0 {
		err = &ParamError{Param: "points", Value: "0", Reason: "must not be zero"}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("woorewards: %s: %w", op, err)
	}
	req := &rest.Request{
		Method: http.MethodPut,
		Path:   rest.JoinPath("points", email, poolID, strconv.FormatInt(delta, 10), reason),
	}
	out := new(BalanceUpdate)
	resp, err := s.client.call(ctx, op, req, out, ResourceUser, ResourcePool)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}
