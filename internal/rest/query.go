package rest

import (
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strings"

	"github.com/google/go-querystring/query"
)

// EncodeQuery turns q into query values: a struct (or pointer to one) with `url:"..."` tags via
// go-querystring, url.Values as is, or nil. Comma-joined lists use the tag option `url:"name,comma"`.
func EncodeQuery(q any) (url.Values, error) {
	switch v := q.(type) {
	case nil:
		return nil, nil
	case url.Values:
		return v, nil
	}
	rv := reflect.ValueOf(q)
	if rv.Kind() == reflect.Pointer && rv.IsNil() {
		return nil, nil
	}
	values, err := query.Values(q)
	if err != nil {
		return nil, fmt.Errorf("rest: encode query: %w", err)
	}
	return values, nil
}

// EncodeValues encodes values sorted by key like url.Values.Encode, but with RFC 3986 escaping
// (a space is %20, not +), the form OAuth 1.0a signature checks and PHP's rawurlencode expect.
func EncodeValues(v url.Values) string {
	if len(v) == 0 {
		return ""
	}
	keys := make([]string, 0, len(v))
	for k := range v {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for _, k := range keys {
		ek := Escape(k)
		for _, val := range v[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			b.WriteString(ek)
			b.WriteByte('=')
			b.WriteString(Escape(val))
		}
	}
	return b.String()
}

// Escape percent-encodes everything except RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~).
// Use it for path segments and query components.
func Escape(s string) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if !unreserved(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hex = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved(c) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hex[c>>4], hex[c&15])
	}
	return string(b)
}

func unreserved(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
		c == '-' || c == '.' || c == '_' || c == '~'
}

// JoinPath joins path segments, escaping each one with Escape, so that user data (an email, a
// reason text, an SKU) can never change the route: JoinPath("points", "a/b@x.com", "7")
// is "points/a%2Fb%40x.com/7". A segment that is "." or ".." is sent as %2E or %2E%2E, so it
// is not resolved as a dot segment either. Format numbers before passing them.
func JoinPath(segments ...string) string {
	escaped := make([]string, len(segments))
	for i, s := range segments {
		switch s {
		case ".":
			escaped[i] = "%2E"
		case "..":
			escaped[i] = "%2E%2E"
		default:
			escaped[i] = Escape(s)
		}
	}
	return strings.Join(escaped, "/")
}

// hasDotDotSegment reports whether a relative reference contains a ".." path segment, which
// would climb out of the base URL's path.
func hasDotDotSegment(path string) bool {
	if i := strings.IndexAny(path, "?#"); i >= 0 {
		path = path[:i]
	}
	for seg := range strings.SplitSeq(path, "/") {
		if seg == ".." {
			return true
		}
	}
	return false
}
