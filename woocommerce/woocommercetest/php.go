package woocommercetest

import (
	"strconv"
	"strings"
)

// phpArray is an ordered PHP array as parse_str builds $_GET and $_POST: string keys in insertion
// order, values either strings or nested arrays. WooCommerce's OAuth check and WordPress's Link
// headers both work on this structure, so the fake parses requests the way PHP does rather than the
// way net/url does (repeated keys collapse, "a[]" builds arrays, "+" is a space).
type phpArray struct {
	keys []string
	vals map[string]*phpValue
	next int // next automatic integer index
}

// phpValue is a string or, when arr is non-nil, a nested array.
type phpValue struct {
	str string
	arr *phpArray
}

func newPHPArray() *phpArray { return &phpArray{vals: map[string]*phpValue{}} }

func (a *phpArray) len() int { return len(a.keys) }

func (a *phpArray) get(key string) (*phpValue, bool) {
	v, ok := a.vals[key]
	return v, ok
}

// str returns the string at key; ok is false when absent or when the value is an array.
func (a *phpArray) str(key string) (string, bool) {
	v, ok := a.vals[key]
	if !ok || v.arr != nil {
		return "", false
	}
	return v.str, true
}

func (a *phpArray) set(key string, v *phpValue) {
	if _, ok := a.vals[key]; !ok {
		a.keys = append(a.keys, key)
	}
	a.vals[key] = v
	if n, ok := phpIntKey(key); ok && n >= a.next {
		a.next = n + 1
	}
}

func (a *phpArray) del(key string) {
	if _, ok := a.vals[key]; !ok {
		return
	}
	delete(a.vals, key)
	for i, k := range a.keys {
		if k == key {
			a.keys = append(a.keys[:i:i], a.keys[i+1:]...)
			break
		}
	}
}

// append adds v under the next integer index, as $a[] = v does.
func (a *phpArray) append(v *phpValue) {
	a.set(strconv.Itoa(a.next), v)
}

// merge is array_merge(a, b): string keys of b overwrite (keeping a's position), integer keys are
// renumbered and appended.
func (a *phpArray) merge(b *phpArray) *phpArray {
	out := newPHPArray()
	for _, src := range []*phpArray{a, b} {
		for _, k := range src.keys {
			if _, isInt := phpIntKey(k); isInt {
				out.append(src.vals[k])
				continue
			}
			out.set(k, src.vals[k])
		}
	}
	return out
}

// phpIntKey reports whether PHP would store key as an integer array key.
func phpIntKey(key string) (int, bool) {
	if key == "" || len(key) > 18 {
		return 0, false
	}
	if key != "0" && (key[0] == '0' || strings.HasPrefix(key, "-0") || key == "-") {
		return 0, false
	}
	n, err := strconv.Atoi(key)
	return n, err == nil
}

// parseStr parses a query string or form body like PHP's parse_str.
func parseStr(raw string) *phpArray {
	out := newPHPArray()
	for _, pair := range strings.Split(raw, "&") {
		if pair == "" {
			continue
		}
		k, v, _ := strings.Cut(pair, "=")
		out.assign(phpURLDecode(k), phpURLDecode(v))
	}
	return out
}

// assign stores value under a PHP variable name such as "a", "a[]" or "a[b][c]".
func (a *phpArray) assign(name, value string) {
	name = strings.TrimLeft(name, " ")
	base, rest := name, ""
	if i := strings.IndexByte(name, '['); i > 0 && strings.IndexByte(name[i:], ']') > 0 {
		base, rest = name[:i], name[i:]
	}
	base = strings.Map(func(r rune) rune {
		if r == ' ' || r == '.' || r == '[' {
			return '_'
		}
		return r
	}, base)
	if base == "" {
		return
	}
	var subs []string
	for strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			break
		}
		subs = append(subs, rest[1:end])
		rest = rest[end+1:]
	}
	if len(subs) == 0 {
		a.set(base, &phpValue{str: value})
		return
	}
	cur := a
	key := base
	for _, sub := range subs {
		v, ok := cur.vals[key]
		if !ok || v.arr == nil {
			v = &phpValue{arr: newPHPArray()}
			cur.set(key, v)
		}
		cur = v.arr
		key = sub
		if key == "" {
			key = strconv.Itoa(cur.next)
		}
	}
	cur.set(key, &phpValue{str: value})
}

// phpURLDecode is PHP's urldecode: "+" is a space, %XX is decoded, malformed escapes stay as they are.
func phpURLDecode(s string) string {
	if !strings.ContainsAny(s, "+%") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '+':
			b = append(b, ' ')
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// phpRawURLDecode is rawurldecode: like urldecode but "+" stays a plus.
func phpRawURLDecode(s string) string {
	return phpURLDecode(strings.ReplaceAll(s, "+", "%2B"))
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

const upperHex = "0123456789ABCDEF"

// rawURLEncode is PHP's rawurlencode (RFC 3986: only A-Z a-z 0-9 - _ . ~ are left alone).
func rawURLEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	return b.String()
}

// phpURLEncode is PHP's urlencode: like rawurlencode but a space is "+" and "~" is encoded.
func phpURLEncode(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(upperHex[c>>4])
			b.WriteByte(upperHex[c&15])
		}
	}
	return b.String()
}

// buildQuery is WordPress's build_query after urlencode_deep, as add_query_arg produces it: keys as
// they are, values urlencoded, nested arrays as key%5Bsub%5D=value.
func buildQuery(a *phpArray) string { return buildQueryWith(a, phpURLEncode) }

// buildQueryWith is _http_build_query with the given value encoder.
func buildQueryWith(a *phpArray, encode func(string) string) string {
	var parts []string
	var walk func(prefix string, arr *phpArray)
	walk = func(prefix string, arr *phpArray) {
		for _, k := range arr.keys {
			name := k
			if prefix != "" {
				name = prefix + "%5B" + k + "%5D"
			}
			v := arr.vals[k]
			if v.arr != nil {
				walk(name, v.arr)
				continue
			}
			parts = append(parts, name+"="+encode(v.str))
		}
	}
	walk("", a)
	return strings.Join(parts, "&")
}

// clone copies the array deeply enough to change top-level keys.
func (a *phpArray) clone() *phpArray {
	out := newPHPArray()
	for _, k := range a.keys {
		out.set(k, a.vals[k])
	}
	out.next = a.next
	return out
}
