package woocommercetest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

func money(s string) woocommerce.Money { return woocommerce.MustMoney(s) }

func assertMoney(t *testing.T, want string, got woocommerce.Money, msgAndArgs ...any) {
	t.Helper()
	assert.True(t, money(want).Equal(got), "want %s, got %s %v", want, got, msgAndArgs)
}

func TestOrderLifecycle(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	pid, err := srv.AddProduct(woocommercetest.Product{Name: "Mug", SKU: "MUG-1", RegularPrice: "12.50", ManageStock: true, StockQuantity: 10})
	require.NoError(t, err)
	cid, err := srv.AddCustomer(woocommercetest.Customer{Email: "ann@example.com", FirstName: "Ann"})
	require.NoError(t, err)

	o, resp, err := c.Orders.Create(ctx, &woocommerce.OrderRequest{
		CustomerID: woocommerce.Ptr(cid),
		Billing:    &woocommerce.Address{FirstName: "Ann", Email: "Ann@Example.com"},
		LineItems:  []woocommerce.LineItemRequest{{ProductID: pid, Quantity: woocommerce.Ptr(int64(2))}},
		ShippingLines: []woocommerce.ShippingLineRequest{{MethodID: "flat_rate", MethodTitle: "Flat rate",
			Total: woocommerce.Ptr(money("5"))}},
		PaymentMethod: woocommerce.Ptr("stripe"),
	})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, srv.URL+"/wp-json/wc/v3/orders/"+strconv.FormatInt(o.ID, 10), resp.Header.Get("Location"))
	assert.Equal(t, woocommerce.OrderPending, o.Status)
	assert.Equal(t, "USD", o.Currency)
	assert.Equal(t, "rest-api", o.CreatedVia)
	assertMoney(t, "30.00", o.Total)
	assertMoney(t, "5.00", o.ShippingTotal)
	assert.Equal(t, "ann@example.com", o.Billing.Email)
	require.Len(t, o.LineItems, 1)
	assert.Equal(t, "Mug", o.LineItems[0].Name)
	assert.Equal(t, "MUG-1", o.LineItems[0].SKU)
	assertMoney(t, "12.50", o.LineItems[0].Price)
	assert.True(t, o.NeedsPayment)
	assert.True(t, o.DatePaidGMT.IsZero())

	// Paid: processing, date_paid, stock reduced, the customer becomes a paying customer.
	o, _, err = c.Orders.Update(ctx, o.ID, &woocommerce.OrderRequest{Status: woocommerce.Ptr(woocommerce.OrderProcessing)})
	require.NoError(t, err)
	assert.Equal(t, woocommerce.OrderProcessing, o.Status)
	assert.False(t, o.DatePaidGMT.IsZero())
	p, _ := srv.Product(pid)
	assert.Equal(t, int64(8), p.StockQuantity)
	assert.Equal(t, int64(2), p.TotalSales)
	cu, _ := srv.Customer(cid)
	assert.True(t, cu.IsPayingCustomer)

	o, _, err = c.Orders.Update(ctx, o.ID, &woocommerce.OrderRequest{Status: woocommerce.Ptr(woocommerce.OrderCompleted)})
	require.NoError(t, err)
	assert.False(t, o.DateCompletedGMT.IsZero())

	// Cancelled: stock comes back.
	require.NoError(t, srv.SetOrderStatus(o.ID, "cancelled"))
	p, _ = srv.Product(pid)
	assert.Equal(t, int64(10), p.StockQuantity)

	notes, _, err := c.OrderNotes.List(ctx, o.ID, nil)
	require.NoError(t, err)
	var texts []string
	for _, n := range notes {
		texts = append(texts, n.Note)
	}
	// Newest first; the stock notes (wc_trigger_stock_change_notifications, with the HTML entity
	// WooCommerce stores) come from the status hooks, before the transition note.
	assert.Equal(t, []string{
		"Order status changed from Completed to Cancelled.",
		"Stock levels increased: Mug (MUG-1) 8&rarr;10",
		"Order status changed from Processing to Completed.",
		"Order status changed from Pending payment to Processing.",
		"Stock levels reduced: Mug (MUG-1) 10&rarr;8",
	}, texts)
}

