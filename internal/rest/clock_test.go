package rest

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestWithSleepCarriesEveryWait puts a client on virtual time with the public options: the
// back-off between retries (which go-retryablehttp would otherwise sleep on a timer), a
// Retry-After wait and a pacing wait all go through the injected sleep, so waits of minutes take
// no real time and are checked by value.
func TestWithSleepCarriesEveryWait(t *testing.T) {
	t.Parallel()
	var hits countingHits
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		switch hits.add(r) {
		case 1:
			w.WriteHeader(http.StatusBadGateway)
		case 2:
			w.Header().Set("Retry-After", "90")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			_, _ = w.Write([]byte(`{}`))
		}
	})
	clk := newFakeClock()
	start := clk.Now()
	c := newTestClient(t, srv, func(cfg *Config) {
		require.NoError(t, cfg.Apply(WithClock(clk.Now), WithSleep(clk.Sleep),
			WithRetry(3, 10*time.Minute, 10*time.Minute), WithRateLimit(1.0/60, 1)))
	})
	// A guard, not an assertion on time: a wait on a real timer fails the test instead of hanging.
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()

	resp, err := c.Do(ctx, &Request{Path: "x"}, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, resp.Attempts)
	_, err = c.Do(ctx, &Request{Path: "x"}, nil)
	require.NoError(t, err)

	waits := clk.Waits()
	require.Len(t, waits, 3, "%v", waits)
	assert.GreaterOrEqual(t, waits[0], 5*time.Minute, "exponential back-off after the 502, in [min/2, min]")
	assert.LessOrEqual(t, waits[0], 10*time.Minute)
	assert.Equal(t, 90*time.Second, waits[1], "the 429's Retry-After")
	// The 1-per-minute pace: the first call's retries came after waits longer than a minute, so
	// only the second call waits for a token, a minute after the third attempt.
	assert.Equal(t, time.Minute, waits[2], "pacing")
	assert.Equal(t, 4, hits.count())
	assert.Equal(t, waits[0]+waits[1]+waits[2], clk.Now().Sub(start), "virtual time moved only by the waits")
}

// TestWithSleepErrorEndsTheCall: a sleep that reports the context's end stops the retries at
// once, with the context's error and no further attempt.
func TestWithSleepErrorEndsTheCall(t *testing.T) {
	t.Parallel()
	var hits countingHits
	srv := newServer(t, statusSequence(&hits, http.StatusServiceUnavailable, http.StatusServiceUnavailable))
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var slept []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error {
		slept = append(slept, d)
		cancel() // the caller gives up while the client waits
		return ctx.Err()
	}
	c := newTestClient(t, srv, func(cfg *Config) { require.NoError(t, cfg.Apply(WithSleep(sleep))) })
	_, err := c.Do(ctx, &Request{Path: "x"}, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Contains(t, err.Error(), "GET /api/v1/x")
	assert.Len(t, slept, 1)
	assert.Equal(t, 1, hits.count(), "no attempt after the interrupted wait")
}
