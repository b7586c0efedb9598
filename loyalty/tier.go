package loyalty

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// TierMeasure is what qualifies a member for a tier.
type TierMeasure string

// Tier measures.
const (
	// MeasurePointsEarned counts the points purchases earned (online and counter, multipliers
	// included, welcome bonuses and adjustments excluded), each less its refunded share.
	MeasurePointsEarned TierMeasure = "points_earned"
	// MeasureAmountSpent counts the purchase totals that earned points less the amounts
	// refunded, in the program currency.
	//
	// Under either measure a refund counts against the purchase it returns, in that purchase's
	// period, and never takes more than the purchase added.
	MeasureAmountSpent TierMeasure = "amount_spent"
)

// TierPeriod is the window the measure is counted over. Periods are in UTC.
type TierPeriod string

// Tier periods.
const (
	// PeriodLifetime counts everything; a tier is only lost by refunds.
	PeriodLifetime TierPeriod = "lifetime"
	// PeriodCalendarYear counts the current calendar year. A tier reached in a year is held
	// through the whole next year: at the end of a year the member keeps the better of the
	// tier the ending year qualified for and the one the new year qualifies for, and the
	// year before last no longer counts.
	PeriodCalendarYear TierPeriod = "calendar_year"
	// PeriodRolling12Months counts the last 12 months up to now: earnings older than that
	// drop out day by day, and the tier follows.
	PeriodRolling12Months TierPeriod = "rolling_12_months"
)

// MaxTiers bounds the number of tiers of a program.
const MaxTiers = 20

// ActivityTierChanged records a member's tier change caused by an earning or a refund.
const ActivityTierChanged ActivityKind = "tier_changed"

// Tier is one membership tier.
type Tier struct {
	// Name is shown on the member's card: 1 to 40 characters, unique in the program.
	Name string
	// Threshold is the measure a member needs to reach the tier: whole points for
	// MeasurePointsEarned, an amount in the program currency for MeasureAmountSpent. Tiers
	// are listed by strictly increasing threshold.
	Threshold decimal.Decimal
	// Multiplier multiplies the points counter purchases earn (1 to 100; online orders never
	// get it). The product is rounded as the program's Earning.Rounding says.
	Multiplier decimal.Decimal
}

// TierRules are a program's membership tiers. With no Levels there are no tiers and every
// purchase earns base points.
type TierRules struct {
	// Levels are the tiers, by strictly increasing Threshold. A member below the first
	// threshold has no tier.
	Levels []Tier
	// Measure is the qualifying measure (default MeasurePointsEarned).
	Measure TierMeasure
	// Period is the window the measure counts (default PeriodLifetime).
	Period TierPeriod
}

func (r TierRules) withDefaults() TierRules {
	if r.Measure == "" {
		r.Measure = MeasurePointsEarned
	}
	if r.Period == "" {
		r.Period = PeriodLifetime
	}
	return r
}

// validate reports every invalid tier setting.
func (r TierRules) validate(add func(field, format string, args ...any)) {
	switch r.Measure {
	case MeasurePointsEarned, MeasureAmountSpent:
	default:
		add("Tiers.Measure", "%q is not %q or %q", r.Measure, MeasurePointsEarned, MeasureAmountSpent)
	}
	switch r.Period {
	case PeriodLifetime, PeriodCalendarYear, PeriodRolling12Months:
	default:
		add("Tiers.Period", "%q is not %q, %q or %q", r.Period, PeriodLifetime, PeriodCalendarYear, PeriodRolling12Months)
	}
	if len(r.Levels) > MaxTiers {
		add("Tiers.Levels", "at most %d tiers, got %d", MaxTiers, len(r.Levels))
	}
	names := map[string]bool{}
	for i, t := range r.Levels {
		f := fmt.Sprintf("Tiers.Levels[%d]", i)
		name := strings.TrimSpace(t.Name)
		switch {
		case name == "" || len([]rune(name)) > 40 || name != t.Name:
			add(f+".Name", "%q must be 1 to 40 characters without surrounding spaces", t.Name)
		case names[strings.ToLower(name)]:
			add(f+".Name", "%q is used by another tier", t.Name)
		}
		names[strings.ToLower(name)] = true
		switch {
		case t.Threshold.IsNegative() || t.Threshold.GreaterThan(decimal.NewFromInt(MaxPoints)):
			add(f+".Threshold", "must be 0 to %d, got %s", MaxPoints, t.Threshold)
		case r.Measure == MeasurePointsEarned && !t.Threshold.IsInteger():
			add(f+".Threshold", "must be whole points, got %s", t.Threshold)
		case i > 0 && !t.Threshold.GreaterThan(r.Levels[i-1].Threshold):
			add(f+".Threshold", "%s must be above the previous tier's %s", t.Threshold, r.Levels[i-1].Threshold)
		}
		if t.Multiplier.LessThan(decimal.NewFromInt(1)) || t.Multiplier.GreaterThan(decimal.NewFromInt(100)) {
			add(f+".Multiplier", "must be 1 to 100, got %s", t.Multiplier)
		}
	}
}

