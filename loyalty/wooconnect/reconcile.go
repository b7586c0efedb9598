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
// Orders the engine fails on are counted as failed and the walk goes on; the error joins their
// errors. An error reading the store ends the walk.
func (c *Connector) Reconcile(ctx context.Context, connectionID string, since time.Time) (ReconcileReport, error) {
	rep := ReconcileReport{ByOutcome: map[loyalty.Outcome]int{}}
	rec, err := c.conns.Connection(ctx, connectionID)
	if err != nil {
		return rep, err
	}
	switch rec.State() {
	case StateDisconnected:
		return rep, fmt.Errorf("%w: %s", ErrDisconnected, rec.StoreURL)
	case StatePaused:
		return rep, fmt.Errorf("%w: %s", ErrPaused, rec.StoreURL)
	}
	client, _, err := c.open(rec)
	if err != nil {
		return rep, err
	}
	rep.Since = since.UTC()
	if floor := rec.ProcessingSince.UTC(); floor.After(rep.Since) {
		rep.Since = floor
	}
	opts := &woocommerce.OrderListOptions{
		ListOptions: woocommerce.ListOptions{PerPage: woocommerce.MaxPerPage, OrderBy: "id", Order: woocommerce.Ascending},
		DateFilter:  woocommerce.DateFilter{ModifiedAfter: modifiedAfter(rep.Since)},
	}
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
