package rest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"golang.org/x/time/rate"
)

// Version is the loyalsync version reported in the User-Agent.
const Version = "0.1.0"

// Defaults used when a Config leaves a field zero.
const (
	DefaultRetryMax         = 4
	DefaultRetryWaitMin     = 500 * time.Millisecond
	DefaultRetryWaitMax     = 30 * time.Second
	DefaultMaxRetryAfter    = 2 * time.Minute
	DefaultMaxResponseBytes = 64 << 20
	DefaultTimeout          = 60 * time.Second
)

// Config describes one API client. The zero value of each field means its default.
type Config struct {
	// BaseURL is the absolute URL request paths are resolved against; its path is kept as a prefix.
	BaseURL string
	// API names the API in the User-Agent and in log records, e.g. "woocommerce".
	API string
	// HTTPClient is copied, never modified; its Transport carries each attempt.
	HTTPClient *http.Client
	// Logger receives one debug record per attempt. Default: discard.
	Logger *slog.Logger
	// UserAgent, if set, is put in front of the library's own product token.
	UserAgent string

	// RetryMax is the number of retries after the first attempt; negative disables retries.
	RetryMax int
	// RetryWaitMin and RetryWaitMax bound the exponential back-off between attempts.
	RetryWaitMin, RetryWaitMax time.Duration
	// MaxRetryAfter is the longest server-requested wait the core sleeps through; a longer
	// Retry-After ends the retries and returns the error, so the caller can decide.
	MaxRetryAfter time.Duration

	// Rate and Burst configure client-side pacing; Rate 0 means unlimited.
	Rate  rate.Limit
	Burst int

	// Authenticate is called on every attempt (so signatures with nonces are fresh on retries), and
	// only for requests to the base URL's host: a redirect to another host, or from https down to
	// http, is followed without credentials. An error from it ends the call without retries.
	Authenticate func(*http.Request) error
	// DecodeError turns a non-2xx response and its raw body into the API's typed error.
	// Default: *HTTPError.
	DecodeError func(resp *http.Response, body []byte) error
	// RateLimitFromHeaders reads the server's rate-limit signals. Default: ParseRateLimitHeaders.
	RateLimitFromHeaders func(h http.Header, now time.Time) (RateLimit, bool)
	// Unmarshal decodes JSON response bodies. Default: encoding/json.Unmarshal.
	Unmarshal func(data []byte, v any) error

	// MaxResponseBytes caps the size of a response body read into memory.
	MaxResponseBytes int64

	now   func() time.Time                                 // for tests; default time.Now
	sleep func(ctx context.Context, d time.Duration) error // for tests; default sleepCtx
}

// Option changes a Config; clients wrap these in their own functional options.
type Option func(*Config) error

// Apply applies opts to c in order and returns the first error.
func (c *Config) Apply(opts ...Option) error {
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(c); err != nil {
			return err
		}
	}
	return nil
}

// WithHTTPClient makes requests through a copy of hc. nil is an error.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Config) error {
		if hc == nil {
			return errors.New("nil *http.Client")
		}
		c.HTTPClient = hc
		return nil
	}
}

// WithLogger logs each attempt to l at debug level. nil is an error; use a discard handler instead.
func WithLogger(l *slog.Logger) Option {
	return func(c *Config) error {
		if l == nil {
			return errors.New("nil *slog.Logger")
		}
		c.Logger = l
		return nil
	}
}

// WithUserAgent puts ua in front of the library's User-Agent product token.
func WithUserAgent(ua string) Option {
	return func(c *Config) error {
		c.UserAgent = ua
		return nil
	}
}

// WithRetry sets how many times a failed request is retried and the back-off bounds.
// maxRetries 0 disables retries.
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return func(c *Config) error {
		if maxRetries < 0 || waitMin < 0 || waitMax < waitMin {
			return fmt.Errorf("invalid retry settings: max %d, wait %s..%s", maxRetries, waitMin, waitMax)
		}
		if maxRetries == 0 {
			maxRetries = -1
		}
		c.RetryMax, c.RetryWaitMin, c.RetryWaitMax = maxRetries, waitMin, waitMax
		return nil
	}
}

// WithRateLimit paces requests to perSecond on average with bursts of up to burst requests.
// perSecond 0 removes the limit.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(c *Config) error {
		if perSecond < 0 || burst < 0 || (perSecond > 0 && burst == 0) {
			return fmt.Errorf("invalid rate limit: %g/s, burst %d", perSecond, burst)
		}
		c.Rate, c.Burst = rate.Limit(perSecond), burst
		return nil
	}
}

// WithMaxRetryAfter sets the longest server-requested wait the client sleeps through.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(c *Config) error {
		if d < 0 {
			return fmt.Errorf("invalid max Retry-After %s", d)
		}
		c.MaxRetryAfter = d
		return nil
	}
}

func (c *Config) withDefaults() Config {
	out := *c
	if out.HTTPClient == nil {
		out.HTTPClient = &http.Client{Timeout: DefaultTimeout}
	}
	if out.Logger == nil {
		out.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if out.RetryMax == 0 {
		out.RetryMax = DefaultRetryMax
	} else if out.RetryMax < 0 {
		out.RetryMax = 0
	}
	if out.RetryWaitMin == 0 {
		out.RetryWaitMin = DefaultRetryWaitMin
	}
	if out.RetryWaitMax == 0 {
		out.RetryWaitMax = DefaultRetryWaitMax
	}
	if out.RetryWaitMax < out.RetryWaitMin {
		out.RetryWaitMax = out.RetryWaitMin
	}
	if out.MaxRetryAfter == 0 {
		out.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if out.RateLimitFromHeaders == nil {
		out.RateLimitFromHeaders = ParseRateLimitHeaders
	}
	if out.MaxResponseBytes <= 0 {
		out.MaxResponseBytes = DefaultMaxResponseBytes
	}
	if out.now == nil {
		out.now = time.Now
	}
	if out.sleep == nil {
		out.sleep = sleepCtx
	}
	return out
}
