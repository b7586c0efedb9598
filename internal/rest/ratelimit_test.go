package rest

import (
	"context"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

func TestParseResetHeader(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Time
		wantOK bool
	}{
		{"30", now.Add(30 * time.Second), true},                       // delay seconds
		{"0", now, true},                                              // resets now
		{"1.5", now.Add(1500 * time.Millisecond), true},               // fractional delay
		{"999999999", now.Add(999999999 * time.Second), true},         // just below the epoch threshold: still a delay
		{"1000000000", time.Unix(1_000_000_000, 0), true},             // Sep 2001: an epoch
		{"1772366400", time.Unix(1772366400, 0), true},                // epoch seconds
		{" 1772366400.25 ", time.Unix(1772366400, 250_000_000), true}, // fractional epoch
		{"1767225600.050", time.Unix(1767225600, 50_000_000), true},   // exact to the nanosecond, not float64's 0.2 µs
		{"1767225600.0000000001", time.Unix(1767225600, 1), true},     // beyond nanoseconds: rounded up, never early
		{"0.050", now.Add(50 * time.Millisecond), true},               // exact delay
		{"1.7723664e9", time.Unix(1772366400, 0), true},               // exponent form: read as a float
		{"5.", now.Add(5 * time.Second), true},
		{"", time.Time{}, false},
		{"-1", time.Time{}, false},
		{"soon", time.Time{}, false},
		{"NaN", time.Time{}, false},
		{"Inf", time.Time{}, false},
		{"1e12", time.Time{}, false}, // far beyond any plausible epoch
	}
	for _, tt := range tests {
		got, ok := ParseResetHeader(tt.in, now)
		assert.Equal(t, tt.wantOK, ok, "%q", tt.in)
		assert.True(t, tt.want.Equal(got), "%q: got %v, want %v", tt.in, got, tt.want)
	}
}

func TestParseRateLimitHeaders(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	h := func(kv ...string) http.Header {
		out := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			out.Set(kv[i], kv[i+1])
		}
		return out
	}
	tests := []struct {
		name   string
		h      http.Header
		want   RateLimit
		wantOK bool
	}{
		{"none", h("Content-Type", "application/json"), RateLimit{}, false},
		{"X-RateLimit family", h("X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "42", "X-RateLimit-Reset", "60"),
			RateLimit{Limit: 100, Remaining: 42, Reset: now.Add(time.Minute)}, true},
		{"X-Rate-Limit family, epoch reset", h("X-Rate-Limit-Limit", "10", "X-Rate-Limit-Remaining", "0", "X-Rate-Limit-Reset", "1772366460"),
			RateLimit{Limit: 10, Remaining: 0, Reset: time.Unix(1772366460, 0)}, true},
		{"IETF RateLimit family with policy", h("RateLimit-Limit", "100, 100;w=60", "RateLimit-Remaining", "7", "RateLimit-Reset", "5"),
			RateLimit{Limit: 100, Remaining: 7, Reset: now.Add(5 * time.Second)}, true},
		{"only remaining", h("X-RateLimit-Remaining", "3"), RateLimit{Limit: -1, Remaining: 3}, true},
		{"only reset", h("X-RateLimit-Reset", "10"), RateLimit{Limit: -1, Remaining: -1, Reset: now.Add(10 * time.Second)}, true},
		{"garbage is ignored", h("X-RateLimit-Limit", "lots", "X-RateLimit-Remaining", "-4", "X-RateLimit-Reset", "whenever"), RateLimit{}, false},
		{"most specific family wins", h("X-Rate-Limit-Remaining", "1", "X-RateLimit-Remaining", "2", "RateLimit-Remaining", "3"),
			RateLimit{Limit: -1, Remaining: 1}, true},
	}
	for _, tt := range tests {
		got, ok := ParseRateLimitHeaders(tt.h, now)
		assert.Equal(t, tt.wantOK, ok, tt.name)
		assert.Equal(t, tt.want.Limit, got.Limit, tt.name)
		assert.Equal(t, tt.want.Remaining, got.Remaining, tt.name)
		assert.True(t, tt.want.Reset.Equal(got.Reset), "%s: reset %v, want %v", tt.name, got.Reset, tt.want.Reset)
	}
}

func waitN(t *testing.T, p *pacer, n int) {
	t.Helper()
	for range n {
		require.NoError(t, p.wait(t.Context()))
	}
}

