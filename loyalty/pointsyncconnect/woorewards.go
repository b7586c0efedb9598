package pointsyncconnect

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/woorewards"
)

// WooRewardsDeliverer delivers movements to a remote of kind pointsync.KindWooRewards: a
// WooRewards site, which cannot speak the pointsync protocol. Each movement becomes a points
// add or subtract (woorewards PointsService.Adjust) for the member's email in the remote's
// target pool, with the movement's reason. The remote's Auth and Pass are a WordPress user and
// its application password. Give it to pointsync.NewSender with
// pointsync.WithDeliverer(pointsync.KindWooRewards, d).
//
// What this direction cannot do, plainly: WooRewards has no points-history API, so movements
// made on the WooRewards site cannot be read back and synced to loyalsync sites, and a balance
// changed there drifts from the others (CheckDrift finds it). WooRewards takes no idempotency key
// either, so each push is recorded in a PushLog (SQLStore keeps it in the loyalty database):
//
//  1. before the request, the member's balance in the pool is read (one GET) and an intent is
//     written with it;
//  2. once the remote accepted the push, the record is completed;
//  3. a movement whose record is complete is never pushed again, however often its batch is
//     delivered, across restarts too, until its queue entry is acknowledged (SQLStore forgets
//     the record in the same transaction; MemPushLog keeps it MemPushRetention);
//  4. a push refused for certain (a 4xx answer, or not sent) forgets its intent;
//  5. an intent without completion — the response was lost, the remote answered 5xx, or the
//     process stopped in between — is decided on the next delivery from the member's balance:
//     unchanged since the intent, the movement is pushed again; changed by exactly its points,
//     it counts as applied; anything else is a *PushUnresolvedError that keeps the batch queued
//     (the remote's status shows it) until an operator checks the member's points on the
//     WooRewards site and calls ResolvePush.
//
// What is not guaranteed: step 5 trusts the balance, so other changes to the same member's
// points on the WooRewards site between the intent and the check that happen to sum to 0 (or to
// the push's points) can make it push twice (or not at all), and a push that unlocks a reward
// automatically there moves the balance by less than its points, which step 5 reports as
// unresolved. CheckDrift compares all balances afterwards. A member unknown to the WooRewards site
// is an error that keeps the batch queued until the user exists there.
type WooRewardsDeliverer struct {
	log  PushLog
	opts []woorewards.Option
}

var _ pointsync.Deliverer = (*WooRewardsDeliverer)(nil)

// NewWooRewardsDeliverer returns a deliverer recording its pushes in log (the SQLStore of the
// site, or a MemPushLog), whose clients take opts (such as woorewards.WithHTTPClient).
func NewWooRewardsDeliverer(log PushLog, opts ...woorewards.Option) (*WooRewardsDeliverer, error) {
	if log == nil {
		return nil, errors.New("pointsyncconnect: nil push log")
	}
	return &WooRewardsDeliverer{log: log, opts: opts}, nil
}

func (d *WooRewardsDeliverer) client(r pointsync.Remote) (*woorewards.Client, error) {
	return woorewards.NewClient(r.URL, woorewards.AppPassword(r.Auth, r.Pass), d.opts...)
}

// Ping checks the credentials and that the target pool exists.
func (d *WooRewardsDeliverer) Ping(ctx context.Context, _ pointsync.LocalSite, r pointsync.Remote) error {
	c, err := d.client(r)
	if err != nil {
		return fmt.Errorf("pointsyncconnect: ping %s: %w", r.URL, err)
	}
	pools, _, err := c.Pools.List(ctx)
	if err != nil {
		return fmt.Errorf("pointsyncconnect: ping %s: %w", r.URL, wooRewardsError(err))
	}
	for _, p := range pools {
		if p.ID == r.TargetReserve {
			return nil
		}
	}
	return fmt.Errorf("pointsyncconnect: ping %s: pool %q: %w", r.URL, r.TargetReserve, pointsync.ErrUnknownReserve)
}

// wooRewardsError adds the pointsync sentinel that says which setting is wrong.
func wooRewardsError(err error) error {
	switch {
	case errors.Is(err, woorewards.ErrUnauthorized), errors.Is(err, woorewards.ErrForbidden):
		return fmt.Errorf("%w (%w)", pointsync.ErrBadCredentials, err)
	case errors.Is(err, woorewards.ErrTransport):
		return fmt.Errorf("%w (%w)", pointsync.ErrUnreachable, err)
	}
	return err
}

// outcomeUnknown reports whether a failed Adjust may have been applied: the request may have
// reached WordPress (a transport error, a 5xx, a response that cannot be read) or ended with
// ctx. Other errors are answers that refused it, or checks that kept it from being sent.
func outcomeUnknown(err error) bool {
	return errors.Is(err, woorewards.ErrTransport) || errors.Is(err, woorewards.ErrServer) ||
		errors.Is(err, woorewards.ErrDecode) || errors.Is(err, context.Canceled) ||
		errors.Is(err, context.DeadlineExceeded)
}

// Deliver applies the batch's movements on the WooRewards site, each once (see the type's doc).
func (d *WooRewardsDeliverer) Deliver(ctx context.Context, _ pointsync.LocalSite, r pointsync.Remote, b *pointsync.Batch) error {
	c, err := d.client(r)
	if err != nil {
		return fmt.Errorf("pointsyncconnect: deliver to %s: %w", r.URL, err)
	}
	ids := make([]string, len(b.Movements))
	for i, m := range b.Movements {
		ids[i] = m.ID
	}
	pushes, err := d.log.Pushes(ctx, r.SharingKey, ids)
	if err != nil {
		return fmt.Errorf("pointsyncconnect: deliver to %s: %w", r.URL, err)
	}
	for _, m := range b.Movements {
		if m.Points == 0 {
			continue
		}
		if err := d.push(ctx, c, r, m, pushes[m.ID]); err != nil {
			return fmt.Errorf("pointsyncconnect: deliver movement %s to %s: %w", m.ID, r.URL, err)
		}
	}
	return nil
}

