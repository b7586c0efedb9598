package woorewards

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/loyalsync/loyalsync/internal/rest"
	"github.com/loyalsync/loyalsync/internal/wp"
)

// APIPath is the path of the WooRewards REST API below the site URL.
const APIPath = "wp-json/woorewards/v1/"

// Credentials is how the client logs in to WordPress: AppPassword or ConsumerKey. WooRewards
// "won't respond without a logged in user", and both ways work over HTTPS only.
type Credentials struct {
	method authMethod
	user   string
	secret string
}

type authMethod int

const (
	authNone authMethod = iota
	authAppPassword
	authConsumerKey
)

// AppPassword logs in as a WordPress user with an application password (Users → Profile →
// Application Passwords, WordPress 5.6+), sent as HTTP Basic authentication. WordPress accepts
// application passwords over HTTPS only, so NewClient refuses an http:// site URL. The spaces
// WordPress shows in the password are optional.
func AppPassword(username, password string) Credentials {
	return Credentials{method: authAppPassword, user: username, secret: password}
}

// ConsumerKey logs in with a WooCommerce REST API key (ck_…) and secret (cs_…), sent as the
// consumer_key and consumer_secret query parameters. It needs "Allow authentication by WooCommerce
// REST API" in WooRewards → System → API, and HTTPS. The credentials are redacted from logs and
// errors.
func ConsumerKey(key, secret string) Credentials {
	return Credentials{method: authConsumerKey, user: key, secret: secret}
}

// Client talks to the WooRewards Pro REST API of one WordPress site. Create it with NewClient;
// it is safe for concurrent use, and its services share one transport, retry policy and rate
// limiter.
type Client struct {
	rc   *rest.Client
	auth authMethod

	common service

	// Pools reads the points and rewards systems and their earning methods.
	Pools *PoolsService
	// Rewards lists the rewards of a pool and unlocks them for users.
	Rewards *RewardsService
	// Points reads and changes users' points.
	Points *PointsService
	// Badges reads users' badges, badge owners and badge rarity.
	Badges *BadgesService
}

type service struct {
	client *Client
}

// NewClient returns a client for the WordPress site at siteURL (its home URL, e.g.
// "https://shop.example.com" or "https://example.com/blog"), logging in with creds. The URL must
// be https://: WordPress ignores both kinds of credentials over plain HTTP, and they would travel
// in clear text. Credentials never follow a redirect to another host or down to plain HTTP.
// Options are applied in order; nil options are ignored. A site URL, credentials or option value
// the client cannot use makes NewClient fail with an error that matches ErrInvalidArgument.
//
// WooRewards API docs: https://plugins.longwatchstudio.com/kb/settings-and-permissions/
func NewClient(siteURL string, creds Credentials, opts ...Option) (*Client, error) {
	if creds.method == authNone {
		return nil, fmt.Errorf("woorewards: new client: credentials are required, use AppPassword or ConsumerKey (%w)", ErrInvalidArgument)
	}
	if creds.user == "" || creds.secret == "" {
		return nil, fmt.Errorf("woorewards: new client: credentials are incomplete, user name/key and password/secret are required (%w)",
			ErrInvalidArgument)
	}
	base, err := wp.SiteBase(siteURL, APIPath)
	if err != nil {
		return nil, fmt.Errorf("woorewards: new client: %w (%w)", err, ErrInvalidArgument)
	}
	var o options
	if err := rest.ApplyOptions(&o, opts); err != nil {
		return nil, optionError(err)
	}
	c := &Client{auth: creds.method}
	cfg := rest.Config{BaseURL: base, API: "woorewards", ErrTransport: ErrTransport, ErrDecode: ErrDecode}
	if err := cfg.Apply(o.rest...); err != nil {
		return nil, optionError(err)
	}
	if creds.method == authAppPassword {
		cfg.Authenticate = wp.BasicAuth(creds.user, creds.secret)
	} else {
		cfg.Authenticate = wp.QueryAuth(creds.user, creds.secret, rest.EncodeValues)
	}
	cfg.DecodeError = func(resp *http.Response, body []byte) error {
		return newAPIError(resp.StatusCode, body, c.auth)
	}
	rc, err := rest.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("woorewards: %w", err)
	}
	c.rc = rc
	c.common.client = c
	c.Pools = (*PoolsService)(&c.common)
	c.Rewards = (*RewardsService)(&c.common)
	c.Points = (*PointsService)(&c.common)
	c.Badges = (*BadgesService)(&c.common)
	return c, nil
}

// BaseURL returns a copy of the API base URL, e.g. https://shop.example.com/wp-json/woorewards/v1/.
func (c *Client) BaseURL() *url.URL { return c.rc.BaseURL() }

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

