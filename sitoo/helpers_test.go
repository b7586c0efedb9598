package sitoo_test

import (
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

// fastClock returns a clock that starts at a fixed date and runs speed times as fast as the wall
// clock. Client and fake share it: the client's waits are real timers of durations read on this
// clock, so a clock at least as fast as real time never makes the client arrive early, and
// speed > 1 only makes the test shorter. Nothing is asserted about elapsed time.
func fastClock(speed int) func() time.Time {
	start := time.Now()
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time { return base.Add(time.Duration(speed) * time.Since(start)) }
}
