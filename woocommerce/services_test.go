package woocommerce

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	testKey    = "ck_test"
	testSecret = "cs_test"
)

// recorded is what the test server saw of one request.
type recorded struct {
	method, path string
	query        url.Values
	body         string
	header       http.Header
}

// recorder keeps the requests a test server saw.
type recorder struct {
	mu   sync.Mutex
	reqs []recorded
}

func (rc *recorder) add(r *http.Request) recorded {
	b, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(b)) // the handler may read it too
	rec := recorded{r.Method, r.URL.Path, r.URL.Query(), string(b), r.Header.Clone()}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.reqs = append(rc.reqs, rec)
	return rec
}

func (rc *recorder) all() []recorded {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]recorded(nil), rc.reqs...)
}

// newTestStore starts a TLS test server that checks Basic credentials, records the request and
// answers with reply. It returns a client for it.
func newTestStore(t *testing.T, reply func(w http.ResponseWriter, r *http.Request), opts ...Option) (*Client, *recorder) {
	t.Helper()
	seen := &recorder{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		seen.add(r)
		if u, p, ok := r.BasicAuth(); !ok || u != testKey || p != testSecret {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}`)
			return
		}
		reply(w, r)
	}))
	t.Cleanup(srv.Close)
	opts = append([]Option{WithHTTPClient(srv.Client()), WithRetry(2, time.Millisecond, 2*time.Millisecond)}, opts...)
	c, err := NewClient(srv.URL+"/", testKey, testSecret, opts...)
	require.NoError(t, err)
	return c, seen
}

func replyJSON(status int, body string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// TestServiceRequests checks method, path, query and body of every service call.
func TestServiceRequests(t *testing.T) {
	t.Parallel()
	after := time.Date(2025, 1, 2, 3, 4, 5, 0, time.FixedZone("CET", 3600))
	obj := `{"id":7}`
	lst := `[{"id":7},{"id":8}]`
	cases := []struct {
		name   string
		call   func(ctx context.Context, c *Client) error
		method string
		path   string
		query  string // encoded, sorted
		body   string // JSON, "" for none
		reply  string
	}{
		{"orders list", func(ctx context.Context, c *Client) error {
			_, _, err := c.Orders.List(ctx, &OrderListOptions{
				ListOptions: ListOptions{Page: 2, PerPage: 50, Order: Ascending, OrderBy: "id"},
				DateFilter:  DateFilter{After: after},
				Status:      []OrderStatus{OrderProcessing, OrderCompleted}, Include: []int64{1, 2}, Customer: 9,
				Search: "van der", DecimalPoints: 2, ExcludeMeta: []string{"_a", "_b"},
			})
			return err
		}, "GET", "/wp-json/wc/v3/orders",
			"after=2025-01-02T02%3A04%3A05&customer=9&dates_are_gmt=true&dp=2&exclude_meta=_a%2C_b&include=1%2C2&order=asc&orderby=id&page=2&per_page=50&search=van+der&status=processing%2Ccompleted", "", lst},
		{"orders get", func(ctx context.Context, c *Client) error { _, _, err := c.Orders.Get(ctx, 7); return err },
			"GET", "/wp-json/wc/v3/orders/7", "", "", obj},
		{"orders create", func(ctx context.Context, c *Client) error {
			_, _, err := c.Orders.Create(ctx, &OrderRequest{Status: Ptr(OrderPending), SetPaid: Ptr(true),
				LineItems: []LineItemRequest{{ProductID: 5, Quantity: Ptr(int64(2))}}, MetaData: []MetaData{StringMeta("k", "v")}})
			return err
		}, "POST", "/wp-json/wc/v3/orders", "",
			`{"status":"pending","meta_data":[{"key":"k","value":"v"}],"line_items":[{"product_id":5,"quantity":2}],"set_paid":true}`, obj},
		{"orders update", func(ctx context.Context, c *Client) error {
			_, _, err := c.Orders.Update(ctx, 7, &OrderRequest{Status: Ptr(OrderCompleted)})
			return err
		}, "PUT", "/wp-json/wc/v3/orders/7", "", `{"status":"completed"}`, obj},
		{"orders delete force", func(ctx context.Context, c *Client) error { _, _, err := c.Orders.Delete(ctx, 7, true); return err },
			"DELETE", "/wp-json/wc/v3/orders/7", "force=true", "", obj},
		{"orders delete trash", func(ctx context.Context, c *Client) error { _, _, err := c.Orders.Delete(ctx, 7, false); return err },
			"DELETE", "/wp-json/wc/v3/orders/7", "", "", obj},
		{"orders batch", func(ctx context.Context, c *Client) error {
			_, err := c.Orders.Batch(ctx, &Batch[OrderRequest]{
				Create: []OrderRequest{{Status: Ptr(OrderPending)}},
				Update: []BatchUpdate[OrderRequest]{{ID: 3, Changes: OrderRequest{Status: Ptr(OrderCompleted)}}},
				Delete: []int64{4}})
			return err
		}, "POST", "/wp-json/wc/v3/orders/batch", "",
			`{"create":[{"status":"pending"}],"update":[{"id":3,"status":"completed"}],"delete":[4]}`, `{"create":[],"update":[],"delete":[]}`},
		{"notes list", func(ctx context.Context, c *Client) error {
			_, _, err := c.OrderNotes.List(ctx, 7, &OrderNoteListOptions{Type: "customer"})
			return err
		}, "GET", "/wp-json/wc/v3/orders/7/notes", "type=customer", "", lst},
		{"notes get", func(ctx context.Context, c *Client) error { _, _, err := c.OrderNotes.Get(ctx, 7, 3); return err },
			"GET", "/wp-json/wc/v3/orders/7/notes/3", "", "", obj},
		{"notes create", func(ctx context.Context, c *Client) error {
			_, _, err := c.OrderNotes.Create(ctx, 7, &OrderNoteRequest{Note: "Thanks", CustomerNote: true})
			return err
		}, "POST", "/wp-json/wc/v3/orders/7/notes", "", `{"note":"Thanks","customer_note":true}`, obj},
		{"notes delete", func(ctx context.Context, c *Client) error { _, _, err := c.OrderNotes.Delete(ctx, 7, 3); return err },
			"DELETE", "/wp-json/wc/v3/orders/7/notes/3", "force=true", "", obj},
		{"refunds list", func(ctx context.Context, c *Client) error {
			_, _, err := c.Refunds.List(ctx, 7, &RefundListOptions{ListOptions: ListOptions{PerPage: 100}})
			return err
		}, "GET", "/wp-json/wc/v3/orders/7/refunds", "per_page=100", "", lst},
		{"refunds get", func(ctx context.Context, c *Client) error { _, _, err := c.Refunds.Get(ctx, 7, 9); return err },
			"GET", "/wp-json/wc/v3/orders/7/refunds/9", "", "", obj},
		{"refunds create records only", func(ctx context.Context, c *Client) error {
			_, _, err := c.Refunds.Create(ctx, 7, &RefundRequest{Amount: Ptr(MustMoney("10.50")), Reason: "damaged"})
			return err
		}, "POST", "/wp-json/wc/v3/orders/7/refunds", "", `{"amount":"10.50","reason":"damaged","api_refund":false}`, obj},
		{"refunds delete", func(ctx context.Context, c *Client) error { _, _, err := c.Refunds.Delete(ctx, 7, 9); return err },
			"DELETE", "/wp-json/wc/v3/orders/7/refunds/9", "force=true", "", obj},
		{"products list", func(ctx context.Context, c *Client) error {
			_, _, err := c.Products.List(ctx, &ProductListOptions{SKU: "A 1,B", Status: ProductPublish, Exclude: []int64{3}, OnSale: Ptr(true)})
			return err
		}, "GET", "/wp-json/wc/v3/products", "exclude=3&on_sale=true&sku=A+1%2CB&status=publish", "", lst},
		{"products get", func(ctx context.Context, c *Client) error { _, _, err := c.Products.Get(ctx, 7); return err },
			"GET", "/wp-json/wc/v3/products/7", "", "", obj},
		{"products create", func(ctx context.Context, c *Client) error {
			_, _, err := c.Products.Create(ctx, &ProductRequest{Name: Ptr("Hoodie"), RegularPrice: Ptr(SomeMoney(MustMoney("49.50"))),
				SalePrice: &NullMoney{}, ManageStock: Ptr(StockManaged), StockQuantity: Ptr(int64(3))})
			return err
		}, "POST", "/wp-json/wc/v3/products", "", `{"name":"Hoodie","regular_price":"49.50","sale_price":"","manage_stock":true,"stock_quantity":3}`, obj},
		{"products update", func(ctx context.Context, c *Client) error {
			_, _, err := c.Products.Update(ctx, 7, &ProductRequest{StockQuantity: Ptr(int64(0))})
			return err
		}, "PUT", "/wp-json/wc/v3/products/7", "", `{"stock_quantity":0}`, obj},
		{"products delete", func(ctx context.Context, c *Client) error { _, _, err := c.Products.Delete(ctx, 7, false); return err },
			"DELETE", "/wp-json/wc/v3/products/7", "", "", obj},
		{"products batch", func(ctx context.Context, c *Client) error {
			_, err := c.Products.Batch(ctx, &Batch[ProductRequest]{Delete: []int64{1, 2}})
			return err
		}, "POST", "/wp-json/wc/v3/products/batch", "", `{"delete":[1,2]}`, `{"delete":[{"id":1},{"id":2}]}`},
		{"variations list", func(ctx context.Context, c *Client) error {
			_, _, err := c.Variations.List(ctx, 5, &VariationListOptions{StockStatus: OutOfStock})
			return err
		}, "GET", "/wp-json/wc/v3/products/5/variations", "stock_status=outofstock", "", lst},
		{"variations get", func(ctx context.Context, c *Client) error { _, _, err := c.Variations.Get(ctx, 5, 7); return err },
			"GET", "/wp-json/wc/v3/products/5/variations/7", "", "", obj},
		{"variations create", func(ctx context.Context, c *Client) error {
			_, _, err := c.Variations.Create(ctx, 5, &VariationRequest{SKU: Ptr("V-1"), ManageStock: Ptr(StockManagedByParent),
				Attributes: []VariationAttr{{ID: 3, Option: "L"}}})
			return err
		}, "POST", "/wp-json/wc/v3/products/5/variations", "", `{"sku":"V-1","manage_stock":"parent","attributes":[{"id":3,"name":"","option":"L"}]}`, obj},
		{"variations update", func(ctx context.Context, c *Client) error {
			_, _, err := c.Variations.Update(ctx, 5, 7, &VariationRequest{RegularPrice: Ptr(SomeMoney(MustMoney("9")))})
			return err
		}, "PUT", "/wp-json/wc/v3/products/5/variations/7", "", `{"regular_price":"9.00"}`, obj},
		{"variations delete", func(ctx context.Context, c *Client) error {
			_, _, err := c.Variations.Delete(ctx, 5, 7, true)
			return err
		},
			"DELETE", "/wp-json/wc/v3/products/5/variations/7", "force=true", "", obj},
		{"variations batch", func(ctx context.Context, c *Client) error {
			_, err := c.Variations.Batch(ctx, 5, &Batch[VariationRequest]{Update: []BatchUpdate[VariationRequest]{{ID: 7, Changes: VariationRequest{}}}})
			return err
		}, "POST", "/wp-json/wc/v3/products/5/variations/batch", "", `{"update":[{"id":7}]}`, `{"update":[{"id":7}]}`},
		{"categories list roots", func(ctx context.Context, c *Client) error {
			_, _, err := c.Categories.List(ctx, &CategoryListOptions{Parent: Ptr(int64(0)), HideEmpty: true})
			return err
		}, "GET", "/wp-json/wc/v3/products/categories", "hide_empty=true&parent=0", "", lst},
		{"categories get", func(ctx context.Context, c *Client) error { _, _, err := c.Categories.Get(ctx, 7); return err },
			"GET", "/wp-json/wc/v3/products/categories/7", "", "", obj},
		{"categories create", func(ctx context.Context, c *Client) error {
			_, _, err := c.Categories.Create(ctx, &CategoryRequest{Name: Ptr("Socks"), Parent: Ptr(int64(3))})
			return err
		}, "POST", "/wp-json/wc/v3/products/categories", "", `{"name":"Socks","parent":3}`, obj},
		{"categories update", func(ctx context.Context, c *Client) error {
			_, _, err := c.Categories.Update(ctx, 7, &CategoryRequest{Parent: Ptr(int64(0))})
			return err
		}, "PUT", "/wp-json/wc/v3/products/categories/7", "", `{"parent":0}`, obj},
		{"categories delete", func(ctx context.Context, c *Client) error { _, _, err := c.Categories.Delete(ctx, 7); return err },
			"DELETE", "/wp-json/wc/v3/products/categories/7", "force=true", "", obj},
		{"categories batch", func(ctx context.Context, c *Client) error {
			_, err := c.Categories.Batch(ctx, &Batch[CategoryRequest]{Create: []CategoryRequest{{Name: Ptr("A")}}})
			return err
		}, "POST", "/wp-json/wc/v3/products/categories/batch", "", `{"create":[{"name":"A"}]}`, `{"create":[{"id":1}]}`},
		{"coupons list", func(ctx context.Context, c *Client) error {
			_, _, err := c.Coupons.List(ctx, &CouponListOptions{Code: "welcome5"})
			return err
		}, "GET", "/wp-json/wc/v3/coupons", "code=welcome5", "", lst},
		{"coupons get", func(ctx context.Context, c *Client) error { _, _, err := c.Coupons.Get(ctx, 7); return err },
			"GET", "/wp-json/wc/v3/coupons/7", "", "", obj},
		{"coupons create", func(ctx context.Context, c *Client) error {
			_, _, err := c.Coupons.Create(ctx, &CouponRequest{Code: Ptr("loyalty-1"), Amount: Ptr(MustMoney("10.00")),
				DiscountType: Ptr(DiscountFixedCart), UsageLimit: Ptr(SomeInt(1)), EmailRestrictions: []string{"a@example.com"},
				DateExpires: ExpiresAt(time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)),
				MetaData:    []MetaData{StringMeta("_loyalsync_redemption", "r-1")}})
			return err
		}, "POST", "/wp-json/wc/v3/coupons", "",
			`{"code":"loyalty-1","amount":"10.00","discount_type":"fixed_cart","date_expires":"2025-02-01T00:00:00Z","usage_limit":1,"email_restrictions":["a@example.com"],"meta_data":[{"key":"_loyalsync_redemption","value":"r-1"}]}`, obj},
		{"coupons update", func(ctx context.Context, c *Client) error {
			_, _, err := c.Coupons.Update(ctx, 7, &CouponRequest{UsageLimit: &NullInt{}, DateExpires: NeverExpires()})
			return err
		}, "PUT", "/wp-json/wc/v3/coupons/7", "", `{"date_expires":"","usage_limit":null}`, obj},
		{"coupons delete", func(ctx context.Context, c *Client) error { _, _, err := c.Coupons.Delete(ctx, 7, true); return err },
			"DELETE", "/wp-json/wc/v3/coupons/7", "force=true", "", obj},
		{"coupons batch", func(ctx context.Context, c *Client) error {
			_, err := c.Coupons.Batch(ctx, &Batch[CouponRequest]{Delete: []int64{9}})
			return err
		}, "POST", "/wp-json/wc/v3/coupons/batch", "", `{"delete":[9]}`, `{"delete":[{"id":9}]}`},
		{"customers list", func(ctx context.Context, c *Client) error {
			_, _, err := c.Customers.List(ctx, &CustomerListOptions{Role: "all", Search: "saskia"})
			return err
		}, "GET", "/wp-json/wc/v3/customers", "role=all&search=saskia", "", lst},
		{"customers get", func(ctx context.Context, c *Client) error { _, _, err := c.Customers.Get(ctx, 7); return err },
			"GET", "/wp-json/wc/v3/customers/7", "", "", obj},
		{"customers create", func(ctx context.Context, c *Client) error {
			_, _, err := c.Customers.Create(ctx, &CustomerRequest{Email: Ptr("a@example.com"), Billing: &Address{City: "Malmö"}})
			return err
		}, "POST", "/wp-json/wc/v3/customers", "",
			`{"email":"a@example.com","billing":{"city":"Malmö"}}`, obj},
		{"customers update", func(ctx context.Context, c *Client) error {
			_, _, err := c.Customers.Update(ctx, 7, &CustomerRequest{FirstName: Ptr("Åsa")})
			return err
		}, "PUT", "/wp-json/wc/v3/customers/7", "", `{"first_name":"Åsa"}`, obj},
		{"customers delete", func(ctx context.Context, c *Client) error { _, _, err := c.Customers.Delete(ctx, 7, 1); return err },
			"DELETE", "/wp-json/wc/v3/customers/7", "force=true&reassign=1", "", obj},
		{"customers batch", func(ctx context.Context, c *Client) error {
			_, err := c.Customers.Batch(ctx, &Batch[CustomerRequest]{Create: []CustomerRequest{{Email: Ptr("b@example.com")}}})
			return err
		}, "POST", "/wp-json/wc/v3/customers/batch", "", `{"create":[{"email":"b@example.com"}]}`, `{"create":[{"id":1}]}`},
		{"customers downloads", func(ctx context.Context, c *Client) error { _, _, err := c.Customers.Downloads(ctx, 7); return err },
			"GET", "/wp-json/wc/v3/customers/7/downloads", "", "", `[]`},
		{"webhooks list", func(ctx context.Context, c *Client) error {
			_, _, err := c.Webhooks.List(ctx, &WebhookListOptions{Status: WebhookActive})
			return err
		}, "GET", "/wp-json/wc/v3/webhooks", "status=active", "", lst},
		{"webhooks get", func(ctx context.Context, c *Client) error { _, _, err := c.Webhooks.Get(ctx, 7); return err },
			"GET", "/wp-json/wc/v3/webhooks/7", "", "", obj},
		{"webhooks create", func(ctx context.Context, c *Client) error {
			_, _, err := c.Webhooks.Create(ctx, &WebhookRequest{Name: Ptr("orders"), Topic: Ptr("order.updated"),
				DeliveryURL: Ptr("https://hooks.example.com/wc"), Secret: Ptr("s3cret")})
			return err
		}, "POST", "/wp-json/wc/v3/webhooks", "",
			`{"name":"orders","topic":"order.updated","delivery_url":"https://hooks.example.com/wc","secret":"s3cret"}`, obj},
		{"webhooks update", func(ctx context.Context, c *Client) error {
			_, _, err := c.Webhooks.Update(ctx, 7, &WebhookRequest{Status: Ptr(WebhookPaused)})
			return err
		}, "PUT", "/wp-json/wc/v3/webhooks/7", "", `{"status":"paused"}`, obj},
		{"webhooks delete", func(ctx context.Context, c *Client) error { _, _, err := c.Webhooks.Delete(ctx, 7); return err },
			"DELETE", "/wp-json/wc/v3/webhooks/7", "force=true", "", obj},
		{"webhooks batch", func(ctx context.Context, c *Client) error {
			_, err := c.Webhooks.Batch(ctx, &Batch[WebhookRequest]{Delete: []int64{7}})
			return err
		}, "POST", "/wp-json/wc/v3/webhooks/batch", "", `{"delete":[7]}`, `{"delete":[{"id":7}]}`},
		{"system status", func(ctx context.Context, c *Client) error { _, _, err := c.SystemStatus.Get(ctx); return err },
			"GET", "/wp-json/wc/v3/system_status", "", "", `{"environment":{"version":"9.3.3"},"settings":{"currency":"EUR","number_of_decimals":2}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c, seen := newTestStore(t, replyJSON(http.StatusOK, tc.reply))
			require.NoError(t, tc.call(t.Context(), c))
			require.Len(t, seen.all(), 1)
			got := seen.all()[0]
			assert.Equal(t, tc.method, got.method)
			assert.Equal(t, tc.path, got.path)
			want, err := url.ParseQuery(tc.query)
			require.NoError(t, err)
			if len(want) == 0 {
				want = url.Values{}
			}
			assert.Equal(t, want, got.query)
			if tc.body == "" {
				assert.Empty(t, got.body)
			} else {
				assert.JSONEq(t, tc.body, got.body)
				assert.Equal(t, "application/json", got.header.Get("Content-Type"))
			}
			assert.Contains(t, got.header.Get("User-Agent"), "loyalsync/")
		})
	}
}
