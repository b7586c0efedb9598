package wooconnect_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// Seed 001, "Redeeming for a member".

// "For phone orders and support cases, redeem on a member's behalf from the Overview tab: enter
// the member's email address, member code, or member number, choose the points, and share the
// coupon code that appears."
func TestSeed_RedeemForMember_ByEmailCodeOrNumber(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "3500.00", woocommerce.OrderCompleted)
	m := e.wallet(ada.email).Member

	for i, entered := range []string{" ADA@example.com ", m.Code, strconv.FormatInt(m.Number, 10), "#" + strconv.FormatInt(m.Number, 10)} {
		red, err := e.conn.RedeemForMember(e.ctx, wooconnect.RedeemRequest{ConnectionID: e.c.ID, Member: entered,
			Points: 1000, Actor: "staff:maria", IdempotencyKey: "phone-" + strconv.Itoa(i)})
		if i == 3 {
			require.ErrorIs(t, err, loyalty.ErrInsufficientPoints, entered)
			continue
		}
		require.NoError(t, err, entered)
		assert.Equal(t, m.ID, red.MemberID)
		assert.Equal(t, "staff:maria", red.Actor)
		cp, _, err := e.admin.Coupons.GetByCode(e.ctx, red.Code)
		require.NoError(t, err, "the code to share exists in the store")
		assert.Equal(t, []string{ada.email}, cp.EmailRestrictions)
	}
	assert.Equal(t, int64(500), e.balance(ada.email))
	var logged int
	for _, a := range e.activity() {
		if a.Kind == loyalty.ActivityRedemption && a.Actor == "staff:maria" {
			logged++
		}
	}
	assert.Equal(t, 3, logged)
}

// "The same rules and bounds apply."
func TestSeed_RedeemForMember_SameBoundsApply(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withProgram(func(p *loyalty.Program) { p.Redemption.MaxPoints = 1500 }))
	e.connect()
	e.placeOrder(ada, "2000.00", woocommerce.OrderCompleted)
	for points, want := range map[int64]error{500: loyalty.ErrBelowMinimum, 1600: loyalty.ErrAboveMaximum} {
		_, err := e.conn.RedeemForMember(e.ctx, wooconnect.RedeemRequest{ConnectionID: e.c.ID, Member: ada.email,
			Points: points, Actor: "staff"})
		assert.ErrorIs(t, err, want)
	}
	p := e.prog
	p.Redemption.Enabled = false
	_, err := e.conn.Engine().SaveProgram(e.ctx, p, "owner")
	require.NoError(t, err)
	_, err = e.conn.RedeemForMember(e.ctx, wooconnect.RedeemRequest{ConnectionID: e.c.ID, Member: ada.email,
		Points: 1000, Actor: "staff"})
	assert.ErrorIs(t, err, loyalty.ErrRedemptionDisabled)
	assert.Equal(t, int64(2000), e.balance(ada.email))
	_, err = e.conn.RedeemForMember(e.ctx, wooconnect.RedeemRequest{ConnectionID: e.c.ID, Member: ada.email, Points: 1000})
	assert.ErrorContains(t, err, "Actor")
}

// "The member must already be part of the linked card's program."
func TestSeed_RedeemForMember_MemberMustBelongToLinkedProgram(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	other := loyalty.DefaultProgram("other-card", "EUR")
	_, err := e.conn.Engine().SaveProgram(e.ctx, other, "owner")
	require.NoError(t, err)
	m, err := e.conn.Engine().Enroll(e.ctx, other.ID, loyalty.NewMember{Email: grace.email, Name: "Grace Hopper"})
	require.NoError(t, err)
	_, err = e.conn.Engine().Adjust(e.ctx, loyalty.AdjustRequest{ProgramID: other.ID, Member: loyalty.MemberRef{ID: m.ID},
		Points: 5000, Key: "gift"})
	require.NoError(t, err)

	_, err = e.conn.RedeemForMember(e.ctx, wooconnect.RedeemRequest{ConnectionID: e.c.ID, Member: grace.email,
		Points: 1000, Actor: "staff"})
	require.ErrorIs(t, err, loyalty.ErrNotMember)
	_, err = e.conn.RedeemForMember(e.ctx, wooconnect.RedeemRequest{ConnectionID: e.c.ID, Member: "nobody@example.com",
		Points: 1000, Actor: "staff"})
	require.ErrorIs(t, err, loyalty.ErrMemberNotFound)
	_, err = e.conn.RedeemForMember(e.ctx, wooconnect.RedeemRequest{ConnectionID: e.c.ID, Member: "not a member ref",
		Points: 1000, Actor: "staff"})
	require.ErrorIs(t, err, wooconnect.ErrInvalidMemberRef)
	coupons, _, err := e.admin.Coupons.List(e.ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, coupons)
}
