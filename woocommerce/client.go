package woocommerce

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// APIPath is the path of the WooCommerce REST API v3 below the store URL.
const APIPath = "wp-json/wc/v3/"

// Client talks to one WooCommerce store. Create it with NewClient; it is safe for concurrent
// use, and all services share its transport, retry policy and rate limiter.
type Client struct {
	rest           *rest.Client
	auth           authMethod
	methodOverride bool
	priceDecimals  int // digits after the point written in request amounts

	common service // shared by all services, as in go-github

	// Orders manages orders (/orders).
	Orders *OrdersService
	// OrderNotes manages the notes of an order (/orders/{id}/notes).
	OrderNotes *OrderNotesService
	// Refunds manages the refunds of an order (/orders/{id}/refunds).
	Refunds *RefundsService
	// Products manages products (/products).
	Products *ProductsService
	// Variations manages the variations of a variable product (/products/{id}/variations).
	Variations *VariationsService
	// Categories manages product categories (/products/categories).
	Categories *CategoriesService
	// Coupons manages coupons (/coupons).
	Coupons *CouponsService
	// Customers manages customers (/customers).
	Customers *CustomersService
	// Webhooks manages webhook subscriptions (/webhooks). To receive deliveries, see
	// NewWebhookHandler and ParseDelivery.
	Webhooks *WebhooksService
	// SystemStatus reads the store's environment and settings (/system_status).
	SystemStatus *SystemStatusService
}

type service struct {
	client *Client
}

// NewClient returns a client for the store at storeURL (the WordPress home URL, e.g.
// "https://shop.example.com" or "https://example.com/shop"), authenticating with a REST API
// consumer key and secret as WooCommerce does:
//
//   - https:// → HTTP Basic authentication (or query-string credentials with WithQueryStringAuth);
//   - http:// → OAuth 1.0a one-legged signatures (HMAC-SHA256 unless WithOAuthSignatureMethod),
//     freshly signed on every attempt. WooCommerce ignores Basic credentials over plain HTTP, so
//     WithQueryStringAuth with an http:// URL is an error rather than a misleading 401 later.
//
// The store URL must match the site's home URL exactly (scheme, "www.", sub-directory): OAuth
// signatures cover it. Options are applied in order; nil options are ignored. A store URL,
// credentials or option value the client cannot use makes NewClient fail with an error that
// matches ErrInvalidArgument: "woocommerce: new client: …", or "woocommerce: WithRetry: …" for an
// option.
func NewClient(storeURL, consumerKey, consumerSecret string, opts ...Option) (*Client, error) {
	if consumerKey == "" || consumerSecret == "" {
		return nil, newClientError(errors.New("consumer key and secret are required"))
	}
	u, err := url.Parse(strings.TrimSpace(storeURL))
	if err != nil {
		return nil, newClientError(fmt.Errorf("invalid store URL: %w", err))
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, newClientError(fmt.Errorf("store URL %q must be an absolute http:// or https:// URL", storeURL))
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return nil, newClientError(fmt.Errorf("store URL %q must not carry a query, fragment or user info", storeURL))
	}
	var cfg config
	if err := rest.ApplyOptions(&cfg, opts); err != nil {
		return nil, optionError(err)
	}
	base := strings.TrimSuffix(u.String(), "/") + "/" + APIPath
	c := &Client{methodOverride: cfg.methodOverride, priceDecimals: DefaultPriceDecimals}
	if cfg.priceDecimals != nil {
		c.priceDecimals = *cfg.priceDecimals
	}
	rc := rest.Config{BaseURL: base, API: "woocommerce", ErrTransport: ErrTransport, ErrDecode: ErrDecode}
	if err := rc.Apply(cfg.rest...); err != nil {
		return nil, optionError(err)
	}
	if err := configureAuth(&rc, &cfg, u.Scheme, consumerKey, consumerSecret, &c.auth); err != nil {
		return nil, newClientError(err)
	}
	rc.DecodeError = func(resp *http.Response, body []byte) error {
		return newAPIError(resp, body, c.auth)
	}
	rc.Unmarshal = unmarshalJSON
	rc2, err := rest.New(rc)
	if err != nil {
		return nil, newClientError(err)
	}
	c.rest = rc2
	c.common.client = c
	c.Orders = (*OrdersService)(&c.common)
	c.OrderNotes = (*OrderNotesService)(&c.common)
	c.Refunds = (*RefundsService)(&c.common)
	c.Products = (*ProductsService)(&c.common)
	c.Variations = (*VariationsService)(&c.common)
	c.Categories = (*CategoriesService)(&c.common)
	c.Coupons = (*CouponsService)(&c.common)
	c.Customers = (*CustomersService)(&c.common)
	c.Webhooks = (*WebhooksService)(&c.common)
	c.SystemStatus = (*SystemStatusService)(&c.common)
	return c, nil
}

// newClientError reports a store URL, credentials or setting NewClient cannot use:
// "woocommerce: new client: ... (woocommerce: invalid argument)".
func newClientError(err error) error {
	return fmt.Errorf("woocommerce: new client: %w (%w)", err, ErrInvalidArgument)
}

