package woosync_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// wooOrder creates a WooCommerce order of qty mugs with a shipping line of this method.
func (e *env) wooOrder(product, qty int64, method string, coupons ...string) int64 {
	e.t.Helper()
	req := &woocommerce.OrderRequest{Status: woocommerce.Ptr(woocommerce.OrderPending),
		Billing:       &woocommerce.Address{FirstName: "Ada", Email: "ada@example.com"},
		LineItems:     []woocommerce.LineItemRequest{{ProductID: product, Quantity: woocommerce.Ptr(qty)}},
		ShippingLines: []woocommerce.ShippingLineRequest{{MethodID: method, MethodTitle: method, Total: woocommerce.Ptr(woocommerce.MustMoney("0"))}}}
	for _, c := range coupons {
		req.CouponLines = append(req.CouponLines, woocommerce.CouponLineRequest{Code: c})
	}
	o, _, err := e.wc.Orders.Create(e.ctx, req)
	require.NoError(e.t, err)
	return o.ID
}

func (e *env) setStatus(id int64, st woocommerce.OrderStatus) {
	e.t.Helper()
	_, _, err := e.wc.Orders.Update(e.ctx, id, &woocommerce.OrderRequest{Status: &st})
	require.NoError(e.t, err)
}

func (e *env) sync(id int64) woosync.OrderAction {
	e.t.Helper()
	act, err := e.syncer.SyncOrder(e.ctx, id)
	require.NoError(e.t, err)
	return act
}

// sitooOrderOf returns the Sitoo order with the WooCommerce order's external id.
func (e *env) sitooOrderOf(wooID int64) (sitoo.Order, int) {
	e.t.Helper()
	sc, err := e.sitoo.NewClient()
	require.NoError(e.t, err)
	var found []sitoo.Order
	for o, err := range sc.Site(1).Orders.All(e.ctx, nil) {
		require.NoError(e.t, err)
		if o.ExternalID == "woo-"+itoa(wooID) {
			found = append(found, o)
		}
	}
	if len(found) == 0 {
		return sitoo.Order{}, 0
	}
	return found[0], len(found)
}

func (e *env) deliveriesOf(sitooID int64) []sitoo.OrderDelivery {
	e.t.Helper()
	sc, err := e.sitoo.NewClient()
	require.NoError(e.t, err)
	ds, _, err := sc.Site(1).OrderDeliveries.List(e.ctx, sitooID, nil)
	require.NoError(e.t, err)
	return ds
}

func TestClickAndCollect_SentOnceAcrossStatusesAndRetries(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(func(s *woosync.Settings) {
		s.CACMethodID, s.CACOrderClosed = "local_pickup", true
		s.CACStatuses = []woocommerce.OrderStatus{woocommerce.OrderProcessing, woocommerce.OrderCompleted}
	})
	mug := e.simple("Mug", "MUG-1", 50)
	id := e.wooOrder(mug, 2, "local_pickup")
	home := e.wooOrder(mug, 1, "flat_rate")

	assert.Equal(t, woosync.OrderIgnored, e.sync(id), "pending is not a chosen status")
	e.setStatus(id, woocommerce.OrderProcessing)
	e.setStatus(home, woocommerce.OrderProcessing)
	assert.Equal(t, woosync.OrderSent, e.sync(id))
	assert.Equal(t, woosync.OrderIgnored, e.sync(home), "not click & collect")
	assert.Equal(t, woosync.OrderUnchanged, e.sync(id))
	e.setStatus(id, woocommerce.OrderCompleted)
	assert.Equal(t, woosync.OrderUnchanged, e.sync(id))

	so, n := e.sitooOrderOf(id)
	require.Equal(t, 1, n)
	assert.Equal(t, sitoo.OrderStateClosed, so.OrderStateID)
	require.NotNil(t, so.WarehouseID)
	assert.Equal(t, e.virtual, *so.WarehouseID)
	require.Len(t, so.OrderItems, 1, "no shipping row for click & collect")
	assert.Equal(t, "MUG-1", so.OrderItems[0].SKU)
	assert.Empty(t, e.deliveriesOf(so.OrderID), "delivered only with DeliverAfterSync")

	// A crash after the Sitoo create, before the mapping: the retry finds the order.
	require.NoError(t, e.store.DeleteMapping(e.ctx, woosync.KindOrder, id))
	assert.Equal(t, woosync.OrderSent, e.sync(id))
	_, n = e.sitooOrderOf(id)
	assert.Equal(t, 1, n)
	before := e.sitoo.Orders()

	// The bulk operation creates only the missing ones.
	other := e.wooOrder(mug, 1, "local_pickup")
	e.setStatus(other, woocommerce.OrderProcessing)
	rep, err := e.syncer.Run(e.ctx, woosync.StepSendCACOrders, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Steps[0].Done)
	assert.Equal(t, 1, rep.Steps[0].Skipped)
	assert.Equal(t, before+1, e.sitoo.Orders())
	_, err = e.syncer.Run(e.ctx, woosync.StepSendCACOrders, nil)
	require.NoError(t, err)
	assert.Equal(t, before+1, e.sitoo.Orders())

	// Orders sent from WooCommerce do not come back with the Sitoo order fetch, even when the
	// mappings are gone (Clear All).
	require.NoError(t, e.store.ClearMappings(e.ctx))
	rep, err = e.syncer.Run(e.ctx, woosync.StepFetchOrders, nil)
	require.NoError(t, err)
	assert.Zero(t, rep.Steps[0].Done)
	assert.Empty(t, e.fetchedOrders())
}

