package sitoo

import (
	"context"
	"iter"
	"net/http"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// ListOptions are the paging, field and sort parameters every Sitoo collection accepts. Each
// resource's options struct embeds it.
type ListOptions struct {
	// Start is the 0-based index of the first item.
	Start int `url:"start,omitempty"`
	// Num is the page size; 0 means the client's page size (WithPageSize, default 100).
	Num int `url:"num,omitempty"`
	// Fields limits the fields returned. Sitoo advises asking only for what you use, since some
	// fields are calculated.
	Fields []string `url:"fields,comma,omitempty"`
	// Sort is a field name, "-" in front for descending, e.g. "-orderid". Not every collection
	// supports it.
	Sort string `url:"sort,omitempty"`
}

func (o *ListOptions) page() *ListOptions { return o }

// pager is implemented by every options struct through its embedded ListOptions.
type pager interface{ page() *ListOptions }

// envelope is Sitoo's collection shape.
type envelope[T any] struct {
	TotalCount int `json:"totalcount"`
	Items      []T `json:"items"`
}

// listOne fetches one page. It copies opts so the caller's struct is never modified.
func listOne[T any, O any, PO interface {
	*O
	pager
}](ctx context.Context, c *Client, path string, opts PO) ([]T, *Response, error) {
	var q O
	if opts != nil {
		q = *opts
	}
	if p := PO(&q).page(); p.Num <= 0 {
		p.Num = c.pageSize
	}
	var env envelope[T]
	resp, err := c.do(ctx, call{method: http.MethodGet, path: path, query: PO(&q)}, &env)
	if err != nil {
		return nil, resp, err
	}
	resp.TotalCount = env.TotalCount
	return env.Items, resp, nil
}

// listAll walks every page from opts.Start on, one request per page, holding one page in memory.
// It stops after the page that reaches the envelope's totalcount, so N items at page size num cost
// ceil(N/num) requests (one more only when N is 0).
func listAll[T any, O any, PO interface {
	*O
	pager
}](ctx context.Context, c *Client, path string, opts PO) iter.Seq2[T, error] {
	var q O
	if opts != nil {
		q = *opts
	}
	p := PO(&q).page()
	if p.Num <= 0 {
		p.Num = c.pageSize
	}
	num := p.Num
	return rest.Pages(ctx, p.Start, func(ctx context.Context, start int) ([]T, int, bool, error) {
		page := q // each page gets its own copy of the options
		PO(&page).page().Start = start
		items, resp, err := listOne[T](ctx, c, path, PO(&page))
		if err != nil {
			return nil, 0, false, err
		}
		next := start + len(items)
		// Without a totalcount, a short page is the last one.
		more := len(items) > 0 && (next < resp.TotalCount || (resp.TotalCount == 0 && len(items) >= num))
		return items, next, more, nil
	})
}
