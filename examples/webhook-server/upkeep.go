package main

import (
	"context"
	"time"

	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
)

// pruneEvery is how often receipts and activity older than -retention are deleted.
const pruneEvery = 24 * time.Hour

// start connects, then catches up on what happened while the server was down: it repairs a
// webhook WooCommerce disabled meanwhile, reconciles from the last reconciled point, finishes
// interrupted redemptions and prunes old receipts.
func (a *app) start(ctx context.Context) error {
	if err := a.connect(ctx); err != nil {
		return err
	}
	a.checkWebhook(ctx, true)
	a.reconcile(ctx)
	a.recover(ctx)
	a.prune(ctx)
	return nil
}

// maintain runs the upkeep until ctx ends: every cfg.Reconcile (reconcile, recover, check
// the webhook), Recover again as soon as a waiting reservation reaches the recover age, and
// a prune every day.
func (a *app) maintain(ctx context.Context) {
	now := a.cfg.Clock.Now()
	var nextPass time.Time
	if a.cfg.Reconcile > 0 {
		nextPass = now.Add(a.cfg.Reconcile)
	}
	nextPrune := now.Add(pruneEvery)
	for {
		next := nextPrune
		for _, t := range []time.Time{nextPass, a.recoverAt} {
			if !t.IsZero() && t.Before(next) {
				next = t
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-a.cfg.After(max(next.Sub(now), 0)):
		}
		now = a.cfg.Clock.Now()
		if !nextPass.IsZero() && !now.Before(nextPass) {
			a.reconcile(ctx)
			a.recover(ctx)
			a.checkWebhook(ctx, false)
			nextPass = now.Add(a.cfg.Reconcile)
		} else if !a.recoverAt.IsZero() && !now.Before(a.recoverAt) {
			a.recover(ctx)
		}
		if !now.Before(nextPrune) {
			a.prune(ctx)
			nextPrune = now.Add(pruneEvery)
		}
		if a.cfg.upkept != nil {
			a.cfg.upkept()
		}
	}
}

// reconcile applies the orders modified since the last reconciled point (kept in the
// database, so downtime of any length is caught up), no further back than -max-lookback.
func (a *app) reconcile(ctx context.Context) {
	rep, err := a.woo.ReconcileSinceLast(ctx, a.connectionID(), a.cfg.MaxLookback)
	if rep.Bounded {
		a.log.WarnContext(ctx, "reconcile: the last reconciled point is older than -max-lookback: orders modified in between "+
			"were NOT reconciled; to include them, restart once with a larger -max-lookback",
			"left_out_from", rep.Skipped.Format(time.RFC3339), "left_out_until", rep.Since.Format(time.RFC3339),
			"max_lookback", a.cfg.MaxLookback.String())
	}
	if err != nil {
		a.log.WarnContext(ctx, "reconcile", "err", err)
		return
	}
	a.log.InfoContext(ctx, "reconciled", "since", rep.Since.Format(time.RFC3339), "orders", rep.Orders,
		"unchanged", rep.Unchanged, "outcomes", rep.ByOutcome)
}

// recover finishes interrupted redemptions and remembers when the first reservation too young
// to touch reaches the recover age (Recover runs again then).
func (a *app) recover(ctx context.Context) {
	rec, err := a.woo.Engine().Recover(ctx)
	a.recoverAt = rec.NextAt
	if err != nil {
		a.log.WarnContext(ctx, "recover redemptions", "err", err)
		return
	}
	if rec.Issued+rec.Released+rec.Pending+len(rec.Waiting) > 0 {
		a.log.InfoContext(ctx, "recovered redemptions", "issued", rec.Issued, "released", rec.Released, "pending", rec.Pending,
			"waiting", len(rec.Waiting), "next_at", rec.NextAt)
	}
}

// prune deletes receipts and activity older than -retention.
func (a *app) prune(ctx context.Context) {
	rep, err := a.woo.Engine().Prune(ctx, a.cfg.Retention)
	if err != nil {
		a.log.WarnContext(ctx, "prune", "err", err)
		return
	}
	if rep.Receipts+rep.Activity > 0 {
		a.log.InfoContext(ctx, "pruned", "before", rep.Before.Format(time.RFC3339), "receipts", rep.Receipts, "activity", rep.Activity)
	}
}

// checkWebhook reads the webhook's status in the store and warns when it does not deliver. At
// start-up a webhook WooCommerce disabled (after the failed deliveries of this server's
// downtime) or that was deleted is repaired; a webhook someone paused is left to them.
func (a *app) checkWebhook(ctx context.Context, startUp bool) {
	id := a.connectionID()
	st, err := a.woo.CheckWebhook(ctx, id)
	if err != nil {
		a.log.WarnContext(ctx, "check webhook", "err", err)
		return
	}
	if st.Fix == "" {
		return
	}
	repairable := st.Registered && (st.State == wooconnect.WebhookStateDisabled || st.State == wooconnect.WebhookStateMissing)
	if !startUp || !repairable {
		a.log.WarnContext(ctx, "webhook does not deliver", "status", st.Summary, "fix", st.Fix, "check_error", st.CheckError)
		return
	}
	res, err := a.woo.RepairWebhook(ctx, id, "webhook-server")
	if err != nil {
		a.log.WarnContext(ctx, "webhook does not deliver; repair failed", "status", st.Summary, "err", err)
		return
	}
	a.log.InfoContext(ctx, "webhook repaired at start-up", "was", st.Summary, "webhook_id", res.WebhookID,
		"reconciled", res.Reconciled.Orders)
}
