package rest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// benchProduct is a small WooCommerce-like object, decoded the same way on both sides.
type benchProduct struct {
	ID    int      `json:"id"`
	Name  string   `json:"name"`
	SKU   string   `json:"sku"`
	Price string   `json:"price"`
	Stock int      `json:"stock_quantity"`
	Tags  []string `json:"tags"`
}

const benchBody = `{"id":794,"name":"Blue shirt","sku":"BS-001","price":"19.90","stock_quantity":12,"tags":["summer","cotton"]}`

// BenchmarkRequestOverhead measures one GET with a small JSON answer decoded into a struct, through
// a bare net/http client and through the core, against the same local server. The difference is the
// core's per-request overhead: retry bookkeeping, pacing, URL resolution, logging and body checks.
func BenchmarkRequestOverhead(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, benchBody)
	}))
	defer srv.Close()
	ctx := context.Background()
	newHTTPClient := func(b *testing.B) *http.Client {
		hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
		b.Cleanup(hc.CloseIdleConnections)
		return hc
	}

	bare := newHTTPClient(b)
	bareURL := srv.URL + "/wp-json/wc/v3/products/794"
	viaBare := func(b *testing.B) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, bareURL, nil)
		if err != nil {
			b.Fatal(err)
		}
		req.Header.Set("Accept", "application/json")
		resp, err := bare.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		data, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatal(resp.StatusCode, err)
		}
		var p benchProduct
		if err := json.Unmarshal(data, &p); err != nil || p.ID != 794 {
			b.Fatal(p, err)
		}
	}

	core, err := New(Config{BaseURL: srv.URL + "/wp-json/wc/v3", API: "bench", HTTPClient: newHTTPClient(b)})
	if err != nil {
		b.Fatal(err)
	}
	coreReq := &Request{Path: "products/794"}
	viaCore := func(b *testing.B) {
		var p benchProduct
		if _, err := core.Do(ctx, coreReq, &p); err != nil || p.ID != 794 {
			b.Fatal(p, err)
		}
	}

	b.Run("net-http", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			viaBare(b)
		}
	})
	b.Run("rest", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			viaCore(b)
		}
	})
	// interleaved alternates the two in one loop and times each, so that load from other processes
	// on a shared machine slows both alike: its ratio is the number to compare across runs.
	b.Run("interleaved", func(b *testing.B) {
		var bareTime, coreTime time.Duration
		n := 0
		for b.Loop() {
			first, second, firstTime, secondTime := viaBare, viaCore, &bareTime, &coreTime
			if n%2 == 1 {
				first, second, firstTime, secondTime = viaCore, viaBare, &coreTime, &bareTime
			}
			start := time.Now()
			first(b)
			mid := time.Now()
			second(b)
			*firstTime += mid.Sub(start)
			*secondTime += time.Since(mid)
			n++
		}
		b.ReportMetric(float64(bareTime.Nanoseconds())/float64(n), "net-http-ns/req")
		b.ReportMetric(float64(coreTime.Nanoseconds())/float64(n), "rest-ns/req")
		b.ReportMetric(float64(coreTime)/float64(bareTime), "rest/net-http")
	})
}