// call sends one request and decodes a 2xx body into out. op names the operation in errors;
// notFound lists the resources a 404 of this route can be about, most specific last.
func (c *Client) call(ctx context.Context, op string, req *rest.Request, out any, notFound ...Resource) (*Response, error) {
	rr, err := c.rc.Do(ctx, req, out)
	resp := newResponse(rr)
	if err != nil {
		var ae *APIError
		if errors.As(err, &ae) && ae.StatusCode == http.StatusNotFound {
			ae.NotFound = whichNotFound(ae.Code, ae.Message, notFound)
		}
		return resp, fmt.Errorf("woorewards: %s: %w", op, err)
	}
	return resp, nil
}

// NewRequest builds a request for a WooRewards route the client does not model, to send with Do.
// path is relative to the API base URL (BaseURL) and may carry a query, e.g. "pools"; escape
// variable segments (emails, reasons) with url.PathEscape. body is encoded as JSON unless it is
// nil or a []byte. Credentials are added when the request is sent.
func (c *Client) NewRequest(method, path string, body any) (*http.Request, error) {
	req, err := c.rc.NewRequest(method, path, body)
	if err != nil {
		return nil, fmt.Errorf("woorewards: new request %s %s: %w", method, path, err)
	}
	return req, nil
}

// Do sends req (from NewRequest) with the client's credentials, retries and pacing, and decodes a
// 2xx JSON body into out (an io.Writer receives the raw body; nil discards it). GET requests are
// retried on network errors, 429, 502, 503 and 504; any other method only on 429, since
// WooRewards takes no idempotency key. A non-2xx answer is an *APIError (its NotFound is left
// ResourceUnknown), returned with the Response.
func (c *Client) Do(ctx context.Context, req *http.Request, out any) (*Response, error) {
	rr, err := c.rc.DoHTTP(ctx, req, out)
	if err != nil {
		err = fmt.Errorf("woorewards: %s: %w", rest.RequestOp(req), err)
	}
	return newResponse(rr), err
}

// Option configures a Client. NewClient returns the first error an option reports.
type Option func(*options) error

type options struct {
	rest []rest.Option
}

// optionError reports an option's refusal: "woorewards: WithRetry: ... (woorewards: invalid
// argument)".
func optionError(err error) error {
	return fmt.Errorf("woorewards: %w (%w)", err, ErrInvalidArgument)
}

func restOption(r rest.Option) Option {
	return func(o *options) error {
		o.rest = append(o.rest, r)
		return nil
	}
}

// WithHTTPClient sends requests through a copy of hc (its Transport, Timeout and TLS settings are
// kept; hc itself is never modified). nil is an error.
func WithHTTPClient(hc *http.Client) Option { return restOption(rest.WithHTTPClient(hc)) }

// WithLogger logs one debug record per HTTP attempt (method, path with credentials redacted,
// status, duration, attempt number) to l. Default: nothing is logged. nil is an error.
func WithLogger(l *slog.Logger) Option { return restOption(rest.WithLogger(l)) }

// WithUserAgent puts ua in front of the library's own User-Agent product token.
func WithUserAgent(ua string) Option { return restOption(rest.WithUserAgent(ua)) }

// WithRetry sets how often a failed request is retried (0 disables retries) and the bounds of the
// exponential back-off. Reads are retried on network errors, 429, 502, 503 and 504; point changes
// and unlocks only on 429 (see the package documentation, "Retries").
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return restOption(rest.WithRetry(maxRetries, waitMin, waitMax))
}

// WithRateLimit paces requests client-side to perSecond on average, with bursts of up to burst.
// perSecond 0 removes the limit (the default).
func WithRateLimit(perSecond float64, burst int) Option {
	return restOption(rest.WithRateLimit(perSecond, burst))
}

// WithMaxRetryAfter sets the longest server-requested wait (Retry-After) the client sleeps
// through before a retry; a longer one returns the 429 or 503 to the caller (ErrRateLimited,
// ErrServer). Default 2 minutes.
func WithMaxRetryAfter(d time.Duration) Option { return restOption(rest.WithMaxRetryAfter(d)) }

// WithClock makes the client read the time from now instead of time.Now: rate-limit pacing and
// Retry-After dates. nil is an error.
func WithClock(now func() time.Time) Option { return restOption(rest.WithClock(now)) }

// WithSleep makes the client wait through sleep instead of a real timer: rate-limit pacing, the
// back-off between retries and Retry-After waits. sleep returns once d has passed, or ctx.Err()
// as soon as ctx is done. With WithClock it runs the client on virtual time, so tests depend on
// no machine's speed. nil is an error.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return restOption(rest.WithSleep(sleep))
}
