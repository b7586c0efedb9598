package woocommercetest_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// A fake store, a client for it, and an order moved through its life: paid, partly refunded,
// then fully refunded.
func Example() {
	srv := woocommercetest.NewServer(woocommercetest.WithTLS(), woocommercetest.WithCurrency("EUR"))
	defer srv.Close()
	key := srv.AddKey(woocommercetest.ReadWrite)
	client, err := woocommerce.NewClient(srv.URL, key.ConsumerKey, key.ConsumerSecret,
		woocommerce.WithHTTPClient(srv.Client())) // trusts the test certificate
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	mug, _ := srv.AddProduct(woocommercetest.Product{Name: "Mug", SKU: "MUG", RegularPrice: "12.50"})
	ann, _ := srv.AddCustomer(woocommercetest.Customer{Email: "ann@example.com"})
	orderID, _ := srv.AddOrder(woocommercetest.Order{CustomerID: ann, SetPaid: true,
		Lines: []woocommercetest.Line{{ProductID: mug, Quantity: 2}}})

	o, _, err := client.Orders.Get(ctx, orderID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(o.Status, o.Total, o.Currency, o.LineItems[0].Name)

	_, _ = srv.Refund(orderID, "5", "chipped")
	o, _, _ = client.Orders.Get(ctx, orderID)
	fmt.Println(o.Status, o.Refunds[0].Total)

	_, _ = srv.RefundFully(orderID, "returned")
	o, _, _ = client.Orders.Get(ctx, orderID)
	fmt.Println(o.Status, len(o.Refunds))

	_, _, err = client.Orders.Get(ctx, 999)
	fmt.Println(errors.Is(err, woocommerce.ErrNotFound))
	// Output:
	// processing 25 EUR Mug
	// processing -5
	// refunded 2
	// true
}

// Webhook deliveries are signed like WooCommerce signs them and verify with the client's parser.
func ExampleServer_FlushWebhooks() {
	srv := woocommercetest.NewServer(woocommercetest.WithoutPing())
	defer srv.Close()
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		d, err := woocommerce.ParseDelivery(r.Header, body, "webhook-secret")
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		fmt.Println(d.Topic, d.Order.Status, d.Order.Total)
	}))
	defer receiver.Close()

	_, _ = srv.AddWebhook("order.updated", receiver.URL, "webhook-secret")
	card, _ := srv.AddProduct(woocommercetest.Product{Name: "Gift card", RegularPrice: "20"})
	id, _ := srv.AddOrder(woocommercetest.Order{Lines: []woocommercetest.Line{{ProductID: card}}})
	_ = srv.SetOrderStatus(id, "completed")
	if err := srv.FlushWebhooks(context.Background()); err != nil {
		log.Fatal(err)
	}
	for _, d := range srv.Deliveries() {
		fmt.Println(d.WebhookID, d.StatusCode, d.Success)
	}
	// Output:
	// order.updated completed 20
	// 1 200 true
}

// "Applied but response lost": the store creates the coupon, the client sees a network error, and
// the client's retry finds the code taken.
func ExampleServer_Faults() {
	srv := woocommercetest.NewServer(woocommercetest.WithTLS())
	defer srv.Close()
	key := srv.AddKey(woocommercetest.ReadWrite)
	client, _ := woocommerce.NewClient(srv.URL, key.ConsumerKey, key.ConsumerSecret, woocommerce.WithHTTPClient(srv.Client()))

	srv.Faults().Add(woocommercetest.FaultRule{Method: http.MethodPost, Path: "/wp-json/wc/v3/coupons", Times: 1, ApplyThenDrop: true})
	code := "points-100"
	_, _, err := client.Coupons.Create(context.Background(), &woocommerce.CouponRequest{Code: &code})
	fmt.Println(err != nil, len(srv.Coupons()))
	// Output:
	// true 1
}
