package woocommercetest_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// receiver is a webhook endpoint that records what it gets and answers with status(n) for the
// n-th request (0-based).
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	status func(n int) int
}

type received struct {
	header http.Header
	body   []byte
}

func newReceiver(t *testing.T, status func(n int) int) *receiver {
	t.Helper()
	r := &receiver{status: status}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		n := len(r.got)
		r.got = append(r.got, received{req.Header.Clone(), body})
		r.mu.Unlock()
		code := http.StatusOK
		if r.status != nil {
			code = r.status(n)
		}
		if code == http.StatusFound || code == http.StatusMovedPermanently {
			w.Header().Set("Location", "/elsewhere")
		}
		w.WriteHeader(code)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

// signed returns the deliveries other than pings, verified and decoded with the client's parser.
func (r *receiver) signed(t *testing.T, secret string) []*woocommerce.Delivery {
	t.Helper()
	var out []*woocommerce.Delivery
	for _, g := range r.requests() {
		d, err := woocommerce.ParseDelivery(g.header, g.body, secret)
		require.NoError(t, err, "body %s", g.body)
		if d.Kind != woocommerce.DeliveryPing {
			out = append(out, d)
		}
	}
	return out
}

func flush(t *testing.T, srv *woocommercetest.Server) {
	t.Helper()
	require.NoError(t, srv.FlushWebhooks(ctxT(t)))
}

func TestWebhookCRUDAndPing(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	rcv := newReceiver(t, nil)
	w, resp, err := c.Webhooks.Create(ctx, &woocommerce.WebhookRequest{Name: woocommerce.Ptr("Orders"),
		Topic: woocommerce.Ptr("order.created"), DeliveryURL: woocommerce.Ptr(rcv.URL), Secret: woocommerce.Ptr("s3cret")})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, woocommerce.WebhookStatus("active"), w.Status)
	assert.Equal(t, "order", w.Resource)
	assert.Equal(t, "created", w.Event)
	assert.Equal(t, []string{"woocommerce_new_order"}, w.Hooks)
	assert.NotContains(t, string(resp.Body), "s3cret", "the secret is write-only")
	assert.NotContains(t, string(resp.Body), `"secret"`)

	// The creation ping was sent before the response: unsigned, form-encoded, no X-WC headers.
	got := rcv.requests()
	require.Len(t, got, 1)
	assert.Equal(t, "webhook_id="+itoa(w.ID), string(got[0].body))
	assert.Empty(t, got[0].header.Get("X-WC-Webhook-Signature"))
	assert.Empty(t, got[0].header.Get("X-WC-Webhook-Topic"))
	assert.Regexp(t, `^WooCommerce/10\.\d+\.\d+ Hookshot \(WordPress/[\d.]+\)$`, got[0].header.Get("User-Agent"), "deliver_ping's User-Agent")
	id, ok := woocommerce.IsPing(got[0].header, got[0].body)
	assert.True(t, ok)
	assert.Equal(t, w.ID, id)
	logged := srv.Deliveries()
	require.Len(t, logged, 1)
	assert.True(t, logged[0].Ping)
	assert.Equal(t, http.StatusOK, logged[0].StatusCode)

	w, _, err = c.Webhooks.Update(ctx, w.ID, &woocommerce.WebhookRequest{Status: woocommerce.Ptr(woocommerce.WebhookStatus("paused"))})
	require.NoError(t, err)
	assert.Equal(t, woocommerce.WebhookStatus("paused"), w.Status)
	list, _, err := c.Webhooks.List(ctx, &woocommerce.WebhookListOptions{Status: "paused"})
	require.NoError(t, err)
	assert.Len(t, list, 1)

	_, _, err = c.Webhooks.Create(ctx, &woocommerce.WebhookRequest{Topic: woocommerce.Ptr("order.shipped"), DeliveryURL: woocommerce.Ptr(rcv.URL)})
	ae := apiError(t, err)
	assert.Equal(t, "woocommerce_rest_shop_webhook_invalid_topic", ae.Code)
	assert.Equal(t, "Webhook topic is required and must be valid.", ae.Message)
	_, _, err = c.Webhooks.Create(ctx, &woocommerce.WebhookRequest{Topic: woocommerce.Ptr("order.updated"), DeliveryURL: woocommerce.Ptr("ftp://x")})
	assert.Equal(t, "woocommerce_rest_shop_webhook_invalid_delivery_url", apiError(t, err).Code)

	// Without a secret WooCommerce generates one; it can be read back only through the helper.
	w2, _, err := c.Webhooks.Create(ctx, &woocommerce.WebhookRequest{Topic: woocommerce.Ptr("coupon.updated"), DeliveryURL: woocommerce.Ptr(rcv.URL)})
	require.NoError(t, err)
	stored, ok := srv.Webhook(w2.ID)
	require.True(t, ok)
	assert.Len(t, stored.Secret, 50)

	resp2, _ := signedCall(t, srv, http.MethodDelete, "webhooks/"+itoa(w2.ID), "")
	assert.Equal(t, http.StatusNotImplemented, resp2.StatusCode)
	_, _, err = c.Webhooks.Delete(ctx, w2.ID)
	require.NoError(t, err)
	_, _, err = c.Webhooks.Get(ctx, w2.ID)
	assert.ErrorIs(t, err, woocommerce.ErrNotFound)
}

