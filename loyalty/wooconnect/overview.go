package wooconnect

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
)

// OverviewWindow is the window of the delivery counts.
const OverviewWindow = 24 * time.Hour

// Overview answers "is it working?" for one connection, as the Overview and Activity tabs show
// it. It holds the webhook secret (to recreate the webhook): Redacted drops it, and LogValue
// keeps it out of logs.
type Overview struct {
	Connection Connection `json:"connection"`
	// Webhook is the webhook status: registered automatically (with its id) or the manual
	// set-up instructions.
	Webhook WebhookStatus `json:"webhook"`
	// LastDeliveryAt is when the latest correctly signed delivery arrived; while it is zero,
	// LastDeliveryHint suggests placing a test order.
	LastDeliveryAt   time.Time `json:"last_delivery_at"`
	LastDeliveryHint string    `json:"last_delivery_hint,omitempty"`
	// Since starts the 24-hour window of the counts.
	Since time.Time `json:"since"`
	// Processed, Ignored (ignored, duplicate and skipped) and Failed count the program's
	// deliveries in the window.
	Processed int `json:"processed"`
	Ignored   int `json:"ignored"`
	Failed    int `json:"failed"`
	// LastFailure is the most recent failed delivery with a hint (nil when none).
	LastFailure *Failure `json:"last_failure,omitempty"`
	// Receipts are the recent deliveries from this store, newest first, with outcome and
	// reason.
	Receipts []loyalty.Receipt `json:"receipts"`
	// Activity is the program's recent activity log, newest first.
	Activity []loyalty.ActivityEntry `json:"activity"`
}

// WebhookStatus is the webhook part of the Overview.
type WebhookStatus struct {
	// Registered is set when the webhook was registered automatically; ID is its id.
	Registered bool  `json:"registered"`
	ID         int64 `json:"id,omitempty"`
	// State is the webhook's status as the store reports it (WebhookStateActive, ...; empty
	// when disconnected), read at most every WebhookStatusTTL; CheckedAt is when it was read
	// and CheckError why it could not be.
	State      string    `json:"state,omitempty"`
	CheckedAt  time.Time `json:"checked_at,omitzero"`
	CheckError string    `json:"check_error,omitempty"`
	// Summary is the one-line status: "Webhook registered automatically (ID 12)", "Webhook
	// disabled by WooCommerce (ID 12)", "Manual setup required" or "Disconnected".
	Summary string `json:"summary"`
	// Fix says what to do when the webhook does not deliver (Connector.RepairWebhook for a
	// registered one); empty when it does.
	Fix string `json:"fix,omitempty"`
	// DeliveryURL and Secret are what the webhook in WooCommerce must use.
	DeliveryURL string `json:"delivery_url"`
	Secret      string `json:"secret,omitempty"`
	// Manual holds the manual set-up instructions (nil when registered).
	Manual *ManualSetup `json:"manual,omitempty"`
}

// CheckWebhook returns the webhook part of the Overview without the secret: the status read
// from the store (at most every WebhookStatusTTL), the summary and the fix. Monitoring loops
// call it to warn when WooCommerce disabled the webhook.
func (c *Connector) CheckWebhook(ctx context.Context, connectionID string) (WebhookStatus, error) {
	rec, err := c.conns.Connection(ctx, connectionID)
	if err != nil {
		return WebhookStatus{}, err
	}
	st := c.webhookStatus(ctx, rec, c.view(rec, ""), "")
	st.Manual = nil
	return st, nil
}

func (c *Connector) webhookStatus(ctx context.Context, rec ConnectionRecord, view Connection, secret string) WebhookStatus {
	st := WebhookStatus{Registered: rec.WebhookID != 0, ID: rec.WebhookID, DeliveryURL: view.DeliveryURL,
		Secret: secret, Manual: view.Manual}
	if rec.Disconnected {
		st.Summary = "Disconnected"
		return st
	}
	st.setState(c.webhookState(ctx, rec))
	return st
}

// setState fills the state read from the store, the summary and the fix.
func (w *WebhookStatus) setState(chk webhookCheck) {
	w.State, w.CheckedAt, w.CheckError = chk.state, chk.at, chk.err
	w.Fix = webhookFix(chk.state, !w.Registered)
	switch {
	case w.Registered && chk.state == WebhookStateDisabled:
		w.Summary = fmt.Sprintf("Webhook disabled by WooCommerce after failed deliveries (ID %d)", w.ID)
	case w.Registered && chk.state == WebhookStatePaused:
		w.Summary = fmt.Sprintf("Webhook paused in WooCommerce (ID %d)", w.ID)
	case w.Registered && chk.state == WebhookStateMissing:
		w.Summary = fmt.Sprintf("Webhook deleted from WooCommerce (ID %d)", w.ID)
	case w.Registered:
		w.Summary = fmt.Sprintf("Webhook registered automatically (ID %d)", w.ID)
	case chk.state == WebhookStateActive:
		w.Summary = "Webhook set up by hand"
	default:
		w.Summary = "Manual setup required"
	}
}

