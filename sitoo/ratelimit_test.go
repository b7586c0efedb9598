package sitoo_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
)

// TestRateLimitBurstPacedByHeaders is the acceptance test of the rate-limit handling: a burst of
// requests against a fake limited to 20 requests per second (a token bucket of 10) completes
// without an error reaching the caller and without a single 429, whichever form the reset header
// takes. The client is given no client-side limit: it paces itself only by the X-Rate-Limit-*
// headers.
//
// Client and fake run on one virtual clock that moves only when the client sleeps (see
// virtualClock): between two waits no time passes, so the limit binds whatever the machine's
// speed, and every figure below follows from the client's waits alone. A client that ignored the
// headers would send its 40 requests at one instant and meet 429s after the first 10. The
// throughput on the real clock is measured by BenchmarkRateLimitedBurst.
func TestRateLimitBurstPacedByHeaders(t *testing.T) {
	t.Parallel()
	const perSecond, burst, requests = 20, 10, 40
	for _, tc := range []struct {
		name string
		opts []sitootest.Option
	}{
		{"reset as delay seconds", nil},
		{"reset as epoch", []sitootest.Option{sitootest.WithResetEpoch()}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := newVirtualClock()
			start := clock.Now()
			srv := sitootest.NewServer(append(tc.opts, sitootest.WithRateLimit(perSecond, burst), sitootest.WithClock(clock.Now))...)
			t.Cleanup(srv.Close)
			c, err := srv.NewClient(clock.clientOptions()...)
			require.NoError(t, err)
			srv.SeedProducts(1, requests)

			n := 0
			for _, err := range c.Site(1).Products.All(t.Context(), &sitoo.ProductListOptions{ListOptions: sitoo.ListOptions{Num: 1}}) {
				require.NoError(t, err, "no error reaches the caller")
				n++
			}
			require.Equal(t, requests, n)

			st := srv.RateLimitStats()
			assert.Equal(t, requests, st.Allowed, "one admitted request per page")
			assert.Zero(t, st.Limited, "no request was answered 429: the client waited as the headers said")
			assert.Equal(t, sitootest.Stats{Requests: requests}, srv.Stats(), "requests sent: one per page, no retries")

			// The limit bound: beyond the bucket's 10, the requests had to wait for its refill, and
			// the client waited for it rather than past it.
			elapsed := clock.Now().Sub(start)
			minimum := time.Duration(requests-burst) * time.Second / perSecond // 1.5 s
			assert.GreaterOrEqual(t, elapsed, minimum, "virtual time the client waited")
			assert.NotEmpty(t, clock.Waits())
			assert.GreaterOrEqual(t, float64(st.Allowed)/st.Capacity(), 0.95,
				"share of the allowed rate used: %d requests in %s of virtual time", st.Allowed, st.Last.Sub(st.First))

			rl, ok := c.RateLimit()
			require.True(t, ok)
			assert.Equal(t, burst, rl.Limit)
			assert.GreaterOrEqual(t, rl.Remaining, 0)
		})
	}
}

func TestRateLimit429RetriedWithRetryAfter(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.SeedProducts(1, 1)
	h := http.Header{}
	h.Set("Retry-After", "0")
	h.Set("X-Rate-Limit-Limit", "100")
	h.Set("X-Rate-Limit-Remaining", "0")
	srv.Faults().Add(faults.Rule{Path: srv.Path("sites/1/products.json"), Times: 2, Status: http.StatusTooManyRequests,
		Header: h, Body: `{"statuscode":429,"errortext":"Too Many Requests"}`})

	list, resp, err := c.Site(1).Products.List(t.Context(), nil)
	require.NoError(t, err)
	assert.Len(t, list, 1)
	assert.Equal(t, 3, resp.Attempts, "two 429s, then success")
}

