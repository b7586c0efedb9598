package value

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"
	"time"
)

var moneySeeds = []string{
	`"10.50"`, `10.5`, `""`, `null`, `"  "`, `" 12.30 "`, `"-0"`, `"+3"`, `1e3`, `"2.5E-2"`, `"1e63"`,
	`"12345678901234567890.123456789"`, `"abc"`, `"1,50"`, `"0x10"`, `"NaN"`, `true`, `{}`, `"`, ``,
	`"1.2.3"`, `"1e99999"`, `-.5`, `"5."`,
}

// requireDecodeError fails unless err is a *DecodeError: bad input gets a typed error.
func requireDecodeError(t *testing.T, data []byte, err error) {
	t.Helper()
	var de *DecodeError
	if !errors.As(err, &de) {
		t.Fatalf("decoding %q: error %v (%T) is not a *DecodeError", data, err, err)
	}
}

func FuzzMoneyUnmarshal(f *testing.F) {
	for _, s := range moneySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var m Money
		if err := m.UnmarshalJSON(data); err != nil {
			requireDecodeError(t, data, err)
			return
		}
		out, err := m.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("%q decoded to %s, which encodes to invalid JSON %q (%v)", data, m, out, err)
		}
		var back Money
		if err := back.UnmarshalJSON(out); err != nil {
			t.Fatalf("%q decoded to %s, whose encoding %s does not decode: %v", data, m, out, err)
		}
		if !back.Equal(m) {
			t.Fatalf("round trip of %q: %s became %s", data, m, back)
		}
		if again, _ := back.MarshalJSON(); !bytes.Equal(again, out) {
			t.Fatalf("encoding is not stable: %s then %s", out, again)
		}
	})
}

func FuzzNullMoney(f *testing.F) {
	for _, s := range moneySeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var n NullMoney
		if err := n.UnmarshalJSON(data); err != nil {
			requireDecodeError(t, data, err)
			return
		}
		if !n.Valid && !n.IsZero() {
			t.Fatalf("%q: an absent value holds %s", data, n.Money)
		}
		out, err := n.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("%q encodes to invalid JSON %q (%v)", data, out, err)
		}
		var back NullMoney
		if err := back.UnmarshalJSON(out); err != nil {
			t.Fatalf("%q: encoding %s does not decode: %v", data, out, err)
		}
		if back.Valid != n.Valid || !back.Equal(n.Money) {
			t.Fatalf("round trip of %q: %+v became %+v", data, n, back)
		}
	})
}

var timeSeeds = []string{
	`"2017-03-22T16:28:02"`, `"2017-03-22 16:28:02"`, `"2017-03-22T16:28:02.123456"`, `"2017-03-22"`,
	`"2017-03-22T18:28:02+02:00"`, `"2017-03-22T16:28:02Z"`, `"2017-03-22T16:28:02,5"`, `null`, `""`,
	`"0000-00-00 00:00:00"`, `"0000-00-00"`, `"0001-01-01T00:00:00"`, `"9999-12-31T23:59:59.999999999-23:59"`,
	`"0000-01-01T00:00:00+01:00"`, `"yesterday"`, `1490200082`, `"`, ``,
}

func FuzzUTCTime(f *testing.F) {
	for _, s := range timeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var u UTCTime
		if err := u.UnmarshalJSON(data); err != nil {
			requireDecodeError(t, data, err)
			return
		}
		if u.Location() != time.UTC {
			t.Fatalf("%q decoded in %v, not UTC", data, u.Location())
		}
		out, err := u.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("%q encodes to invalid JSON %q (%v)", data, out, err)
		}
		var back UTCTime
		if err := back.UnmarshalJSON(out); err != nil {
			t.Fatalf("%q decoded to %v, whose encoding %s does not decode: %v", data, u.Time, out, err)
		}
		if !back.Equal(u.Time) {
			t.Fatalf("round trip of %q: %v became %v", data, u.Time, back.Time)
		}
	})
}

func FuzzLocalTime(f *testing.F) {
	for _, s := range timeSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var l LocalTime
		if err := l.UnmarshalJSON(data); err != nil {
			requireDecodeError(t, data, err)
			return
		}
		out, err := l.MarshalJSON()
		if err != nil || !json.Valid(out) {
			t.Fatalf("%q encodes to invalid JSON %q (%v)", data, out, err)
		}
		var back LocalTime
		if err := back.UnmarshalJSON(out); err != nil {
			t.Fatalf("%q decoded to %s, whose encoding %s does not decode: %v", data, l, out, err)
		}
		if back.String() != l.String() || back.IsZero() != l.IsZero() || !back.In(time.UTC).Equal(l.In(time.UTC)) {
			t.Fatalf("round trip of %q: %s became %s", data, l, back)
		}
	})
}
