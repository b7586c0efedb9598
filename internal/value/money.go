package value

import (
	"bytes"
	"fmt"

	"github.com/shopspring/decimal"
)

// Money is an exact decimal amount decoded tolerantly from JSON.
//
// It accepts a JSON string ("10.50"), a JSON number (10.5), and treats "" and null as zero, because
// WooCommerce and its plugins send all three for the same field. It never passes through float64, so
// no precision is lost. It encodes as a JSON string, the form every supported API accepts on input.
//
// Money embeds decimal.Decimal, so all of its arithmetic and comparison methods are available.
type Money struct {
	decimal.Decimal
}

// NewMoney returns the Money for a decimal string such as "12.34". It is meant for constants in
// code and tests; it returns an error for anything that is not a plain decimal.
func NewMoney(s string) (Money, error) {
	d, err := parseDecimal([]byte(s))
	if err != nil {
		return Money{}, err
	}
	return Money{d}, nil
}

// MustMoney is NewMoney for constants known to be valid; it panics on a malformed literal.
func MustMoney(s string) Money {
	m, err := NewMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

// MoneyFromDecimal wraps a decimal.Decimal.
func MoneyFromDecimal(d decimal.Decimal) Money { return Money{d} }

// UnmarshalJSON decodes a JSON string, number, "" or null.
func (m *Money) UnmarshalJSON(data []byte) error {
	d, _, err := decodeDecimal("Money", data)
	if err != nil {
		return err
	}
	m.Decimal = d
	return nil
}

// MarshalJSON encodes the amount as a JSON string without exponent, e.g. "10.5".
func (m Money) MarshalJSON() ([]byte, error) {
	s := m.Decimal.String()
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}

// String returns the amount without exponent, e.g. "10.5".
func (m Money) String() string { return m.Decimal.String() }

// Equal reports whether two amounts are numerically equal ("10.50" equals "10.5").
func (m Money) Equal(o Money) bool { return m.Decimal.Equal(o.Decimal) }

// NullMoney is Money that can be absent: "" and null decode to Valid == false, so a product with
// no sale price is told apart from one on sale for 0.00.
type NullMoney struct {
	Money
	Valid bool
}

// SomeMoney returns a valid NullMoney holding m.
func SomeMoney(m Money) NullMoney { return NullMoney{Money: m, Valid: true} }

// UnmarshalJSON decodes a JSON string or number; "" and null decode to an absent value.
func (n *NullMoney) UnmarshalJSON(data []byte) error {
	d, ok, err := decodeDecimal("NullMoney", data)
	if err != nil {
		return err
	}
	n.Money, n.Valid = Money{d}, ok
	return nil
}

// MarshalJSON encodes an absent value as "" (what WooCommerce sends and accepts for an unset
// price) and a present one like Money.
func (n NullMoney) MarshalJSON() ([]byte, error) {
	if !n.Valid {
		return []byte(`""`), nil
	}
	return n.Money.MarshalJSON()
}

// DecodeError reports a JSON value that is not a usable decimal.
type DecodeError struct {
	Type  string // the Go type being decoded, e.g. "Money"
	Value string // the offending JSON text, cut to 64 bytes
	Err   error  // the underlying parse error, if any
}

// Error reports the Go type, the offending JSON text and the cause.
func (e *DecodeError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("value: cannot decode %s from %s: %v", e.Type, e.Value, e.Err)
	}
	return fmt.Sprintf("value: cannot decode %s from %s", e.Type, e.Value)
}

// Unwrap returns the underlying parse error, or nil.
func (e *DecodeError) Unwrap() error { return e.Err }

func newDecodeError(typ string, data []byte, err error) *DecodeError {
	v := data
	if len(v) > 64 {
		v = v[:64]
	}
	return &DecodeError{Type: typ, Value: string(v), Err: err}
}

var nullLiteral = []byte("null")

