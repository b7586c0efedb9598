package woocommerce

import (
	"context"
	"net/http"
	"net/url"
)

// pagerOrNil turns a nil options pointer into a nil interface, so list can tell "no options".
func pagerOrNil[O any, P interface {
	*O
	pager
}](p P) pager {
	if p == nil {
		return nil
	}
	return p
}

// get fetches one object.
func get[T any](ctx context.Context, c *Client, op, path string) (*T, *Response, error) {
	out := new(T)
	resp, err := c.do(ctx, op, call{method: http.MethodGet, path: path}, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// write sends a create or update and decodes the object WooCommerce returns.
func write[T any](ctx context.Context, c *Client, op string, cl call) (*T, *Response, error) {
	out := new(T)
	resp, err := c.do(ctx, op, cl, out)
	if err != nil {
		return nil, resp, err
	}
	return out, resp, nil
}

// del deletes one object. A DELETE by id is idempotent in effect: if a lost response is retried,
// the repeat finds the object trashed or gone (410 or 404) and changes nothing, so it is marked
// RetrySafe. The object is returned as it was before deletion.
func del[T any](ctx context.Context, c *Client, op, path string, force bool) (*T, *Response, error) {
	var q url.Values
	if force {
		q = url.Values{"force": {"true"}}
	}
	return write[T](ctx, c, op, call{method: http.MethodDelete, path: path, query: q, retrySafe: true})
}
