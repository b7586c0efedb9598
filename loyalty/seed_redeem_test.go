package loyalty_test

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
)

// Seed 001, "Points Discount: Redeeming as Store Coupons".

func TestSeed_PointsDiscount_SettingsDefaults(t *testing.T) {
	t.Parallel()
	p := loyalty.DefaultProgram("card", "eur")
	assert.False(t, p.Redemption.Enabled, "members redeem once the partner enables the points discount")
	assert.Equal(t, "0.05", p.Redemption.DiscountPerPoint.String())
	assert.EqualValues(t, 1000, p.Redemption.MinPoints)
	assert.Zero(t, p.Redemption.MaxPoints, "empty: the member's full balance")
	assert.Equal(t, "POINTS", p.Redemption.CouponPrefix)
	assert.Equal(t, 7, p.Redemption.ValidityDays)
	assert.Equal(t, "EUR", p.Currency)
	require.NoError(t, p.Validate())
}

func TestSeed_PointsDiscount_SettingsBoundsAreValidatedWithTypedErrors(t *testing.T) {
	t.Parallel()
	cases := map[string]func(p *loyalty.Program){
		"Redemption.ValidityDays":     func(p *loyalty.Program) { p.Redemption.ValidityDays = 91 },
		"Redemption.DiscountPerPoint": func(p *loyalty.Program) { p.Redemption.DiscountPerPoint = dec("-0.05") },
		"Redemption.MinPoints":        func(p *loyalty.Program) { p.Redemption.MinPoints = -1 },
		"Redemption.MaxPoints":        func(p *loyalty.Program) { p.Redemption.MaxPoints = 999 },
		"Redemption.CouponPrefix":     func(p *loyalty.Program) { p.Redemption.CouponPrefix = "po ints" },
		"Currency":                    func(p *loyalty.Program) { p.Currency = "EURO" },
		"EmailLanguage":               func(p *loyalty.Program) { p.EmailLanguage = "not a tag!" },
		"Earning.PointsPerUnit":       func(p *loyalty.Program) { p.Earning.PointsPerUnit = dec("-1") },
		"Earning.Rounding":            func(p *loyalty.Program) { p.Earning.Rounding = "sideways" },
		"Earning.MaxPoints":           func(p *loyalty.Program) { p.Earning.MinPoints, p.Earning.MaxPoints = 10, 5 },
		"Earning.WelcomeBonus":        func(p *loyalty.Program) { p.Earning.WelcomeBonus = -5 },
		"AwardOn":                     func(p *loyalty.Program) { p.AwardOn = "shipped" },
		"PartialRefunds":              func(p *loyalty.Program) { p.PartialRefunds = "some" },
		"ID":                          func(p *loyalty.Program) { p.ID = " " },
	}
	for field, edit := range cases {
		t.Run(field, func(t *testing.T) {
			t.Parallel()
			p := loyalty.DefaultProgram("card", "EUR")
			edit(&p)
			err := p.Validate()
			require.ErrorIs(t, err, loyalty.ErrInvalid)
			var ve *loyalty.ValidationError
			require.ErrorAs(t, err, &ve)
			assert.Equal(t, field, ve.Field)
		})
	}
	for _, days := range []int{1, 90} {
		p := loyalty.DefaultProgram("card", "EUR")
		p.Redemption.ValidityDays = days
		assert.NoError(t, p.Validate(), "validity %d days", days)
	}
}

func TestSeed_PointsDiscount_CouponCodesLookLikePrefixDashEightCharacters(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.give("ada@example.com", 5000, "seed")
	r, err := h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "ada@example.com"}, Points: 1000})
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`^POINTS-[A-Z2-9]{8}$`), r.Code)
	assert.Equal(t, loyalty.CouponCode(codeSecret, "POINTS", r.ID, 0), r.Code, "derived from the redemption id")
}

func TestSeed_PointsDiscount_LivePreview(t *testing.T) {
	t.Parallel()
	p := loyalty.DefaultProgram("card", "EUR")
	assert.Equal(t, "1,000 points = 50.00 store discount", p.PreviewLine(1000))
	assert.Equal(t, "1 point = 0.05 store discount", p.PreviewLine(1))
	assert.Equal(t, "1,000 points = 50 store discount", loyalty.DefaultProgram("card", "JPY").PreviewLine(1000))
	kwd := loyalty.DefaultProgram("card", "KWD")
	kwd.Redemption.DiscountPerPoint = dec("0.0125")
	assert.Equal(t, "1,234,567 points = 15,432.088 store discount", kwd.PreviewLine(1234567))
}

