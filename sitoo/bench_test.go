package sitoo_test

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
)

// BenchmarkListAllProducts lists 10,000 products through Products.All against the fake, at page
// sizes 100 and 1000. Besides time and allocations per listing it reports:
//
//   - requests/op: requests per listing, checked to be ceil(10000/num);
//   - peak-live-KiB: the largest growth of the live heap (after a GC, sampled in every page) during
//     one listing, outside the timed loop: what the iterator keeps, one page;
//   - slice-of-all-MiB: for contrast, the live heap the same 10,000 products take when collected
//     into a slice.
func BenchmarkListAllProducts(b *testing.B) {
	const total = 10_000
	srv := sitootest.NewServer()
	b.Cleanup(srv.Close)
	srv.SeedProducts(1, total)
	for _, num := range []int{100, 1000} {
		b.Run(fmt.Sprintf("num=%d", num), func(b *testing.B) {
			c, err := srv.NewClient(sitoo.WithPageSize(num))
			if err != nil {
				b.Fatal(err)
			}
			products := c.Site(1).Products
			wantRequests := (total + num - 1) / num
			// list walks every product and calls atPage in the middle of each page.
			list := func(atPage func()) {
				before := srv.Stats().Requests
				n := 0
				for _, err := range products.All(b.Context(), nil) {
					if err != nil {
						b.Fatal(err)
					}
					if n++; n%num == num/2 {
						atPage()
					}
				}
				if n != total {
					b.Fatalf("listed %d products, want %d", n, total)
				}
				if got := srv.Stats().Requests - before; got != wantRequests {
					b.Fatalf("%d requests, want ceil(%d/%d) = %d", got, total, num, wantRequests)
				}
			}

			b.ReportAllocs()
			for b.Loop() {
				list(func() {})
			}
			b.ReportMetric(float64(wantRequests), "requests/op")

			var ms runtime.MemStats
			liveHeap := func() uint64 {
				runtime.GC()
				runtime.GC() // a second cycle also empties the sync.Pools' victim caches
				runtime.ReadMemStats(&ms)
				return ms.HeapAlloc
			}
			base := liveHeap()
			var peak uint64
			list(func() {
				if h := liveHeap(); h > base {
					peak = max(peak, h-base)
				}
			})
			b.ReportMetric(float64(peak)/(1<<10), "peak-live-KiB")

			base = liveHeap()
			all := collect(b, products.All(b.Context(), nil))
			b.ReportMetric(float64(liveHeap()-base)/(1<<20), "slice-of-all-MiB")
			runtime.KeepAlive(all)
		})
	}
}

// BenchmarkRateLimitedBurst lists 80 products one per request against a fake limited to 20
// requests per second (a token bucket of 20), on the real clock, with the client pacing itself
// only by the X-Rate-Limit-* headers: about 3 s per listing. Besides time per listing it reports:
//
//   - allowed-rate-%: requests admitted against what the bucket allowed between the first and the
//     last admitted request (a full bucket plus the refill), on the fake's clock;
//   - 429s/op: requests the fake answered 429 (the client retries them; none reach the caller).
//
// TestRateLimitBurstPacedByHeaders checks the counts; this measures how close to the allowed
// rate the pacing gets on this machine.
func BenchmarkRateLimitedBurst(b *testing.B) {
	const perSecond, burst, requests = 20, 20, 80
	var ratio float64
	var limited, runs int
	for b.Loop() {
		srv := sitootest.NewServer(sitootest.WithRateLimit(perSecond, burst))
		srv.SeedProducts(1, requests)
		c, err := srv.NewClient()
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for _, err := range c.Site(1).Products.All(b.Context(), &sitoo.ProductListOptions{ListOptions: sitoo.ListOptions{Num: 1}}) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		srv.Close()
		st := srv.RateLimitStats()
		if n != requests || st.Allowed != requests {
			b.Fatalf("listed %d, admitted %d; want %d", n, st.Allowed, requests)
		}
		ratio += float64(st.Allowed) / st.Capacity()
		limited += st.Limited
		runs++
	}
	b.ReportMetric(100*ratio/float64(runs), "allowed-rate-%")
	b.ReportMetric(float64(limited)/float64(runs), "429s/op")
}
