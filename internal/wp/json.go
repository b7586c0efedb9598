package wp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

var nullJSON = []byte("null")

// scalar returns the text of a JSON string (unquoted) or of a bare JSON number/literal, and
// whether it was quoted.
func scalar(data []byte) (string, bool, error) {
	data = bytes.TrimSpace(data)
	if len(data) >= 2 && data[0] == '"' && data[len(data)-1] == '"' {
		if inner := data[1 : len(data)-1]; bytes.IndexByte(inner, '\\') < 0 && bytes.IndexByte(inner, '"') < 0 && utf8.Valid(inner) {
			return strings.TrimSpace(string(inner)), true, nil // no escapes: the common case, without a second parse
		}
	}
	if len(data) > 0 && data[0] == '"' {
		var s string
		if err := json.Unmarshal(data, &s); err != nil {
			return "", true, err
		}
		return strings.TrimSpace(s), true, nil
	}
	if len(data) > 0 && (data[0] == '{' || data[0] == '[') {
		return "", false, fmt.Errorf("got a JSON %s, want a scalar", kind(data[0]))
	}
	return string(data), false, nil
}

func kind(c byte) string {
	if c == '{' {
		return "object"
	}
	return "array"
}

func cut(data []byte) string {
	if len(data) > 64 {
		return string(data[:64]) + "…"
	}
	return string(data)
}

// Int is an int64 decoded from a JSON number or a numeric string ("42", "42.0"), as PHP sends
// values read from user meta. null and "" decode to 0. A fraction or an out-of-range value is an
// error, never silently rounded.
type Int int64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Int) UnmarshalJSON(data []byte) error {
	s, _, err := scalar(data)
	if err != nil {
		return fmt.Errorf("cannot decode integer from %s: %w", cut(data), err)
	}
	if s == "" || s == "null" {
		*n = 0
		return nil
	}
	if v, err := strconv.ParseInt(s, 10, 64); err == nil {
		*n = Int(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) || f != math.Trunc(f) || math.Abs(f) >= 1<<63 {
		return fmt.Errorf("cannot decode integer from %s", cut(data))
	}
	*n = Int(f)
	return nil
}

// String is a string decoded from a JSON string or number (ids that a PHP plugin may send either
// way). null decodes to "".
type String string

// UnmarshalJSON implements json.Unmarshaler.
func (s *String) UnmarshalJSON(data []byte) error {
	v, quoted, err := scalar(data)
	if err != nil {
		return fmt.Errorf("cannot decode string from %s: %w", cut(data), err)
	}
	if !quoted && v == "null" {
		v = ""
	}
	if !quoted && (v == "true" || v == "false") {
		return fmt.Errorf("cannot decode string from %s", cut(data))
	}
	*s = String(v)
	return nil
}

// Bool is a boolean decoded from true/false, 1/0, "1"/"0", "yes"/"no", "on"/"off", "true"/"false"
// (WordPress options are stored as strings). null and "" decode to false.
type Bool bool

// UnmarshalJSON implements json.Unmarshaler.
func (b *Bool) UnmarshalJSON(data []byte) error {
	s, _, err := scalar(data)
	if err != nil {
		return fmt.Errorf("cannot decode boolean from %s: %w", cut(data), err)
	}
	switch strings.ToLower(s) {
	case "true", "1", "yes", "on":
		*b = true
	case "false", "0", "no", "off", "", "null":
		*b = false
	default:
		return fmt.Errorf("cannot decode boolean from %s", cut(data))
	}
	return nil
}

// Float is a float64 decoded from a JSON number or a numeric string. null and "" decode to 0.
type Float float64

// UnmarshalJSON implements json.Unmarshaler.
func (f *Float) UnmarshalJSON(data []byte) error {
	s, _, err := scalar(data)
	if err != nil {
		return fmt.Errorf("cannot decode number from %s: %w", cut(data), err)
	}
	if s == "" || s == "null" {
		*f = 0
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(v, 0) || math.IsNaN(v) {
		return fmt.Errorf("cannot decode number from %s", cut(data))
	}
	*f = Float(v)
	return nil
}

// Raw returns a copy of data, for the Raw field of decoded objects (the decoder's buffer must not
// be retained).
func Raw(data []byte) json.RawMessage {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || bytes.Equal(data, nullJSON) {
		return nil
	}
	return bytes.Clone(data)
}

// List is a JSON array, also accepted in the form PHP's json_encode gives an array whose keys are
// not 0..n-1: an object whose member values, in document order, are the items. null decodes to an
// empty list.
type List[T any] []T

// UnmarshalJSON implements json.Unmarshaler.
func (l *List[T]) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || bytes.Equal(data, nullJSON) {
		*l = List[T]{}
		return nil
	}
	if data[0] == '[' {
		var items []T
		if err := json.Unmarshal(data, &items); err != nil {
			return err
		}
		if items == nil {
			items = []T{}
		}
		*l = items
		return nil
	}
	if data[0] != '{' {
		return fmt.Errorf("cannot decode list from %s", cut(data))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil { // {
		return err
	}
	items := List[T]{}
	for dec.More() {
		if _, err := dec.Token(); err != nil { // key
			return err
		}
		var it T
		if err := dec.Decode(&it); err != nil {
			return err
		}
		items = append(items, it)
	}
	*l = items
	return nil
}