func TestFIFOStockThroughOrders_ReduceAndRestock(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(func(s *woosync.Settings) { s.WarehouseID, s.SendStockChanges = e.fifo, true })
	mug := e.simple("Mug", "MUG-1", 50)
	_, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil) // Sitoo moves stock of its own products only
	require.NoError(t, err)
	e.sitoo.SetStock(1, e.fifo, "MUG-1", sitoo.DecimalFromInt(10))
	id := e.wooOrder(mug, 3, "flat_rate")

	assert.Equal(t, woosync.OrderIgnored, e.sync(id))
	assert.Equal(t, int64(10), e.sitoo.Stock(1, e.fifo, "MUG-1").IntPart(), "pending moves no stock")
	e.setStatus(id, woocommerce.OrderProcessing)
	assert.Equal(t, woosync.OrderSent, e.sync(id))
	assert.Equal(t, int64(7), e.sitoo.Stock(1, e.fifo, "MUG-1").IntPart(), "processing reduces")
	assert.Equal(t, woosync.OrderUnchanged, e.sync(id))
	assert.Equal(t, int64(7), e.sitoo.Stock(1, e.fifo, "MUG-1").IntPart())

	e.setStatus(id, woocommerce.OrderCancelled)
	assert.Equal(t, woosync.OrderRestocked, e.sync(id))
	assert.Equal(t, int64(10), e.sitoo.Stock(1, e.fifo, "MUG-1").IntPart(), "cancelled restocks")
	assert.Equal(t, woosync.OrderUnchanged, e.sync(id))
	assert.Equal(t, int64(10), e.sitoo.Stock(1, e.fifo, "MUG-1").IntPart(), "once")
	so, _ := e.sitooOrderOf(id)
	assert.Equal(t, sitoo.OrderStateCancelled, so.OrderStateID)
}

func TestFIFORestock_CrashBeforeCancelRestocksOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(func(s *woosync.Settings) { s.WarehouseID, s.SendStockChanges = e.fifo, true })
	mug := e.simple("Mug", "MUG-1", 50)
	_, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)
	e.sitoo.SetStock(1, e.fifo, "MUG-1", sitoo.DecimalFromInt(10))
	id := e.wooOrder(mug, 3, "flat_rate")
	e.setStatus(id, woocommerce.OrderProcessing)
	require.Equal(t, woosync.OrderSent, e.sync(id))
	require.Equal(t, int64(7), e.sitoo.Stock(1, e.fifo, "MUG-1").IntPart())
	so, _ := e.sitooOrderOf(id)

	// The restock goes through, then the cancel fails (as if the process died between the two).
	e.setStatus(id, woocommerce.OrderCancelled)
	e.sitoo.Faults().Add(faults.Rule{Method: http.MethodPut, Path: e.sitoo.Path("sites/1/orders/" + itoa(so.OrderID) + ".json"),
		Times: 1, Status: http.StatusBadRequest, Body: `{"statuscode":400,"errortext":"crash"}`})
	_, err = e.syncer.SyncOrder(e.ctx, id)
	require.Error(t, err)
	assert.Equal(t, int64(10), e.sitoo.Stock(1, e.fifo, "MUG-1").IntPart(), "restocked before the crash")

	// The retry finds the restock in Sitoo and only cancels.
	assert.Equal(t, woosync.OrderRestocked, e.sync(id))
	assert.Equal(t, int64(10), e.sitoo.Stock(1, e.fifo, "MUG-1").IntPart(), "restocked once")
	so, _ = e.sitooOrderOf(id)
	assert.Equal(t, sitoo.OrderStateCancelled, so.OrderStateID)
}

