package wooconnect

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// WebhookStatusTTL is how long the Overview reuses the webhook status it read from the store.
const WebhookStatusTTL = 30 * time.Second

// RepairLookback is how far before the last good delivery RepairWebhook reconciles from.
// WooCommerce queues deliveries (Action Scheduler), so an order changed shortly before the last
// delivery that arrived may be one whose own delivery failed.
const RepairLookback = 10 * time.Minute

// Webhook states the Overview reports, as read from the store.
const (
	// WebhookStateActive: the webhook delivers.
	WebhookStateActive = "active"
	// WebhookStatePaused: someone paused the webhook in WordPress admin; nothing is delivered.
	WebhookStatePaused = "paused"
	// WebhookStateDisabled: WooCommerce disabled the webhook after a run of failed deliveries
	// (an outage of this receiver); nothing is delivered until it is re-activated.
	WebhookStateDisabled = "disabled"
	// WebhookStateMissing: the webhook is not in the store any more (deleted by hand).
	WebhookStateMissing = "missing"
	// WebhookStateUnknown: the store could not be asked (CheckError says why).
	WebhookStateUnknown = "unknown"
)

// webhookCheck is the last reading of a connection's webhook in the store.
type webhookCheck struct {
	state string
	id    int64
	err   string
	at    time.Time
}

type webhookChecks struct {
	mu sync.Mutex
	m  map[string]webhookCheck
}

// webhookState returns the state of the connection's webhook in the store, read at most once
// per WebhookStatusTTL (on the connector's clock). The webhook is looked up by its id, or by the
// connection's delivery URL when it has none (a webhook made by hand).
func (c *Connector) webhookState(ctx context.Context, rec ConnectionRecord) webhookCheck {
	now := c.now()
	c.checks.mu.Lock()
	chk, ok := c.checks.m[rec.ID]
	c.checks.mu.Unlock()
	if ok && chk.id == rec.WebhookID && now.Sub(chk.at) < WebhookStatusTTL && !now.Before(chk.at) {
		return chk
	}
	chk = c.readWebhookState(ctx, rec)
	chk.at = now
	c.checks.mu.Lock()
	if c.checks.m == nil {
		c.checks.m = map[string]webhookCheck{}
	}
	c.checks.m[rec.ID] = chk
	c.checks.mu.Unlock()
	return chk
}

func (c *Connector) forgetWebhookState(id string) {
	c.checks.mu.Lock()
	delete(c.checks.m, id)
	c.checks.mu.Unlock()
}

func (c *Connector) readWebhookState(ctx context.Context, rec ConnectionRecord) webhookCheck {
	chk := webhookCheck{id: rec.WebhookID, state: WebhookStateUnknown}
	client, _, err := c.open(rec)
	if err != nil {
		chk.err = err.Error()
		return chk
	}
	if rec.WebhookID != 0 {
		wh, _, err := client.Webhooks.Get(ctx, rec.WebhookID)
		switch {
		case err == nil:
			chk.state = webhookState(wh.Status)
		case errors.Is(err, woocommerce.ErrNotFound):
			chk.state = WebhookStateMissing
		default:
			chk.err = err.Error()
		}
		return chk
	}
	deliveryURL := c.DeliveryURL(rec.ID)
	chk.state = WebhookStateMissing
	for wh, err := range client.Webhooks.All(ctx, &woocommerce.WebhookListOptions{ListOptions: woocommerce.ListOptions{PerPage: 100}}) {
		if err != nil {
			return webhookCheck{id: rec.WebhookID, state: WebhookStateUnknown, err: err.Error()}
		}
		if wh.DeliveryURL == deliveryURL && wh.Topic == WebhookTopic {
			if s := webhookState(wh.Status); chk.state != WebhookStateActive {
				chk.state = s
			}
		}
	}
	return chk
}

func webhookState(s woocommerce.WebhookStatus) string {
	switch s {
	case woocommerce.WebhookActive:
		return WebhookStateActive
	case woocommerce.WebhookPaused:
		return WebhookStatePaused
	case woocommerce.WebhookDisabled:
		return WebhookStateDisabled
	}
	return WebhookStateUnknown
}