func TestOrderSetPaidAndLineItemChanges(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	a, _ := srv.AddProduct(woocommercetest.Product{Name: "A", RegularPrice: "10"})
	b, _ := srv.AddProduct(woocommercetest.Product{Name: "B", RegularPrice: "4", SalePrice: "3"})

	o, _, err := c.Orders.Create(ctx, &woocommerce.OrderRequest{
		SetPaid:   woocommerce.Ptr(true),
		LineItems: []woocommerce.LineItemRequest{{ProductID: a, Quantity: woocommerce.Ptr(int64(3)), Total: woocommerce.Ptr(money("10"))}},
	})
	require.NoError(t, err)
	assert.Equal(t, woocommerce.OrderProcessing, o.Status)
	assert.False(t, o.DatePaidGMT.IsZero())
	// price is total / quantity as a float, however many decimals that takes.
	assert.Equal(t, "3.3333333333333335", o.LineItems[0].Price.String())

	// Add a line and change the first one's quantity, then remove the first with quantity 0.
	lineID := o.LineItems[0].ID
	o, _, err = c.Orders.Update(ctx, o.ID, &woocommerce.OrderRequest{LineItems: []woocommerce.LineItemRequest{
		{ID: lineID, Quantity: woocommerce.Ptr(int64(1))},
		{ProductID: b, Quantity: woocommerce.Ptr(int64(2))},
	}})
	require.NoError(t, err)
	require.Len(t, o.LineItems, 2)
	assertMoney(t, "16.00", o.Total)
	o, _, err = c.Orders.Update(ctx, o.ID, &woocommerce.OrderRequest{LineItems: []woocommerce.LineItemRequest{
		{ID: lineID, Quantity: woocommerce.Ptr(int64(0))},
	}})
	require.NoError(t, err)
	require.Len(t, o.LineItems, 1)
	assertMoney(t, "6.00", o.Total)

	_, _, err = c.Orders.Update(ctx, o.ID, &woocommerce.OrderRequest{LineItems: []woocommerce.LineItemRequest{{ProductID: 999999}}})
	ae := apiError(t, err)
	assert.Equal(t, "woocommerce_rest_invalid_product_id", ae.Code)
	got, _ := srv.Order(o.ID)
	assert.Equal(t, "6.00", got.Total, "a failed update changes nothing")
}

func TestOrderArgumentValidation(t *testing.T) {
	t.Parallel()
	srv, c := store(t, woocommercetest.WithOrderStatuses("shipped"))
	ctx := ctxT(t)
	o, _, err := c.Orders.Create(ctx, &woocommerce.OrderRequest{})
	require.NoError(t, err)

	_, _, err = c.Orders.Update(ctx, o.ID, &woocommerce.OrderRequest{Status: woocommerce.Ptr(woocommerce.OrderStatus("done"))})
	ae := apiError(t, err)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode)
	assert.Equal(t, "rest_invalid_param", ae.Code)
	assert.Equal(t, "Invalid parameter(s): status", ae.Message)
	assert.Equal(t, "status is not one of pending, processing, on-hold, completed, cancelled, refunded, failed, checkout-draft, and shipped.",
		ae.Data.Params["status"])
	assert.ErrorIs(t, err, woocommerce.ErrBadRequest)

	// A plugin status registered with the store is accepted.
	o, _, err = c.Orders.Update(ctx, o.ID, &woocommerce.OrderRequest{Status: woocommerce.Ptr(woocommerce.OrderStatus("shipped"))})
	require.NoError(t, err)
	assert.Equal(t, woocommerce.OrderStatus("shipped"), o.Status)

	_, _, err = c.Orders.Update(ctx, o.ID, &woocommerce.OrderRequest{CustomerID: woocommerce.Ptr(int64(4242))})
	assert.Equal(t, "woocommerce_rest_invalid_customer_id", apiError(t, err).Code)

	tlsLike := func(method, path, body string) (*http.Response, wpError) {
		resp, raw := signedCall(t, srv, method, path, body)
		var e wpError
		require.NoError(t, json.Unmarshal(raw, &e), string(raw))
		return resp, e
	}
	// A JSON number for a string property, as a client with float money would send.
	resp, e := tlsLike(http.MethodPost, "orders", `{"customer_note": 5, "line_items":[{"product_id":1,"total":12.5}]}`)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "rest_invalid_param", e.Code)
	assert.Equal(t, map[string]any{
		"customer_note": "customer_note is not of type string.",
		"line_items":    "line_items[0][total] is not of type string.",
	}, e.Data["params"])

	resp, e = tlsLike(http.MethodPost, "orders", `{"status": "pending",`)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "rest_invalid_json", e.Code)

	resp, e = tlsLike(http.MethodPost, "orders", `{"id": 5}`)
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Equal(t, "woocommerce_rest_shop_order_exists", e.Code)
	assert.Equal(t, "Cannot create existing shop_order.", e.Message)

	// Numeric strings are fine for integers, as WordPress coerces them.
	resp, _ = signedCall(t, srv, http.MethodPost, "orders", `{"parent_id": "0", "set_paid": "false"}`)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
}

