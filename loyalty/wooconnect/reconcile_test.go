package wooconnect_test

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// WooCommerce never redelivers: orders whose deliveries failed are applied by Reconcile, once,
// and a second pass changes nothing.
func TestReconcile_AppliesMissedDeliveriesOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	since := e.clock.Now().Add(-time.Minute)
	e.placeOrder(ada, "10.00", woocommerce.OrderCompleted) // delivered

	// Deliveries stop for a while (the webhook is paused in WordPress, or the receiver was down).
	down := woocommerce.WebhookPaused
	_, _, err := e.admin.Webhooks.Update(e.ctx, c.WebhookID, &woocommerce.WebhookRequest{Status: &down})
	require.NoError(t, err)
	missed := e.placeOrder(grace, "25.00", woocommerce.OrderCompleted)
	refunded := e.placeOrder(customer{"Rob", "R", "rob@example.com"}, "30.00", woocommerce.OrderCompleted)
	e.setStatus(refunded, woocommerce.OrderRefunded)
	e.placeOrder(customer{"Hal", "H", "hal@example.com"}, "99.00", woocommerce.OrderOnHold)
	assert.Empty(t, e.orderReceipts(missed))

	rep, err := e.conn.Reconcile(e.ctx, c.ID, since)
	require.NoError(t, err)
	assert.Equal(t, 4, rep.Orders)
	assert.Equal(t, 2, rep.Unchanged, "the delivered order and the on-hold one")
	assert.Equal(t, map[loyalty.Outcome]int{loyalty.OutcomeProcessed: 1, loyalty.OutcomeIgnored: 1}, rep.ByOutcome)
	assert.Equal(t, int64(25), e.balance(grace.email))
	assert.Equal(t, int64(10), e.balance(ada.email))

	rep, err = e.conn.Reconcile(e.ctx, c.ID, since)
	require.NoError(t, err)
	assert.Equal(t, 4, rep.Unchanged, "a second pass touches nothing")
	assert.Equal(t, int64(25), e.balance(grace.email))
}

// Reconcile pages through many orders (more than one page of 100).
func TestReconcile_WalksEveryPage(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("creates 120 orders")
	}
	e := newEnv(t)
	c := e.connect()
	since := e.clock.Now().Add(-time.Minute)
	down := woocommerce.WebhookPaused
	_, _, err := e.admin.Webhooks.Update(e.ctx, c.WebhookID, &woocommerce.WebhookRequest{Status: &down})
	require.NoError(t, err)
	status := woocommerce.OrderCompleted
	amount := woocommerce.MustMoney("1.00")
	var batch woocommerce.Batch[woocommerce.OrderRequest]
	for range 120 {
		batch.Create = append(batch.Create, woocommerce.OrderRequest{Status: &status,
			Billing:  &woocommerce.Address{Email: ada.email},
			FeeLines: []woocommerce.FeeLineRequest{{Name: "x", Total: &amount}}})
	}
	_, err = e.admin.Orders.Batch(e.ctx, &batch)
	require.NoError(t, err)
	rep, err := e.conn.Reconcile(e.ctx, c.ID, since)
	require.NoError(t, err)
	assert.Equal(t, 120, rep.Orders)
	assert.Equal(t, int64(120), e.balance(ada.email))
}

// A paused connection is not reconciled.
func TestReconcile_RefusesPaused(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	require.NoError(t, e.conn.Pause(e.ctx, c.ID, "owner"))
	_, err := e.conn.Reconcile(e.ctx, c.ID, time.Time{})
	assert.ErrorIs(t, err, wooconnect.ErrPaused)
}

