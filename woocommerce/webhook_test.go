package woocommerce

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const hookSecret = "wh-s3cret&amp;x"

// delivery builds the headers WooCommerce sends with a signed delivery of body.
func delivery(topic string, body []byte, secret string) http.Header {
	res, ev, _ := strings.Cut(topic, ".")
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("User-Agent", "WooCommerce/9.3.3 Hookshot (WordPress/6.6.2)")
	h.Set(HeaderWebhookSource, "https://shop.example.nl/")
	h.Set(HeaderWebhookTopic, topic)
	h.Set(HeaderWebhookResource, res)
	h.Set(HeaderWebhookEvent, ev)
	h.Set(HeaderWebhookSignature, Signature(body, secret))
	h.Set(HeaderWebhookID, "14")
	h.Set(HeaderWebhookDeliveryID, "5c1e0a7c8d2b7f1bd9e6b4c2a1f0e3d7")
	return h
}

func TestVerifySignature(t *testing.T) {
	t.Parallel()
	body := []byte(`{"id":1}`)
	sig := Signature(body, "secret")
	require.NoError(t, VerifySignature(body, sig, "secret"))
	assert.ErrorIs(t, VerifySignature(body, sig, "other"), ErrInvalidSignature)
	assert.ErrorIs(t, VerifySignature([]byte(`{"id":2}`), sig, "secret"), ErrInvalidSignature)
	assert.ErrorIs(t, VerifySignature(body, "", "secret"), ErrMissingSignature)
	assert.ErrorIs(t, VerifySignature(body, "not base64!", "secret"), ErrInvalidSignature)
	assert.ErrorIs(t, VerifySignature(body, sig[:10], "secret"), ErrInvalidSignature)
	assert.ErrorIs(t, VerifySignature(body, sig, ""), ErrNoSecret)
	assert.ErrorIs(t, VerifySignature(body, Signature(body, ""), ""), ErrNoSecret, "an empty secret is never accepted")

	// WooCommerce signs with the entity-decoded secret; both forms of the secret verify.
	decodedSig := Signature(body, "wh-s3cret&x")
	require.NoError(t, VerifySignature(body, decodedSig, hookSecret))
	require.NoError(t, VerifySignature(body, decodedSig, "wh-s3cret&x"))
}

func TestParseDeliveryResources(t *testing.T) {
	t.Parallel()
	order := readTestdata(t, "order.json")
	d, err := ParseDelivery(delivery("order.updated", order, hookSecret), order, hookSecret)
	require.NoError(t, err)
	assert.Equal(t, DeliveryResource, d.Kind)
	assert.Equal(t, "order", d.Resource)
	assert.Equal(t, "updated", d.Event)
	assert.Equal(t, int64(14), d.WebhookID)
	assert.Equal(t, "https://shop.example.nl/", d.Source)
	assert.Equal(t, int64(5120), d.ResourceID)
	require.NotNil(t, d.Order)
	assert.True(t, d.Order.Total.Equal(MustMoney("76.17")))
	assert.Nil(t, d.Product)

	variation := readTestdata(t, "quirks_variation.json")
	d, err = ParseDelivery(delivery("product.updated", variation, hookSecret), variation, hookSecret)
	require.NoError(t, err)
	require.NotNil(t, d.Product, "variations arrive as product deliveries")
	assert.Equal(t, StockManagedByParent, d.Product.ManageStock)

	coupon := readTestdata(t, "quirks_coupon.json")
	d, err = ParseDelivery(delivery("coupon.restored", coupon, hookSecret), coupon, hookSecret)
	require.NoError(t, err)
	require.NotNil(t, d.Coupon)
	assert.Equal(t, "restored", d.Event)

	customer := []byte(`{"id":37,"email":"saskia@example.nl","billing":{"city":"Amsterdam"}}`)
	d, err = ParseDelivery(delivery("customer.created", customer, hookSecret), customer, hookSecret)
	require.NoError(t, err)
	require.NotNil(t, d.Customer)
	assert.Equal(t, "Amsterdam", d.Customer.Billing.City)
}

