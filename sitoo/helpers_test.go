package sitoo_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
)

// newFake starts a fake Sitoo account and a client for it with quick retries.
func newFake(t testing.TB, opts ...sitootest.Option) (*sitootest.Server, *sitoo.Client) {
	t.Helper()
	srv := sitootest.NewServer(opts...)
	t.Cleanup(srv.Close)
	c, err := srv.NewClient(sitoo.WithRetry(3, time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	return srv, c
}

// collect drains an iterator.
func collect[T any](t testing.TB, seq func(func(T, error) bool)) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// errOf returns the error of a call that returns only a Response and an error, for use inside
// require.NoError and require.ErrorIs.
func errOf(_ *sitoo.Response, err error) error { return err }

// virtualClock is time that moves only when the client sleeps on it. Client (sitoo.WithClock,
// sitoo.WithSleep) and fake (sitootest.WithClock) share it, so the fake's token bucket refills by
// exactly the waits the client chose, and a test of pacing depends on nothing but those waits:
// not on how fast the machine is.
type virtualClock struct {
	mu    sync.Mutex
	t     time.Time
	waits []time.Duration
}

func newVirtualClock() *virtualClock {
	return &virtualClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// Now returns the virtual time.
func (c *virtualClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Sleep advances the virtual time by d at once, unless ctx is done.
func (c *virtualClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.waits = append(c.waits, d)
	return nil
}

// Waits returns the waits slept so far.
func (c *virtualClock) Waits() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.waits...)
}

// clientOptions puts a client on this clock.
func (c *virtualClock) clientOptions() []sitoo.Option {
	return []sitoo.Option{sitoo.WithClock(c.Now), sitoo.WithSleep(c.Sleep)}
}
