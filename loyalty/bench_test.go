package loyalty_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/memstore"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
)

func benchEngine(b *testing.B) *loyalty.Engine {
	b.Helper()
	eng, err := loyalty.New(memstore.New(), loyalty.WithClock(storetest.NewClock(start)),
		loyalty.WithCouponIssuer(storetest.NewCouponIssuer()), loyalty.WithReceiptSalt([]byte("benchmark-salt-16")))
	if err != nil {
		b.Fatal(err)
	}
	p := loyalty.DefaultProgram("card", "EUR")
	p.Earning.WelcomeBonus = 50
	p.Redemption.Enabled = true
	p.Redemption.MinPoints = 10
	if _, err := eng.SaveProgram(context.Background(), p, "bench"); err != nil {
		b.Fatal(err)
	}
	return eng
}

func benchOrder(i int, status string) loyalty.OrderEvent {
	ev := order(fmt.Sprint(i), status, "59.90", fmt.Sprintf("customer%d@example.com", i%1000))
	return ev
}

func reportEventsPerSecond(b *testing.B) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkProcessOrder_Award measures first deliveries of new orders (1,000 customers, so
// mostly existing members): the award path.
func BenchmarkProcessOrder_Award(b *testing.B) {
	eng := benchEngine(b)
	ctx := context.Background()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := eng.ProcessOrder(ctx, "card", benchOrder(i, "processing")); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportEventsPerSecond(b)
}

// BenchmarkProcessOrder_Redelivery measures deliveries of orders already awarded (the
// "processing → completed" and retry path).
func BenchmarkProcessOrder_Redelivery(b *testing.B) {
	eng := benchEngine(b)
	ctx := context.Background()
	for i := range 1000 {
		if _, err := eng.ProcessOrder(ctx, "card", benchOrder(i, "processing")); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if _, err := eng.ProcessOrder(ctx, "card", benchOrder(i%1000, "completed")); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportEventsPerSecond(b)
}

// BenchmarkProcessOrder_Mixed measures a realistic stream: each order is delivered as
// pending, processing, completed, and one in ten is then refunded.
func BenchmarkProcessOrder_Mixed(b *testing.B) {
	eng := benchEngine(b)
	ctx := context.Background()
	statuses := []string{"pending", "processing", "completed"}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		n := i / 4
		status := statuses[min(i%4, 2)]
		if i%4 == 3 {
			if n%10 != 0 {
				status = "completed"
			} else {
				status = "refunded"
			}
		}
		if _, err := eng.ProcessOrder(ctx, "card", benchOrder(n, status)); err != nil {
			b.Fatal(err)
		}
		i++
	}
	reportEventsPerSecond(b)
}

// BenchmarkProcessOrder_Parallel measures new-order deliveries from GOMAXPROCS goroutines.
func BenchmarkProcessOrder_Parallel(b *testing.B) {
	eng := benchEngine(b)
	ctx := context.Background()
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := eng.ProcessOrder(ctx, "card", benchOrder(int(next.Add(1)), "completed")); err != nil {
				b.Error(err)
				return
			}
		}
	})
	reportEventsPerSecond(b)
}

// BenchmarkRedeem measures complete redemptions (reserve, issue, confirm) with an in-memory
// issuer.
func BenchmarkRedeem(b *testing.B) {
	eng := benchEngine(b)
	ctx := context.Background()
	m, err := eng.Enroll(ctx, "card", loyalty.NewMember{Email: "rich@example.com"})
	if err != nil {
		b.Fatal(err)
	}
	if _, err := eng.Adjust(ctx, loyalty.AdjustRequest{ProgramID: "card", Member: loyalty.MemberRef{ID: m.ID},
		Points: loyalty.MaxPoints / 2, Key: "bench"}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := eng.Redeem(ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{ID: m.ID}, Points: 10}); err != nil {
			b.Fatal(err)
		}
	}
	reportEventsPerSecond(b)
}