// tierFor returns the index of the highest tier whose threshold measure reaches, -1 for none.
func (r TierRules) tierFor(measure decimal.Decimal) int {
	idx := -1
	for i, t := range r.Levels {
		if measure.GreaterThanOrEqual(t.Threshold) {
			idx = i
		}
	}
	return idx
}

// TierStanding is a member's tier in a program at one moment.
type TierStanding struct {
	// Tier is the member's tier; zero (empty Name) when the program has no tiers or the member
	// is below the first threshold.
	Tier Tier
	// Measure is the qualifying measure counted in the current period.
	Measure decimal.Decimal
	// Next is the next tier up and ToNext the measure still needed to reach it in the current
	// period (zero Next at the top).
	Next   Tier
	ToNext decimal.Decimal
	// PeriodStart is the start of the current period (zero for lifetime) and PeriodEnd its end
	// (zero for lifetime and rolling periods).
	PeriodStart, PeriodEnd time.Time
	// HeldUntil is set, under PeriodCalendarYear, when the tier was reached last year and the
	// current year has not reached it yet: the tier lasts until then.
	HeldUntil time.Time
}

// Multiplier returns the tier's points multiplier, 1 without a tier.
func (s TierStanding) Multiplier() decimal.Decimal {
	if s.Tier.Name == "" {
		return decimal.NewFromInt(1)
	}
	return s.Tier.Multiplier
}

// Line describes the standing for a card, e.g. "Gold: 5,200 points earned; 4,800 more to
// Platinum". Empty when the program has no tiers.
func (s TierStanding) Line(p Program) string {
	rules := p.Tiers.withDefaults()
	if len(rules.Levels) == 0 {
		return ""
	}
	name := s.Tier.Name
	if name == "" {
		name = "No tier yet"
	}
	measure := func(d decimal.Decimal) string {
		if rules.Measure == MeasureAmountSpent {
			return FormatMoney(d, p.Currency) + " spent"
		}
		return FormatPoints(d.IntPart()) + " points earned"
	}
	line := name + ": " + measure(s.Measure)
	if s.Next.Name != "" {
		line += "; " + strings.TrimSuffix(strings.TrimSuffix(measure(s.ToNext), " spent"), " earned") + " more to " + s.Next.Name
	}
	if !s.HeldUntil.IsZero() {
		line += "; tier held until " + s.HeldUntil.Format("2 Jan 2006")
	}
	return line
}

// standing computes a member's tier at now from the account's movements, leaving out the
// movements with a Seq in skip (to see the standing before them).
func standing(ctx context.Context, tx ReadTx, p Program, memberID string, now time.Time, skip map[int64]bool) (TierStanding, error) {
	rules := p.Tiers.withDefaults()
	var s TierStanding
	if len(rules.Levels) == 0 {
		return s, nil
	}
	var since, prevStart time.Time
	switch rules.Period {
	case PeriodCalendarYear:
		s.PeriodStart = time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
		s.PeriodEnd = s.PeriodStart.AddDate(1, 0, 0)
		prevStart = s.PeriodStart.AddDate(-1, 0, 0)
		since = prevStart
	case PeriodRolling12Months:
		s.PeriodStart = now.AddDate(-1, 0, 0)
		since = s.PeriodStart
	}
	// Refunds count against the purchase they return, in the period of that purchase: a
	// refund never takes more from the measure than its purchase added.
	type purchase struct {
		earned, refundedPoints int64
		amount, refunded       decimal.Decimal
		at                     time.Time
		seen                   bool
	}
	orders := map[[2]string]*purchase{}
	var keys [][2]string
	err := walkMovements(ctx, tx, p.ID, memberID, since, func(m Movement) bool {
		if skip[m.Seq] || (m.Kind != KindEarn && m.Kind != KindRefund) || m.CreatedAt.After(now) {
			return true
		}
		k := [2]string{m.Store, m.OrderID}
		o := orders[k]
		if o == nil {
			o = &purchase{}
			orders[k] = o
			keys = append(keys, k)
		}
		if m.Kind == KindEarn {
			o.earned, o.amount, o.at, o.seen = m.Requested, m.Amount, m.CreatedAt, true
		} else {
			o.refundedPoints += m.Requested
			o.refunded = o.refunded.Add(m.Amount)
		}
		return true
	})
	if err != nil {
		return s, err
	}
	var cur, prev decimal.Decimal
	for _, k := range keys {
		o := orders[k]
		if !o.seen {
			continue // the purchase is older than the periods counted
		}
		left := decimal.Max(o.amount.Add(o.refunded), decimal.Zero)
		v := left
		if rules.Measure == MeasurePointsEarned {
			if o.amount.IsPositive() {
				v = decimal.NewFromInt(o.earned).Mul(decimal.Min(left, o.amount)).Div(o.amount).Floor()
			} else {
				v = decimal.NewFromInt(max(o.earned+o.refundedPoints, 0))
			}
		}
		if rules.Period == PeriodCalendarYear && o.at.Before(s.PeriodStart) {
			prev = prev.Add(v)
		} else {
			cur = cur.Add(v)
		}
	}
	s.Measure = decimal.Max(cur, decimal.Zero)
	idx := rules.tierFor(s.Measure)
	if rules.Period == PeriodCalendarYear {
		if held := rules.tierFor(prev); held > idx {
			idx, s.HeldUntil = held, s.PeriodEnd
		}
	}
	if idx >= 0 {
		s.Tier = rules.Levels[idx]
	}
	if next := rules.tierFor(s.Measure) + 1; next < len(rules.Levels) {
		s.Next = rules.Levels[next]
		s.ToNext = s.Next.Threshold.Sub(s.Measure)
	}
	return s, nil
}

