package storetest

import (
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
)

// testCounterTiersAndRefunds runs the counter channel on a backend: an amount-spent tier
// reached with a web order and a counter sale (so channels, sources and amounts must be
// stored), the tier multiplier on the next counter sale, and concurrent deliveries of one
// refund order taking points back exactly once.
func testCounterTiersAndRefunds(t *testing.T, s loyalty.Store) {
	e := newEnv(t, s, func(p *loyalty.Program) {
		p.Tiers = loyalty.TierRules{Measure: loyalty.MeasureAmountSpent, Levels: []loyalty.Tier{
			{Name: "Gold", Threshold: dec("100.00"), Multiplier: dec("2")}}}
	})
	const pos = "sitoo:90316"
	sale := func(id, total string) loyalty.OrderEvent {
		ev := e.order(id, "completed", total, "ana@example.org")
		ev.Store, ev.Channel, ev.Source = pos, loyalty.ChannelCounter, pos+"/1/STORE-7"
		return ev
	}
	e.process(e.order("1042", "completed", "60.50", "ana@example.org"))
	e.process(sale("5001", "40.00"))
	w, err := e.eng.Wallet(e.ctx, e.prog.ID, loyalty.MemberRef{Email: "ana@example.org"})
	require.NoError(t, err)
	require.Equal(t, "Gold", w.Tier.Tier.Name, "60.50 online + 40.00 at the counter")
	require.Len(t, w.Channels, 2)
	assert.Equal(t, pos+"/1/STORE-7", w.Channels[1].Source)

	res := e.process(sale("5002", "30.00"))
	require.Len(t, res.Movements, 1)
	assert.EqualValues(t, 60, res.Movements[0].Requested, "30 base points × Gold 2")

	var processed, duplicate atomic.Int32
	var wg sync.WaitGroup
	for range 20 {
		wg.Go(func() {
			res, err := e.eng.ProcessCounterRefund(e.ctx, e.prog.ID, loyalty.CounterRefund{Store: pos, OrderID: "5002",
				RefundOrderID: "5003", Amount: dec("15.00")})
			if !assert.NoError(t, err) {
				return
			}
			switch res.Outcome {
			case loyalty.OutcomeProcessed:
				processed.Add(1)
			case loyalty.OutcomeDuplicate:
				duplicate.Add(1)
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1, processed.Load())
	assert.EqualValues(t, 19, duplicate.Load())
	assert.EqualValues(t, 60+40+60-30, e.balance("ana@example.org"))
	w, err = e.eng.Wallet(e.ctx, e.prog.ID, loyalty.MemberRef{Email: "ana@example.org"})
	require.NoError(t, err)
	assert.Equal(t, "115.5", w.Tier.Measure.String(), "60.50 + 40 + 30 − 15 refunded")
	e.checkLedger()
}
