package wooconnect

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// ReconcileReport counts what Reconcile did.
type ReconcileReport struct {
	// Since is where the walk started, inclusive: the requested time, or the moment processing
	// last started when that is later (no back-fill of paused periods).
	Since time.Time
	// Orders is the number of orders read from the store.
	Orders int
	// Unchanged counts orders skipped without touching the engine: already applied in their
	// current state, or in a status that awards nothing and never did.
	Unchanged int
	// ByOutcome counts the outcomes of the orders handed to the engine.
	ByOutcome map[loyalty.Outcome]int
	// Through is the connection's last reconciled point after the pass: when the walk succeeded
	// and joined the previous point, the moment it started; the earlier point otherwise.
	Through time.Time
	// Bounded is set by ReconcileSinceLast when the last reconciled point was further back than
	// its bound: orders modified between Skipped and Since were not reconciled.
	Bounded bool
	Skipped time.Time
}

// ReconcileOverlap is how far before the last reconciled point ReconcileSinceLast starts, to
// cover the clock difference between this host and the store's and orders saved while the
// previous walk ran. Orders read twice are harmless.
const ReconcileOverlap = 2 * time.Minute

// ReconcileSinceLast reconciles the orders modified since the connection's last reconciled
// point (ReconciledThrough less ReconcileOverlap; when it has none, since processing started)
// and, when the walk succeeds, moves the point to the moment the walk started — so a process
// that was down for longer than its reconcile interval catches up on restart. maxBack bounds
// how far back it goes (0: no bound): when the point is older, the walk starts maxBack ago,
// the report's Bounded and Skipped say what was left out (log it), and the point moves on
// anyway.
func (c *Connector) ReconcileSinceLast(ctx context.Context, connectionID string, maxBack time.Duration) (ReconcileReport, error) {
	rec, err := c.conns.Connection(ctx, connectionID)
	if err != nil {
		return ReconcileReport{ByOutcome: map[loyalty.Outcome]int{}}, err
	}
	since := reconciledPoint(rec).Add(-ReconcileOverlap)
	var skipped time.Time
	if floor := c.now().Add(-maxBack); maxBack > 0 && since.Before(floor) {
		skipped, since = since, floor
	}
	rep, err := c.reconcile(ctx, connectionID, since, true)
	if !skipped.IsZero() && skipped.Before(rep.Since) {
		rep.Bounded, rep.Skipped = true, skipped
	}
	return rep, err
}

// reconciledPoint is where the connection's reconciled orders end: ReconciledThrough, or
// ProcessingSince when it was never reconciled (nothing before it is processed anyway).
func reconciledPoint(rec ConnectionRecord) time.Time {
	if rec.ReconciledThrough.After(rec.ProcessingSince) {
		return rec.ReconciledThrough
	}
	return rec.ProcessingSince
}

// Reconcile walks the store's orders modified at or after since (oldest id first) and applies
// each one's current state, idempotently. WooCommerce never redelivers a failed webhook and
// coalesces queued deliveries, so run it after an outage or periodically, from the previous
// run's start. It never looks back past the connection's ProcessingSince, so orders from a
// paused period are not back-filled. A paused or disconnected connection is refused.
//
// since is inclusive. WooCommerce keeps modification times in whole seconds and its
// modified_after filter is exclusive, so the walk asks for orders modified after the second
// before since: orders of since's own second are read, and orders of the second before it may
// be read again, which is harmless because applying an order twice changes nothing.
//
// A successful walk that starts at or before the connection's last reconciled point moves the
// point to the moment the walk started (see ReconcileSinceLast).
//
// Orders the engine fails on are counted as failed and the walk goes on; the error joins their
// errors. An error reading the store ends the walk.
func (c *Connector) Reconcile(ctx context.Context, connectionID string, since time.Time) (ReconcileReport, error) {
	return c.reconcile(ctx, connectionID, since, false)
}

