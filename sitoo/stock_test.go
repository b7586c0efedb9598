package sitoo_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
)

func TestWarehousesCRUD(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	ctx := t.Context()
	wh := c.Site(1).Warehouses

	id, _, err := wh.Create(ctx, &sitoo.WarehouseRequest{Name: sitoo.Ptr("Reclaims"), UseType: sitoo.Ptr(sitoo.WarehouseUseType(40)),
		CurrencyCode: sitoo.Ptr("USD")})
	require.NoError(t, err)
	require.NoError(t, errOf(wh.Update(ctx, id, &sitoo.WarehouseRequest{City: sitoo.Ptr("Stockholm"), StoreID: sitoo.Ptr(sitoo.NullID(0))})))
	w, _, err := wh.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "Reclaims", w.Name)
	assert.Equal(t, "Stockholm", w.City)
	assert.Nil(t, w.StoreID)
	assert.False(t, w.WarehouseType.IsVirtual())

	list, resp, err := wh.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, resp.TotalCount)
	assert.Len(t, list, 1)
	assert.Len(t, collect(t, wh.All(ctx, nil)), 1)

	_, _, err = wh.Create(ctx, &sitoo.WarehouseRequest{Name: sitoo.Ptr("x")})
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
	require.NoError(t, errOf(wh.Delete(ctx, id)))
	_, _, err = wh.Get(ctx, id)
	require.ErrorIs(t, err, sitoo.ErrNotFound)
}

// stockFixture is a site with products SKU-000001..3, a Virtual and a FIFO warehouse.
func stockFixture(t *testing.T) (*sitootest.Server, *sitoo.Client, int64, int64) {
	t.Helper()
	srv, c := newFake(t)
	srv.SeedProducts(1, 3)
	virtual := srv.AddWarehouse(1, sitoo.Warehouse{Name: "Webshop", WarehouseType: sitoo.WarehouseTypeVirtual})
	fifo := srv.AddWarehouse(1, sitoo.Warehouse{Name: "Store"})
	return srv, c, virtual, fifo
}

func TestWarehouseItemsSetOnVirtualOnly(t *testing.T) {
	t.Parallel()
	srv, c, virtual, fifo := stockFixture(t)
	ctx := t.Context()
	items := c.Site(1).WarehouseItems

	rs, _, err := items.Set(ctx, virtual, []sitoo.WarehouseItemRequest{
		{SKU: "SKU-000001", DecimalTotal: sitoo.Ptr(sitoo.MustDecimal("5")), BinLocation: sitoo.Ptr("I3:S4")},
		{SKU: "SKU-000002", DecimalTotal: sitoo.Ptr(sitoo.MustDecimal("2.5"))},
		{SKU: "UNKNOWN", DecimalTotal: sitoo.Ptr(sitoo.MustDecimal("1"))},
	})
	require.NoError(t, err)
	assert.NoError(t, rs[0].Err)
	assert.NoError(t, rs[1].Err)
	assert.ErrorIs(t, rs[2].Err, sitoo.ErrBadRequest)
	assert.Equal(t, "5.000", srv.Stock(1, virtual, "SKU-000001").String())
	assert.Equal(t, "2.500", srv.Stock(1, virtual, "SKU-000002").String())

	// Absolute stock on a FIFO warehouse is refused without sending the PUT. The client learns
	// the warehouse's type with one GET the first time.
	before := srv.Stats().Requests
	_, _, err = items.Set(ctx, fifo, []sitoo.WarehouseItemRequest{{SKU: "SKU-000001", DecimalTotal: sitoo.Ptr(sitoo.MustDecimal("9"))}})
	require.ErrorIs(t, err, sitoo.ErrNotVirtualWarehouse)
	var we *sitoo.WarehouseTypeError
	require.ErrorAs(t, err, &we)
	assert.Equal(t, fifo, we.WarehouseID)
	assert.Equal(t, before+1, srv.Stats().Requests, "only the type look-up was sent")
	_, _, err = items.Set(ctx, fifo, []sitoo.WarehouseItemRequest{{SKU: "SKU-000001", MoneyTotal: sitoo.Ptr(sitoo.MustMoney("9"))}})
	require.ErrorIs(t, err, sitoo.ErrNotVirtualWarehouse)
	assert.Equal(t, before+1, srv.Stats().Requests, "the type is remembered")
	assert.True(t, srv.Stock(1, fifo, "SKU-000001").IsZero())

	// Bin location and threshold can be set anywhere.
	rs, _, err = items.Set(ctx, fifo, []sitoo.WarehouseItemRequest{{SKU: "SKU-000001", BinLocation: sitoo.Ptr("A1"), DecimalThreshold: sitoo.Ptr(sitoo.MustDecimal("3"))}})
	require.NoError(t, err)
	require.NoError(t, rs.Err())

	got := collect(t, items.All(ctx, fifo, nil))
	require.Len(t, got, 1)
	assert.Equal(t, "A1", got[0].BinLocation)
	assert.Equal(t, "3.000", got[0].DecimalThreshold.String())

	list, _, err := items.List(ctx, virtual, &sitoo.WarehouseItemListOptions{SKU: []string{"SKU-000002"}})
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, "2.500", list[0].DecimalTotal.String())
	assert.Equal(t, "2.500", list[0].DecimalAvailable.String())
	list, _, err = items.List(ctx, virtual, &sitoo.WarehouseItemListOptions{DateLastModifiedFrom: list[0].DateLastModified.Add(3600e9)})
	require.NoError(t, err)
	assert.Empty(t, list, "nothing modified an hour from now")
}

