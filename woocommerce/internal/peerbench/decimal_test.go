package peerbench

import (
	"testing"

	govalues "github.com/govalues/decimal"

	"github.com/loyalsync/loyalsync/woocommerce"
)

// The amounts of a typical order, as they appear on the wire.
var amounts = [][]byte{[]byte(`"76.17"`), []byte(`"13.22"`), []byte(`41.322314`), []byte(`"8.677686"`), []byte(`"0.00"`), []byte(`"-9.99"`)}

// BenchmarkMoneyShopspring decodes amounts into woocommerce.Money (shopspring/decimal inside).
func BenchmarkMoneyShopspring(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, a := range amounts {
			var m woocommerce.Money
			if err := m.UnmarshalJSON(a); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkMoneyGovalues parses the same amounts with govalues/decimal, for comparison.
func BenchmarkMoneyGovalues(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		for _, a := range amounts {
			s := a
			if s[0] == '"' {
				s = s[1 : len(s)-1]
			}
			if _, err := govalues.Parse(string(s)); err != nil {
				b.Fatal(err)
			}
		}
	}
}
