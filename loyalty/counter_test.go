package loyalty_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
)

const counter = "sitoo:90316"

// sale is a closed, paid counter sale for the member with the given email.
func sale(id, total, email string) loyalty.OrderEvent {
	return loyalty.OrderEvent{Store: counter, OrderID: id, Status: "completed", Total: dec(total), Currency: "EUR",
		BillingName: "Ana Berg", BillingEmail: email, Channel: loyalty.ChannelCounter, Source: counter + "/1/STORE-7"}
}

func (h *harness) refund(r loyalty.CounterRefund) loyalty.OrderResult {
	h.t.Helper()
	if r.Store == "" {
		r.Store = counter
	}
	res, err := h.eng.ProcessCounterRefund(h.ctx, h.prog.ID, r)
	require.NoError(h.t, err)
	return res
}

// tiered sets Silver at 100 (×1.5) and Gold at 500 (×2) points earned.
func tiered(period loyalty.TierPeriod) func(p *loyalty.Program) {
	return func(p *loyalty.Program) {
		p.Tiers = loyalty.TierRules{Period: period, Levels: []loyalty.Tier{
			{Name: "Silver", Threshold: dec("100"), Multiplier: dec("1.5")},
			{Name: "Gold", Threshold: dec("500"), Multiplier: dec("2")},
		}}
	}
}

func TestChannels_OneBalanceAcrossWebOrderAndCounterSale(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.process(order("1042", "completed", "40", "ana@example.org"))
	h.process(sale("5001", "25.50", "ana@example.org"))

	w := h.wallet("ana@example.org")
	assert.EqualValues(t, 65, w.Balance, "one balance for both channels")
	require.Len(t, w.Channels, 2)
	assert.Equal(t, loyalty.ChannelTotal{Channel: loyalty.ChannelOnline, Source: shop, Earned: 40, Purchases: 1, LastAt: start}, w.Channels[0])
	assert.Equal(t, loyalty.ChannelCounter, w.Channels[1].Channel)
	assert.Equal(t, counter+"/1/STORE-7", w.Channels[1].Source)
	assert.EqualValues(t, 25, w.Channels[1].Earned)
	hist := h.history("ana@example.org")
	require.Len(t, hist, 2)
	assert.Equal(t, loyalty.ChannelCounter, hist[0].Channel)
	assert.True(t, dec("25.50").Equal(hist[0].Amount))
	assert.Equal(t, loyalty.ChannelOnline, hist[1].Channel)
	assert.Equal(t, shop, hist[1].Source)
}

func TestTiers_MultiplierOnCounterPurchasesOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) {
		tiered(loyalty.PeriodLifetime)(p)
		p.Earning.Rounding = loyalty.RoundNearest
	})
	h.process(order("1", "completed", "150", "ana@example.org")) // 150: Silver from now on
	require.Equal(t, "Silver", h.wallet("ana@example.org").Tier.Tier.Name)

	web := h.process(order("2", "completed", "15", "ana@example.org"))
	counterSale := h.process(sale("5001", "15", "ana@example.org"))

	assert.EqualValues(t, 15, web.Movements[0].Requested, "online orders never get the multiplier")
	assert.EqualValues(t, 23, counterSale.Movements[0].Requested, "15 × 1.5 = 22.5 rounds to nearest: 23")
	assert.Contains(t, counterSale.Movements[0].Reason, "15 × 1.5 Silver")
}

func TestTiers_MultiplierUsesTheCardsRounding(t *testing.T) {
	t.Parallel()
	h := newHarness(t, tiered(loyalty.PeriodLifetime)) // RoundDown by default
	h.process(order("1", "completed", "150", "ana@example.org"))

	res := h.process(sale("5001", "15", "ana@example.org"))

	assert.EqualValues(t, 22, res.Movements[0].Requested, "15 × 1.5 = 22.5 rounds down")
}

func TestTiers_UpgradeIsInTheActivityLogAndWallet(t *testing.T) {
	t.Parallel()
	h := newHarness(t, tiered(loyalty.PeriodLifetime))
	h.process(sale("5001", "90", "ana@example.org"))
	w := h.wallet("ana@example.org")
	assert.Empty(t, w.Tier.Tier.Name)
	assert.Equal(t, "Silver", w.Tier.Next.Name)
	assert.Equal(t, "No tier yet: 90 points earned; 10 points more to Silver", w.TierLine)

	res := h.process(sale("5002", "20", "ana@example.org"))

	assert.EqualValues(t, 20, res.Movements[0].Requested, "the purchase that reaches a tier earns at the old tier")
	w = h.wallet("ana@example.org")
	assert.Equal(t, "Silver", w.Tier.Tier.Name)
	assert.Equal(t, "Silver: 110 points earned; 390 points more to Gold", w.TierLine)
	var changes []loyalty.ActivityEntry
	for _, a := range h.activity() {
		if a.Kind == loyalty.ActivityTierChanged {
			changes = append(changes, a)
		}
	}
	require.Len(t, changes, 1)
	assert.Contains(t, changes[0].Message, "from no tier to Silver")
	assert.Equal(t, w.Member.ID, changes[0].MemberID)
	assert.Equal(t, "5002", changes[0].OrderID)
}

