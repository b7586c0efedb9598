package woocommercetest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// couponWrite sends body to PUT coupons/{id} (or POST coupons when id is 0) and returns the coupon.
func couponWrite(t *testing.T, srv *woocommercetest.Server, key woocommercetest.Key, id int64, body string) map[string]any {
	t.Helper()
	method, path := http.MethodPost, "coupons"
	if id != 0 {
		method, path = http.MethodPut, "coupons/"+itoa(id)
	}
	req := newRequest(t, srv, method, path, body)
	req.SetBasicAuth(key.ConsumerKey, key.ConsumerSecret)
	var out map[string]any
	resp := send(t, srv, req, &out)
	require.Less(t, resp.StatusCode, 300, "%v", out)
	return out
}

// WooCommerce 10 applies only date_expires on a write (WC_Coupon has no date_expires_gmt setter),
// reads it as an instant only with Z or ±hh:mm, skips null and clears on "".
func TestCouponDateExpiresAsWooCommerce(t *testing.T) {
	t.Parallel()
	site := time.FixedZone("site", 2*3600)
	srv := woocommercetest.NewServer(woocommercetest.WithTLS(), woocommercetest.WithTimezone(site))
	t.Cleanup(srv.Close)
	key := srv.AddKey(woocommercetest.ReadWrite)

	cp := couponWrite(t, srv, key, 0, `{"code":"gmt-only","date_expires_gmt":"2026-05-01T10:00:00"}`)
	assert.Nil(t, cp["date_expires_gmt"], "date_expires_gmt is ignored on create")
	id := int64(cp["id"].(float64))

	for _, tc := range []struct {
		body, wantGMT string
	}{
		{`{"date_expires":"2026-05-01T10:00:00Z"}`, "2026-05-01T10:00:00"},
		{`{"date_expires":null}`, "2026-05-01T10:00:00"}, // null is skipped
		{`{"date_expires_gmt":"2030-01-01T00:00:00"}`, "2026-05-01T10:00:00"},
		{`{"date_expires":"2026-05-01T10:00:00+01:00"}`, "2026-05-01T09:00:00"},
		{`{"date_expires":"2026-05-01T10:00:00"}`, "2026-05-01T08:00:00"},      // site-local
		{`{"date_expires":"2026-05-01 10:00:00"}`, "2026-05-01T08:00:00"},      // site-local
		{`{"date_expires":"2026-05-01T10:00:00.5Z"}`, "2026-05-01T08:00:00"},   // not the instant form: UTC wall read as local
		{`{"date_expires":"2026-05-01T10:00:00+0000"}`, "2026-05-01T08:00:00"}, // idem
		{`{"date_expires":1777629600}`, "2026-05-01T10:00:00"},                 // a Unix timestamp
		{`{"date_expires":""}`, ""},
	} {
		cp = couponWrite(t, srv, key, id, tc.body)
		if tc.wantGMT == "" {
			assert.Nil(t, cp["date_expires_gmt"], tc.body)
			assert.Nil(t, cp["date_expires"], tc.body)
			continue
		}
		assert.Equal(t, tc.wantGMT, cp["date_expires_gmt"], tc.body)
	}
}

// Properties the coupon schema marks read-only are not applied.
func TestCouponReadOnlyFieldsIgnored(t *testing.T) {
	t.Parallel()
	srv := woocommercetest.NewServer(woocommercetest.WithTLS())
	t.Cleanup(srv.Close)
	key := srv.AddKey(woocommercetest.ReadWrite)
	cp := couponWrite(t, srv, key, 0, `{"code":"ro","usage_count":5,"used_by":["a@example.com"],
		"date_created":"2020-01-01T00:00:00","date_created_gmt":"2020-01-01T00:00:00",
		"date_modified_gmt":"2020-01-01T00:00:00"}`)
	assert.Equal(t, float64(0), cp["usage_count"])
	assert.Empty(t, cp["used_by"])
	assert.NotEqual(t, "2020-01-01T00:00:00", cp["date_created_gmt"])
	assert.NotEqual(t, "2020-01-01T00:00:00", cp["date_modified_gmt"])
}

// The client's CouponRequest round-trips an expiry through the fake and clears it again.
func TestCouponExpiryThroughClient(t *testing.T) {
	t.Parallel()
	srv, c := store(t, woocommercetest.WithTimezone(time.FixedZone("site", -5*3600)))
	ctx := ctxT(t)
	at := time.Date(2026, 7, 1, 23, 30, 0, 0, time.UTC)
	cp, _, err := c.Coupons.Create(ctx, &woocommerce.CouponRequest{Code: woocommerce.Ptr("exp"), DateExpires: woocommerce.ExpiresAt(at),
		MetaData: []woocommerce.MetaData{woocommerce.StringMeta("_marker", "r-1")}})
	require.NoError(t, err)
	assert.Equal(t, at, cp.DateExpiresGMT.Time)
	assert.Equal(t, "2026-07-01T18:30:00", cp.DateExpires.String())
	m, ok := woocommerce.Meta(cp.MetaData, "_marker")
	require.True(t, ok)
	v, _ := m.String()
	assert.Equal(t, "r-1", v)
	cp, _, err = c.Coupons.Update(ctx, cp.ID, &woocommerce.CouponRequest{DateExpires: woocommerce.NeverExpires()})
	require.NoError(t, err)
	assert.True(t, cp.DateExpiresGMT.IsZero())
	_ = srv
}
