package woosync_test

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// sitooOrder creates a Sitoo order of site 1 with one product row per SKU (quantity qty, 100.00
// gross at 25% VAT) and returns its id.
func (e *env) sitooOrder(qty int64, skus ...string) int64 {
	e.t.Helper()
	sc, err := e.sitoo.NewClient()
	require.NoError(e.t, err)
	req := &sitoo.OrderRequest{OrderTypeID: woocommerce.Ptr(sitoo.OrderTypeOrder), Email: woocommerce.Ptr("ada@example.com"),
		NameFirst: woocommerce.Ptr("Ada")}
	for _, sku := range skus {
		price, vat := sitoo.MustMoney("100.00"), sitoo.PercentFromInt(25)
		req.OrderItems = append(req.OrderItems, sitoo.OrderItemRequest{ProductName: "Item " + sku, SKU: sku, Quantity: qty,
			MoneyRowPrice: &price, VATValue: &vat})
	}
	id, _, err := sc.Site(1).Orders.Create(e.ctx, req)
	require.NoError(e.t, err)
	return id
}

// deliver delivers qty of each listed order item (by row index) from the FIFO warehouse,
// leaving stock alone.
func (e *env) deliver(orderID int64, qty int64, rows ...int64) {
	e.t.Helper()
	sc, err := e.sitoo.NewClient()
	require.NoError(e.t, err)
	d := &sitoo.OrderDeliveryRequest{WarehouseID: e.fifo}
	for _, r := range rows {
		d.OrderDeliveryItems = append(d.OrderDeliveryItems, sitoo.OrderDeliveryItem{OrderItemID: r, Quantity: qty})
	}
	_, _, err = sc.Site(1).OrderDeliveries.Create(e.ctx, orderID, d, &sitoo.OrderDeliveryOptions{IgnoreStock: true})
	require.NoError(e.t, err)
}

// fetchedOrders returns the WooCommerce orders by their Sitoo order id.
func (e *env) fetchedOrders() map[int64]woocommerce.Order {
	e.t.Helper()
	out := map[int64]woocommerce.Order{}
	for o, err := range e.wc.Orders.All(e.ctx, nil) {
		require.NoError(e.t, err)
		for _, m := range o.MetaData {
			if m.Key == woosync.MetaSitooOrderID {
				sid, ok := sitooIDOf(e.t, m.Value)
				require.True(e.t, ok)
				_, dup := out[sid]
				require.False(e.t, dup, "Sitoo order %d fetched twice", sid)
				out[sid] = o
			}
		}
	}
	return out
}

func TestFetchOrders_Store2DoorWithPartialDeliveries(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(func(s *woosync.Settings) { s.Store2DoorOrderStatus = "on-hold" })
	e.simple("Mug", "MUG-1", 5)
	_, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)

	full := e.sitooOrder(2, "MUG-1", "CUP-9")
	e.deliver(full, 2, 0, 1) // everything delivered: a regular order
	partial := e.sitooOrder(2, "MUG-1", "CUP-9")
	e.deliver(partial, 2, 0)
	e.deliver(partial, 1, 1) // one cup of two still to deliver: Store2Door
	none := e.sitooOrder(1, "MUG-1")

	_, err = e.syncer.Run(e.ctx, woosync.StepFetchStore2Door, nil)
	require.NoError(t, err)
	got := e.fetchedOrders()
	require.Len(t, got, 2)
	assert.Contains(t, got, partial)
	assert.Contains(t, got, none)
	assert.Equal(t, woocommerce.OrderStatus("on-hold"), got[partial].Status)
	require.Len(t, got[partial].LineItems, 1, "MUG-1 is synced: a line item")
	require.Len(t, got[partial].FeeLines, 1, "CUP-9 is not: a fee line")
	assert.Equal(t, "80.00", got[partial].LineItems[0].Total.StringFixed(2), "the row's price before VAT")
	assert.Equal(t, "Ada", got[partial].Billing.FirstName)
	assert.True(t, hasMeta(got[partial], woosync.MetaCreatedVia, woosync.CreatedViaSitoo))
}

