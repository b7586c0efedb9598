package sitoo

import (
	"context"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// Hosts Sitoo documents. Accounts live on different hosts (api130., api201., ... exist too): use
// the base URL Backoffice shows when you create the API password.
const (
	ProductionHost = "https://api.mysitoo.com"
	SandboxHost    = "https://api-sandbox.mysitoo.com"
)

// Defaults for paging and batching.
const (
	// DefaultPageSize is the "num" sent when a list call leaves it zero. Sitoo's own default is
	// 10; its maximum is not documented (1000 is used by integrations in the wild).
	DefaultPageSize = 100
	// DefaultBatchSize is how many items one batch request carries. Sitoo documents no limit
	// except for warehouse transactions; integrations use 50 to 100.
	DefaultBatchSize = 100
	// MaxTransactionItems is Sitoo's documented limit of items in one warehouse transactions
	// request.
	MaxTransactionItems = 1000
)

// RateLimit is the latest rate-limit signal Sitoo sent (X-Rate-Limit-Limit, -Remaining, -Reset).
// A field the server did not send is -1 (Limit, Remaining) or the zero time (Reset).
type RateLimit = rest.RateLimit

// Client talks to one Sitoo account. It is safe for concurrent use. Site-level resources hang off
// a Site (client.Site(1).Products); account-level ones hang off the Client (client.Orders lists
// orders across every site).
type Client struct {
	rc        *rest.Client
	pageSize  int
	batchSize int

	sites   sync.Map // int64 -> *Site
	whTypes sync.Map // warehouseKey -> WarehouseType

	// Orders lists orders across all sites of the account (GET /orders.json).
	Orders *AccountOrdersService
	// Sites lists the account's sites (GET /sites.json).
	Sites *SitesService
}

// Option configures a Client.
type Option func(*options) error

type options struct {
	rest      []rest.Option
	pageSize  int
	batchSize int
}

// WithHTTPClient sends requests through a copy of hc (its Transport and Timeout are used).
func WithHTTPClient(hc *http.Client) Option { return restOption(rest.WithHTTPClient(hc)) }

// WithLogger logs one debug record per HTTP attempt, with credentials redacted.
func WithLogger(l *slog.Logger) Option { return restOption(rest.WithLogger(l)) }

// WithUserAgent puts ua in front of the library's User-Agent.
func WithUserAgent(ua string) Option { return restOption(rest.WithUserAgent(ua)) }

// WithRetry sets how often a failed request is retried (0 disables retries) and the exponential
// back-off bounds. A 429 is always retried within this budget, honouring Retry-After and
// X-Rate-Limit-Reset.
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return restOption(rest.WithRetry(maxRetries, waitMin, waitMax))
}

// WithRateLimit paces requests client-side to perSecond with bursts of burst. Without it the
// client sends as fast as Sitoo allows and slows down on the X-Rate-Limit-* headers Sitoo sends.
func WithRateLimit(perSecond float64, burst int) Option {
	return restOption(rest.WithRateLimit(perSecond, burst))
}

// WithMaxRetryAfter sets the longest server-requested wait the client sleeps through before a
// retry; a longer one returns the 429 to the caller (ErrRateLimited). Default 2 minutes.
func WithMaxRetryAfter(d time.Duration) Option { return restOption(rest.WithMaxRetryAfter(d)) }

// WithClock makes the client read the time from now: to pace requests by Sitoo's
// X-Rate-Limit-* headers and to turn a reset or Retry-After into a wait. The waits themselves
// are real timers unless WithSleep replaces them; with a clock alone it must advance at least as
// fast as real time. nil is an error.
func WithClock(now func() time.Time) Option { return restOption(rest.WithClock(now)) }

// WithSleep makes the client wait through sleep instead of a real timer: pacing by the
// X-Rate-Limit-* headers or WithRateLimit, the back-off between retries and Retry-After or reset
// waits. sleep returns once d has passed, or ctx.Err() as soon as ctx is done. With WithClock it
// runs the client on virtual time: tests give client and fake (sitootest.WithClock) one clock
// that advances when the client sleeps, independent of the machine's speed. nil is an error.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return restOption(rest.WithSleep(sleep))
}

