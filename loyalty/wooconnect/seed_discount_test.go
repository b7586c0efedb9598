package wooconnect_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// Seed 001, "Points Discount: Redeeming as Store Coupons".

func (e *env) redeem(email string, points int64, key string) (loyalty.Redemption, error) {
	return e.conn.Engine().Redeem(e.ctx, loyalty.RedeemRequest{ProgramID: e.prog.ID,
		Member: loyalty.MemberRef{Email: email}, Points: points, IdempotencyKey: key})
}

// The defaults: discount per point 0.05, minimum 1,000 points, no maximum, prefix POINTS
// ("Codes look like POINTS-AB12CD34"), valid for 7 days.
func TestSeed_PointsDiscount_Defaults(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	r := e.prog.Redemption
	assert.True(t, r.DiscountPerPoint.Equal(dec("0.05")))
	assert.Equal(t, int64(1000), r.MinPoints)
	assert.Zero(t, r.MaxPoints)
	assert.Equal(t, "POINTS", r.CouponPrefix)
	assert.Equal(t, 7, r.ValidityDays)

	e.connect()
	e.placeOrder(ada, "5000.00", woocommerce.OrderCompleted)
	red, err := e.redeem(ada.email, 5000, "all")
	require.NoError(t, err, "no maximum: the full balance can be redeemed")
	assert.Regexp(t, `^POINTS-[A-Z2-9]{8}$`, red.Code)
	assert.True(t, red.Value.Equal(dec("250")))
	assert.Equal(t, red.CreatedAt.AddDate(0, 0, 7), red.ExpiresAt)
}

// "Coupon valid for (days): how long a coupon stays usable after redemption, 1 to 90 days."
func TestSeed_PointsDiscount_ValidityBoundsOneToNinetyDays(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for days, ok := range map[int]bool{1: true, 90: true, 91: false, -1: false} {
		p := e.prog
		p.Redemption.ValidityDays = days
		_, err := e.conn.Engine().SaveProgram(e.ctx, p, "owner")
		if ok {
			assert.NoError(t, err, days)
		} else {
			assert.ErrorIs(t, err, loyalty.ErrInvalid, days)
		}
	}
	p := e.prog
	p.Redemption.ValidityDays = 30
	_, err := e.conn.Engine().SaveProgram(e.ctx, p, "owner")
	require.NoError(t, err)
	e.connect()
	e.placeOrder(ada, "1000.00", woocommerce.OrderCompleted)
	red, err := e.redeem(ada.email, 1000, "k")
	require.NoError(t, err)
	cp, _, err := e.admin.Coupons.GetByCode(e.ctx, red.Code)
	require.NoError(t, err)
	assert.WithinDuration(t, red.CreatedAt.AddDate(0, 0, 30), cp.DateExpiresGMT.Time, time.Second)
}

// "A live preview translates your numbers while you type, for example "1,000 points = 50.00
// store discount"."
func TestSeed_PointsDiscount_LivePreview(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	assert.Equal(t, "1,000 points = 50.00 store discount", e.prog.PreviewLine(1000))
	p := e.prog
	p.Redemption.DiscountPerPoint = dec("0.1")
	assert.Equal(t, "1,000 points = 100.00 store discount", p.PreviewLine(1000))
}

// "Save, and the redemption block appears on the linked card's page for your members. [...] A
// Store discount block shows their balance and what it is worth at your rate."
func TestSeed_PointsDiscount_EnablingShowsRedemptionBlock(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withProgram(func(p *loyalty.Program) { p.Redemption.Enabled = false }))
	e.connect()
	e.placeOrder(ada, "1200.00", woocommerce.OrderCompleted)
	assert.False(t, e.wallet(ada.email).CanRedeem)
	_, err := e.redeem(ada.email, 1000, "x")
	require.ErrorIs(t, err, loyalty.ErrRedemptionDisabled)

	p := e.prog
	p.Redemption.Enabled = true
	_, err = e.conn.Engine().SaveProgram(e.ctx, p, "owner")
	require.NoError(t, err)
	w := e.wallet(ada.email)
	assert.True(t, w.CanRedeem)
	assert.Equal(t, int64(1200), w.Balance)
	assert.True(t, w.Value.Equal(dec("60")))
	assert.Equal(t, "You now have 1,200 points = 60.00 in store discount", w.BalanceLine)
}

