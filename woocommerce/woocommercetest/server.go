package woocommercetest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/internal/faults"
)

// Server is an in-memory WooCommerce store served over HTTP by an httptest.Server. Create it with
// NewServer and stop it with Close. It is safe for concurrent use.
type Server struct {
	// URL is the base URL of the test server (the store's home URL unless WithHomeURL changed it),
	// e.g. "http://127.0.0.1:41234". Give it to woocommerce.NewClient.
	URL string

	ts     *httptest.Server
	cfg    config
	faults *faults.Injector

	home     *url.URL // the site's home URL (scheme is replaced by the request's, as is_ssl() does)
	homePath string   // path of the home URL without trailing slash, "" at the root

	mu    sync.Mutex // guards st and keys
	st    *state
	tax   taxState
	keys  map[string]*apiKey // by consumer key
	keyID int64

	hooks  *dispatcher
	router []route
}

// Option configures a Server.
type Option func(*config)

type config struct {
	tls          bool
	currency     string
	decimals     int
	loc          *time.Location
	now          func() time.Time
	homeURL      string
	coalesce     bool
	manual       bool
	hookClient   *http.Client
	statuses     []string
	maxBatch     int
	decimalSep   string
	pingOnCreate bool
}

// WithTLS serves over HTTPS (httptest.NewTLSServer): Basic and query-string credentials are only
// accepted then, as WooCommerce accepts them only when is_ssl() is true. Use Server.Client for an
// *http.Client that trusts the test certificate.
func WithTLS() Option { return func(c *config) { c.tls = true } }

// WithCurrency sets the store currency (default "USD"), used for new orders and system_status.
func WithCurrency(code string) Option { return func(c *config) { c.currency = code } }

// WithDecimals sets the number of price decimals (default 2), used to format order totals.
func WithDecimals(n int) Option { return func(c *config) { c.decimals = n } }

// WithTimezone sets the site timezone (default UTC). Every "date_*" field is a wall clock in this
// zone without an offset, next to a "*_gmt" field in UTC, exactly like WooCommerce.
func WithTimezone(loc *time.Location) Option { return func(c *config) { c.loc = loc } }

// WithClock makes the server read the time from now instead of time.Now: dates of new objects,
// coupon expiry and the OAuth timestamp window all use it.
func WithClock(now func() time.Time) Option { return func(c *config) { c.now = now } }

// WithHomeURL sets the WordPress home URL (default: the test server's own URL). OAuth signatures
// are checked against it, as WooCommerce checks them against home_url() and not the Host the client
// used; a path ("http://127.0.0.1/shop") serves the API below that path, like WordPress in a
// sub-directory. Only the host and path are used: the scheme follows the request, as is_ssl() does.
func WithHomeURL(u string) Option { return func(c *config) { c.homeURL = u } }

// WithCoalescedDeliveries makes webhook deliveries behave like Action Scheduler: no new delivery is
// queued for a webhook and resource while one for the same pair is still queued, so several changes
// in a row produce one delivery carrying the state at delivery time.
func WithCoalescedDeliveries() Option { return func(c *config) { c.coalesce = true } }

// WithManualDeliveries queues webhook deliveries without sending them until FlushWebhooks is called,
// as if WP-Cron had not run yet. By default a background worker delivers them as they come.
func WithManualDeliveries() Option { return func(c *config) { c.manual = true } }

// WithWebhookHTTPClient sends webhook deliveries and pings with hc (default: a client with a
// 60 second timeout that follows no redirects, like WooCommerce's wp_safe_remote_request with
// redirection 0). Use it to reach an httptest.NewTLSServer receiver.
func WithWebhookHTTPClient(hc *http.Client) Option { return func(c *config) { c.hookClient = hc } }

// WithOrderStatuses registers additional order statuses, as plugins do through wc_order_statuses
// (for example "shipped"). They are accepted on input and in the status filter.
func WithOrderStatuses(statuses ...string) Option {
	return func(c *config) { c.statuses = append(c.statuses, statuses...) }
}

