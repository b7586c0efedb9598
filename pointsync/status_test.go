package pointsync_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/pointsync/pointsynctest"
)

const day = 24 * time.Hour

func TestComputeStatus(t *testing.T) {
	now := pointsynctest.Start
	adv := pointsync.Advanced{MaxAttempts: 3, Delay: time.Minute, StatsPeriodDays: 7, WarningPeriodDays: 2}
	cases := []struct {
		name string
		st   pointsync.RemoteState
		adv  pointsync.Advanced
		want pointsync.Status
	}{
		{"never failed", pointsync.RemoteState{}, adv, pointsync.StatusGreen},
		{"failing, below max attempts", pointsync.RemoteState{Failures: 2, LastErrorAt: now}, adv, pointsync.StatusWarning},
		{"max attempts reached", pointsync.RemoteState{Failures: 3, LastErrorAt: now}, adv, pointsync.StatusError},
		{"paused for longer than the statistics period", pointsync.RemoteState{Failures: 3, LastErrorAt: now.Add(-30 * day)}, adv, pointsync.StatusError},
		{"recovered, error within warning period", pointsync.RemoteState{LastErrorAt: now.Add(-2*day + time.Second)}, adv, pointsync.StatusWarning},
		{"recovered, warning period over", pointsync.RemoteState{LastErrorAt: now.Add(-2 * day)}, adv, pointsync.StatusGreen},
		{"warning period longer than statistics period: old errors ignored",
			pointsync.RemoteState{LastErrorAt: now.Add(-7 * day)},
			pointsync.Advanced{MaxAttempts: 3, Delay: time.Minute, StatsPeriodDays: 7, WarningPeriodDays: 30}, pointsync.StatusGreen},
		{"inside both periods", pointsync.RemoteState{LastErrorAt: now.Add(-7*day + time.Second)},
			pointsync.Advanced{MaxAttempts: 3, Delay: time.Minute, StatsPeriodDays: 7, WarningPeriodDays: 30}, pointsync.StatusWarning},
		{"warning period 0", pointsync.RemoteState{LastErrorAt: now}, pointsync.Advanced{MaxAttempts: 3, StatsPeriodDays: 7}, pointsync.StatusGreen},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, pointsync.ComputeStatus(c.st, c.adv, now))
		})
	}
}

// TestStatusOverPeriods follows one remote's status through failures, a pause, a resume and the
// warning and statistics periods, on an injected clock.
func TestStatusOverPeriods(t *testing.T) {
	ctx := context.Background()
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a, b := pair(t, clock)
	require.NoError(t, a.Store.PutAdvanced(ctx, pointsync.Advanced{MaxAttempts: 2, Delay: time.Second, StatsPeriodDays: 3, WarningPeriodDays: 1}))
	key := b.Local.SharingKey
	status := func() pointsync.Status {
		t.Helper()
		sts, err := a.Sender.Statuses(ctx)
		require.NoError(t, err)
		require.Len(t, sts, 1)
		return sts[0].Status
	}
	_, err := a.Ledger.Record(ctx, a.Reserve, "ann@example.com", 10, pointsync.KindEarn, "order 1")
	require.NoError(t, err)
	assert.Equal(t, pointsync.StatusGreen, status())

	b.SetDown(true)
	_, err = a.Sender.DeliverOnce(ctx, key)
	require.ErrorIs(t, err, pointsync.ErrUnreachable)
	assert.Equal(t, pointsync.StatusWarning, status())
	_, err = a.Sender.DeliverOnce(ctx, key)
	require.Error(t, err)
	assert.Equal(t, pointsync.StatusError, status())
	clock.Advance(10 * day)
	assert.Equal(t, pointsync.StatusError, status(), "a paused remote stays in error")

	b.SetDown(false)
	require.NoError(t, a.Sender.Ping(ctx, key))
	assert.Equal(t, pointsync.StatusGreen, status(), "the last error is older than the statistics period")
	n, err := a.Sender.Flush(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, 1, n)

	b.SetDown(true)
	_, err = a.Sender.DeliverOnce(ctx, key) // nothing queued: no attempt, no error
	require.NoError(t, err)
	_, err = a.Ledger.Record(ctx, a.Reserve, "ann@example.com", 5, pointsync.KindAdjust, "manual")
	require.NoError(t, err)
	_, err = a.Sender.DeliverOnce(ctx, key)
	require.Error(t, err)
	b.SetDown(false)
	_, err = a.Sender.Flush(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, pointsync.StatusWarning, status(), "within the warning period after an error")
	clock.Advance(day - time.Second)
	assert.Equal(t, pointsync.StatusWarning, status())
	clock.Advance(time.Second)
	assert.Equal(t, pointsync.StatusGreen, status(), "the warning period is over")
}
