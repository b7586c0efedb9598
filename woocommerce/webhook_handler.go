package woocommerce

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// DefaultMaxWebhookBody is the largest delivery body NewWebhookHandler reads (an order with
// hundreds of lines is well below it).
const DefaultMaxWebhookBody = 8 << 20

// WebhookHandlerOption configures NewWebhookHandler. Options validate their arguments:
// NewWebhookHandler returns the first error an option reports. A nil option is ignored.
type WebhookHandlerOption func(*webhookHandler) error

// WithMaxBodyBytes sets the largest body the handler reads; larger requests get 413. n must be
// positive.
func WithMaxBodyBytes(n int64) WebhookHandlerOption {
	return func(h *webhookHandler) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxBodyBytes: %d is not a positive size (%w)", n, ErrInvalidArgument)
		}
		h.maxBody = n
		return nil
	}
}

// WithWebhookLogger logs rejected deliveries and callback errors to l. nil is an error.
func WithWebhookLogger(l *slog.Logger) WebhookHandlerOption {
	return func(h *webhookHandler) error {
		if l == nil {
			return fmt.Errorf("WithWebhookLogger: nil *slog.Logger (%w)", ErrInvalidArgument)
		}
		h.log = l
		return nil
	}
}

// WithPings hands the unsigned creation ping to the callback as a DeliveryPing too. By default the
// handler answers a ping with 200 itself (WooCommerce needs exactly 200 to mark the webhook as
// delivered) without calling the callback.
func WithPings() WebhookHandlerOption {
	return func(h *webhookHandler) error { h.pings = true; return nil }
}

type webhookHandler struct {
	secret  string
	fn      func(context.Context, *Delivery) error
	maxBody int64
	log     *slog.Logger
	pings   bool
}

// NewWebhookHandler returns an http.Handler that receives WooCommerce webhook deliveries: it reads
// at most the body limit, verifies the signature with secret, decodes the delivery and calls fn with
// the request's context. It answers
//
//   - 200 when fn returns nil, and for the creation ping;
//   - 401 for a missing or wrong signature (fn is not called);
//   - 400 for a signed delivery that cannot be decoded, 405 for a method other than POST, 413 for
//     a body over the limit;
//   - 500 when fn returns an error. WooCommerce does not retry: it counts the failure and disables
//     the webhook after repeated failures, so record the delivery durably before returning nil, and
//     reconcile from the REST API (e.g. Orders.All with ModifiedAfter) for what was missed.
//
// An empty secret (which would accept forged deliveries) is an error matching ErrNoSecret and
// ErrInvalidArgument; a nil fn, or an option given an invalid value, one matching
// ErrInvalidArgument.
func NewWebhookHandler(secret string, fn func(ctx context.Context, d *Delivery) error, opts ...WebhookHandlerOption) (http.Handler, error) {
	if secret == "" {
		return nil, fmt.Errorf("woocommerce: new webhook handler: %w (%w)", ErrNoSecret, ErrInvalidArgument)
	}
	if fn == nil {
		return nil, fmt.Errorf("woocommerce: new webhook handler: nil callback (%w)", ErrInvalidArgument)
	}
	h := &webhookHandler{secret: secret, fn: fn, maxBody: DefaultMaxWebhookBody, log: slog.New(slog.DiscardHandler)}
	if err := rest.ApplyOptions(h, opts); err != nil {
		return nil, fmt.Errorf("woocommerce: new webhook handler: %w", err)
	}
	return h, nil
}

func (h *webhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.maxBody))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	d, err := ParseDelivery(r.Header, body, h.secret)
	switch {
	case errors.Is(err, ErrMissingSignature) || errors.Is(err, ErrInvalidSignature):
		h.log.LogAttrs(r.Context(), slog.LevelWarn, "woocommerce webhook rejected", slog.String("error", err.Error()),
			slog.String("remote", r.RemoteAddr))
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	case err != nil:
		h.log.LogAttrs(r.Context(), slog.LevelWarn, "woocommerce webhook undecodable", slog.String("error", err.Error()))
		http.Error(w, "invalid delivery", http.StatusBadRequest)
		return
	}
	if d.Kind == DeliveryPing && !h.pings {
		w.WriteHeader(http.StatusOK)
		return
	}
	if err := h.fn(r.Context(), d); err != nil {
		h.log.LogAttrs(r.Context(), slog.LevelError, "woocommerce webhook callback failed", slog.String("topic", d.Topic),
			slog.Int64("webhook_id", d.WebhookID), slog.String("error", err.Error()))
		http.Error(w, "delivery not processed", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}