func TestParseDeliveryDeletedActionAndPing(t *testing.T) {
	t.Parallel()
	deleted := []byte(`{"id":5120}`)
	d, err := ParseDelivery(delivery("order.deleted", deleted, hookSecret), deleted, hookSecret)
	require.NoError(t, err)
	assert.Equal(t, DeliveryDeleted, d.Kind)
	assert.Equal(t, int64(5120), d.ResourceID)
	assert.Nil(t, d.Order)

	action := []byte(`{"action":"woocommerce_order_status_completed","arg":5120}`)
	d, err = ParseDelivery(delivery("action.woocommerce_order_status_completed", action, hookSecret), action, hookSecret)
	require.NoError(t, err)
	assert.Equal(t, DeliveryAction, d.Kind)
	assert.Equal(t, "woocommerce_order_status_completed", d.Action.Action)
	assert.JSONEq(t, `5120`, string(d.Action.Arg))

	ping := []byte("webhook_id=14")
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	d, err = ParseDelivery(h, ping, hookSecret)
	require.NoError(t, err)
	assert.Equal(t, DeliveryPing, d.Kind)
	assert.Equal(t, int64(14), d.WebhookID)

	// Anything else unsigned is refused.
	for _, body := range []string{"webhook_id=0", "webhook_id=14&x=1", "webhook_id=abc", `{"id":1}`, ""} {
		_, err := ParseDelivery(h, []byte(body), hookSecret)
		assert.ErrorIs(t, err, ErrMissingSignature, body)
	}
	// A signed body that is not a delivery is refused after verification.
	bad := []byte(`[1,2]`)
	_, err = ParseDelivery(delivery("order.updated", bad, hookSecret), bad, hookSecret)
	assert.ErrorIs(t, err, ErrInvalidDelivery)
	noTopic := delivery("order.updated", deleted, hookSecret)
	noTopic.Del(HeaderWebhookTopic)
	noTopic.Del(HeaderWebhookResource)
	_, err = ParseDelivery(noTopic, deleted, hookSecret)
	assert.ErrorIs(t, err, ErrInvalidDelivery)
	_, err = ParseDelivery(h, ping, "")
	assert.ErrorIs(t, err, ErrNoSecret)
}

func TestWebhookHandler(t *testing.T) {
	t.Parallel()
	var got []*Delivery
	h, err := NewWebhookHandler(hookSecret, func(ctx context.Context, d *Delivery) error {
		if d.ResourceID == 666 {
			return errors.New("store unavailable")
		}
		got = append(got, d)
		return nil
	}, WithMaxBodyBytes(1<<16), nil)
	require.NoError(t, err, "a nil option is ignored")
	send := func(method string, header http.Header, body []byte) int {
		r := httptest.NewRequest(method, "/hooks/wc", strings.NewReader(string(body)))
		for k, v := range header {
			r.Header[k] = v
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	order := readTestdata(t, "order.json")
	assert.Equal(t, http.StatusOK, send("POST", delivery("order.created", order, hookSecret), order))
	require.Len(t, got, 1)
	assert.Equal(t, int64(5120), got[0].Order.ID)

	assert.Equal(t, http.StatusUnauthorized, send("POST", delivery("order.created", order, "wrong"), order))
	unsigned := delivery("order.created", order, hookSecret)
	unsigned.Del(HeaderWebhookSignature)
	assert.Equal(t, http.StatusUnauthorized, send("POST", unsigned, order))
	assert.Equal(t, http.StatusOK, send("POST", http.Header{}, []byte("webhook_id=14")), "the ping gets exactly 200")
	assert.Len(t, got, 1, "the ping does not reach the callback by default")
	assert.Equal(t, http.StatusMethodNotAllowed, send("GET", nil, nil))
	big := []byte(`{"id":1,"pad":"` + strings.Repeat("x", 1<<16) + `"}`)
	assert.Equal(t, http.StatusRequestEntityTooLarge, send("POST", delivery("order.updated", big, hookSecret), big))
	bad := []byte(`"not an object"`)
	assert.Equal(t, http.StatusBadRequest, send("POST", delivery("order.updated", bad, hookSecret), bad))
	failing := []byte(`{"id":666}`)
	assert.Equal(t, http.StatusInternalServerError, send("POST", delivery("order.deleted", failing, hookSecret), failing))
	assert.Len(t, got, 1)

	var pings int
	hp, err := NewWebhookHandler("s", func(_ context.Context, d *Delivery) error {
		if d.Kind == DeliveryPing {
			pings++
		}
		return nil
	}, WithPings())
	require.NoError(t, err)
	w := httptest.NewRecorder()
	hp.ServeHTTP(w, httptest.NewRequest("POST", "/", strings.NewReader("webhook_id=3")))
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, 1, pings)
}

// Bad handler arguments are errors, not panics or silently ignored values.
func TestWebhookHandlerArgumentsValidated(t *testing.T) {
	t.Parallel()
	ok := func(context.Context, *Delivery) error { return nil }
	_, err := NewWebhookHandler("", ok)
	assert.ErrorIs(t, err, ErrNoSecret)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = NewWebhookHandler("s", nil)
	assert.ErrorIs(t, err, ErrInvalidArgument)
	for _, o := range []WebhookHandlerOption{WithMaxBodyBytes(0), WithMaxBodyBytes(-1), WithWebhookLogger(nil)} {
		h, err := NewWebhookHandler("s", ok, o)
		assert.Nil(t, h)
		assert.ErrorIs(t, err, ErrInvalidArgument)
		assert.ErrorContains(t, err, "woocommerce: new webhook handler: With")
	}
}
