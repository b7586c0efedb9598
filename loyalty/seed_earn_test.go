package loyalty_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
)

// Seed 001, "How Points Are Earned".

func TestSeed_HowPointsAreEarned_ExistingMemberGetsPointsAndNotificationEmail(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	m, err := h.eng.Enroll(h.ctx, "card", loyalty.NewMember{Email: "ada@example.com", Name: "Ada"})
	require.NoError(t, err)

	res := h.process(order("1001", "completed", "42.50", " Ada@Example.COM "))

	assert.Equal(t, loyalty.OutcomeProcessed, res.Outcome)
	assert.False(t, res.NewMember)
	assert.Equal(t, m.ID, res.Member.ID, "matched by normalised billing email")
	assert.EqualValues(t, 42, h.balance("ada@example.com"))
	emails := h.mailer.Emails()
	require.Len(t, emails, 1)
	assert.Equal(t, loyalty.EmailPointsEarned, emails[0].Kind)
	assert.EqualValues(t, 42, emails[0].Points)
	assert.EqualValues(t, 42, emails[0].Balance)
	assert.Equal(t, "ada@example.com", emails[0].To.Email)
}

func TestSeed_HowPointsAreEarned_NewCustomerGetsAccountAndWelcomeEmail(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)

	res := h.process(order("1002", "processing", "10", "new@example.com"))

	assert.True(t, res.NewMember)
	assert.Equal(t, "new@example.com", res.Member.Email)
	assert.EqualValues(t, 10, h.balance("new@example.com"))
	emails := h.mailer.Emails()
	require.Len(t, emails, 1)
	assert.Equal(t, loyalty.EmailWelcome, emails[0].Kind)
}

func TestSeed_HowPointsAreEarned_GuestWithoutEmailIsSkippedWithReasonOnActivity(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)

	res := h.process(order("1003", "completed", "99", "  "))

	assert.Equal(t, loyalty.OutcomeSkipped, res.Outcome)
	assert.Contains(t, res.Reason, "without a billing email")
	act := h.activity()
	require.NotEmpty(t, act)
	assert.Equal(t, loyalty.ActivityOrderSkipped, act[0].Kind)
	assert.Contains(t, act[0].Message, "1003")
	assert.Contains(t, act[0].Message, "without a billing email")
	ms, _, err := h.eng.Members(h.ctx, "card", loyalty.PageOptions{})
	require.NoError(t, err)
	assert.Empty(t, ms, "no member created for a guest")
}

func TestSeed_HowPointsAreEarned_CardPointRulesRatioRoundingMinMax(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		rules    loyalty.EarningRules
		total    string
		expected int64
	}{
		{"one per unit rounds down by default", loyalty.EarningRules{}, "42.99", 42},
		{"ten per unit", loyalty.EarningRules{PointsPerUnit: dec("10")}, "4.55", 45},
		{"one per ten units", loyalty.EarningRules{PointsPerUnit: dec("0.1")}, "99.99", 9},
		{"round nearest half up", loyalty.EarningRules{Rounding: loyalty.RoundNearest}, "12.5", 13},
		{"round nearest down", loyalty.EarningRules{Rounding: loyalty.RoundNearest}, "12.49", 12},
		{"round up", loyalty.EarningRules{Rounding: loyalty.RoundUp}, "12.01", 13},
		{"minimum per purchase", loyalty.EarningRules{MinPoints: 25}, "3", 25},
		{"maximum per purchase", loyalty.EarningRules{MaxPoints: 500}, "1234", 500},
		{"zero total earns nothing, not the minimum", loyalty.EarningRules{MinPoints: 25}, "0", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, func(p *loyalty.Program) { p.Earning = tc.rules })
			res := h.process(order("1", "completed", tc.total, "ada@example.com"))
			assert.Equal(t, loyalty.OutcomeProcessed, res.Outcome)
			assert.Equal(t, tc.expected, h.balance("ada@example.com"))
			assert.Equal(t, tc.expected, h.prog.PurchasePoints(dec(tc.total)))
		})
	}
}

func TestSeed_HowPointsAreEarned_OnOrderTotalIncludingShippingAndTaxes(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	// Items 80.00 + shipping 4.90 + taxes 16.80 = total 101.70 as WooCommerce reports it.
	h.process(order("1004", "completed", "101.70", "ada@example.com"))
	assert.EqualValues(t, 101, h.balance("ada@example.com"))
}

