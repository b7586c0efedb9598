package loyalty

import (
	"context"
	"fmt"
	"time"
)

// RecordActivity appends an entry to a program's activity log; adapters use it for
// connections, disconnections and sign-ins. A zero At is set to now.
func (e *Engine) RecordActivity(ctx context.Context, a ActivityEntry) error {
	if a.Kind == "" {
		return invalid("ActivityEntry.Kind", "is required")
	}
	if a.At.IsZero() {
		a.At = e.now()
	}
	a.At = a.At.UTC()
	a.Seq = 0
	return e.update(ctx, func(tx Tx) error {
		if _, err := loadProgram(ctx, tx, a.ProgramID); err != nil {
			return err
		}
		return tx.AppendActivity(ctx, a)
	})
}

// Activity returns one page of a program's activity log, newest first, and the cursor of the
// next page (0 at the end).
func (e *Engine) Activity(ctx context.Context, programID string, opts PageOptions) ([]ActivityEntry, int64, error) {
	return listPage(ctx, e, opts, func(a ActivityEntry) int64 { return a.Seq }, func(tx ReadTx, p Page) ([]ActivityEntry, error) {
		return tx.Activity(ctx, programID, p)
	})
}

// DeliveryFailure is a delivery an adapter rejected before it reached the engine (a bad
// signature, an unreadable body), for RecordDeliveryFailure.
type DeliveryFailure struct {
	Store, OrderID, Status string
	// Email is hashed with the engine's salt; it is never stored.
	Email string
	// Reason says what went wrong and, ideally, how to fix it.
	Reason string
}

// RecordDeliveryFailure records a failed receipt for a delivery an adapter could not hand to
// ProcessOrder. Such deliveries are not authenticated, so that a flood of them cannot grow
// the Store without bound failures are aggregated: a failure from the same store with the
// same reason as the store's latest failed receipt, within the same minute, adds one to that
// receipt's Count (and sets its LastAt) instead of adding a receipt.
func (e *Engine) RecordDeliveryFailure(ctx context.Context, programID string, f DeliveryFailure) error {
	now := e.now()
	return e.update(ctx, func(tx Tx) error {
		if _, err := loadProgram(ctx, tx, programID); err != nil {
			return err
		}
		last, err := tx.LatestReceipt(ctx, programID, f.Store, OutcomeFailed)
		switch {
		case err == nil && last.Reason == f.Reason && last.ReceivedAt.Truncate(time.Minute).Equal(now.Truncate(time.Minute)):
			return tx.AddReceiptCount(ctx, last.Seq, 1, now)
		case err != nil && !isNotFound(err):
			return err
		}
		return tx.AppendReceipt(ctx, Receipt{ProgramID: programID, Store: f.Store, OrderID: f.OrderID,
			Status: f.Status, Outcome: OutcomeFailed, Reason: f.Reason, EmailHash: hashEmail(e.salt, f.Email), ReceivedAt: now})
	})
}

// DefaultRetention is how long Prune keeps receipts and activity by default.
const DefaultRetention = 90 * 24 * time.Hour

// PruneReport says what Prune deleted.
type PruneReport struct {
	// Before is the cut-off: receipts received and activity dated before it were deleted.
	Before time.Time
	// Receipts and Activity count the deleted records of every program.
	Receipts, Activity int
}

// Prune deletes the delivery receipts and activity entries of every program older than
// retention (DefaultRetention when retention is zero or negative), in transactions of at
// most 5,000 rows of each, so that a first prune of a large store does not hold the
// writer for long. Run it daily. The ledger, members, order states and redemptions are kept.
func (e *Engine) Prune(ctx context.Context, retention time.Duration) (PruneReport, error) {
	if retention <= 0 {
		retention = DefaultRetention
	}
	rep := PruneReport{Before: e.now().Add(-retention)}
	var programs []Program
	if err := e.store.View(ctx, func(tx ReadTx) (err error) {
		programs, err = tx.Programs(ctx)
		return err
	}); err != nil {
		return rep, fmt.Errorf("loyalty: prune: %w", err)
	}
	for _, p := range programs {
		for {
			var c PruneCounts
			err := e.update(ctx, func(tx Tx) (err error) {
				c, err = tx.Prune(ctx, p.ID, rep.Before, e.pruneBatch)
				return err
			})
			if err != nil {
				return rep, fmt.Errorf("loyalty: prune program %q: %w", p.ID, err)
			}
			rep.Receipts += c.Receipts
			rep.Activity += c.Activity
			if c.Receipts < e.pruneBatch && c.Activity < e.pruneBatch {
				break
			}
		}
	}
	return rep, nil
}

// recordFailure records a failed receipt for an order delivery, best effort.
func (e *Engine) recordFailure(ctx context.Context, programID string, ev OrderEvent, cause error, now time.Time) {
	if ctx.Err() != nil {
		ctx = context.WithoutCancel(ctx)
	}
	err := e.update(ctx, func(tx Tx) error {
		return tx.AppendReceipt(ctx, Receipt{ProgramID: programID, Store: ev.Store, OrderID: ev.OrderID,
			Status: string(NormalizeStatus(ev.Status)), Outcome: OutcomeFailed, Reason: cause.Error(),
			EmailHash: hashEmail(e.salt, ev.BillingEmail), ReceivedAt: now})
	})
	if err != nil {
		e.logger.WarnContext(ctx, "loyalty: record failed delivery", "program", programID, "order", ev.OrderID,
			"cause", cause, "err", err)
	}
}

// Receipts returns one page of a program's delivery receipts, newest first (only those with
// outcome when it is not empty), and the cursor of the next page (0 at the end).
func (e *Engine) Receipts(ctx context.Context, programID string, outcome Outcome, opts PageOptions) ([]Receipt, int64, error) {
	return listPage(ctx, e, opts, func(r Receipt) int64 { return r.Seq }, func(tx ReadTx, p Page) ([]Receipt, error) {
		return tx.Receipts(ctx, programID, outcome, p)
	})
}

// DeliveryStats counts a program's deliveries over the last window (24 hours when window is
// zero) and returns the most recent delivery and failure.
func (e *Engine) DeliveryStats(ctx context.Context, programID string, window time.Duration) (DeliveryStats, error) {
	if window <= 0 {
		window = 24 * time.Hour
	}
	st := DeliveryStats{Since: e.now().Add(-window)}
	err := e.store.View(ctx, func(tx ReadTx) error {
		counts, err := tx.CountReceipts(ctx, programID, st.Since)
		if err != nil {
			return err
		}
		st.ByOutcome = counts
		st.Processed = counts[OutcomeProcessed]
		st.Ignored = counts[OutcomeIgnored] + counts[OutcomeDuplicate] + counts[OutcomeSkipped]
		st.Failed = counts[OutcomeFailed]
		for _, o := range []Outcome{"", OutcomeFailed} {
			rs, err := tx.Receipts(ctx, programID, o, Page{Limit: 1})
			if err != nil {
				return err
			}
			if len(rs) == 1 {
				if o == "" {
					st.LastDelivery = &rs[0]
				} else {
					st.LastFailure = &rs[0]
				}
			}
		}
		return nil
	})
	if err != nil {
		return DeliveryStats{}, fmt.Errorf("loyalty: delivery stats: %w", err)
	}
	return st, nil
}