func TestSeed_PointsDiscount_StoreDiscountBlockShowsBalanceAndItsWorth(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.Redemption.MaxPoints = 2000 })
	h.give("ada@example.com", 3210, "seed")
	w := h.wallet("ada@example.com")
	assert.EqualValues(t, 3210, w.Balance)
	assert.Equal(t, "160.5", w.Value.String())
	assert.True(t, w.CanRedeem)
	assert.EqualValues(t, 1000, w.RedeemMin)
	assert.EqualValues(t, 2000, w.RedeemMax)
}

func TestSeed_PointsDiscount_MemberChoosesPointsWithinMinMaxAndBalance(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.Redemption.MaxPoints = 2000 })
	h.give("ada@example.com", 2500, "seed")
	redeem := func(points int64) error {
		_, err := h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "ada@example.com"}, Points: points})
		return err
	}
	var re *loyalty.RedeemError
	err := redeem(999)
	require.ErrorAs(t, err, &re)
	assert.ErrorIs(t, err, loyalty.ErrBelowMinimum)
	assert.EqualValues(t, 2500, re.Balance)
	assert.ErrorIs(t, redeem(2001), loyalty.ErrAboveMaximum)
	assert.ErrorIs(t, redeem(0), loyalty.ErrInvalid)
	assert.ErrorIs(t, redeem(-1000), loyalty.ErrInvalid)
	require.NoError(t, redeem(2000))
	assert.ErrorIs(t, redeem(1000), loyalty.ErrInsufficientPoints)
	h.give("ada@example.com", 500, "topup")
	require.NoError(t, redeem(1000), "the whole balance")
	assert.EqualValues(t, 0, h.balance("ada@example.com"))
	assert.Equal(t, 2, h.issuer.Len(), "two coupons, nothing for refused requests")
}

func TestSeed_PointsDiscount_RedemptionCreatesCouponAndDeductsPoints(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.give("ada@example.com", 1500, "seed")
	r, err := h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "ada@example.com"}, Points: 1200})
	require.NoError(t, err)

	assert.Equal(t, loyalty.RedemptionIssued, r.State)
	_, ok := h.issuer.Coupon(r.Code)
	assert.True(t, ok)
	assert.EqualValues(t, 300, h.balance("ada@example.com"))
	hist := h.history("ada@example.com")
	assert.Equal(t, loyalty.KindRedeem, hist[0].Kind)
	assert.EqualValues(t, -1200, hist[0].Applied)
	assert.Equal(t, loyalty.RedeemKey(r.ID), hist[0].Key)
	act := h.activity()
	assert.Equal(t, loyalty.ActivityRedemption, act[0].Kind)
	assert.Contains(t, act[0].Message, r.Code)
}

func TestSeed_PointsDiscount_MemberSeesCodeValueExpiryAndGetsThemByEmail(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.Redemption.ValidityDays = 30 })
	h.give("ada@example.com", 1200, "seed")
	r, err := h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "ada@example.com"}, Points: 1200})
	require.NoError(t, err)

	assert.NotEmpty(t, r.Code)
	assert.Equal(t, "60", r.Value.String())
	assert.Equal(t, "EUR", r.Currency)
	assert.Equal(t, start.AddDate(0, 0, 30), r.ExpiresAt)
	emails := h.mailer.Emails()
	require.Len(t, emails, 1)
	e := emails[0]
	assert.Equal(t, loyalty.EmailCouponIssued, e.Kind)
	require.NotNil(t, e.Redemption)
	assert.Equal(t, r.Code, e.Redemption.Code)
	assert.Equal(t, r.ExpiresAt, e.Redemption.ExpiresAt)
	assert.EqualValues(t, 0, e.Balance)
}

func TestSeed_PointsDiscount_CouponIsSingleUseRestrictedToMemberEmailFixedDiscount(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.give("Ada@Example.com", 1000, "seed")
	r, err := h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "ada@example.com"}, Points: 1000})
	require.NoError(t, err)
	c, ok := h.issuer.Coupon(r.Code)
	require.True(t, ok)
	assert.Equal(t, 1, c.UsageLimit)
	assert.Equal(t, "ada@example.com", c.Email)
	assert.Equal(t, "50", c.Amount.String())
	assert.Equal(t, "EUR", c.Currency)
	assert.Equal(t, r.ExpiresAt, c.ExpiresAt)
}

func TestSeed_PointsDiscount_BoundsAreEnforcedAgainOnTheServer(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.give("ada@example.com", 5000, "seed")
	req := loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "ada@example.com"}, Points: 1000}

	p := h.prog
	p.Redemption.Enabled = false
	_, err := h.eng.SaveProgram(h.ctx, p, "owner")
	require.NoError(t, err)
	_, err = h.eng.Redeem(h.ctx, req)
	assert.ErrorIs(t, err, loyalty.ErrRedemptionDisabled)

	p.Redemption.Enabled = true
	_, err = h.eng.SaveProgram(h.ctx, p, "owner")
	require.NoError(t, err)
	require.NoError(t, h.eng.SetPaused(h.ctx, "card", true, "owner"))
	_, err = h.eng.Redeem(h.ctx, req)
	assert.ErrorIs(t, err, loyalty.ErrProgramPaused)
	assert.False(t, h.wallet("ada@example.com").CanRedeem)

	assert.EqualValues(t, 5000, h.balance("ada@example.com"))
	assert.Zero(t, h.issuer.Calls())
}

