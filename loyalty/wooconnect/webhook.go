package wooconnect

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// SignatureHint is the advice attached to a delivery whose signature does not match.
const SignatureHint = "the webhook secret in WooCommerce does not match: recreate the webhook with the secret shown in the Overview"

// DeliveryResponse is the JSON body Handler answers with. WooCommerce shows it in the webhook's
// delivery log.
type DeliveryResponse struct {
	Outcome loyalty.Outcome `json:"outcome"`
	Reason  string          `json:"reason,omitempty"`
}

// Handler returns the webhook endpoint. Mount it at the URL given to WithWebhookURL (with
// http.StripPrefix or a pattern ending in "/"): the last path segment names the connection.
//
// For each POST it reads at most the body limit (413 above; 503 when the bodies being read at
// once would exceed the memory budget, see WithMaxWebhookMemory), answers WooCommerce's unsigned
// creation ping with 200, verifies X-WC-Webhook-Signature with the connection's secret and
// hands order payloads to the engine. Answers:
//
//   - 200 with the outcome for processed, duplicate, ignored and skipped deliveries (paused
//     connections included), and for topics other than orders, so WooCommerce never disables
//     the webhook over a delivery that was correctly not acted on;
//   - 401 for a missing or wrong signature, recorded as a failed receipt whose reason says to
//     recreate the webhook with the secret from the Overview;
//   - 400 for a signed delivery that cannot be read, 422 for an order the engine refuses as
//     invalid (both recorded as failed receipts);
//   - 500 when the engine could not process the delivery (a store outage): WooCommerce does not
//     redeliver, so run Reconcile afterwards;
//   - 404 for an unknown connection, 410 for a disconnected one, 405 for other methods.
//
// While deliveries come in, the connection's record is read from the ConnectionStore at most
// once a second. Pausing, resuming, disconnecting or connecting through this Connector applies
// at once; done by another instance sharing the stores, within that second (a paused or
// disconnected program skips deliveries meanwhile, and a changed webhook secret is read at
// once, at the first delivery signed with it).
func (c *Connector) Handler() http.Handler { return http.HandlerFunc(c.serveWebhook) }

func writeDelivery(w http.ResponseWriter, status int, outcome loyalty.Outcome, reason string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(DeliveryResponse{Outcome: outcome, Reason: reason})
}

func (c *Connector) serveWebhook(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	id := path.Base(strings.TrimRight(r.URL.Path, "/"))
	rec, cached, ok := c.webhookConnection(ctx, w, id, false)
	if !ok {
		return
	}
	body, status := c.readBody(w, r, rec)
	if status != 0 {
		return
	}
	if _, ok := woocommerce.IsPing(r.Header, body); ok {
		writeDelivery(w, http.StatusOK, loyalty.OutcomeIgnored, "ping")
		return
	}
	d, ok, err := c.parseDelivery(ctx, w, r.Header, body, rec)
	if !ok {
		return
	}
	if cached && errors.Is(err, woocommerce.ErrInvalidSignature) {
		// The record was read a moment ago, but the secret may have changed since (the store
		// was connected again through another instance): check against the stored one.
		if rec, _, ok = c.webhookConnection(ctx, w, id, true); !ok {
			return
		}
		if d, ok, err = c.parseDelivery(ctx, w, r.Header, body, rec); !ok {
			return
		}
	}
	switch {
	case errors.Is(err, woocommerce.ErrMissingSignature), errors.Is(err, woocommerce.ErrInvalidSignature):
		reason := "signature mismatch: " + SignatureHint
		if errors.Is(err, woocommerce.ErrMissingSignature) {
			reason = "signature missing: " + SignatureHint
		}
		c.fail(ctx, rec, loyalty.DeliveryFailure{Store: rec.StoreURL, Reason: reason})
		writeDelivery(w, http.StatusUnauthorized, loyalty.OutcomeFailed, reason)
		return
	case err != nil:
		reason := "unreadable delivery: " + err.Error()
		c.fail(ctx, rec, loyalty.DeliveryFailure{Store: rec.StoreURL, Reason: reason})
		writeDelivery(w, http.StatusBadRequest, loyalty.OutcomeFailed, reason)
		return
	}
	// The last delivery time is kept to the second: one write per second at most.
	if now := c.now(); now.Sub(rec.LastDeliveryAt) >= time.Second {
		if err := c.conns.RecordDelivery(ctx, rec.ID, now); err != nil {
			c.log.WarnContext(ctx, "wooconnect: record delivery time", "connection", rec.ID, "err", err)
		} else {
			c.records.delivered(rec.ID, now)
		}
	}
	if d.Order == nil {
		// Another topic (a webhook someone added by hand) or an order deletion: nothing to do.
		c.log.InfoContext(ctx, "wooconnect: delivery ignored", "connection", rec.ID, "topic", d.Topic)
		writeDelivery(w, http.StatusOK, loyalty.OutcomeIgnored, "topic "+d.Topic+" is not used: only "+WebhookTopic+" is needed")
		return
	}
	res, err := c.eng.ProcessOrder(ctx, rec.ProgramID, OrderEvent(rec.StoreURL, d.Order))
	switch {
	case errors.Is(err, loyalty.ErrInvalid):
		writeDelivery(w, http.StatusUnprocessableEntity, loyalty.OutcomeFailed, res.Reason)
	case err != nil:
		c.log.ErrorContext(ctx, "wooconnect: process order", "connection", rec.ID, "order", d.Order.ID, "err", err)
		writeDelivery(w, http.StatusInternalServerError, loyalty.OutcomeFailed, "the delivery could not be processed")
	default:
		writeDelivery(w, http.StatusOK, res.Outcome, res.Reason)
	}
}