// reconcile walks the orders modified since; on success it moves the reconciled point to the
// walk's start when the walk joined the previous point or advance is set.
func (c *Connector) reconcile(ctx context.Context, connectionID string, since time.Time, advance bool) (ReconcileReport, error) {
	rep := ReconcileReport{ByOutcome: map[loyalty.Outcome]int{}}
	rec, client, _, err := c.openActive(ctx, connectionID)
	if err != nil {
		return rep, err
	}
	started := c.now().Truncate(time.Microsecond) // as the SQL stores keep it
	rep.Through = rec.ReconciledThrough
	rep.Since = since.UTC()
	if floor := rec.ProcessingSince.UTC(); floor.After(rep.Since) {
		rep.Since = floor
	}
	// StableOrder (ascending ids) over a set that only grows (modified after a fixed time): an
	// order created or modified during the walk is read once at most, and none is missed.
	opts := &woocommerce.OrderListOptions{ListOptions: woocommerce.StableOrder(),
		DateFilter: woocommerce.DateFilter{ModifiedAfter: modifiedAfter(rep.Since)}}
	opts.PerPage = woocommerce.MaxPerPage
	var errs []error
	for o, err := range client.Orders.All(ctx, opts) {
		if err != nil {
			return rep, fmt.Errorf("wooconnect: reconcile %s: %w", rec.StoreURL, errors.Join(append(errs, err)...))
		}
		rep.Orders++
		ev := OrderEvent(rec.StoreURL, &o)
		if c.unchanged(ctx, rec.ProgramID, ev) {
			rep.Unchanged++
			continue
		}
		res, err := c.eng.ProcessOrder(ctx, rec.ProgramID, ev)
		rep.ByOutcome[res.Outcome]++
		if err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return rep, fmt.Errorf("wooconnect: reconcile %s: %w", rec.StoreURL, err)
	}
	if advance || !rep.Since.After(reconciledPoint(rec)) {
		if err := c.conns.RecordReconciled(ctx, rec.ID, started); err != nil {
			return rep, err
		}
		rep.Through = started
	}
	return rep, nil
}

// unchanged reports whether handing ev to the engine cannot change anything, so that a
// reconciliation pass does not fill the receipts with duplicates. It errs on the side of
// processing.
func (c *Connector) unchanged(ctx context.Context, programID string, ev loyalty.OrderEvent) bool {
	var (
		state loyalty.OrderState
		found bool
	)
	err := c.eng.Store().View(ctx, func(tx loyalty.ReadTx) error {
		var err error
		state, err = tx.OrderState(ctx, programID, ev.Store, ev.OrderID)
		found = err == nil
		if errors.Is(err, loyalty.ErrNotFound) {
			return nil
		}
		return err
	})
	if err != nil {
		return false
	}
	status := loyalty.NormalizeStatus(ev.Status)
	switch {
	case !found:
		// Never seen: only statuses that may award or refund matter.
		return status != loyalty.StatusProcessing && status != loyalty.StatusCompleted && status != loyalty.StatusRefunded
	case state.Refunded:
		return true
	case state.Awarded():
		return status != loyalty.StatusRefunded && !ev.RefundedTotal.GreaterThan(state.RefundedTotal)
	}
	return false
}

// modifiedAfter returns the exclusive, whole-second modified_after bound that includes every
// order modified at or after since.
func modifiedAfter(since time.Time) time.Time {
	return since.UTC().Truncate(time.Second).Add(-time.Second)
}

// openActive returns an active connection with a client for its store; a paused or
// disconnected one is refused.
func (c *Connector) openActive(ctx context.Context, connectionID string) (ConnectionRecord, *woocommerce.Client, credentials, error) {
	rec, err := c.conns.Connection(ctx, connectionID)
	if err != nil {
		return rec, nil, credentials{}, err
	}
	switch rec.State() {
	case StateDisconnected:
		return rec, nil, credentials{}, fmt.Errorf("%w: %s", ErrDisconnected, rec.StoreURL)
	case StatePaused:
		return rec, nil, credentials{}, fmt.Errorf("%w: %s", ErrPaused, rec.StoreURL)
	}
	client, cr, err := c.open(rec)
	return rec, client, cr, err
}
