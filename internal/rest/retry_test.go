package rest

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRetryCounts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		retryMax     int // Config.RetryMax: 0 default (4), -1 none
		statuses     []int
		wantAttempts int
		wantStatus   int
	}{
		{"success first time", 0, nil, 1, 200},
		{"503 then success", 0, []int{503}, 2, 200},
		{"each retryable status", 0, []int{429, 502, 503, 504}, 5, 200},
		{"gives up after RetryMax", 2, []int{503, 503, 503, 503}, 3, 503},
		{"default RetryMax is 4", 0, []int{502, 502, 502, 502, 502, 502}, 5, 502},
		{"retries disabled", -1, []int{503}, 1, 503},
		{"500 is not retried", 0, []int{500}, 1, 500},
		{"501 is not retried", 0, []int{501}, 1, 501},
		{"404 is not retried", 0, []int{404}, 1, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var hits countingHits
			srv := newServer(t, statusSequence(&hits, tt.statuses...))
			c := newTestClient(t, srv, func(cfg *Config) { cfg.RetryMax = tt.retryMax })
			resp, err := c.Do(t.Context(), &Request{Path: "x"}, nil)
			require.NotNil(t, resp)
			assert.Equal(t, tt.wantStatus, resp.StatusCode)
			assert.Equal(t, tt.wantAttempts, resp.Attempts)
			assert.Equal(t, tt.wantAttempts, hits.count())
			if tt.wantStatus == 200 {
				assert.NoError(t, err)
				assert.Equal(t, `{"ok":true}`, string(resp.Body))
			} else {
				var he *HTTPError
				require.ErrorAs(t, err, &he)
				assert.Equal(t, tt.wantStatus, he.StatusCode)
			}
		})
	}
}

func TestExponentialJitterBounds(t *testing.T) {
	t.Parallel()
	const waitMin, waitMax = 100 * time.Millisecond, 1 * time.Second
	for attempt, ceiling := range []time.Duration{
		100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 800 * time.Millisecond,
		time.Second, time.Second, time.Second,
	} {
		lo, hi := ceiling, time.Duration(0)
		for range 500 {
			d := exponentialJitter(waitMin, waitMax, attempt)
			require.GreaterOrEqual(t, d, ceiling/2, "attempt %d", attempt)
			require.LessOrEqual(t, d, ceiling, "attempt %d", attempt)
			lo, hi = min(lo, d), max(hi, d)
		}
		assert.Less(t, lo, hi, "attempt %d: the wait is jittered", attempt)
	}
	// Huge caps and attempt numbers neither overflow nor go negative.
	d := exponentialJitter(time.Second, math.MaxInt64, 200)
	assert.GreaterOrEqual(t, d, time.Duration(math.MaxInt64/2))
	assert.Equal(t, time.Duration(0), exponentialJitter(0, time.Second, 3))
	assert.Equal(t, time.Duration(1), exponentialJitter(1, 1, 5))
}

func TestBackoffUsesServerWait(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	cfg := Config{BaseURL: "http://127.0.0.1:1/"}
	useClock(&cfg, clk)
	c, err := New(cfg)
	require.NoError(t, err)
	resp := func(status int, kv ...string) *http.Response {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return &http.Response{StatusCode: status, Header: h}
	}
	now := clk.Now()
	const lo, hi = 10 * time.Millisecond, 20 * time.Millisecond

	assert.Equal(t, 7*time.Second, c.backoff(lo, hi, 0, resp(429, "Retry-After", "7")))
	assert.Equal(t, 90*time.Second, c.backoff(lo, hi, 0, resp(503, "Retry-After", now.Add(90*time.Second).Format(http.TimeFormat))))
	assert.Equal(t, 30*time.Second, c.backoff(lo, hi, 0, resp(429, "X-RateLimit-Reset", "30")), "reset as delay seconds")
	assert.Equal(t, 45*time.Second, c.backoff(lo, hi, 0, resp(429, "X-RateLimit-Reset", formatUnix(now.Add(45*time.Second)))), "reset as epoch")
	assert.Equal(t, time.Duration(0), c.backoff(lo, hi, 0, resp(429, "X-RateLimit-Reset", formatUnix(now.Add(-time.Hour)))), "reset in the past")
	assert.Equal(t, 5*time.Second, c.backoff(lo, hi, 0, resp(429, "Retry-After", "5", "X-RateLimit-Reset", "60")), "Retry-After wins")

	for _, r := range []*http.Response{
		nil,
		resp(502, "Retry-After", "7"), // only 429 and 503 carry a server wait
		resp(429, "Retry-After", "soon"),
		resp(503),
	} {
		d := c.backoff(lo, hi, 1, r)
		assert.GreaterOrEqual(t, d, lo)
		assert.LessOrEqual(t, d, hi)
	}
}