func TestWarehouseTransactions(t *testing.T) {
	t.Parallel()
	srv, c, virtual, fifo := stockFixture(t)
	ctx := t.Context()
	tx := c.Site(1).WarehouseTransactions

	rs, _, err := tx.Add(ctx, []sitoo.WarehouseTransactionRequest{
		{WarehouseID: fifo, TransactionType: sitoo.TransactionTypeMoveIn, Description: "Move In", ExternalID: "EXT1",
			Items: []sitoo.TransactionItem{{SKU: "SKU-000001", DecimalQuantity: sitoo.MustDecimal("13"), MoneyPriceIn: sitoo.Ptr(sitoo.MustMoney("3.45"))}}},
		{WarehouseID: fifo, TransactionType: sitoo.TransactionTypeMoveOut,
			Items: []sitoo.TransactionItem{{SKU: "SKU-000001", DecimalQuantity: sitoo.MustDecimal("-3")}}},
	})
	require.NoError(t, err)
	require.NoError(t, rs.Err())
	require.Len(t, rs, 2)
	assert.Equal(t, "10.000", srv.Stock(1, fifo, "SKU-000001").String())

	got, _, err := tx.Get(ctx, fifo, rs[0].ID)
	require.NoError(t, err)
	assert.Equal(t, sitoo.TransactionTypeMoveIn, got.TransactionType)
	assert.Equal(t, "EXT1", got.ExternalID)
	require.Len(t, got.Items, 1)
	assert.Equal(t, "13.000", got.Items[0].DecimalQuantity.String())
	assert.Equal(t, "44.85", got.Items[0].MoneyValue.String())

	// Incremental sync: from the first id on, ascending.
	list := collect(t, tx.All(ctx, &sitoo.WarehouseTransactionListOptions{WarehouseTransactionIDFrom: rs[0].ID,
		ListOptions: sitoo.ListOptions{Sort: "warehousetransactionid"}}))
	require.Len(t, list, 2)
	assert.Equal(t, rs[0].ID, list[0].WarehouseTransactionID)
	list = collect(t, tx.All(ctx, &sitoo.WarehouseTransactionListOptions{TransactionType: sitoo.TransactionTypeMoveOut, WarehouseID: fifo}))
	require.Len(t, list, 1)
	assert.Equal(t, rs[1].ID, list[0].WarehouseTransactionID)
	list, _, err = tx.List(ctx, &sitoo.WarehouseTransactionListOptions{WarehouseTransactionID: []int64{rs[1].ID}})
	require.NoError(t, err)
	require.Len(t, list, 1)

	// A Virtual warehouse takes no transactions: refused before sending.
	before := srv.Stats().Requests
	_, _, err = tx.Add(ctx, []sitoo.WarehouseTransactionRequest{{WarehouseID: virtual, TransactionType: sitoo.TransactionTypeMoveIn,
		Items: []sitoo.TransactionItem{{SKU: "SKU-000001", DecimalQuantity: sitoo.MustDecimal("1")}}}})
	require.ErrorIs(t, err, sitoo.ErrVirtualWarehouse)
	assert.Equal(t, before+1, srv.Stats().Requests, "one GET for the warehouse type, no POST")

	_, _, err = tx.Add(ctx, []sitoo.WarehouseTransactionRequest{{WarehouseID: fifo, Items: nil}})
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
}