func TestOrderMetaData(t *testing.T) {
	t.Parallel()
	_, c := store(t)
	ctx := ctxT(t)
	o, _, err := c.Orders.Create(ctx, &woocommerce.OrderRequest{MetaData: []woocommerce.MetaData{
		{Key: "_points", Value: json.RawMessage(`120`)}, {Key: "channel", Value: json.RawMessage(`{"pos":"sitoo"}`)}}})
	require.NoError(t, err)
	require.Len(t, o.MetaData, 2)
	assert.NotZero(t, o.MetaData[0].ID)
	assert.JSONEq(t, `{"pos":"sitoo"}`, string(o.MetaData[1].Value))

	// Updating by key replaces the value; a failed update leaves the stored meta alone.
	o, _, err = c.Orders.Update(ctx, o.ID, &woocommerce.OrderRequest{MetaData: []woocommerce.MetaData{{Key: "_points", Value: json.RawMessage(`90`)}}})
	require.NoError(t, err)
	assert.JSONEq(t, `90`, string(o.MetaData[0].Value))
	_, _, err = c.Orders.Update(ctx, o.ID, &woocommerce.OrderRequest{MetaData: []woocommerce.MetaData{{Key: "_points", Value: json.RawMessage(`1`)}},
		CustomerID: woocommerce.Ptr(int64(777))})
	require.Error(t, err)

	list, _, err := c.Orders.List(ctx, &woocommerce.OrderListOptions{IncludeMeta: []string{"_points"}})
	require.NoError(t, err)
	require.Len(t, list[0].MetaData, 1)
	assert.JSONEq(t, `90`, string(list[0].MetaData[0].Value))
	list, _, err = c.Orders.List(ctx, &woocommerce.OrderListOptions{ExcludeMeta: []string{"_points"}})
	require.NoError(t, err)
	require.Len(t, list[0].MetaData, 1)
	assert.Equal(t, "channel", list[0].MetaData[0].Key)
	got, _, err := c.Orders.Get(ctx, o.ID)
	require.NoError(t, err)
	assert.Len(t, got.MetaData, 2, "filtering a list does not change the order")
}

func trimQuery(p string) string {
	for i := range len(p) {
		if p[i] == '?' {
			return p[:i]
		}
	}
	return p
}