// "They choose how many points to redeem, within your minimum and maximum and their balance.
// [...] The bounds members see are enforced again on the server, so nothing outside your
// configuration can be redeemed."
func TestSeed_PointsDiscount_BoundsEnforced(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withProgram(func(p *loyalty.Program) { p.Redemption.MaxPoints = 2000 }))
	e.connect()
	e.placeOrder(ada, "2500.00", woocommerce.OrderCompleted)
	w := e.wallet(ada.email)
	assert.Equal(t, int64(1000), w.RedeemMin)
	assert.Equal(t, int64(2000), w.RedeemMax)
	for points, want := range map[int64]error{999: loyalty.ErrBelowMinimum, 2001: loyalty.ErrAboveMaximum} {
		_, err := e.redeem(ada.email, points, "")
		var re *loyalty.RedeemError
		require.ErrorAs(t, err, &re)
		assert.ErrorIs(t, err, want)
	}
	e.placeOrder(grace, "1500.00", woocommerce.OrderCompleted)
	_, err := e.redeem(grace.email, 2000, "")
	assert.ErrorIs(t, err, loyalty.ErrInsufficientPoints)
	coupons, _, err := e.admin.Coupons.List(e.ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, coupons, "nothing outside the bounds reached the store")
	assert.Equal(t, int64(2500), e.balance(ada.email))
}

// "The platform creates the coupon on your store and deducts the points." Each coupon is
// single use, restricted to the member's own email address, and applies a fixed discount to
// the cart.
func TestSeed_PointsDiscount_CreatesCouponOnStoreAndDeductsPoints(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "1300.00", woocommerce.OrderCompleted)
	red, err := e.redeem(ada.email, 1000, "k")
	require.NoError(t, err)
	assert.Equal(t, loyalty.RedemptionIssued, red.State)
	assert.Equal(t, int64(300), e.balance(ada.email))

	cp, _, err := e.admin.Coupons.GetByCode(e.ctx, red.Code)
	require.NoError(t, err)
	assert.Equal(t, strings.ToLower(red.Code), cp.Code, "WooCommerce stores codes lowercased")
	assert.Equal(t, woocommerce.DiscountFixedCart, cp.DiscountType)
	assert.True(t, cp.Amount.Decimal.Equal(dec("50")), "amount %s", cp.Amount)
	assert.Equal(t, woocommerce.SomeInt(1), cp.UsageLimit)
	assert.Equal(t, woocommerce.SomeInt(1), cp.UsageLimitPerUser)
	assert.Equal(t, []string{ada.email}, cp.EmailRestrictions)
	assert.WithinDuration(t, red.ExpiresAt, cp.DateExpiresGMT.Time, time.Second)
	assert.Equal(t, red.CouponID, idString(cp.ID))
}

// "The member sees the code with a copy button, its value, and the expiry date, and receives
// the same by email."
func TestSeed_PointsDiscount_CouponEmailHasCodeValueExpiry(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "1000.00", woocommerce.OrderCompleted)
	red, err := e.redeem(ada.email, 1000, "k")
	require.NoError(t, err)
	mails := e.mail.to(ada.email)
	m := mails[len(mails)-1]
	assert.Equal(t, loyalty.EmailCouponIssued, m.Kind)
	assert.Equal(t, "Your 50.00 EUR discount code: "+red.Code, m.Subject)
	assert.Contains(t, m.Text, "Code: "+red.Code)
	assert.Contains(t, m.Text, "Value: 50.00 EUR off your cart")
	assert.Contains(t, m.Text, "Valid until: "+red.ExpiresAt.Format(time.DateOnly))
	assert.Contains(t, m.Text, "only with your email address (ada@example.com)")
}

// "They paste the code at your store's checkout like any coupon." It works once, only for the
// member's email, and takes a fixed amount off the cart.
func TestSeed_PointsDiscount_CodeWorksAtCheckoutOnceForTheMember(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "2000.00", woocommerce.OrderCompleted)
	red, err := e.redeem(ada.email, 1000, "k")
	require.NoError(t, err)
	name, price := "Teapot", woocommerce.SomeMoney(woocommerce.MustMoney("80.00"))
	prod, _, err := e.admin.Products.Create(e.ctx, &woocommerce.ProductRequest{Name: &name, RegularPrice: &price})
	require.NoError(t, err)

	checkout := func(cust customer) (*woocommerce.Order, error) {
		qty, status, paid := int64(1), woocommerce.OrderPending, true
		o, _, err := e.admin.Orders.Create(e.ctx, &woocommerce.OrderRequest{
			Status:      &status,
			Billing:     &woocommerce.Address{FirstName: cust.first, LastName: cust.last, Email: cust.email},
			LineItems:   []woocommerce.LineItemRequest{{ProductID: prod.ID, Quantity: &qty}},
			CouponLines: []woocommerce.CouponLineRequest{{Code: red.Code}},
			SetPaid:     &paid,
		})
		return o, err
	}
	_, err = checkout(grace)
	assert.ErrorContains(t, err, "is not yours", "restricted to the member's email")
	o, err := checkout(ada)
	require.NoError(t, err)
	assert.True(t, o.Total.Decimal.Equal(dec("30")), "80.00 - 50.00, got %s", o.Total)
	_, err = checkout(ada)
	assert.ErrorContains(t, err, "usage limit has been reached", "single use")
}