// WithPageSize sets the "num" used by List and All when the options leave it zero. n must be
// positive.
func WithPageSize(n int) Option {
	return func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("WithPageSize: page size must be positive, got %d", n)
		}
		o.pageSize = n
		return nil
	}
}

// WithBatchSize sets how many items one batch request carries; longer batches are split. n must
// be positive.
func WithBatchSize(n int) Option {
	return func(o *options) error {
		if n <= 0 {
			return fmt.Errorf("WithBatchSize: batch size must be positive, got %d", n)
		}
		o.batchSize = n
		return nil
	}
}

// optionError reports an option's refusal: "sitoo: WithRetry: ... (sitoo: invalid argument)".
func optionError(err error) error {
	return fmt.Errorf("sitoo: %w (%w)", err, ErrInvalidArgument)
}

func restOption(r rest.Option) Option {
	return func(o *options) error {
		o.rest = append(o.rest, r)
		return nil
	}
}

// NewClient returns a client for the account at baseURL, which includes the account, e.g.
// "https://api.mysitoo.com/v2/accounts/10020" (see AccountURL). apiID and password are the
// credentials created in Backoffice under Settings → Sitoo REST API, sent with HTTP Basic auth.
//
// A test and a live installation are two accounts with unrelated ids: make two clients.
//
// Options are applied in order; nil options are ignored. An option given a value it cannot use
// makes NewClient fail with an error naming the option that matches ErrInvalidArgument.
func NewClient(baseURL, apiID, password string, opts ...Option) (*Client, error) {
	if apiID == "" || password == "" {
		return nil, wrapErr("new client", invalidArg("API ID and password are required"))
	}
	o := options{pageSize: DefaultPageSize, batchSize: DefaultBatchSize}
	if err := rest.ApplyOptions(&o, opts); err != nil {
		return nil, optionError(err)
	}
	cfg := rest.Config{
		BaseURL: strings.TrimSuffix(baseURL, "/"),
		API:     "sitoo",
		Authenticate: func(r *http.Request) error {
			r.SetBasicAuth(apiID, password)
			return nil
		},
		DecodeError:          decodeAPIError,
		RateLimitFromHeaders: rest.ParseRateLimitHeaders, // X-Rate-Limit-*; reset as seconds or epoch
		ErrTransport:         ErrTransport,
		ErrDecode:            ErrDecode,
	}
	if err := cfg.Apply(o.rest...); err != nil {
		return nil, optionError(err)
	}
	rc, err := rest.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("sitoo: new client: %w (%w)", err, ErrInvalidArgument)
	}
	c := &Client{rc: rc, pageSize: o.pageSize, batchSize: o.batchSize}
	c.Orders = &AccountOrdersService{c: c}
	c.Sites = &SitesService{c: c}
	return c, nil
}

// AccountIDFromAPIID returns the account id, the first section of an API ID: "10020" for
// "10020-140".
func AccountIDFromAPIID(apiID string) (string, error) {
	acct, _, ok := strings.Cut(apiID, "-")
	if !ok || acct == "" {
		return "", invalidArg("API ID %q has no account prefix", apiID)
	}
	for _, r := range acct {
		if r < '0' || r > '9' {
			return "", invalidArg("API ID %q has a non-numeric account prefix", apiID)
		}
	}
	return acct, nil
}

// AccountURL joins a host and an account id into a base URL for NewClient:
// AccountURL(ProductionHost, "10020") is "https://api.mysitoo.com/v2/accounts/10020".
func AccountURL(host, accountID string) string {
	return strings.TrimSuffix(host, "/") + "/v2/accounts/" + rest.Escape(accountID)
}

// RateLimit returns the latest rate-limit headers Sitoo sent and whether any were seen, so a
// caller can check the remaining budget before a full sync. The client also paces itself by them.
func (c *Client) RateLimit() (RateLimit, bool) { return c.rc.RateLimit() }

// Site returns the view of one site (the integer eshop id; 1 is the usual default). It is cheap
// and may be called per request.
func (c *Client) Site(id int64) *Site {
	if s, ok := c.sites.Load(id); ok {
		return s.(*Site)
	}
	s, _ := c.sites.LoadOrStore(id, newSite(c, id))
	return s.(*Site)
}