func TestOrderNotFoundAndTrash(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	_, _, err := c.Orders.Get(ctx, 424242)
	ae := apiError(t, err)
	assert.Equal(t, http.StatusNotFound, ae.StatusCode)
	assert.Equal(t, "woocommerce_rest_shop_order_invalid_id", ae.Code)
	assert.ErrorIs(t, err, woocommerce.ErrNotFound)

	_, _, err = c.Orders.Update(ctx, 424242, &woocommerce.OrderRequest{CustomerNote: woocommerce.Ptr("x")})
	ae = apiError(t, err)
	assert.Equal(t, http.StatusBadRequest, ae.StatusCode, "an unknown id on PUT is a 400")
	assert.ErrorIs(t, err, woocommerce.ErrNotFound)

	id, err := srv.AddOrder(woocommercetest.Order{Status: "processing"})
	require.NoError(t, err)
	o, _, err := c.Orders.Delete(ctx, id, false)
	require.NoError(t, err)
	assert.Equal(t, woocommerce.OrderTrash, o.Status)
	list, _, err := c.Orders.List(ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, list, "status any leaves the trash out")
	list, _, err = c.Orders.List(ctx, &woocommerce.OrderListOptions{Status: []woocommerce.OrderStatus{woocommerce.OrderTrash}})
	require.NoError(t, err)
	assert.Len(t, list, 1)

	_, _, err = c.Orders.Delete(ctx, id, false)
	ae = apiError(t, err)
	assert.Equal(t, http.StatusGone, ae.StatusCode)
	assert.Equal(t, "woocommerce_rest_already_trashed", ae.Code)
	assert.ErrorIs(t, err, woocommerce.ErrAlreadyTrashed)

	require.NoError(t, srv.Restore(id))
	got, _ := srv.Order(id)
	assert.Equal(t, "processing", got.Status)

	_, _, err = c.Orders.Delete(ctx, id, true)
	require.NoError(t, err)
	_, ok := srv.Order(id)
	assert.False(t, ok)
	assert.ErrorIs(t, srv.Restore(id), woocommercetest.ErrNotFound)
}

func TestOrderListFilters(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	mug, _ := srv.AddProduct(woocommercetest.Product{Name: "Mug", RegularPrice: "10"})
	tee, _ := srv.AddProduct(woocommercetest.Product{Name: "Tee", RegularPrice: "20"})
	ann, _ := srv.AddCustomer(woocommercetest.Customer{Email: "ann@example.com"})
	day := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	mk := func(status string, cust int64, prod int64, created time.Time, email string) int64 {
		id, err := srv.AddOrder(woocommercetest.Order{Status: status, CustomerID: cust, Created: created,
			Billing: woocommercetest.Address{Email: email, FirstName: "F"}, Lines: []woocommercetest.Line{{ProductID: prod}}})
		require.NoError(t, err)
		return id
	}
	o1 := mk("processing", ann, mug, day, "ann@example.com")
	o2 := mk("completed", 0, tee, day.Add(24*time.Hour), "bob@example.com")
	o3 := mk("on-hold", ann, tee, day.Add(48*time.Hour), "ann@example.com")
	o4 := mk("pending", 0, mug, day.Add(72*time.Hour), "cy@example.com")

	ids := func(opts *woocommerce.OrderListOptions) []int64 {
		t.Helper()
		list, _, err := c.Orders.List(ctx, opts)
		require.NoError(t, err)
		out := []int64{}
		for _, o := range list {
			out = append(out, o.ID)
		}
		return out
	}
	assert.Equal(t, []int64{o4, o3, o2, o1}, ids(nil), "newest first by default")
	assert.Equal(t, []int64{o1, o2, o3, o4}, ids(&woocommerce.OrderListOptions{ListOptions: woocommerce.ListOptions{OrderBy: "id", Order: "asc"}}))
	assert.Equal(t, []int64{o2, o1}, ids(&woocommerce.OrderListOptions{Status: []woocommerce.OrderStatus{"processing", "completed"}}))
	assert.Equal(t, []int64{o3, o1}, ids(&woocommerce.OrderListOptions{Customer: ann}))
	assert.Equal(t, []int64{o4, o1}, ids(&woocommerce.OrderListOptions{Product: mug}))
	assert.Equal(t, []int64{o2}, ids(&woocommerce.OrderListOptions{Search: "bob@"}))
	assert.Equal(t, []int64{o3, o2}, ids(&woocommerce.OrderListOptions{DateFilter: woocommerce.DateFilter{
		After: day, Before: day.Add(60 * time.Hour)}}))
	assert.Equal(t, []int64{o3, o1}, ids(&woocommerce.OrderListOptions{Include: []int64{o1, o3}}))
	assert.Equal(t, []int64{o4, o2}, ids(&woocommerce.OrderListOptions{Exclude: []int64{o1, o3}}))

	list, _, err := c.Orders.List(ctx, &woocommerce.OrderListOptions{Include: []int64{o2}, DecimalPoints: 3})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Contains(t, string(mustGetRaw(t, srv, "orders?include="+strconv.FormatInt(o2, 10)+"&dp=3")), `"total":"20.000"`)
}