func TestWebhookDeliveriesVerifyWithTheClient(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	const secret = "s3cret & <more>"
	rcv := newReceiver(t, nil)
	hooks := map[string]int64{}
	for _, topic := range []string{"order.created", "order.updated", "order.deleted", "order.restored",
		"product.created", "product.updated", "product.deleted", "coupon.created", "coupon.deleted",
		"customer.created", "customer.updated", "customer.deleted"} {
		w, _, err := c.Webhooks.Create(ctx, &woocommerce.WebhookRequest{Topic: woocommerce.Ptr(topic),
			DeliveryURL: woocommerce.Ptr(rcv.URL), Secret: woocommerce.Ptr(secret)})
		require.NoError(t, err)
		hooks[topic] = w.ID
	}

	cu, _, err := c.Customers.Create(ctx, &woocommerce.CustomerRequest{Email: woocommerce.Ptr("ann@example.com")})
	require.NoError(t, err)
	p, _, err := c.Products.Create(ctx, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Mug"), RegularPrice: price("10")})
	require.NoError(t, err)
	o, _, err := c.Orders.Create(ctx, &woocommerce.OrderRequest{CustomerID: woocommerce.Ptr(cu.ID), PaymentMethod: woocommerce.Ptr("stripe"),
		LineItems: []woocommerce.LineItemRequest{{ProductID: p.ID}}})
	require.NoError(t, err)
	_, _, err = c.Orders.Update(ctx, o.ID, &woocommerce.OrderRequest{Status: woocommerce.Ptr(woocommerce.OrderCompleted)})
	require.NoError(t, err)
	flush(t, srv)
	_, _, err = c.Refunds.Create(ctx, o.ID, &woocommerce.RefundRequest{Amount: woocommerce.Ptr(money("4"))})
	require.NoError(t, err)
	flush(t, srv)
	_, _, err = c.Orders.Delete(ctx, o.ID, false)
	require.NoError(t, err)
	require.NoError(t, srv.Restore(o.ID))
	cp, _, err := c.Coupons.Create(ctx, &woocommerce.CouponRequest{Code: woocommerce.Ptr("x1")})
	require.NoError(t, err)
	_, _, err = c.Coupons.Delete(ctx, cp.ID, true)
	require.NoError(t, err)
	_, _, err = c.Products.Delete(ctx, p.ID, true)
	require.NoError(t, err)
	_, _, err = c.Customers.Delete(ctx, cu.ID, 0)
	require.NoError(t, err)
	flush(t, srv)

	deliveries := rcv.signed(t, secret) // every one verifies with the client's parser
	var topics []string
	seen := map[string]bool{}
	for _, d := range deliveries {
		topics = append(topics, d.Topic)
		assert.Equal(t, hooks[d.Topic], d.WebhookID)
		assert.Equal(t, srv.HomeURL()+"/", d.Source)
		assert.False(t, seen[d.DeliveryID], "delivery ids are unique")
		seen[d.DeliveryID] = true
	}
	assert.Equal(t, []string{
		"customer.created", "product.created", "order.created", "order.updated", "customer.updated", // paid customer
		"order.updated", // the refund
		"order.deleted", "order.restored", "coupon.created", "coupon.deleted", "product.deleted", "customer.deleted",
	}, topics)

	byTopic := map[string]*woocommerce.Delivery{}
	for _, d := range deliveries {
		byTopic[d.Topic] = d
	}
	require.NotNil(t, byTopic["order.created"].Order)
	assert.Equal(t, o.ID, byTopic["order.created"].ResourceID)
	assert.Equal(t, woocommerce.DeliveryDeleted, byTopic["product.deleted"].Kind)
	assert.JSONEq(t, `{"id":`+itoa(p.ID)+`}`, string(byTopic["product.deleted"].Payload))
	assert.Equal(t, woocommerce.OrderCompleted, byTopic["order.restored"].Order.Status)

	// The refund's order.updated carries the order with its refund, as GET returns it.
	refundDelivery := deliveries[5]
	require.Len(t, refundDelivery.Order.Refunds, 1)
	assertMoney(t, "-4.00", refundDelivery.Order.Refunds[0].Total)

	// Headers as WooCommerce sends them.
	h := rcv.requests()[len(hooks)].header // first delivery after the pings
	assert.Equal(t, "application/json", h.Get("Content-Type"))
	assert.Contains(t, h.Get("User-Agent"), "WooCommerce/")
	for _, name := range []string{"X-WC-Webhook-Source", "X-WC-Webhook-Topic", "X-WC-Webhook-Resource", "X-WC-Webhook-Event",
		"X-WC-Webhook-Signature", "X-WC-Webhook-ID", "X-WC-Webhook-Delivery-ID"} {
		assert.NotEmpty(t, h.Get(name), name)
	}
	// A receiver with another secret rejects every delivery.
	for _, g := range rcv.requests()[len(hooks):] {
		assert.ErrorIs(t, woocommerce.VerifySignature(g.body, g.header.Get("X-WC-Webhook-Signature"), "other"), woocommerce.ErrInvalidSignature)
	}
}

func TestWebhookPayloadIsTheStateAtDeliveryTime(t *testing.T) {
	t.Parallel()
	for _, coalesce := range []bool{false, true} {
		opts := []woocommercetest.Option{woocommercetest.WithManualDeliveries(), woocommercetest.WithoutPing()}
		if coalesce {
			opts = append(opts, woocommercetest.WithCoalescedDeliveries())
		}
		srv, c := store(t, opts...)
		ctx := ctxT(t)
		rcv := newReceiver(t, nil)
		_, err := srv.AddWebhook("order.updated", rcv.URL, "k")
		require.NoError(t, err)
		id, err := srv.AddOrder(woocommercetest.Order{})
		require.NoError(t, err)
		for _, st := range []woocommerce.OrderStatus{woocommerce.OrderProcessing, woocommerce.OrderOnHold, woocommerce.OrderCompleted} {
			_, _, err := c.Orders.Update(ctx, id, &woocommerce.OrderRequest{Status: woocommerce.Ptr(st)})
			require.NoError(t, err)
		}
		assert.Empty(t, rcv.requests(), "nothing is sent before the queue runs")
		want := 3
		if coalesce {
			want = 1
		}
		assert.Equal(t, want, srv.PendingDeliveries())
		flush(t, srv)
		ds := rcv.signed(t, "k")
		require.Len(t, ds, want, "coalesce=%v", coalesce)
		for _, d := range ds {
			assert.Equal(t, woocommerce.OrderCompleted, d.Order.Status, "every payload is built when it is sent")
		}
	}
}

func TestWebhookFailuresDisableTheWebhook(t *testing.T) {
	t.Parallel()
	srv, c := store(t, woocommercetest.WithoutPing())
	ctx := ctxT(t)
	// 302 and 301 count as success (no redirect is followed), 404 and 500 as failures.
	rcv := newReceiver(t, func(n int) int {
		switch n {
		case 0:
			return http.StatusFound
		case 1:
			return http.StatusMovedPermanently
		case 2:
			return http.StatusNotFound
		case 3:
			return http.StatusOK
		}
		return http.StatusInternalServerError
	})
	wid, err := srv.AddWebhook("customer.updated", rcv.URL, "k")
	require.NoError(t, err)
	cid, err := srv.AddCustomer(woocommercetest.Customer{Email: "a@example.com"})
	require.NoError(t, err)
	touch := func() {
		_, _, err := c.Customers.Update(ctx, cid, &woocommerce.CustomerRequest{FirstName: woocommerce.Ptr("x")})
		require.NoError(t, err)
		flush(t, srv)
	}
	for range 4 {
		touch()
	}
	w, _ := srv.Webhook(wid)
	assert.Equal(t, 0, w.FailureCount, "the 200 after the 404 reset the count")
	for i := 1; i <= 6; i++ {
		touch()
		w, _ = srv.Webhook(wid)
		assert.Equal(t, "active", w.Status, "after %d failures", i)
		assert.Equal(t, i, w.FailureCount)
	}
	touch() // the 7th consecutive failure
	w, _ = srv.Webhook(wid)
	assert.Equal(t, "disabled", w.Status)
	got, _, err := c.Webhooks.Get(ctx, wid)
	require.NoError(t, err)
	assert.Equal(t, woocommerce.WebhookStatus("disabled"), got.Status)

	n := len(rcv.requests())
	touch()
	assert.Len(t, rcv.requests(), n, "a disabled webhook receives nothing, and nothing is redelivered")

	logged := srv.Deliveries()
	require.Len(t, logged, 11)
	assert.True(t, logged[0].Success)
	assert.True(t, logged[1].Success)
	assert.False(t, logged[2].Success)
	assert.Equal(t, http.StatusNotFound, logged[2].StatusCode)
}

func TestWebhookUnreachableCountsAsFailure(t *testing.T) {
	t.Parallel()
	srv, _ := store(t, woocommercetest.WithoutPing())
	dead := httptest.NewServer(http.NotFoundHandler())
	url := dead.URL
	dead.Close()
	wid, err := srv.AddWebhook("coupon.created", url, "k")
	require.NoError(t, err)
	_, err = srv.AddCoupon(woocommercetest.Coupon{Code: "c1"})
	require.NoError(t, err)
	flush(t, srv)
	logged := srv.Deliveries()
	require.Len(t, logged, 1)
	assert.Equal(t, 0, logged[0].StatusCode)
	assert.NotEmpty(t, logged[0].Err)
	w, _ := srv.Webhook(wid)
	assert.Equal(t, 1, w.FailureCount)
}

func TestWebhookHandlerReceivesDeliveries(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	var mu sync.Mutex
	var got []*woocommerce.Delivery
	h, err := woocommerce.NewWebhookHandler("topsecret", func(_ context.Context, d *woocommerce.Delivery) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, d)
		return nil
	})
	require.NoError(t, err)
	rcv := httptest.NewServer(h)
	t.Cleanup(rcv.Close)
	_, _, err = c.Webhooks.Create(ctx, &woocommerce.WebhookRequest{Topic: woocommerce.Ptr("product.updated"),
		DeliveryURL: woocommerce.Ptr(rcv.URL), Secret: woocommerce.Ptr("topsecret")})
	require.NoError(t, err)
	parent, _ := srv.AddProduct(woocommercetest.Product{Name: "Tee", Type: "variable"})
	v, _ := srv.AddVariation(parent, woocommercetest.Product{SKU: "TEE-S", RegularPrice: "5"})
	_, _, err = c.Variations.Update(ctx, parent, v, &woocommerce.VariationRequest{RegularPrice: price("6")})
	require.NoError(t, err)
	flush(t, srv)

	logged := srv.Deliveries()
	require.Len(t, logged, 2)
	assert.True(t, logged[0].Ping)
	assert.Equal(t, http.StatusOK, logged[0].StatusCode, "the handler answers the ping with 200")
	assert.True(t, logged[1].Success)
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, got, 1)
	require.NotNil(t, got[0].Product)
	assert.Equal(t, woocommerce.ProductVariation, got[0].Product.Type, "variations fire product.* with the product shape")
	assert.Equal(t, v, got[0].ResourceID)
	assertMoney(t, "6", got[0].Product.RegularPrice.Money)
}

