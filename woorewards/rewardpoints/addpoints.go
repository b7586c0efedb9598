package rewardpoints

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/loyalsync/loyalsync/internal/rest"
	"github.com/loyalsync/loyalsync/internal/wp"
)

// MaxOperationIDLength is the longest operation id accepted, in bytes.
const MaxOperationIDLength = 255

// AddRequest asks to add points to a user.
type AddRequest struct {
	// OperationID identifies this add across retries, crashes and processes: derive it from its
	// cause ("order-1234-welcome-bonus"), never from a clock or a random source at retry time.
	// Required, at most MaxOperationIDLength bytes.
	OperationID string
	// UserID is the WordPress user id to credit (> 0; the server checks that the user exists).
	UserID int64
	// Points is how many points to add (> 0; the API cannot subtract).
	Points int64
	// Message is shown in the user's points log (required; the server strips HTML and line
	// breaks).
	Message string
}

// AddResult is the outcome of an add.
type AddResult struct {
	// OperationID is the request's operation id.
	OperationID string `json:"operation_id"`
	// UserID is the credited user.
	UserID int64 `json:"user_id"`
	// PointsAdded is the number of points added.
	PointsAdded int64 `json:"points_added"`
	// NewTotal is the user's balance after the add, as the server read it back.
	NewTotal int64 `json:"new_total"`
	// TotalUnknown is set, and NewTotal zero, for an operation resolved as applied by
	// ResolveUnknown: the server's answer was never received.
	TotalUnknown bool `json:"total_unknown,omitempty"`
	// Message is the message as the server stored it.
	Message string `json:"message"`
	// Replayed reports that nothing was sent: the operation was already done and this result comes
	// from the operation store.
	Replayed bool `json:"-"`
}

// wireResult is the server's success body: {success, user_id, points_added, new_total, message}.
type wireResult struct {
	Success     wp.Bool   `json:"success"`
	UserID      wp.Int    `json:"user_id"`
	PointsAdded wp.Int    `json:"points_added"`
	NewTotal    wp.Int    `json:"new_total"`
	Message     wp.String `json:"message"`
}

func (r *AddRequest) validate() error {
	switch {
	case r.OperationID == "" || len(r.OperationID) > MaxOperationIDLength || !utf8.ValidString(r.OperationID):
		return &ParamError{Param: "operation id", Value: r.OperationID,
			Reason: fmt.Sprintf("must be 1 to %d bytes of UTF-8", MaxOperationIDLength)}
	case r.UserID <= 0:
		return &ParamError{Param: "user_id", Value: strconv.FormatInt(r.UserID, 10), Reason: "must be a positive WordPress user id"}
	case r.Points <= 0:
		return &ParamError{Param: "points", Value: strconv.FormatInt(r.Points, 10), Reason: "must be positive: the API only adds points"}
	case strings.TrimSpace(r.Message) == "" || !utf8.ValidString(r.Message):
		return &ParamError{Param: "message", Value: r.Message, Reason: "is required, in UTF-8 (the server drops invalid UTF-8)"}
	}
	return nil
}

func (r *AddRequest) matches(op Operation) bool {
	return op.UserID == r.UserID && op.Points == r.Points && op.Message == r.Message
}

