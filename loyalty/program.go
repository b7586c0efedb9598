package loyalty

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/text/currency"
	"golang.org/x/text/language"
)

// Program defaults, as documented for the loyalty card settings.
const (
	// DefaultDiscountPerPoint is the value of one point in store currency: "0.05".
	DefaultDiscountPerPoint = "0.05"
	// DefaultMinRedeemPoints is the smallest redemption a member can make.
	DefaultMinRedeemPoints int64 = 1000
	// DefaultCouponPrefix starts every coupon code: POINTS-AB12CD34.
	DefaultCouponPrefix = "POINTS"
	// DefaultCouponValidityDays is how long a coupon stays usable after redemption.
	DefaultCouponValidityDays = 7
	// MinCouponValidityDays and MaxCouponValidityDays bound Redemption.ValidityDays.
	MinCouponValidityDays, MaxCouponValidityDays = 1, 90
	// DefaultEmailLanguage is the customer email language when none is set.
	DefaultEmailLanguage = "en"
	// MaxPoints bounds every points amount the engine handles (per purchase, bonus, redemption),
	// far below int64 overflow.
	MaxPoints int64 = 1 << 50
)

// Rounding says how a fractional points amount becomes whole points.
type Rounding string

// Roundings.
const (
	// RoundDown drops the fraction (the default): 12.9 → 12.
	RoundDown Rounding = "down"
	// RoundNearest rounds half away from zero: 12.5 → 13, 12.4 → 12.
	RoundNearest Rounding = "nearest"
	// RoundUp raises any fraction: 12.1 → 13.
	RoundUp Rounding = "up"
)

// AwardOn says which order status earns points.
type AwardOn string

// AwardOn settings.
const (
	// AwardOnProcessingOrCompleted awards as soon as an order is "processing" or "completed"
	// (the default).
	AwardOnProcessingOrCompleted AwardOn = "processing_or_completed"
	// AwardOnCompleted awards only when an order is "completed".
	AwardOnCompleted AwardOn = "completed"
)

// PartialRefundPolicy says what a partial refund (an order whose refunded total grows while its
// status stays, as WooCommerce does) does to the points it awarded.
type PartialRefundPolicy string

// Partial refund policies.
const (
	// PartialRefundsIgnore deducts nothing for partial refunds (the default, as documented).
	// Refunding the full order (status "refunded") takes all its points back.
	PartialRefundsIgnore PartialRefundPolicy = "ignore"
	// PartialRefundsProportional takes back purchase points in proportion to the refunded share
	// of the order total, rounded down, and never more than the order awarded. The welcome
	// bonus is only taken back by a full refund.
	PartialRefundsProportional PartialRefundPolicy = "proportional"
)

// Program is a loyalty card: the rules for earning and redeeming points in one currency.
// Zero-valued fields take their documented defaults (see WithDefaults); Validate checks bounds.
type Program struct {
	// ID identifies the program in the Store. Required.
	ID string
	// Name is shown to members and in emails.
	Name string
	// Currency is the ISO 4217 code of the program and of the coupons it issues, e.g. "EUR".
	// Orders in any other currency are refused. Required.
	Currency string
	// EmailLanguage is the BCP 47 tag of the customer email language (default "en").
	EmailLanguage string
	// Earning holds the point rules.
	Earning EarningRules
	// AwardOn is the order status that earns points (default processing or completed).
	AwardOn AwardOn
	// PartialRefunds is the partial refund policy (default PartialRefundsIgnore).
	PartialRefunds PartialRefundPolicy
	// Redemption holds the points discount settings.
	Redemption RedemptionRules
	// Tiers holds the membership tiers (none by default).
	Tiers TierRules
	// Paused stops processing: order deliveries are recorded and skipped, and redemptions are
	// refused. Orders that arrive while paused are not back-filled.
	Paused bool
	// UpdatedAt is set by the engine when the program is saved.
	UpdatedAt time.Time
}

// EarningRules are a program's point rules for purchases.
type EarningRules struct {
	// PointsPerUnit is the points earned per one unit of currency of the order total
	// (shipping and taxes included). Default 1; 0.1 means one point per 10.00.
	PointsPerUnit decimal.Decimal
	// Rounding turns the fractional result into whole points (default RoundDown).
	Rounding Rounding
	// MinPoints is the least a purchase with a positive total earns (0: no minimum).
	MinPoints int64
	// MaxPoints is the most one purchase earns (0: no maximum).
	MaxPoints int64
	// WelcomeBonus is awarded once, on the member's first order on this program, as its own
	// history entry (0: none).
	WelcomeBonus int64
}

