package woocommercetest

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// listSpec describes a collection's arguments (get_collection_params).
type listSpec struct {
	orderby    []string // allowed orderby values
	defOrderby string
	defOrder   string
	defPerPage int      // 0 means 10
	extra      []field  // resource-specific arguments
	idLists    []string // further wp_parse_id_list arguments (parent, product, ...)
	noDates    bool     // no after/before/modified_* arguments (terms, customers)
}

// listQuery holds a validated collection request.
type listQuery struct {
	page, perPage int
	offset        int
	hasOffset     bool
	order         string
	orderby       string
	search        string
	include       []int64
	exclude       []int64
	after, before time.Time
	modAfter      time.Time
	modBefore     time.Time
	ids           map[string][]int64         // id-list arguments
	raw           map[string]json.RawMessage // every validated argument
}

func (q *listQuery) has(name string) bool { _, ok := q.raw[name]; return ok }

func (q *listQuery) str(name string) string {
	var s string
	_ = json.Unmarshal(q.raw[name], &s)
	return s
}

func (q *listQuery) strs(name string) []string {
	var s []string
	_ = json.Unmarshal(q.raw[name], &s)
	return s
}

func (q *listQuery) boolean(name string) bool {
	var b bool
	_ = json.Unmarshal(q.raw[name], &b)
	return b
}

func (q *listQuery) integer(name string) int64 {
	var n int64
	_ = json.Unmarshal(q.raw[name], &n)
	return n
}

// listArgs validates a collection request into c.list.
func listArgs(spec listSpec) func(c *call) *wpError {
	return func(c *call) *wpError {
		fields := []field{
			integer("page"), integer("per_page"), str("search"), integer("offset"),
			enum("order", "asc", "desc"), enum("orderby", spec.orderby...),
		}
		if !spec.noDates {
			fields = append(fields,
				str("after").withFormat("date-time"), str("before").withFormat("date-time"),
				str("modified_after").withFormat("date-time"), str("modified_before").withFormat("date-time"),
				boolean("dates_are_gmt"))
		}
		fields = append(fields, spec.extra...)
		pe := &paramErrors{}
		raw := validateBody(c.body, fields, pe)
		q := &listQuery{page: 1, perPage: cmp.Or(spec.defPerPage, 10), order: cmp.Or(spec.defOrder, "desc"),
			orderby: spec.defOrderby, raw: raw, ids: map[string][]int64{}}
		if v, ok := raw["page"]; ok {
			q.page, _ = strconv.Atoi(string(v))
			if q.page < 1 {
				pe.add("page", "rest_out_of_bounds", "page must be greater than or equal to 1")
			}
		}
		if v, ok := raw["per_page"]; ok {
			q.perPage, _ = strconv.Atoi(string(v))
			if q.perPage < 1 || q.perPage > 100 {
				pe.add("per_page", "rest_out_of_bounds", "per_page must be between 1 (inclusive) and 100 (inclusive)")
			}
		}
		if v, ok := raw["offset"]; ok {
			n, _ := strconv.Atoi(string(v))
			q.offset, q.hasOffset = max(n, -n), true // absint
		}
		if _, ok := raw["order"]; ok {
			q.order = q.str("order")
		}
		if _, ok := raw["orderby"]; ok {
			q.orderby = q.str("orderby")
		}
		q.search = strings.TrimSpace(q.str("search"))
		gmt := q.boolean("dates_are_gmt")
		for _, d := range []struct {
			name string
			dst  *time.Time
		}{{"after", &q.after}, {"before", &q.before}, {"modified_after", &q.modAfter}, {"modified_before", &q.modBefore}} {
			if _, ok := raw[d.name]; ok {
				t, err := c.s.parseInputDate(q.str(d.name), gmt)
				if err != nil {
					pe.add(d.name, "rest_invalid_date", "Invalid date.")
					continue
				}
				// WP_Date_Query (and the HPOS orders query) format the bound as a MySQL
				// DATETIME, dropping any fraction of a second.
				*d.dst = t.Truncate(time.Second)
			}
		}
		if err := pe.err(); err != nil {
			return err
		}
		q.include = parseIDList(c.body["include"])
		q.exclude = parseIDList(c.body["exclude"])
		for _, name := range spec.idLists {
			if v, ok := c.body[name]; ok {
				q.ids[name] = parseIDList(v)
			}
		}
		c.list = q
		return nil
	}
}