// AddPoints adds points to a user (POST /wp-json/wc-reward-points/v1/add-points) at most once per
// operation id, as far as the operation store and the server's answers allow — which is exactly
// this:
//
//   - The request is checked first; a bad one is a *ParamError (ErrInvalidArgument) and nothing
//     is sent or stored.
//   - The operation is recorded as pending in the store before anything is sent. If the id is
//     already recorded: with a different user, amount or message, the result is a *MismatchError;
//     done, the stored result is returned with Replayed set and nothing is sent; being sent by
//     another call of this client, AddPoints waits for that call and then decides again; pending
//     otherwise, an *OutcomeUnknownError is returned and nothing is sent.
//   - A success answer marks the operation done with its result. Calls with the same id then
//     return that result, for as long as the store keeps the operation (a MemoryStore forgets
//     finished operations past its limits; see NewMemoryStore).
//   - An answer that proves the add did not happen — any 4xx (every documented one is decided
//     before the add: invalid_user, invalid_points, 401, 403, 404; and 429 after retries), or a
//     connection that failed before the request was sent (DNS, connect, TLS handshake) — deletes
//     the operation and returns the error; the same id can then be sent again.
//   - Anything else leaves the outcome unknown: a network error after the request may have left,
//     a timeout or cancelled context, a 5xx (WordPress may fail after adding), a 2xx that is not
//     the documented success body (a security plugin's or cache's page). The operation stays
//     pending and an *OutcomeUnknownError wraps the cause. The client will not resend it: the API
//     has no idempotency key and no way to look an add up, so resending could add twice. Check the
//     user's points log (WithOperationIDInMessage puts the id there), then call ResolveUnknown.
//
// Limits of the guarantee. It holds among the calls that share one store; MemoryStore, the
// default, is per process and forgets on exit, so a retry after a restart sends again unless the
// store is durable. A process that stops between recording the operation and learning the outcome
// leaves it pending, even if the request never left. Two processes sharing a store cannot tell an
// operation in flight in the other from a lost one: both see it pending. And nothing stops points
// added by other means (wp-admin, another integration) from being added too.
//
// Only a 429 is retried automatically, because the server rejects it before doing anything.
//
// The Response is that of the request sent by this call; it is nil when nothing was sent (a
// replayed result, a refused request) or no response was received.
//
// WC Reward Points API docs: https://www.welaunch.io/en/knowledge-base/faq/using-the-reward-points-rest-api/
func (c *Client) AddPoints(ctx context.Context, req AddRequest) (*AddResult, *Response, error) {
	if err := req.validate(); err != nil {
		return nil, nil, fmt.Errorf("rewardpoints: add points: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return nil, nil, fmt.Errorf("rewardpoints: add points: %w", err)
	}
	for {
		done, wait := c.claim(req.OperationID)
		if wait != nil {
			select {
			case <-wait:
				continue // the other call finished: look at the store again
			case <-ctx.Done():
				return nil, nil, fmt.Errorf("rewardpoints: add points: waiting for operation %q in flight: %w", req.OperationID, ctx.Err())
			}
		}
		res, resp, err := c.addClaimed(ctx, req)
		done()
		return res, resp, err
	}
}

// claim marks id as being sent by this client. When another call of this client is sending it,
// claim returns a channel closed when that call finishes instead.
func (c *Client) claim(id string) (release func(), wait <-chan struct{}) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ch, busy := c.inflight[id]; busy {
		return nil, ch
	}
	ch := make(chan struct{})
	c.inflight[id] = ch
	return func() {
		c.mu.Lock()
		delete(c.inflight, id)
		c.mu.Unlock()
		close(ch)
	}, nil
}

// addClaimed runs AddPoints for an operation id this call has claimed.
func (c *Client) addClaimed(ctx context.Context, req AddRequest) (*AddResult, *Response, error) {
	now := c.now().UTC()
	op := Operation{ID: req.OperationID, UserID: req.UserID, Points: req.Points, Message: req.Message,
		State: StatePending, CreatedAt: now, UpdatedAt: now}
	stored, created, err := c.store.Create(ctx, op)
	if err != nil {
		return nil, nil, fmt.Errorf("rewardpoints: add points: record operation %q: %w", req.OperationID, err)
	}
	if !created {
		switch {
		case !req.matches(stored):
			return nil, nil, &MismatchError{Stored: stored, Request: req}
		case stored.State == StateDone:
			return replay(stored), nil, nil
		default:
			return nil, nil, &OutcomeUnknownError{Operation: stored}
		}
	}

	res, resp, sendErr := c.send(ctx, req)
	switch {
	case sendErr == nil:
		op.State, op.Result, op.UpdatedAt = StateDone, res, c.now().UTC()
		if err := c.store.Update(context.WithoutCancel(ctx), op); err != nil {
			return res, resp, fmt.Errorf("rewardpoints: add points: operation %q was applied, but recording it failed "+
				"(it stays pending, so a retry reports an unknown outcome instead of adding again): %w", op.ID, err)
		}
		return res, resp, nil
	case notApplied(sendErr):
		if err := c.store.Delete(context.WithoutCancel(ctx), op.ID); err != nil {
			return nil, resp, fmt.Errorf("%w (forgetting operation %q failed, so it stays pending: %v)", sendErr, op.ID, err)
		}
		return nil, resp, sendErr
	default:
		op.LastError, op.UpdatedAt = sendErr.Error(), c.now().UTC()
		if err := c.store.Update(context.WithoutCancel(ctx), op); err != nil {
			sendErr = fmt.Errorf("%w (recording the error failed: %v)", sendErr, err)
		}
		c.rc.Logger().LogAttrs(ctx, slog.LevelWarn, "add-points outcome unknown",
			slog.String("operation", op.ID), slog.Int64("user_id", op.UserID), slog.Int64("points", op.Points),
			slog.String("error", sendErr.Error()))
		return nil, resp, &OutcomeUnknownError{Operation: op, Err: sendErr}
	}
}

