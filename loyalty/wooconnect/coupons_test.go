package wooconnect_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// The coupon expires in the store when the redemption says (WooCommerce applies date_expires
// only), and a coupon found by code after a failed create is adopted only when it carries the
// redemption's marker, is unused and has the same terms, expiry included (issue 12.1, 12.2).
func TestIssueCoupon_AdoptsOnlyItsOwnUnusedCoupon(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	expires := e.clock.Now().Add(7 * 24 * time.Hour)
	coupon := func(code, redemption string) loyalty.Coupon {
		return loyalty.Coupon{Code: code, Amount: dec("50.00"), Currency: "EUR", Email: ada.email, ExpiresAt: expires,
			UsageLimit: 1, ProgramID: e.prog.ID, MemberID: "m1", RedemptionID: redemption}
	}
	taken := func(t *testing.T, cp loyalty.Coupon) {
		t.Helper()
		_, err := e.conn.IssueCoupon(e.ctx, cp)
		require.ErrorIs(t, err, loyalty.ErrCouponRejected)
		require.ErrorIs(t, err, wooconnect.ErrCouponCodeTaken)
	}

	// Ours: created with the expiry and the marker; issuing again adopts it.
	cp := coupon("POINTS-OURS0001", "r1")
	id, err := e.conn.IssueCoupon(e.ctx, cp)
	require.NoError(t, err)
	n, _ := strconv.ParseInt(id, 10, 64)
	got, _, err := e.admin.Coupons.Get(e.ctx, n)
	require.NoError(t, err)
	assert.Equal(t, expires.UTC().Truncate(time.Second), got.DateExpiresGMT.Time, "the coupon expires in the store")
	again, err := e.conn.IssueCoupon(e.ctx, cp)
	require.NoError(t, err)
	assert.Equal(t, id, again)

	// Same code, another redemption (another database deriving the same code): not ours.
	taken(t, coupon("POINTS-OURS0001", "r2"))
	// Ours but another expiry.
	other := cp
	other.ExpiresAt = expires.Add(24 * time.Hour)
	taken(t, other)

	// Someone else's coupon with the same code and terms, without our marker.
	code, amount, discount := "POINTS-THEIRS01", woocommerce.MustMoney("50.00"), woocommerce.DiscountFixedCart
	_, _, err = e.admin.Coupons.Create(e.ctx, &woocommerce.CouponRequest{Code: &code, Amount: &amount, DiscountType: &discount,
		EmailRestrictions: []string{ada.email}, DateExpires: woocommerce.ExpiresAt(expires)})
	require.NoError(t, err)
	taken(t, coupon(code, "r3"))

	// Ours, but used already (usage 1 of 1).
	pending, total := woocommerce.OrderPending, woocommerce.MustMoney("80.00")
	o, _, err := e.admin.Orders.Create(e.ctx, &woocommerce.OrderRequest{Status: &pending,
		Billing:     &woocommerce.Address{FirstName: "Ada", Email: ada.email},
		FeeLines:    []woocommerce.FeeLineRequest{{Name: "Goods", Total: &total, TaxStatus: "none"}},
		CouponLines: []woocommerce.CouponLineRequest{{Code: cp.Code}}})
	require.NoError(t, err)
	e.setStatus(o, woocommerce.OrderCompleted)
	got, _, err = e.admin.Coupons.Get(e.ctx, n)
	require.NoError(t, err)
	require.Equal(t, int64(1), got.UsageCount)
	taken(t, cp)
}
