package value

import (
	"testing"
	"time"

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

// FuzzPlainDecimal checks that the fast path decodeDecimal and parseDecimal share gives exactly
// the coefficient and exponent decimal.NewFromString gives, for the inputs it takes, quoted or not.
func FuzzPlainDecimal(f *testing.F) {
	for _, s := range []string{`"76.17"`, `41.322314`, `"-9.99"`, `"0.00"`, `"5."`, `".5"`, `-.5`, `"-"`, `"123456789012345678"`, `"1234567890123456789"`, `"1.2.3"`, `" 1"`, `"1"x`, `""`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		raw := unquote(data)
		got, ok := plainDecimal(raw)
		if !ok {
			return
		}
		want, err := decimal.NewFromString(string(raw))
		if err != nil {
			t.Fatalf("plainDecimal took %q, NewFromString refuses it: %v", data, err)
		}
		if got.Exponent() != want.Exponent() || got.Coefficient().Cmp(want.Coefficient()) != 0 {
			t.Fatalf("%q: got %s (exp %d), want %s (exp %d)", data, got.Coefficient(), got.Exponent(), want.Coefficient(), want.Exponent())
		}
		if d, ok, err := decodeDecimal("Money", data); err != nil || !ok || !d.Equal(got) || d.Exponent() != got.Exponent() {
			t.Fatalf("decodeDecimal(%q) = %s, %v, %v; want %s", data, d, ok, err, got)
		}
	})
}

// FuzzWooTime checks that parseNaive's fast path for WooCommerce's timestamp form gives exactly
// what time.ParseInLocation gives, for the inputs it takes.
func FuzzWooTime(f *testing.F) {
	for _, s := range []string{`"2024-11-02T14:05:11"`, `"2024-02-29 23:59:59"`, `"2023-02-29T00:00:00"`, `"2024-04-31T00:00:00"`, `"0000-00-00 00:00:00"`, `"2024-13-01T00:00:00"`, `"2024-12-31T24:00:00"`, `"0000-01-01T00:00:00"`, `"2024-1x-02T14:05:11"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, loc := range []*time.Location{time.UTC, time.FixedZone("site", 3600)} {
			got, ok := wooTime(data, loc)
			if !ok {
				continue
			}
			layout := naiveLayouts[0]
			if data[11] == ' ' {
				layout = naiveLayouts[1]
			}
			want, err := time.ParseInLocation(layout, string(data[1:len(data)-1]), loc)
			if err != nil {
				t.Fatalf("wooTime took %q, time.ParseInLocation refuses it: %v", data, err)
			}
			if got != want {
				t.Fatalf("%q: got %v, want %v", data, got, want)
			}
		}
	})
}
