package rewardpoints

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/internal/rest"
	"github.com/loyalsync/loyalsync/internal/wp"
)

// Route is the add-points route below the site URL.
const Route = "wp-json/wc-reward-points/v1/add-points"

// Client adds points through the add-points API of one WordPress site. Create it with NewClient;
// it is safe for concurrent use.
type Client struct {
	rc      *rest.Client
	store   Store
	tagOpID bool
	now     func() time.Time

	mu       sync.Mutex
	inflight map[string]chan struct{} // operations being sent by this client
}

// NewClient returns a client for the WordPress site at siteURL (its home URL, e.g.
// "https://shop.example.com"), logging in as a user with the manage_woocommerce capability
// through an application password (HTTP Basic), as the vendor recommends for server-to-server
// calls. The URL must be https://: WordPress accepts application passwords over HTTPS only, and
// they would travel in clear text. Operations are remembered in a MemoryStore (with its default
// limits) unless WithStore says otherwise. Options are applied in order; nil options are ignored.
// A site URL, credentials or option value the client cannot use makes NewClient fail with an
// error that matches ErrInvalidArgument.
//
// WC Reward Points API docs: https://www.welaunch.io/en/knowledge-base/faq/using-the-reward-points-rest-api/
func NewClient(siteURL, username, appPassword string, opts ...Option) (*Client, error) {
	if username == "" || appPassword == "" {
		return nil, fmt.Errorf("rewardpoints: new client: user name and application password are required (%w)", ErrInvalidArgument)
	}
	base, err := wp.SiteBase(siteURL, "")
	if err != nil {
		return nil, fmt.Errorf("rewardpoints: new client: %w (%w)", err, ErrInvalidArgument)
	}
	o := options{now: time.Now}
	if err := rest.ApplyOptions(&o, opts); err != nil {
		return nil, optionError(err)
	}
	cfg := rest.Config{
		BaseURL:      base,
		API:          "wc-reward-points",
		Authenticate: wp.BasicAuth(username, appPassword),
		DecodeError: func(resp *http.Response, body []byte) error {
			return newAPIError(resp.StatusCode, body)
		},
		ErrTransport: ErrTransport,
		ErrDecode:    ErrDecode,
	}
	if err := cfg.Apply(append(o.rest, rest.WithClock(o.now))...); err != nil {
		return nil, optionError(err)
	}
	rc, err := rest.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("rewardpoints: %w", err)
	}
	c := &Client{rc: rc, store: o.store, tagOpID: o.tagOpID, now: o.now, inflight: map[string]chan struct{}{}}
	if c.store == nil {
		ms, err := NewMemoryStore(WithStoreClock(o.now))
		if err != nil {
			return nil, fmt.Errorf("rewardpoints: %w", err)
		}
		c.store = ms
	}
	return c, nil
}

// URL returns the absolute URL of the add-points route.
func (c *Client) URL() *url.URL {
	u := c.rc.BaseURL()
	return u.JoinPath(Route)
}

// Store returns the client's operation store.
func (c *Client) Store() Store { return c.store }

// Response is the HTTP response of a call. Its body has been read into Body and closed.
type Response struct {
	*http.Response
	// Body is the raw response body (a leading UTF-8 BOM removed).
	Body []byte
	// Attempts is how many times the request was sent (retries included).
	Attempts int
}

func newResponse(rr *rest.Response) *Response {
	if rr == nil {
		return nil
	}
	return &Response{Response: rr.Response, Body: rr.Body, Attempts: rr.Attempts}
}

// NewRequest builds a request for a WordPress route the client does not model, to send with Do.
// path is relative to the site URL and may carry a query, e.g. "wp-json/wp/v2/users/me". body is
// encoded as JSON unless it is nil or a []byte. The application password is added when the
// request is sent.
func (c *Client) NewRequest(method, path string, body any) (*http.Request, error) {
	req, err := c.rc.NewRequest(method, path, body)
	if err != nil {
		return nil, fmt.Errorf("rewardpoints: new request %s %s: %w", method, path, err)
	}
	return req, nil
}

