package woocommerce

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// failFirst answers 503 to the first request and then reply.
func failFirst(calls *atomic.Int32, reply string) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(reply))
	}
}

// TestWritesRetriedOnlyWhenSafe checks which writes are sent again after a 503.
func TestWritesRetriedOnlyWhenSafe(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		call  func(c *Client) error
		retry bool
	}{
		{"order create", func(c *Client) error { _, _, err := c.Orders.Create(t.Context(), &OrderRequest{}); return err }, false},
		{"refund create", func(c *Client) error {
			_, _, err := c.Refunds.Create(t.Context(), 1, &RefundRequest{APIRefund: true})
			return err
		}, false},
		{"note create", func(c *Client) error {
			_, _, err := c.OrderNotes.Create(t.Context(), 1, &OrderNoteRequest{Note: "x"})
			return err
		}, false},
		{"webhook create", func(c *Client) error { _, _, err := c.Webhooks.Create(t.Context(), &WebhookRequest{}); return err }, false},
		{"product create without sku", func(c *Client) error {
			_, _, err := c.Products.Create(t.Context(), &ProductRequest{Name: Ptr("x")})
			return err
		}, false},
		{"batch", func(c *Client) error {
			_, err := c.Products.Batch(t.Context(), &Batch[ProductRequest]{Delete: []int64{1}})
			return err
		}, false},
		{"order update adding a line", func(c *Client) error {
			_, _, err := c.Orders.Update(t.Context(), 1, &OrderRequest{LineItems: []LineItemRequest{{ProductID: 3}}})
			return err
		}, false},
		{"coupon create (unique code)", func(c *Client) error {
			_, _, err := c.Coupons.Create(t.Context(), &CouponRequest{Code: Ptr("x")})
			return err
		}, true},
		{"customer create (unique email)", func(c *Client) error {
			_, _, err := c.Customers.Create(t.Context(), &CustomerRequest{Email: Ptr("a@example.com")})
			return err
		}, true},
		{"product create with sku", func(c *Client) error {
			_, _, err := c.Products.Create(t.Context(), &ProductRequest{SKU: Ptr("S")})
			return err
		}, true},
		{"order update", func(c *Client) error {
			_, _, err := c.Orders.Update(t.Context(), 1, &OrderRequest{Status: Ptr(OrderCompleted)})
			return err
		}, true},
		{"order delete", func(c *Client) error { _, _, err := c.Orders.Delete(t.Context(), 1, true); return err }, true},
		{"order get", func(c *Client) error { _, _, err := c.Orders.Get(t.Context(), 1); return err }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			c, _ := newTestStore(t, failFirst(&calls, `{"id":1}`))
			err := tc.call(c)
			if tc.retry {
				require.NoError(t, err)
				assert.Equal(t, int32(2), calls.Load())
			} else {
				require.ErrorIs(t, err, ErrServer)
				assert.Equal(t, int32(1), calls.Load())
			}
		})
	}
}

func TestRateLimitedWriteIsRetried(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	c, _ := newTestStore(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		_, _ = w.Write([]byte(`{"id":9}`))
	})
	o, _, err := c.Orders.Create(t.Context(), &OrderRequest{})
	require.NoError(t, err, "a 429 was rejected before processing, so even a create is sent again")
	assert.Equal(t, int64(9), o.ID)
}

func TestMethodOverride(t *testing.T) {
	t.Parallel()
	seen := &recorder{}
	c, _ := newTestStore(t, func(w http.ResponseWriter, r *http.Request) {
		seen.add(r)
		_, _ = w.Write([]byte(`{"id":1}`))
	}, WithMethodOverride())
	_, _, err := c.Products.Update(t.Context(), 1, &ProductRequest{Name: Ptr("x")})
	require.NoError(t, err)
	_, _, err = c.Products.Delete(t.Context(), 1, true)
	require.NoError(t, err)
	got := seen.all()
	require.Len(t, got, 2)
	assert.Equal(t, "POST", got[0].method)
	assert.Equal(t, "PUT", got[0].header.Get("X-HTTP-Method-Override"))
	assert.Equal(t, "DELETE", got[1].header.Get("X-HTTP-Method-Override"))
	assert.Equal(t, "true", got[1].query.Get("force"))
}

func TestLookups(t *testing.T) {
	t.Parallel()
	c, seen := newTestStore(t, func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/wp-json/wc/v3/coupons":
			_, _ = w.Write([]byte(`[{"id":3,"code":"welcome5"}]`))
		default:
			_, _ = w.Write([]byte(`[{"id":4,"email":"other@example.com"}]`))
		}
	})
	cp, _, err := c.Coupons.GetByCode(t.Context(), "WELCOME5")
	require.NoError(t, err)
	assert.Equal(t, int64(3), cp.ID)
	_, _, err = c.Coupons.GetByCode(t.Context(), "")
	assert.ErrorIs(t, err, ErrInvalidArgument)

	_, _, err = c.Customers.GetByEmail(t.Context(), "Saskia@example.nl")
	require.ErrorIs(t, err, ErrNotFound, "a list match on another email is not the customer")
	_, _, err = c.Customers.GetByEmail(t.Context(), "nope")
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, _, err = c.Coupons.Create(t.Context(), &CouponRequest{})
	assert.ErrorIs(t, err, ErrInvalidArgument)

	reqs := seen.all()
	require.Len(t, reqs, 2, "invalid lookups send nothing")
	assert.Equal(t, "WELCOME5", reqs[0].query.Get("code"))
	assert.Equal(t, "Saskia@example.nl", reqs[1].query.Get("email"))
	assert.Equal(t, "all", reqs[1].query.Get("role"))
}

func TestRetryAfterWaitsOnVirtualTime(t *testing.T) {
	t.Parallel()
	var calls atomic.Int32
	var mu sync.Mutex
	var slept []time.Duration
	c, _ := newTestStore(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			w.Header().Set("Retry-After", "90")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(`{"id":9}`))
	}, WithClock(func() time.Time { return time.Unix(1_700_000_000, 0) }),
		WithSleep(func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			slept = append(slept, d)
			mu.Unlock()
			return ctx.Err()
		}), WithMaxRetryAfter(5*time.Minute))
	o, _, err := c.Orders.Get(t.Context(), 9)
	require.NoError(t, err, "two 90 s Retry-After waits pass on virtual time")
	assert.Equal(t, int64(9), o.ID)
	assert.Equal(t, []time.Duration{90 * time.Second, 90 * time.Second}, slept)
}

func TestClockAndSleepRefuseNil(t *testing.T) {
	t.Parallel()
	_, err := NewClient("https://shop.example/", testKey, testSecret, WithClock(nil))
	require.ErrorIs(t, err, ErrInvalidArgument)
	_, err = NewClient("https://shop.example/", testKey, testSecret, WithSleep(nil))
	require.ErrorIs(t, err, ErrInvalidArgument)
}
