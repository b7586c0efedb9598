package pointsyncconnect

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

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
// changed there drifts from the others (compare balances to find it). WooRewards takes no
// idempotency key either: the deliverer remembers, in memory, which movements each remote has
// accepted, so a batch retried after a partial failure does not add them again; but an add whose
// response was lost (or a restart between an add and its acknowledgement) may be applied twice.
// A member unknown to the WooRewards site is an error that keeps the batch queued until the
// user exists there.
type WooRewardsDeliverer struct {
	opts []woorewards.Option

	mu   sync.Mutex
	sent map[string]bool // "<remote>/<movement id>" accepted, of batches not yet fully applied
}

var _ pointsync.Deliverer = (*WooRewardsDeliverer)(nil)

// NewWooRewardsDeliverer returns a deliverer whose clients take opts (such as
// woorewards.WithHTTPClient).
func NewWooRewardsDeliverer(opts ...woorewards.Option) *WooRewardsDeliverer {
	return &WooRewardsDeliverer{opts: opts, sent: map[string]bool{}}
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

// Deliver applies the batch's movements on the WooRewards site, skipping those it accepted
// before.
func (d *WooRewardsDeliverer) Deliver(ctx context.Context, _ pointsync.LocalSite, r pointsync.Remote, b *pointsync.Batch) error {
	c, err := d.client(r)
	if err != nil {
		return fmt.Errorf("pointsyncconnect: deliver to %s: %w", r.URL, err)
	}
	for _, m := range b.Movements {
		key := r.SharingKey + "/" + m.ID
		d.mu.Lock()
		done := d.sent[key]
		d.mu.Unlock()
		if done || m.Points == 0 {
			continue
		}
		if _, _, err := c.Points.Adjust(ctx, m.Member.Email, r.TargetReserve, m.Points, wooRewardsReason(m)); err != nil {
			return fmt.Errorf("pointsyncconnect: deliver movement %s to %s: %w", m.ID, r.URL, wooRewardsError(err))
		}
		d.mu.Lock()
		d.sent[key] = true
		d.mu.Unlock()
	}
	// The whole batch is applied: the queue acknowledges it, so its movements need no memory.
	d.mu.Lock()
	for _, m := range b.Movements {
		delete(d.sent, r.SharingKey+"/"+m.ID)
	}
	d.mu.Unlock()
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
