package value

import (
	"math/big"
	"reflect"
	"unsafe"

	"github.com/shopspring/decimal"
)

// MoneyArena decodes many amounts, such as those of a page of orders, with fewer allocations: the
// coefficients of the plain amounts it decodes (the big.Int inside each decimal.Decimal, and its
// one word) are taken from blocks allocated together, instead of two allocations per amount. The
// values are the same as Money.UnmarshalJSON gives.
//
// A decimal.Decimal never modifies its coefficient (every operation makes a new one, and the
// coefficient is not reachable from outside: Coefficient and BigInt return copies), so
// coefficients may share a block; each one's word slice has a capacity of one, so it could not
// grow into its neighbour's even if it were modified. An amount that is kept alive keeps its
// block alive, at most arenaBlock coefficients.
//
// A decimal.Decimal is built from its coefficient through its memory layout, which is checked
// against the shopspring/decimal in use on first use; if it ever differs, MoneyArena falls back
// to decimal.New. The zero MoneyArena is ready to use; it is not safe for concurrent use.
type MoneyArena struct {
	ints    []big.Int
	words   []big.Word
	checked bool
	layout  bool
}

// arenaBlock is the number of coefficients allocated together.
const arenaBlock = 64

// decimalLayout is the memory layout of decimal.Decimal (shopspring/decimal v1.6.0).
type decimalLayout struct {
	value *big.Int
	exp   int32
}

// layoutMatches reports whether decimal.Decimal has exactly the fields of decimalLayout.
func layoutMatches() bool {
	d, l := reflect.TypeFor[decimal.Decimal](), reflect.TypeFor[decimalLayout]()
	if d.Size() != l.Size() || d.Align() != l.Align() || d.NumField() != l.NumField() {
		return false
	}
	for i := range d.NumField() {
		df, lf := d.Field(i), l.Field(i)
		if df.Name != lf.Name || df.Type != lf.Type || df.Offset != lf.Offset {
			return false
		}
	}
	return true
}

// UnmarshalMoney decodes data into m as m.UnmarshalJSON does.
func (a *MoneyArena) UnmarshalMoney(m *Money, data []byte) error {
	v, exp, ok := plainParts(data)
	if !ok {
		return m.UnmarshalJSON(data)
	}
	m.Decimal = a.decimal(v, exp)
	return nil
}

// decimal returns the decimal v × 10^exp, equal to decimal.New(v, exp).
func (a *MoneyArena) decimal(v int64, exp int32) decimal.Decimal {
	if !a.checked {
		a.checked, a.layout = true, layoutMatches()
	}
	if !a.layout {
		return decimal.New(v, exp)
	}
	if len(a.ints) == 0 {
		a.ints = make([]big.Int, arenaBlock)
	}
	z := &a.ints[0]
	a.ints = a.ints[1:]
	if v != 0 {
		if len(a.words) == 0 {
			a.words = make([]big.Word, arenaBlock)
		}
		u := uint64(v)
		if v < 0 {
			u = -u
		}
		a.words[0] = big.Word(u)
		z.SetBits(a.words[0:1:1])
		a.words = a.words[1:]
		if v < 0 {
			z.Neg(z)
		}
	}
	return *(*decimal.Decimal)(unsafe.Pointer(&decimalLayout{value: z, exp: exp}))
}