// webhookFix says what to do about a webhook state; "" when nothing is needed.
func webhookFix(state string, manual bool) string {
	switch state {
	case WebhookStateDisabled, WebhookStatePaused, WebhookStateMissing:
		what := map[string]string{
			WebhookStateDisabled: "WooCommerce disabled the webhook after repeated failed deliveries, so no orders arrive",
			WebhookStatePaused:   "the webhook is paused in WordPress admin, so no orders arrive",
			WebhookStateMissing:  "the webhook is not in the store any more, so no orders arrive",
		}[state]
		if manual {
			return what + ": set it back to Active (or recreate it) in WooCommerce → Settings → Advanced → Webhooks, then reconcile orders since the last delivery"
		}
		return what + ": repair the connection (re-activates the webhook and reconciles the orders missed since the last delivery)"
	case WebhookStateUnknown:
		return "the store could not be asked for the webhook's status; check that the store is reachable"
	}
	return ""
}

// RepairResult says what RepairWebhook did.
type RepairResult struct {
	// WebhookID is the webhook now active (0 when it could not be registered: Manual says why).
	WebhookID int64
	// Manual explains, when set, why the webhook must be fixed by hand.
	Manual string
	// Reconciled is the reconciliation from the last good delivery.
	Reconciled ReconcileReport
}

// RepairWebhook brings a connection's deliveries back after WooCommerce disabled its webhook
// (or someone paused or deleted it): it re-activates the webhook (or registers it again), then
// reconciles the orders modified since RepairLookback before the last good delivery (or since
// processing started when none arrived), so nothing from the outage is lost. It is safe to
// call at any time: on a healthy connection it only re-reads recent orders, idempotently.
func (c *Connector) RepairWebhook(ctx context.Context, connectionID, actor string) (RepairResult, error) {
	var res RepairResult
	if actor == "" {
		actor = "partner"
	}
	rec, err := c.repairRegistration(ctx, connectionID, &res)
	if err != nil {
		return res, err
	}
	since := rec.ProcessingSince
	if !rec.LastDeliveryAt.IsZero() {
		since = rec.LastDeliveryAt.Add(-RepairLookback)
	}
	res.Reconciled, err = c.Reconcile(ctx, rec.ID, since)
	msg := fmt.Sprintf("repaired %s: webhook %d active; reconciled %d orders since %s", rec.StoreURL, res.WebhookID,
		res.Reconciled.Orders, res.Reconciled.Since.Format(time.RFC3339))
	if res.WebhookID == 0 {
		msg = fmt.Sprintf("repair of %s: the webhook needs manual set-up (%s); reconciled %d orders since %s", rec.StoreURL,
			res.Manual, res.Reconciled.Orders, res.Reconciled.Since.Format(time.RFC3339))
	}
	if aerr := c.eng.RecordActivity(ctx, loyalty.ActivityEntry{ProgramID: rec.ProgramID, Kind: loyalty.ActivityConnected,
		Actor: actor, Store: rec.StoreURL, Message: msg}); aerr != nil {
		err = errors.Join(err, aerr)
	}
	c.log.InfoContext(ctx, "wooconnect: webhook repaired", "connection", rec.ID, "webhook_id", res.WebhookID,
		"reconciled", res.Reconciled.Orders)
	return res, err
}

// repairRegistration re-activates (or registers again) the connection's webhook.
func (c *Connector) repairRegistration(ctx context.Context, connectionID string, res *RepairResult) (ConnectionRecord, error) {
	c.connectMu.Lock()
	defer c.connectMu.Unlock()
	rec, client, cr, err := c.openActive(ctx, connectionID)
	if err != nil {
		return rec, err
	}
	rec.WebhookID, rec.ManualReason = c.ensureWebhook(ctx, client, rec, cr.WebhookSecret)
	rec.UpdatedAt = c.now()
	if err := c.saveConnection(ctx, rec, false); err != nil {
		return rec, err
	}
	c.forgetWebhookState(rec.ID)
	res.WebhookID, res.Manual = rec.WebhookID, rec.ManualReason
	return rec, nil
}
