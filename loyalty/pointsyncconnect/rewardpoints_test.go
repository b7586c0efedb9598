package pointsyncconnect_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/pointsyncconnect"
	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/woorewards/rewardpoints"
	"github.com/loyalsync/loyalsync/woorewards/rewardpoints/rewardpointstest"
)

func TestRewardPointsRemote(t *testing.T) {
	ctx := context.Background()
	rp := rewardpointstest.NewServer()
	t.Cleanup(rp.Close)
	rp.AddAppPassword("sync-user", "abcdefghijklmnopqrstuvwx", true)
	rp.AddUser(7, 0)
	users := map[string]int64{"ann@example.com": 7}
	resolve := func(_ context.Context, _ pointsync.Remote, email string) (int64, error) {
		if id, ok := users[email]; ok {
			return id, nil
		}
		return 0, fmt.Errorf("no user %s", email)
	}
	store, err := rewardpoints.NewMemoryStore()
	require.NoError(t, err)
	d, err := pointsyncconnect.NewRewardPointsDeliverer(resolve, nil,
		rewardpoints.WithHTTPClient(rp.Client()), rewardpoints.WithStore(store))
	require.NoError(t, err)

	a := newSite(t)
	sender, err := pointsync.NewSender(a.ps, a.ps, pointsync.WithDeliverer(pointsync.KindRewardPoints, d))
	require.NoError(t, err)
	remote := pointsync.Remote{SharingKey: "rewardpoints-site", Kind: pointsync.KindRewardPoints,
		TargetReserve: "points", ObservedReserve: program, URL: rp.URL, Auth: "sync-user", Pass: "abcdefghijklmnopqrstuvwx"}
	pingErr, err := sender.SaveRemote(ctx, remote)
	require.NoError(t, err)
	require.NoError(t, pingErr)

	_, err = a.engine.Enroll(ctx, program, loyalty.NewMember{Email: "ann@example.com"})
	require.NoError(t, err)
	adjust(t, a, "ann@example.com", "gift", 50)
	adjust(t, a, "ann@example.com", "take", -20)
	adjust(t, a, "ann@example.com", "more", 5)
	// The second add gets a 503: its outcome is unknown, and the batch stays queued until an
	// operator, having checked the user's log, resolves it (here: not applied).
	rp.Faults.Add(faults.Rule{Method: "POST", Skip: 1, Times: 1, Status: 503})
	_, err = sender.Flush(ctx, remote.SharingKey)
	require.ErrorIs(t, err, rewardpoints.ErrOutcomeUnknown)
	require.NoError(t, sender.RetryNow(ctx, remote.SharingKey))
	_, err = sender.Flush(ctx, remote.SharingKey)
	require.ErrorIs(t, err, rewardpoints.ErrOutcomeUnknown, "not resent before it is resolved")
	c, err := rewardpoints.NewClient(rp.URL, "sync-user", "abcdefghijklmnopqrstuvwx",
		rewardpoints.WithHTTPClient(rp.Client()), rewardpoints.WithStore(store))
	require.NoError(t, err)
	hist, _, err := a.engine.History(ctx, program, mustMember(t, a, "ann@example.com").ID, loyalty.PageOptions{})
	require.NoError(t, err)
	require.NoError(t, c.ResolveUnknown(ctx, pointsyncconnect.RewardPointsOperationID(remote.SharingKey, hist[0].Key), false))
	require.NoError(t, sender.RetryNow(ctx, remote.SharingKey))
	_, err = sender.Flush(ctx, remote.SharingKey)
	require.NoError(t, err)
	points, ok := rp.Points(7)
	require.True(t, ok)
	assert.Equal(t, int64(55), points, "credits once each; the debit cannot be sent")
}