func formatUnix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

func TestParseRetryAfter(t *testing.T) {
	t.Parallel()
	now := time.Date(2015, 10, 21, 7, 28, 0, 0, time.UTC)
	tests := []struct {
		in     string
		want   time.Duration
		wantOK bool
	}{
		{"120", 120 * time.Second, true},
		{" 0 ", 0, true},
		{"Wed, 21 Oct 2015 07:30:00 GMT", 2 * time.Minute, true},      // IMF-fixdate
		{"Wednesday, 21-Oct-15 07:28:30 GMT", 30 * time.Second, true}, // RFC 850
		{"Wed Oct 21 07:29:00 2015", time.Minute, true},               // asctime
		{"Wed, 21 Oct 2015 07:00:00 GMT", 0, true},                    // in the past
		{"99999999999", 365 * 24 * time.Hour, true},                   // capped
		{"", 0, false},
		{"-5", 0, false},
		{"1.5", 0, false},
		{"soon", 0, false},
		{"2015-10-21T07:30:00Z", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseRetryAfter(tt.in, now)
		assert.Equal(t, tt.wantOK, ok, "%q", tt.in)
		assert.Equal(t, tt.want, got, "%q", tt.in)
	}
}

func TestRetryAfterHonouredByClient(t *testing.T) {
	t.Parallel()
	clk := newFakeClock()
	tests := []struct {
		name         string
		retryAfter   string
		wantAttempts int
	}{
		{"seconds, short", "0", 2},
		{"seconds, longer than MaxRetryAfter", "120", 1},
		{"HTTP-date, now", clk.Now().Format(http.TimeFormat), 2},
		{"HTTP-date, past", clk.Now().Add(-time.Hour).Format(http.TimeFormat), 2},
		{"HTTP-date, beyond MaxRetryAfter", clk.Now().Add(time.Hour).Format(http.TimeFormat), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var hits countingHits
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if hits.add(r) == 1 {
					w.Header().Set("Retry-After", tt.retryAfter)
					w.WriteHeader(http.StatusTooManyRequests)
					return
				}
				w.WriteHeader(http.StatusOK)
			})
			c := newTestClient(t, srv, func(cfg *Config) {
				cfg.MaxRetryAfter = time.Minute
				useClock(cfg, clk)
				cfg.RetryWaitMin, cfg.RetryWaitMax = time.Hour, time.Hour // a back-off would hang the test
			})
			resp, err := c.Do(t.Context(), &Request{Path: "x"}, nil)
			require.NotNil(t, resp)
			assert.Equal(t, tt.wantAttempts, resp.Attempts)
			if tt.wantAttempts == 1 {
				var he *HTTPError
				require.ErrorAs(t, err, &he, "the caller gets the 429 to decide")
				assert.Equal(t, http.StatusTooManyRequests, he.StatusCode)
				assert.Equal(t, tt.retryAfter, he.Header.Get("Retry-After"))
			} else {
				assert.NoError(t, err)
			}
		})
	}
}

