package sitoo_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
)

// sofaOrder is the order of Sitoo's own example: three rows, one with a row discount.
func sofaOrder() *sitoo.OrderRequest {
	return &sitoo.OrderRequest{
		OrderTypeID: sitoo.Ptr(sitoo.OrderTypeOrder), NameFirst: sitoo.Ptr("John"), NameLast: sitoo.Ptr("Smith"),
		Email: sitoo.Ptr("john.smith@example.com"), CurrencyCode: sitoo.Ptr("USD"),
		AdditionalData: map[string]string{sitoo.AdditionalDataCRMCustomerID: "C-42"},
		OrderItems: []sitoo.OrderItemRequest{
			{ProductName: "Sofa Cosy", SKU: "SKU-000001", Quantity: 1, MoneyRowPrice: sitoo.Ptr(sitoo.MustMoney("125")), VATValue: sitoo.Ptr(sitoo.PercentFromInt(25))},
			{ProductName: "Sofa Cosy", SKU: "SKU-000002", Quantity: 2, MoneyRowPrice: sitoo.Ptr(sitoo.MustMoney("250")),
				MoneyRowDiscount: sitoo.Ptr(sitoo.MustMoney("50")), VATValue: sitoo.Ptr(sitoo.PercentFromInt(25))},
			{ProductName: "Sofa Stressless", SKU: "SKU-000003", Quantity: 1, MoneyRowPrice: sitoo.Ptr(sitoo.MustMoney("106")), VATValue: sitoo.Ptr(sitoo.PercentFromInt(6))},
		},
		Payments: []sitoo.Payment{{Name: "Card", MoneyAmount: sitoo.MustMoney("431"), RefType: "verifonelpp", CardIssuer: "Mastercard"}},
	}
}

func TestOrdersCreateGetUpdateCancel(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.SeedProducts(1, 3)
	ctx := t.Context()
	orders := c.Site(1).Orders

	id, _, err := orders.Create(ctx, sofaOrder())
	require.NoError(t, err)
	o, _, err := orders.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, int64(1), o.EshopID)
	assert.Equal(t, sitoo.OrderStateOpen, o.OrderStateID)
	assert.Equal(t, sitoo.OrderTypeOrder, o.OrderTypeID)
	assert.Equal(t, "360.00", o.MoneyTotalNet.String())
	assert.Equal(t, "71.00", o.MoneyTotalVAT.String())
	assert.Equal(t, "431.00", o.MoneyTotalGrossAll.String())
	require.Len(t, o.OrderItems, 3)
	assert.Equal(t, "80.00", o.OrderItems[1].MoneyNetPricePerUnit.String())
	assert.Equal(t, "20.00", o.OrderItems[1].MoneyDiscount.String())
	assert.Equal(t, "C-42", o.AdditionalData[sitoo.AdditionalDataCRMCustomerID])
	require.Len(t, o.Payments, 1)
	assert.Equal(t, "431.00", o.Payments[0].MoneyAmount.String())
	assert.False(t, o.OrderDate.IsZero())

	require.NoError(t, errOf(orders.Update(ctx, id, &sitoo.OrderRequest{NameFirst: sitoo.Ptr("Adam"),
		PaymentStateID: sitoo.Ptr(sitoo.PaymentStateSuccessful)})))
	o, _, err = orders.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "Adam", o.NameFirst)
	assert.Equal(t, "Smith", o.NameLast)
	assert.Equal(t, sitoo.PaymentStateSuccessful, o.PaymentStateID)
	assert.Len(t, o.OrderItems, 3, "a partial update keeps the rows")

	// Orders cannot be deleted; they are cancelled.
	require.NoError(t, errOf(orders.Cancel(ctx, id)))
	o, _, err = orders.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, sitoo.OrderStateCancelled, o.OrderStateID)

	_, _, err = orders.Create(ctx, &sitoo.OrderRequest{})
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
	_, _, err = orders.Get(ctx, 987654)
	require.ErrorIs(t, err, sitoo.ErrNotFound)
}