// optionError reports an option's refusal: "woocommerce: WithRetry: ... (woocommerce: invalid
// argument)".
func optionError(err error) error {
	return fmt.Errorf("woocommerce: %w (%w)", err, ErrInvalidArgument)
}

// BaseURL returns a copy of the API base URL, e.g. https://shop.example.com/wp-json/wc/v3/.
func (c *Client) BaseURL() *url.URL { return c.rest.BaseURL() }

// AuthMethod names how the client authenticates: "basic", "query-string" or "oauth1".
func (c *Client) AuthMethod() string { return c.auth.String() }

// call is one API request as the services describe it.
type call struct {
	method    string
	path      string
	query     any
	body      any
	retrySafe bool
}

// do sends a call and decodes the 2xx body into out. op names the operation in errors
// ("get order 7").
func (c *Client) do(ctx context.Context, op string, cl call, out any) (*Response, error) {
	req := &rest.Request{Method: cl.method, Path: cl.path, Query: cl.query, RetrySafe: cl.retrySafe}
	if cl.body != nil {
		b, err := encodeRequestBody(cl.body, c.priceDecimals)
		if err != nil {
			if !errors.Is(err, ErrInvalidArgument) {
				err = &ParamError{Param: "request body", Reason: err.Error()}
			}
			return nil, fmt.Errorf("woocommerce: %s: encode request: %w", op, err)
		}
		req.Body = b
	}
	if c.methodOverride && (cl.method == http.MethodPut || cl.method == http.MethodDelete || cl.method == http.MethodPatch) {
		req.Method = http.MethodPost
		req.Header = http.Header{"X-Http-Method-Override": {cl.method}}
	}
	rr, err := c.rest.Do(ctx, req, out)
	resp := newResponse(rr)
	if err != nil {
		return resp, fmt.Errorf("woocommerce: %s: %w", op, err)
	}
	return resp, nil
}

// Response is the HTTP response of a call, with WooCommerce's pagination headers parsed.
type Response struct {
	*http.Response

	// Body is the raw response body (a leading UTF-8 BOM removed).
	Body []byte
	// Attempts is how many times the request was sent (retries included).
	Attempts int

	// Total is X-WP-Total, the number of items in the whole collection, or -1 when the server
	// did not send it (unpaginated endpoints, some caching proxies).
	Total int
	// TotalPages is X-WP-TotalPages, or -1 when absent.
	TotalPages int
	// NextPage and PrevPage are the page numbers the Link header points to (rel="next" and
	// rel="prev", the only relations WooCommerce emits), or 0 when there is none.
	NextPage int
	PrevPage int
}

func newResponse(rr *rest.Response) *Response {
	if rr == nil {
		return nil
	}
	r := &Response{Response: rr.Response, Body: rr.Body, Attempts: rr.Attempts, Total: -1, TotalPages: -1}
	if n, err := strconv.Atoi(strings.TrimSpace(rr.Header.Get("X-WP-Total"))); err == nil && n >= 0 {
		r.Total = n
	}
	if n, err := strconv.Atoi(strings.TrimSpace(rr.Header.Get("X-WP-TotalPages"))); err == nil && n >= 0 {
		r.TotalPages = n
	}
	for _, v := range rr.Header.Values("Link") {
		for _, l := range parseLinkHeader(v) {
			switch l.rel {
			case "next":
				r.NextPage = l.page
			case "prev":
				r.PrevPage = l.page
			}
		}
	}
	return r
}

type link struct {
	rel  string
	page int
}

// parseLinkHeader reads RFC 8288 links (<url>; rel="next", <url>; rel="prev") and returns the page
// query parameter of each. It tolerates commas inside the URL and unknown parameters, and skips
// links it cannot read.
func parseLinkHeader(v string) []link {
	var out []link
	for {
		start := strings.IndexByte(v, '<')
		if start < 0 {
			return out
		}
		end := strings.IndexByte(v[start:], '>')
		if end < 0 {
			return out
		}
		target := v[start+1 : start+end]
		v = v[start+end+1:]
		params := v
		if next := strings.IndexByte(v, '<'); next >= 0 {
			params = v[:next]
		}
		params = strings.TrimRight(strings.TrimSpace(params), ", ")
		rel := ""
		for _, p := range strings.Split(params, ";") {
			k, val, ok := strings.Cut(strings.TrimSpace(p), "=")
			if !ok || !strings.EqualFold(strings.TrimSpace(k), "rel") {
				continue
			}
			rel = strings.ToLower(strings.Trim(strings.TrimSpace(val), `"`))
		}
		pu, err := url.Parse(target)
		if err != nil || rel == "" {
			continue
		}
		page, err := strconv.Atoi(pu.Query().Get("page"))
		if err != nil || page < 1 {
			page = 1 // WooCommerce drops page=1 from the prev link of page 2
		}
		for _, r := range strings.Fields(rel) {
			out = append(out, link{rel: r, page: page})
		}
	}
}
