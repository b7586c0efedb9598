package sitoo

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/internal/value"
)

// ValueError reports a JSON value that is not a valid Sitoo money, decimal, percentage, date or id.
// A response holding one fails with a *DecodeError (ErrDecode) that wraps it.
type ValueError = value.DecodeError

// PrecisionError is returned when encoding a Money or Decimal that has more fractional digits than
// Sitoo accepts (2 for money, 3 for decimals). The library never rounds an amount silently: round
// it yourself (Money.Round(2)) and send the result.
type PrecisionError struct {
	Type   string // "Money" or "Decimal"
	Value  string // the value as given
	Places int32  // the number of decimals Sitoo accepts
}

// Error names the value and the decimals Sitoo accepts.
func (e *PrecisionError) Error() string {
	return fmt.Sprintf("sitoo: %s %s has more than %d decimals; round it first", e.Type, e.Value, e.Places)
}

// Money is Sitoo's "money" data type: an exact amount sent as a string with 2 decimals ("123.50").
//
// It decodes tolerantly from a JSON string or number; "" and null decode to zero. It encodes with
// exactly 2 decimals, and refuses (with a *PrecisionError) an amount with more, so no amount is
// ever rounded behind your back. It embeds decimal.Decimal for arithmetic and comparison.
type Money struct {
	decimal.Decimal
}

// NewMoney parses a plain decimal string such as "12.5" or "12.50".
func NewMoney(s string) (Money, error) {
	m, err := value.NewMoney(s)
	if err != nil {
		return Money{}, err
	}
	return Money{m.Decimal}, nil
}

// MustMoney is NewMoney for literals known to be valid; it panics on a malformed one.
func MustMoney(s string) Money {
	m, err := NewMoney(s)
	if err != nil {
		panic(err)
	}
	return m
}

// MoneyFromDecimal wraps a decimal.Decimal.
func MoneyFromDecimal(d decimal.Decimal) Money { return Money{d} }

// String returns the amount with 2 decimals when it has at most 2, else in full.
func (m Money) String() string { return fixedString(m.Decimal, 2) }

// Equal reports whether two amounts are numerically equal.
func (m Money) Equal(o Money) bool { return m.Decimal.Equal(o.Decimal) }

// Format prints the amount like String for %v and %s (fmt.Println shows "10.50", not "10.5").
func (m Money) Format(f fmt.State, verb rune) { formatFixed(f, verb, m.Decimal, m.String()) }

// MarshalText returns String, for text encoders such as log/slog.
func (m Money) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// MarshalJSON encodes the amount as a string with exactly 2 decimals.
func (m Money) MarshalJSON() ([]byte, error) { return marshalFixed("Money", m.Decimal, 2) }

// UnmarshalJSON decodes a JSON string or number; "" and null decode to zero.
func (m *Money) UnmarshalJSON(data []byte) error {
	var v value.Money
	if err := v.UnmarshalJSON(data); err != nil {
		return err
	}
	m.Decimal = v.Decimal
	return nil
}

// Decimal is Sitoo's "decimal" data type: an exact number sent as a string with 3 decimals
// ("123.456"). Sitoo uses it for stock quantities (decimalquantity, decimaltotal, ...) and a few
// percentages. Decoding and encoding follow the same rules as Money, with 3 decimals.
type Decimal struct {
	decimal.Decimal
}

// NewDecimal parses a plain decimal string such as "5" or "-1.250".
func NewDecimal(s string) (Decimal, error) {
	m, err := value.NewMoney(s)
	if err != nil {
		return Decimal{}, err
	}
	return Decimal{m.Decimal}, nil
}