func TestOrdersListAcrossSitesWithFilters(t *testing.T) {
	t.Parallel()
	base := time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)
	srv, c := newFake(t, sitootest.WithSites(1, 2))
	wh := srv.AddWarehouse(2, sitoo.Warehouse{Name: "Store 2"})
	add := func(site int64, o sitoo.Order) int64 { return srv.AddOrder(site, o) }
	o1 := add(1, sitoo.Order{OrderTypeID: sitoo.OrderTypeOrder, OrderStateID: sitoo.OrderStateClosed, PaymentStateID: sitoo.PaymentStateSuccessful,
		OrderDate: sitoo.NewUnixTime(base), Email: "a@example.com", ExternalID: "W-1"})
	o2 := add(2, sitoo.Order{OrderTypeID: sitoo.OrderTypeBooking, OrderStateID: sitoo.OrderStateOpen, PaymentStateID: sitoo.PaymentStateReserved,
		OrderDate: sitoo.NewUnixTime(base.Add(24 * time.Hour)), WarehouseID: &wh,
		AdditionalData: map[string]string{sitoo.AdditionalDataPOSReceiptID: "R-77"}})
	o3 := add(2, sitoo.Order{OrderTypeID: sitoo.OrderTypeOrder, OrderStateID: sitoo.OrderStateCancelled, CreditOrderID: &o1,
		OrderDate: sitoo.NewUnixTime(base.Add(48 * time.Hour)), Email: "a@example.com"})
	ctx := t.Context()

	ids := func(opts *sitoo.OrderListOptions) []int64 {
		var out []int64
		for o, err := range c.Orders.All(ctx, opts) {
			require.NoError(t, err)
			out = append(out, o.OrderID)
		}
		return out
	}
	assert.Equal(t, []int64{o3, o2, o1}, ids(nil), "newest first by default")
	assert.Equal(t, []int64{o1, o2, o3}, ids(&sitoo.OrderListOptions{ListOptions: sitoo.ListOptions{Sort: "orderid", Num: 1}}))
	assert.Equal(t, []int64{o3, o2}, ids(&sitoo.OrderListOptions{EshopID: []int64{2}}))
	assert.Equal(t, []int64{o3, o1}, ids(&sitoo.OrderListOptions{OrderState: []sitoo.OrderState{sitoo.OrderStateClosed, sitoo.OrderStateCancelled}}))
	assert.Equal(t, []int64{o2}, ids(&sitoo.OrderListOptions{PaymentState: []sitoo.PaymentState{sitoo.PaymentStateReserved}}))
	assert.Equal(t, []int64{o2}, ids(&sitoo.OrderListOptions{OrderType: []sitoo.OrderType{sitoo.OrderTypeBooking}}))
	assert.Equal(t, []int64{o2}, ids(&sitoo.OrderListOptions{WarehouseID: []int64{wh}}))
	assert.Equal(t, []int64{o1}, ids(&sitoo.OrderListOptions{ExternalID: []string{"W-1"}}))
	assert.Equal(t, []int64{o3, o1}, ids(&sitoo.OrderListOptions{Email: "a@example.com"}))
	assert.Equal(t, []int64{o3, o1}, ids(&sitoo.OrderListOptions{OrderID: []int64{o1, o3}}))
	assert.Equal(t, []int64{o2}, ids(&sitoo.OrderListOptions{ReceiptID: "R-77"}))
	assert.Equal(t, []int64{o3}, ids(&sitoo.OrderListOptions{CreditOrderID: o1}))
	assert.Equal(t, []int64{o2}, ids(&sitoo.OrderListOptions{OrderIDFrom: o2, OrderIDTo: o3}), "from is inclusive, to exclusive")
	assert.Equal(t, []int64{o3, o2}, ids(&sitoo.OrderListOptions{OrderDateFrom: base.Add(time.Hour)}))
	assert.Equal(t, []int64{o2, o1}, ids(&sitoo.OrderListOptions{OrderDateTo: base.Add(25 * time.Hour)}))

	// A site's view lists only its own orders.
	list, resp, err := c.Site(1).Orders.List(ctx, &sitoo.OrderListOptions{EshopID: []int64{2}})
	require.NoError(t, err)
	assert.Equal(t, 1, resp.TotalCount)
	require.Len(t, list, 1)
	assert.Equal(t, o1, list[0].OrderID)
	assert.Len(t, collect(t, c.Site(2).Orders.All(ctx, nil)), 2)
}

