package woocommercetest_test

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

func TestFaultsStatusAndRetries(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	srv.Faults().Add(woocommercetest.FaultRule{Method: http.MethodGet, Path: "/wp-json/wc/v3/orders", Times: 1, Status: http.StatusServiceUnavailable})
	tooMany := woocommercetest.Status429(0)
	tooMany.Times = 1
	srv.Faults().Add(tooMany)
	_, resp, err := c.Orders.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, resp.Attempts, "a 503, then a 429, then the answer")
	assert.Equal(t, 2, srv.Faults().Injected())

	// Per route: only the coupons route fails.
	srv.Faults().Reset()
	srv.Faults().Add(woocommercetest.FaultRule{Path: "/wp-json/wc/v3/coupons*", Status: http.StatusBadGateway,
		Body: `{"code":"bad_gateway","message":"upstream","data":{"status":502}}`})
	_, _, err = c.Orders.List(ctx, nil)
	require.NoError(t, err)
	_, _, err = c.Coupons.List(ctx, nil)
	ae := apiError(t, err)
	assert.Equal(t, http.StatusBadGateway, ae.StatusCode)
	assert.ErrorIs(t, err, woocommerce.ErrServer)
	srv.Faults().Reset()

	before := srv.Faults().Injected()
	srv.Faults().Add(woocommercetest.FaultRule{Drop: true, Times: 1})
	_, _, err = c.Orders.List(ctx, nil)
	require.NoError(t, err, "a dropped GET is retried")
	assert.Equal(t, before+1, srv.Faults().Injected())

	srv.Faults().Add(woocommercetest.FaultRule{Drop: true})
	_, _, err = c.Orders.List(ctx, nil)
	require.Error(t, err)
	var ae2 *woocommerce.APIError
	assert.NotErrorAs(t, err, &ae2, "no response came back")
}

func TestFaultLatency(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	srv.Faults().Add(woocommercetest.FaultRule{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(ctxT(t), 50*time.Millisecond)
	defer cancel()
	_, _, err := c.Orders.List(ctx, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

// TestAppliedButResponseLost shows the failure that makes naive retries double-apply: the store
// makes the change and the client sees only a network error.
func TestAppliedButResponseLost(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)

	// An order is not retried by the client (it has no unique key); retrying by hand makes two.
	srv.Faults().Add(woocommercetest.FaultRule{Method: http.MethodPost, Path: "/wp-json/wc/v3/orders", Times: 1, ApplyThenDrop: true})
	_, _, err := c.Orders.Create(ctx, &woocommerce.OrderRequest{CustomerNote: woocommerce.Ptr("gift")})
	require.Error(t, err)
	_, _, err = c.Orders.Create(ctx, &woocommerce.OrderRequest{CustomerNote: woocommerce.Ptr("gift")})
	require.NoError(t, err)
	_, resp, err := c.Orders.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Total, "the lost response hid a created order")

	// A coupon with a deterministic code is safe: the client's retry hits the unique code.
	srv.Faults().Add(woocommercetest.FaultRule{Method: http.MethodPost, Path: "/wp-json/wc/v3/coupons", Times: 1, ApplyThenDrop: true})
	_, _, err = c.Coupons.Create(ctx, &woocommerce.CouponRequest{Code: woocommerce.Ptr("redeem-42"), Amount: woocommerce.Ptr(money("5"))})
	require.ErrorIs(t, err, woocommerce.ErrAlreadyExists)
	cp, _, err := c.Coupons.GetByCode(ctx, "redeem-42")
	require.NoError(t, err)
	assertMoney(t, "5.00", cp.Amount)
	assert.Len(t, srv.Coupons(), 1, "exactly one coupon")
}

// TestConcurrentUse drives the store from many goroutines (run with -race).
func TestConcurrentUse(t *testing.T) {
	t.Parallel()
	srv, c := store(t, woocommercetest.WithTLS(), woocommercetest.WithoutPing())
	ctx := ctxT(t)
	rcv := newReceiver(t, nil)
	_, err := srv.AddWebhook("coupon.created", rcv.URL, "k")
	require.NoError(t, err)
	pid := mustProduct(t, srv)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 6 {
				code := fmt.Sprintf("g%d-%d", g, i)
				if _, _, err := c.Coupons.Create(ctx, &woocommerce.CouponRequest{Code: &code}); err != nil {
					t.Error(err)
					return
				}
				id, err := srv.AddOrder(woocommercetest.Order{Lines: []woocommercetest.Line{{ProductID: pid}}})
				if err != nil {
					t.Error(err)
					return
				}
				if _, _, err := c.Orders.Update(ctx, id, &woocommerce.OrderRequest{Status: woocommerce.Ptr(woocommerce.OrderCompleted)}); err != nil {
					t.Error(err)
					return
				}
				if _, _, err := c.Coupons.List(ctx, nil); err != nil {
					t.Error(err)
					return
				}
				_ = srv.Deliveries()
			}
		})
	}
	wg.Wait()
	flush(t, srv)
	assert.Len(t, srv.Coupons(), 48)
	assert.Len(t, rcv.signed(t, "k"), 48)
	p, _ := srv.Product(pid)
	assert.Equal(t, int64(48), p.TotalSales)
}