// webhookConnection returns the record of the connection a delivery is for (a recent copy
// unless fresh; cached says when it was one). When there is none, it cannot be read or it is
// disconnected, it answers the request (404, 500, 410) and returns false.
func (c *Connector) webhookConnection(ctx context.Context, w http.ResponseWriter, id string, fresh bool) (rec ConnectionRecord, cached, ok bool) {
	rec, cached, err := c.deliveryRecord(ctx, id, fresh)
	switch {
	case errors.Is(err, ErrConnectionNotFound):
		http.Error(w, "unknown connection", http.StatusNotFound)
		return rec, false, false
	case err != nil:
		c.log.ErrorContext(ctx, "wooconnect: load connection", "connection", id, "err", err)
		http.Error(w, "connection unavailable", http.StatusInternalServerError)
		return rec, false, false
	case rec.Disconnected:
		http.Error(w, "connection disconnected", http.StatusGone)
		return rec, false, false
	}
	return rec, cached, true
}

// parseDelivery verifies and decodes a delivery with the connection's webhook secret. When the
// stored credentials cannot be opened it answers 500 and returns ok false.
func (c *Connector) parseDelivery(ctx context.Context, w http.ResponseWriter, h http.Header, body []byte, rec ConnectionRecord) (d *woocommerce.Delivery, ok bool, err error) {
	_, cr, err := c.open(rec)
	if err != nil {
		c.log.ErrorContext(ctx, "wooconnect: open credentials", "connection", rec.ID, "err", err)
		http.Error(w, "connection unavailable", http.StatusInternalServerError)
		return nil, false, nil
	}
	d, err = woocommerce.ParseDelivery(h, body, cr.WebhookSecret)
	return d, true, err
}

// readBody reads a delivery's body within the body limit and the memory budget. When it cannot,
// it answers the request and returns the status it answered: 413 for a body over the limit, 503
// when the budget is spent, 400 for a body that could not be read.
func (c *Connector) readBody(w http.ResponseWriter, r *http.Request, rec ConnectionRecord) ([]byte, int) {
	ctx := r.Context()
	tooBig := func() ([]byte, int) {
		c.fail(ctx, rec, loyalty.DeliveryFailure{Store: rec.StoreURL,
			Reason: "delivery body larger than " + strconv.FormatInt(c.maxBody, 10) + " bytes"})
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return nil, http.StatusRequestEntityTooLarge
	}
	if r.ContentLength > c.maxBody {
		return tooBig()
	}
	reserve := c.maxBody
	if r.ContentLength >= 0 {
		reserve = r.ContentLength
	}
	if !c.bodies.reserve(reserve) {
		w.Header().Set("Retry-After", "1")
		http.Error(w, "too many deliveries in flight", http.StatusServiceUnavailable)
		return nil, http.StatusServiceUnavailable
	}
	defer c.bodies.release(reserve)
	buf := bytes.NewBuffer(make([]byte, 0, min(reserve, c.maxBody)+1))
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, c.maxBody))
	var mbe *http.MaxBytesError
	switch {
	case errors.As(err, &mbe):
		return tooBig()
	case err != nil:
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return nil, http.StatusBadRequest
	}
	return buf.Bytes(), 0
}

// fail records a failed receipt for a delivery that never reached the engine (the engine
// aggregates repeated failures) and logs a warning, at most one per connection per minute
// with the number held back.
func (c *Connector) fail(ctx context.Context, rec ConnectionRecord, f loyalty.DeliveryFailure) {
	if err := c.eng.RecordDeliveryFailure(ctx, rec.ProgramID, f); err != nil {
		c.log.WarnContext(ctx, "wooconnect: record failed delivery", "connection", rec.ID, "err", err)
	}
	if ok, held := c.warnings.allow(rec.ID, c.now()); ok {
		c.log.WarnContext(ctx, "wooconnect: delivery failed", "connection", rec.ID, "reason", f.Reason,
			"similar_warnings_held_back", held)
	}
}

// OrderEvent translates a WooCommerce order into the engine's event: the order id, status,
// total (shipping and taxes included, as WooCommerce reports it), currency, billing name and
// email, and the refunded total (the sum of the order's refunds). Nothing else of the order is
// used. storeURL identifies the store.
func OrderEvent(storeURL string, o *woocommerce.Order) loyalty.OrderEvent {
	refunded := decimal.Zero
	for _, r := range o.Refunds {
		refunded = refunded.Add(r.Total.Abs())
	}
	return loyalty.OrderEvent{
		Store:         storeURL,
		OrderID:       strconv.FormatInt(o.ID, 10),
		Status:        string(o.Status),
		Total:         o.Total.Decimal,
		Currency:      o.Currency,
		BillingName:   strings.TrimSpace(strings.TrimSpace(o.Billing.FirstName) + " " + strings.TrimSpace(o.Billing.LastName)),
		BillingEmail:  strings.TrimSpace(o.Billing.Email),
		RefundedTotal: refunded,
	}
}
