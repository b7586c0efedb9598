package woosync_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
)

func TestSendStock_VirtualFIFOAndForce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	mug := e.simple("Mug", "MUG-1", 5)
	_, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)
	_, _, err = e.wc.Products.Update(e.ctx, mug, &woocommerce.ProductRequest{StockQuantity: woocommerce.Ptr(int64(12))})
	require.NoError(t, err)

	_, err = e.syncer.Run(e.ctx, woosync.StepSendStock, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(12), e.stock("MUG-1"))

	// A FIFO warehouse takes no absolute stock unless forced.
	e.connect(func(s *woosync.Settings) { s.WarehouseID = e.fifo })
	_, err = e.syncer.Run(e.ctx, woosync.StepSendStock, nil)
	require.ErrorIs(t, err, woosync.ErrFIFOWarehouse)
	assert.True(t, e.sitoo.Stock(1, e.fifo, "MUG-1").IsZero())

	e.connect(func(s *woosync.Settings) { s.WarehouseID, s.ForceInstantStock = e.fifo, true })
	e.sitoo.SetStock(1, e.fifo, "MUG-1", sitoo.DecimalFromInt(3))
	_, err = e.syncer.Run(e.ctx, woosync.StepSendStock, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(12), e.sitoo.Stock(1, e.fifo, "MUG-1").IntPart(), "a stock-taking batch counted 12")
	txs := e.sitoo.Transactions(1)
	require.NotEmpty(t, txs)
	assert.Equal(t, sitoo.TransactionTypeStocktaking, txs[len(txs)-1].TransactionType)
}

func TestFetchStock_ChangesSinceLastAndAll(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	mug := e.simple("Mug", "MUG-1", 5)
	shirt, vars := e.variable("Shirt", "TS", "S", "M")
	e.simple("Unsynced", "UNSYNCED", 1)
	_, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)

	e.sitoo.SetStock(1, e.virtual, "MUG-1", sitoo.DecimalFromInt(42))
	e.sitoo.SetStock(1, e.virtual, "TS-M", sitoo.DecimalFromInt(8))
	rep, err := e.syncer.Run(e.ctx, woosync.StepFetchStockChanges, nil)
	require.NoError(t, err)
	assert.Zero(t, rep.Failed())
	p, _, err := e.wc.Products.Get(e.ctx, mug)
	require.NoError(t, err)
	assert.Equal(t, int64(42), p.StockQuantity.Int)
	v, _, err := e.wc.Variations.Get(e.ctx, shirt, vars[1])
	require.NoError(t, err)
	assert.Equal(t, int64(8), v.StockQuantity.Int)
	ts, _ := e.store.Timestamp(e.ctx, woosync.TimestampStock)
	assert.False(t, ts.IsZero(), "timestamp recorded")

	// Fetch all overwrites every matched item.
	_, _, err = e.wc.Products.Update(e.ctx, mug, &woocommerce.ProductRequest{StockQuantity: woocommerce.Ptr(int64(1))})
	require.NoError(t, err)
	_, err = e.syncer.Run(e.ctx, woosync.StepFetchStock, nil)
	require.NoError(t, err)
	p, _, _ = e.wc.Products.Get(e.ctx, mug)
	assert.Equal(t, int64(42), p.StockQuantity.Int)
}