// Standing returns a member's tier standing in a program now.
func (e *Engine) Standing(ctx context.Context, programID string, ref MemberRef) (TierStanding, error) {
	var s TierStanding
	err := e.store.View(ctx, func(tx ReadTx) error {
		p, err := loadProgram(ctx, tx, programID)
		if err != nil {
			return err
		}
		m, err := findMember(ctx, tx, ref)
		if err != nil {
			return err
		}
		s, err = standing(ctx, tx, p, m.ID, e.now(), nil)
		return err
	})
	return s, err
}

// multiplied applies a tier multiplier to base points with the program's rounding, capped at
// MaxPoints.
func (p Program) multiplied(base int64, mult decimal.Decimal) int64 {
	if base <= 0 || mult.Equal(decimal.NewFromInt(1)) {
		return base
	}
	raw := roundPoints(decimal.NewFromInt(base).Mul(mult), p.WithDefaults().Earning.Rounding)
	if raw.GreaterThan(decimal.NewFromInt(MaxPoints)) {
		return MaxPoints
	}
	return raw.IntPart()
}

func roundPoints(d decimal.Decimal, r Rounding) decimal.Decimal {
	switch r {
	case RoundUp:
		return d.Ceil()
	case RoundNearest:
		return d.Round(0)
	}
	return d.Floor()
}

// noteTierChange compares the member's standing with and without the movements a delivery
// just applied and logs a change in the activity log.
func noteTierChange(ctx context.Context, tx Tx, p Program, memberID string, applied []Movement, now time.Time, actor string) error {
	if len(p.Tiers.Levels) == 0 || memberID == "" || len(applied) == 0 {
		return nil
	}
	skip := map[int64]bool{}
	for _, m := range applied {
		skip[m.Seq] = true
	}
	before, err := standing(ctx, tx, p, memberID, now, skip)
	if err != nil {
		return err
	}
	after, err := standing(ctx, tx, p, memberID, now, nil)
	if err != nil || before.Tier.Name == after.Tier.Name {
		return err
	}
	from, to := before.Tier.Name, after.Tier.Name
	if from == "" {
		from = "no tier"
	}
	if to == "" {
		to = "no tier"
	}
	if actor == "" {
		actor = "system"
	}
	m := applied[0]
	return tx.AppendActivity(ctx, ActivityEntry{ProgramID: p.ID, Kind: ActivityTierChanged, Actor: actor,
		MemberID: memberID, Store: m.Store, OrderID: m.OrderID, At: now,
		Message: fmt.Sprintf("tier changed from %s to %s (%s)", from, to, after.Line(p))})
}

// tierList formats tiers for the activity log: "Silver ≥ 1000 ×1.25, Gold ≥ 5000 ×1.5".
func tierList(ts []Tier) string {
	parts := make([]string, len(ts))
	for i, t := range ts {
		parts[i] = fmt.Sprintf("%s ≥ %s ×%s", t.Name, t.Threshold, t.Multiplier)
	}
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, ", ")
}