func TestOrdersCreateWithExternalIDSurvivesLostResponse(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	// The first POST is applied, then its connection is dropped: the client retries, Sitoo
	// refuses the duplicate externalid, and the client finds the order it created.
	srv.Faults().Add(faults.Rule{Method: http.MethodPost, Path: srv.Path("sites/1/orders.json"), Times: 1, ApplyThenDrop: true})
	req := sofaOrder()
	req.ExternalID = sitoo.Ptr("WOO-1001")
	id, resp, err := c.Site(1).Orders.Create(ctx, req)
	require.NoError(t, err)
	require.NotNil(t, resp, "the lookup's response")
	assert.Equal(t, 1, resp.TotalCount)
	assert.Equal(t, 1, srv.Orders(), "exactly one order exists")
	o, ok := srv.Order(id)
	require.True(t, ok)
	assert.Equal(t, "WOO-1001", o.ExternalID)

	// Without an ExternalID the POST is not repeated: the caller learns it may or may not exist.
	srv.Faults().Add(faults.Rule{Method: http.MethodPost, Path: srv.Path("sites/1/orders.json"), Times: 1, ApplyThenDrop: true})
	_, _, err = c.Site(1).Orders.Create(ctx, sofaOrder())
	var te *sitoo.TransportError
	require.ErrorAs(t, err, &te)
	require.ErrorIs(t, err, sitoo.ErrTransport)
	assert.Equal(t, 1, te.Attempts)
	assert.Contains(t, err.Error(), "sitoo: create order: ")
	assert.Equal(t, 2, srv.Orders())

	// A duplicate externalid on a first attempt is the caller's error.
	_, _, err = c.Site(1).Orders.Create(ctx, req)
	require.ErrorIs(t, err, sitoo.ErrBadRequest)
}

func TestOrderDeliveriesMoveStock(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	srv.SeedProducts(1, 3)
	fifo := srv.AddWarehouse(1, sitoo.Warehouse{Name: "Store"})
	virtual := srv.AddWarehouse(1, sitoo.Warehouse{Name: "Web", WarehouseType: sitoo.WarehouseTypeVirtual})
	srv.SetStock(1, fifo, "SKU-000002", sitoo.MustDecimal("10"))
	srv.SetStock(1, virtual, "SKU-000001", sitoo.MustDecimal("10"))
	site := c.Site(1)
	id, _, err := site.Orders.Create(ctx, sofaOrder())
	require.NoError(t, err)
	deliveries := site.OrderDeliveries

	did, _, err := deliveries.Create(ctx, id, &sitoo.OrderDeliveryRequest{WarehouseID: fifo, OrderDeliveryRef: "D123",
		OrderDeliveryItems: []sitoo.OrderDeliveryItem{{OrderItemID: 1, Quantity: 2}}}, nil)
	require.NoError(t, err)
	assert.Equal(t, "8.000", srv.Stock(1, fifo, "SKU-000002").String(), "the delivery took 2 out of the FIFO warehouse")
	txs := srv.Transactions(1)
	require.Len(t, txs, 1)
	require.NotNil(t, txs[0].OrderDeliveryID)
	assert.Equal(t, did, *txs[0].OrderDeliveryID)

	_, _, err = deliveries.Create(ctx, id, &sitoo.OrderDeliveryRequest{WarehouseID: virtual,
		OrderDeliveryItems: []sitoo.OrderDeliveryItem{{OrderItemID: 0, Quantity: 1}}}, nil)
	require.NoError(t, err)
	assert.Equal(t, "9.000", srv.Stock(1, virtual, "SKU-000001").String())
	assert.Len(t, srv.Transactions(1), 1, "no transaction on a Virtual warehouse")

	_, _, err = deliveries.Create(ctx, id, &sitoo.OrderDeliveryRequest{WarehouseID: fifo,
		OrderDeliveryItems: []sitoo.OrderDeliveryItem{{OrderItemID: 2, Quantity: 1}}}, &sitoo.OrderDeliveryOptions{IgnoreStock: true})
	require.NoError(t, err)
	assert.Len(t, srv.Transactions(1), 1, "ignorestock leaves stock alone")

	_, _, err = deliveries.Create(ctx, id, &sitoo.OrderDeliveryRequest{WarehouseID: fifo,
		OrderDeliveryItems: []sitoo.OrderDeliveryItem{{OrderItemID: 1, Quantity: 1}}}, nil)
	require.ErrorIs(t, err, sitoo.ErrBadRequest, "item 1 is fully delivered")

	list := collect(t, deliveries.All(ctx, id, nil))
	require.Len(t, list, 3)
	assert.Equal(t, "D123", list[0].OrderDeliveryRef)
	o, _, err := site.Orders.Get(ctx, id)
	require.NoError(t, err)
	assert.Empty(t, sitoo.Undelivered(o, list))
	assert.Equal(t, map[int64]int64{1: 2}, sitoo.Undelivered(o, list[1:]))
	list[0].DateCancelled = sitoo.NewUnixTime(time.Now())
	assert.Equal(t, map[int64]int64{1: 2}, sitoo.Undelivered(o, list), "a cancelled delivery delivers nothing")

	_, _, err = deliveries.Create(ctx, id, &sitoo.OrderDeliveryRequest{}, nil)
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
	page, _, err := deliveries.List(ctx, id, &sitoo.ListOptions{Num: 1, Start: 2})
	require.NoError(t, err)
	require.Len(t, page, 1)
}