func TestFetchOrders_AllWithStatusesAndWatermark(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{woo: []woocommercetest.Option{woocommercetest.WithOrderStatuses("pos-sale")}})
	e.connect(func(s *woosync.Settings) { s.RegularOrderStatus = "pos-sale" })
	delivered := e.sitooOrder(1, "A")
	e.deliver(delivered, 1, 0)
	open := e.sitooOrder(1, "B")

	_, err := e.syncer.Run(e.ctx, woosync.StepFetchOrders, nil)
	require.NoError(t, err)
	got := e.fetchedOrders()
	require.Len(t, got, 2)
	assert.Equal(t, woocommerce.OrderStatus("pos-sale"), got[delivered].Status, "a custom status")
	assert.Equal(t, woosync.DefaultStore2DoorOrderStatus, got[open].Status)

	// The next run reads only the orders after the watermark.
	e.sitoo.ResetStats()
	later := e.sitooOrder(1, "C")
	rep, err := e.syncer.Run(e.ctx, woosync.StepFetchOrders, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Steps[0].Done)
	assert.Equal(t, 0, rep.Steps[0].Skipped, "orders before the watermark are not read again")
	assert.Len(t, e.fetchedOrders(), 3)
	assert.Contains(t, e.fetchedOrders(), later)
}

// failOrderMapping is a Store whose next order mappings fail, as if the process died between
// creating the WooCommerce orders and recording them.
type failOrderMapping struct {
	*woosync.MemoryStore
	fail bool
}

func (s *failOrderMapping) PutMapping(ctx context.Context, m woosync.Mapping) error {
	if s.fail && m.Kind == woosync.KindOrder {
		return errors.New("crash")
	}
	return s.MemoryStore.PutMapping(ctx, m)
}

func TestFetchOrders_NoDuplicateOnRepeatOrAfterCrash(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	crashing := &failOrderMapping{MemoryStore: e.store, fail: true}
	s2, err := woosync.New(crashing, e.wc, woosync.WithEncryptionKey(testKey), woosync.WithLogger(slog.New(slog.DiscardHandler)),
		woosync.WithSitooOptions(sitoo.WithHTTPClient(e.sitoo.Client())))
	require.NoError(t, err)
	first := e.sitooOrder(1, "A")
	second := e.sitooOrder(1, "B")

	_, err = s2.Run(e.ctx, woosync.StepFetchOrders, nil)
	require.Error(t, err, "the mapping write fails after WooCommerce created the orders")
	require.Len(t, e.fetchedOrders(), 2)

	crashing.fail = false
	for range 3 {
		_, err = s2.Run(e.ctx, woosync.StepFetchOrders, nil)
		require.NoError(t, err)
	}
	got := e.fetchedOrders() // fails on a duplicate
	require.Len(t, got, 2)
	for _, sid := range []int64{first, second} {
		m, err := e.store.MappingBySitoo(e.ctx, woosync.KindOrder, sid)
		require.NoError(t, err)
		assert.Equal(t, got[sid].ID, m.WooID)
	}

	// Even with the watermark reset, mapped orders are not created again.
	require.NoError(t, e.store.ResetTimestamps(e.ctx))
	_, err = e.syncer.Run(e.ctx, woosync.StepFetchOrders, nil)
	require.NoError(t, err)
	assert.Len(t, e.fetchedOrders(), 2)
}

func sitooIDOf(t testing.TB, raw json.RawMessage) (int64, bool) {
	t.Helper()
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil
}

func hasMeta(o woocommerce.Order, key, value string) bool {
	for _, m := range o.MetaData {
		var s string
		if m.Key == key && json.Unmarshal(m.Value, &s) == nil && s == value {
			return true
		}
	}
	return false
}
