package woocommercetest_test

import (
	"testing"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// BenchmarkListOrders measures one signed page of 100 orders through the client and the fake.
func BenchmarkListOrders(b *testing.B) {
	srv := woocommercetest.NewServer()
	defer srv.Close()
	key := srv.AddKey(woocommercetest.ReadWrite)
	c, err := woocommerce.NewClient(srv.URL, key.ConsumerKey, key.ConsumerSecret, woocommerce.WithHTTPClient(srv.Client()))
	if err != nil {
		b.Fatal(err)
	}
	pid, _ := srv.AddProduct(woocommercetest.Product{Name: "Mug", RegularPrice: "12.50"})
	for range 100 {
		if _, err := srv.AddOrder(woocommercetest.Order{SetPaid: true, Lines: []woocommercetest.Line{{ProductID: pid, Quantity: 2}}}); err != nil {
			b.Fatal(err)
		}
	}
	opts := &woocommerce.OrderListOptions{ListOptions: woocommerce.ListOptions{PerPage: 100}}
	b.ReportAllocs()
	for b.Loop() {
		list, _, err := c.Orders.List(b.Context(), opts)
		if err != nil || len(list) != 100 {
			b.Fatal(err, len(list))
		}
	}
}
