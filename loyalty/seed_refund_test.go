package loyalty_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
)

// Seed 001, "Refunds".

func TestSeed_Refunds_FullRefundTakesBackPointsIncludingWelcomeBonus(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.Earning.WelcomeBonus = 50 })
	h.process(order("1", "completed", "120", "ada@example.com"))
	h.process(order("2", "completed", "30", "ada@example.com"))
	require.EqualValues(t, 200, h.balance("ada@example.com"))

	res := h.process(order("1", "refunded", "120", "ada@example.com"))

	assert.Equal(t, loyalty.OutcomeProcessed, res.Outcome)
	require.Len(t, res.Movements, 1)
	assert.Equal(t, loyalty.KindRefund, res.Movements[0].Kind)
	assert.EqualValues(t, -170, res.Movements[0].Requested, "120 purchase points and the 50 welcome bonus")
	assert.EqualValues(t, 30, h.balance("ada@example.com"))
}

func TestSeed_Refunds_SpentPointsStopBalanceAtZeroHistoryRecordsFullDeduction(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.Redemption.MinPoints = 100 })
	h.process(order("1", "completed", "150", "ada@example.com"))
	_, err := h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "ada@example.com"}, Points: 100})
	require.NoError(t, err)
	require.EqualValues(t, 50, h.balance("ada@example.com"))

	res := h.process(order("1", "refunded", "150", "ada@example.com"))

	assert.EqualValues(t, 0, h.balance("ada@example.com"))
	refund := res.Movements[0]
	assert.EqualValues(t, -150, refund.Requested, "history records the full deduction")
	assert.EqualValues(t, -50, refund.Applied, "the balance stops at zero")
	assert.EqualValues(t, 0, refund.BalanceAfter)
	assert.Contains(t, res.Reason, "stopped at zero")
	hist := h.history("ada@example.com")
	assert.Equal(t, refund.Key, hist[0].Key)
	assert.EqualValues(t, 0, sumApplied(hist))
}

func TestSeed_Refunds_PartialRefundsDeductNothingByDefault(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.process(order("1", "completed", "100", "ada@example.com"))
	ev := order("1", "completed", "100", "ada@example.com")
	ev.RefundedTotal = dec("40")

	res := h.process(ev)

	assert.Equal(t, loyalty.OutcomeIgnored, res.Outcome)
	assert.Equal(t, "partial refund of 40.00: no points taken back under the current policy", res.Reason)
	assert.EqualValues(t, 100, h.balance("ada@example.com"))
	assert.Equal(t, loyalty.OutcomeDuplicate, h.process(ev).Outcome, "a redelivery of the same refund")
}

// Switching to the proportional policy takes back points only for refunds made after the
// switch, never for those the earlier policy let pass.
func TestRefund_SwitchingToProportionalIsNotRetroactive(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.process(order("1", "completed", "100", "ada@example.com"))
	refund := func(total, refunded string) loyalty.OrderResult {
		ev := order("1", "completed", total, "ada@example.com")
		ev.RefundedTotal = dec(refunded)
		return h.process(ev)
	}
	refund("100", "20")
	first := order("2", "completed", "50", "ada@example.com")
	first.RefundedTotal = dec("10") // refunded before its first delivery, under the default policy
	h.process(first)
	require.EqualValues(t, 150, h.balance("ada@example.com"))

	p := h.prog
	p.PartialRefunds = loyalty.PartialRefundsProportional
	_, err := h.eng.SaveProgram(h.ctx, p, "owner")
	require.NoError(t, err)

	assert.Equal(t, loyalty.OutcomeDuplicate, refund("100", "20").Outcome, "a redelivery after the switch takes nothing back")
	ev := order("2", "completed", "50", "ada@example.com")
	ev.RefundedTotal = dec("10")
	h.process(ev)
	assert.EqualValues(t, 150, h.balance("ada@example.com"))

	res := refund("100", "50") // 30.00 more after the switch
	assert.Equal(t, loyalty.OutcomeProcessed, res.Outcome)
	assert.Equal(t, "partial refund of 50.00: took back 30 points", res.Reason)
	assert.EqualValues(t, 120, h.balance("ada@example.com"), "only the 30.00 refunded after the switch")
	res = h.process(order("1", "refunded", "100", "ada@example.com"))
	assert.EqualValues(t, -70, res.Movements[0].Requested, "a full refund still takes back the rest")
}

