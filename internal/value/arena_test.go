package value

import (
	"math"
	"reflect"
	"testing"

	"github.com/shopspring/decimal"
)

func TestMoneyArenaLayoutMatchesShopspring(t *testing.T) {
	t.Parallel()
	if !layoutMatches() {
		t.Fatal("decimal.Decimal no longer has the layout MoneyArena builds: update decimalLayout")
	}
}

func TestMoneyArenaBuildsWhatDecimalNewBuilds(t *testing.T) {
	t.Parallel()
	var a MoneyArena
	values := []int64{0, 1, -1, 7617, -999, 999999999999999999, -999999999999999999, math.MaxInt32 + 1}
	for round := range 3 * arenaBlock / len(values) { // across block boundaries
		for _, v := range values {
			for _, exp := range []int32{0, -2, -6, 3} {
				got, want := a.decimal(v, exp), decimal.New(v, exp)
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("round %d: decimal(%d, %d) = %#v, decimal.New gives %#v", round, v, exp, got, want)
				}
			}
		}
	}
	// an amount computed from an arena amount leaves its neighbours alone
	x, y := a.decimal(5, 0), a.decimal(7, 0)
	_ = x.Add(decimal.New(1, 0)).Mul(x).Neg().Round(2)
	if x.String() != "5" || y.String() != "7" {
		t.Fatalf("arena amounts changed: %s %s", x, y)
	}
}

// FuzzMoneyArena: the arena decodes to the same value and error as Money.UnmarshalJSON.
func FuzzMoneyArena(f *testing.F) {
	for _, s := range moneySeeds {
		f.Add([]byte(s))
	}
	f.Add([]byte(`"-9.99"`))
	f.Add([]byte(`41.322314`))
	var a MoneyArena
	f.Fuzz(func(t *testing.T, data []byte) {
		var got, want Money
		gotErr, wantErr := a.UnmarshalMoney(&got, data), want.UnmarshalJSON(data)
		if (gotErr == nil) != (wantErr == nil) || gotErr != nil && gotErr.Error() != wantErr.Error() {
			t.Fatalf("%q: error %v, UnmarshalJSON gives %v", data, gotErr, wantErr)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %#v, UnmarshalJSON gives %#v", data, got, want)
		}
	})
}