// send posts the request. An error is either an *APIError, an error proving nothing was sent,
// or one leaving the outcome unknown (see notApplied).
func (c *Client) send(ctx context.Context, req AddRequest) (*AddResult, *Response, error) {
	msg := req.Message
	if c.tagOpID {
		msg += " [op:" + req.OperationID + "]"
	}
	body := map[string]any{"user_id": req.UserID, "points": req.Points, "message": msg}
	var w wireResult
	rr, err := c.rc.Do(ctx, &rest.Request{Method: http.MethodPost, Path: Route, Body: body}, &w)
	resp := newResponse(rr)
	if err != nil {
		return nil, resp, fmt.Errorf("rewardpoints: add %d points to user %d: %w", req.Points, req.UserID, err)
	}
	if !w.Success {
		return nil, resp, fmt.Errorf("rewardpoints: add %d points to user %d: %w", req.Points, req.UserID,
			c.rc.NewDecodeError(rr, errors.New("the answer is not a success body")))
	}
	return &AddResult{
		OperationID: req.OperationID,
		UserID:      int64(w.UserID),
		PointsAdded: int64(w.PointsAdded),
		NewTotal:    int64(w.NewTotal),
		Message:     string(w.Message),
	}, resp, nil
}

func replay(op Operation) *AddResult {
	res := op.Result
	if res == nil { // done without a result: a store written by other means
		res = &AddResult{OperationID: op.ID, UserID: op.UserID, PointsAdded: op.Points, Message: op.Message, TotalUnknown: true}
	}
	out := *res
	out.Replayed = true
	return &out
}

// Operation returns the stored operation with this id; ok is false when the store has none.
func (c *Client) Operation(ctx context.Context, id string) (op Operation, ok bool, err error) {
	return c.store.Get(ctx, id)
}

// ResolveUnknown settles a pending operation whose outcome is unknown, once the caller has found
// out — typically by looking for the add in the user's points log in wp-admin. applied true marks
// it done (later AddPoints calls with its id return a result with TotalUnknown set); applied false
// forgets it, so the next AddPoints call with its id sends it again. Resolving as not applied an
// add that did happen adds the points twice: it is the explicit override the client otherwise
// refuses.
//
// It returns an error wrapping ErrNotPending when there is no pending operation with this id, and
// ErrInFlight while a call of this client is sending it.
func (c *Client) ResolveUnknown(ctx context.Context, id string, applied bool) error {
	release, busy := c.claim(id)
	if busy != nil {
		return fmt.Errorf("rewardpoints: resolve operation %q: %w", id, ErrInFlight)
	}
	defer release()
	op, ok, err := c.store.Get(ctx, id)
	switch {
	case err != nil:
		return fmt.Errorf("rewardpoints: resolve operation %q: %w", id, err)
	case !ok || op.State != StatePending:
		return fmt.Errorf("rewardpoints: resolve operation %q: %w", id, ErrNotPending)
	case !applied:
		if err := c.store.Delete(ctx, id); err != nil {
			return fmt.Errorf("rewardpoints: resolve operation %q: %w", id, err)
		}
		return nil
	}
	op.State, op.UpdatedAt = StateDone, c.now().UTC()
	op.Result = &AddResult{OperationID: op.ID, UserID: op.UserID, PointsAdded: op.Points, Message: op.Message, TotalUnknown: true}
	if err := c.store.Update(ctx, op); err != nil {
		return fmt.Errorf("rewardpoints: resolve operation %q: %w", id, err)
	}
	return nil
}
