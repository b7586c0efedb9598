package woocommercetest

import (
	"errors"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

const wcDateLayout = "2006-01-02T15:04:05"

// localDate is wc_rest_prepare_date_response($date, false): the site-local wall clock without a
// zone, or null.
func (s *Server) localDate(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	v := t.In(s.cfg.loc).Format(wcDateLayout)
	return &v
}

// gmtDate is wc_rest_prepare_date_response($date): UTC without a zone, or null.
func gmtDate(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	v := t.UTC().Format(wcDateLayout)
	return &v
}

var errBadDate = errors.New("invalid date")

// parseInputDate reads an ISO 8601 date argument. A value without a zone is a wall clock in the site
// timezone, or in UTC when gmt is true; a value with a zone names its instant.
func (s *Server) parseInputDate(v string, gmt bool) (time.Time, error) {
	v = strings.TrimSpace(v)
	loc := s.cfg.loc
	if gmt {
		loc = time.UTC
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t.UTC(), nil
		}
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05-07", "2006-01-02 15:04:05Z07:00"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, errBadDate
}

// money formats an amount with the store's decimals, as wc_format_decimal($v, $dp) does.
func (s *Server) money(d decimal.Decimal) string { return d.StringFixed(int32(s.cfg.decimals)) }

// moneyDP formats with an explicit number of decimals (the dp argument).
func moneyDP(d decimal.Decimal, dp int) string { return d.StringFixed(int32(dp)) }

// formatDecimal is wc_format_decimal without $dp: the store's decimal separator becomes a dot,
// everything but digits, dots and minus signs is dropped, and only the last dot is kept. It is
// what WooCommerce stores for a price, so "12,50" in a dot store becomes "1250".
func (s *Server) formatDecimal(v string) string {
	v = strings.TrimSpace(v)
	if s.cfg.decimalSep != "" && s.cfg.decimalSep != "." {
		v = strings.ReplaceAll(v, s.cfg.decimalSep, ".")
	}
	var b strings.Builder
	for _, r := range v {
		if r >= '0' && r <= '9' || r == '.' || r == '-' {
			b.WriteRune(r)
		}
	}
	v = b.String()
	if i := strings.LastIndexByte(v, '.'); i >= 0 {
		v = strings.ReplaceAll(v[:i], ".", "") + v[i:]
	}
	return v
}

// decimalOf parses a formatted decimal; "" and garbage are zero.
func decimalOf(v string) decimal.Decimal {
	d, err := decimal.NewFromString(v)
	if err != nil {
		return decimal.Zero
	}
	return d
}