// Site gives access to the resources of one site (eshop). Get it from Client.Site.
type Site struct {
	// ID is the site's eshop id.
	ID int64

	common service

	Products              *ProductsService              // products: get, list, add, update, delete, in batches too
	ProductVariants       *ProductVariantsService       // a product's variant set (PUT replaces it whole)
	ProductImages         *ProductImagesService         // a product's images
	Categories            *CategoriesService            // the category tree
	Manufacturers         *ManufacturersService         // manufacturers and brands
	ProductGroups         *ProductGroupsService         // product groups, which set the VAT
	PriceLists            *PriceListsService            // price lists and their items
	Warehouses            *WarehousesService            // warehouses and their types
	WarehouseItems        *WarehouseItemsService        // stock levels; absolute stock on Virtual warehouses
	WarehouseTransactions *WarehouseTransactionsService // stock changes of FIFO warehouses
	WarehouseBatches      *WarehouseBatchesService      // stock counts and moves committed as one transaction
	Orders                *OrdersService                // the site's orders (no delete: cancel)
	OrderDeliveries       *OrderDeliveriesService       // deliveries of order items
	Vouchers              *VouchersService              // vouchers (campaigns)
	Users                 *UsersService                 // users, common to all sites
}

func newSite(c *Client, id int64) *Site {
	s := &Site{ID: id}
	s.common = service{c: c, site: id}
	s.Products = (*ProductsService)(&s.common)
	s.ProductVariants = (*ProductVariantsService)(&s.common)
	s.ProductImages = (*ProductImagesService)(&s.common)
	s.Categories = (*CategoriesService)(&s.common)
	s.Manufacturers = (*ManufacturersService)(&s.common)
	s.ProductGroups = (*ProductGroupsService)(&s.common)
	s.PriceLists = (*PriceListsService)(&s.common)
	s.Warehouses = (*WarehousesService)(&s.common)
	s.WarehouseItems = (*WarehouseItemsService)(&s.common)
	s.WarehouseTransactions = (*WarehouseTransactionsService)(&s.common)
	s.WarehouseBatches = (*WarehouseBatchesService)(&s.common)
	s.Orders = (*OrdersService)(&s.common)
	s.OrderDeliveries = (*OrderDeliveriesService)(&s.common)
	s.Vouchers = (*VouchersService)(&s.common)
	s.Users = (*UsersService)(&s.common)
	return s
}

// service is what every site-level service is: the client and the site id.
type service struct {
	c    *Client
	site int64
}

