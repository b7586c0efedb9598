package pointsync_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/pointsync/pointsynctest"
)

var pingSentinels = []error{
	pointsync.ErrUnreachable, pointsync.ErrBadCredentials, pointsync.ErrWrongSharingKey,
	pointsync.ErrUnknownSite, pointsync.ErrUnknownReserve, pointsync.ErrStaleTimestamp,
}

func TestPingReportsEachWrongSetting(t *testing.T) {
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a, b := pair(t, clock)
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	notProtocol := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte("<html>Page not found</html>"))
	}))
	t.Cleanup(notProtocol.Close)
	c := pointsynctest.NewSite(t, "c", pointsynctest.SiteConfig{Now: clock.Now}) // does not list a

	cases := []struct {
		name  string
		edit  func(*pointsync.Remote)
		skew  time.Duration
		want  error
		also  error
		extra func(t *testing.T, err error)
	}{
		{name: "unreachable", edit: func(r *pointsync.Remote) { r.URL = closed.URL + "/sync/" }, want: pointsync.ErrUnreachable, also: pointsync.ErrTransport},
		{name: "no protocol at the URL", edit: func(r *pointsync.Remote) { r.URL = notProtocol.URL + "/sync/" }, want: pointsync.ErrUnreachable, also: pointsync.ErrNotFound},
		{name: "wrong auth", edit: func(r *pointsync.Remote) { r.Auth = "wrong" }, want: pointsync.ErrBadCredentials, also: pointsync.ErrUnauthorized},
		{name: "wrong pass", edit: func(r *pointsync.Remote) { r.Pass = "wrong" }, want: pointsync.ErrBadCredentials, also: pointsync.ErrUnauthorized},
		{name: "wrong sharing key", edit: func(r *pointsync.Remote) { r.SharingKey = "0000" }, want: pointsync.ErrWrongSharingKey, also: pointsync.ErrForbidden},
		{name: "this site unknown to the remote", edit: func(r *pointsync.Remote) { *r = a.RemoteFor(c) }, want: pointsync.ErrUnknownSite, also: pointsync.ErrForbidden},
		{name: "unknown target reserve", edit: func(r *pointsync.Remote) { r.TargetReserve = "pool-zzz" }, want: pointsync.ErrUnknownReserve, also: pointsync.ErrNotFound},
		{name: "clocks disagree", skew: 10 * time.Minute, want: pointsync.ErrStaleTimestamp, also: pointsync.ErrUnauthorized},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := a.RemoteFor(b)
			if tc.edit != nil {
				tc.edit(&r)
			}
			cl, err := pointsync.NewClient(a.Local.SharingKey, r, pointsync.WithRetry(0, 0, 0),
				pointsync.WithClock(func() time.Time { return clock.Now().Add(tc.skew) }))
			require.NoError(t, err)
			_, _, err = cl.Ping(t.Context())
			require.ErrorIs(t, err, tc.want)
			require.ErrorIs(t, err, tc.also)
			for _, other := range pingSentinels {
				if other != tc.want {
					assert.False(t, errors.Is(err, other), "%v also matches %v", err, other)
				}
			}
		})
	}
	t.Run("right settings", func(t *testing.T) {
		cl, err := pointsync.NewClient(a.Local.SharingKey, a.RemoteFor(b), pointsync.WithClock(clock.Now))
		require.NoError(t, err)
		pr, resp, err := cl.Ping(t.Context())
		require.NoError(t, err)
		assert.Equal(t, &pointsync.PingResponse{Version: 1, SharingKey: b.Local.SharingKey, Reserve: b.Reserve}, pr)
		assert.Equal(t, 1, resp.Attempts)
	})
}

func TestClientSendRetriesAndRecognisesReplay(t *testing.T) {
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a, b := pair(t, clock)
	// The first attempt is applied but its response is lost; the core retries, the remote
	// answers replayed_batch, which means the batch was applied.
	a.Transport.SetFaults(pointsynctest.Faults{Lose: 1})
	hc := &http.Client{Transport: a.Transport}
	cl, err := pointsync.NewClient(a.Local.SharingKey, a.RemoteFor(b), pointsync.WithHTTPClient(hc),
		pointsync.WithClock(clock.Now), pointsync.WithRetry(1, time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	batch := &pointsync.Batch{Version: 1, ID: "batch-1", Origin: a.Local.SharingKey, Reserve: b.Reserve,
		Movements: []pointsync.Movement{pointsynctest.Movement("m1", "ann@example.com", 5)}}
	_, _, err = cl.Send(t.Context(), batch)
	require.ErrorIs(t, err, pointsync.ErrTransport, "both attempts lost their response")
	a.Transport.SetFaults(pointsynctest.Faults{})
	_, resp, err := cl.Send(t.Context(), batch)
	require.ErrorIs(t, err, pointsync.ErrReplayed)
	require.ErrorIs(t, err, pointsync.ErrUnauthorized)
	assert.Equal(t, 1, resp.Attempts)
	assert.Len(t, b.Ledger.Entries(), 1, "applied once")
	assert.Equal(t, 2, a.Transport.Count("lose"))
}

func TestNewClientRefusesBadInput(t *testing.T) {
	r := pointsync.Remote{SharingKey: "k", TargetReserve: "t", ObservedReserve: "o", URL: "https://x.example/", Auth: "a", Pass: "p"}
	_, err := pointsync.NewClient("bad key!", r)
	require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
	bad := r
	bad.URL = "x.example"
	_, err = pointsync.NewClient("me", bad)
	require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
	wr := r
	wr.Kind = pointsync.KindWooRewards
	_, err = pointsync.NewClient("me", wr)
	require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
	_, err = pointsync.NewClient("me", r, pointsync.WithClock(nil))
	require.Error(t, err)
	_, err = pointsync.NewClient("me", r, nil) // a nil option is ignored
	require.NoError(t, err)
	cl, err := pointsync.NewClient("me", r)
	require.NoError(t, err)
	_, _, err = cl.Send(context.Background(), &pointsync.Batch{Version: 1})
	require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
}
