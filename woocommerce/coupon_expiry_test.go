package woocommerce

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// WooCommerce parses date_expires as an instant only with a trailing Z or ±hh:mm and no fraction;
// anything else is read as site-local time, so the client always sends UTC with "Z".
func TestCouponExpiryEncoding(t *testing.T) {
	t.Parallel()
	cet := time.FixedZone("CET", 3600)
	for _, tc := range []struct {
		name string
		e    *CouponExpiry
		want string
	}{
		{"utc", ExpiresAt(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)), `"2026-03-01T12:00:00Z"`},
		{"zone converted", ExpiresAt(time.Date(2026, 3, 1, 0, 30, 0, 0, cet)), `"2026-02-28T23:30:00Z"`},
		{"fraction truncated", ExpiresAt(time.Date(2026, 3, 1, 12, 0, 5, 999e6, time.UTC)), `"2026-03-01T12:00:05Z"`},
		{"never", NeverExpires(), `""`},
	} {
		b, err := json.Marshal(tc.e)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, string(b), tc.name)
	}
	at, ok := ExpiresAt(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)).Time()
	assert.True(t, ok)
	assert.Equal(t, 2026, at.Year())
	_, ok = NeverExpires().Time()
	assert.False(t, ok)

	// Only date_expires is sent: WooCommerce ignores date_expires_gmt on writes.
	b, err := json.Marshal(CouponRequest{DateExpires: ExpiresAt(time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))})
	require.NoError(t, err)
	assert.JSONEq(t, `{"date_expires":"2026-03-01T00:00:00Z"}`, string(b))
}

// A zero instant is a mistake (an unset field), not a request to remove the expiry: nothing is sent.
func TestCouponExpiryZeroRefused(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { hits.Add(1) }))
	t.Cleanup(srv.Close)
	c, err := NewClient(srv.URL, "ck_x", "cs_x")
	require.NoError(t, err)
	_, _, err = c.Coupons.Create(t.Context(), &CouponRequest{Code: Ptr("x"), DateExpires: ExpiresAt(time.Time{})})
	require.Error(t, err)
	assert.ErrorContains(t, err, "NeverExpires")
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.ErrorContains(t, err, "woocommerce: create coupon")
	assert.Zero(t, hits.Load())
	_, err = json.Marshal(ExpiresAt(time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)))
	assert.Error(t, err)
}