// WithBatchLimit changes the batch limit (default 100, the woocommerce_rest_batch_items_limit
// filter's default).
func WithBatchLimit(n int) Option { return func(c *config) { c.maxBatch = n } }

// WithDecimalSeparator sets the store's decimal separator (default "."). WooCommerce's
// wc_format_decimal turns it into a dot on input, so "12,50" is 12.50 in a store using ",".
func WithDecimalSeparator(sep string) Option { return func(c *config) { c.decimalSep = sep } }

// WithoutPing disables the ping WooCommerce sends to a webhook's delivery URL when the webhook is
// created through the REST API.
func WithoutPing() Option { return func(c *config) { c.pingOnCreate = false } }

// NewServer starts a fake WooCommerce store. Close it when done (t.Cleanup(srv.Close)).
func NewServer(opts ...Option) *Server {
	cfg := config{currency: "USD", decimals: 2, loc: time.UTC, now: time.Now, maxBatch: 100, decimalSep: ".", pingOnCreate: true}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.loc == nil {
		cfg.loc = time.UTC
	}
	if cfg.hookClient == nil {
		cfg.hookClient = &http.Client{
			Timeout:       60 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	}
	s := &Server{cfg: cfg, faults: &faults.Injector{}, keys: map[string]*apiKey{}}
	s.st = newState(&s.cfg)
	s.router = s.routes()
	s.ts = httptest.NewUnstartedServer(s.faults.Wrap(http.HandlerFunc(s.serve)))
	if cfg.tls {
		s.ts.StartTLS()
	} else {
		s.ts.Start()
	}
	s.URL = s.ts.URL
	home := s.ts.URL
	if cfg.homeURL != "" {
		home = cfg.homeURL
	}
	u, err := url.Parse(home)
	if err != nil || u.Host == "" {
		u, _ = url.Parse(s.ts.URL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	u.RawQuery, u.Fragment = "", ""
	s.home, s.homePath = u, u.Path
	if cfg.homeURL != "" && u.Path != "" {
		s.URL = s.ts.URL + u.Path
	}
	s.hooks = newDispatcher(s)
	return s
}

// Close stops the webhook worker and the HTTP server. Queued deliveries are dropped.
func (s *Server) Close() {
	s.hooks.close()
	s.ts.Close()
}

// Client returns an *http.Client for the server; with WithTLS it trusts the test certificate.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Faults returns the server's fault injector. Rules apply before authentication, to paths as the
// client sends them, e.g. "/wp-json/wc/v3/coupons" or "/wp-json/wc/v3/orders/*".
func (s *Server) Faults() *FaultInjector { return s.faults }

// HomeURL returns the store's home URL as WooCommerce reports it (X-WC-Webhook-Source without the
// trailing slash), with the scheme of the server.
func (s *Server) HomeURL() string { return s.homeFor(s.cfg.tls) }

func (s *Server) homeFor(tls bool) string {
	u := *s.home
	u.Scheme = "http"
	if tls {
		u.Scheme = "https"
	}
	return u.String()
}

// Now returns the server's clock (see WithClock), truncated to seconds like MySQL datetimes.
func (s *Server) Now() time.Time { return s.now() }

// now returns the server's current time in UTC, truncated to seconds like MySQL datetimes.
func (s *Server) now() time.Time { return s.cfg.now().UTC().Truncate(time.Second) }

// FlushWebhooks delivers every queued webhook delivery and waits until none is queued or in
// flight. Deliveries queued by requests that completed before the call are therefore done when it
// returns nil, in the order they were queued. It returns ctx.Err() if ctx ends first, and an error
// after Close.
func (s *Server) FlushWebhooks(ctx context.Context) error { return s.hooks.flush(ctx) }

// Flush is FlushWebhooks without a deadline.
func (s *Server) Flush() { _ = s.hooks.flush(context.Background()) }
