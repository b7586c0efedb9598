// Package sqltest holds the scenarios the SQL store tests and benchmarks run on every backend:
// order-event throughput beside a bare insert, a crash in the middle of a redemption, and
// several engine instances sharing one database.
package sqltest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
)

// Epoch is the time of the test clocks.
var Epoch = time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)

// Salt is the receipt salt every test engine shares.
var Salt = []byte("sqlstore-test-salt")

// NewEngine returns an engine over s with a fixed clock, an in-memory coupon issuer and a
// saved program "card" (EUR, welcome bonus 50, redemption enabled with a minimum of 10).
func NewEngine(tb testing.TB, s loyalty.Store, issuer loyalty.CouponIssuer, opts ...loyalty.Option) *loyalty.Engine {
	tb.Helper()
	eng, err := loyalty.New(s, append([]loyalty.Option{loyalty.WithClock(storetest.NewClock(Epoch)),
		loyalty.WithCouponIssuer(issuer), loyalty.WithReceiptSalt(Salt)}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	p := loyalty.DefaultProgram("card", "EUR")
	p.Earning.WelcomeBonus = 50
	p.Redemption.Enabled = true
	p.Redemption.MinPoints = 10
	if _, err := eng.SaveProgram(context.Background(), p, "test"); err != nil {
		tb.Fatal(err)
	}
	return eng
}

// Order is the delivery of order i with status, from one of customers customers.
func Order(i int, status string, customers int) loyalty.OrderEvent {
	return loyalty.OrderEvent{Store: "https://shop.example", OrderID: fmt.Sprint(i), Status: status,
		Total: decimal.RequireFromString("59.90"), Currency: "EUR", BillingName: "Customer",
		BillingEmail: fmt.Sprintf("customer%d@example.com", i%customers)}
}

// BareInsert runs one single-row insert transaction, written the plain database/sql way.
type BareInsert func(ctx context.Context, i int) error

// BenchOrderEvents measures first deliveries of new orders (the award path) from 1,000
// customers who already have accounts, one at a time. After every 100 events it runs 100 bare
// single-row insert transactions in the same database, outside the benchmark timer, so that
// both see the same machine load (in blocks, because a commit by another connection empties
// a connection's page cache); it reports events/s, bare-inserts/s and their ratio.
func BenchOrderEvents(b *testing.B, s loyalty.Store, bare BareInsert) {
	ctx := context.Background()
	eng := NewEngine(b, s, storetest.NewCouponIssuer())
	const customers = 1000
	seed(b, eng, customers)
	var events, bares time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := eng.ProcessOrder(ctx, "card", Order(i, "processing", customers)); err != nil {
			b.Fatal(err)
		}
		events += time.Since(start)
		i++
		if i%100 == 0 {
			b.StopTimer()
			start = time.Now()
			for j := range 100 {
				if err := bare(ctx, i+j); err != nil {
					b.Fatal(err)
				}
			}
			bares += time.Since(start)
			b.StartTimer()
		}
	}
	if i < 100 {
		b.Fatal("run at least 100 iterations (-benchtime 100x or more) to measure the bare insert")
	}
	eventRate, bareRate := float64(i)/events.Seconds(), float64(i-i%100)/bares.Seconds()
	b.ReportMetric(eventRate, "events/s")
	b.ReportMetric(bareRate, "bare-inserts/s")
	b.ReportMetric(eventRate/bareRate, "ratio")
}

// BenchOrderEventsParallel is BenchOrderEvents from 4×GOMAXPROCS goroutines: webhooks arriving
// at once.
func BenchOrderEventsParallel(b *testing.B, s loyalty.Store, bare BareInsert) {
	ctx := context.Background()
	eng := NewEngine(b, s, storetest.NewCouponIssuer())
	const customers = 1000
	seed(b, eng, customers)
	bareRate := measureBare(b, bare)
	var next atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := eng.ProcessOrder(ctx, "card", Order(int(next.Add(1)), "processing", customers)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	rate := float64(b.N) / b.Elapsed().Seconds()
	b.ReportMetric(rate, "events/s")
	b.ReportMetric(bareRate, "bare-inserts/s")
	b.ReportMetric(rate/bareRate, "ratio")
}

// seed gives each of customers customers an account, with a first order.
func seed(b *testing.B, eng *loyalty.Engine, customers int) {
	b.Helper()
	for i := range customers {
		if _, err := eng.ProcessOrder(context.Background(), "card", Order(-1-i, "completed", customers)); err != nil {
			b.Fatal(err)
		}
	}
}

// measureBare returns the rate of bare insert transactions over about half a second.
func measureBare(b *testing.B, bare BareInsert) float64 {
	b.Helper()
	ctx := context.Background()
	start := time.Now()
	n := 0
	for time.Since(start) < 500*time.Millisecond || n < 200 {
		if err := bare(ctx, n); err != nil {
			b.Fatal(err)
		}
		n++
	}
	return float64(n) / time.Since(start).Seconds()
}

// countingStore counts the read-write transactions the engine starts: every retry after a
// conflict is one more.
type countingStore struct {
	loyalty.Store
	updates *atomic.Int64
}

func (c countingStore) Update(ctx context.Context, fn func(loyalty.Tx) error) error {
	c.updates.Add(1)
	return c.Store.Update(ctx, fn)
}

// BenchContention runs two engines over two stores of one database (two instances), each
// delivering new orders from 4×GOMAXPROCS goroutines, from customers customers: few customers
// make the instances race on the same accounts. It reports events/s and the transactions run
// again after a conflict, per event.
func BenchContention(b *testing.B, s1, s2 loyalty.Store, customers int) {
	ctx := context.Background()
	var updates atomic.Int64
	issuer := storetest.NewCouponIssuer()
	engines := []*loyalty.Engine{
		NewEngine(b, countingStore{s1, &updates}, issuer, loyalty.WithMaxRetries(1000)),
		NewEngine(b, countingStore{s2, &updates}, issuer, loyalty.WithMaxRetries(1000)),
	}
	seed(b, engines[0], customers)
	var next, worker atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	updates.Store(0)
	b.RunParallel(func(pb *testing.PB) {
		eng := engines[worker.Add(1)%2]
		for pb.Next() {
			if _, err := eng.ProcessOrder(ctx, "card", Order(int(next.Add(1)), "completed", customers)); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(updates.Load()-int64(b.N))/float64(b.N), "retries/event")
}
