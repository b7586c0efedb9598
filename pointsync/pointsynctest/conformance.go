package pointsynctest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/pointsync"
)

// Start is the time the conformance suites' clocks start at.
var Start = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)

// Movement returns a valid movement with id, for member email, of points.
func Movement(id, email string, points int64) pointsync.Movement {
	return pointsync.Movement{ID: id, Member: pointsync.Member{Email: email}, Points: points,
		Kind: pointsync.KindEarn, Reason: "order " + id, Time: Start}
}

// RunSettingsStore runs the conformance suite of pointsync.SettingsStore. newStore returns an
// empty store for each subtest.
func RunSettingsStore(t *testing.T, newStore func(t *testing.T) pointsync.SettingsStore) {
	ctx := context.Background()
	t.Run("local site is set once", func(t *testing.T) {
		s := newStore(t)
		_, err := s.LocalSite(ctx)
		require.ErrorIs(t, err, pointsync.ErrNoLocalSite)

		bad := pointsync.LocalSite{SharingKey: "k", URL: "ftp://x"}
		_, err = s.InitLocalSite(ctx, bad)
		require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
		_, err = s.LocalSite(ctx)
		require.ErrorIs(t, err, pointsync.ErrNoLocalSite, "an invalid candidate is not stored")

		first, err := pointsync.NewLocalSite("https://a.example/sync/")
		require.NoError(t, err)
		got, err := s.InitLocalSite(ctx, first)
		require.NoError(t, err)
		assert.Equal(t, first, got)
		second, err := pointsync.NewLocalSite("https://b.example/sync/")
		require.NoError(t, err)
		got, err = s.InitLocalSite(ctx, second)
		require.NoError(t, err)
		assert.Equal(t, first, got, "the first local site stays")
		got, err = s.LocalSite(ctx)
		require.NoError(t, err)
		assert.Equal(t, first, got)
	})
	t.Run("remotes", func(t *testing.T) {
		s := newStore(t)
		rs, err := s.Remotes(ctx)
		require.NoError(t, err)
		assert.Empty(t, rs)
		_, err = s.Remote(ctx, "b")
		require.ErrorIs(t, err, pointsync.ErrRemoteNotFound)
		require.ErrorIs(t, s.DeleteRemote(ctx, "b"), pointsync.ErrRemoteNotFound)

		b, a := testRemote("b"), testRemote("a")
		require.NoError(t, s.PutRemote(ctx, b))
		require.NoError(t, s.PutRemote(ctx, a))
		rs, err = s.Remotes(ctx)
		require.NoError(t, err)
		assert.Equal(t, []pointsync.Remote{a, b}, rs, "ordered by sharing key")

		b.TargetReserve, b.Kind = "pool-9", pointsync.KindWooRewards
		require.NoError(t, s.PutRemote(ctx, b))
		got, err := s.Remote(ctx, "b")
		require.NoError(t, err)
		assert.Equal(t, b, got, "replaced")

		bad := testRemote("c")
		bad.URL = "not a url"
		require.ErrorIs(t, s.PutRemote(ctx, bad), pointsync.ErrInvalidArgument)
		_, err = s.Remote(ctx, "c")
		require.ErrorIs(t, err, pointsync.ErrRemoteNotFound, "an invalid remote is not stored")

		require.NoError(t, s.DeleteRemote(ctx, "a"))
		rs, err = s.Remotes(ctx)
		require.NoError(t, err)
		assert.Equal(t, []pointsync.Remote{b}, rs)
	})
	t.Run("advanced settings", func(t *testing.T) {
		s := newStore(t)
		a, err := s.Advanced(ctx)
		require.NoError(t, err)
		assert.Equal(t, pointsync.DefaultAdvanced(), a)
		want := pointsync.Advanced{MaxAttempts: 3, Delay: 30 * time.Second, StatsPeriodDays: 30, WarningPeriodDays: 2}
		require.NoError(t, s.PutAdvanced(ctx, want))
		bad := want
		bad.MaxAttempts = 0
		require.ErrorIs(t, s.PutAdvanced(ctx, bad), pointsync.ErrInvalidArgument)
		a, err = s.Advanced(ctx)
		require.NoError(t, err)
		assert.Equal(t, want, a)
	})
	t.Run("cancelled context", func(t *testing.T) {
		s := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		_, err := s.Remotes(cctx)
		require.ErrorIs(t, err, context.Canceled)
		require.ErrorIs(t, s.PutRemote(cctx, testRemote("a")), context.Canceled)
	})
}