// RedemptionRules are a program's points discount settings.
type RedemptionRules struct {
	// Enabled lets members turn points into store coupons.
	Enabled bool
	// DiscountPerPoint is the value of one point in the program currency (default 0.05).
	DiscountPerPoint decimal.Decimal
	// MinPoints is the smallest redemption (default 1,000).
	MinPoints int64
	// MaxPoints caps one redemption (0: the member's full balance).
	MaxPoints int64
	// CouponPrefix starts every coupon code (default "POINTS"): 1–20 of A–Z and 0–9.
	CouponPrefix string
	// ValidityDays is how long a coupon stays usable after redemption: 1 to 90 (default 7).
	ValidityDays int
}

// DefaultProgram returns a program with every default filled in.
func DefaultProgram(id, currencyCode string) Program {
	return Program{ID: id, Currency: currencyCode}.WithDefaults()
}

// WithDefaults returns a copy of p whose zero-valued settings hold their defaults. The currency
// code is upper-cased.
func (p Program) WithDefaults() Program {
	p.Currency = strings.ToUpper(strings.TrimSpace(p.Currency))
	if p.EmailLanguage == "" {
		p.EmailLanguage = DefaultEmailLanguage
	}
	if p.AwardOn == "" {
		p.AwardOn = AwardOnProcessingOrCompleted
	}
	if p.PartialRefunds == "" {
		p.PartialRefunds = PartialRefundsIgnore
	}
	e := &p.Earning
	if e.PointsPerUnit.IsZero() {
		e.PointsPerUnit = decimal.NewFromInt(1)
	}
	if e.Rounding == "" {
		e.Rounding = RoundDown
	}
	p.Tiers = p.Tiers.withDefaults()
	r := &p.Redemption
	if r.DiscountPerPoint.IsZero() {
		r.DiscountPerPoint = decimal.RequireFromString(DefaultDiscountPerPoint)
	}
	if r.MinPoints == 0 {
		r.MinPoints = DefaultMinRedeemPoints
	}
	if r.CouponPrefix == "" {
		r.CouponPrefix = DefaultCouponPrefix
	}
	if r.ValidityDays == 0 {
		r.ValidityDays = DefaultCouponValidityDays
	}
	return p
}

// Validate reports every out-of-bounds setting of p (after defaults are applied) as
// *ValidationError values joined with errors.Join; the result matches ErrInvalid.
func (p Program) Validate() error {
	p = p.WithDefaults()
	var errs []error
	add := func(field, format string, args ...any) { errs = append(errs, invalid(field, format, args...)) }

	if strings.TrimSpace(p.ID) == "" || len(p.ID) > 200 {
		add("ID", "must be 1 to 200 characters")
	}
	if _, err := currencyUnit(p.Currency); err != nil {
		add("Currency", "%q is not an ISO 4217 currency code", p.Currency)
	}
	if _, err := language.Parse(p.EmailLanguage); err != nil {
		add("EmailLanguage", "%q is not a BCP 47 language tag", p.EmailLanguage)
	}
	switch p.AwardOn {
	case AwardOnProcessingOrCompleted, AwardOnCompleted:
	default:
		add("AwardOn", "%q is not %q or %q", p.AwardOn, AwardOnProcessingOrCompleted, AwardOnCompleted)
	}
	switch p.PartialRefunds {
	case PartialRefundsIgnore, PartialRefundsProportional:
	default:
		add("PartialRefunds", "%q is not %q or %q", p.PartialRefunds, PartialRefundsIgnore, PartialRefundsProportional)
	}

	e := p.Earning
	if !e.PointsPerUnit.IsPositive() || e.PointsPerUnit.GreaterThan(decimal.NewFromInt(1_000_000)) {
		add("Earning.PointsPerUnit", "must be above 0 and at most 1000000, got %s", e.PointsPerUnit)
	}
	switch e.Rounding {
	case RoundDown, RoundNearest, RoundUp:
	default:
		add("Earning.Rounding", "%q is not %q, %q or %q", e.Rounding, RoundDown, RoundNearest, RoundUp)
	}
	checkPoints := func(field string, v int64) bool {
		if v < 0 || v > MaxPoints {
			add(field, "must be 0 to %d, got %d", MaxPoints, v)
			return false
		}
		return true
	}
	okMin, okMax := checkPoints("Earning.MinPoints", e.MinPoints), checkPoints("Earning.MaxPoints", e.MaxPoints)
	if okMin && okMax && e.MaxPoints != 0 && e.MaxPoints < e.MinPoints {
		add("Earning.MaxPoints", "%d is below Earning.MinPoints %d", e.MaxPoints, e.MinPoints)
	}
	checkPoints("Earning.WelcomeBonus", e.WelcomeBonus)

	r := p.Redemption
	if !r.DiscountPerPoint.IsPositive() || r.DiscountPerPoint.GreaterThan(decimal.NewFromInt(1_000_000)) {
		add("Redemption.DiscountPerPoint", "must be above 0 and at most 1000000, got %s", r.DiscountPerPoint)
	}
	if r.MinPoints < 1 || r.MinPoints > MaxPoints {
		add("Redemption.MinPoints", "must be 1 to %d, got %d", MaxPoints, r.MinPoints)
	} else if checkPoints("Redemption.MaxPoints", r.MaxPoints) && r.MaxPoints != 0 && r.MaxPoints < r.MinPoints {
		add("Redemption.MaxPoints", "%d is below Redemption.MinPoints %d", r.MaxPoints, r.MinPoints)
	}
	if !validPrefix(r.CouponPrefix) {
		add("Redemption.CouponPrefix", "%q must be 1 to 20 characters of A-Z and 0-9", r.CouponPrefix)
	}
	if r.ValidityDays < MinCouponValidityDays || r.ValidityDays > MaxCouponValidityDays {
		add("Redemption.ValidityDays", "must be %d to %d days, got %d", MinCouponValidityDays, MaxCouponValidityDays, r.ValidityDays)
	}
	p.Tiers.validate(add)
	return errors.Join(errs...)
}

