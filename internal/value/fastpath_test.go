package value

import (
	"testing"

	"github.com/shopspring/decimal"
)

// FuzzParseDecimalFastPath checks that the allocation-light path for plain decimals builds exactly
// the coefficient and exponent decimal.NewFromString builds.
func FuzzParseDecimalFastPath(f *testing.F) {
	for _, s := range []string{"0", "10.00", "-0.45", "+5", ".5", "5.", "007", "-0", "123456789012345678", "0.000000000000000001", "1.2.3", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := parseDecimal([]byte(s))
		if err != nil {
			return
		}
		want, err := decimal.NewFromString(s)
		if err != nil {
			t.Fatalf("parseDecimal accepted %q, NewFromString refused it: %v", s, err)
		}
		if got.Exponent() != want.Exponent() || got.Coefficient().Cmp(want.Coefficient()) != 0 {
			t.Fatalf("%q: got %s (exp %d), want %s (exp %d)", s, got.Coefficient(), got.Exponent(), want.Coefficient(), want.Exponent())
		}
	})
}
