package woosync_test

import (
	"net/http"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
)

// countingTransport counts the requests sent through it.
type countingTransport struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// BenchmarkFetchOrders10000 fetches 1,000 and 10,000 Sitoo orders (two rows each, nothing delivered) into
// the WooCommerce fake and reports the requests on each side against the minimum the APIs allow:
// Sitoo, one list page per 100 orders plus one delivery list per order (Store2Door needs it);
// WooCommerce, one batch per 100 orders. peak-heap-MB samples the heap at every progress report
// (every 100 orders) and after-heap-MB the heap after the run; both include the two fakes'
// state, which grows with n, while the sync itself holds one page of 100 orders at a time.
func BenchmarkFetchOrders10000(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(itoa(int64(n)), func(b *testing.B) { benchFetchOrders(b, n) })
	}
}

func benchFetchOrders(b *testing.B, n int) {
	for range b.N {
		b.StopTimer()
		ct := &countingTransport{}
		e := newEnv(b, envOption{wooTransport: func(rt http.RoundTripper) http.RoundTripper { ct.next = rt; return ct }})
		e.connect(nil)
		for i := range n {
			e.sitoo.AddOrder(1, sitoo.Order{Email: "c@example.com", OrderStateID: sitoo.OrderStateClosed, OrderItems: []sitoo.OrderItem{
				{OrderItemID: 0, SKU: "A-" + itoa(int64(i%50)), ProductName: "A", Quantity: 1, MoneyItemTotalNet: sitoo.MustMoney("80")},
				{OrderItemID: 1, SKU: "B", ProductName: "B", Quantity: 2, MoneyItemTotalNet: sitoo.MustMoney("20")}}})
		}
		e.sitoo.ResetStats()
		ct.n.Store(0)
		var peak uint64
		var ms runtime.MemStats
		progress := func(woosync.Progress) {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapAlloc)
		}
		b.StartTimer()
		rep, err := e.syncer.Run(e.ctx, woosync.StepFetchOrders, progress)
		b.StopTimer()
		require.NoError(b, err)
		require.Equal(b, n, rep.Steps[0].Done)
		minSitoo := n/100 + n // list pages + one delivery list per order
		b.ReportMetric(float64(e.sitoo.Stats().Requests), "sitoo-requests")
		b.ReportMetric(float64(minSitoo), "sitoo-minimum")
		b.ReportMetric(float64(ct.n.Load()), "woo-requests")
		b.ReportMetric(float64(n/100), "woo-minimum")
		b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
		runtime.GC()
		runtime.ReadMemStats(&ms)
		b.ReportMetric(float64(ms.HeapAlloc)/(1<<20), "after-heap-MB")
		b.StartTimer()
	}
}