func validPrefix(s string) bool {
	if len(s) < 1 || len(s) > 20 {
		return false
	}
	for _, c := range s {
		if (c < 'A' || c > 'Z') && (c < '0' || c > '9') {
			return false
		}
	}
	return true
}

func currencyUnit(code string) (currency.Unit, error) {
	if len(code) != 3 {
		return currency.Unit{}, fmt.Errorf("loyalty: currency %q: not a 3-letter code", code)
	}
	return currency.ParseISO(code)
}

// PurchasePoints applies the earning rules to an order total: total × PointsPerUnit, rounded,
// then raised to MinPoints and capped at MaxPoints. A zero or negative total earns nothing.
func (p Program) PurchasePoints(total decimal.Decimal) int64 {
	if !total.IsPositive() {
		return 0
	}
	e := p.WithDefaults().Earning
	raw := roundPoints(total.Mul(e.PointsPerUnit), e.Rounding)
	if raw.GreaterThan(decimal.NewFromInt(MaxPoints)) {
		raw = decimal.NewFromInt(MaxPoints)
	}
	points := raw.IntPart()
	if points < e.MinPoints {
		points = e.MinPoints
	}
	if e.MaxPoints > 0 && points > e.MaxPoints {
		points = e.MaxPoints
	}
	return points
}

// awards reports whether an order status earns points under p.
func (p Program) awards(status OrderStatus) bool {
	switch status {
	case StatusCompleted:
		return true
	case StatusProcessing:
		return p.AwardOn != AwardOnCompleted
	}
	return false
}

// changes lists the settings that differ between old and p, as "Field: old → new" lines, for
// the activity log.
func (p Program) changes(old Program) []string {
	var out []string
	diff := func(field string, a, b any) {
		as, bs := fmt.Sprint(a), fmt.Sprint(b)
		if as != bs {
			out = append(out, fmt.Sprintf("%s: %s → %s", field, as, bs))
		}
	}
	diff("Name", old.Name, p.Name)
	diff("Currency", old.Currency, p.Currency)
	diff("EmailLanguage", old.EmailLanguage, p.EmailLanguage)
	diff("AwardOn", old.AwardOn, p.AwardOn)
	diff("PartialRefunds", old.PartialRefunds, p.PartialRefunds)
	diff("Earning.PointsPerUnit", old.Earning.PointsPerUnit, p.Earning.PointsPerUnit)
	diff("Earning.Rounding", old.Earning.Rounding, p.Earning.Rounding)
	diff("Earning.MinPoints", old.Earning.MinPoints, p.Earning.MinPoints)
	diff("Earning.MaxPoints", old.Earning.MaxPoints, p.Earning.MaxPoints)
	diff("Earning.WelcomeBonus", old.Earning.WelcomeBonus, p.Earning.WelcomeBonus)
	diff("Redemption.Enabled", old.Redemption.Enabled, p.Redemption.Enabled)
	diff("Redemption.DiscountPerPoint", old.Redemption.DiscountPerPoint, p.Redemption.DiscountPerPoint)
	diff("Redemption.MinPoints", old.Redemption.MinPoints, p.Redemption.MinPoints)
	diff("Redemption.MaxPoints", old.Redemption.MaxPoints, p.Redemption.MaxPoints)
	diff("Redemption.CouponPrefix", old.Redemption.CouponPrefix, p.Redemption.CouponPrefix)
	diff("Redemption.ValidityDays", old.Redemption.ValidityDays, p.Redemption.ValidityDays)
	diff("Tiers.Measure", old.Tiers.Measure, p.Tiers.Measure)
	diff("Tiers.Period", old.Tiers.Period, p.Tiers.Period)
	diff("Tiers.Levels", tierList(old.Tiers.Levels), tierList(p.Tiers.Levels))
	diff("Paused", old.Paused, p.Paused)
	return out
}