// Do sends req (from NewRequest) with the client's credentials, retries and pacing, and decodes a
// 2xx JSON body into out (an io.Writer receives the raw body; nil discards it). GET requests are
// retried on network errors, 429, 502, 503 and 504; any other method only on 429. A non-2xx
// answer is an *APIError, returned with the Response.
//
// Do bypasses the operation store: a POST to the add-points route sent with Do has none of
// AddPoints' once-per-operation guarantee.
func (c *Client) Do(ctx context.Context, req *http.Request, out any) (*Response, error) {
	rr, err := c.rc.DoHTTP(ctx, req, out)
	if err != nil {
		err = fmt.Errorf("rewardpoints: %s: %w", rest.RequestOp(req), err)
	}
	return newResponse(rr), err
}

// Option configures a Client. NewClient returns the first error an option reports.
type Option func(*options) error

type options struct {
	rest    []rest.Option
	store   Store
	tagOpID bool
	now     func() time.Time
}

// optionError reports an option's refusal: "rewardpoints: WithRetry: ... (rewardpoints: invalid
// argument)".
func optionError(err error) error {
	return fmt.Errorf("rewardpoints: %w (%w)", err, ErrInvalidArgument)
}

func restOption(r rest.Option) Option {
	return func(o *options) error {
		o.rest = append(o.rest, r)
		return nil
	}
}

// WithStore remembers operations in s instead of a MemoryStore. Use a durable store shared by
// every process that adds points for the same operations; see Store. nil is an error.
func WithStore(s Store) Option {
	return func(o *options) error {
		if s == nil {
			return errors.New("WithStore: nil Store")
		}
		o.store = s
		return nil
	}
}

// WithOperationIDInMessage appends " [op:<operation id>]" to the message sent, so that the
// operation can be found in the user's points log when its outcome must be checked by hand.
// The message is shown in the points log, which customers may see.
func WithOperationIDInMessage() Option {
	return func(o *options) error {
		o.tagOpID = true
		return nil
	}
}

// WithClock makes the client read the time from now: the operations' CreatedAt and UpdatedAt,
// the age limit of the default MemoryStore, and the HTTP core's Retry-After dates. Default
// time.Now. nil is an error.
func WithClock(now func() time.Time) Option {
	return func(o *options) error {
		if now == nil {
			return errors.New("WithClock: nil clock function")
		}
		o.now = now
		return nil
	}
}

// WithSleep makes the client wait through sleep instead of a real timer: rate-limit pacing, the
// back-off between retries and Retry-After waits. sleep returns once d has passed, or ctx.Err()
// as soon as ctx is done. With WithClock it runs the client on virtual time, so tests depend on
// no machine's speed. nil is an error.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return restOption(rest.WithSleep(sleep))
}

// WithHTTPClient sends requests through a copy of hc (its Transport, Timeout and TLS settings are
// kept; hc itself is never modified). nil is an error.
func WithHTTPClient(hc *http.Client) Option { return restOption(rest.WithHTTPClient(hc)) }

// WithLogger logs one debug record per HTTP attempt, with credentials redacted, and a warning for
// every operation whose outcome becomes unknown. Default: nothing is logged. nil is an error.
func WithLogger(l *slog.Logger) Option { return restOption(rest.WithLogger(l)) }

// WithUserAgent puts ua in front of the library's own User-Agent product token.
func WithUserAgent(ua string) Option { return restOption(rest.WithUserAgent(ua)) }

// WithRetry sets how often a request answered with 429 is retried (0 disables retries) and the
// back-off bounds. Nothing else is retried automatically: see AddPoints.
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return restOption(rest.WithRetry(maxRetries, waitMin, waitMax))
}

// WithRateLimit paces requests client-side to perSecond on average, with bursts of up to burst.
// perSecond 0 removes the limit (the default).
func WithRateLimit(perSecond float64, burst int) Option {
	return restOption(rest.WithRateLimit(perSecond, burst))
}

// WithMaxRetryAfter sets the longest server-requested wait (Retry-After) the client sleeps
// through before retrying a 429; a longer one returns the 429 to the caller (ErrRateLimited),
// and the operation is forgotten so that it can be sent again later. Default 2 minutes.
func WithMaxRetryAfter(d time.Duration) Option { return restOption(rest.WithMaxRetryAfter(d)) }
