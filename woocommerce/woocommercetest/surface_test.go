package woocommercetest_test

import (
	"fmt"
	"iter"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

func count[T any](t *testing.T, seq iter.Seq2[T, error]) int {
	t.Helper()
	n := 0
	for _, err := range seq {
		require.NoError(t, err)
		n++
	}
	return n
}

// TestClientSurface runs every service's batch and All iterator against the fake, over OAuth on
// plain HTTP and over Basic authentication on TLS, with and without method override.
func TestClientSurface(t *testing.T) {
	t.Parallel()
	variants := []struct {
		name string
		srv  []woocommercetest.Option
		cli  []woocommerce.Option
	}{
		{"oauth", nil, nil},
		{"basic+tls", []woocommercetest.Option{woocommercetest.WithTLS()}, nil},
		{"oauth+method override", nil, []woocommerce.Option{woocommerce.WithMethodOverride()}},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			t.Parallel()
			srv := woocommercetest.NewServer(append(v.srv, woocommercetest.WithoutPing())...)
			t.Cleanup(srv.Close)
			c := clientFor(t, srv, srv.AddKey(woocommercetest.ReadWrite), v.cli...)
			ctx := ctxT(t)
			page := woocommerce.ListOptions{PerPage: 4}
			const n = 9

			var cats []woocommerce.CategoryRequest
			var prods []woocommerce.ProductRequest
			var custs []woocommerce.CustomerRequest
			var hooks []woocommerce.WebhookRequest
			for i := range n {
				cats = append(cats, woocommerce.CategoryRequest{Name: woocommerce.Ptr(fmt.Sprintf("Cat %d", i))})
				prods = append(prods, woocommerce.ProductRequest{Name: woocommerce.Ptr(fmt.Sprintf("P%d", i)), RegularPrice: price("3")})
				custs = append(custs, woocommerce.CustomerRequest{Email: woocommerce.Ptr(fmt.Sprintf("u%d@example.com", i))})
				hooks = append(hooks, woocommerce.WebhookRequest{Topic: woocommerce.Ptr("order.updated"), DeliveryURL: woocommerce.Ptr("http://127.0.0.1:1/")})
			}
			cr, err := c.Categories.Batch(ctx, &woocommerce.Batch[woocommerce.CategoryRequest]{Create: cats})
			require.NoError(t, err)
			require.Len(t, cr.Created, n)
			pr, err := c.Products.Batch(ctx, &woocommerce.Batch[woocommerce.ProductRequest]{Create: prods})
			require.NoError(t, err)
			require.Len(t, pr.Created, n)
			cu, err := c.Customers.Batch(ctx, &woocommerce.Batch[woocommerce.CustomerRequest]{Create: custs})
			require.NoError(t, err)
			require.Len(t, cu.Created, n)
			wh, err := c.Webhooks.Batch(ctx, &woocommerce.Batch[woocommerce.WebhookRequest]{Create: hooks})
			require.NoError(t, err)
			require.Len(t, wh.Created, n)

			var orders []woocommerce.OrderRequest
			for i := range n {
				orders = append(orders, woocommerce.OrderRequest{CustomerID: woocommerce.Ptr(cu.Created[i].ID), PaymentMethod: woocommerce.Ptr("stripe"),
					LineItems: []woocommerce.LineItemRequest{{ProductID: pr.Created[i].ID, Quantity: woocommerce.Ptr(int64(2))}}})
			}
			or, err := c.Orders.Batch(ctx, &woocommerce.Batch[woocommerce.OrderRequest]{Create: orders})
			require.NoError(t, err)
			require.Len(t, or.Created, n)
			upd, err := c.Orders.Batch(ctx, &woocommerce.Batch[woocommerce.OrderRequest]{
				Update: []woocommerce.BatchUpdate[woocommerce.OrderRequest]{{ID: or.Created[0].ID, Changes: woocommerce.OrderRequest{SetPaid: woocommerce.Ptr(true)}}},
				Delete: []int64{or.Created[n-1].ID},
			})
			require.NoError(t, err)
			require.Len(t, upd.Updated, 1)
			assert.Equal(t, woocommerce.OrderProcessing, upd.Updated[0].Status)
			require.Len(t, upd.Deleted, 1)

			first := or.Created[0].ID
			for i := range n {
				_, _, err := c.Refunds.Create(ctx, first, &woocommerce.RefundRequest{Amount: woocommerce.Ptr(money("0.5")), Reason: fmt.Sprint(i)})
				require.NoError(t, err)
			}
			parent, _, err := c.Products.Create(ctx, &woocommerce.ProductRequest{Name: woocommerce.Ptr("V"), Type: woocommerce.Ptr(woocommerce.ProductVariable)})
			require.NoError(t, err)
			var vars []woocommerce.VariationRequest
			for i := range n {
				vars = append(vars, woocommerce.VariationRequest{SKU: woocommerce.Ptr(fmt.Sprintf("V-%d", i))})
			}
			_, err = c.Variations.Batch(ctx, parent.ID, &woocommerce.Batch[woocommerce.VariationRequest]{Create: vars})
			require.NoError(t, err)
			for i := range n {
				_, err := srv.AddCoupon(woocommercetest.Coupon{Code: fmt.Sprintf("c%d", i)})
				require.NoError(t, err)
			}

			assert.Equal(t, n-1, count(t, c.Orders.All(ctx, &woocommerce.OrderListOptions{ListOptions: page})))
			assert.Equal(t, n+1, count(t, c.Products.All(ctx, &woocommerce.ProductListOptions{ListOptions: page})))
			assert.Equal(t, n, count(t, c.Variations.All(ctx, parent.ID, &woocommerce.VariationListOptions{ListOptions: page})))
			assert.Equal(t, n+1, count(t, c.Categories.All(ctx, &woocommerce.CategoryListOptions{ListOptions: page})), "Uncategorized included")
			assert.Equal(t, n, count(t, c.Coupons.All(ctx, &woocommerce.CouponListOptions{ListOptions: page})))
			assert.Equal(t, n, count(t, c.Customers.All(ctx, &woocommerce.CustomerListOptions{ListOptions: page})))
			assert.Equal(t, n, count(t, c.Webhooks.All(ctx, &woocommerce.WebhookListOptions{ListOptions: page})))
			assert.Equal(t, n, count(t, c.Refunds.All(ctx, first, &woocommerce.RefundListOptions{ListOptions: page})))

			// PUT and DELETE through the override header.
			o, _, err := c.Orders.Update(ctx, first, &woocommerce.OrderRequest{CustomerNote: woocommerce.Ptr("hi")})
			require.NoError(t, err)
			assert.Equal(t, "hi", o.CustomerNote)
			_, _, err = c.Orders.Delete(ctx, first, true)
			require.NoError(t, err)
			_, _, err = c.Orders.Get(ctx, first)
			assert.ErrorIs(t, err, woocommerce.ErrNotFound)
		})
	}
}
