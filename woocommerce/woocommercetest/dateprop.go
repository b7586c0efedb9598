package woocommercetest

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// wcISODate is the only form WC_Data::set_date_prop reads as an instant: whole seconds followed
// by Z or ±hh:mm.
var wcISODate = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(Z|[-+]\d{2}:\d{2})$`)

// setDateProp is WC_Data::set_date_prop applied to a JSON value the REST schema let through (a
// "date-time" property is not type-checked by WordPress, so anything arrives here). It returns
// the new value, the zero time meaning "no date":
//   - an empty value ("", "0", 0, false) clears the date;
//   - a number or numeric string is a Unix timestamp;
//   - "YYYY-MM-DDThh:mm:ss" followed by Z or ±hh:mm is that instant;
//   - any other string goes through strtotime (in UTC), and the resulting UTC wall clock is then
//     read in the site's timezone. So a zoneless value is site-local, and a value with a zone in
//     another form ("…+0200", fractional seconds) is shifted by the site's offset. A string
//     strtotime cannot read becomes 1970-01-01 00:00:00 site-local, as in WooCommerce.
//
// The controllers skip a JSON null before calling it; callers do the same.
func (s *Server) setDateProp(raw json.RawMessage) time.Time {
	raw = bytes.TrimSpace(raw)
	var v string
	switch {
	case len(raw) == 0:
		return time.Time{}
	case raw[0] == '"':
		_ = json.Unmarshal(raw, &v)
	case string(raw) == "false":
		return time.Time{}
	case raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9':
		v = string(raw)
	default: // true, arrays, objects: not a date strtotime reads
		return s.localWall(time.Unix(0, 0).UTC())
	}
	if v == "" || v == "0" {
		return time.Time{}
	}
	if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
		return time.Unix(int64(f), 0).UTC()
	}
	if m := wcISODate.FindStringSubmatch(v); m != nil {
		n := func(i int) int { x, _ := strconv.Atoi(m[i]); return x }
		t := time.Date(n(1), time.Month(n(2)), n(3), n(4), n(5), n(6), 0, time.UTC)
		if m[7] != "Z" {
			h, _ := strconv.Atoi(m[7][1:3])
			mi, _ := strconv.Atoi(m[7][4:6])
			off := time.Duration(h)*time.Hour + time.Duration(mi)*time.Minute
			if m[7][0] == '-' {
				off = -off
			}
			t = t.Add(-off)
		}
		return t
	}
	t, err := s.parseInputDate(v, true) // strtotime with PHP's default timezone, UTC
	if err != nil {
		t = time.Unix(0, 0).UTC()
	}
	return s.localWall(t)
}

// localWall reads t's UTC wall clock as a wall clock in the site's timezone (get_gmt_from_date
// applied to gmdate()).
func (s *Server) localWall(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), 0, s.cfg.loc).UTC()
}
