package woocommercetest_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// noteTexts lists an order's notes oldest first.
func noteTexts(t *testing.T, c *woocommerce.Client, orderID int64) []string {
	t.Helper()
	notes, _, err := c.OrderNotes.List(ctxT(t), orderID, nil)
	require.NoError(t, err)
	var texts []string
	for _, n := range notes {
		texts = append(texts, n.Note)
	}
	slices.Reverse(texts)
	return texts
}

// A full refund through the API leaves wc_restock_refunded_items' notes and then the status
// change note; an item whose stock was never reduced or is not managed is not restocked.
func TestFullRefundNotes(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	mug, _ := srv.AddProduct(woocommercetest.Product{Name: "Mug", RegularPrice: "12.50", ManageStock: true, StockQuantity: 5})
	tee, _ := srv.AddProduct(woocommercetest.Product{Name: "Tee", RegularPrice: "10"})
	lines := []woocommercetest.Line{{ProductID: mug, Quantity: 2}, {ProductID: tee, Quantity: 1}}
	refundAll := func(id int64) {
		t.Helper()
		o, _, err := c.Orders.Get(ctx, id)
		require.NoError(t, err)
		var rl []woocommerce.RefundLineRequest
		for _, l := range o.LineItems {
			rl = append(rl, woocommerce.RefundLineRequest{ID: l.ID, Quantity: l.Quantity, RefundTotal: woocommerce.Ptr(l.Total)})
		}
		_, _, err = c.Refunds.Create(ctx, id, &woocommerce.RefundRequest{Amount: woocommerce.Ptr(o.Total), LineItems: rl})
		require.NoError(t, err)
	}

	paid, err := srv.AddOrder(woocommercetest.Order{SetPaid: true, Lines: lines})
	require.NoError(t, err)
	refundAll(paid)
	p, _ := srv.Product(mug)
	assert.Equal(t, int64(5), p.StockQuantity)
	assert.Equal(t, []string{
		fmt.Sprintf("Stock levels reduced: Mug (#%d) 5&rarr;3", mug),
		"Order status changed from Pending payment to Processing.",
		fmt.Sprintf("Item #%d stock increased from 3 to 5.", mug),
		"Order status changed from Processing to Refunded.",
	}, noteTexts(t, c, paid))

	unpaid, err := srv.AddOrder(woocommercetest.Order{Lines: lines})
	require.NoError(t, err)
	refundAll(unpaid)
	p, _ = srv.Product(mug)
	assert.Equal(t, int64(5), p.StockQuantity, "no _reduced_stock, nothing to restock")
	assert.Equal(t, []string{"Order status changed from Pending payment to Refunded."}, noteTexts(t, c, unpaid))
}

// Setting an order to refunded by hand runs wc_order_fully_refunded: a refund "Order fully
// refunded." and its note, before the status change note.
func TestRefundedByHandNotes(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	gift, _ := srv.AddProduct(woocommercetest.Product{Name: "Gift", RegularPrice: "20"})
	id, err := srv.AddOrder(woocommercetest.Order{SetPaid: true, Lines: []woocommercetest.Line{{ProductID: gift}}})
	require.NoError(t, err)
	o, _, err := c.Orders.Update(ctx, id, &woocommerce.OrderRequest{Status: woocommerce.Ptr(woocommerce.OrderRefunded)})
	require.NoError(t, err)
	require.Len(t, o.Refunds, 1)
	assert.Equal(t, "Order fully refunded.", o.Refunds[0].Reason)
	assert.Equal(t, []string{
		"Order status changed from Pending payment to Processing.",
		"Order status set to refunded. To return funds to the customer you will need to issue a refund through your payment gateway.",
		"Order status changed from Processing to Refunded.",
	}, noteTexts(t, c, id))
}

// A cancelled order gets back only what its refunds did not already restock (_reduced_stock).
func TestCancelAfterRestockingRefund(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	mug, _ := srv.AddProduct(woocommercetest.Product{Name: "Mug", RegularPrice: "12.50", ManageStock: true, StockQuantity: 5})
	id, err := srv.AddOrder(woocommercetest.Order{SetPaid: true, Lines: []woocommercetest.Line{{ProductID: mug, Quantity: 2}}})
	require.NoError(t, err)
	o, _, err := c.Orders.Get(ctx, id)
	require.NoError(t, err)
	_, _, err = c.Refunds.Create(ctx, id, &woocommerce.RefundRequest{Amount: woocommerce.Ptr(money("12.50")),
		LineItems: []woocommerce.RefundLineRequest{{ID: o.LineItems[0].ID, Quantity: 1, RefundTotal: woocommerce.Ptr(money("12.50"))}}})
	require.NoError(t, err)
	require.NoError(t, srv.SetOrderStatus(id, "cancelled"))
	p, _ := srv.Product(mug)
	assert.Equal(t, int64(5), p.StockQuantity)
	assert.Equal(t, []string{
		fmt.Sprintf("Stock levels reduced: Mug (#%d) 5&rarr;3", mug),
		"Order status changed from Pending payment to Processing.",
		fmt.Sprintf("Item #%d stock increased from 3 to 4.", mug),
		fmt.Sprintf("Stock levels increased: Mug (#%d) 4&rarr;5", mug),
		"Order status changed from Processing to Cancelled.",
	}, noteTexts(t, c, id))
}