func TestMaxRetryAfterAppliesToResetHeader(t *testing.T) {
	t.Parallel()
	var hits countingHits
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		hits.add(r)
		w.Header().Set("X-RateLimit-Reset", "3600")
		w.WriteHeader(http.StatusTooManyRequests)
	})
	c := newTestClient(t, srv, nil)
	resp, err := c.Do(t.Context(), &Request{Path: "x"}, nil)
	var he *HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, http.StatusTooManyRequests, he.StatusCode)
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, 1, hits.count())
}

func TestUnsafeMethodsRetryOnlyWhenMarkedSafe(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"} {
		for _, status := range []int{502, 503, 504} {
			for _, safe := range []bool{false, true} {
				t.Run(method+"/"+http.StatusText(status)+"/"+map[bool]string{false: "unmarked", true: "RetrySafe"}[safe], func(t *testing.T) {
					t.Parallel()
					var hits countingHits
					srv := newServer(t, statusSequence(&hits, status))
					c := newTestClient(t, srv, nil)
					req := &Request{Method: method, Path: "x", RetrySafe: safe}
					if method != "GET" && method != "HEAD" && method != "OPTIONS" {
						req.Body = map[string]int{"points": 50}
					}
					resp, err := c.Do(t.Context(), req, nil)
					require.NotNil(t, resp)
					want := 2
					if !safe && !idempotent(method) {
						want = 1
						var he *HTTPError
						require.ErrorAs(t, err, &he)
						assert.Equal(t, status, he.StatusCode)
					} else {
						require.NoError(t, err)
					}
					assert.Equal(t, want, resp.Attempts)
					assert.Equal(t, want, hits.count())
					if req.Body != nil {
						for _, b := range hits.bodies {
							assert.Equal(t, `{"points":50}`, b, "the same body on every attempt")
						}
					}
				})
			}
		}
	}
}

func Test429IsRetriedForEveryMethod(t *testing.T) {
	t.Parallel()
	for _, method := range []string{"POST", "PUT", "PATCH", "DELETE"} {
		t.Run(method, func(t *testing.T) {
			t.Parallel()
			var hits countingHits
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				if hits.add(r) == 1 {
					w.Header().Set("Retry-After", "0")
					w.WriteHeader(http.StatusTooManyRequests)
					return
				}
				w.WriteHeader(http.StatusCreated)
			})
			c := newTestClient(t, srv, nil)
			resp, err := c.Do(t.Context(), &Request{Method: method, Path: "coupons", Body: map[string]string{"code": "X"}}, nil)
			require.NoError(t, err)
			assert.Equal(t, http.StatusCreated, resp.StatusCode)
			assert.Equal(t, 2, resp.Attempts)
			assert.Equal(t, []string{`{"code":"X"}`, `{"code":"X"}`}, hits.bodies)
		})
	}
}

// dropFirst closes the connection without an answer for the first n requests, then answers 200.
func dropFirst(t *testing.T, hits *countingHits, n int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if hits.add(r) <= n {
			conn, _, err := http.NewResponseController(w).Hijack()
			if assert.NoError(t, err) {
				_ = conn.Close()
			}
			return
		}
		w.WriteHeader(http.StatusOK)
	}
}

func TestNetworkErrorRetryRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		method       string
		safe         bool
		wantAttempts int
	}{
		{"GET", false, 2},
		{"POST", false, 1},
		{"PUT", false, 1},
		{"DELETE", false, 1},
		{"POST", true, 2},
		{"PATCH", true, 2},
	}
	for _, tt := range tests {
		t.Run(tt.method+map[bool]string{false: "", true: "/RetrySafe"}[tt.safe], func(t *testing.T) {
			t.Parallel()
			var hits countingHits
			srv := newServer(t, dropFirst(t, &hits, 1))
			c := newTestClient(t, srv, nil)
			resp, err := c.Do(t.Context(), &Request{Method: tt.method, Path: "x", Body: []byte("{}"), RetrySafe: tt.safe}, nil)
			assert.Equal(t, tt.wantAttempts, hits.count())
			if tt.wantAttempts == 1 {
				var te *TransportError
				require.ErrorAs(t, err, &te, "the lost response is reported, not retried")
				assert.Equal(t, 1, te.Attempts)
				assert.Equal(t, tt.method, te.Method)
				assert.Contains(t, te.Error(), "after 1 attempt(s)")
				assert.Nil(t, resp)
			} else {
				require.NoError(t, err)
				assert.Equal(t, 2, resp.Attempts)
			}
		})
	}
}

