package rewardpoints_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/woorewards/rewardpoints"
)

// testClock is a clock that moves only when the test says so.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock { return &testClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)} }

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func op(id string, state rewardpoints.State) rewardpoints.Operation {
	return rewardpoints.Operation{ID: id, UserID: 1, Points: 1, Message: "m", State: state}
}

// finish records id as pending, then done, as the client does.
func finish(t *testing.T, s *rewardpoints.MemoryStore, id string) {
	t.Helper()
	_, created, err := s.Create(t.Context(), op(id, rewardpoints.StatePending))
	require.NoError(t, err)
	require.True(t, created)
	require.NoError(t, s.Update(t.Context(), op(id, rewardpoints.StateDone)))
}

func has(t *testing.T, s *rewardpoints.MemoryStore, id string) bool {
	t.Helper()
	_, ok, err := s.Get(t.Context(), id)
	require.NoError(t, err)
	return ok
}

func TestMemoryStoreCapsFinishedOperationsByCount(t *testing.T) {
	t.Parallel()
	s := newMemoryStore(t, rewardpoints.WithMaxDone(3))
	_, _, err := s.Create(t.Context(), op("pending-1", rewardpoints.StatePending))
	require.NoError(t, err)
	for i := range 5 {
		finish(t, s, fmt.Sprint("done-", i))
	}
	assert.Equal(t, 4, s.Len(), "three finished operations and the pending one")
	assert.False(t, has(t, s, "done-0"), "the first to finish is forgotten first")
	assert.False(t, has(t, s, "done-1"))
	for _, id := range []string{"done-2", "done-3", "done-4", "pending-1"} {
		assert.True(t, has(t, s, id), id)
	}

	for i := range 10 { // pending operations never count against the cap
		_, _, err := s.Create(t.Context(), op(fmt.Sprint("pending-x", i), rewardpoints.StatePending))
		require.NoError(t, err)
	}
	assert.Equal(t, 14, s.Len())
	assert.True(t, has(t, s, "done-2"))
}

func TestMemoryStoreForgetsFinishedOperationsByAge(t *testing.T) {
	t.Parallel()
	clk := newTestClock()
	s := newMemoryStore(t, rewardpoints.WithDoneMaxAge(time.Hour), rewardpoints.WithStoreClock(clk.Now))
	_, _, err := s.Create(t.Context(), op("pending", rewardpoints.StatePending))
	require.NoError(t, err)
	finish(t, s, "old")
	clk.Advance(30 * time.Minute)
	finish(t, s, "young")

	clk.Advance(30*time.Minute - time.Nanosecond)
	assert.True(t, has(t, s, "old"), "just under an hour old")
	clk.Advance(time.Nanosecond)
	assert.False(t, has(t, s, "old"), "an hour after it finished")
	assert.True(t, has(t, s, "young"))

	clk.Advance(24 * time.Hour)
	assert.False(t, has(t, s, "young"))
	assert.True(t, has(t, s, "pending"), "a pending operation is never evicted, however old")
	assert.Equal(t, 1, s.Len())
}

func TestMemoryStoreEvictionIgnoresDeletedAndRecreated(t *testing.T) {
	t.Parallel()
	clk := newTestClock()
	s := newMemoryStore(t, rewardpoints.WithMaxDone(2), rewardpoints.WithDoneMaxAge(time.Hour), rewardpoints.WithStoreClock(clk.Now))
	finish(t, s, "a")
	require.NoError(t, s.Delete(t.Context(), "a"))
	clk.Advance(40 * time.Minute)
	finish(t, s, "a") // the same id again, finished later: its age counts from now
	finish(t, s, "b")
	clk.Advance(40 * time.Minute)
	assert.True(t, has(t, s, "a"), "the stale queue entry of the first 'a' does not evict the second")
	assert.True(t, has(t, s, "b"))
	assert.Equal(t, 2, s.Len())
}

func TestMemoryStoreOptionsValidate(t *testing.T) {
	t.Parallel()
	for name, o := range map[string]rewardpoints.MemoryStoreOption{
		"zero count":   rewardpoints.WithMaxDone(0),
		"negative age": rewardpoints.WithDoneMaxAge(-time.Second),
		"nil clock":    rewardpoints.WithStoreClock(nil),
	} {
		_, err := rewardpoints.NewMemoryStore(o)
		assert.ErrorContains(t, err, "rewardpoints: memory store: With", name)
	}
	_, err := rewardpoints.NewMemoryStore(nil)
	assert.NoError(t, err, "a nil option is ignored")
}

// The client's clock stamps operations and drives the default store's age limit.
func TestClientClockDrivesDefaultStore(t *testing.T) {
	t.Parallel()
	clk := newTestClock()
	srv, c := newFake(t, rewardpoints.WithClock(clk.Now))
	_, _, err := c.AddPoints(t.Context(), req("clocked", 5))
	require.NoError(t, err)
	stored, ok, err := c.Operation(t.Context(), "clocked")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, clk.Now(), stored.CreatedAt)
	assert.Equal(t, clk.Now(), stored.UpdatedAt)

	clk.Advance(rewardpoints.DefaultDoneMaxAge)
	_, ok, err = c.Operation(t.Context(), "clocked")
	require.NoError(t, err)
	assert.False(t, ok, "forgotten after the default age")
	res, _, err := c.AddPoints(t.Context(), req("clocked", 5))
	require.NoError(t, err)
	assert.False(t, res.Replayed, "past the window, a retry is sent again (documented)")
	assert.Len(t, srv.Log(), 2)

	_, err = rewardpoints.NewClient(srv.URL, admin, adminPW, rewardpoints.WithClock(nil))
	assert.ErrorContains(t, err, "rewardpoints: WithClock: ")
}

// With WithSleep beside WithClock, a server-requested wait is slept on the test clock: a 429's
// Retry-After of 30 s takes no real time and moves the clock by exactly 30 s.
func TestClientSleepsOnInjectedClock(t *testing.T) {
	t.Parallel()
	clk := newTestClock()
	var waits []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d)
		clk.Advance(d)
		return ctx.Err()
	}
	srv, c := newFake(t, rewardpoints.WithClock(clk.Now), rewardpoints.WithSleep(sleep))
	rule := faults.Status429(30 * time.Second)
	rule.Times = 1
	srv.Faults.Add(rule)
	start := clk.Now()
	_, resp, err := c.AddPoints(t.Context(), req("slept", 5))
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, []time.Duration{30 * time.Second}, waits)
	assert.Equal(t, 30*time.Second, clk.Now().Sub(start))

	_, err = rewardpoints.NewClient(srv.URL, admin, adminPW, rewardpoints.WithSleep(nil))
	assert.ErrorContains(t, err, "rewardpoints: WithSleep: ")
	assert.ErrorIs(t, err, rewardpoints.ErrInvalidArgument)
}