func TestWebhookAsyncDelivery(t *testing.T) {
	t.Parallel()
	srv, c := store(t, woocommercetest.WithoutPing())
	rcv := newReceiver(t, nil)
	_, err := srv.AddWebhook("coupon.created", rcv.URL, "k")
	require.NoError(t, err)
	paused, _, err := c.Webhooks.Create(ctxT(t), &woocommerce.WebhookRequest{Topic: woocommerce.Ptr("coupon.created"),
		DeliveryURL: woocommerce.Ptr(rcv.URL), Status: woocommerce.Ptr(woocommerce.WebhookStatus("paused"))})
	require.NoError(t, err)
	for i := range 20 {
		_, _, err := c.Coupons.Create(ctxT(t), &woocommerce.CouponRequest{Code: woocommerce.Ptr("c" + itoa(int64(i)))})
		require.NoError(t, err)
	}
	flush(t, srv) // waits for the background worker
	ds := rcv.signed(t, "k")
	assert.Len(t, ds, 20, "only the active webhook delivers")
	for _, d := range ds {
		assert.NotEqual(t, paused.ID, d.WebhookID)
	}
}

func TestQueuedDeliveryOutlivesPausing(t *testing.T) {
	t.Parallel()
	srv, c := store(t, woocommercetest.WithManualDeliveries(), woocommercetest.WithoutPing())
	ctx := ctxT(t)
	rcv := newReceiver(t, nil)
	kept, err := srv.AddWebhook("coupon.created", rcv.URL, "k")
	require.NoError(t, err)
	gone, err := srv.AddWebhook("coupon.created", rcv.URL, "k")
	require.NoError(t, err)
	_, err = srv.AddCoupon(woocommercetest.Coupon{Code: "q"})
	require.NoError(t, err)
	_, _, err = c.Webhooks.Update(ctx, kept, &woocommerce.WebhookRequest{Status: woocommerce.Ptr(woocommerce.WebhookStatus("paused"))})
	require.NoError(t, err)
	_, _, err = c.Webhooks.Delete(ctx, gone)
	require.NoError(t, err)
	flush(t, srv)
	ds := rcv.signed(t, "k")
	require.Len(t, ds, 1, "the paused webhook's queued delivery is sent, the deleted one's is not")
	assert.Equal(t, kept, ds[0].WebhookID)
}