// "Points are deducted when the coupon is created, not when it is used. A coupon that expires
// unused does not restore the points by itself. [...] you can always compensate a member
// manually by awarding points if a coupon went to waste."
func TestSeed_PointsDiscount_DeductedAtCreationNotRestoredOnExpiryCompensatedByHand(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "1000.00", woocommerce.OrderCompleted)
	_, err := e.redeem(ada.email, 1000, "k")
	require.NoError(t, err)
	assert.Equal(t, int64(0), e.balance(ada.email), "deducted at creation")

	e.clock.Advance(8 * 24 * time.Hour) // the coupon expired unused
	rep, err := e.conn.Engine().Recover(e.ctx)
	require.NoError(t, err)
	assert.Zero(t, rep.Released)
	assert.Equal(t, int64(0), e.balance(ada.email), "not restored by itself")

	_, err = e.conn.Engine().Adjust(e.ctx, loyalty.AdjustRequest{ProgramID: e.prog.ID, Member: loyalty.MemberRef{Email: ada.email},
		Points: 1000, Key: "wasted-coupon-1", Reason: "Coupon expired unused", Actor: "owner"})
	require.NoError(t, err)
	assert.Equal(t, int64(1000), e.balance(ada.email))
}

// Never two coupons for one redemption: the store applies the create but the response is lost
// (with the client's own retry, which then meets "code exists", and without it, where the
// connector looks the coupon up by code before trying again).
func TestSeed_PointsDiscount_LostCreateResponseMakesOneCoupon(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name    string
		retries int
	}{{"client retries", 2}, {"no client retries", 0}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, withConnector(wooconnect.WithClientOptions(woocommerce.WithRetry(tc.retries, time.Millisecond, time.Millisecond))))
			e.connect()
			e.placeOrder(ada, "1000.00", woocommerce.OrderCompleted)
			e.shop.Faults().Add(faults.Rule{Method: "POST", Path: "/wp-json/wc/v3/coupons", Times: 1, ApplyThenDrop: true})
			red, err := e.redeem(ada.email, 1000, "k")
			require.NoError(t, err)
			assert.Equal(t, loyalty.RedemptionIssued, red.State)
			coupons, _, err := e.admin.Coupons.List(e.ctx, nil)
			require.NoError(t, err)
			require.Len(t, coupons, 1)
			assert.Equal(t, red.CouponID, idString(coupons[0].ID))
			assert.Equal(t, 1, e.shop.Faults().Injected())
		})
	}
}

// A store that refuses the coupon for good (a key that lost write access) gives the points
// back; a store that is down leaves the redemption pending until Recover finishes it, still with
// one coupon.
func TestSeed_PointsDiscount_StoreFailuresKeepCouponAndDeductionTogether(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withConnector(wooconnect.WithClientOptions(woocommerce.WithRetry(0, time.Millisecond, time.Millisecond))))
	e.connect()
	e.placeOrder(ada, "2000.00", woocommerce.OrderCompleted)

	e.shop.Faults().Add(faults.Rule{Path: "/wp-json/wc/v3/coupons", Times: 2, Status: 503, Body: `{"code":"down","message":"down","data":{"status":503}}`})
	_, err := e.redeem(ada.email, 1000, "down")
	require.ErrorIs(t, err, loyalty.ErrRedemptionPending)
	assert.Equal(t, int64(1000), e.balance(ada.email), "reserved")
	e.clock.Advance(time.Second)
	rep, err := e.conn.Engine().Recover(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Issued)
	coupons, _, err := e.admin.Coupons.List(e.ctx, nil)
	require.NoError(t, err)
	assert.Len(t, coupons, 1)

	e.shop.Faults().Add(faults.Rule{Method: "POST", Path: "/wp-json/wc/v3/coupons", Times: 1, Status: 403,
		Body: `{"code":"woocommerce_rest_cannot_create","message":"Sorry, you are not allowed to create resources.","data":{"status":403}}`})
	_, err = e.redeem(ada.email, 1000, "refused")
	require.ErrorIs(t, err, loyalty.ErrRedemptionReleased)
	assert.True(t, errors.Is(err, loyalty.ErrCouponRejected))
	assert.Equal(t, int64(1000), e.balance(ada.email), "points given back")
}
