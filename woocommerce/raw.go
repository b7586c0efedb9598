package woocommerce

import (
	"context"
	"fmt"
	"net/http"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// NewRequest builds a request for an endpoint the client does not model (reports, settings,
// shipping zones, ...). path is relative to the API base (".../wp-json/wc/v3/") and may carry a
// query ("reports/sales?period=week"); body is encoded as JSON unless it is nil or a []byte (sent
// as is). Credentials are added when Do sends it; the caller may add headers before. Amounts in
// body are sent as given (WithPriceDecimals applies to the modelled requests only).
func (c *Client) NewRequest(method, path string, body any) (*http.Request, error) {
	req, err := c.rest.NewRequest(method, path, body)
	if err != nil {
		return nil, fmt.Errorf("woocommerce: new request %s %s: %w", method, path, err)
	}
	return req, nil
}

// Do sends req (usually from NewRequest) with the client's authentication, retries and pacing,
// and decodes a 2xx JSON body into out (an io.Writer receives the raw body; nil discards it). GET,
// HEAD and OPTIONS are retried on network errors and 429, 502, 503 and 504, any other method only
// on 429, since it may have been applied although its response was lost. A non-2xx response is
// an *APIError, returned with the Response.
func (c *Client) Do(ctx context.Context, req *http.Request, out any) (*Response, error) {
	rr, err := c.rest.DoHTTP(ctx, req, out)
	if err != nil {
		err = fmt.Errorf("woocommerce: %s: %w", rest.RequestOp(req), err)
	}
	return newResponse(rr), err
}