// since is inclusive: an order modified in the same second as since is applied, although the
// client sends whole seconds and WooCommerce's modified_after is exclusive (issue 12.3).
func TestReconcile_SinceIsInclusive(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.clock.Advance(-time.Hour) // processing started long ago: the floor does not interfere
	c := e.connect()
	e.clock.Advance(time.Hour)
	down := woocommerce.WebhookPaused
	_, _, err := e.admin.Webhooks.Update(e.ctx, c.WebhookID, &woocommerce.WebhookRequest{Status: &down})
	require.NoError(t, err)
	o := e.placeOrder(grace, "25.00", woocommerce.OrderCompleted)
	modified := o.DateModifiedGMT.Time
	require.Equal(t, modified, modified.Truncate(time.Second), "WooCommerce keeps whole seconds")

	rep, err := e.conn.Reconcile(e.ctx, c.ID, modified.Add(900*time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Orders)
	assert.Equal(t, int64(25), e.balance(grace.email))
}

// ReconcileSinceLast starts from the connection's stored reconciled point, so orders missed
// during an outage of any length are applied once; a bound on how far back it goes is reported
// (issue 12.6).
func TestReconcileSinceLast_StartsFromTheStoredPoint(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	down := woocommerce.WebhookPaused
	_, _, err := e.admin.Webhooks.Update(e.ctx, c.WebhookID, &woocommerce.WebhookRequest{Status: &down})
	require.NoError(t, err)
	e.placeOrder(ada, "10.00", woocommerce.OrderCompleted)

	rep, err := e.conn.ReconcileSinceLast(e.ctx, c.ID, 0)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.ByOutcome[loyalty.OutcomeProcessed])
	assert.False(t, rep.Bounded)
	rec, err := e.conns.Connection(e.ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, rep.Through, rec.ReconciledThrough, "the point is stored")
	assert.False(t, rec.ReconciledThrough.IsZero())

	e.placeOrder(grace, "20.00", woocommerce.OrderCompleted)
	rep, err = e.conn.ReconcileSinceLast(e.ctx, c.ID, 0)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.ByOutcome[loyalty.OutcomeProcessed], "only the new order is applied")
	assert.Equal(t, int64(10), e.balance(ada.email))
	assert.Equal(t, int64(20), e.balance(grace.email))

	// Down for three hours with a bound of one: the walk starts an hour ago and says so.
	before := rep.Through
	e.clock.Advance(3 * time.Hour)
	rep, err = e.conn.ReconcileSinceLast(e.ctx, c.ID, time.Hour)
	require.NoError(t, err)
	assert.True(t, rep.Bounded)
	assert.Equal(t, before.Add(-wooconnect.ReconcileOverlap), rep.Skipped, "from the point before the outage")
	assert.True(t, rep.Since.After(before.Add(time.Hour)), "to an hour ago")
	assert.True(t, rep.Through.After(before.Add(3*time.Hour)), "the point moves on")
}

// hookTransport runs before once, ahead of the first request for page 2 of the orders.
type hookTransport struct {
	base   http.RoundTripper
	once   sync.Once
	before func()
}

func (h *hookTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if strings.HasSuffix(r.URL.Path, "/orders") && r.URL.Query().Get("page") == "2" {
		h.once.Do(h.before)
	}
	return h.base.RoundTrip(r)
}

// A walk over a list that changes meanwhile (an older order modified between two pages enters
// the filtered set ahead of the walk's position) reads no order twice (issue 12.3).
func TestReconcile_ChangingListReadsNoOrderTwice(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("creates 101 orders")
	}
	var shopOffset atomic.Int64 // the fake store's clock, relative to the wall clock
	hook := &hookTransport{}
	e := newEnv(t, withShop(woocommercetest.WithTLS(), woocommercetest.WithClock(func() time.Time {
		return time.Now().Add(time.Duration(shopOffset.Load()))
	})), withConnector(wooconnect.WithClientOptions(woocommerce.WithHTTPClient(&http.Client{Transport: hook}))))
	hook.base = e.shop.Client().Transport
	e.clock.Advance(-2 * time.Hour) // processing started before the old order
	c := e.connect()
	e.clock.Advance(2 * time.Hour)
	down := woocommerce.WebhookPaused
	_, _, err := e.admin.Webhooks.Update(e.ctx, c.WebhookID, &woocommerce.WebhookRequest{Status: &down})
	require.NoError(t, err)

	shopOffset.Store(int64(-time.Hour))
	old := e.placeOrder(grace, "5.00", woocommerce.OrderOnHold) // modified an hour ago
	shopOffset.Store(0)
	status, amount := woocommerce.OrderCompleted, woocommerce.MustMoney("1.00")
	var batch woocommerce.Batch[woocommerce.OrderRequest]
	for range woocommerce.MaxPerPage + 1 {
		batch.Create = append(batch.Create, woocommerce.OrderRequest{Status: &status,
			Billing: &woocommerce.Address{Email: ada.email}, FeeLines: []woocommerce.FeeLineRequest{{Name: "x", Total: &amount}}})
	}
	_, err = e.admin.Orders.Batch(e.ctx, &batch)
	require.NoError(t, err)
	hook.before = func() {
		note := "changed during the walk"
		_, _, err := e.admin.Orders.Update(e.ctx, old.ID, &woocommerce.OrderRequest{CustomerNote: &note})
		assert.NoError(t, err)
	}

	rep, err := e.conn.Reconcile(e.ctx, c.ID, e.clock.Now().Add(-30*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, woocommerce.MaxPerPage+1, rep.Orders, "each order read once")
	assert.Equal(t, int64(woocommerce.MaxPerPage+1), e.balance(ada.email))
}