func TestTiers_RefundDowngrades(t *testing.T) {
	t.Parallel()
	h := newHarness(t, tiered(loyalty.PeriodLifetime))
	h.process(sale("5001", "120", "ana@example.org"))
	require.Equal(t, "Silver", h.wallet("ana@example.org").Tier.Tier.Name)

	h.refund(loyalty.CounterRefund{OrderID: "5001", RefundOrderID: "5002", Amount: dec("60")})

	w := h.wallet("ana@example.org")
	assert.Empty(t, w.Tier.Tier.Name)
	assert.True(t, dec("60").Equal(w.Tier.Measure))
	assert.Equal(t, loyalty.ActivityTierChanged, h.activity()[0].Kind)
	assert.Contains(t, h.activity()[0].Message, "from Silver to no tier")
}

func TestTiers_CalendarYearPeriodEnd(t *testing.T) {
	t.Parallel()
	h := newHarness(t, tiered(loyalty.PeriodCalendarYear))
	h.process(sale("5001", "120", "ana@example.org")) // 2 Mar 2026: Silver for 2026
	require.Equal(t, "Silver", h.wallet("ana@example.org").Tier.Tier.Name)

	h.clock.Advance(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC).Sub(h.clock.Now()))
	w := h.wallet("ana@example.org")
	assert.Equal(t, "Silver", w.Tier.Tier.Name, "a tier reached in 2026 holds through 2027")
	assert.True(t, w.Tier.Measure.IsZero(), "the 2027 measure starts from zero")
	assert.Equal(t, time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC), w.Tier.HeldUntil)
	assert.Contains(t, w.TierLine, "tier held until 1 Jan 2028")
	res := h.process(sale("5002", "10", "ana@example.org"))
	assert.EqualValues(t, 15, res.Movements[0].Requested, "the held tier's multiplier applies")

	h.clock.Advance(time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC).Sub(h.clock.Now()))
	w = h.wallet("ana@example.org")
	assert.Empty(t, w.Tier.Tier.Name, "2027 earned 15 points: no tier in 2028")
	assert.True(t, w.Tier.HeldUntil.IsZero())
}

func TestTiers_Rolling12MonthsDropsOldEarnings(t *testing.T) {
	t.Parallel()
	h := newHarness(t, tiered(loyalty.PeriodRolling12Months))
	h.process(sale("5001", "120", "ana@example.org"))
	h.clock.Advance(200 * 24 * time.Hour)
	h.process(sale("5002", "10", "ana@example.org"))
	require.Equal(t, "Silver", h.wallet("ana@example.org").Tier.Tier.Name)

	h.clock.Advance(170 * 24 * time.Hour) // 370 days after the first sale
	w := h.wallet("ana@example.org")

	assert.Empty(t, w.Tier.Tier.Name)
	assert.True(t, dec("15").Equal(w.Tier.Measure), "only the second sale (10 × 1.5) is within 12 months")
}

func TestTiers_AmountSpentMeasure(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) {
		p.Earning.PointsPerUnit = dec("0.1")
		p.Tiers = loyalty.TierRules{Measure: loyalty.MeasureAmountSpent, Levels: []loyalty.Tier{
			{Name: "VIP", Threshold: dec("250.00"), Multiplier: dec("3")}}}
	})
	h.process(order("1", "completed", "200", "ana@example.org"))
	h.process(sale("5001", "60", "ana@example.org"))
	w := h.wallet("ana@example.org")
	require.Equal(t, "VIP", w.Tier.Tier.Name)
	assert.Equal(t, "VIP: 260.00 spent", w.TierLine)

	res := h.process(sale("5002", "100", "ana@example.org"))
	assert.EqualValues(t, 30, res.Movements[0].Requested, "10 base points × 3")
}

