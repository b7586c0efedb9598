package sqltest

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
)

// MultiInstance is the workload of TestMultiInstance.
type MultiInstance struct {
	// Orders is the number of distinct orders; each is delivered Deliveries times.
	Orders, Deliveries int
	// Customers share the orders, so that instances race on the same accounts.
	Customers int
	// Workers is the number of goroutines per engine.
	Workers int
}

// TestMultiInstance runs two engines, each over its own store (its own connection pool)
// opened by open on one database, that process every delivery of every order concurrently,
// in a random order, each delivery on a randomly chosen engine. Every delivery must succeed
// (no conflict or deadlock reaches a caller), every order must award exactly once, and every
// balance must equal its customer's orders' points plus one welcome bonus.
func TestMultiInstance(t *testing.T, open func(t *testing.T) loyalty.Store, w MultiInstance) {
	ctx := t.Context()
	issuer := storetest.NewCouponIssuer()
	engines := [2]*loyalty.Engine{}
	for i := range engines {
		// A retry budget large enough for the worst interleavings: every conflict is retried
		// inside the engine, never returned.
		engines[i] = NewEngine(t, open(t), issuer, loyalty.WithMaxRetries(100))
	}
	prog, err := engines[0].Program(ctx, "card")
	require.NoError(t, err)

	type delivery struct {
		order  int
		status string
		engine int
	}
	rng := rand.New(rand.NewPCG(7, 11))
	var work []delivery
	for o := range w.Orders {
		for d := range w.Deliveries {
			status := "completed"
			if d%2 == 1 {
				status = "processing"
			}
			work = append(work, delivery{order: o, status: status, engine: rng.IntN(2)})
		}
	}
	rng.Shuffle(len(work), func(i, j int) { work[i], work[j] = work[j], work[i] })

	queues := [2]chan delivery{make(chan delivery), make(chan delivery)}
	var wg sync.WaitGroup
	var mu sync.Mutex
	outcomes := map[loyalty.Outcome]int{}
	for e := range engines {
		for range w.Workers {
			wg.Go(func() {
				for d := range queues[e] {
					res, err := engines[e].ProcessOrder(ctx, "card", Order(d.order, d.status, w.Customers))
					if !assert.NoError(t, err, "delivery of order %d on engine %d", d.order, e) {
						continue
					}
					mu.Lock()
					outcomes[res.Outcome]++
					mu.Unlock()
				}
			})
		}
	}
	for _, d := range work {
		queues[d.engine] <- d
	}
	close(queues[0])
	close(queues[1])
	wg.Wait()

	assert.Equal(t, map[loyalty.Outcome]int{loyalty.OutcomeProcessed: w.Orders,
		loyalty.OutcomeDuplicate: w.Orders * (w.Deliveries - 1)}, outcomes, "one award per order, the rest duplicates")

	// Every order awarded once, and every balance is its customer's orders' points plus one
	// welcome bonus, seen through the other engine.
	want := map[string]int64{}
	for o := range w.Orders {
		ev := Order(o, "completed", w.Customers)
		want[ev.BillingEmail] += prog.PurchasePoints(ev.Total)
	}
	err = engines[1].Store().View(ctx, func(tx loyalty.ReadTx) error {
		for o := range w.Orders {
			st, err := tx.OrderState(ctx, "card", "https://shop.example", fmt.Sprint(o))
			require.NoError(t, err)
			require.True(t, st.Awarded(), "order %d awarded", o)
			_, err = tx.Movement(ctx, "card", loyalty.EarnKey("https://shop.example", fmt.Sprint(o)))
			require.NoError(t, err, "order %d has its earn movement", o)
		}
		return nil
	})
	require.NoError(t, err)
	for email, points := range want {
		b, err := engines[1].Balance(ctx, "card", loyalty.MemberRef{Email: email})
		require.NoError(t, err)
		assert.Equal(t, points+prog.Earning.WelcomeBonus, b, "balance of %s", email)
	}
	members := 0
	var total int64
	for ms, err := range engines[0].AllMembers(ctx, "card") {
		require.NoError(t, err)
		members++
		var sum int64
		for m, err := range engines[0].AllHistory(ctx, "card", ms.Member.ID) {
			require.NoError(t, err)
			sum += m.Applied
		}
		assert.Equal(t, sum, ms.Account.Balance, "history of %s sums to its balance", ms.Member.Email)
		total += sum
	}
	assert.Equal(t, len(want), members, "one member per customer")
	var wantTotal int64
	for _, p := range want {
		wantTotal += p + prog.Earning.WelcomeBonus
	}
	assert.Equal(t, wantTotal, total)
}
