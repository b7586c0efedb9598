package peerbench

import (
	"bytes"
	"encoding/json"
	"os"
	"strconv"
	"testing"

	jsoniter "github.com/json-iterator/go"
	"github.com/json-iterator/go/extra"

	"github.com/loyalsync/loyalsync/woocommerce"
)

func init() {
	extra.RegisterFuzzyDecoders() // as the peer does in its package init
}

// ordersPage builds the same 100-order page as package woocommerce's benchmark.
func ordersPage(tb testing.TB) []byte {
	tb.Helper()
	order, err := os.ReadFile("../../testdata/order.json")
	if err != nil {
		tb.Fatal(err)
	}
	order = bytes.TrimSpace(order)
	var page bytes.Buffer
	page.WriteByte('[')
	for i := range 100 {
		if i > 0 {
			page.WriteByte(',')
		}
		o := bytes.Replace(order, []byte(`"id": 5120`), []byte(`"id": `+strconv.Itoa(5120+i)), 1)
		o = bytes.Replace(o, []byte(`"total": "76.17"`), []byte(`"total": "`+strconv.Itoa(10+i)+`.17"`), 1)
		page.Write(o)
	}
	page.WriteByte(']')
	return page.Bytes()
}

func TestBothDecodeThePage(t *testing.T) {
	page := ordersPage(t)
	var peer []peerOrder
	if err := jsoniter.Unmarshal(page, &peer); err != nil {
		t.Fatal("peer:", err)
	}
	var ours []woocommerce.Order
	if err := json.Unmarshal(page, &ours); err != nil {
		t.Fatal("ours:", err)
	}
	if len(peer) != 100 || len(ours) != 100 || peer[99].ID != 5219 || ours[99].ID != 5219 {
		t.Fatalf("decoded %d and %d orders", len(peer), len(ours))
	}
	// The peer's float64 cannot hold the line price exactly; ours keeps it.
	t.Logf("line price: peer %v, ours %s", peer[0].LineItems[0].Price, ours[0].LineItems[0].Price)
}

// BenchmarkPeerHiscalerJsoniter decodes the page the way hiscaler/woocommerce-go does.
func BenchmarkPeerHiscalerJsoniter(b *testing.B) {
	measure(b, ordersPage(b), func(p []byte) error {
		var orders []peerOrder
		return jsoniter.Unmarshal(p, &orders)
	})
}

// BenchmarkLoyalsync decodes the page into package woocommerce's types the way the client's List
// does: with its decoder, into a slice sized for the requested page (per_page=100).
func BenchmarkLoyalsync(b *testing.B) {
	measure(b, ordersPage(b), func(p []byte) error {
		orders := make([]woocommerce.Order, 0, 100)
		return woocommerce.DecodeJSON(p, &orders)
	})
}