func TestWarehouseTransactionsChunkedAt1000Items(t *testing.T) {
	t.Parallel()
	srv, c, _, fifo := stockFixture(t)
	ctx := t.Context()
	line := func(n int) []sitoo.TransactionItem {
		items := make([]sitoo.TransactionItem, n)
		for i := range items {
			items[i] = sitoo.TransactionItem{SKU: fmt.Sprintf("SKU-%06d", i%3+1), DecimalQuantity: sitoo.MustDecimal("1")}
		}
		return items
	}
	txs := []sitoo.WarehouseTransactionRequest{
		{WarehouseID: fifo, TransactionType: sitoo.TransactionTypeMoveIn, ExternalID: "BIG", Items: line(2500)},
		{WarehouseID: fifo, TransactionType: sitoo.TransactionTypeMoveIn, Items: line(400)},
		{WarehouseID: fifo, TransactionType: sitoo.TransactionTypeMoveIn, Items: line(700)},
	}
	srv.ResetStats()
	rs, _, err := c.Site(1).WarehouseTransactions.Add(ctx, txs)
	require.NoError(t, err)
	require.NoError(t, rs.Err())
	// The 2500-item transaction is sent as parts of 1000, 1000 and 500; the parts are packed into
	// requests of at most 1000 items: [1000] [1000] [500 400] [700].
	require.Len(t, rs, 5)
	assert.Equal(t, []int{0, 0, 0, 1, 2}, []int{rs[0].Index, rs[1].Index, rs[2].Index, rs[3].Index, rs[4].Index})
	assert.Equal(t, 1+4, srv.Stats().Requests, "one type look-up and four POSTs")
	assert.Equal(t, "1202.000", srv.Stock(1, fifo, "SKU-000001").String(), "834+134+234 of the 3600 units")

	var externalIDs []string
	for _, tr := range srv.Transactions(1) {
		externalIDs = append(externalIDs, tr.ExternalID)
		assert.LessOrEqual(t, len(tr.Items), 1000)
	}
	assert.Equal(t, []string{"BIG", "BIG-2", "BIG-3", "", ""}, externalIDs)
}

