package loyalty

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
	"golang.org/x/text/currency"
)

// minorUnit returns the number of decimals and the rounding step of a currency's amounts:
// (2, 0.01) for EUR, (0, 1) for JPY, (3, 0.001) for KWD. Unknown codes get (2, 0.01).
func minorUnit(code string) (scale int32, step decimal.Decimal) {
	u, err := currencyUnit(code)
	if err != nil {
		return 2, decimal.New(1, -2)
	}
	s, inc := currency.Standard.Rounding(u)
	if inc < 1 {
		inc = 1
	}
	return int32(s), decimal.New(int64(inc), -int32(s))
}

// RoundMoney rounds an amount to the currency's minor unit, half away from zero.
func RoundMoney(amount decimal.Decimal, currencyCode string) decimal.Decimal {
	scale, step := minorUnit(currencyCode)
	return amount.Div(step).Round(0).Mul(step).Round(scale)
}

// FormatMoney formats an amount with the currency's minor unit digits and "," thousands
// separators: "1,234.50" for EUR, "1,235" for JPY.
func FormatMoney(amount decimal.Decimal, currencyCode string) string {
	scale, _ := minorUnit(currencyCode)
	s := RoundMoney(amount, currencyCode).StringFixed(scale)
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	intPart, frac, hasFrac := strings.Cut(s, ".")
	out := sign + group(intPart)
	if hasFrac {
		out += "." + frac
	}
	return out
}

// FormatPoints formats a points amount with "," thousands separators: "1,000".
func FormatPoints(points int64) string {
	s := strconv.FormatInt(points, 10)
	if points < 0 {
		return "-" + group(s[1:])
	}
	return group(s)
}

func group(digits string) string {
	if len(digits) <= 3 {
		return digits
	}
	var b strings.Builder
	head := len(digits) % 3
	if head > 0 {
		b.WriteString(digits[:head])
	}
	for i := head; i < len(digits); i += 3 {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(digits[i : i+3])
	}
	return b.String()
}

func pointsWord(n int64) string {
	if n == 1 || n == -1 {
		return "point"
	}
	return "points"
}

// PointsValue is what points are worth in store discount: points × DiscountPerPoint, rounded to
// the program currency's minor unit.
func (p Program) PointsValue(points int64) decimal.Decimal {
	p = p.WithDefaults()
	return RoundMoney(decimal.NewFromInt(points).Mul(p.Redemption.DiscountPerPoint), p.Currency)
}

// PreviewLine is the live preview of the conversion: "1,000 points = 50.00 store discount".
func (p Program) PreviewLine(points int64) string {
	return fmt.Sprintf("%s %s = %s store discount", FormatPoints(points), pointsWord(points),
		FormatMoney(p.PointsValue(points), p.WithDefaults().Currency))
}

// BalanceLine is the balance as member emails show it: "You now have 1,200 points = 60.00 in
// store discount".
func (p Program) BalanceLine(balance int64) string {
	return fmt.Sprintf("You now have %s %s = %s in store discount", FormatPoints(balance), pointsWord(balance),
		FormatMoney(p.PointsValue(balance), p.WithDefaults().Currency))
}

// ProgressLine is the progress toward the first redemption while the balance is below the
// minimum to redeem: "Only 180 more points until your first 50.00 discount". It is empty when
// the balance reaches the minimum or the points discount is disabled.
func (p Program) ProgressLine(balance int64) string {
	p = p.WithDefaults()
	r := p.Redemption
	if !r.Enabled || balance >= r.MinPoints {
		return ""
	}
	missing := r.MinPoints - max(balance, 0)
	return fmt.Sprintf("Only %s more %s until your first %s discount", FormatPoints(missing), pointsWord(missing),
		FormatMoney(p.PointsValue(r.MinPoints), p.Currency))
}
