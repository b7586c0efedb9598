package main

import (
	"context"
	"time"

	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
)

// start connects, then catches up on what happened while the server was down: it repairs a
// webhook WooCommerce disabled meanwhile, reconciles from the last reconciled point and
// finishes interrupted redemptions.
func (a *app) start(ctx context.Context) error {
	if err := a.connect(ctx); err != nil {
		return err
	}
	a.checkWebhook(ctx, true)
	a.reconcile(ctx)
	a.recover(ctx)
	return nil
}

// maintain runs the upkeep every cfg.Reconcile until ctx ends.
func (a *app) maintain(ctx context.Context) {
	if a.cfg.Reconcile <= 0 {
		return
	}
	for {
		select {
		case <-ctx.Done():
			return
		case <-a.cfg.After(a.cfg.Reconcile):
		}
		a.reconcile(ctx)
		a.recover(ctx)
		a.checkWebhook(ctx, false)
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

// recover finishes interrupted redemptions.
func (a *app) recover(ctx context.Context) {
	rec, err := a.woo.Engine().Recover(ctx)
	if err != nil {
		a.log.WarnContext(ctx, "recover redemptions", "err", err)
		return
	}
	if rec.Issued+rec.Released+rec.Pending > 0 {
		a.log.InfoContext(ctx, "recovered redemptions", "issued", rec.Issued, "released", rec.Released, "pending", rec.Pending)
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
