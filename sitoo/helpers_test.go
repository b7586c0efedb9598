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
