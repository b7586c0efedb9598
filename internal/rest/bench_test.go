package rest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
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

	b.Run("net-http", func(b *testing.B) {
		hc := newHTTPClient(b)
		u := srv.URL + "/wp-json/wc/v3/products/794"
		b.ReportAllocs()
		for b.Loop() {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("Accept", "application/json")
			resp, err := hc.Do(req)
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
	})

	b.Run("rest", func(b *testing.B) {
		c, err := New(Config{BaseURL: srv.URL + "/wp-json/wc/v3", API: "bench", HTTPClient: newHTTPClient(b)})
		if err != nil {
			b.Fatal(err)
		}
		req := &Request{Path: "products/794"}
		b.ReportAllocs()
		for b.Loop() {
			var p benchProduct
			if _, err := c.Do(ctx, req, &p); err != nil || p.ID != 794 {
				b.Fatal(p, err)
			}
		}
	})
}