// parseIDList is wp_parse_id_list: a JSON array or a comma/space separated string of ids, each
// passed through absint, duplicates removed. It never fails: "abc" is 0.
func parseIDList(raw json.RawMessage) []int64 {
	if raw == nil {
		return nil
	}
	var out []int64
	for _, p := range idListParts(raw) {
		if n := absint(p); !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// idListParts is wp_parse_list: the items of a JSON array, or a comma/space separated string.
func idListParts(raw json.RawMessage) []string {
	var parts []string
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) == nil {
		for _, a := range arr {
			var s string
			if json.Unmarshal(a, &s) != nil {
				s = string(a)
			}
			parts = append(parts, s)
		}
		return parts
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		s = string(raw)
	}
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' })
}

// absint is PHP's absint for a string.
func absint(s string) int64 {
	n := phpIntval(s)
	return max(n, -n)
}

// phpIntval is intval for a string: the leading integer, 0 when there is none.
func phpIntval(s string) int64 {
	s = strings.TrimSpace(s)
	end := 0
	for end < len(s) && (s[end] >= '0' && s[end] <= '9' || end == 0 && (s[end] == '-' || s[end] == '+')) {
		end++
	}
	n, _ := strconv.ParseInt(s[:end], 10, 64)
	return n
}

// sortKey is what a collection can be ordered by.
type sortKey struct {
	id       int64
	created  time.Time
	modified time.Time
	title    string
	slug     string
	num      float64 // price, menu order, popularity...
}

// keep applies include, exclude and the date arguments.
func (q *listQuery) keep(k sortKey) bool {
	if len(q.include) > 0 && !slices.Contains(q.include, k.id) {
		return false
	}
	if slices.Contains(q.exclude, k.id) {
		return false
	}
	// Dates are stored in whole seconds (Server.now) and the query's bounds were truncated to
	// whole seconds when parsed; both comparisons are exclusive, as in WooCommerce.
	if !q.after.IsZero() && !k.created.After(q.after) {
		return false
	}
	if !q.before.IsZero() && !k.created.Before(q.before) {
		return false
	}
	if !q.modAfter.IsZero() && !k.modified.After(q.modAfter) {
		return false
	}
	if !q.modBefore.IsZero() && !k.modified.Before(q.modBefore) {
		return false
	}
	return true
}

// sortItems orders items by q.orderby and q.order; ties break on id in the same direction, as
// WooCommerce adds "ID" to date and modified orderings.
func sortItems[T any](q *listQuery, items []T, key func(T) sortKey) {
	slices.SortStableFunc(items, func(a, b T) int {
		ka, kb := key(a), key(b)
		var c int
		switch q.orderby {
		case "id":
			c = cmp.Compare(ka.id, kb.id)
		case "include":
			c = cmp.Compare(slices.Index(q.include, ka.id), slices.Index(q.include, kb.id))
		case "title", "name":
			c = strings.Compare(strings.ToLower(ka.title), strings.ToLower(kb.title))
		case "slug":
			c = strings.Compare(ka.slug, kb.slug)
		case "modified":
			c = ka.modified.Compare(kb.modified)
		case "price", "popularity", "rating", "menu_order", "count":
			c = cmp.Compare(ka.num, kb.num)
		default: // date, registered_date
			c = ka.created.Compare(kb.created)
		}
		if c == 0 {
			c = cmp.Compare(ka.id, kb.id)
		}
		if q.order == "desc" {
			c = -c
		}
		return c
	})
}

// page cuts one page out of the filtered, sorted items and sets X-WP-Total, X-WP-TotalPages and
// the Link header: prev and next only, built from the request's own query parameters, in one
// header joined with ", " as WP_HTTP_Response::header does for repeated link_header calls.
func page[T any](c *call, items []T) []T {
	q := c.list
	total := len(items)
	pages := (total + q.perPage - 1) / q.perPage
	start := (q.page - 1) * q.perPage
	if q.hasOffset {
		start = q.offset
	}
	c.header.Set("X-WP-Total", strconv.Itoa(total))
	c.header.Set("X-WP-TotalPages", strconv.Itoa(pages))
	base := c.s.restURL(c.tls, c.routePath())
	var links []string
	if q.page > 1 {
		prev := min(q.page-1, pages)
		links = append(links, fmt.Sprintf("<%s>; rel=\"prev\"", c.pageURL(base, prev)))
	}
	if pages > q.page {
		links = append(links, fmt.Sprintf("<%s>; rel=\"next\"", c.pageURL(base, q.page+1)))
	}
	if len(links) > 0 {
		c.header.Set("Link", strings.Join(links, ", "))
	}
	if start >= total {
		return []T{}
	}
	return items[start:min(start+q.perPage, total)]
}

// routePath is the matched route with its ids filled in, e.g. "orders/12/refunds".
func (c *call) routePath() string {
	segs := strings.Split(c.route, "/")
	n := 0
	for i, sg := range segs {
		if sg == "#" && n < len(c.ids) {
			segs[i] = strconv.FormatInt(c.ids[n], 10)
			n++
		}
	}
	return strings.Join(segs, "/")
}

// restURL is rest_url("/wc/v3/" + path).
func (s *Server) restURL(tls bool, path string) string {
	return s.homeFor(tls) + "/wp-json/wc/v3/" + path
}

// containsFold reports whether s contains sub, case-insensitively (MySQL's LIKE with a
// case-insensitive collation).
func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
