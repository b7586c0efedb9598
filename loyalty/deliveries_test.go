package loyalty_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
)

// A flood of rejected deliveries (forged signatures) adds one receipt per store, reason and
// minute, which counts them.
func TestRecordDeliveryFailure_AggregatesPerStoreReasonAndMinute(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	forged := loyalty.DeliveryFailure{Store: shop, Reason: "signature mismatch"}
	for range 500 {
		require.NoError(t, h.eng.RecordDeliveryFailure(h.ctx, "card", forged))
	}
	h.clock.Advance(30 * time.Second)
	require.NoError(t, h.eng.RecordDeliveryFailure(h.ctx, "card", forged))
	require.NoError(t, h.eng.RecordDeliveryFailure(h.ctx, "card", loyalty.DeliveryFailure{Store: shop, Reason: "body too large"}))
	require.NoError(t, h.eng.RecordDeliveryFailure(h.ctx, "card", loyalty.DeliveryFailure{Store: "https://other.example", Reason: "signature mismatch"}))
	rs, _, err := h.eng.Receipts(h.ctx, "card", loyalty.OutcomeFailed, loyalty.PageOptions{})
	require.NoError(t, err)
	require.Len(t, rs, 3)
	assert.Equal(t, 501, rs[2].Count)
	assert.Equal(t, start.Add(30*time.Second), rs[2].LastAt)
	assert.Equal(t, "body too large", rs[1].Reason)

	h.clock.Advance(time.Minute) // the next minute starts another receipt
	require.NoError(t, h.eng.RecordDeliveryFailure(h.ctx, "card", forged))
	rs, _, err = h.eng.Receipts(h.ctx, "card", loyalty.OutcomeFailed, loyalty.PageOptions{})
	require.NoError(t, err)
	assert.Len(t, rs, 4)
	st, err := h.eng.DeliveryStats(h.ctx, "card", time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 504, st.Failed, "the stats count deliveries, not receipts")
}

func TestPrune_DeletesReceiptsAndActivityOlderThanTheRetention(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.process(order("1", "completed", "10", "ada@example.com"))
	h.clock.Advance(80 * 24 * time.Hour)
	h.process(order("2", "completed", "10", "ada@example.com"))
	h.clock.Advance(20 * 24 * time.Hour)

	rep, err := h.eng.Prune(h.ctx, 0)
	require.NoError(t, err)
	assert.Equal(t, h.clock.Now().Add(-loyalty.DefaultRetention), rep.Before)
	assert.Equal(t, 1, rep.Receipts, "the order of 100 days ago")
	assert.Positive(t, rep.Activity)
	rs, _, err := h.eng.Receipts(h.ctx, "card", "", loyalty.PageOptions{})
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.Equal(t, "2", rs[0].OrderID)
	acts, _, err := h.eng.Activity(h.ctx, "card", loyalty.PageOptions{})
	require.NoError(t, err)
	for _, a := range acts {
		assert.False(t, a.At.Before(rep.Before), "%+v", a)
	}
	assert.EqualValues(t, 20, h.balance("ada@example.com"), "the ledger is kept")

	rep, err = h.eng.Prune(h.ctx, time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Receipts)
}

// A prune of many rows runs in bounded transactions and deletes them all.
func TestPrune_InBatches(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	loyalty.SetPruneBatch(h.eng, 2)
	for range 7 {
		require.NoError(t, h.eng.RecordDeliveryFailure(h.ctx, "card", loyalty.DeliveryFailure{Store: shop, Reason: "forged"}))
		h.clock.Advance(time.Minute) // one receipt each
	}
	h.clock.Advance(24 * time.Hour)
	rep, err := h.eng.Prune(h.ctx, time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 7, rep.Receipts)
	rs, _, err := h.eng.Receipts(h.ctx, "card", "", loyalty.PageOptions{})
	require.NoError(t, err)
	assert.Empty(t, rs)
}
