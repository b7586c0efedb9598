package woocommerce_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/loyalsync/loyalsync/woocommerce"
)

// exampleStore stands in for a WooCommerce store: five completed orders, two per page, with the
// pagination headers WooCommerce sends, and a coupon endpoint that echoes what it is sent.
func exampleStore() *httptest.Server {
	return httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/wp-json/wc/v3/orders":
			page := map[string]string{"": `[{"id":101,"status":"completed","total":"19.90"},{"id":102,"status":"completed","total":"5.00"}]`,
				"2": `[{"id":103,"status":"completed","total":"42.00"},{"id":104,"status":"completed","total":"7.25"}]`,
				"3": `[{"id":105,"status":"completed","total":"100"}]`}
			p := r.URL.Query().Get("page")
			if p == "1" {
				p = ""
			}
			w.Header().Set("X-WP-Total", "5")
			w.Header().Set("X-WP-TotalPages", "3")
			if next := map[string]string{"": "2", "2": "3"}[p]; next != "" {
				w.Header().Set("Link", `<https://shop.example.com/wp-json/wc/v3/orders?page=`+next+`>; rel="next"`)
			}
			_, _ = io.WriteString(w, page[p])
		case "/wp-json/wc/v3/reports/sales":
			_, _ = io.WriteString(w, `[{"total_sales":"174.15","total_orders":5}]`)
		case "/wp-json/wc/v3/coupons":
			var c map[string]any
			_ = json.NewDecoder(r.Body).Decode(&c)
			c["id"] = 5512
			c["amount"] = fmt.Sprintf("%.2f", mustFloat(c["amount"]))
			w.WriteHeader(http.StatusCreated)
			_ = json.NewEncoder(w).Encode(c)
		default:
			http.NotFound(w, r)
		}
	}))
}

func mustFloat(v any) float64 {
	var f float64
	_, _ = fmt.Sscan(fmt.Sprint(v), &f)
	return f
}

// Create a client for a store. Over https:// it sends the key with HTTP Basic authentication
// (WithQueryStringAuth when the server strips the Authorization header); over http:// it signs
// every request with OAuth 1.0a.
func ExampleNewClient() {
	client, err := woocommerce.NewClient("https://shop.example.com", "ck_example", "cs_example",
		woocommerce.WithRetry(3, 500*time.Millisecond, 10*time.Second),
		woocommerce.WithRateLimit(5, 5),
		woocommerce.WithUserAgent("my-app/1.2"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(client.BaseURL(), client.AuthMethod())
	// Output:
	// https://shop.example.com/wp-json/wc/v3/ basic
}

// Call an endpoint the client does not model with NewRequest and Do: same credentials, retries
// and pacing as the modelled calls.
func ExampleClient_Do() {
	store := exampleStore()
	defer store.Close()
	client, err := woocommerce.NewClient(store.URL, "ck_example", "cs_example", woocommerce.WithHTTPClient(store.Client()))
	if err != nil {
		log.Fatal(err)
	}
	req, err := client.NewRequest(http.MethodGet, "reports/sales?period=week", nil)
	if err != nil {
		log.Fatal(err)
	}
	var sales []struct {
		TotalSales  woocommerce.Money `json:"total_sales"`
		TotalOrders int               `json:"total_orders"`
	}
	resp, err := client.Do(context.Background(), req, &sales)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, sales[0].TotalSales, sales[0].TotalOrders)
	// Output:
	// 200 174.15 5
}

// List every completed order, page after page, with All.
func ExampleOrdersService_All() {
	store := exampleStore()
	defer store.Close()
	client, err := woocommerce.NewClient(store.URL, "ck_example", "cs_example", woocommerce.WithHTTPClient(store.Client()))
	if err != nil {
		log.Fatal(err)
	}
	opts := &woocommerce.OrderListOptions{
		Status:      []woocommerce.OrderStatus{woocommerce.OrderCompleted},
		ListOptions: woocommerce.ListOptions{PerPage: 2},
	}
	for order, err := range client.Orders.All(context.Background(), opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(order.ID, order.Status, order.Total)
	}
	// Output:
	// 101 completed 19.9
	// 102 completed 5
	// 103 completed 42
	// 104 completed 7.25
	// 105 completed 100
}

// Create a single-use coupon. A deterministic code makes the call safe to repeat: a second create
// fails with ErrAlreadyExists, and GetByCode finds the coupon the first one made.
func ExampleCouponsService_Create() {
	store := exampleStore()
	defer store.Close()
	client, err := woocommerce.NewClient(store.URL, "ck_example", "cs_example", woocommerce.WithHTTPClient(store.Client()))
	if err != nil {
		log.Fatal(err)
	}
	coupon, _, err := client.Coupons.Create(context.Background(), &woocommerce.CouponRequest{
		Code:              woocommerce.Ptr("loyalty-7f3a9c"),
		Amount:            woocommerce.Ptr(woocommerce.MustMoney("10.00")),
		DiscountType:      woocommerce.Ptr(woocommerce.DiscountFixedCart),
		UsageLimit:        woocommerce.Ptr(woocommerce.SomeInt(1)),
		EmailRestrictions: []string{"saskia@example.nl"},
	})
	if errors.Is(err, woocommerce.ErrAlreadyExists) {
		coupon, _, err = client.Coupons.GetByCode(context.Background(), "loyalty-7f3a9c")
	}
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(coupon.ID, coupon.Code, coupon.Amount.StringFixed(2), coupon.UsageLimit.Int)
	// Output:
	// 5512 loyalty-7f3a9c 10.00 1
}

// Receive webhook deliveries: the handler verifies the signature and hands over a decoded order.
func ExampleNewWebhookHandler() {
	handler, err := woocommerce.NewWebhookHandler("webhook-secret", func(ctx context.Context, d *woocommerce.Delivery) error {
		if d.Order != nil {
			fmt.Println(d.Topic, d.Order.ID, d.Order.Status, d.Order.Total)
		}
		return nil // record the delivery durably before returning nil
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /hooks/woocommerce", handler)

	// What WooCommerce sends when order 5120 is paid:
	body := `{"id":5120,"status":"processing","total":"76.17"}`
	for _, secret := range []string{"webhook-secret", "forged"} {
		req := httptest.NewRequest(http.MethodPost, "/hooks/woocommerce", strings.NewReader(body))
		req.Header.Set("X-WC-Webhook-Topic", "order.updated")
		req.Header.Set("X-WC-Webhook-Signature", woocommerce.Signature([]byte(body), secret))
		rec := httptest.NewRecorder()
		mux.ServeHTTP(rec, req)
		fmt.Println(rec.Code)
	}
	// Output:
	// order.updated 5120 processing 76.17
	// 200
	// 401
}

// Verify and decode one delivery yourself, e.g. in a handler of your own framework or from a
// queue that stored the raw request.
func ExampleParseDelivery() {
	body := []byte(`{"id":5120,"status":"completed","total":"76.17"}`)
	header := http.Header{}
	header.Set("X-WC-Webhook-Topic", "order.updated")
	header.Set("X-WC-Webhook-Resource", "order")
	header.Set("X-WC-Webhook-Event", "updated")
	header.Set("X-WC-Webhook-Signature", woocommerce.Signature(body, "webhook-secret"))

	d, err := woocommerce.ParseDelivery(header, body, "webhook-secret")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.Topic, d.Order.ID, d.Order.Status)

	_, err = woocommerce.ParseDelivery(header, body, "another-secret")
	fmt.Println(errors.Is(err, woocommerce.ErrInvalidSignature))
	// Output:
	// order.updated 5120 completed
	// true
}