func TestShippingRowsAndVAT_SitooTotalExact(t *testing.T) {
	t.Parallel()
	// WooCommerce with taxes: 2 mugs at 50.00 + 25% VAT, shipping 40.00 + 10.00 VAT, a fee of
	// 8.00 + 2.00 VAT and a negative fee of -4.00 - 1.00 VAT; 180.00 in all.
	// (The WooCommerce fake keeps taxes at zero, so the order comes as a webhook payload would.)
	order := func(id int64) *woocommerce.Order {
		return &woocommerce.Order{ID: id, Number: itoa(id), Status: woocommerce.OrderProcessing, Currency: "SEK",
			Total: woocommerce.MustMoney("180.00"),
			LineItems: []woocommerce.LineItem{{Name: "Mug", SKU: "MUG-1", Quantity: 2,
				Total: woocommerce.MustMoney("100.00"), TotalTax: woocommerce.MustMoney("25.00")}},
			ShippingLines: []woocommerce.ShippingLine{{MethodID: "flat_rate", MethodTitle: "Flat rate",
				Total: woocommerce.MustMoney("40.00"), TotalTax: woocommerce.MustMoney("10.00")}},
			FeeLines: []woocommerce.FeeLine{{Name: "Gift wrap", Total: woocommerce.MustMoney("8.00"), TotalTax: woocommerce.MustMoney("2.00")},
				{Name: "Loyalty discount", Total: woocommerce.MustMoney("-4.00"), TotalTax: woocommerce.MustMoney("-1.00")}}}
	}
	for _, tc := range []struct {
		name           string
		rows, vat      bool
		force, virtual bool // the seed's condition: rows only to a non-virtual warehouse without force
		total, items   string
	}{
		{"rows and VAT", true, true, false, false, "180.00", "4"},
		{"rows without VAT", true, false, false, false, "144.00", "4"},
		{"VAT without rows", false, true, false, false, "130.00", "3"},
		{"neither", false, false, false, false, "104.00", "3"},
		// Otherwise a non-CAC order is not sent at all (stock is sent instantly), so no rows.
		{"forced instant stock", true, true, true, false, "", ""},
		{"virtual warehouse", true, true, false, true, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t, envOption{})
			e.connect(func(s *woosync.Settings) {
				s.WarehouseID, s.SendStockChanges, s.ShippingAsRows, s.PricesIncludeVAT = e.fifo, true, tc.rows, tc.vat
				s.ForceInstantStock = tc.force
				if tc.virtual {
					s.WarehouseID = e.virtual
				}
			})
			e.sitoo.SetStock(1, e.fifo, "MUG-1", sitoo.DecimalFromInt(10))
			act, err := e.syncer.HandleOrder(e.ctx, order(41))
			require.NoError(t, err)
			if tc.force || tc.virtual {
				assert.Equal(t, woosync.OrderIgnored, act)
				_, n := e.sitooOrderOf(41)
				assert.Zero(t, n, "no Sitoo order, so no shipping rows")
				return
			}
			require.Equal(t, woosync.OrderSent, act)
			so, _ := e.sitooOrderOf(41)
			assert.Equal(t, tc.total, so.MoneyTotalGrossAll.StringFixed(2))
			assert.Equal(t, tc.items, itoa(int64(len(so.OrderItems))))
		})
	}
}

