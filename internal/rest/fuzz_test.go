package rest

import (
	"net/http"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

var fuzzNow = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", " 0 ", "-5", "1.5", "99999999999999999999", "Wed, 21 Oct 2015 07:28:00 GMT",
		"Sunday, 01-Mar-26 12:00:30 GMT", "Sun Mar  1 12:01:00 2026", "soon", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := ParseRetryAfter(v, fuzzNow)
		if !ok {
			if d != 0 {
				t.Fatalf("%q: not ok but wait %s", v, d)
			}
			return
		}
		if d < 0 {
			t.Fatalf("%q: negative wait %s", v, d)
		}
		if _, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64); err == nil && d > 365*24*time.Hour {
			t.Fatalf("%q: delay seconds not capped at a year: %s", v, d)
		}
	})
}

func FuzzParseResetHeader(f *testing.F) {
	for _, s := range []string{"30", "0", "1.5", "999999999", "1000000000", "1772366400.25", "-1", "NaN", "Inf",
		"1e12", "0x1p4", "1_0", " 7 ", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		reset, ok := ParseResetHeader(v, fuzzNow)
		if !ok {
			if !reset.IsZero() {
				t.Fatalf("%q: not ok but reset %v", v, reset)
			}
			return
		}
		// A delay lands between now and 31.7 years on; an epoch between 2001 and 5138.
		earliest := time.Unix(epochThreshold, 0)
		if reset.Before(earliest) && reset.Before(fuzzNow) {
			t.Fatalf("%q: reset %v lies before both now and the epoch threshold", v, reset)
		}
		if reset.After(time.Unix(1e11+1, 0)) {
			t.Fatalf("%q: reset %v too far ahead", v, reset)
		}
	})
}

func FuzzParseRateLimitHeaders(f *testing.F) {
	f.Add("X-RateLimit-", "100", "42", "60")
	f.Add("X-Rate-Limit-", "10", "0", "1772366460")
	f.Add("RateLimit-", "100, 100;w=60", "7", "5")
	f.Add("X-RateLimit-", "", "-3", "NaN")
	f.Add("Other-", "1", "1", "1")
	f.Fuzz(func(t *testing.T, prefix, limit, remaining, reset string) {
		h := http.Header{}
		h.Set(prefix+"Limit", limit)
		h.Set(prefix+"Remaining", remaining)
		h.Set(prefix+"Reset", reset)
		rl, ok := ParseRateLimitHeaders(h, fuzzNow)
		if !ok {
			if rl != (RateLimit{}) {
				t.Fatalf("not ok but %+v", rl)
			}
			return
		}
		if rl.Limit < -1 || rl.Remaining < -1 {
			t.Fatalf("negative counts %+v from %v", rl, h)
		}
		if rl.Limit == -1 && rl.Remaining == -1 && rl.Reset.IsZero() {
			t.Fatalf("ok with no signal from %v", h)
		}
	})
}

func FuzzEscape(f *testing.F) {
	for _, s := range []string{"", "a b", "a+b", "ann@example.com", "50% off/now?", "Växjö", "\x00\xff", "..", "~._-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e := Escape(s)
		for i := 0; i < len(e); i++ {
			if c := e[i]; !unreserved(c) && c != '%' {
				t.Fatalf("Escape(%q) = %q keeps reserved byte %q", s, e, c)
			}
		}
		for _, unescape := range []func(string) (string, error){url.PathUnescape, url.QueryUnescape} {
			back, err := unescape(e)
			if err != nil || back != s {
				t.Fatalf("Escape(%q) = %q unescapes to %q (%v)", s, e, back, err)
			}
		}
		seg := JoinPath(s)
		if strings.Contains(seg, "/") || seg == "." || seg == ".." {
			t.Fatalf("JoinPath(%q) = %q is not a single opaque segment", s, seg)
		}
		if back, err := url.PathUnescape(seg); err != nil || back != s {
			t.Fatalf("JoinPath(%q) = %q unescapes to %q (%v)", s, seg, back, err)
		}
	})
}

func FuzzEncodeValues(f *testing.F) {
	f.Add("search", "blue shirt", "include", "1,2,3", "b")
	f.Add("a+b", "c&d=e", "x;y", "%zz", "")
	f.Add("", "", "k", "é", "\x00")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, v3 string) {
		in := url.Values{}
		in.Add(k1, v1)
		in.Add(k2, v2)
		in.Add(k2, v3)
		enc := EncodeValues(in)
		back, err := url.ParseQuery(enc)
		if err != nil {
			t.Fatalf("EncodeValues(%v) = %q does not parse: %v", in, enc, err)
		}
		if !reflect.DeepEqual(in, back) {
			t.Fatalf("EncodeValues(%v) = %q parses back to %v", in, enc, back)
		}
	})
}