func TestSeed_PointsDiscount_PointsDeductedWhenCouponCreatedNotRestoredOnExpiry(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.give("ada@example.com", 1000, "seed")
	r, err := h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "ada@example.com"}, Points: 1000})
	require.NoError(t, err)
	assert.EqualValues(t, 0, h.balance("ada@example.com"))

	h.clock.Advance(30 * 24 * time.Hour) // long past expiry
	rep, err := h.eng.Recover(h.ctx)
	require.NoError(t, err)
	assert.Equal(t, loyalty.RecoverReport{}, rep)
	assert.EqualValues(t, 0, h.balance("ada@example.com"), "an unused expired coupon does not restore points")

	// The partner compensates by hand.
	_, err = h.eng.Adjust(h.ctx, loyalty.AdjustRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "ada@example.com"},
		Points: 1000, Key: "compensate/" + r.ID, Reason: "Coupon expired unused", Actor: "owner"})
	require.NoError(t, err)
	assert.EqualValues(t, 1000, h.balance("ada@example.com"))
}

func TestSeed_PointsDiscount_EmailLoopShowsNewBalanceAndItsValue(t *testing.T) {
	t.Parallel()
	p := loyalty.DefaultProgram("card", "EUR")
	assert.Equal(t, "You now have 1,200 points = 60.00 in store discount", p.BalanceLine(1200))

	h := newHarness(t, nil)
	h.give("ada@example.com", 1000, "seed")
	h.process(order("1", "completed", "200", "ada@example.com"))
	emails := h.mailer.Emails()
	require.Len(t, emails, 1)
	assert.Equal(t, "You now have 1,200 points = 60.00 in store discount", emails[0].BalanceLine)
	assert.Empty(t, emails[0].ProgressLine, "at or above the minimum")
}

func TestSeed_PointsDiscount_EmailLoopShowsProgressBelowTheMinimum(t *testing.T) {
	t.Parallel()
	p := loyalty.DefaultProgram("card", "EUR")
	p.Redemption.Enabled = true
	assert.Equal(t, "Only 180 more points until your first 50.00 discount", p.ProgressLine(820))
	assert.Equal(t, "Only 1 more point until your first 50.00 discount", p.ProgressLine(999))
	assert.Empty(t, p.ProgressLine(1000))
	p.Redemption.Enabled = false
	assert.Empty(t, p.ProgressLine(820))

	h := newHarness(t, nil)
	h.process(order("1", "completed", "820", "ada@example.com"))
	assert.Equal(t, "Only 180 more points until your first 50.00 discount", h.mailer.Emails()[0].ProgressLine)
	assert.Equal(t, "Only 180 more points until your first 50.00 discount", h.wallet("ada@example.com").ProgressLine)
}

func TestSeed_PointsDiscount_RedeemingForAMemberByEmailCodeOrNumber(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.give("ada@example.com", 3000, "seed")
	m, err := h.eng.FindMember(h.ctx, loyalty.MemberRef{Email: "ada@example.com"})
	require.NoError(t, err)
	for i, ref := range []loyalty.MemberRef{{Email: "ADA@example.com"}, {Code: m.Code}, {Number: m.Number}} {
		r, err := h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: ref, Points: 1000, Actor: "staff:eve"})
		require.NoError(t, err, "ref %d", i)
		assert.Equal(t, m.ID, r.MemberID)
		assert.Equal(t, "staff:eve", r.Actor)
	}
	assert.EqualValues(t, 0, h.balance("ada@example.com"))
	act := h.activity()
	assert.Equal(t, "staff:eve", act[0].Actor)
}

func TestSeed_PointsDiscount_RedeemingForAMemberRequiresProgramMembership(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	other := loyalty.DefaultProgram("other", "EUR")
	other.Redemption.Enabled = true
	_, err := h.eng.SaveProgram(h.ctx, other, "owner")
	require.NoError(t, err)
	_, err = h.eng.Enroll(h.ctx, "other", loyalty.NewMember{Email: "bob@example.com"})
	require.NoError(t, err)

	_, err = h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "bob@example.com"}, Points: 1000})
	assert.ErrorIs(t, err, loyalty.ErrNotMember)
	_, err = h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "nobody@example.com"}, Points: 1000})
	assert.ErrorIs(t, err, loyalty.ErrMemberNotFound)
}
