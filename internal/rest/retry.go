package rest

import (
	"context"
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// retryableStatus reports the statuses worth another attempt.
func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// checkRetry is the retry policy; see Request.RetrySafe for the rules on unsafe methods. When it
// retries, it records in the call state how long to wait first (see waitBeforeRetry).
func (c *Client) checkRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	retry, err := c.shouldRetry(ctx, resp, err)
	if st := callStateFrom(ctx); retry && st != nil {
		st.wait = c.backoff(c.cfg.RetryWaitMin, c.cfg.RetryWaitMax, st.retries, resp)
		st.retries++
	}
	return retry, err
}

// waitBeforeRetry sleeps, through Config.sleep, the wait checkRetry chose for the next attempt.
// retryablehttp calls it before every retry (its own timer is given no wait); an error, the
// context's, ends the call.
func (c *Client) waitBeforeRetry(req *http.Request) error {
	ctx := req.Context()
	st := callStateFrom(ctx)
	if st == nil {
		return ctx.Err()
	}
	return c.cfg.sleep(ctx, st.wait)
}

func (c *Client) shouldRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return false, ctxErr
	}
	st := callStateFrom(ctx)
	safe := st != nil && st.retrySafe
	if err != nil {
		if !safe || errors.As(err, new(*authError)) {
			return false, err
		}
		// Reuse retryablehttp's judgement of which transport errors are permanent
		// (bad scheme, invalid header, TLS certificate errors, redirect loops).
		return retryablehttp.DefaultRetryPolicy(ctx, nil, err)
	}
	if !retryableStatus(resp.StatusCode) {
		return false, nil
	}
	if resp.StatusCode != http.StatusTooManyRequests && !safe {
		return false, nil
	}
	if wait, ok := c.serverWait(resp); ok && wait > c.cfg.MaxRetryAfter {
		return false, nil // the server asks for longer than we are willing to block: report it
	}
	return true, nil
}

// backoff is exponential with jitter, unless the server said how long to wait.
func (c *Client) backoff(waitMin, waitMax time.Duration, attemptNum int, resp *http.Response) time.Duration {
	if resp != nil {
		if wait, ok := c.serverWait(resp); ok {
			return wait
		}
	}
	return exponentialJitter(waitMin, waitMax, attemptNum)
}

// exponentialJitter returns a wait in [d/2, d] where d = min·2^attempt capped at max.
func exponentialJitter(waitMin, waitMax time.Duration, attemptNum int) time.Duration {
	d := waitMin
	for i := 0; i < attemptNum && d < waitMax; i++ {
		if d > waitMax/2 {
			d = waitMax // doubling would pass the cap (or overflow)
			break
		}
		d *= 2
	}
	if d > waitMax {
		d = waitMax
	}
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// serverWait returns the wait the server asked for on a 429 or 503: Retry-After first, then the
// rate-limit reset signal.
func (c *Client) serverWait(resp *http.Response) (time.Duration, bool) {
	if resp.StatusCode != http.StatusTooManyRequests && resp.StatusCode != http.StatusServiceUnavailable {
		return 0, false
	}
	now := c.cfg.now()
	if d, ok := ParseRetryAfter(resp.Header.Get("Retry-After"), now); ok {
		return d, true
	}
	if rl, ok := c.cfg.RateLimitFromHeaders(resp.Header, now); ok && !rl.Reset.IsZero() {
		d := rl.Reset.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// ParseRetryAfter reads a Retry-After value in either of its forms: delay seconds ("120") or an
// HTTP-date ("Wed, 21 Oct 2015 07:28:00 GMT"). A date in the past yields 0.
func ParseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(365*24*time.Hour/time.Second) {
			secs = int64(365 * 24 * time.Hour / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
