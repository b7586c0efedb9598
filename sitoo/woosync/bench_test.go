package woosync_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// BenchmarkFullSync sends a catalog of products × 3 variants from the WooCommerce fake to the
// Sitoo fake (send_categories, send_products with stock) and reports the requests made against
// the minimum the page and batch sizes allow, the fake's 429 answers, and the heap growth.
// LOYALSYNC_BENCH_PRODUCTS sets the catalog size (default 500). With LOYALSYNC_BENCH_HEAPPROFILE set
// to a directory, a heap profile is written there every 5 s of the run, so the syncing side's live
// heap (samples allocated under sitoo/woosync) can be read apart from the fakes' stored catalogs:
// go tool pprof -sample_index=inuse_space -focus=sitoo/woosync -top heap-001.pprof.
func BenchmarkFullSync(b *testing.B) {
	n := 500
	if v, err := strconv.Atoi(os.Getenv("LOYALSYNC_BENCH_PRODUCTS")); err == nil && v > 0 {
		n = v
	}
	const variants = 3
	for range b.N {
		b.StopTimer()
		ctx := context.Background()
		woo := woocommercetest.NewServer(woocommercetest.WithoutPing())
		// 150 requests/s, burst 20: the sync runs at the fake's limit and must pace itself.
		st := sitootest.NewServer(sitootest.WithRateLimit(150, 20))
		cat, _ := woo.AddCategory("Clothes", 0)
		for i := range n {
			p := woocommercetest.Product{Name: fmt.Sprint("Product ", i), SKU: fmt.Sprintf("P%05d", i), RegularPrice: "19.90", CategoryIDs: []int64{cat}}
			vars := make([]woocommercetest.Product, variants)
			opts := []string{"S", "M", "L"}
			for k := range vars {
				vars[k] = woocommercetest.Product{SKU: p.SKU + "-" + opts[k], RegularPrice: "19.90", ManageStock: true, StockQuantity: int64(k + 1)}
			}
			if _, _, err := woo.AddVariableProduct(p, "Size", opts, vars); err != nil {
				b.Fatal(err)
			}
		}
		wh := st.AddWarehouse(1, sitoo.Warehouse{Name: "Web", WarehouseType: sitoo.WarehouseTypeVirtual})
		key := woo.AddKey(woocommercetest.ReadWrite)
		wooCount := &counter{next: woo.Client().Transport}
		wc, err := woocommerce.NewClient(woo.URL, key.ConsumerKey, key.ConsumerSecret, woocommerce.WithHTTPClient(&http.Client{Transport: wooCount}))
		if err != nil {
			b.Fatal(err)
		}
		syncer, err := woosync.New(woosync.NewMemoryStore(), wc, woosync.WithEncryptionKey(testKey),
			woosync.WithLogger(slog.New(slog.DiscardHandler)), woosync.WithSitooOptions(sitoo.WithHTTPClient(st.Client())))
		if err != nil {
			b.Fatal(err)
		}
		if _, err := syncer.Connect(ctx, woosync.Settings{Mode: woosync.ModeTest, SiteID: 1, WarehouseID: wh, CheckRateLimit: true,
			Test: woosync.Credentials{APIID: st.APIID, Password: st.Password, BaseURL: st.URL}}); err != nil {
			b.Fatal(err)
		}
		wooCount.n.Store(0)
		st.ResetStats()
		peak, stopHeap := heapPeak()
		stopProfiles := heapProfiles(b, os.Getenv("LOYALSYNC_BENCH_HEAPPROFILE"))
		b.StartTimer()

		rep, err := syncer.FullSync(ctx, []woosync.Step{woosync.StepSendCategories, woosync.StepSendProducts}, nil)

		b.StopTimer()
		stopProfiles()
		grown := stopHeap()
		if err != nil || rep.Failed() > 0 {
			b.Fatalf("sync: %v (%d failed)", err, rep.Failed())
		}
		pages := (n + 99) / 100
		stockBatches := (n*variants + 99) / 100
		minimum := pages + n + // Woo: product pages, one variation list per variable product
			pages + n + stockBatches // Sitoo: batch creates, one variant set per product, stock batches
		sitooReq := st.Stats().Requests
		total := int(wooCount.n.Load()) + sitooReq
		b.ReportMetric(float64(total), "requests")
		b.ReportMetric(float64(minimum), "minimum")
		b.ReportMetric(float64(total)/float64(minimum), "ratio")
		b.ReportMetric(float64(st.Stats().RateLimited), "429s")
		rl := st.RateLimitStats()
		b.ReportMetric(float64(rl.Allowed)/rl.Capacity(), "rateshare")
		b.ReportMetric(float64(*peak)/(1<<20), "peakheapMB")
		b.ReportMetric(float64(grown)/(1<<20), "retainedMB")
		woo.Close()
		st.Close()
		// What the Sitoo fake stored is the bulk of the retained growth; what the sync keeps is
		// its mapping store.
		withFake := heapNow()
		st = nil
		b.ReportMetric((float64(withFake)-float64(heapNow()))/(1<<20), "sitoofakeMB")
		b.StartTimer()
	}
}

// counter is a RoundTripper counting the requests it sends.
type counter struct {
	next http.RoundTripper
	n    atomic.Int64
}

func (c *counter) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

// heapNow is the live heap after a collection.
func heapNow() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// heapProfiles writes a heap profile to dir every 5 s until stop is called (nothing when dir is "").
func heapProfiles(b *testing.B, dir string) (stop func()) {
	if dir == "" {
		return func() {}
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for i := 1; ; i++ {
			select {
			case <-done:
				return
			case <-t.C:
				runtime.GC() // the profile shows the heap as of the last collection
				f, err := os.Create(filepath.Join(dir, fmt.Sprintf("heap-%03d.pprof", i)))
				if err != nil {
					b.Error(err)
					return
				}
				if err := pprof.WriteHeapProfile(f); err != nil {
					b.Error(err)
				}
				_ = f.Close()
			}
		}
	}()
	return func() { close(done); wg.Wait() }
}

// heapPeak samples the live heap every 10 ms; stop returns the growth since the start.
func heapPeak() (*uint64, func() uint64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapAlloc
	peak := new(uint64)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				var m runtime.MemStats
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > base && m.HeapAlloc-base > *peak {
					*peak = m.HeapAlloc - base
				}
			}
		}
	}()
	return peak, func() uint64 {
		close(done)
		wg.Wait()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if m.HeapAlloc < base {
			return 0
		}
		return m.HeapAlloc - base
	}
}
