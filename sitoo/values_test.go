package sitoo

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMoneyJSON(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`"123.50"`: "123.50", `"123.5"`: "123.50", `123.5`: "123.50", `""`: "0.00", `null`: "0.00", `"-0.10"`: "-0.10", `"1e2"`: "100.00",
	} {
		var m Money
		require.NoError(t, json.Unmarshal([]byte(in), &m), in)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		assert.Equal(t, `"`+want+`"`, string(b), in)
	}
	for _, bad := range []string{`"12,50"`, `"abc"`, `true`, `"NaN"`, `{}`, `"1e99999"`} {
		var m Money
		err := json.Unmarshal([]byte(bad), &m)
		var de *ValueError
		assert.True(t, errors.As(err, &de), "%s: %v", bad, err)
	}
	_, err := json.Marshal(MustMoney("1.005"))
	var pe *PrecisionError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "Money", pe.Type)
	b, err := json.Marshal(MustMoney("1.500"))
	require.NoError(t, err, "trailing zeros are not extra precision")
	assert.Equal(t, `"1.50"`, string(b))
	assert.Equal(t, "1.005", MustMoney("1.005").String())
	assert.True(t, MustMoney("2").Equal(MustMoney("2.00")))
}

func TestDecimalAndPercentJSON(t *testing.T) {
	t.Parallel()
	var d Decimal
	require.NoError(t, json.Unmarshal([]byte(`"-13"`), &d))
	b, err := json.Marshal(d)
	require.NoError(t, err)
	assert.Equal(t, `"-13.000"`, string(b))
	assert.Equal(t, "123.456", MustDecimal("123.456").String())
	_, err = json.Marshal(MustDecimal("0.0001"))
	var pe *PrecisionError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, int32(3), pe.Places)
	assert.True(t, DecimalFromInt(5).Equal(MustDecimal("5.000")))

	var p Percent
	require.NoError(t, json.Unmarshal([]byte(`25`), &p))
	b, err = json.Marshal(p)
	require.NoError(t, err)
	assert.Equal(t, `25`, string(b), "a VAT rate is a JSON number")
	require.NoError(t, json.Unmarshal([]byte(`"12.5"`), &p))
	assert.Equal(t, "12.5", p.String())
	require.Error(t, json.Unmarshal([]byte(`"x"`), &p))
}

func TestUnixTimeJSON(t *testing.T) {
	t.Parallel()
	var ut UnixTime
	require.NoError(t, json.Unmarshal([]byte(`1373026247`), &ut))
	assert.Equal(t, time.Date(2013, 7, 5, 12, 10, 47, 0, time.UTC), ut.Time)
	assert.Equal(t, time.UTC, ut.Location())
	b, err := json.Marshal(ut)
	require.NoError(t, err)
	assert.Equal(t, `1373026247`, string(b))

	for _, zero := range []string{`null`, `0`, `""`, `"0"`} {
		ut = UnixTime{time.Now()}
		require.NoError(t, json.Unmarshal([]byte(zero), &ut), zero)
		assert.True(t, ut.IsZero(), zero)
	}
	require.NoError(t, json.Unmarshal([]byte(`"1373026247"`), &ut))
	assert.Equal(t, int64(1373026247), ut.Unix())
	require.NoError(t, json.Unmarshal([]byte(`1373026247.0`), &ut))
	assert.Equal(t, int64(1373026247), ut.Unix())
	b, err = json.Marshal(UnixTime{})
	require.NoError(t, err)
	assert.Equal(t, `null`, string(b))

	for _, bad := range []string{`1.5`, `"yesterday"`, `true`, `1e300`, `99999999999999`, `[1]`} {
		err := json.Unmarshal([]byte(bad), &ut)
		var de *ValueError
		assert.True(t, errors.As(err, &de), "%s: %v", bad, err)
	}
	assert.Equal(t, int64(1700000000), NewUnixTime(time.Unix(1700000000, 999).In(time.FixedZone("x", 3600))).Unix())
	assert.True(t, NewUnixTime(time.Time{}).IsZero())
	assert.True(t, UnixTimeFromSeconds(0).IsZero())
}