func TestTiers_Validation(t *testing.T) {
	t.Parallel()
	p := loyalty.DefaultProgram("card", "EUR")
	p.Tiers = loyalty.TierRules{Measure: "visits", Period: "weekly", Levels: []loyalty.Tier{
		{Name: "Gold", Threshold: dec("500"), Multiplier: dec("2")},
		{Name: "gold", Threshold: dec("100.5"), Multiplier: dec("0.5")},
		{Name: " ", Threshold: dec("-1"), Multiplier: dec("101")},
	}}

	err := p.Validate()

	require.ErrorIs(t, err, loyalty.ErrInvalid)
	fields := map[string]bool{}
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var ve *loyalty.ValidationError
		require.True(t, errors.As(e, &ve))
		fields[ve.Field] = true
	}
	for _, f := range []string{"Tiers.Measure", "Tiers.Period", "Tiers.Levels[1].Name", "Tiers.Levels[1].Threshold",
		"Tiers.Levels[1].Multiplier", "Tiers.Levels[2].Name", "Tiers.Levels[2].Threshold", "Tiers.Levels[2].Multiplier"} {
		assert.True(t, fields[f], f)
	}
	h := newHarness(t, nil)
	_, err = h.eng.SaveProgram(h.ctx, p, "owner")
	assert.ErrorIs(t, err, loyalty.ErrInvalid)
}

func TestTiers_SettingsChangeIsLogged(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	p := h.prog
	tiered(loyalty.PeriodCalendarYear)(&p)
	_, err := h.eng.SaveProgram(h.ctx, p, "owner")
	require.NoError(t, err)
	msg := h.activity()[0].Message
	assert.Contains(t, msg, "Tiers.Period: lifetime → calendar_year")
	assert.Contains(t, msg, "Tiers.Levels: none → Silver ≥ 100 ×1.5, Gold ≥ 500 ×2")
}

func TestCounterRefund_PartialTakesBackTheRefundedShareRoundedDown(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.process(sale("5001", "99", "ana@example.org"))

	first := h.refund(loyalty.CounterRefund{OrderID: "5001", RefundOrderID: "5002", Amount: dec("33"), Reason: "RC123"})
	second := h.refund(loyalty.CounterRefund{OrderID: "5001", RefundOrderID: "5003", Amount: dec("10")})

	assert.EqualValues(t, -33, first.Movements[0].Requested)
	assert.Contains(t, first.Movements[0].Reason, "RC123")
	assert.EqualValues(t, -10, second.Movements[0].Requested, "floor(99 × 43/99) − 33")
	assert.EqualValues(t, 56, h.balance("ana@example.org"))
	assert.Equal(t, loyalty.OutcomeDuplicate,
		h.refund(loyalty.CounterRefund{OrderID: "5001", RefundOrderID: "5002", Amount: dec("33")}).Outcome,
		"exactly once per refund order")
	assert.EqualValues(t, 56, h.balance("ana@example.org"))
}

func TestCounterRefund_FullTakesBackEverythingAndNeverMore(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.Earning.WelcomeBonus = 50 })
	h.process(sale("5001", "100", "ana@example.org"))
	h.process(sale("5009", "30", "ana@example.org"))
	h.refund(loyalty.CounterRefund{OrderID: "5001", RefundOrderID: "5002", Amount: dec("40")})

	res := h.refund(loyalty.CounterRefund{OrderID: "5001", RefundOrderID: "5003", Amount: dec("90")})

	assert.EqualValues(t, -110, res.Movements[0].Requested, "60 purchase points left and the 50 welcome bonus")
	assert.True(t, dec("-60").Equal(res.Movements[0].Amount), "only the 60.00 not refunded before")
	assert.EqualValues(t, 30, h.balance("ana@example.org"))
	more := h.refund(loyalty.CounterRefund{OrderID: "5001", RefundOrderID: "5004", Amount: dec("5")})
	assert.Equal(t, loyalty.OutcomeIgnored, more.Outcome)
	assert.Empty(t, more.Movements)
	assert.Equal(t, loyalty.OutcomeIgnored, h.process(sale("5001", "100", "ana@example.org")).Outcome,
		"a fully refunded sale never awards again")
}

func TestCounterRefund_BalanceStopsAtZero(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.Redemption.MinPoints = 50 })
	h.process(sale("5001", "80", "ana@example.org"))
	_, err := h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "ana@example.org"}, Points: 60})
	require.NoError(t, err)

	res := h.refund(loyalty.CounterRefund{OrderID: "5001", RefundOrderID: "5002", Amount: dec("80")})

	assert.EqualValues(t, -80, res.Movements[0].Requested)
	assert.EqualValues(t, -20, res.Movements[0].Applied)
	assert.EqualValues(t, 0, h.balance("ana@example.org"))
}

func TestCounterRefund_Exchange(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.process(sale("5001", "50", "ana@example.org"))

	// The customer returns a 20.00 item and takes a 35.00 one: a refund order and a new sale.
	h.refund(loyalty.CounterRefund{OrderID: "5001", RefundOrderID: "5002", Amount: dec("20")})
	h.process(sale("5003", "35", "ana@example.org"))

	assert.EqualValues(t, 65, h.balance("ana@example.org"), "50 − 20 + 35")
}