func TestPacerPacesAtConfiguredRate(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	start := clk.Now()
	p := newPacer(10, 2, clk.Now, clk.Sleep)
	waitN(t, p, 6)
	// The burst of 2 goes at once; every further request waits for a token at 10/s.
	assert.Equal(t, []time.Duration{100 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond, 100 * time.Millisecond}, clk.Waits())
	assert.Equal(t, 400*time.Millisecond, clk.Now().Sub(start))

	clk.Advance(time.Second) // idle: the bucket refills to its burst, no more
	before := len(clk.Waits())
	waitN(t, p, 3)
	assert.Equal(t, []time.Duration{100 * time.Millisecond}, clk.Waits()[before:])
}

func TestPacerUnlimitedNeverWaits(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newPacer(0, 0, clk.Now, clk.Sleep)
	waitN(t, p, 1000)
	assert.Empty(t, clk.Waits())
}

func TestPacerRaisesBurstZeroToOne(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newPacer(5, 0, clk.Now, clk.Sleep)
	waitN(t, p, 3)
	assert.Equal(t, []time.Duration{200 * time.Millisecond, 200 * time.Millisecond}, clk.Waits())
}

func TestPacerSlowsDownToServerBudget(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newPacer(0, 0, clk.Now, clk.Sleep) // unlimited until the server says otherwise
	waitN(t, p, 1)
	p.observe(RateLimit{Limit: 100, Remaining: 4, Reset: clk.Now().Add(2 * time.Second)})
	waitN(t, p, 4)
	// Four requests left for two seconds: one every 500 ms.
	assert.Equal(t, []time.Duration{500 * time.Millisecond, 500 * time.Millisecond, 500 * time.Millisecond, 500 * time.Millisecond}, clk.Waits())

	// Once the server's window has reset, the base rate (unlimited) is back.
	clk.Advance(time.Second)
	before := len(clk.Waits())
	waitN(t, p, 50)
	assert.Len(t, clk.Waits(), before)
}

func TestPacerKeepsSlowerBaseRate(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newPacer(1, 1, clk.Now, clk.Sleep)
	waitN(t, p, 1)
	p.observe(RateLimit{Limit: 1000, Remaining: 1000, Reset: clk.Now().Add(10 * time.Second)}) // 100/s allowed
	waitN(t, p, 2)
	assert.Equal(t, []time.Duration{time.Second, time.Second}, clk.Waits(), "the server allows more than the base rate: keep the base")
}

func TestPacerPausesUntilResetWhenNothingRemains(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newPacer(0, 0, clk.Now, clk.Sleep)
	reset := clk.Now().Add(30 * time.Second)
	p.observe(RateLimit{Limit: 60, Remaining: 0, Reset: reset})
	waitN(t, p, 1)
	assert.Equal(t, []time.Duration{30 * time.Second}, clk.Waits())
	assert.True(t, clk.Now().Equal(reset))
	waitN(t, p, 3)
	assert.Len(t, clk.Waits(), 1, "after the reset requests flow again")

	rl, seen := p.latest()
	assert.True(t, seen)
	assert.Equal(t, 0, rl.Remaining)
}

func TestPacerIgnoresIncompleteSignals(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newPacer(0, 0, clk.Now, clk.Sleep)
	for _, rl := range []RateLimit{
		{Limit: 10, Remaining: -1, Reset: clk.Now().Add(time.Minute)}, // remaining unknown
		{Limit: 10, Remaining: 0},                                     // no reset time
		{Limit: 10, Remaining: 0, Reset: clk.Now().Add(-time.Second)}, // reset already passed
	} {
		p.observe(rl)
		waitN(t, p, 3)
	}
	assert.Empty(t, clk.Waits())
}

func TestPacerCancelledWaitReturnsItsToken(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	p := newPacer(1, 1, clk.Now, clk.Sleep)
	waitN(t, p, 1)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.ErrorIs(t, p.wait(ctx), context.Canceled)
	waitN(t, p, 1)
	assert.Equal(t, []time.Duration{time.Second}, clk.Waits(), "the cancelled reservation was given back")

	p.observe(RateLimit{Remaining: 0, Reset: clk.Now().Add(time.Minute)})
	require.ErrorIs(t, p.wait(ctx), context.Canceled, "a pause honours the context too")
}

func TestPacerRealSleepHonoursContext(t *testing.T) {
	t.Parallel()
	p := newPacer(rate.Every(time.Hour), 1, time.Now, sleepCtx)
	require.NoError(t, p.wait(t.Context()))
	ctx, cancel := context.WithCancel(t.Context())
	go cancel()
	require.ErrorIs(t, p.wait(ctx), context.Canceled)
}