func TestIDListJSON(t *testing.T) {
	t.Parallel()
	var l IDList
	require.NoError(t, json.Unmarshal([]byte(`[19, "49", 59, null]`), &l))
	assert.Equal(t, IDList{19, 49, 59}, l)
	b, err := json.Marshal(l)
	require.NoError(t, err)
	assert.Equal(t, `[19,49,59]`, string(b))
	require.NoError(t, json.Unmarshal([]byte(`null`), &l))
	assert.Nil(t, l)
	require.Error(t, json.Unmarshal([]byte(`["x"]`), &l))
	require.Error(t, json.Unmarshal([]byte(`{}`), &l))

	var n NullID
	require.NoError(t, json.Unmarshal([]byte(`null`), &n))
	assert.Zero(t, n)
	b, err = json.Marshal(NullID(0))
	require.NoError(t, err)
	assert.Equal(t, `null`, string(b))
}

// Fuzz targets: a decoder never panics, and what it accepts re-encodes to what it decodes back to.

func FuzzUnixTime(f *testing.F) {
	for _, s := range []string{`1373026247`, `null`, `0`, `""`, `"1373026247"`, `1.5`, `-1`, `1e10`, `"  12 "`, `99999999999`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var ut UnixTime
		if json.Unmarshal(data, &ut) != nil {
			return
		}
		b, err := json.Marshal(ut)
		if err != nil {
			t.Fatalf("marshal %v: %v", ut, err)
		}
		var back UnixTime
		if err := json.Unmarshal(b, &back); err != nil || !back.Equal(ut.Time) {
			t.Fatalf("%s -> %s -> %v (%v)", data, b, back, err)
		}
	})
}

func FuzzMoneyAndDecimal(f *testing.F) {
	for _, s := range []string{`"123.50"`, `123.5`, `""`, `null`, `"-0.001"`, `"1e3"`, `"1,5"`, `"99999999999999999999.99"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Money
		if json.Unmarshal(data, &m) == nil {
			if b, err := json.Marshal(m); err == nil {
				var back Money
				if err := json.Unmarshal(b, &back); err != nil || !back.Equal(m) {
					t.Fatalf("money %s -> %s -> %v (%v)", data, b, back, err)
				}
			} else if !errors.As(err, new(*PrecisionError)) {
				t.Fatalf("money %s: unexpected marshal error %v", data, err)
			}
		}
		var d Decimal
		if json.Unmarshal(data, &d) == nil {
			if b, err := json.Marshal(d); err == nil {
				var back Decimal
				if err := json.Unmarshal(b, &back); err != nil || !back.Equal(d) {
					t.Fatalf("decimal %s -> %s -> %v (%v)", data, b, back, err)
				}
			}
		}
		var p Percent
		if json.Unmarshal(data, &p) == nil {
			b, _ := json.Marshal(p)
			var back Percent
			if err := json.Unmarshal(b, &back); err != nil || !back.Equal(p.Decimal) {
				t.Fatalf("percent %s -> %s -> %v (%v)", data, b, back, err)
			}
		}
	})
}

func TestRequestNullsAndZeros(t *testing.T) {
	t.Parallel()
	// A field set through a pointer is sent even when zero; a pointer to a zero id, date or
	// null-able value is sent as null, which is how Sitoo clears it.
	b, err := json.Marshal(ProductRequest{MoneyPrice: Ptr(Money{}), ActivePOS: Ptr(false), DefaultCategoryID: Ptr(NullID(0)),
		BarcodeAliases: []string{}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"moneyprice":"0.00","activepos":false,"defaultcategoryid":null,"barcodealiases":[]}`, string(b))
	b, err = json.Marshal(OrderRequest{DateReserved: &UnixTime{}, WarehouseID: Ptr(NullID(0))})
	require.NoError(t, err)
	assert.JSONEq(t, `{"datereserved":null,"warehouseid":null}`, string(b))
	b, err = json.Marshal(ProductRequest{})
	require.NoError(t, err)
	assert.JSONEq(t, `{}`, string(b), "nothing set, nothing sent")
}

func TestMoneyAndDecimalPrint(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "10.50 12.000 \"1.00\" 10.5", fmt.Sprintf("%v %s %q %.1f", MustMoney("10.5"), MustDecimal("12"), MustMoney("1"), MustMoney("10.5")))
	b, err := MustMoney("3").MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "3.00", string(b))
	b, err = MustDecimal("3").MarshalText()
	require.NoError(t, err)
	assert.Equal(t, "3.000", string(b))
}
