package woosync_test

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// hook serves the Syncer's webhook handler and registers it in the WooCommerce fake.
func (e *env) hook() {
	e.t.Helper()
	h, err := e.syncer.Handler("hook-secret")
	require.NoError(e.t, err)
	srv := httptest.NewServer(h)
	e.t.Cleanup(srv.Close)
	for _, topic := range []string{woosync.TopicProductCreated, woosync.TopicProductUpdated, woosync.TopicOrderUpdated} {
		_, err := e.woo.AddWebhook(topic, srv.URL, "hook-secret")
		require.NoError(e.t, err)
	}
}

func TestTrigger_SendsChangesOfSyncedItems(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(func(s *woosync.Settings) { s.SendChanges, s.SendStockChanges = true, true })
	mug := e.simple("Mug", "MUG-1", 5)
	shirt, vars := e.variable("Shirt", "TS", "S", "M")
	_, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)
	e.hook()

	_, _, err = e.wc.Products.Update(e.ctx, mug, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Mug XL"), StockQuantity: woocommerce.Ptr(int64(9))})
	require.NoError(t, err)
	price, _ := woocommerce.NewMoney("19.00")
	_, _, err = e.wc.Variations.Update(e.ctx, shirt, vars[1], &woocommerce.VariationRequest{RegularPrice: woocommerce.Ptr(woocommerce.SomeMoney(price)),
		StockQuantity: woocommerce.Ptr(int64(11))})
	require.NoError(t, err)
	e.simple("New", "NEW-1", 1) // not synced: the trigger leaves it to a sync
	require.NoError(t, e.woo.FlushWebhooks(e.ctx))

	ps := e.sitooProducts()
	assert.Equal(t, "Mug XL", ps["MUG-1"].Title)
	assert.Equal(t, int64(9), e.stock("MUG-1"))
	assert.Equal(t, "19.00", ps["TS-M"].MoneyPrice.String())
	assert.Equal(t, int64(11), e.stock("TS-M"))
	assert.NotContains(t, ps, "NEW-1")

	// Paused: deliveries are accepted and ignored.
	require.NoError(t, e.syncer.Pause(e.ctx))
	_, _, err = e.wc.Products.Update(e.ctx, mug, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Paused mug")})
	require.NoError(t, err)
	require.NoError(t, e.woo.FlushWebhooks(e.ctx))
	assert.Equal(t, "Mug XL", e.sitooProducts()["MUG-1"].Title)

	// A lost delivery is caught up by the reconcile.
	require.NoError(t, e.syncer.Resume(e.ctx))
	_, err = e.syncer.Run(e.ctx, woosync.StepReconcileProducts, nil)
	require.NoError(t, err)
	assert.Equal(t, "Paused mug", e.sitooProducts()["MUG-1"].Title)
	ts, _ := e.store.Timestamp(e.ctx, woosync.TimestampProducts)
	assert.False(t, ts.IsZero())
}

func TestTrigger_OffByDefault(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	mug := e.simple("Mug", "MUG-1", 5)
	_, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)
	e.hook()
	_, _, err = e.wc.Products.Update(e.ctx, mug, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Renamed")})
	require.NoError(t, err)
	require.NoError(t, e.woo.FlushWebhooks(e.ctx))
	assert.Equal(t, "Mug", e.sitooProducts()["MUG-1"].Title)
}

func TestTrigger_StockToFIFOOnlyWhenForced(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(func(s *woosync.Settings) { s.WarehouseID, s.SendStockChanges = e.fifo, true })
	mug := e.simple("Mug", "MUG-1", 5)
	_, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)
	e.hook()
	txs := len(e.sitoo.Transactions(1))

	// A FIFO warehouse without force: stock goes through orders, not on a product change.
	_, _, err = e.wc.Products.Update(e.ctx, mug, &woocommerce.ProductRequest{StockQuantity: woocommerce.Ptr(int64(9))})
	require.NoError(t, err)
	require.NoError(t, e.woo.FlushWebhooks(e.ctx))
	assert.True(t, e.sitoo.Stock(1, e.fifo, "MUG-1").IsZero(), "no instant stock to a FIFO warehouse")
	assert.Len(t, e.sitoo.Transactions(1), txs)

	// Forced: the change is counted at once by a stock-taking batch.
	e.connect(func(s *woosync.Settings) { s.WarehouseID, s.SendStockChanges, s.ForceInstantStock = e.fifo, true, true })
	_, _, err = e.wc.Products.Update(e.ctx, mug, &woocommerce.ProductRequest{StockQuantity: woocommerce.Ptr(int64(11))})
	require.NoError(t, err)
	require.NoError(t, e.woo.FlushWebhooks(e.ctx))
	assert.Equal(t, int64(11), e.sitoo.Stock(1, e.fifo, "MUG-1").IntPart())
	all := e.sitoo.Transactions(1)
	require.Len(t, all, txs+1)
	assert.Equal(t, sitoo.TransactionTypeStocktaking, all[len(all)-1].TransactionType)
	for _, d := range e.woo.Deliveries() {
		assert.True(t, d.Success, d.Topic)
	}
}