func testRemote(key string) pointsync.Remote {
	return pointsync.Remote{SharingKey: key, TargetReserve: "pool-" + key, ObservedReserve: "points",
		URL: "https://" + key + ".example/sync/", Auth: "auth-" + key, Pass: "pass-" + key}
}

// RunQueue runs the conformance suite of pointsync.Queue. newQueue returns an empty queue for each
// subtest, reading the time from now.
func RunQueue(t *testing.T, newQueue func(t *testing.T, now func() time.Time) pointsync.Queue) {
	ctx := context.Background()
	setup := func(t *testing.T) (pointsync.Queue, *Clock) {
		c := NewClock(Start)
		return newQueue(t, c.Now), c
	}
	enqueue := func(t *testing.T, q pointsync.Queue, remote string, from, to int) {
		t.Helper()
		var ms []pointsync.Movement
		for i := from; i < to; i++ {
			ms = append(ms, Movement(fmt.Sprintf("m%d", i), "ann@example.com", int64(i)))
		}
		require.NoError(t, q.Enqueue(ctx, remote, ms))
	}
	ids := func(l *pointsync.Lease) []string {
		var out []string
		for _, it := range l.Items {
			out = append(out, it.Movement.ID)
		}
		return out
	}

	t.Run("empty queue leases nothing", func(t *testing.T) {
		q, _ := setup(t)
		l, err := q.Lease(ctx, "r1", 10, time.Minute)
		require.NoError(t, err)
		assert.Nil(t, l)
		st, err := q.State(ctx, "r1")
		require.NoError(t, err)
		assert.Equal(t, pointsync.RemoteState{}, st)
	})
	t.Run("leases are disjoint, oldest first, with valid batch ids", func(t *testing.T) {
		q, c := setup(t)
		enqueue(t, q, "r1", 0, 5)
		c.Advance(time.Second)
		enqueue(t, q, "r2", 0, 1)
		l1, err := q.Lease(ctx, "r1", 2, time.Minute)
		require.NoError(t, err)
		require.NotNil(t, l1)
		assert.Equal(t, []string{"m0", "m1"}, ids(l1))
		assert.Equal(t, "r1", l1.Remote)
		assert.Equal(t, Start.Add(time.Second+time.Minute), l1.Expires)
		assert.Less(t, l1.Items[0].Seq, l1.Items[1].Seq)
		assert.Equal(t, Start, l1.Items[0].EnqueuedAt)
		l2, err := q.Lease(ctx, "r1", 10, time.Minute)
		require.NoError(t, err)
		assert.Equal(t, []string{"m2", "m3", "m4"}, ids(l2))
		assert.NotEqual(t, l1.ID, l2.ID)
		for _, id := range []string{l1.ID, l2.ID} {
			b := pointsync.Batch{Version: pointsync.Version, ID: id, Origin: "o", Reserve: "r", Movements: []pointsync.Movement{Movement("x", "a@b.c", 1)}}
			require.NoError(t, b.Validate(), "lease id %q must be a valid batch id", id)
		}
		l3, err := q.Lease(ctx, "r1", 10, time.Minute)
		require.NoError(t, err)
		assert.Nil(t, l3, "everything is leased")
		st, err := q.State(ctx, "r1")
		require.NoError(t, err)
		assert.Equal(t, 5, st.Pending, "leased items are still pending")
		assert.Equal(t, Start, st.Oldest)
		st2, err := q.State(ctx, "r2")
		require.NoError(t, err)
		assert.Equal(t, 1, st2.Pending, "queues are per remote")
		assert.Equal(t, Start.Add(time.Second), st2.Oldest)
	})
	t.Run("enqueue is idempotent by movement id", func(t *testing.T) {
		q, _ := setup(t)
		enqueue(t, q, "r1", 0, 3)
		enqueue(t, q, "r1", 1, 4)
		st, err := q.State(ctx, "r1")
		require.NoError(t, err)
		assert.Equal(t, 4, st.Pending)
	})
	t.Run("enqueue refuses invalid movements", func(t *testing.T) {
		q, _ := setup(t)
		bad := Movement("m1", "Not Normalised@Example.com", 1)
		require.ErrorIs(t, q.Enqueue(ctx, "r1", []pointsync.Movement{Movement("m0", "a@b.c", 1), bad}), pointsync.ErrInvalidArgument)
		st, err := q.State(ctx, "r1")
		require.NoError(t, err)
		assert.Zero(t, st.Pending, "nothing of a refused call is queued")
	})
	t.Run("ack removes and records success", func(t *testing.T) {
		q, c := setup(t)
		enqueue(t, q, "r1", 0, 3)
		require.NoError(t, q.RecordPing(ctx, "r1", "down"))
		l, err := q.Lease(ctx, "r1", 2, time.Minute)
		require.NoError(t, err)
		c.Advance(time.Second)
		require.NoError(t, q.Ack(ctx, "r1", l.ID))
		st, err := q.State(ctx, "r1")
		require.NoError(t, err)
		assert.Equal(t, 1, st.Pending)
		assert.Equal(t, 0, st.Failures)
		assert.Equal(t, int64(2), st.Delivered)
		assert.Equal(t, Start.Add(time.Second), st.LastSuccessAt)
		assert.Equal(t, "down", st.LastError, "the last error is kept for the warning period")
		require.ErrorIs(t, q.Ack(ctx, "r1", l.ID), pointsync.ErrLeaseLost, "a settled lease")
		require.ErrorIs(t, q.Ack(ctx, "r1", "nosuchlease"), pointsync.ErrLeaseLost)
	})
	t.Run("fail keeps the items and counts attempts", func(t *testing.T) {
		q, c := setup(t)
		enqueue(t, q, "r1", 0, 2)
		for i := 1; i <= 50; i++ {
			l, err := q.Lease(ctx, "r1", 10, time.Minute)
			require.NoError(t, err)
			require.NotNil(t, l, "attempt %d: items are never dropped", i)
			require.Len(t, l.Items, 2)
			assert.Equal(t, i-1, l.Items[0].Attempts)
			c.Advance(time.Minute)
			require.NoError(t, q.Fail(ctx, "r1", l.ID, fmt.Sprintf("boom %d", i)))
		}
		st, err := q.State(ctx, "r1")
		require.NoError(t, err)
		assert.Equal(t, 2, st.Pending)
		assert.Equal(t, 50, st.Failures)
		assert.Equal(t, "boom 50", st.LastError)
		assert.Equal(t, Start.Add(50*time.Minute), st.LastErrorAt)
	})
	t.Run("release returns items without a failure", func(t *testing.T) {
		q, _ := setup(t)
		enqueue(t, q, "r1", 0, 2)
		l, err := q.Lease(ctx, "r1", 10, time.Minute)
		require.NoError(t, err)
		require.NoError(t, q.Release(ctx, "r1", l.ID))
		l2, err := q.Lease(ctx, "r1", 10, time.Minute)
		require.NoError(t, err)
		require.NotNil(t, l2)
		assert.Equal(t, 0, l2.Items[0].Attempts)
		st, err := q.State(ctx, "r1")
		require.NoError(t, err)
		assert.Zero(t, st.Failures)
	})
	t.Run("an expired lease's items are leased again", func(t *testing.T) {
		q, c := setup(t)
		enqueue(t, q, "r1", 0, 2)
		old, err := q.Lease(ctx, "r1", 10, time.Minute)
		require.NoError(t, err)
		c.Advance(59 * time.Second)
		l, err := q.Lease(ctx, "r1", 10, time.Minute)
		require.NoError(t, err)
		assert.Nil(t, l, "not expired yet")
		c.Advance(time.Second)
		l, err = q.Lease(ctx, "r1", 10, time.Minute)
		require.NoError(t, err)
		require.NotNil(t, l)
		assert.Len(t, l.Items, 2)
		require.ErrorIs(t, q.Ack(ctx, "r1", old.ID), pointsync.ErrLeaseLost)
		require.NoError(t, q.Ack(ctx, "r1", l.ID))
	})
	t.Run("ping outcomes and resume", func(t *testing.T) {
		q, c := setup(t)
		require.NoError(t, q.RecordPing(ctx, "r1", "unreachable"))
		require.NoError(t, q.RecordPing(ctx, "r1", "unreachable"))
		st, err := q.State(ctx, "r1")
		require.NoError(t, err)
		assert.Equal(t, 2, st.Failures)
		require.NoError(t, q.Resume(ctx, "r1"))
		st, err = q.State(ctx, "r1")
		require.NoError(t, err)
		assert.Equal(t, 0, st.Failures)
		assert.Equal(t, "unreachable", st.LastError)
		assert.Equal(t, Start, st.LastErrorAt)
		c.Advance(time.Hour)
		require.NoError(t, q.RecordPing(ctx, "r1", "down"))
		require.NoError(t, q.RecordPing(ctx, "r1", ""))
		st, err = q.State(ctx, "r1")
		require.NoError(t, err)
		assert.Equal(t, 0, st.Failures)
		assert.Equal(t, Start.Add(time.Hour), st.LastSuccessAt)
	})
	t.Run("purge drops the remote's queue only", func(t *testing.T) {
		q, _ := setup(t)
		enqueue(t, q, "r1", 0, 3)
		enqueue(t, q, "r2", 0, 3)
		require.NoError(t, q.Purge(ctx, "r1"))
		st, err := q.State(ctx, "r1")
		require.NoError(t, err)
		assert.Equal(t, pointsync.RemoteState{}, st)
		st, err = q.State(ctx, "r2")
		require.NoError(t, err)
		assert.Equal(t, 3, st.Pending)
	})
	t.Run("concurrent leases deliver each item once", func(t *testing.T) {
		q, _ := setup(t)
		const n = 500
		enqueue(t, q, "r1", 0, n)
		var mu sync.Mutex
		got := map[string]int{}
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for w := 0; w < 8; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					l, err := q.Lease(ctx, "r1", 7, time.Hour)
					if err != nil {
						errs <- err
						return
					}
					if l == nil {
						return
					}
					mu.Lock()
					for _, it := range l.Items {
						got[it.Movement.ID]++
					}
					mu.Unlock()
					if err := q.Ack(ctx, "r1", l.ID); err != nil {
						errs <- err
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		assert.Len(t, got, n)
		for id, c := range got {
			require.Equal(t, 1, c, "movement %s leased %d times", id, c)
		}
		st, err := q.State(ctx, "r1")
		require.NoError(t, err)
		assert.Zero(t, st.Pending)
		assert.Equal(t, int64(n), st.Delivered)
	})
	t.Run("invalid lease arguments and cancelled context", func(t *testing.T) {
		q, _ := setup(t)
		_, err := q.Lease(ctx, "r1", 0, time.Minute)
		require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		err = q.Enqueue(cctx, "r1", []pointsync.Movement{Movement("m", "a@b.c", 1)})
		require.True(t, errors.Is(err, context.Canceled), "got %v", err)
	})
}

// RunReplayGuard runs the conformance suite of pointsync.ReplayGuard. newGuard returns an empty
// guard for each subtest, reading the time from now.
func RunReplayGuard(t *testing.T, newGuard func(t *testing.T, now func() time.Time) pointsync.ReplayGuard) {
	ctx := context.Background()
	t.Run("claim, finish, replay", func(t *testing.T) {
		c := NewClock(Start)
		g := newGuard(t, c.Now)
		until := Start.Add(10 * time.Minute)
		claim := func(origin, id string) pointsync.Claim {
			t.Helper()
			cl, err := g.Begin(ctx, origin, id, until)
			require.NoError(t, err)
			return cl
		}
		assert.Equal(t, pointsync.ClaimNew, claim("o1", "b1"))
		assert.Equal(t, pointsync.ClaimInProgress, claim("o1", "b1"))
		assert.Equal(t, pointsync.ClaimNew, claim("o2", "b1"), "ids are per origin")
		require.NoError(t, g.Finish(ctx, "o1", "b1", true))
		assert.Equal(t, pointsync.ClaimDone, claim("o1", "b1"))
		require.NoError(t, g.Finish(ctx, "o2", "b1", false))
		assert.Equal(t, pointsync.ClaimNew, claim("o2", "b1"), "a failed batch may be sent again")
		require.NoError(t, g.Finish(ctx, "o3", "never-claimed", true), "finishing an unknown claim is harmless")
	})
	t.Run("ids are forgotten after their time", func(t *testing.T) {
		c := NewClock(Start)
		g := newGuard(t, c.Now)
		_, err := g.Begin(ctx, "o", "b", Start.Add(time.Minute))
		require.NoError(t, err)
		require.NoError(t, g.Finish(ctx, "o", "b", true))
		c.Advance(time.Minute - time.Second)
		cl, err := g.Begin(ctx, "o", "b", c.Now().Add(time.Minute))
		require.NoError(t, err)
		assert.Equal(t, pointsync.ClaimDone, cl)
		c.Advance(time.Second)
		cl, err = g.Begin(ctx, "o", "b", c.Now().Add(time.Minute))
		require.NoError(t, err)
		assert.Equal(t, pointsync.ClaimNew, cl)
	})
	t.Run("concurrent claims: one wins", func(t *testing.T) {
		c := NewClock(Start)
		g := newGuard(t, c.Now)
		var wg sync.WaitGroup
		var mu sync.Mutex
		won := 0
		for i := 0; i < 16; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				cl, err := g.Begin(ctx, "o", "race", Start.Add(time.Minute))
				if err != nil {
					t.Error(err)
					return
				}
				if cl == pointsync.ClaimNew {
					mu.Lock()
					won++
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		assert.Equal(t, 1, won)
	})
}