// decodeDecimal parses a JSON string or number for the Go type typ. ok is false for null and "".
func decodeDecimal(typ string, data []byte) (d decimal.Decimal, ok bool, err error) {
	if d, ok := plainDecimal(unquote(data)); ok {
		return d, true, nil
	}
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return decimal.Decimal{}, false, newDecodeError(typ, data, nil)
	}
	raw := data
	if data[0] == '"' {
		if len(data) < 2 || data[len(data)-1] != '"' {
			return decimal.Decimal{}, false, newDecodeError(typ, data, nil)
		}
		raw = bytes.TrimSpace(data[1 : len(data)-1])
		if len(raw) == 0 {
			return decimal.Decimal{}, false, nil
		}
	} else if bytes.Equal(data, nullLiteral) {
		return decimal.Decimal{}, false, nil
	}
	d, err = parseDecimal(raw)
	if err != nil {
		return decimal.Decimal{}, false, newDecodeError(typ, data, err)
	}
	return d, true, nil
}

// maxDecimalLen bounds the text accepted as a decimal so hostile input ("1e999999999") cannot make
// the parser allocate without limit. It bounds the plain form too ("1e70" is 71 digits), so that
// every accepted amount encodes to text that decodes again.
const maxDecimalLen = 64

// parseDecimal accepts plain decimals with an optional sign, fraction and exponent (the exponent
// bounded), and nothing else: no hex, no NaN, no thousands separators.
func parseDecimal(b []byte) (decimal.Decimal, error) {
	if d, ok := plainDecimal(b); ok {
		return d, nil
	}
	if len(b) == 0 || len(b) > maxDecimalLen {
		return decimal.Decimal{}, fmt.Errorf("invalid decimal length %d", len(b))
	}
	digits, expAt := 0, -1
	for i, c := range b {
		switch {
		case c >= '0' && c <= '9':
			if expAt < 0 {
				digits++
			}
		case c == '.':
			if expAt >= 0 {
				return decimal.Decimal{}, fmt.Errorf("invalid decimal %q", b)
			}
		case c == '-' || c == '+':
			if i != 0 && i != expAt+1 {
				return decimal.Decimal{}, fmt.Errorf("invalid decimal %q", b)
			}
		case c == 'e' || c == 'E':
			if expAt >= 0 {
				return decimal.Decimal{}, fmt.Errorf("invalid decimal %q", b)
			}
			expAt = i
			if len(b)-i-1 > 4 { // exponent up to 4 characters incl. sign: |exp| <= 999
				return decimal.Decimal{}, fmt.Errorf("decimal exponent out of range in %q", b)
			}
		default:
			return decimal.Decimal{}, fmt.Errorf("invalid decimal %q", b)
		}
	}
	if digits == 0 {
		return decimal.Decimal{}, fmt.Errorf("invalid decimal %q", b)
	}
	d, err := decimal.NewFromString(string(b))
	if err != nil {
		return decimal.Decimal{}, err
	}
	if n := len(d.String()); n > maxDecimalLen {
		return decimal.Decimal{}, fmt.Errorf("decimal %q out of range: %d digits written out", b, n)
	}
	return d, nil
}

// plainDecimal is the fast path of parseDecimal for the form WooCommerce sends: a decimal of at
// most 18 digits (so it fits an int64 and its plain form is never longer than maxDecimalLen) with
// an optional minus sign and point, without spaces or exponent. It reads the text once and
// builds the same coefficient and exponent as decimal.NewFromString, without converting to a
// string; ok is false for anything else, which the general path decodes.
func plainDecimal(b []byte) (d decimal.Decimal, ok bool) {
	if len(b) == 0 || len(b) > 20 { // 18 digits, a sign and a point
		return decimal.Decimal{}, false
	}
	i, neg := 0, b[0] == '-'
	if neg {
		i = 1
	}
	var v int64
	exp, digits, point := int32(0), 0, false
	for ; i < len(b); i++ {
		switch c := b[i]; {
		case c >= '0' && c <= '9':
			v = v*10 + int64(c-'0')
			digits++
			if point {
				exp--
			}
		case c == '.' && !point:
			point = true
		default:
			return decimal.Decimal{}, false
		}
	}
	if digits == 0 || digits > 18 {
		return decimal.Decimal{}, false
	}
	if neg {
		v = -v
	}
	return decimal.New(v, exp), true
}

// unquote returns the text inside a JSON string's quotes, or data itself when it is not quoted.
func unquote(data []byte) []byte {
	if len(data) >= 2 && data[0] == '"' && data[len(data)-1] == '"' {
		return data[1 : len(data)-1]
	}
	return data
}
