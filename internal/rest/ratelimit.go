package rest

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// RateLimit is a server's view of the client's request budget, read from response headers.
// A field the server did not send is -1 (Limit, Remaining) or zero (Reset).
type RateLimit struct {
	Limit     int       // requests allowed per window
	Remaining int       // requests left in the current window
	Reset     time.Time // when the window resets
}

// rateLimitHeaderSets lists the header families servers use, most specific first.
var rateLimitHeaderSets = [...][3]string{
	{"X-Rate-Limit-Limit", "X-Rate-Limit-Remaining", "X-Rate-Limit-Reset"},
	{"X-RateLimit-Limit", "X-RateLimit-Remaining", "X-RateLimit-Reset"},
	{"RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset"},
}

// ParseRateLimitHeaders reads X-Rate-Limit-*, X-RateLimit-* or RateLimit-* headers. A reset value
// may be delay seconds or a Unix epoch; they are told apart by magnitude (an epoch is after 2001,
// a delay is shorter than 30 years).
func ParseRateLimitHeaders(h http.Header, now time.Time) (RateLimit, bool) {
	for _, set := range rateLimitHeaderSets {
		limit, okL := headerInt(h, set[0])
		remaining, okR := headerInt(h, set[1])
		reset, okS := ParseResetHeader(h.Get(set[2]), now)
		if !okL && !okR && !okS {
			continue
		}
		if !okL {
			limit = -1
		}
		if !okR {
			remaining = -1
		}
		return RateLimit{Limit: limit, Remaining: remaining, Reset: reset}, true
	}
	return RateLimit{}, false
}

// epochThreshold separates epoch seconds from delay seconds: 1e9 is September 2001.
const epochThreshold = 1_000_000_000

// ParseResetHeader reads a rate-limit reset value that is either delay seconds or a Unix epoch
// (seconds, possibly fractional).
func ParseResetHeader(v string, now time.Time) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= 0 && f <= 1e11) { // also rejects NaN
		return time.Time{}, false
	}
	sec, nsec := splitSeconds(v, f)
	if f >= epochThreshold {
		return time.Unix(sec, nsec), true
	}
	return now.Add(time.Duration(sec)*time.Second + time.Duration(nsec)), true
}

// splitSeconds returns the whole seconds and nanoseconds of v, whose value ParseFloat read as f.
// A plain decimal ("1767225600.050") is split exactly: a float64 holds an epoch only to about
// 0.2 µs, and a client that waits until a reset read a little early arrives before the server's
// window has turned. Digits beyond nanoseconds round up, for the same reason. Other forms
// ParseFloat accepts ("1.7e9") go through f.
func splitSeconds(v string, f float64) (sec, nsec int64) {
	whole, frac, _ := strings.Cut(v, ".")
	s, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || strings.Trim(frac, "0123456789") != "" {
		s = int64(f)
		return s, int64((f - float64(s)) * 1e9)
	}
	for i := range 9 {
		nsec *= 10
		if i < len(frac) {
			nsec += int64(frac[i] - '0')
		}
	}
	if len(frac) > 9 && strings.Trim(frac[9:], "0") != "" {
		nsec++
	}
	return s, nsec
}

func headerInt(h http.Header, name string) (int, bool) {
	v := strings.TrimSpace(h.Get(name))
	if v == "" {
		return 0, false
	}
	// RateLimit-Limit may carry a policy ("100, 100;w=60"): take the first number.
	if i := strings.IndexAny(v, ",;"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, false
	}
	return n, true
}

// pacer is the client-side limiter. It runs at the configured base rate, and slows down to spread
// the remaining budget over the rest of the server's window when the server reports it.
//
// It reads time only through now and waits only through sleep, so tests can drive it with a fake
// clock and count the waits instead of measuring them.
type pacer struct {
	now     func() time.Time
	sleep   func(ctx context.Context, d time.Duration) error
	limiter *rate.Limiter
	base    rate.Limit
	burst   int

	mu         sync.Mutex
	last       RateLimit
	seen       bool
	pauseUntil time.Time // remaining hit 0: no request before the reset
	slowUntil  time.Time // reduced rate in force until this reset
}

func newPacer(r rate.Limit, burst int, now func() time.Time, sleep func(context.Context, time.Duration) error) *pacer {
	if r <= 0 {
		r, burst = rate.Inf, 0
	} else if burst < 1 {
		burst = 1 // a finite rate with burst 0 would refuse every request
	}
	return &pacer{now: now, sleep: sleep, limiter: rate.NewLimiter(r, burst), base: r, burst: burst}
}

// wait blocks until the next request may be sent: first through a pause the server asked for
// (remaining == 0), then for a token of the limiter.
func (p *pacer) wait(ctx context.Context) error {
	p.mu.Lock()
	now := p.now()
	pause := p.pauseUntil.Sub(now)
	if !p.slowUntil.IsZero() && !now.Before(p.slowUntil) {
		p.limiter.SetLimitAt(now, p.base)
		p.limiter.SetBurstAt(now, p.burst)
		p.slowUntil = time.Time{}
	}
	p.mu.Unlock()
	if pause > 0 {
		if err := p.sleep(ctx, pause); err != nil {
			return err
		}
		now = p.now()
	}
	r := p.limiter.ReserveN(now, 1)
	if !r.OK() { // cannot happen: burst is at least 1 whenever the rate is finite
		return errors.New("rest: rate limiter refused the request")
	}
	if d := r.DelayFrom(now); d > 0 {
		if err := p.sleep(ctx, d); err != nil {
			r.CancelAt(p.now()) // give the token back to the requests still waiting
			return err
		}
	}
	return nil
}

// observe records the server's signals and adapts the pace.
func (p *pacer) observe(rl RateLimit) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.last, p.seen = rl, true
	now := p.now()
	if rl.Remaining < 0 || rl.Reset.IsZero() || !rl.Reset.After(now) {
		return
	}
	if rl.Remaining == 0 {
		p.pauseUntil = rl.Reset
		return
	}
	window := rl.Reset.Sub(now).Seconds()
	allowed := rate.Limit(float64(rl.Remaining) / window)
	if allowed < p.base {
		p.limiter.SetLimitAt(now, allowed)
		p.limiter.SetBurstAt(now, 1)
		p.slowUntil = rl.Reset
	}
}

func (p *pacer) latest() (RateLimit, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.last, p.seen
}
