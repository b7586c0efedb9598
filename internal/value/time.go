package value

import (
	"bytes"
	"fmt"
	"time"
)

// Layouts accepted for timestamps without a timezone, most common first. WooCommerce sends the
// first; legacy data and plugins send the others.
var naiveLayouts = [...]string{
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02",
}

// zeroDates are the "no date" markers that MySQL-backed APIs send instead of null.
var zeroDates = [...]string{"0000-00-00 00:00:00", "0000-00-00T00:00:00", "0000-00-00"}

// parseNaive parses a timestamp that may or may not carry a zone. With a zone (RFC 3339) the
// instant is exact and zoned is true; without one the wall clock is returned in loc.
// ok is false for null, "" and the zero-date markers.
func parseNaive(typ string, data []byte, loc *time.Location) (t time.Time, zoned, ok bool, err error) {
	if t, ok := wooTime(data, loc); ok {
		return t, false, true, nil
	}
	data = bytes.TrimSpace(data)
	if bytes.Equal(data, nullLiteral) {
		return time.Time{}, false, false, nil
	}
	if len(data) < 2 || data[0] != '"' || data[len(data)-1] != '"' {
		return time.Time{}, false, false, newTimeError(typ, data, nil)
	}
	s := string(bytes.TrimSpace(data[1 : len(data)-1]))
	if s == "" {
		return time.Time{}, false, false, nil
	}
	for _, z := range zeroDates {
		if s == z {
			return time.Time{}, false, false, nil
		}
	}
	if len(s) > 64 {
		return time.Time{}, false, false, newTimeError(typ, data, nil)
	}
	for _, layout := range naiveLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, false, true, nil
		}
	}
	t, err = time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false, false, newTimeError(typ, data, err)
	}
	return t, true, true, nil
}

func newTimeError(typ string, data []byte, err error) *DecodeError {
	return newDecodeError(typ, data, err)
}

// naiveOut is the layout timestamps are encoded in: WooCommerce's form, with the fraction of a
// second only when there is one, so that decoding the output gives the same instant.
const naiveOut = "2006-01-02T15:04:05.999999999"

// UTCTime is a timestamp that an API sends in UTC without saying so, such as WooCommerce's
// "date_created_gmt": "2017-03-22T16:28:02". It decodes to a time.Time in UTC. A value that does
// carry a zone (RFC 3339) is converted to UTC. null, "" and "0000-00-00 00:00:00" decode to the zero
// time. It encodes back in the same zone-less form, or null when zero.
type UTCTime struct {
	time.Time
}

// UnmarshalJSON decodes a zone-less UTC timestamp. A zoned value whose UTC date falls outside
// the years 0000-9999 is an error, as it could not be written back in the zone-less form.
func (t *UTCTime) UnmarshalJSON(data []byte) error {
	v, _, _, err := parseNaive("UTCTime", data, time.UTC)
	if err != nil {
		return err
	}
	v = v.UTC()
	if y := v.Year(); y < 0 || y > 9999 {
		return newTimeError("UTCTime", data, fmt.Errorf("year %d out of range", y))
	}
	t.Time = v
	return nil
}

// MarshalJSON encodes the time as "2006-01-02T15:04:05" in UTC (with a fraction of a second when
// there is one), or null when zero.
func (t UTCTime) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return t.UTC().AppendFormat([]byte{'"'}, naiveOut+`"`), nil
}

// LocalTime is a wall-clock timestamp in the source's own timezone, sent without a zone, such as
// WooCommerce's "date_created": "2017-03-22T16:28:02" in the site's timezone. The instant it names is
// only known together with that timezone: use In to get a time.Time. When the API sends an explicit
// zone instead, the instant is kept and In returns it unchanged.
type LocalTime struct {
	wall  time.Time // wall clock in UTC fields, or the exact instant when zoned
	zoned bool
}

// NewLocalTime returns the LocalTime for the wall clock of t, dropping its location.
func NewLocalTime(t time.Time) LocalTime {
	y, mo, d := t.Date()
	h, mi, s := t.Clock()
	return LocalTime{wall: time.Date(y, mo, d, h, mi, s, t.Nanosecond(), time.UTC)}
}

// IsZero reports whether the time is unset (null, "" or a zero date in the source).
func (t LocalTime) IsZero() bool { return t.wall.IsZero() }

// In returns the instant this wall-clock time names in loc, converted to UTC. A nil loc means UTC.
func (t LocalTime) In(loc *time.Location) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	if t.zoned {
		return t.wall.UTC()
	}
	if loc == nil {
		loc = time.UTC
	}
	y, mo, d := t.wall.Date()
	h, mi, s := t.wall.Clock()
	return time.Date(y, mo, d, h, mi, s, t.wall.Nanosecond(), loc).UTC()
}

// String returns the wall clock as "2006-01-02T15:04:05" (with a fraction of a second when there
// is one), the RFC 3339 form when the source sent a zone, or "" when zero.
func (t LocalTime) String() string {
	if t.IsZero() {
		return ""
	}
	if t.zoned {
		return t.wall.Format(time.RFC3339Nano)
	}
	return t.wall.Format(naiveOut)
}

// UnmarshalJSON decodes a zone-less wall-clock timestamp.
func (t *LocalTime) UnmarshalJSON(data []byte) error {
	v, zoned, _, err := parseNaive("LocalTime", data, time.UTC)
	if err != nil {
		return err
	}
	*t = LocalTime{wall: v, zoned: zoned}
	return nil
}

// MarshalJSON encodes the time as String does, or null when zero.
func (t LocalTime) MarshalJSON() ([]byte, error) {
	if t.IsZero() {
		return []byte("null"), nil
	}
	return fmt.Appendf(nil, "%q", t.String()), nil
}

// wooTime is the fast path of parseNaive for the form WooCommerce sends, "2006-01-02T15:04:05"
// (or with a space for the T), quoted and nothing around it. It reads the fixed positions
// directly and gives what time.ParseInLocation gives for the first two naiveLayouts; ok is false
// for anything else (including out-of-range fields and the zero date), which the general path
// decodes.
func wooTime(data []byte, loc *time.Location) (time.Time, bool) {
	if len(data) != 21 || data[0] != '"' || data[20] != '"' || data[5] != '-' || data[8] != '-' ||
		data[11] != 'T' && data[11] != ' ' || data[14] != ':' || data[17] != ':' {
		return time.Time{}, false
	}
	year, ok1 := digits(data[1:5])
	month, ok2 := digits(data[6:8])
	day, ok3 := digits(data[9:11])
	hour, ok4 := digits(data[12:14])
	minute, ok5 := digits(data[15:17])
	sec, ok6 := digits(data[18:20])
	if !ok1 || !ok2 || !ok3 || !ok4 || !ok5 || !ok6 ||
		month < 1 || month > 12 || day < 1 || day > daysIn(time.Month(month), year) ||
		hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, loc), true
}

// digits reads a run of decimal digits.
func digits(b []byte) (int, bool) {
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn is the number of days of month in year (proleptic Gregorian, as package time counts).
func daysIn(month time.Month, year int) int {
	if month == time.February {
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	}
	return 30 + int((month+month/8)%2)
}
