package value

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMoneyUnmarshalAcceptsStringsNumbersAndEmpty(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string
	}{
		{`"10.50"`, "10.5"},
		{`10.5`, "10.5"},
		{`"0"`, "0"},
		{`0`, "0"},
		{`"-3.25"`, "-3.25"},
		{`"+3"`, "3"},
		{`1e3`, "1000"},
		{`"2.5E-2"`, "0.025"},
		{`"12345678901234567890.123456789"`, "12345678901234567890.123456789"}, // no float64 on the way
		{`0.1`, "0.1"},
		{`" 12.30 "`, "12.3"}, // whitespace inside the string
		{"  7 \n", "7"},       // whitespace around the token
		{`""`, "0"},
		{`"   "`, "0"},
		{`null`, "0"},
	}
	for _, tt := range tests {
		m := MustMoney("99") // a previous value must be overwritten
		require.NoError(t, m.UnmarshalJSON([]byte(tt.in)), tt.in)
		assert.Equal(t, tt.want, m.String(), tt.in)
	}
}

func TestMoneyUnmarshalRejectsBadInput(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		``, `"`, `"10`, `true`, `{}`, `[]`, `"abc"`, `"1,50"`, `"1 000"`, `"0x10"`, `"NaN"`, `"Inf"`,
		`"1.2.3"`, `"--1"`, `"1-"`, `"1e"`, `"1e5e5"`, `"1e99999"`, `"."`, `"-"`, `"\u0031"`, `"€10"`,
		`"` + strings.Repeat("9", 65) + `"`, // too long to be an amount
		`1e70`,                              // short, but 71 digits written out
	} {
		var m Money
		err := m.UnmarshalJSON([]byte(in))
		var de *DecodeError
		require.ErrorAs(t, err, &de, "%q must fail with *DecodeError", in)
		assert.Equal(t, "Money", de.Type)
		assert.LessOrEqual(t, len(de.Value), 64)
		assert.True(t, m.IsZero(), "%q: nothing is stored on failure", in)
	}
}

func TestMoneyInStructs(t *testing.T) {
	t.Parallel()
	type line struct {
		Total    Money     `json:"total"`
		Tax      Money     `json:"total_tax"`
		Sale     NullMoney `json:"sale_price"`
		Regular  NullMoney `json:"regular_price"`
		Discount NullMoney `json:"discount"`
	}
	var l line
	require.NoError(t, json.Unmarshal([]byte(`{"total":"19.90","total_tax":4,"sale_price":"","regular_price":"0.00","discount":null}`), &l))
	assert.True(t, l.Total.Equal(MustMoney("19.9")))
	assert.True(t, l.Tax.Equal(MustMoney("4")))
	assert.False(t, l.Sale.Valid, `"" is absent`)
	assert.True(t, l.Regular.Valid, `"0.00" is present`)
	assert.True(t, l.Regular.IsZero())
	assert.False(t, l.Discount.Valid, "null is absent")

	out, err := json.Marshal(l)
	require.NoError(t, err)
	assert.JSONEq(t, `{"total":"19.9","total_tax":"4","sale_price":"","regular_price":"0","discount":""}`, string(out))

	var back line
	require.NoError(t, json.Unmarshal(out, &back))
	assert.Equal(t, l.Sale.Valid, back.Sale.Valid)
	assert.Equal(t, l.Regular.Valid, back.Regular.Valid)
	assert.True(t, back.Total.Equal(l.Total))

	err = json.Unmarshal([]byte(`{"total":"lots"}`), &l)
	var de *DecodeError
	require.ErrorAs(t, err, &de, "json.Unmarshal passes the typed error through")
	assert.Equal(t, `"lots"`, de.Value)
}

func TestNullMoney(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]NullMoney{
		`""`:     {},
		`null`:   {},
		`" "`:    {},
		`"0.00"`: SomeMoney(MustMoney("0")),
		`5`:      SomeMoney(MustMoney("5")),
		`"-1.5"`: SomeMoney(MustMoney("-1.5")),
	} {
		n := SomeMoney(MustMoney("42"))
		require.NoError(t, n.UnmarshalJSON([]byte(in)), in)
		assert.Equal(t, want.Valid, n.Valid, in)
		assert.True(t, want.Equal(n.Money), in)
	}
	var n NullMoney
	err := n.UnmarshalJSON([]byte(`"abc"`))
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, "NullMoney", de.Type)

	b, err := NullMoney{}.MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, `""`, string(b))
	b, err = SomeMoney(MustMoney("2.50")).MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, `"2.5"`, string(b))
}

func TestMoneyConstructors(t *testing.T) {
	t.Parallel()
	m, err := NewMoney("12.34")
	require.NoError(t, err)
	assert.Equal(t, "12.34", m.String())
	assert.True(t, m.Equal(MustMoney("12.340")))
	assert.False(t, m.Equal(MustMoney("12.35")))
	assert.True(t, MoneyFromDecimal(decimal.RequireFromString("12.34")).Equal(m))
	assert.Equal(t, "24.68", MoneyFromDecimal(m.Add(m.Decimal)).String(), "decimal arithmetic is available")

	_, err = NewMoney("12,34")
	assert.Error(t, err)
	_, err = NewMoney("")
	assert.Error(t, err)
	assert.Panics(t, func() { MustMoney("ten") })

	b, err := MustMoney("1000.000").MarshalJSON()
	require.NoError(t, err)
	assert.Equal(t, `"1000"`, string(b), "no exponent, no trailing zeros")
	b, err = json.Marshal(Money{})
	require.NoError(t, err)
	assert.Equal(t, `"0"`, string(b))
}

func TestDecodeErrorMessage(t *testing.T) {
	t.Parallel()
	cause := errors.New("cause")
	e := &DecodeError{Type: "Money", Value: `"x"`, Err: cause}
	assert.Equal(t, `value: cannot decode Money from "x": cause`, e.Error())
	assert.ErrorIs(t, e, cause)
	assert.Equal(t, `value: cannot decode Money from ""`, (&DecodeError{Type: "Money", Value: `""`}).Error())

	long := newDecodeError("Money", []byte(strings.Repeat("x", 100)), nil)
	assert.Len(t, long.Value, 64, "the offending text is cut")
}
