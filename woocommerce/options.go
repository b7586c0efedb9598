package woocommerce

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// Option configures a Client. Options validate their arguments: NewClient returns the first
// error an option reports, prefixed with "woocommerce: " and matching ErrInvalidArgument. A nil
// Option is ignored.
type Option func(*config) error

// config collects what the options set before NewClient builds the transport.
type config struct {
	rest            []rest.Option
	queryStringAuth bool
	oauthMethod     OAuthSignatureMethod
	methodOverride  bool
	priceDecimals   *int
}

// restOption wraps one of the core's common options.
func restOption(r rest.Option) Option {
	return func(c *config) error {
		c.rest = append(c.rest, r)
		return nil
	}
}

// WithHTTPClient sends requests through a copy of hc (its Transport, Timeout, Jar and redirect
// policy are kept; hc itself is never modified). nil is an error.
func WithHTTPClient(hc *http.Client) Option { return restOption(rest.WithHTTPClient(hc)) }

// WithLogger logs one debug record per HTTP attempt (method, path with credentials redacted,
// status, duration, attempt number) to l. Default: nothing is logged. nil is an error.
func WithLogger(l *slog.Logger) Option { return restOption(rest.WithLogger(l)) }

// WithUserAgent puts ua in front of the library's own User-Agent product token. Some hosts'
// firewalls block unknown agents; naming your application helps their logs too.
func WithUserAgent(ua string) Option { return restOption(rest.WithUserAgent(ua)) }

// WithRetry sets how often a failed request is retried (0 disables retries) and the bounds of
// the exponential back-off between attempts. Which requests are retried is described in the
// package documentation under "Retries".
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return restOption(rest.WithRetry(maxRetries, waitMin, waitMax))
}

// WithRateLimit paces requests client-side to perSecond on average, with bursts of up to burst.
// perSecond 0 removes the limit (the default). Shared hosting often throttles or bans clients
// that walk every page at full speed; a few requests per second is polite.
func WithRateLimit(perSecond float64, burst int) Option {
	return restOption(rest.WithRateLimit(perSecond, burst))
}

// WithMaxRetryAfter sets the longest server-requested wait (Retry-After) the client sleeps
// through before retrying; a longer one ends the retries and returns the 429 or 503
// (ErrRateLimited, ErrServer). Default 2 minutes.
func WithMaxRetryAfter(d time.Duration) Option { return restOption(rest.WithMaxRetryAfter(d)) }

// WithClock sets the clock the client reads for pacing by the X-Rate-Limit-* headers and for
// Retry-After dates. The OAuth 1.0a timestamp is the exception: dghubble/oauth1 reads the system
// clock (see "Authentication" in the package documentation). nil is an error.
func WithClock(now func() time.Time) Option { return restOption(rest.WithClock(now)) }

// WithSleep makes the client wait through sleep instead of a real timer: client-side pacing, the
// back-off between retries and Retry-After waits. sleep returns once d has passed, or ctx.Err()
// as soon as ctx is done. With WithClock it runs the client's waits on virtual time, so tests do
// not depend on the machine's speed. nil is an error.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return restOption(rest.WithSleep(sleep))
}

// WithQueryStringAuth sends the credentials as consumer_key and consumer_secret query
// parameters instead of an HTTP Basic Authorization header. Use it when the web server strips
// the Authorization header (typical for Apache with PHP as CGI/FastCGI), which WooCommerce then
// reports as 401 woocommerce_rest_cannot_view. WooCommerce accepts it over HTTPS only, so
// NewClient refuses it for an http:// store URL. The credentials are redacted from logs and errors.
func WithQueryStringAuth() Option {
	return func(c *config) error {
		c.queryStringAuth = true
		return nil
	}
}

// OAuthSignatureMethod selects the HMAC used for OAuth 1.0a signatures over plain HTTP.
type OAuthSignatureMethod string

// The signature methods WooCommerce verifies.
const (
	OAuthHMACSHA256 OAuthSignatureMethod = "HMAC-SHA256" // the default, as in WooCommerce's own clients
	OAuthHMACSHA1   OAuthSignatureMethod = "HMAC-SHA1"
)

// WithOAuthSignatureMethod chooses the signature method for OAuth 1.0a, which is used when the
// store URL is http://. The default is HMAC-SHA256. It has no effect for https:// stores.
func WithOAuthSignatureMethod(m OAuthSignatureMethod) Option {
	return func(c *config) error {
		switch m {
		case OAuthHMACSHA256, OAuthHMACSHA1:
			c.oauthMethod = m
			return nil
		}
		return errors.New("WithOAuthSignatureMethod: unsupported signature method " + strconv.Quote(string(m)))
	}
}

// WithMethodOverride sends PUT and DELETE requests as POST with an X-HTTP-Method-Override
// header, which WordPress honours. Use it when a firewall such as ModSecurity answers PUT or
// DELETE with 501 Not Implemented.
func WithMethodOverride() Option {
	return func(c *config) error {
		c.methodOverride = true
		return nil
	}
}

// WithPriceDecimals sets the store's "Number of decimals" (WooCommerce > Settings > General;
// SystemStatus reports it as Settings.NumberOfDecimals). Amounts in requests are written with at
// least that many decimals ("8.50", not "8.5"), because WooCommerce stores them as sent. Default:
// DefaultPriceDecimals (2). n must be 0..8.
func WithPriceDecimals(n int) Option {
	return func(c *config) error {
		if n < 0 || n > 8 {
			return errPriceDecimals
		}
		c.priceDecimals = &n
		return nil
	}
}
