package rest

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strings"
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

	// ErrTransport and ErrDecode are the client's sentinels: errors.Is(err, ErrTransport) is true
	// for every *TransportError this Client returns, errors.Is(err, ErrDecode) for every
	// *DecodeError (including those made with [Client.NewDecodeError]). nil matches nothing.
	ErrTransport, ErrDecode error

	now   func() time.Time                                 // WithClock; default time.Now
	sleep func(ctx context.Context, d time.Duration) error // WithSleep; default sleepCtx
}

// Option changes a Config. The common client options are defined here once, with their
// validation; each client exposes them as one-line wrappers under the same names (see the package
// documentation, "Conventions for clients"). An Option reports an invalid argument as an error
// naming the option ("WithRetry: ..."), which the client prefixes with its package name.
type Option func(*Config) error

// Apply applies opts to c in order, skipping nil ones, and returns the first error.
func (c *Config) Apply(opts ...Option) error { return ApplyOptions(c, opts) }

// ApplyOptions applies a client's own functional options to its settings t in order, skipping nil
// options (a nil Option passed to a constructor is ignored, in every client), and returns the
// first error an option reports.
func ApplyOptions[T any, O ~func(*T) error](t *T, opts []O) error {
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(t); err != nil {
			return err
		}
	}
	return nil
}

// WithHTTPClient sends requests through a copy of hc: its Transport, Timeout, Jar and redirect
// policy are used, hc itself is never modified. nil is an error.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Config) error {
		if hc == nil {
			return errors.New("WithHTTPClient: nil *http.Client")
		}
		c.HTTPClient = hc
		return nil
	}
}

// WithLogger logs one debug record per HTTP attempt (method, path with credentials redacted,
// status, duration, attempt number) to l. Default: nothing is logged. nil is an error; pass a
// logger with a discard handler to silence a client explicitly.
func WithLogger(l *slog.Logger) Option {
	return func(c *Config) error {
		if l == nil {
			return errors.New("WithLogger: nil *slog.Logger")
		}
		c.Logger = l
		return nil
	}
}

// WithUserAgent puts ua (e.g. "my-shop-sync/1.2") in front of the library's own User-Agent
// product token. It must not contain control characters (a line break would split the header).
func WithUserAgent(ua string) Option {
	return func(c *Config) error {
		if strings.ContainsFunc(ua, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return fmt.Errorf("WithUserAgent: %q contains a control character", ua)
		}
		c.UserAgent = strings.TrimSpace(ua)
		return nil
	}
}

// WithRetry sets how many times a failed request is retried (0 disables retries) and the bounds
// of the exponential back-off between attempts. Which failures are retried is the core's policy
// (see [Request.RetrySafe]): every method on 429, idempotent ones also on network errors and
// 502/503/504. Negative values, or waitMax below waitMin, are errors.
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return func(c *Config) error {
		if maxRetries < 0 || waitMin < 0 || waitMax < waitMin {
			return fmt.Errorf("WithRetry: invalid retry settings: max %d, wait %s..%s", maxRetries, waitMin, waitMax)
		}
		n := maxRetries // not the captured argument: an Option may be applied to several Configs
		if n == 0 {
			n = -1
		}
		c.RetryMax, c.RetryWaitMin, c.RetryWaitMax = n, waitMin, waitMax
		return nil
	}
}

// WithRateLimit paces requests client-side to perSecond on average, with bursts of up to burst
// requests. perSecond 0 removes the limit (the default; the client still slows down when the
// server's rate-limit headers say the budget is running out). A negative rate, a negative burst,
// or burst 0 with a positive rate is an error.
func WithRateLimit(perSecond float64, burst int) Option {
	return func(c *Config) error {
		if !(perSecond >= 0) || math.IsInf(perSecond, 0) || burst < 0 || (perSecond > 0 && burst == 0) {
			return fmt.Errorf("WithRateLimit: invalid rate limit: %g/s, burst %d", perSecond, burst)
		}
		c.Rate, c.Burst = rate.Limit(perSecond), burst
		return nil
	}
}

// WithMaxRetryAfter sets the longest server-requested wait (Retry-After, or a rate-limit reset)
// the client sleeps through before a retry; a longer one ends the retries and returns the 429 or
// 503 to the caller, who can decide. Default DefaultMaxRetryAfter (2 minutes). 0 means the
// default; a negative duration is an error.
func WithMaxRetryAfter(d time.Duration) Option {
	return func(c *Config) error {
		if d < 0 {
			return fmt.Errorf("WithMaxRetryAfter: negative duration %s", d)
		}
		c.MaxRetryAfter = d
		return nil
	}
}

// WithClock makes the core read the time from now: to turn a Retry-After HTTP-date or a
// rate-limit reset into a wait, and to pace requests. The waits themselves go through the sleep
// function (see [WithSleep]; default a real timer), so with a clock alone the clock must advance
// at least as fast as real time. Clients that read time themselves take the same function in
// their own WithClock. nil is an error.
func WithClock(now func() time.Time) Option {
	return func(c *Config) error {
		if now == nil {
			return errors.New("WithClock: nil clock function")
		}
		c.now = now
		return nil
	}
}

// WithSleep makes the core wait through sleep instead of a real timer: the pacing waits (the
// client-side rate limit and the server's rate-limit headers), the back-off between retries and
// the server-requested waits (Retry-After, rate-limit reset). Every wait of the core goes through
// it, go-retryablehttp's included. sleep must return once d has passed on the client's clock, or
// ctx.Err() as soon as ctx is done. Together with [WithClock] it puts the client on virtual
// time: a fake clock that advances by d in sleep makes tests and simulations independent of the
// machine's speed. nil is an error.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *Config) error {
		if sleep == nil {
			return errors.New("WithSleep: nil sleep function")
		}
		c.sleep = sleep
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
