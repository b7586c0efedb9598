package rest

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fakeClock is a clock that moves only when something sleeps on it, so pacing can be checked by
// counting waits instead of measuring time.
type fakeClock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.waits = append(c.waits, d)
	return nil
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func (c *fakeClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// useClock makes cfg read time from clk and wait on it.
func useClock(cfg *Config, clk *fakeClock) {
	cfg.now = clk.Now
	cfg.sleep = clk.Sleep
}

// newServer starts an httptest server on 127.0.0.1 that is closed when the test ends.
func newServer(t *testing.T, h http.HandlerFunc) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// newTestClient returns a Client for srv with millisecond back-off; configure may change the Config.
func newTestClient(t *testing.T, srv *httptest.Server, configure func(*Config)) *Client {
	t.Helper()
	// srv.Client() has a transport of its own: with the default client, any parallel test's
	// httptest.Server.Close closes idle connections of http.DefaultTransport and may break a
	// connection this test is about to reuse (a transport error instead of the server's answer).
	cfg := Config{
		HTTPClient:   srv.Client(),
		BaseURL:      srv.URL + "/api/v1",
		API:          "test",
		RetryWaitMin: time.Millisecond,
		RetryWaitMax: 2 * time.Millisecond,
	}
	if configure != nil {
		configure(&cfg)
	}
	c, err := New(cfg)
	require.NoError(t, err)
	return c
}

// statusSequence answers with the given statuses in order, then 200 with body {"ok":true}; it counts
// the requests it has seen in hits.
func statusSequence(hits *countingHits, statuses ...int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n := hits.add(r)
		if n <= len(statuses) {
			w.WriteHeader(statuses[n-1])
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}
}

// countingHits records every request a test server received.
type countingHits struct {
	mu     sync.Mutex
	n      int
	bodies []string
}

func (h *countingHits) add(r *http.Request) int {
	body, _ := io.ReadAll(r.Body)
	h.mu.Lock()
	defer h.mu.Unlock()
	h.n++
	h.bodies = append(h.bodies, string(body))
	return h.n
}

func (h *countingHits) count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.n
}