// mustGetRaw GETs a path with a hand-signed request and returns the raw body.
func mustGetRaw(t *testing.T, srv *woocommercetest.Server, path string) []byte {
	t.Helper()
	resp, body := signedCall(t, srv, http.MethodGet, path, "")
	require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
	return body
}

// signedCall sends a request signed by hand with OAuth 1.0a (a new read_write key each time) and
// returns the response and its raw body.
func signedCall(t *testing.T, srv *woocommercetest.Server, method, path, body string) (*http.Response, []byte) {
	t.Helper()
	key := srv.AddKey(woocommercetest.ReadWrite)
	req := newRequest(t, srv, method, path, body)
	oauthHeader(req, oauthSign(req, srv.URL+"/wp-json/wc/v3/"+trimQuery(path), key, "HMAC-SHA256", time.Now().Unix(), nonce()))
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp, raw
}

func TestSiteLocalDates(t *testing.T) {
	t.Parallel()
	loc := time.FixedZone("UTC+2", 2*3600)
	now := time.Date(2024, 3, 10, 22, 30, 0, 0, time.UTC)
	srv := woocommercetest.NewServer(woocommercetest.WithTimezone(loc), woocommercetest.WithClock(func() time.Time { return now }),
		woocommercetest.WithTLS())
	t.Cleanup(srv.Close)
	c := clientFor(t, srv, srv.AddKey(woocommercetest.ReadWrite))
	ctx := ctxT(t)
	o, _, err := c.Orders.Create(ctx, &woocommerce.OrderRequest{})
	require.NoError(t, err)
	assert.Equal(t, "2024-03-11T00:30:00", o.DateCreated.String(), "site wall clock, no zone")
	assert.Equal(t, now, o.DateCreatedGMT.Time)
	assert.Equal(t, now, o.DateCreated.In(loc))

	// after= without dates_are_gmt is a site-local wall clock.
	body := mustGetRawTLS(t, srv, c, "orders?after=2024-03-11T00:29:00")
	assert.Contains(t, string(body), `"id":`+strconv.FormatInt(o.ID, 10))
	body = mustGetRawTLS(t, srv, c, "orders?after=2024-03-11T00:29:00&dates_are_gmt=true")
	assert.Equal(t, "[]", string(body))
}

func mustGetRawTLS(t *testing.T, srv *woocommercetest.Server, _ *woocommerce.Client, path string) []byte {
	t.Helper()
	key := srv.AddKey(woocommercetest.Read)
	req := newRequest(t, srv, http.MethodGet, path, "")
	req.SetBasicAuth(key.ConsumerKey, key.ConsumerSecret)
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, resp.StatusCode, string(raw))
	return raw
}

