package woocommerce

import (
	"bytes"
	"strconv"
	"testing"
)

// ordersPage builds a 100-order page as WooCommerce returns it for GET /orders?per_page=100, from
// the realistic order in testdata/order.json (3 line items, tax, shipping, fee, coupon and refund
// lines, meta data of strings, numbers and objects), with distinct ids and totals.
func ordersPage(tb testing.TB) []byte {
	tb.Helper()
	order := bytes.TrimSpace(readTestdata(tb, "order.json"))
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

func TestOrdersPageDecodes(t *testing.T) {
	t.Parallel()
	var orders []Order
	if err := unmarshalJSON(ordersPage(t), &orders); err != nil {
		t.Fatal(err)
	}
	if len(orders) != 100 || orders[99].ID != 5219 || orders[99].Total.String() != "109.17" ||
		len(orders[0].LineItems) != 3 || orders[0].LineItems[0].Price.String() != "41.322314" {
		t.Fatalf("unexpected decode: %d orders, last %+v", len(orders), orders[len(orders)-1].ID)
	}
}

// BenchmarkDecodeOrdersPage decodes one 100-order page as List does: with the client's decoder,
// into a slice sized for the page.
func BenchmarkDecodeOrdersPage(b *testing.B) {
	page := ordersPage(b)
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	for b.Loop() {
		orders := make([]Order, 0, 100)
		if err := unmarshalJSON(page, &orders); err != nil {
			b.Fatal(err)
		}
	}
}
