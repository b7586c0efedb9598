package woocommercetest_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// walkStore seeds n orders at a fixed time and returns the store, a client and a function that
// moves the store's clock.
func walkStore(t *testing.T, n int) (*woocommercetest.Server, *woocommerce.Client, []int64, func(time.Duration)) {
	t.Helper()
	var mu sync.Mutex
	now := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	srv, c := store(t, woocommercetest.WithTLS(), woocommercetest.WithClock(func() time.Time { mu.Lock(); defer mu.Unlock(); return now }))
	pid, err := srv.AddProduct(woocommercetest.Product{Name: "P", RegularPrice: "5.00"})
	require.NoError(t, err)
	var ids []int64
	for range n {
		id, err := srv.AddOrder(woocommercetest.Order{Lines: []woocommercetest.Line{{ProductID: pid}}})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	return srv, c, ids, func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
}

// walk runs All and calls during after the 10th order; it returns the ids yielded.
func walk(t *testing.T, c *woocommerce.Client, opts *woocommerce.OrderListOptions, during func()) []int64 {
	t.Helper()
	var got []int64
	for o, err := range c.Orders.All(ctxT(t), opts) {
		require.NoError(t, err)
		got = append(got, o.ID)
		if len(got) == 10 {
			during()
		}
	}
	return got
}

func dups(ids []int64) []int64 {
	seen, out := map[int64]bool{}, []int64(nil)
	for _, id := range ids {
		if seen[id] {
			out = append(out, id)
		}
		seen[id] = true
	}
	return out
}

// The fake pages by offset like WooCommerce: an order created during a newest-first walk makes
// the walk yield an order twice. StableOrder does not.
func TestAllOverChangingCollection(t *testing.T) {
	t.Parallel()
	srv, c, ids, _ := walkStore(t, 25)
	pid, err := srv.AddProduct(woocommercetest.Product{Name: "Q", RegularPrice: "1.00"})
	require.NoError(t, err)
	create := func() {
		_, err := srv.AddOrder(woocommercetest.Order{Lines: []woocommercetest.Line{{ProductID: pid}}})
		require.NoError(t, err)
	}
	got := walk(t, c, &woocommerce.OrderListOptions{ListOptions: woocommerce.ListOptions{PerPage: 10, OrderBy: woocommerce.OrderByID}}, create)
	assert.Len(t, dups(got), 1, "newest first: the page boundary shifts by one")

	opts := &woocommerce.OrderListOptions{ListOptions: woocommerce.StableOrder()}
	opts.PerPage = 10
	got = walk(t, c, opts, create)
	assert.Empty(t, dups(got))
	assert.Subset(t, got, ids, "every order that existed throughout")
}

// An older order entering a ModifiedAfter result during a StableOrder walk shifts the later pages;
// All still yields each id once.
func TestAllStableOrderNeverRepeats(t *testing.T) {
	t.Parallel()
	_, c, ids, advance := walkStore(t, 25)
	since := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	advance(time.Minute)
	touch := func(id int64) {
		_, _, err := c.Orders.Update(ctxT(t), id, &woocommerce.OrderRequest{CustomerNote: woocommerce.Ptr("x")})
		require.NoError(t, err)
	}
	for _, id := range ids[5:] { // 20 orders modified after since
		touch(id)
	}
	opts := &woocommerce.OrderListOptions{ListOptions: woocommerce.StableOrder(), DateFilter: woocommerce.DateFilter{ModifiedAfter: since}}
	opts.PerPage = 10
	got := walk(t, c, opts, func() { touch(ids[0]) })
	assert.Empty(t, dups(got))
	assert.Equal(t, ids[5:], got)
}
