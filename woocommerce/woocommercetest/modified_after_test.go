package woocommercetest_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// modified_after is exclusive at whole seconds, as in WooCommerce (DATETIME columns, ">"): an
// order modified at 10:00:00.4 is not "modified after 10:00:00.7", nor after 10:00:00.
func TestModifiedAfterExclusiveWholeSeconds(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 3, 1, 10, 0, 0, 400e6, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv, c := store(t, woocommercetest.WithTLS(), woocommercetest.WithClock(clock))
	pid, err := srv.AddProduct(woocommercetest.Product{Name: "P", RegularPrice: "5.00"})
	require.NoError(t, err)
	same, err := srv.AddOrder(woocommercetest.Order{Lines: []woocommercetest.Line{{ProductID: pid}}})
	require.NoError(t, err)
	mu.Lock()
	now = now.Add(time.Second)
	mu.Unlock()
	next, err := srv.AddOrder(woocommercetest.Order{Lines: []woocommercetest.Line{{ProductID: pid}}})
	require.NoError(t, err)

	ids := func(after time.Time) []int64 {
		orders, _, err := c.Orders.List(ctxT(t), &woocommerce.OrderListOptions{
			DateFilter: woocommerce.DateFilter{ModifiedAfter: after}, ListOptions: woocommerce.ListOptions{Order: "asc", OrderBy: "id"}})
		require.NoError(t, err)
		var out []int64
		for _, o := range orders {
			out = append(out, o.ID)
		}
		return out
	}
	base := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	assert.Equal(t, []int64{next}, ids(base.Add(700*time.Millisecond)), "truncated to 10:00:00, exclusive")
	assert.Equal(t, []int64{next}, ids(base))
	assert.Equal(t, []int64{same, next}, ids(base.Add(-time.Second)), "one second earlier includes the same second")

	// A bound with a fraction, sent by hand, is truncated too: before=10:00:01.5 is before 10:00:01.
	key := srv.AddKey(woocommercetest.ReadWrite)
	for _, q := range []string{
		"modified_before=2026-03-01T10:00:01.5&dates_are_gmt=true",
		"before=2026-03-01T10:00:01.5&dates_are_gmt=true",
	} {
		req := newRequest(t, srv, http.MethodGet, "orders?orderby=id&order=asc&"+q, "")
		req.SetBasicAuth(key.ConsumerKey, key.ConsumerSecret)
		var got []struct{ ID int64 }
		send(t, srv, req, &got)
		require.Len(t, got, 1, q)
		assert.Equal(t, same, got[0].ID, q)
	}
}
