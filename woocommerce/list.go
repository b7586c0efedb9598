package woocommerce

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// MaxPerPage is the largest page size WooCommerce accepts (larger values fail with 400
// rest_invalid_param, so the client rejects them before sending).
const MaxPerPage = 100

// defaultPerPage is WooCommerce's page size when per_page is not sent.
const defaultPerPage = 10

// Order directions for ListOptions.Order.
const (
	Ascending  = "asc"
	Descending = "desc"
)

// OrderByID sorts by object id (ListOptions.OrderBy); every collection accepts it.
const OrderByID = "id"

// StableOrder is the sort for walks over a collection that changes meanwhile: ascending by id.
// Set it in the ListOptions of an All call (opts.ListOptions = woocommerce.StableOrder(), then
// PerPage as wanted). See the note on paging in the package documentation.
func StableOrder() ListOptions { return ListOptions{Order: Ascending, OrderBy: OrderByID} }

// ListOptions are the pagination and sorting parameters every collection accepts. They are
// embedded in each resource's list options.
type ListOptions struct {
	// Page is the 1-based page to fetch; 0 means 1. All ignores it and starts at Page (or 1).
	Page int `url:"page,omitempty"`
	// PerPage is the page size, 1..100; 0 means the server default (10).
	PerPage int `url:"per_page,omitempty"`
	// Offset skips that many items (it overrides Page on the server).
	Offset int `url:"offset,omitempty"`
	// Order is Ascending or Descending (server default: desc).
	Order string `url:"order,omitempty"`
	// OrderBy names the sort field; the allowed values depend on the resource (date, id, include,
	// title, slug, modified, ...).
	OrderBy string `url:"orderby,omitempty"`
}

func (o *ListOptions) listOptions() *ListOptions { return o }

// pager is implemented by every list options type through its embedded ListOptions.
type pager interface {
	listOptions() *ListOptions
}

// validate rejects what WooCommerce would reject, before any request.
func (o *ListOptions) validate() error {
	if o.PerPage < 0 || o.PerPage > MaxPerPage {
		return &ParamError{Param: "per_page", Value: strconv.Itoa(o.PerPage), Reason: "must be between 1 and 100"}
	}
	if o.Page < 0 {
		return &ParamError{Param: "page", Value: strconv.Itoa(o.Page), Reason: "must be 1 or more"}
	}
	if o.Offset < 0 {
		return &ParamError{Param: "offset", Value: strconv.Itoa(o.Offset), Reason: "must not be negative"}
	}
	if o.Order != "" && o.Order != Ascending && o.Order != Descending {
		return &ParamError{Param: "order", Value: o.Order, Reason: `must be "asc" or "desc"`}
	}
	return nil
}

// DateFilter holds the date range filters of orders, products, coupons and customers.
// Times are sent in UTC together with dates_are_gmt=true, so they mean the same instant whatever
// the site's timezone.
//
// Every bound is exclusive and has whole-second precision: the time is truncated to the second
// before it is sent, and WooCommerce stores dates in whole seconds and compares with > and <.
// ModifiedAfter: t therefore leaves out objects modified during the second of t itself
// (t.Truncate(time.Second)); to include them, pass t.Truncate(time.Second).Add(-time.Second).
type DateFilter struct {
	// After and Before bound the creation date (exclusive, whole seconds).
	After  time.Time `url:"after,omitempty"`
	Before time.Time `url:"before,omitempty"`
	// ModifiedAfter and ModifiedBefore bound the last modification date (exclusive, whole
	// seconds; WooCommerce 5.8+).
	ModifiedAfter  time.Time `url:"modified_after,omitempty"`
	ModifiedBefore time.Time `url:"modified_before,omitempty"`
}

// dateParams are the query parameters rewritten to UTC by encodeListQuery.
var dateParams = [...]string{"after", "before", "modified_after", "modified_before"}

// encodeListQuery encodes options, rewriting time filters as zone-less UTC and adding
// dates_are_gmt=true when there are any.
func encodeListQuery(opts any) (url.Values, error) {
	v, err := rest.EncodeQuery(opts)
	if err != nil {
		return nil, &ParamError{Param: "list options", Reason: err.Error()}
	}
	gmt := false
	for _, k := range dateParams {
		s := v.Get(k)
		if s == "" {
			continue
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, &ParamError{Param: k, Value: s, Reason: "not a timestamp"}
		}
		v.Set(k, t.UTC().Format("2006-01-02T15:04:05"))
		gmt = true
	}
	if gmt {
		v.Set("dates_are_gmt", "true")
	}
	return v, nil
}

// list fetches one page of a collection.
func list[T any](ctx context.Context, c *Client, op, path string, opts pager) ([]T, *Response, error) {
	var q url.Values
	perPage := defaultPerPage
	if opts != nil {
		lo := opts.listOptions()
		if err := lo.validate(); err != nil {
			return nil, nil, invalid(op, err)
		}
		if lo.PerPage > 0 {
			perPage = lo.PerPage
		}
		var err error
		if q, err = encodeListQuery(opts); err != nil {
			return nil, nil, invalid(op, err)
		}
	}
	// Sized for a full page: the decoder fills it in place instead of growing (and copying) a slice
	// of large structs several times.
	items := make([]T, 0, perPage)
	resp, err := c.do(ctx, op, call{method: http.MethodGet, path: path, query: q}, &items)
	if err != nil {
		return nil, resp, err
	}
	return items, resp, nil
}

// all walks every page from opts.Page (or 1) lazily. It works on a copy of *opts, so the caller's
// struct is never modified. In a StableOrder walk it never yields an id twice: an object that
// enters the filtered set behind the walk's position (modified_after) shifts later pages by one.
func all[T any, O any, P interface {
	*O
	pager
}](ctx context.Context, c *Client, op, path string, opts P, idOf func(*T) int64) iter.Seq2[T, error] {
	var local O
	if opts != nil {
		local = *opts
	}
	p := P(&local)
	lo := p.listOptions()
	first := max(lo.Page, 1)
	pages := rest.Pages(ctx, first, func(ctx context.Context, page int) ([]T, int, bool, error) {
		lo.Page = page
		items, resp, err := list[T](ctx, c, op, path, p)
		if err != nil {
			return nil, 0, false, err
		}
		next := nextPage(resp, page, len(items))
		return items, next, next > page, nil
	})
	if lo.OrderBy != OrderByID || lo.Order != Ascending {
		return pages
	}
	return func(yield func(T, error) bool) {
		last := int64(-1 << 63)
		for it, err := range pages {
			if err == nil {
				id := idOf(&it)
				if id <= last {
					continue
				}
				last = id
			}
			if !yield(it, err) {
				return
			}
		}
	}
}

// nextPage decides where a walk continues: the Link header first, then X-WP-TotalPages; without
// either the collection is a single page. An empty page always ends the walk.
func nextPage(resp *Response, page, n int) int {
	switch {
	case n == 0:
		return 0
	case resp.NextPage > page:
		return resp.NextPage
	case resp.NextPage != 0:
		return 0 // a next link that does not move forward would loop
	case resp.TotalPages > page:
		return page + 1
	}
	return 0
}