func TestRefunds(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	pid, _ := srv.AddProduct(woocommercetest.Product{Name: "Mug", RegularPrice: "12.50", ManageStock: true, StockQuantity: 5})
	id, err := srv.AddOrder(woocommercetest.Order{SetPaid: true, Lines: []woocommercetest.Line{{ProductID: pid, Quantity: 2}}})
	require.NoError(t, err)
	o, _, err := c.Orders.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, woocommerce.OrderProcessing, o.Status)
	assertMoney(t, "25.00", o.Total)

	r, _, err := c.Refunds.Create(ctx, id, &woocommerce.RefundRequest{Amount: woocommerce.Ptr(money("10")), Reason: "broken",
		APIRefund: true, LineItems: []woocommerce.RefundLineRequest{{ID: o.LineItems[0].ID, Quantity: 1, RefundTotal: woocommerce.Ptr(money("10"))}}})
	require.NoError(t, err)
	assertMoney(t, "10.00", r.Amount)
	assert.True(t, r.RefundedPayment)
	require.Len(t, r.LineItems, 1)
	assert.Equal(t, int64(-1), r.LineItems[0].Quantity)
	p, _ := srv.Product(pid)
	assert.Equal(t, int64(4), p.StockQuantity, "the refunded item is restocked")

	o, _, err = c.Orders.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, woocommerce.OrderProcessing, o.Status, "a partial refund keeps the status")
	assertMoney(t, "25.00", o.Total, "the order total does not change")
	require.Len(t, o.Refunds, 1)
	assertMoney(t, "-10.00", o.Refunds[0].Total)
	assert.Equal(t, "broken", o.Refunds[0].Reason)

	_, _, err = c.Refunds.Create(ctx, id, &woocommerce.RefundRequest{Amount: woocommerce.Ptr(money("15.01"))})
	ae := apiError(t, err)
	assert.Equal(t, http.StatusInternalServerError, ae.StatusCode)
	assert.Equal(t, "woocommerce_rest_cannot_create_order_refund", ae.Code)
	assert.Equal(t, "Invalid refund amount.", ae.Message)

	r2, _, err := c.Refunds.Create(ctx, id, &woocommerce.RefundRequest{Amount: woocommerce.Ptr(money("15"))})
	require.NoError(t, err)
	assert.False(t, r2.RefundedPayment)
	o, _, err = c.Orders.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, woocommerce.OrderRefunded, o.Status, "a full refund makes the order refunded")
	require.Len(t, o.Refunds, 2)
	assert.Equal(t, r2.ID, o.Refunds[0].ID, "newest refund first")

	list, resp, err := c.Refunds.List(ctx, id, nil)
	require.NoError(t, err)
	assert.Len(t, list, 2)
	assert.Equal(t, 2, resp.Total)
	got, _, err := c.Refunds.Get(ctx, id, r.ID)
	require.NoError(t, err)
	assert.Equal(t, "broken", got.Reason)

	_, _, err = c.Refunds.Delete(ctx, id, r.ID)
	require.NoError(t, err)
	_, _, err = c.Refunds.Get(ctx, id, r.ID)
	assert.ErrorIs(t, err, woocommerce.ErrNotFound)
	o, _, _ = c.Orders.Get(ctx, id)
	assert.Len(t, o.Refunds, 1)
}

func TestRefundGateways(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	for method, msg := range map[string]string{
		"bacs":   "The payment gateway for this order does not support automatic refunds.",
		"cheque": "The payment gateway for this order does not support automatic refunds.",
	} {
		id, err := srv.AddOrder(woocommercetest.Order{PaymentMethod: method, SetPaid: true, Lines: []woocommercetest.Line{{Total: "5", ProductID: mustProduct(t, srv)}}})
		require.NoError(t, err)
		_, _, err = c.Refunds.Create(ctx, id, &woocommerce.RefundRequest{Amount: woocommerce.Ptr(money("1")), APIRefund: true})
		assert.Equal(t, msg, apiError(t, err).Message)
		// Recording the refund without the gateway works.
		_, _, err = c.Refunds.Create(ctx, id, &woocommerce.RefundRequest{Amount: woocommerce.Ptr(money("1"))})
		require.NoError(t, err)
	}
	o, _, err := c.Orders.Create(ctx, &woocommerce.OrderRequest{LineItems: []woocommerce.LineItemRequest{{ProductID: mustProduct(t, srv)}}})
	require.NoError(t, err)
	_, _, err = c.Refunds.Create(ctx, o.ID, &woocommerce.RefundRequest{Amount: woocommerce.Ptr(money("1")), APIRefund: true})
	assert.Equal(t, "The payment gateway for this order does not exist.", apiError(t, err).Message)

	_, _, err = c.Refunds.Create(ctx, 999999, &woocommerce.RefundRequest{Amount: woocommerce.Ptr(money("1"))})
	assert.Equal(t, "woocommerce_rest_invalid_order_id", apiError(t, err).Code)
}

