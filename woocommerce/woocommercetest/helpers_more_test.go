package woocommercetest_test

import (
	"encoding/json"
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

func TestSeedHelpersAndTrash(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, nil)
	srv, c := store(t, woocommercetest.WithoutPing())
	ctx := ctxT(t)
	for _, topic := range []string{"product.deleted", "product.restored", "coupon.deleted", "coupon.restored"} {
		_, err := srv.AddWebhook(topic, rcv.URL, "k")
		require.NoError(t, err)
	}
	cat, err := srv.AddCategory("Mugs", 0)
	require.NoError(t, err)
	_, err = srv.AddCategory("mugs", 0)
	require.Error(t, err, "term_exists")
	pid, err := srv.AddProduct(woocommercetest.Product{Name: "Mug", CategoryIDs: []int64{cat}, RegularPrice: "3"})
	require.NoError(t, err)
	_, err = srv.AddProduct(woocommercetest.Product{Name: "Other", SKU: "X"})
	require.NoError(t, err)
	_, err = srv.AddProduct(woocommercetest.Product{Name: "Dup", SKU: "X"})
	require.Error(t, err, "duplicated SKU")
	cid, err := srv.AddCoupon(woocommercetest.Coupon{Code: "Spring", DiscountType: "percent", Amount: "10"})
	require.NoError(t, err)

	require.NoError(t, srv.Trash(pid))
	require.NoError(t, srv.Trash(cid))
	p, _ := srv.Product(pid)
	assert.Equal(t, "trash", p.Status)
	_, ok := srv.Coupon("spring")
	assert.False(t, ok)
	require.NoError(t, srv.Restore(pid))
	require.NoError(t, srv.Restore(cid))
	p, _ = srv.Product(pid)
	assert.Equal(t, "publish", p.Status)
	cp, ok := srv.Coupon("SPRING")
	require.True(t, ok)
	assert.Equal(t, "10.00", cp.Amount)
	assert.ErrorIs(t, srv.Trash(123456), woocommercetest.ErrNotFound)

	srv.Flush()
	var topics []string
	for _, d := range rcv.signed(t, "k") {
		topics = append(topics, d.Topic)
	}
	assert.Equal(t, []string{"product.deleted", "coupon.deleted", "product.restored", "coupon.restored"}, topics)

	prods, _, err := c.Products.List(ctx, &woocommerce.ProductListOptions{Category: itoa(cat)})
	require.NoError(t, err)
	require.Len(t, prods, 1)
	assert.Equal(t, pid, prods[0].ID)
}

func TestStoreDecimalSeparatorAndFees(t *testing.T) {
	t.Parallel()
	srv, c := store(t, woocommercetest.WithDecimalSeparator(","))
	ctx := ctxT(t)
	pid, err := srv.AddProduct(woocommercetest.Product{Name: "Mug", RegularPrice: "12,50"})
	require.NoError(t, err)
	p, _ := srv.Product(pid)
	assert.Equal(t, "12.50", p.RegularPrice, "wc_format_decimal reads the store's separator")

	o, _, err := c.Orders.Create(ctx, &woocommerce.OrderRequest{
		LineItems: []woocommerce.LineItemRequest{{ProductID: pid}},
		FeeLines:  []woocommerce.FeeLineRequest{{Name: "Gift wrap", Total: woocommerce.Ptr(money("2"))}, {Name: "Loyalty points", Total: woocommerce.Ptr(money("-4.5"))}},
	})
	require.NoError(t, err)
	require.Len(t, o.FeeLines, 2)
	assertMoney(t, "10.00", o.Total, "fees, negative ones included, add to the total")
	o, _, err = c.Orders.Update(ctx, o.ID, &woocommerce.OrderRequest{FeeLines: []woocommerce.FeeLineRequest{{ID: o.FeeLines[1].ID, Total: woocommerce.Ptr(money("-2.5"))}}})
	require.NoError(t, err)
	assertMoney(t, "12.00", o.Total)
}

func TestAllRefundsRoute(t *testing.T) {
	t.Parallel()
	srv, _ := store(t)
	a, _ := srv.AddOrder(woocommercetest.Order{SetPaid: true, Lines: []woocommercetest.Line{{ProductID: mustProduct(t, srv)}}})
	b, _ := srv.AddOrder(woocommercetest.Order{SetPaid: true, Lines: []woocommercetest.Line{{ProductID: mustProduct(t, srv)}}})
	ra, err := srv.Refund(a, "1", "a")
	require.NoError(t, err)
	_, err = srv.Refund(b, "2", "b")
	require.NoError(t, err)

	var all []map[string]any
	require.NoError(t, json.Unmarshal(mustGetRaw(t, srv, "refunds"), &all))
	assert.Len(t, all, 2)
	require.NoError(t, json.Unmarshal(mustGetRaw(t, srv, "refunds?parent="+itoa(a)), &all))
	require.Len(t, all, 1)
	assert.Equal(t, "a", all[0]["reason"])

	resp, body := signedCall(t, srv, http.MethodDelete, "orders/"+itoa(a)+"/refunds/"+itoa(ra)+"?force=false", "")
	assert.Equal(t, http.StatusNotImplemented, resp.StatusCode)
	assert.Contains(t, string(body), "woocommerce_rest_trash_not_supported")
}

func TestWebhookOverTLSWithCustomClient(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []byte
	rcv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-WC-Webhook-Topic") != "" {
			b, _ := io.ReadAll(r.Body)
			mu.Lock()
			got = b
			mu.Unlock()
		}
	}))
	t.Cleanup(rcv.Close)
	srv, _ := store(t, woocommercetest.WithWebhookHTTPClient(rcv.Client()))
	_, err := srv.AddWebhook("customer.created", rcv.URL, "k")
	require.NoError(t, err)
	id, err := srv.AddCustomer(woocommercetest.Customer{Email: "tls@example.com"})
	require.NoError(t, err)
	srv.Flush()
	logged := srv.Deliveries()
	require.Len(t, logged, 2)
	assert.True(t, logged[0].Ping)
	assert.True(t, logged[1].Success)
	mu.Lock()
	defer mu.Unlock()
	assert.Contains(t, string(got), `"id":`+itoa(id))
}

func TestFlushAfterClose(t *testing.T) {
	t.Parallel()
	rcv := newReceiver(t, nil)
	for _, opts := range [][]woocommercetest.Option{{woocommercetest.WithoutPing()}, {woocommercetest.WithoutPing(), woocommercetest.WithManualDeliveries()}} {
		srv := woocommercetest.NewServer(opts...)
		_, err := srv.AddWebhook("coupon.created", rcv.URL, "k")
		require.NoError(t, err)
		srv.Close()
		_, err = srv.AddCoupon(woocommercetest.Coupon{Code: "late"})
		require.NoError(t, err)
		if srv.PendingDeliveries() > 0 {
			assert.Error(t, srv.FlushWebhooks(ctxT(t)))
		}
	}
}