func TestNetworkErrorGivesUpAfterRetryMax(t *testing.T) {
	t.Parallel()
	var hits countingHits
	srv := newServer(t, dropFirst(t, &hits, 100))
	c := newTestClient(t, srv, func(cfg *Config) { cfg.RetryMax = 2 })
	_, err := c.Do(t.Context(), &Request{Path: "x"}, nil)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 3, te.Attempts)
	assert.Equal(t, 3, hits.count())
	assert.NotNil(t, te.Unwrap())
}

func TestPermanentTransportErrorIsNotRetried(t *testing.T) {
	t.Parallel()
	rt := &countingTransport{next: roundTripFunc(func(*http.Request) (*http.Response, error) {
		return nil, errors.New(`unsupported protocol scheme "gopher"`)
	})}
	c, err := New(Config{BaseURL: "http://127.0.0.1:1/", HTTPClient: &http.Client{Transport: rt}, RetryWaitMin: time.Millisecond})
	require.NoError(t, err)
	_, err = c.Do(t.Context(), &Request{Path: "x"}, nil)
	require.Error(t, err)
	assert.Equal(t, int32(1), rt.n.Load(), "retryablehttp's list of permanent errors is kept")
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestCancelDuringBackoffReturnsPromptly(t *testing.T) {
	t.Parallel()
	for name, configure := range map[string]func(w http.ResponseWriter){
		"exponential back-off": func(w http.ResponseWriter) { w.WriteHeader(http.StatusServiceUnavailable) },
		"Retry-After wait": func(w http.ResponseWriter) {
			w.Header().Set("Retry-After", "60")
			w.WriteHeader(http.StatusTooManyRequests)
		},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			var hits countingHits
			answered := make(chan struct{}, 10)
			srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
				hits.add(r)
				configure(w)
				answered <- struct{}{}
			})
			c := newTestClient(t, srv, func(cfg *Config) {
				cfg.RetryWaitMin, cfg.RetryWaitMax = time.Hour, time.Hour
				cfg.MaxRetryAfter = time.Hour
			})
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			done := make(chan error, 1)
			go func() {
				_, err := c.Do(ctx, &Request{Path: "x"}, nil)
				done <- err
			}()
			<-answered // the first attempt failed; the client is now waiting to retry
			cancel()
			select {
			case err := <-done:
				require.ErrorIs(t, err, context.Canceled)
				assert.Contains(t, err.Error(), "GET /api/v1/x")
			case <-time.After(30 * time.Second): // a guard so a broken wait fails instead of hanging
				t.Fatal("Do did not return after its context was cancelled")
			}
			assert.Equal(t, 1, hits.count())
		})
	}
}

func TestCancelledContextSendsNothing(t *testing.T) {
	t.Parallel()
	var hits countingHits
	srv := newServer(t, statusSequence(&hits))
	c := newTestClient(t, srv, nil)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err := c.Do(ctx, &Request{Path: "x"}, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, hits.count())
}

func TestDeadlineDuringRequest(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	})
	defer close(release)
	c := newTestClient(t, srv, nil)
	ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
	defer cancel()
	_, err := c.Do(ctx, &Request{Path: "slow"}, nil)
	require.ErrorIs(t, err, context.DeadlineExceeded)
}

func TestSleepCtx(t *testing.T) {
	t.Parallel()
	require.NoError(t, sleepCtx(t.Context(), 0))
	require.NoError(t, sleepCtx(t.Context(), time.Microsecond))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, sleepCtx(ctx, time.Hour), context.Canceled)
	assert.ErrorIs(t, sleepCtx(ctx, 0), context.Canceled)
}
