package pointsyncconnect_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty/pointsyncconnect"
	"github.com/loyalsync/loyalsync/pointsync"
)

func TestPushLogs(t *testing.T) {
	t.Run("memory", func(t *testing.T) {
		l, err := pointsyncconnect.NewMemPushLog()
		require.NoError(t, err)
		testPushLog(t, l)
	})
	t.Run("SQLite", func(t *testing.T) { testPushLog(t, newSQLStore(t, openSQLite(t), nil)) })
	t.Run("SQLite queue", func(t *testing.T) { testPushLogWithQueue(t, newSQLStore(t, openSQLite(t), nil)) })
}

// testPushLog checks the PushLog contract.
func testPushLog(t *testing.T, l pointsyncconnect.PushLog) {
	ctx := t.Context()
	got, err := l.Pushes(ctx, "r1", []string{"m1"})
	require.NoError(t, err)
	assert.Empty(t, got)

	p := pointsyncconnect.Push{Remote: "r1", MovementID: "m1", Email: "ann@example.com", Pool: "pool", Points: -7, Before: 10}
	require.NoError(t, l.PutPush(ctx, p))
	require.NoError(t, l.PutPush(ctx, pointsyncconnect.Push{Remote: "r2", MovementID: "m1", Email: "x@example.com", Pool: "p", Points: 1}))
	got, err = l.Pushes(ctx, "r1", []string{"m1", "m2"})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.False(t, got["m1"].At.IsZero(), "dated by the log")
	got["m1"] = withoutAt(got["m1"])
	assert.Equal(t, p, got["m1"])

	p.Done, p.After = true, 3
	require.NoError(t, l.PutPush(ctx, p))
	got, err = l.Pushes(ctx, "r1", []string{"m1"})
	require.NoError(t, err)
	assert.Equal(t, p, withoutAt(got["m1"]), "replaced")

	require.NoError(t, l.DeletePush(ctx, "r1", "m1"))
	require.NoError(t, l.DeletePush(ctx, "r1", "m1"), "none is no error")
	got, err = l.Pushes(ctx, "r1", []string{"m1"})
	require.NoError(t, err)
	assert.Empty(t, got)
	got, err = l.Pushes(ctx, "r2", []string{"m1"})
	require.NoError(t, err)
	assert.Len(t, got, 1, "another remote's record is kept")
}

func withoutAt(p pointsyncconnect.Push) pointsyncconnect.Push {
	p.At = time.Time{}
	return p
}

// On the SQL store a push record goes with its queue entry: acknowledged or purged.
func testPushLogWithQueue(t *testing.T, s *pointsyncconnect.SQLStore) {
	ctx := t.Context()
	mv := func(id string) pointsync.Movement {
		return pointsync.Movement{ID: id, Member: pointsync.Member{Email: "ann@example.com"}, Points: 1,
			Kind: pointsync.KindAdjust, Time: time.Now()}
	}
	require.NoError(t, s.Enqueue(ctx, "r1", []pointsync.Movement{mv("m1"), mv("m2")}))
	require.NoError(t, s.Enqueue(ctx, "r2", []pointsync.Movement{mv("m1")}))
	for _, k := range [][2]string{{"r1", "m1"}, {"r1", "m2"}, {"r2", "m1"}} {
		require.NoError(t, s.PutPush(ctx, pointsyncconnect.Push{Remote: k[0], MovementID: k[1], Email: "ann@example.com", Pool: "p", Points: 1, Done: true}))
	}
	l, err := s.Lease(ctx, "r1", 1, time.Minute) // m1 only
	require.NoError(t, err)
	require.NoError(t, s.Ack(ctx, "r1", l.ID))
	got, err := s.Pushes(ctx, "r1", []string{"m1", "m2"})
	require.NoError(t, err)
	assert.Equal(t, []string{"m2"}, keys(got), "the acknowledged movement's record is gone, the queued one's kept")

	require.NoError(t, s.Purge(ctx, "r1"))
	got, err = s.Pushes(ctx, "r1", []string{"m2"})
	require.NoError(t, err)
	assert.Empty(t, got)
	got, err = s.Pushes(ctx, "r2", []string{"m1"})
	require.NoError(t, err)
	assert.Len(t, got, 1, "another remote's record is kept")
}

func keys(m map[string]pointsyncconnect.Push) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
