package wooconnect_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// Seed 001, "Refunds".

// "A full refund (the order status changes to "refunded") takes back the points the order
// awarded, including the welcome bonus when it was part of that order."
func TestSeed_Refunds_FullRefundClawsBackIncludingWelcomeBonus(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withProgram(func(p *loyalty.Program) { p.Earning.WelcomeBonus = 50 }))
	e.connect()
	o := e.placeOrder(ada, "120.00", woocommerce.OrderCompleted)
	require.Equal(t, int64(170), e.balance(ada.email))

	e.refund(o, "120.00")
	got, _, err := e.admin.Orders.Get(e.ctx, o.ID)
	require.NoError(t, err)
	require.Equal(t, woocommerce.OrderRefunded, got.Status, "a full refund sets the status")
	assert.Equal(t, int64(0), e.balance(ada.email))
	h := e.history(ada.email)
	require.Equal(t, loyalty.KindRefund, h[0].Kind)
	assert.Equal(t, int64(-170), h[0].Requested)
	assert.Equal(t, int64(-170), h[0].Applied)
}

// "If the member already spent some of those points, the balance stops at zero; the member's
// history still records the full deduction."
func TestSeed_Refunds_SpentPointsBalanceStopsAtZeroHistoryRecordsFull(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	o := e.placeOrder(ada, "1500.00", woocommerce.OrderCompleted)
	_, err := e.conn.Engine().Redeem(e.ctx, loyalty.RedeemRequest{ProgramID: e.prog.ID,
		Member: loyalty.MemberRef{Email: ada.email}, Points: 1200, IdempotencyKey: "spend"})
	require.NoError(t, err)
	require.Equal(t, int64(300), e.balance(ada.email))

	e.setStatus(o, woocommerce.OrderRefunded)
	assert.Equal(t, int64(0), e.balance(ada.email))
	h := e.history(ada.email)
	assert.Equal(t, loyalty.KindRefund, h[0].Kind)
	assert.Equal(t, int64(-1500), h[0].Requested, "the full deduction is recorded")
	assert.Equal(t, int64(-300), h[0].Applied, "the balance stopped at zero")
}

// "Partial refunds do not deduct points in this version. WooCommerce keeps the order status
// unchanged for partial refunds, so the platform never sees them. Refund the full order when the
// points must come back."
func TestSeed_Refunds_PartialRefundDeductsNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	o := e.placeOrder(ada, "100.00", woocommerce.OrderCompleted)
	e.refund(o, "40.00")
	got, _, err := e.admin.Orders.Get(e.ctx, o.ID)
	require.NoError(t, err)
	require.Equal(t, woocommerce.OrderCompleted, got.Status, "WooCommerce keeps the status")
	assert.Equal(t, int64(100), e.balance(ada.email))

	// Refunding the rest refunds the order: now the points come back.
	e.refund(o, "60.00")
	assert.Equal(t, int64(0), e.balance(ada.email))
}