// Failure is a failed delivery with advice.
type Failure struct {
	At      time.Time `json:"at"`
	OrderID string    `json:"order_id,omitempty"`
	Reason  string    `json:"reason"`
	Hint    string    `json:"hint"`
}

// NoDeliveryHint is shown while no delivery has arrived.
const NoDeliveryHint = "No webhook delivery yet: place a test order to see the first points arrive."

// Overview returns the monitoring view of a connection: webhook status, last delivery, the
// 24-hour counts, the most recent failure with a hint, recent receipts (up to limit, default 20)
// and recent activity.
func (c *Connector) Overview(ctx context.Context, connectionID string, limit int) (Overview, error) {
	if limit <= 0 {
		limit = 20
	}
	rec, err := c.conns.Connection(ctx, connectionID)
	if err != nil {
		return Overview{}, err
	}
	secret := c.webhookSecret(rec)
	ov := Overview{Connection: c.view(rec, secret), LastDeliveryAt: rec.LastDeliveryAt}
	ov.Webhook = c.webhookStatus(ctx, rec, ov.Connection, secret)
	if rec.LastDeliveryAt.IsZero() {
		ov.LastDeliveryHint = NoDeliveryHint
	}
	st, err := c.eng.DeliveryStats(ctx, rec.ProgramID, OverviewWindow)
	if err != nil {
		return Overview{}, err
	}
	ov.Since, ov.Processed, ov.Ignored, ov.Failed = st.Since, st.Processed, st.Ignored, st.Failed
	if f := st.LastFailure; f != nil {
		ov.LastFailure = &Failure{At: f.ReceivedAt, OrderID: f.OrderID, Reason: f.Reason, Hint: FailureHint(f.Reason)}
	}
	// Receipts are program-wide; keep this store's, reading a bounded number of pages.
	opts := loyalty.PageOptions{Limit: 200}
	for range 10 {
		rs, cursor, err := c.eng.Receipts(ctx, rec.ProgramID, "", opts)
		if err != nil {
			return Overview{}, err
		}
		for _, r := range rs {
			if r.Store == rec.StoreURL && len(ov.Receipts) < limit {
				ov.Receipts = append(ov.Receipts, r)
			}
		}
		if cursor == 0 || len(ov.Receipts) == limit {
			break
		}
		opts.Cursor = cursor
	}
	if ov.Activity, _, err = c.eng.Activity(ctx, rec.ProgramID, loyalty.PageOptions{Limit: limit}); err != nil {
		return Overview{}, err
	}
	return ov, nil
}

// FailureHint returns advice for a failed delivery's reason.
func FailureHint(reason string) string {
	switch {
	case strings.HasPrefix(reason, "signature"):
		return "The webhook secret in WooCommerce does not match. Recreate the webhook with the secret from the Overview."
	case strings.HasPrefix(reason, "unreadable delivery"), strings.Contains(reason, "invalid"):
		return "WooCommerce sent an order the platform cannot read. Check that the webhook topic is Order updated and the API version is v3."
	}
	return "The delivery could not be processed. WooCommerce does not retry: once the cause is fixed, reconcile orders since the failure."
}

// Redacted returns a copy without the webhook secret, for monitoring endpoints.
func (o Overview) Redacted() Overview {
	o.Webhook.Secret = ""
	if o.Webhook.Manual != nil {
		m := *o.Webhook.Manual
		m.Secret = ""
		o.Webhook.Manual = &m
	}
	if o.Connection.Manual != nil {
		m := *o.Connection.Manual
		m.Secret = ""
		o.Connection.Manual = &m
	}
	return o
}

// LogValue keeps the secret out of logs.
func (o Overview) LogValue() slog.Value {
	return slog.GroupValue(slog.String("connection", o.Connection.ID), slog.String("webhook", o.Webhook.Summary),
		slog.Time("last_delivery_at", o.LastDeliveryAt), slog.Int("processed", o.Processed),
		slog.Int("ignored", o.Ignored), slog.Int("failed", o.Failed))
}