func TestRefund_RefundedOrderNeverAwardsAgain(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.process(order("1", "completed", "100", "ada@example.com"))
	h.process(order("1", "refunded", "100", "ada@example.com"))
	assert.Equal(t, loyalty.OutcomeDuplicate, h.process(order("1", "refunded", "100", "ada@example.com")).Outcome)

	res := h.process(order("1", "completed", "100", "ada@example.com"))

	assert.Equal(t, loyalty.OutcomeIgnored, res.Outcome)
	assert.Contains(t, res.Reason, "refunded")
	assert.EqualValues(t, 0, h.balance("ada@example.com"))
}

func TestRefund_RefundBeforeAwardBlocksTheOrder(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	res := h.process(order("1", "refunded", "100", "ada@example.com"))
	assert.Equal(t, loyalty.OutcomeIgnored, res.Outcome)
	// A late "processing" delivery of the same order must not award.
	res = h.process(order("1", "processing", "100", "ada@example.com"))
	assert.Equal(t, loyalty.OutcomeIgnored, res.Outcome)
	_, err := h.eng.FindMember(h.ctx, loyalty.MemberRef{Email: "ada@example.com"})
	assert.ErrorIs(t, err, loyalty.ErrMemberNotFound)
}

func TestRefund_ProportionalPolicyIsIdempotentAndBounded(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) {
		p.PartialRefunds = loyalty.PartialRefundsProportional
		p.Earning.WelcomeBonus = 10
	})
	h.process(order("1", "completed", "200", "ada@example.com"))
	require.EqualValues(t, 210, h.balance("ada@example.com"))

	partial := func(refunded string) loyalty.OrderResult {
		ev := order("1", "completed", "200", "ada@example.com")
		ev.RefundedTotal = dec(refunded)
		return h.process(ev)
	}
	res := partial("50") // a quarter
	assert.Equal(t, loyalty.OutcomeProcessed, res.Outcome)
	assert.EqualValues(t, 160, h.balance("ada@example.com"))
	assert.Equal(t, loyalty.OutcomeDuplicate, partial("50").Outcome, "redelivery")
	assert.Equal(t, loyalty.OutcomeDuplicate, partial("20").Outcome, "an older, smaller total arriving late")
	assert.EqualValues(t, 160, h.balance("ada@example.com"))

	partial("150") // three quarters in all
	assert.EqualValues(t, 60, h.balance("ada@example.com"))
	partial("500") // more than the total: never more than the order's purchase points
	assert.EqualValues(t, 10, h.balance("ada@example.com"), "the welcome bonus stays until a full refund")

	res = h.process(order("1", "refunded", "200", "ada@example.com"))
	assert.EqualValues(t, -10, res.Movements[0].Requested, "the full refund takes the rest: the welcome bonus")
	assert.EqualValues(t, 0, h.balance("ada@example.com"))
	var requested int64
	for _, m := range h.history("ada@example.com") {
		if m.Kind == loyalty.KindRefund {
			requested += m.Requested
		}
	}
	assert.EqualValues(t, -210, requested, "never more than the order awarded")
}

func TestRefund_ProportionalPolicyOnFirstDeliveryWithRefunds(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.PartialRefunds = loyalty.PartialRefundsProportional })
	ev := order("1", "completed", "90", "ada@example.com")
	ev.RefundedTotal = dec("30")
	res := h.process(ev)
	assert.Equal(t, loyalty.OutcomeProcessed, res.Outcome)
	assert.Len(t, res.Movements, 2)
	assert.EqualValues(t, 60, h.balance("ada@example.com"))
}