// sitePath builds "sites/{site}/seg/seg.json", escaping each segment.
func sitePath(site int64, segs ...string) string {
	all := append([]string{"sites", itoa(site)}, segs...)
	return rest.JoinPath(all...) + ".json"
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// Response is a completed exchange with Sitoo: the HTTP response (its body already read and
// closed), the raw body, and how many attempts the call took. Every method returns it whenever a
// response arrived, also with an error. A batch method that sends several requests returns the
// last one.
type Response struct {
	*http.Response
	// Body is the raw response body (a leading UTF-8 BOM removed).
	Body []byte
	// Attempts is how many times the request was sent (retries included).
	Attempts int
	// TotalCount is a list envelope's "totalcount": how many items the query matches in all. It
	// is 0 for responses that are not lists.
	TotalCount int
}

func newResponse(r *rest.Response) *Response {
	if r == nil {
		return nil
	}
	return &Response{Response: r.Response, Body: r.Body, Attempts: r.Attempts}
}

// call describes one request.
type call struct {
	method    string
	path      string
	query     any
	body      any
	retrySafe bool
}

func (c *Client) do(ctx context.Context, r call, out any) (*Response, error) {
	resp, err := c.rc.Do(ctx, &rest.Request{
		Method: r.method, Path: r.path, Query: r.query, Body: r.body, RetrySafe: r.retrySafe,
	}, out)
	return newResponse(resp), err
}

// NewRequest builds a request for a Sitoo endpoint the client does not model, to send with Do.
// path is relative to the account's base URL and may carry a query, e.g.
// "sites/1/stores.json?num=10"; escape variable segments with url.PathEscape. body is encoded as
// JSON unless it is nil or a []byte. Credentials are added when the request is sent.
func (c *Client) NewRequest(method, path string, body any) (*http.Request, error) {
	req, err := c.rc.NewRequest(method, path, body)
	if err != nil {
		return nil, fmt.Errorf("sitoo: new request %s %s: %w", method, path, err)
	}
	return req, nil
}

// Do sends req (from NewRequest) with the client's credentials, retries and pacing, and decodes a
// 2xx JSON body into out (an io.Writer receives the raw body; nil discards it). GET requests are
// retried on network errors, 429, 502, 503 and 504; any other method only on 429, since it may
// have been applied although its response was lost. A non-2xx answer is an *APIError, returned
// with the Response. Response.TotalCount is left 0: decode the list envelope into out.
func (c *Client) Do(ctx context.Context, req *http.Request, out any) (*Response, error) {
	rr, err := c.rc.DoHTTP(ctx, req, out)
	if err != nil {
		op := "do request"
		if req != nil && req.URL != nil {
			op = req.Method + " " + req.URL.Path
		}
		return newResponse(rr), wrapErr(op, err)
	}
	return newResponse(rr), nil
}

// getOne fetches one object; an error names the operation op.
func getOne[T any](ctx context.Context, c *Client, op, path string) (*T, *Response, error) {
	var v T
	resp, err := c.do(ctx, call{method: http.MethodGet, path: path}, &v)
	if err != nil {
		return nil, resp, wrapErr(op, err)
	}
	return &v, resp, nil
}

// create POSTs one object and returns the id Sitoo answers with; an error names the operation op.
func (c *Client) create(ctx context.Context, op, path string, query, body any, retrySafe bool) (int64, *Response, error) {
	resp, err := c.do(ctx, call{method: http.MethodPost, path: path, query: query, body: body, retrySafe: retrySafe}, nil)
	if err != nil {
		return 0, resp, wrapErr(op, err)
	}
	id, ok, err := decodeInt("id", resp.Body)
	if err != nil || !ok {
		return 0, resp, wrapErr(op, c.decodeError(resp, fmt.Errorf("expected the new id, got %q", cut(resp.Body))))
	}
	return id, resp, nil
}

// decodeError reports a 2xx response the client could not use; it matches ErrDecode.
func (c *Client) decodeError(resp *Response, err error) *DecodeError {
	return c.rc.NewDecodeError(&rest.Response{Response: resp.Response, Body: resp.Body, Attempts: resp.Attempts}, err)
}

// update PUTs a partial object; an error names the operation op. Setting the same fields twice
// has the same effect as once, so the request is retried after a network error.
func (c *Client) update(ctx context.Context, op, path string, body any) (*Response, error) {
	resp, err := c.do(ctx, call{method: http.MethodPut, path: path, body: body, retrySafe: true}, nil)
	return resp, wrapErr(op, err)
}

// remove DELETEs one object; an error names the operation op.
func (c *Client) remove(ctx context.Context, op, path string) (*Response, error) {
	resp, err := c.do(ctx, call{method: http.MethodDelete, path: path}, nil)
	return resp, wrapErr(op, err)
}

// wrapErr prefixes a non-nil error with the package and the operation: "sitoo: update product
// 42: ...".
func wrapErr(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("sitoo: %s: %w", op, err)
}

// wrapSeq adds the operation to the error an iterator yields.
func wrapSeq[T any](seq iter.Seq2[T, error], op string) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for v, err := range seq {
			if err != nil {
				yield(v, wrapErr(op, err))
				return
			}
			if !yield(v, nil) {
				return
			}
		}
	}
}

// warehouseKey identifies a warehouse for the type cache.
type warehouseKey struct{ site, id int64 }

func (c *Client) rememberWarehouse(site int64, w *Warehouse) {
	if w != nil && w.WarehouseID != 0 && w.WarehouseType != 0 {
		c.whTypes.Store(warehouseKey{site, w.WarehouseID}, w.WarehouseType)
	}
}