func TestSeed_HowPointsAreEarned_WelcomeBonusOnFirstOrderAsSeparateEntry(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.Earning.WelcomeBonus = 50 })

	first := h.process(order("1", "completed", "20", "ada@example.com"))
	second := h.process(order("2", "completed", "30", "ada@example.com"))

	require.Len(t, first.Movements, 2)
	assert.Equal(t, loyalty.KindEarn, first.Movements[0].Kind)
	assert.Equal(t, loyalty.KindWelcome, first.Movements[1].Kind)
	assert.EqualValues(t, 50, first.Movements[1].Applied)
	require.Len(t, second.Movements, 1, "the welcome bonus comes with the first order only")
	hist := h.history("ada@example.com")
	require.Len(t, hist, 3)
	assert.Equal(t, []loyalty.MovementKind{loyalty.KindEarn, loyalty.KindWelcome, loyalty.KindEarn},
		[]loyalty.MovementKind{hist[2].Kind, hist[1].Kind, hist[0].Kind})
	assert.EqualValues(t, 100, h.balance("ada@example.com"))
	assert.EqualValues(t, 50, h.mailer.Emails()[0].WelcomeBonus)
}

func TestSeed_HowPointsAreEarned_WelcomeBonusOncePerProgramForExistingMember(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.Earning.WelcomeBonus = 50 })
	_, err := h.eng.Enroll(h.ctx, "card", loyalty.NewMember{Email: "ada@example.com"})
	require.NoError(t, err)

	res := h.process(order("1", "completed", "10", "ada@example.com"))

	assert.Len(t, res.Movements, 2, "an enrolled member's first order on the card earns the bonus")
	assert.EqualValues(t, 60, h.balance("ada@example.com"))
}

func TestSeed_HowPointsAreEarned_AwardOnProcessingOrCompletedIsTheDefault(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	assert.Equal(t, loyalty.AwardOnProcessingOrCompleted, h.prog.AwardOn)

	assert.Equal(t, loyalty.OutcomeProcessed, h.process(order("1", "processing", "10", "ada@example.com")).Outcome)
	assert.Equal(t, loyalty.OutcomeProcessed, h.process(order("2", "completed", "5", "ada@example.com")).Outcome)
	assert.EqualValues(t, 15, h.balance("ada@example.com"))
}

func TestSeed_HowPointsAreEarned_AwardOnCompletedOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.AwardOn = loyalty.AwardOnCompleted })

	res := h.process(order("1", "processing", "10", "ada@example.com"))
	assert.Equal(t, loyalty.OutcomeIgnored, res.Outcome)
	assert.Contains(t, res.Reason, `status "processing"`)
	assert.Contains(t, res.Reason, `"completed" only`)

	res = h.process(order("1", "completed", "10", "ada@example.com"))
	assert.Equal(t, loyalty.OutcomeProcessed, res.Outcome)
	assert.EqualValues(t, 10, h.balance("ada@example.com"))
}

func TestSeed_HowPointsAreEarned_ProcessingThenCompletedAwardsOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)

	h.process(order("1", "processing", "30", "ada@example.com"))
	res := h.process(order("1", "completed", "30", "ada@example.com"))

	assert.Equal(t, loyalty.OutcomeDuplicate, res.Outcome)
	assert.Empty(t, res.Movements)
	assert.EqualValues(t, 30, h.balance("ada@example.com"))
	assert.Len(t, h.history("ada@example.com"), 1)
}

func TestSeed_HowPointsAreEarned_RetriedWebhookNeverDoubleCredits(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.Earning.WelcomeBonus = 5 })
	ev := order("1", "completed", "30", "ada@example.com")

	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			_, err := h.eng.ProcessOrder(h.ctx, "card", ev)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	for range 3 {
		assert.Equal(t, loyalty.OutcomeDuplicate, h.process(ev).Outcome)
	}

	assert.EqualValues(t, 35, h.balance("ada@example.com"))
	assert.Len(t, h.history("ada@example.com"), 2)
	rs, _, err := h.eng.Receipts(h.ctx, "card", loyalty.OutcomeProcessed, loyalty.PageOptions{Limit: 100})
	require.NoError(t, err)
	assert.Len(t, rs, 1)
}

func TestSeed_HowPointsAreEarned_OtherStatusesAwardNothingAndActivityNamesTheStatus(t *testing.T) {
	t.Parallel()
	for _, status := range []string{"pending", "on-hold", "cancelled", "failed", "checkout-draft", "wc-on-hold", ""} {
		t.Run(status, func(t *testing.T) {
			t.Parallel()
			h := newHarness(t, nil)
			res := h.process(order("7", status, "50", "ada@example.com"))
			want := string(loyalty.NormalizeStatus(status))
			assert.Equal(t, loyalty.OutcomeIgnored, res.Outcome)
			assert.Contains(t, res.Reason, `status "`+want+`" does not award points`)
			act := h.activity()
			require.NotEmpty(t, act)
			assert.Equal(t, loyalty.ActivityOrderIgnored, act[0].Kind)
			assert.Contains(t, act[0].Message, `"`+want+`"`)
			_, err := h.eng.FindMember(h.ctx, loyalty.MemberRef{Email: "ada@example.com"})
			assert.ErrorIs(t, err, loyalty.ErrMemberNotFound, "ignored orders create no member")
		})
	}
}

func TestOrder_PendingThenProcessingAwardsOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	assert.Equal(t, loyalty.OutcomeIgnored, h.process(order("1", "pending", "30", "ada@example.com")).Outcome)
	assert.Equal(t, loyalty.OutcomeIgnored, h.process(order("1", "on-hold", "30", "ada@example.com")).Outcome)
	assert.Equal(t, loyalty.OutcomeProcessed, h.process(order("1", "processing", "30", "ada@example.com")).Outcome)
	assert.Equal(t, loyalty.OutcomeDuplicate, h.process(order("1", "completed", "30", "ada@example.com")).Outcome)
	assert.EqualValues(t, 30, h.balance("ada@example.com"))
}

func TestOrder_CurrencyMismatchIsRefusedWithReason(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ev := order("1", "completed", "30", "ada@example.com")
	ev.Currency = "USD"
	res := h.process(ev)
	assert.Equal(t, loyalty.OutcomeSkipped, res.Outcome)
	assert.Contains(t, res.Reason, `"USD"`)
	assert.Contains(t, res.Reason, `"EUR"`)

	ev.Currency = "eur" // case does not matter
	assert.Equal(t, loyalty.OutcomeProcessed, h.process(ev).Outcome)
}

func TestOrder_InvalidEventIsATypedErrorAndAFailedReceipt(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ev := order("", "completed", "30", "ada@example.com")
	_, err := h.eng.ProcessOrder(h.ctx, "card", ev)
	var ve *loyalty.ValidationError
	require.ErrorAs(t, err, &ve)
	assert.Equal(t, "OrderEvent.OrderID", ve.Field)
	assert.ErrorIs(t, err, loyalty.ErrInvalid)

	ev = order("2", "completed", "-1", "ada@example.com")
	_, err = h.eng.ProcessOrder(h.ctx, "card", ev)
	assert.ErrorIs(t, err, loyalty.ErrInvalid)

	st, err := h.eng.DeliveryStats(h.ctx, "card", 0)
	require.NoError(t, err)
	assert.Equal(t, 2, st.Failed)
	require.NotNil(t, st.LastFailure)
	assert.Contains(t, st.LastFailure.Reason, "Total")
}

func TestOrder_UnknownProgram(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, err := h.eng.ProcessOrder(h.ctx, "nope", order("1", "completed", "1", "a@b.c"))
	assert.ErrorIs(t, err, loyalty.ErrProgramNotFound)
}

func TestOrder_MemberRefWinsOverBillingEmail(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	m, err := h.eng.Enroll(h.ctx, "card", loyalty.NewMember{Email: "card@example.com"})
	require.NoError(t, err)
	ev := order("pos-1", "completed", "12", "")
	ev.Member = loyalty.MemberRef{Number: m.Number}
	res := h.process(ev)
	assert.Equal(t, m.ID, res.Member.ID)
	assert.EqualValues(t, 12, h.balance("card@example.com"))

	ev = order("pos-2", "completed", "12", "")
	ev.Member = loyalty.MemberRef{Code: "NOPE1234"}
	assert.Equal(t, loyalty.OutcomeSkipped, h.process(ev).Outcome)
}

func TestOrder_PausedProgramSkipsDeliveriesWithoutBackfill(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	require.NoError(t, h.eng.SetPaused(h.ctx, "card", true, "owner"))
	res := h.process(order("1", "completed", "30", "ada@example.com"))
	assert.Equal(t, loyalty.OutcomeSkipped, res.Outcome)
	assert.Contains(t, res.Reason, "paused")

	require.NoError(t, h.eng.SetPaused(h.ctx, "card", false, "owner"))
	res = h.process(order("2", "completed", "30", "ada@example.com"))
	assert.Equal(t, loyalty.OutcomeProcessed, res.Outcome)
	assert.EqualValues(t, 30, h.balance("ada@example.com"), "order 1 is not back-filled")
	kinds := []loyalty.ActivityKind{}
	for _, a := range h.activity() {
		kinds = append(kinds, a.Kind)
	}
	assert.Contains(t, kinds, loyalty.ActivityPaused)
	assert.Contains(t, kinds, loyalty.ActivityResumed)
}