// MustDecimal is NewDecimal for literals known to be valid; it panics on a malformed one.
func MustDecimal(s string) Decimal {
	d, err := NewDecimal(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DecimalFromInt returns the Decimal for a whole quantity.
func DecimalFromInt(n int64) Decimal { return Decimal{decimal.NewFromInt(n)} }

// DecimalFromDecimal wraps a decimal.Decimal.
func DecimalFromDecimal(d decimal.Decimal) Decimal { return Decimal{d} }

// String returns the number with 3 decimals when it has at most 3, else in full.
func (d Decimal) String() string { return fixedString(d.Decimal, 3) }

// Equal reports whether two numbers are numerically equal.
func (d Decimal) Equal(o Decimal) bool { return d.Decimal.Equal(o.Decimal) }

// Format prints the number like String for %v and %s (fmt.Println shows "12.000").
func (d Decimal) Format(f fmt.State, verb rune) { formatFixed(f, verb, d.Decimal, d.String()) }

// MarshalText returns String, for text encoders such as log/slog.
func (d Decimal) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// MarshalJSON encodes the number as a string with exactly 3 decimals.
func (d Decimal) MarshalJSON() ([]byte, error) { return marshalFixed("Decimal", d.Decimal, 3) }

// UnmarshalJSON decodes a JSON string or number; "" and null decode to zero.
func (d *Decimal) UnmarshalJSON(data []byte) error {
	var v value.Money
	if err := v.UnmarshalJSON(data); err != nil {
		return err
	}
	d.Decimal = v.Decimal
	return nil
}

// Percent is a percentage that Sitoo sends as a JSON number, such as a VAT rate ("vatvalue": 25)
// or a product group's VAT value. It decodes from a number or a numeric string and encodes as a
// JSON number, exactly (never through float64).
type Percent struct {
	decimal.Decimal
}

// PercentFromInt returns the Percent for a whole percentage, e.g. 25 for 25 %.
func PercentFromInt(n int64) Percent { return Percent{decimal.NewFromInt(n)} }

// MustPercent parses a literal such as "12.5"; it panics on a malformed one.
func MustPercent(s string) Percent {
	d := MustDecimal(s)
	return Percent(d)
}

// String returns the percentage without exponent, e.g. "12.5".
func (p Percent) String() string { return p.Decimal.String() }

// MarshalJSON encodes the percentage as a JSON number.
func (p Percent) MarshalJSON() ([]byte, error) { return []byte(p.Decimal.String()), nil }

// UnmarshalJSON decodes a JSON number or numeric string; "" and null decode to zero.
func (p *Percent) UnmarshalJSON(data []byte) error {
	var v value.Money
	if err := v.UnmarshalJSON(data); err != nil {
		return &ValueError{Type: "Percent", Value: cut(data), Err: err}
	}
	p.Decimal = v.Decimal
	return nil
}

// formatFixed prints s for %v, %s and %q, and leaves other verbs (%f, %.1f, ...) to decimal.Decimal.
func formatFixed(f fmt.State, verb rune, d decimal.Decimal, s string) {
	switch verb {
	case 'v', 's':
		_, _ = fmt.Fprint(f, s)
	case 'q':
		_, _ = fmt.Fprintf(f, "%q", s)
	default:
		d.Format(f, verb)
	}
}

func fixedString(d decimal.Decimal, places int32) string {
	if d.Exponent() >= -places || d.Equal(d.Truncate(places)) {
		return d.StringFixed(places)
	}
	return d.String()
}

func marshalFixed(typ string, d decimal.Decimal, places int32) ([]byte, error) {
	if !d.Equal(d.Truncate(places)) {
		return nil, &PrecisionError{Type: typ, Value: d.String(), Places: places}
	}
	s := d.StringFixed(places)
	b := make([]byte, 0, len(s)+2)
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"'), nil
}

// UnixTime is Sitoo's "date" data type: a Unix timestamp in whole seconds. It holds a time.Time in
// UTC. null, "" and 0 decode to the zero time (Sitoo uses null for "no date"); a numeric string is
// accepted too. The zero time encodes as null.
type UnixTime struct {
	time.Time
}

// NewUnixTime returns the UnixTime for t, truncated to whole seconds, in UTC.
func NewUnixTime(t time.Time) UnixTime {
	if t.IsZero() {
		return UnixTime{}
	}
	return UnixTime{time.Unix(t.Unix(), 0).UTC()}
}

// UnixTimeFromSeconds returns the UnixTime for Unix seconds; 0 gives the zero time.
func UnixTimeFromSeconds(sec int64) UnixTime {
	if sec == 0 {
		return UnixTime{}
	}
	return UnixTime{time.Unix(sec, 0).UTC()}
}

// maxUnixSeconds bounds accepted timestamps (year 5138) so hostile input cannot overflow.
const maxUnixSeconds = 1e11

// UnmarshalJSON decodes Unix seconds from a JSON number or numeric string.
func (t *UnixTime) UnmarshalJSON(data []byte) error {
	sec, ok, err := decodeInt("UnixTime", data)
	if err != nil {
		return err
	}
	if !ok || sec == 0 {
		t.Time = time.Time{}
		return nil
	}
	if sec > maxUnixSeconds || sec < -maxUnixSeconds {
		return &ValueError{Type: "UnixTime", Value: cut(data), Err: fmt.Errorf("timestamp out of range")}
	}
	t.Time = time.Unix(sec, 0).UTC()
	return nil
}

// MarshalJSON encodes Unix seconds, or null for the zero time.
func (t UnixTime) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return strconv.AppendInt(nil, t.Unix(), 10), nil
}

// IDList is a list of numeric ids (category ids, related product ids, ...). The community OpenAPI
// description types these arrays as strings while Sitoo's examples send numbers, so both decode;
// the list encodes as JSON numbers, the form Sitoo's examples show.
type IDList []int64

// UnmarshalJSON decodes an array of numbers or numeric strings; null decodes to nil.
func (l *IDList) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, []byte("null")) {
		*l = nil
		return nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return &ValueError{Type: "IDList", Value: cut(data), Err: err}
	}
	out := make(IDList, 0, len(raw))
	for _, r := range raw {
		id, ok, err := decodeInt("IDList", r)
		if err != nil {
			return err
		}
		if ok {
			out = append(out, id)
		}
	}
	*l = out
	return nil
}

// decodeInt reads an integer from a JSON number or numeric string. ok is false for null and "".
// A number with a zero fraction ("12.0") is accepted; any other fraction is an error.
func decodeInt(typ string, data []byte) (n int64, ok bool, err error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return 0, false, &ValueError{Type: typ, Value: ""}
	}
	raw := data
	if data[0] == '"' {
		if len(data) < 2 || data[len(data)-1] != '"' {
			return 0, false, &ValueError{Type: typ, Value: cut(data)}
		}
		raw = bytes.TrimSpace(data[1 : len(data)-1])
		if len(raw) == 0 {
			return 0, false, nil
		}
	} else if bytes.Equal(data, []byte("null")) {
		return 0, false, nil
	}
	if n, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
		return n, true, nil
	}
	d, err := value.NewMoney(string(raw))
	if err != nil || !d.Decimal.IsInteger() || d.Decimal.Abs().GreaterThan(decimal.NewFromInt(maxUnixSeconds)) {
		return 0, false, &ValueError{Type: typ, Value: cut(data), Err: err}
	}
	return d.Decimal.IntPart(), true, nil
}

func cut(data []byte) string {
	if len(data) > 64 {
		data = data[:64]
	}
	return string(data)
}

// Ptr returns a pointer to v. Request types use pointers for optional fields, so that a field you
// do not set is not sent and a partial update leaves it alone: sitoo.Ptr(false), sitoo.Ptr("A1").
func Ptr[T any](v T) *T { return &v }
