package woocommercetest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// Differences measured against a real WooCommerce 10 store (issue 12, point 23), and the fields
// the client keeps from them.
func TestFidelityWithWooCommerce10(t *testing.T) {
	t.Parallel()
	srv, c := store(t, woocommercetest.WithoutPing()) // the webhook below points nowhere
	ctx := ctxT(t)
	_, err := srv.AddCoupon(woocommercetest.Coupon{Code: "pct", Amount: "15", DiscountType: "percent"})
	require.NoError(t, err)
	pid, err := srv.AddProduct(woocommercetest.Product{Name: "P", RegularPrice: "19.99"})
	require.NoError(t, err)
	id, err := srv.AddOrder(woocommercetest.Order{Lines: []woocommercetest.Line{{ProductID: pid}}, CouponCodes: []string{"pct"},
		ShippingTotal: "4.00"})
	require.NoError(t, err)

	raw := string(mustGetRaw(t, srv, "orders/"+itoa(id)))
	assert.Contains(t, raw, `"discount":"2.9985"`, "coupon line discount unrounded")
	assert.Contains(t, raw, `"discount_tax":"0"`)
	assert.Contains(t, raw, `"image":{"id":0,`, "line item image id is a number")
	assert.Contains(t, raw, `"tax_status":"taxable"`, "shipping lines carry tax_status")
	o, _, err := c.Orders.Get(ctx, id)
	require.NoError(t, err)
	require.Len(t, o.ShippingLines, 1)
	assert.Equal(t, "taxable", o.ShippingLines[0].TaxStatus)
	assert.Equal(t, "2.9985", o.CouponLines[0].Discount.String())

	assert.Contains(t, string(mustGetRaw(t, srv, "products/"+itoa(pid))), `"brands":[]`)
	parent, err := srv.AddProduct(woocommercetest.Product{Name: "Tee", Type: "variable"})
	require.NoError(t, err)
	p, _, err := c.Products.Get(ctx, parent)
	require.NoError(t, err)
	assert.True(t, p.HasOptions)

	w, _, err := c.Webhooks.Create(ctx, &woocommerce.WebhookRequest{Topic: woocommerce.Ptr("order.updated"),
		DeliveryURL: woocommerce.Ptr("http://127.0.0.1:9/hook")})
	require.NoError(t, err)
	rawHook := string(mustGetRaw(t, srv, "webhooks/"+itoa(w.ID)))
	assert.Contains(t, rawHook, `"date_modified":null`, "a new webhook was never modified")
	assert.True(t, w.DateModifiedGMT.IsZero())
}