func mustProduct(t *testing.T, srv *woocommercetest.Server) int64 {
	t.Helper()
	id, err := srv.AddProduct(woocommercetest.Product{Name: "Thing", RegularPrice: "5"})
	require.NoError(t, err)
	return id
}

func TestRefundHelpers(t *testing.T) {
	t.Parallel()
	srv, _ := store(t)
	id, err := srv.AddOrder(woocommercetest.Order{SetPaid: true, Lines: []woocommercetest.Line{{ProductID: mustProduct(t, srv), Quantity: 4}}})
	require.NoError(t, err)
	_, err = srv.Refund(id, "5", "one back")
	require.NoError(t, err)
	o, _ := srv.Order(id)
	assert.Equal(t, "processing", o.Status)
	assert.Equal(t, "5.00", o.RefundedTotal)
	_, err = srv.Refund(id, "16", "too much")
	assert.Error(t, err)
	_, err = srv.RefundFully(id, "all of it")
	require.NoError(t, err)
	o, _ = srv.Order(id)
	assert.Equal(t, "refunded", o.Status)
	assert.Equal(t, "20.00", o.RefundedTotal)

	// Setting the status to refunded by hand refunds what is left (wc_order_fully_refunded).
	id2, _ := srv.AddOrder(woocommercetest.Order{SetPaid: true, Lines: []woocommercetest.Line{{ProductID: mustProduct(t, srv)}}})
	require.NoError(t, srv.SetOrderStatus(id2, "refunded"))
	o2, _ := srv.Order(id2)
	assert.Equal(t, "5.00", o2.RefundedTotal)
	require.Len(t, o2.RefundIDs, 1)
	assert.ErrorIs(t, srv.SetOrderStatus(987654, "completed"), woocommercetest.ErrNotFound)
	assert.Error(t, srv.SetOrderStatus(id2, "bogus"))
}

func TestOrderNotes(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	id, _ := srv.AddOrder(woocommercetest.Order{})
	n, _, err := c.OrderNotes.Create(ctx, id, &woocommerce.OrderNoteRequest{Note: "You earned 12 points", CustomerNote: true})
	require.NoError(t, err)
	assert.Equal(t, "WooCommerce", n.Author)
	n2, _, err := c.OrderNotes.Create(ctx, id, &woocommerce.OrderNoteRequest{Note: "internal", AddedByUser: true})
	require.NoError(t, err)
	assert.Equal(t, "admin", n2.Author)

	customerNotes, _, err := c.OrderNotes.List(ctx, id, &woocommerce.OrderNoteListOptions{Type: "customer"})
	require.NoError(t, err)
	require.Len(t, customerNotes, 1)
	assert.Equal(t, n.ID, customerNotes[0].ID)
	got, _, err := c.OrderNotes.Get(ctx, id, n2.ID)
	require.NoError(t, err)
	assert.Equal(t, "internal", got.Note)

	resp, raw := signedCall(t, srv, http.MethodDelete, "orders/"+itoa(id)+"/notes/"+itoa(n2.ID), "")
	var e wpError
	require.NoError(t, json.Unmarshal(raw, &e))
	assert.Equal(t, http.StatusNotImplemented, resp.StatusCode)
	assert.Equal(t, "Webhooks do not support trashing.", e.Message, "WooCommerce's own copy-paste message")

	_, _, err = c.OrderNotes.Delete(ctx, id, n2.ID)
	require.NoError(t, err)
	_, _, err = c.OrderNotes.Get(ctx, id, n2.ID)
	assert.ErrorIs(t, err, woocommerce.ErrNotFound)
}
