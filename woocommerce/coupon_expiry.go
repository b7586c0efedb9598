package woocommerce

import "time"

// CouponExpiry is the date_expires a CouponRequest sends. Build it with ExpiresAt or NeverExpires.
//
// WooCommerce applies only date_expires on a write (date_expires_gmt has no setter and is
// ignored) and reads it as an instant only in the form "2006-01-02T15:04:05Z" or with a
// "±hh:mm" offset; any other form, including fractional seconds, is taken as a wall clock in
// the site's timezone. A JSON null is ignored, so the only way to remove an expiry is "".
type CouponExpiry struct {
	at    time.Time
	never bool
}

// ExpiresAt is an expiry at instant t, sent in UTC with an explicit "Z" and truncated to the
// second (WooCommerce stores whole seconds). A zero t is refused when the request is encoded:
// use NeverExpires to remove an expiry.
func ExpiresAt(t time.Time) *CouponExpiry { return &CouponExpiry{at: t} }

// NeverExpires removes a coupon's expiry: it sends "date_expires": "".
func NeverExpires() *CouponExpiry { return &CouponExpiry{never: true} }

// Time returns the instant, or false for NeverExpires.
func (e CouponExpiry) Time() (time.Time, bool) { return e.at, !e.never }

var errZeroExpiry = &ParamError{Param: "date_expires", Reason: "zero time (use NeverExpires to remove an expiry)"}

// MarshalJSON encodes "2006-01-02T15:04:05Z", or "" for NeverExpires.
func (e CouponExpiry) MarshalJSON() ([]byte, error) {
	if e.never {
		return []byte(`""`), nil
	}
	if e.at.IsZero() {
		return nil, errZeroExpiry
	}
	t := e.at.UTC().Truncate(time.Second)
	if t.Year() < 1 || t.Year() > 9999 {
		return nil, &ParamError{Param: "date_expires", Value: t.String(), Reason: "year out of range 1-9999"}
	}
	return t.AppendFormat([]byte{'"'}, `2006-01-02T15:04:05Z"`), nil
}
