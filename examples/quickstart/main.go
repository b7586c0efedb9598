// Command quickstart is a short tour of loyalsync. Until the WooCommerce connection lands it shows
// the shared HTTP core at work against a local test server: a failed attempt retried, a JSON answer
// decoded with a tolerant money type, and the packages the library is made of.
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"

	"github.com/loyalsync/loyalsync/internal/rest"
	"github.com/loyalsync/loyalsync/internal/value"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// product is the part of a WooCommerce product this tour reads.
type product struct {
	ID    int         `json:"id"`
	Name  string      `json:"name"`
	Price value.Money `json:"price"`
}

func run(ctx context.Context, w io.Writer) error {
	// A stand-in shop that is briefly unavailable: the first request gets a 503.
	var requests atomic.Int32
	shop := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if requests.Add(1) == 1 {
			rw.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		rw.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(rw, `{"id":794,"name":"Blue shirt","price":"19.90"}`)
	}))
	defer shop.Close()

	client, err := rest.New(rest.Config{BaseURL: shop.URL + "/wp-json/wc/v3", API: "quickstart"})
	if err != nil {
		return err
	}
	var p product
	resp, err := client.Do(ctx, &rest.Request{Path: rest.JoinPath("products", "794")}, &p)
	if err != nil {
		return err
	}

	fmt.Fprintln(w, "loyalsync quickstart: one loyalty wallet across WooCommerce, Sitoo POS and WooRewards")
	fmt.Fprintln(w)
	fmt.Fprintf(w, "GET %s through the shared HTTP core: status %d after %d attempts (the first got 503 and was retried)\n",
		resp.Request.URL.Path, resp.StatusCode, resp.Attempts)
	fmt.Fprintf(w, "product #%d %q costs %s (an exact decimal, decoded from a JSON string)\n", p.ID, p.Name, p.Price.StringFixed(2))
	fmt.Fprintln(w)
	fmt.Fprintln(w, "packages:")
	for _, pkg := range [][2]string{
		{"woocommerce", "WooCommerce REST API v3 client and webhook receiver"},
		{"woorewards", "WooRewards Pro REST API client"},
		{"sitoo", "Sitoo POS REST API client"},
		{"pointsync", "points-sync protocol between sites (being built)"},
		{"loyalty", "the engine: earn, refund, redeem over a pluggable store"},
		{"internal/rest", "the HTTP core every client is built on"},
		{"internal/value", "money and timestamp types"},
	} {
		fmt.Fprintf(w, "  %-15s %s\n", pkg[0], pkg[1])
	}
	return nil
}