// push pushes m unless its record prev says it was applied.
func (d *WooRewardsDeliverer) push(ctx context.Context, c *woorewards.Client, r pointsync.Remote, m pointsync.Movement, prev Push) error {
	if prev.Done {
		return nil
	}
	email, pool := m.Member.Email, r.TargetReserve
	bal, _, err := c.Points.Get(ctx, email, pool)
	if err != nil {
		return wooRewardsError(err)
	}
	if prev.MovementID != "" { // an intent without completion
		switch bal.Points {
		case prev.Before + prev.Points:
			prev.Done, prev.After = true, bal.Points
			return d.log.PutPush(ctx, prev)
		case prev.Before: // not applied: pushed again below
		default:
			return &PushUnresolvedError{Push: prev, Balance: bal.Points}
		}
	}
	p := Push{Remote: r.SharingKey, MovementID: m.ID, Email: email, Pool: pool, Points: m.Points, Before: bal.Points}
	if err := d.log.PutPush(ctx, p); err != nil {
		return err
	}
	upd, _, err := c.Points.Adjust(ctx, email, pool, m.Points, wooRewardsReason(m))
	if err != nil {
		werr := wooRewardsError(err)
		if outcomeUnknown(err) {
			return werr // the intent stays: the next delivery decides from the balance
		}
		return errors.Join(werr, d.log.DeletePush(context.WithoutCancel(ctx), r.SharingKey, m.ID))
	}
	p.Done, p.After = true, upd.Points
	return d.log.PutPush(context.WithoutCancel(ctx), p)
}

// ResolvePush settles a push whose outcome is unknown (a *PushUnresolvedError), after an operator
// checked the member's points on the WooRewards site: applied true records it as done (it is
// never pushed again), false forgets it (the next delivery pushes it). Then resume the remote
// (pointsync.Sender.RetryNow).
func (d *WooRewardsDeliverer) ResolvePush(ctx context.Context, remote, movementID string, applied bool) error {
	pushes, err := d.log.Pushes(ctx, remote, []string{movementID})
	if err != nil {
		return fmt.Errorf("pointsyncconnect: resolve push of %s to %s: %w", movementID, remote, err)
	}
	p, ok := pushes[movementID]
	if !ok || p.Done {
		return fmt.Errorf("pointsyncconnect: resolve push of %s to %s: no push with an unknown outcome: %w", movementID, remote, pointsync.ErrInvalidArgument)
	}
	if !applied {
		err = d.log.DeletePush(ctx, remote, movementID)
	} else {
		p.Done, p.After = true, p.Before+p.Points
		err = d.log.PutPush(ctx, p)
	}
	if err != nil {
		return fmt.Errorf("pointsyncconnect: resolve push of %s to %s: %w", movementID, remote, err)
	}
	return nil
}

// wooRewardsReason is the movement's reason (its kind when empty), without "/" which some
// servers refuse in a path segment.
func wooRewardsReason(m pointsync.Movement) string {
	reason := m.Reason
	if reason == "" {
		reason = string(m.Kind)
	}
	return strings.ReplaceAll(reason, "/", "-")
}

// Drift is a member whose balance differs between a loyalsync program and a WooRewards pool.
type Drift struct {
	// Email is the member's normalised email.
	Email string
	// Local is the balance in the loyalsync program; Remote the one in the WooRewards pool
	// (0 with RemoteMissing when the site has no user with this email).
	Local, Remote int64
	RemoteMissing bool
}

// CheckDrift compares the balance of every member of the engine's observed program with the
// member's balance in the WooRewards remote's target pool, and returns the members whose
// balances differ. Since WooRewards cannot send its own movements back, this is how changes
// made on the WooRewards site (or movements applied twice after a lost response) are found.
// Run it when the remote's queue is empty, or queued movements show as drift.
func (d *WooRewardsDeliverer) CheckDrift(ctx context.Context, eng *loyalty.Engine, r pointsync.Remote) ([]Drift, error) {
	c, err := d.client(r)
	if err != nil {
		return nil, fmt.Errorf("pointsyncconnect: drift check of %s: %w", r.URL, err)
	}
	var out []Drift
	for ms, err := range eng.AllMembers(ctx, r.ObservedReserve) {
		if err != nil {
			return nil, fmt.Errorf("pointsyncconnect: drift check of %s: %w", r.URL, err)
		}
		if ms.Member.Email == "" {
			continue
		}
		dr := Drift{Email: ms.Member.Email, Local: ms.Account.Balance}
		bal, _, err := c.Points.Get(ctx, ms.Member.Email, r.TargetReserve)
		switch {
		case errors.Is(err, woorewards.ErrUserNotFound):
			dr.RemoteMissing = true
		case err != nil:
			return nil, fmt.Errorf("pointsyncconnect: drift check of %s: %w", r.URL, wooRewardsError(err))
		default:
			dr.Remote = bal.Points
		}
		if dr.Remote != dr.Local || dr.RemoteMissing {
			out = append(out, dr)
		}
	}
	return out, nil
}
