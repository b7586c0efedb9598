package pointsyncconnect_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/pointsyncconnect"
	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/woorewards"
	"github.com/loyalsync/loyalsync/woorewards/woorewardstest"
)

func TestWooRewardsRemote(t *testing.T) {
	ctx := context.Background()
	wr := woorewardstest.NewServer()
	t.Cleanup(wr.Close)
	wr.AddAppPassword("sync-user", "abcdefghijklmnopqrstuvwx", woorewardstest.AllPermissions)
	wr.AddUser("ann@example.com")
	wr.AddPool(woorewardstest.Pool{ID: "pool1", Name: "Points", Active: true})

	a := newSite(t)
	log, err := pointsyncconnect.NewMemPushLog()
	require.NoError(t, err)
	d, err := pointsyncconnect.NewWooRewardsDeliverer(log, woorewards.WithHTTPClient(wr.Client()))
	require.NoError(t, err)
	sender, err := pointsync.NewSender(a.ps, a.ps, pointsync.WithDeliverer(pointsync.KindWooRewards, d))
	require.NoError(t, err)
	remote := pointsync.Remote{SharingKey: "woorewards-site", Kind: pointsync.KindWooRewards,
		TargetReserve: "pool1", ObservedReserve: program, URL: wr.URL, Auth: "sync-user", Pass: "abcdefghijklmnopqrstuvwx"}
	pingErr, err := sender.SaveRemote(ctx, remote)
	require.NoError(t, err)
	require.NoError(t, pingErr)

	wrong := remote
	wrong.Pass = "wrongpasswrongpasswrong0"
	assert.ErrorIs(t, d.Ping(ctx, a.local, wrong), pointsync.ErrBadCredentials)
	wrong = remote
	wrong.TargetReserve = "nopool"
	assert.ErrorIs(t, d.Ping(ctx, a.local, wrong), pointsync.ErrUnknownReserve)

	_, err = a.engine.Enroll(ctx, program, loyalty.NewMember{Email: "ann@example.com"})
	require.NoError(t, err)
	adjust(t, a, "ann@example.com", "gift", 50)
	adjust(t, a, "ann@example.com", "take", -20)
	adjust(t, a, "ann@example.com", "more", 5)
	// The second add fails with a 503: the batch stays queued, and its retry does not add the
	// first movement again.
	wr.Faults.Add(faults.Rule{Method: "PUT", Skip: 1, Times: 1, Status: 503})
	_, err = sender.Flush(ctx, remote.SharingKey)
	require.Error(t, err)
	assert.Equal(t, int64(50), wr.Points("ann@example.com", "pool1"))
	require.NoError(t, sender.RetryNow(ctx, remote.SharingKey))
	n, err := sender.Flush(ctx, remote.SharingKey)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	assert.Equal(t, int64(35), wr.Points("ann@example.com", "pool1"), "every movement once")

	drift, err := d.CheckDrift(ctx, a.engine, remote)
	require.NoError(t, err)
	assert.Empty(t, drift, "in step")

	// A change made on the WooRewards site cannot come back: the drift check reports it.
	_, _, err = mustClient(t, wr).Points.Add(ctx, "ann@example.com", "pool1", 7, "made on WooRewards")
	require.NoError(t, err)
	_, err = a.engine.Enroll(ctx, program, loyalty.NewMember{Email: "bo@example.com"})
	require.NoError(t, err)
	drift, err = d.CheckDrift(ctx, a.engine, remote)
	require.NoError(t, err)
	assert.ElementsMatch(t, []pointsyncconnect.Drift{
		{Email: "ann@example.com", Local: 35, Remote: 42},
		{Email: "bo@example.com", RemoteMissing: true},
	}, drift)
}

func mustClient(t *testing.T, wr *woorewardstest.Server) *woorewards.Client {
	c, err := woorewards.NewClient(wr.URL, woorewards.AppPassword("sync-user", "abcdefghijklmnopqrstuvwx"),
		woorewards.WithHTTPClient(wr.Client()))
	require.NoError(t, err)
	return c
}
