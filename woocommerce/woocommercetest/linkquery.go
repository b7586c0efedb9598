package woocommercetest

import (
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
)

// pageURL builds a prev/next link the way WooCommerce's collection controllers do:
// add_query_arg('page', n, add_query_arg($request->get_query_params(), rest_url($route))).
//
// get_query_params is only the query string the client sent (WP_REST_Request's GET parameters):
// the registered defaults (context, per_page, order, orderby, ...) live apart in the request's
// "defaults" and never reach the link. The GET values are however the sanitized ones, since
// WP_REST_Server sanitizes the request before the controller runs: page, per_page and offset pass
// through absint, include, exclude, parent and parent_exclude through wp_parse_id_list (an array
// that keeps the indexes of the first occurrences), search through sanitize_text_field, and every
// other registered argument through rest_sanitize_value_from_schema (integers, "1" for true, a
// false boolean dropped, lists as indexed arrays). Unregistered parameters (oauth_*, _fields)
// stay as sent.
//
// The first add_query_arg pastes the values in unencoded; the second parses that query again
// (parse_str), URL-encodes the values, sets page (in place when the client sent one, else last),
// drops "=" after empty values and keeps anything after a '#' as the fragment.
func (c *call) pageURL(base string, n int) string {
	first := rawQuery(c.linkParams())
	frag := ""
	if i := strings.IndexByte(first, '#'); i >= 0 {
		first, frag = first[:i], first[i:]
	}
	q := parseStr(first)
	q.set("page", &phpValue{str: strconv.Itoa(n)})
	return strings.TrimSuffix(base+"?"+emptyValue.ReplaceAllString(buildQuery(q), "$1"), "?") + frag
}

// emptyValue is add_query_arg's preg_replace('#=(&|$)#', '$1', ...).
var emptyValue = regexp.MustCompile(`=(&|$)`)

// linkParams is the request's GET parameters after WP_REST_Request::sanitize_params.
func (c *call) linkParams() *phpArray {
	q := c.list
	out := newPHPArray()
	for _, k := range c.query.keys {
		v := c.query.vals[k]
		raw, registered := q.raw[k]
		switch {
		case k == "include" || k == "exclude" || q.ids[k] != nil:
			out.set(k, idListValue(c.body[k]))
		case !registered:
			out.set(k, v)
		case k == "search":
			out.set(k, &phpValue{str: sanitizeTextField(q.str(k))})
		case k == "offset":
			out.set(k, &phpValue{str: strconv.FormatInt(absint(string(raw)), 10)})
		default:
			if pv, keep := jsonToPHP(raw); keep {
				out.set(k, pv)
			}
		}
	}
	return out
}

// idListValue is wp_parse_id_list: absint of each item, duplicates removed by array_unique, which
// keeps the index of each first occurrence.
func idListValue(raw json.RawMessage) *phpValue {
	arr := newPHPArray()
	seen := map[int64]bool{}
	for i, p := range idListParts(raw) {
		if n := absint(p); !seen[n] {
			seen[n] = true
			arr.set(strconv.Itoa(i), &phpValue{str: strconv.FormatInt(n, 10)})
		}
	}
	return &phpValue{arr: arr}
}

// jsonToPHP turns a sanitized argument into what build_query prints: true is "1", a top-level
// false is dropped by add_query_arg (keep is false), null is skipped, arrays are indexed.
func jsonToPHP(raw json.RawMessage) (v *phpValue, keep bool) {
	var x any
	d := json.NewDecoder(strings.NewReader(string(raw)))
	d.UseNumber()
	if d.Decode(&x) != nil {
		return nil, false
	}
	if b, ok := x.(bool); ok && !b {
		return nil, false
	}
	return anyToPHP(x), x != nil
}

func anyToPHP(x any) *phpValue {
	switch t := x.(type) {
	case string:
		return &phpValue{str: t}
	case json.Number:
		return &phpValue{str: t.String()}
	case bool:
		if t {
			return &phpValue{str: "1"}
		}
		return &phpValue{str: "0"}
	case []any:
		arr := newPHPArray()
		for i, e := range t {
			if e != nil { // _http_build_query skips a null
				arr.set(strconv.Itoa(i), anyToPHP(e))
			}
		}
		return &phpValue{arr: arr}
	default: // objects are not among the collection arguments
		b, _ := json.Marshal(t)
		return &phpValue{str: string(b)}
	}
}

// rawQuery is build_query without URL-encoding, as the first add_query_arg call writes it.
func rawQuery(a *phpArray) string { return buildQueryWith(a, func(s string) string { return s }) }