func TestWarehouseBatchesCommit(t *testing.T) {
	t.Parallel()
	srv, c, virtual, fifo := stockFixture(t)
	ctx := t.Context()
	b := c.Site(1).WarehouseBatches
	srv.SetStock(1, fifo, "SKU-000001", sitoo.MustDecimal("10"))

	// Stocktaking: create (Open) → items → commit (Closed); counted stock replaces the level.
	id, _, err := b.Create(ctx, fifo, &sitoo.WarehouseBatchRequest{TransactionType: sitoo.TransactionTypeStocktaking,
		Comment: sitoo.Ptr("New Stocktaking"), EmailOwner: sitoo.Ptr("info@example.com")})
	require.NoError(t, err)
	batch, _, err := b.Get(ctx, fifo, id)
	require.NoError(t, err)
	assert.Equal(t, sitoo.WarehouseBatchStateOpen, batch.WarehouseBatchState)
	assert.Nil(t, batch.WarehouseTransactionID)

	rs, _, err := b.SetItems(ctx, fifo, id, []sitoo.WarehouseBatchItemRequest{
		{SKU: "SKU-000001", DecimalQuantity: sitoo.MustDecimal("9"), Comment: sitoo.Ptr("1 missing")},
		{SKU: "SKU-000002", DecimalQuantity: sitoo.MustDecimal("2")},
		{SKU: "SKU-000003", DecimalQuantity: sitoo.MustDecimal("1")},
	})
	require.NoError(t, err)
	require.NoError(t, rs.Err())
	rs, _, err = b.DeleteItems(ctx, fifo, id, []string{"SKU-000003"})
	require.NoError(t, err)
	require.NoError(t, rs.Err())
	items := collect(t, b.AllItems(ctx, fifo, id, nil))
	require.Len(t, items, 2)
	assert.Equal(t, "1 missing", items[0].Comment)
	assert.True(t, srv.Stock(1, fifo, "SKU-000002").IsZero(), "nothing changes before the commit")

	require.NoError(t, errOf(b.Commit(ctx, fifo, id)))
	batch, _, err = b.Get(ctx, fifo, id)
	require.NoError(t, err)
	assert.Equal(t, sitoo.WarehouseBatchStateClosed, batch.WarehouseBatchState)
	require.NotNil(t, batch.WarehouseTransactionID)
	assert.Equal(t, "9.000", srv.Stock(1, fifo, "SKU-000001").String())
	assert.Equal(t, "2.000", srv.Stock(1, fifo, "SKU-000002").String())
	tr, _, err := c.Site(1).WarehouseTransactions.Get(ctx, fifo, *batch.WarehouseTransactionID)
	require.NoError(t, err)
	assert.Equal(t, "-1.000", tr.Items[0].DecimalQuantity.String(), "the transaction records the difference")

	// A closed batch takes no more changes.
	_, _, err = b.SetItems(ctx, fifo, id, []sitoo.WarehouseBatchItemRequest{{SKU: "SKU-000001", DecimalQuantity: sitoo.MustDecimal("1")}})
	require.ErrorIs(t, err, sitoo.ErrBadRequest)
	require.ErrorIs(t, errOf(b.Commit(ctx, fifo, id)), sitoo.ErrBadRequest)

	// Apply does the three steps; a move-in batch adds its quantities.
	id2, _, err := b.Apply(ctx, fifo, &sitoo.WarehouseBatchRequest{TransactionType: sitoo.TransactionTypeMoveIn},
		[]sitoo.WarehouseBatchItemRequest{{SKU: "SKU-000003", DecimalQuantity: sitoo.MustDecimal("4")}})
	require.NoError(t, err)
	assert.Equal(t, "4.000", srv.Stock(1, fifo, "SKU-000003").String())
	open := collect(t, b.All(ctx, fifo, &sitoo.WarehouseBatchListOptions{WarehouseBatchState: sitoo.WarehouseBatchStateOpen}))
	assert.Empty(t, open)
	closed, _, err := b.List(ctx, fifo, &sitoo.WarehouseBatchListOptions{TransactionType: sitoo.TransactionTypeMoveIn})
	require.NoError(t, err)
	require.Len(t, closed, 1)
	assert.Equal(t, id2, closed[0].WarehouseBatchID)

	// Apply leaves the batch open when an item fails.
	id3, _, err := b.Apply(ctx, fifo, &sitoo.WarehouseBatchRequest{TransactionType: sitoo.TransactionTypeMoveIn},
		[]sitoo.WarehouseBatchItemRequest{{SKU: "NOPE", DecimalQuantity: sitoo.MustDecimal("4")}})
	require.ErrorIs(t, err, sitoo.ErrBadRequest)
	batch, _, err = b.Get(ctx, fifo, id3)
	require.NoError(t, err)
	assert.Equal(t, sitoo.WarehouseBatchStateOpen, batch.WarehouseBatchState)

	// Batches commit as transactions, which Virtual warehouses refuse.
	_, _, err = b.Create(ctx, virtual, &sitoo.WarehouseBatchRequest{TransactionType: sitoo.TransactionTypeStocktaking})
	require.ErrorIs(t, err, sitoo.ErrVirtualWarehouse)
}