func TestClientPacesRequests(t *testing.T) {
	t.Parallel()
	var hits countingHits
	srv := newServer(t, statusSequence(&hits))
	clk := newFakeClock()
	c := newTestClient(t, srv, func(cfg *Config) {
		require.NoError(t, cfg.Apply(WithRateLimit(4, 1)))
		useClock(cfg, clk)
	})
	for range 5 {
		_, err := c.Do(t.Context(), &Request{Path: "x"}, nil)
		require.NoError(t, err)
	}
	assert.Equal(t, []time.Duration{250 * time.Millisecond, 250 * time.Millisecond, 250 * time.Millisecond, 250 * time.Millisecond}, clk.Waits())
	assert.Equal(t, 5, hits.count())
}

func TestClientAdaptsToRemainingHeaders(t *testing.T) {
	t.Parallel()
	var hits countingHits
	remaining := []int{4, 4, 4, 0, 100}
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := hits.add(r)
		w.Header().Set("X-RateLimit-Limit", "100")
		w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(remaining[n-1]))
		w.Header().Set("X-RateLimit-Reset", "2")
		_, _ = w.Write([]byte(`{}`))
	})
	clk := newFakeClock()
	c := newTestClient(t, srv, func(cfg *Config) { useClock(cfg, clk) })
	do := func() {
		_, err := c.Do(t.Context(), &Request{Path: "x"}, nil)
		require.NoError(t, err)
	}

	do() // remaining 4 of a 2 s window: slow to 2/s
	rl, seen := c.RateLimit()
	require.True(t, seen)
	assert.Equal(t, RateLimit{Limit: 100, Remaining: 4, Reset: clk.Now().Add(2 * time.Second)}, rl)
	do()
	do()
	assert.Equal(t, []time.Duration{500 * time.Millisecond, 500 * time.Millisecond}, clk.Waits())

	do() // remaining 0: the next request waits for the whole reset
	do()
	waits := clk.Waits()
	require.Len(t, waits, 4)
	assert.Equal(t, 500*time.Millisecond, waits[2])
	assert.Equal(t, 2*time.Second, waits[3], "paused until the reset")
	assert.Equal(t, 5, hits.count())
}

func TestCustomRateLimitHook(t *testing.T) {
	t.Parallel()
	var hits countingHits
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := hits.add(r)
		w.Header().Set("X-Budget-Left", strconv.Itoa(2-n))
		if n == 1 {
			w.Header().Set("X-Budget-Refill-Ms", "0") // retry at once
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("X-Budget-Refill-Ms", "2000")
		_, _ = w.Write([]byte(`{}`))
	})
	clk := newFakeClock()
	// An API with its own header names: the hook reads them, the core does the rest.
	hook := func(h http.Header, now time.Time) (RateLimit, bool) {
		left, err1 := strconv.Atoi(h.Get("X-Budget-Left"))
		ms, err2 := strconv.Atoi(h.Get("X-Budget-Refill-Ms"))
		if err1 != nil || err2 != nil {
			return RateLimit{}, false
		}
		return RateLimit{Limit: 3, Remaining: left, Reset: now.Add(time.Duration(ms) * time.Millisecond)}, true
	}
	c := newTestClient(t, srv, func(cfg *Config) {
		cfg.RateLimitFromHeaders = hook
		useClock(cfg, clk)
	})
	resp, err := c.Do(t.Context(), &Request{Path: "x"}, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	rl, ok := c.RateLimit()
	require.True(t, ok)
	assert.Equal(t, RateLimit{Limit: 3, Remaining: 0, Reset: clk.Now().Add(2 * time.Second)}, rl)

	// The hook's reset is the back-off of a 429.
	assert.Equal(t, 1500*time.Millisecond, c.backoff(time.Millisecond, time.Millisecond, 0,
		&http.Response{StatusCode: 429, Header: http.Header{"X-Budget-Left": {"0"}, "X-Budget-Refill-Ms": {"1500"}}}))

	// The 429's refill of 0 ms was the wait before the retry; nothing is left until the 2 s
	// refill, so the next request waits for it on the pacer.
	_, err = c.Do(t.Context(), &Request{Path: "x"}, nil)
	require.NoError(t, err)
	assert.Equal(t, []time.Duration{0, 2 * time.Second}, clk.Waits())
}