func TestDeliverAfterSync_OnlyCompleted(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(func(s *woosync.Settings) {
		s.CACMethodID, s.DeliverAfterSync = "local_pickup", true
		s.CACStatuses = []woocommerce.OrderStatus{woocommerce.OrderProcessing, woocommerce.OrderCompleted}
	})
	mug := e.simple("Mug", "MUG-1", 50)
	e.sitoo.SetStock(1, e.virtual, "MUG-1", sitoo.DecimalFromInt(10))
	id := e.wooOrder(mug, 2, "local_pickup")
	e.setStatus(id, woocommerce.OrderProcessing)
	assert.Equal(t, woosync.OrderSent, e.sync(id))
	so, _ := e.sitooOrderOf(id)
	assert.Empty(t, e.deliveriesOf(so.OrderID), "processing: not delivered")

	e.setStatus(id, woocommerce.OrderCompleted)
	assert.Equal(t, woosync.OrderDelivered, e.sync(id))
	ds := e.deliveriesOf(so.OrderID)
	require.Len(t, ds, 1)
	require.Len(t, ds[0].OrderDeliveryItems, 1)
	assert.Equal(t, int64(2), ds[0].OrderDeliveryItems[0].Quantity)
	assert.Equal(t, woosync.OrderUnchanged, e.sync(id))
	assert.Len(t, e.deliveriesOf(so.OrderID), 1, "delivered once")
}

func TestAppliedCouponsAsVouchers_MatchByCodeNoDuplicates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(func(s *woosync.Settings) {
		s.CACMethodID, s.SendCoupons = "local_pickup", true
		s.CACStatuses = []woocommerce.OrderStatus{woocommerce.OrderProcessing}
	})
	existing := e.sitoo.AddVoucher(1, sitoo.Voucher{VoucherCode: "WINTER5", VoucherName: "Winter", VoucherType: 110})
	for _, c := range []woocommercetest.Coupon{{Code: "summer10", DiscountType: "percent", Amount: "10"}, {Code: "winter5", Amount: "5"}} {
		_, err := e.woo.AddCoupon(c)
		require.NoError(t, err)
	}
	mug := e.simple("Mug", "MUG-1", 50)
	for range 2 {
		id := e.wooOrder(mug, 1, "local_pickup", "summer10", "winter5")
		e.setStatus(id, woocommerce.OrderProcessing)
		assert.Equal(t, woosync.OrderSent, e.sync(id))
	}
	_, err := e.woo.AddCoupon(woocommercetest.Coupon{Code: "autumn3", Amount: "3"})
	require.NoError(t, err)
	home := e.wooOrder(mug, 1, "flat_rate", "autumn3")
	e.setStatus(home, woocommerce.OrderProcessing)
	assert.Equal(t, woosync.OrderIgnored, e.sync(home), "not sent to Sitoo, but its coupon is")
	sc, err := e.sitoo.NewClient()
	require.NoError(t, err)
	codes := map[string]int{}
	for v, err := range sc.Site(1).Vouchers.All(e.ctx, nil) {
		require.NoError(t, err)
		codes[v.VoucherCode]++
	}
	assert.Equal(t, map[string]int{"SUMMER10": 1, "WINTER5": 1, "AUTUMN3": 1}, codes)
	m, err := e.store.MappingByKey(e.ctx, woosync.KindCoupon, "winter5")
	require.NoError(t, err)
	assert.Equal(t, existing, m.SitooID, "matched by code, not created")
}

func TestClickAndCollect_FromOrderUpdatedWebhook(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(func(s *woosync.Settings) {
		s.CACMethodID, s.CACStatuses = "local_pickup", []woocommerce.OrderStatus{woocommerce.OrderProcessing}
	})
	mug := e.simple("Mug", "MUG-1", 50)
	e.hook()
	id := e.wooOrder(mug, 2, "local_pickup")
	require.NoError(t, e.woo.FlushWebhooks(e.ctx))
	_, n := e.sitooOrderOf(id)
	assert.Zero(t, n, "pending: not sent")

	e.setStatus(id, woocommerce.OrderProcessing)
	require.NoError(t, e.woo.FlushWebhooks(e.ctx))
	e.setStatus(id, woocommerce.OrderCompleted)
	require.NoError(t, e.woo.FlushWebhooks(e.ctx))
	so, n := e.sitooOrderOf(id)
	require.Equal(t, 1, n, "sent once by the webhooks")
	assert.Equal(t, "MUG-1", so.OrderItems[0].SKU)
	assert.Equal(t, sitoo.OrderStateOpen, so.OrderStateID, "created open: CACOrderClosed is off")
	for _, d := range e.woo.Deliveries() {
		assert.True(t, d.Success, d.Topic)
	}
}