// TestRateLimit429RetriedWithResetHeader: a 429 that says when the window resets, as delay
// seconds or as an epoch, is retried after exactly that wait, slept on the virtual clock.
func TestRateLimit429RetriedWithResetHeader(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name  string
		reset func(now time.Time) string
	}{
		{"delay seconds", func(time.Time) string { return "1" }},
		{"unix epoch", func(now time.Time) string { return strconv.FormatInt(now.Unix()+1, 10) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clock := newVirtualClock()
			srv := sitootest.NewServer(sitootest.WithClock(clock.Now))
			t.Cleanup(srv.Close)
			c, err := srv.NewClient(clock.clientOptions()...)
			require.NoError(t, err)
			srv.SeedProducts(1, 1)
			before := clock.Now()
			h := http.Header{}
			h.Set("X-Rate-Limit-Limit", "60")
			h.Set("X-Rate-Limit-Remaining", "0")
			h.Set("X-Rate-Limit-Reset", tc.reset(before))
			srv.Faults().Add(faults.Rule{Path: srv.Path("sites/1/products.json"), Times: 1, Status: http.StatusTooManyRequests, Header: h})

			_, resp, err := c.Site(1).Products.List(t.Context(), nil)
			require.NoError(t, err)
			assert.Equal(t, 2, resp.Attempts)
			// The reset was read as the point in time a second after the 429, whichever form it
			// came in, and the retry waited exactly until then. (The fake's own answer carries no
			// rate-limit headers, so the 429's values are the latest.)
			assert.Equal(t, []time.Duration{time.Second}, clock.Waits())
			rl, ok := c.RateLimit()
			require.True(t, ok)
			assert.Equal(t, 60, rl.Limit)
			assert.Equal(t, 0, rl.Remaining)
			assert.True(t, rl.Reset.Equal(before.Add(time.Second)), "reset %v", rl.Reset)
		})
	}
}

func TestRateLimitTooLongWaitReturnsErrRateLimited(t *testing.T) {
	t.Parallel()
	srv := sitootest.NewServer()
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(sitoo.WithMaxRetryAfter(time.Second))
	require.NoError(t, err)
	srv.Faults().Add(faults.Status429(time.Hour))

	_, _, err = c.Site(1).Products.Get(t.Context(), 1)
	require.ErrorIs(t, err, sitoo.ErrRateLimited)
	var apiErr *sitoo.APIError
	require.ErrorAs(t, err, &apiErr)
	wait, ok := apiErr.RetryAfter(time.Now())
	require.True(t, ok)
	assert.Equal(t, time.Hour, wait)
	assert.Equal(t, 1, srv.Faults().Injected(), "a wait beyond the limit is not slept through")
}

func TestFakeRateLimitHeaders(t *testing.T) {
	t.Parallel()
	srv := sitootest.NewServer(sitootest.WithRateLimit(1, 2))
	t.Cleanup(srv.Close)
	get := func() *http.Response {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/sites/1/products.json", nil)
		require.NoError(t, err)
		req.SetBasicAuth(srv.APIID, srv.Password)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	r1, r2, r3 := get(), get(), get()
	assert.Equal(t, http.StatusOK, r1.StatusCode)
	assert.Equal(t, "2", r1.Header.Get("X-Rate-Limit-Limit"))
	assert.Equal(t, "1", r1.Header.Get("X-Rate-Limit-Remaining"))
	assert.Equal(t, "0", r2.Header.Get("X-Rate-Limit-Remaining"))
	assert.Equal(t, http.StatusTooManyRequests, r3.StatusCode)
	assert.Equal(t, "1", r3.Header.Get("Retry-After"))
	reset, err := strconv.ParseFloat(r3.Header.Get("X-Rate-Limit-Reset"), 64)
	require.NoError(t, err)
	assert.Greater(t, reset, 0.0)
	assert.LessOrEqual(t, reset, 1.0)
	st := srv.RateLimitStats()
	assert.Equal(t, 2, st.Allowed)
	assert.Equal(t, 1, st.Limited)
	assert.Equal(t, 1, srv.Stats().RateLimited)
}