func TestCounterRefund_BeforeTheSaleIsIgnoredAndAppliesOnRedelivery(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	r := loyalty.CounterRefund{OrderID: "5001", RefundOrderID: "5002", Amount: dec("20")}
	assert.Equal(t, loyalty.OutcomeIgnored, h.refund(r).Outcome)
	h.process(sale("5001", "50", "ana@example.org"))

	assert.Equal(t, loyalty.OutcomeProcessed, h.refund(r).Outcome)
	assert.EqualValues(t, 30, h.balance("ana@example.org"))
}

func TestCounterRefund_CancelledSaleIsReversed(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.Earning.WelcomeBonus = 10 })
	h.process(sale("5001", "50", "ana@example.org"))

	res := h.refund(loyalty.CounterRefund{OrderID: "5001", Actor: "emp-0193"})
	require.Len(t, res.Movements, 1, res.Reason)

	assert.EqualValues(t, -60, res.Movements[0].Requested)
	assert.Contains(t, res.Movements[0].Reason, "cancelled")
	assert.EqualValues(t, 0, h.balance("ana@example.org"))
	assert.Equal(t, loyalty.OutcomeDuplicate, h.refund(loyalty.CounterRefund{OrderID: "5001"}).Outcome)
	assert.Equal(t, loyalty.OutcomeIgnored, h.process(sale("5001", "50", "ana@example.org")).Outcome)
	act := h.activity()[1]
	assert.Equal(t, loyalty.ActivityCounterRefund, act.Kind)
	assert.Equal(t, "emp-0193", act.Actor)
}

func TestCounterRefund_CancelledBeforeAwardNeverAwards(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	h.give("ana@example.org", 5, "seed")

	assert.Equal(t, loyalty.OutcomeIgnored, h.refund(loyalty.CounterRefund{OrderID: "5001"}).Outcome)
	assert.Equal(t, loyalty.OutcomeIgnored, h.process(sale("5001", "50", "ana@example.org")).Outcome)
	assert.EqualValues(t, 5, h.balance("ana@example.org"))
}

func TestCounterRefund_Validation(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	for _, r := range []loyalty.CounterRefund{
		{Store: counter},
		{Store: counter, OrderID: "1", RefundOrderID: "2"},
		{Store: counter, OrderID: "1", RefundOrderID: "1", Amount: dec("1")},
		{OrderID: "1", RefundOrderID: "2", Amount: dec("1")},
	} {
		_, err := h.eng.ProcessCounterRefund(h.ctx, h.prog.ID, r)
		assert.ErrorIs(t, err, loyalty.ErrInvalid)
	}
	_, err := h.eng.ProcessOrder(h.ctx, h.prog.ID, loyalty.OrderEvent{Store: counter, OrderID: "1", Channel: "phone"})
	assert.ErrorIs(t, err, loyalty.ErrInvalid)
}

func TestTiers_RefundCountsAgainstItsPurchaseOnly(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) {
		tiered(loyalty.PeriodLifetime)(p)
		p.Earning.WelcomeBonus = 50
	})
	h.process(sale("5001", "100", "ana@example.org")) // 100 points and the 50 welcome bonus
	h.process(sale("5002", "60", "ana@example.org"))  // 60 × Silver 1.5 = 90
	require.Equal(t, "190", h.wallet("ana@example.org").Tier.Measure.String())

	h.refund(loyalty.CounterRefund{OrderID: "5001"}) // takes back 150 points, welcome bonus included

	w := h.wallet("ana@example.org")
	assert.Equal(t, "90", w.Tier.Measure.String(), "the welcome bonus taken back is not a purchase's points")
	assert.Empty(t, w.Tier.Tier.Name)
}

func TestTiers_RefundNextYearLowersTheYearOfThePurchase(t *testing.T) {
	t.Parallel()
	h := newHarness(t, tiered(loyalty.PeriodCalendarYear))
	h.process(sale("5001", "120", "ana@example.org")) // Silver for 2026, held through 2027
	h.clock.Advance(time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC).Sub(h.clock.Now()))
	require.Equal(t, "Silver", h.wallet("ana@example.org").Tier.Tier.Name)

	h.refund(loyalty.CounterRefund{OrderID: "5001", RefundOrderID: "5002", Amount: dec("60")})

	w := h.wallet("ana@example.org")
	assert.Empty(t, w.Tier.Tier.Name, "2026 now qualifies with 60 points only")
	assert.True(t, w.Tier.Measure.IsZero(), "2027's own measure is untouched")
}
