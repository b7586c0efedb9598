package woosync_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
)

// sleeper counts the Syncer's rate-limit waits (and really waits: the fake's bucket refills in
// real time, within milliseconds here).
type sleeper struct {
	mu    sync.Mutex
	waits int
	at    []int // Sitoo requests served when each wait began
	srv   *sitootest.Server
}

func (s *sleeper) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits++
	if s.srv != nil {
		s.at = append(s.at, s.srv.Stats().Requests)
	}
	s.mu.Unlock()
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func TestFullSync_CheckRateLimitWaitsBeforeTheStep(t *testing.T) {
	t.Parallel()
	sl := &sleeper{}
	e := newEnv(t, envOption{
		sitoo:  []sitootest.Option{sitootest.WithRateLimit(200, 10)},
		syncer: []woosync.Option{woosync.WithSleep(sl.sleep)},
	})
	sl.srv = e.sitoo
	e.connect(func(s *woosync.Settings) { s.CheckRateLimit = true })
	for i := range 30 {
		e.simple(fmt.Sprint("P", i), fmt.Sprint("P-", i), 1)
	}
	// Spend the budget with the Syncer's own client, as an earlier step would.
	client, err := e.syncer.SitooClient(e.ctx)
	require.NoError(t, err)
	for range 9 { // with Connect's request, the whole burst
		_, _, err := client.Site(1).Warehouses.List(e.ctx, &sitoo.ListOptions{Num: 1})
		require.NoError(t, err)
	}
	before := e.sitoo.Stats().Requests

	rep, err := e.syncer.FullSync(e.ctx, []woosync.Step{woosync.StepSendProducts}, nil)
	require.NoError(t, err)
	assert.Equal(t, 30, rep.Steps[0].Done)
	require.Positive(t, sl.waits, "waited for the window")
	assert.LessOrEqual(t, sl.at[0]-before, 1, "waited before the step sent anything (at most a probe)")
	assert.Positive(t, rep.Steps[0].Waited)
	assert.Len(t, e.sitooProducts(), 30)
}

func TestFullSync_CheckRateLimitRefusesBeforeStarting(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{
		sitoo: []sitootest.Option{sitootest.WithRateLimit(0.5, 5)},
		// Every reading of the clock is an hour later, so any wait exceeds the maximum: the
		// refusal does not depend on how fast the fake's bucket refills meanwhile.
		syncer: []woosync.Option{woosync.WithMaxRateWait(time.Minute), woosync.WithClock(hourly())},
	})
	e.connect(func(s *woosync.Settings) { s.CheckRateLimit = true })
	for i := range 10 {
		e.simple(fmt.Sprint("P", i), fmt.Sprint("P-", i), 1)
	}
	client, _ := e.syncer.SitooClient(e.ctx)
	for range 4 { // with Connect's request, the whole burst
		_, _, err := client.Site(1).Warehouses.List(e.ctx, &sitoo.ListOptions{Num: 1})
		require.NoError(t, err)
	}
	before := e.sitoo.Stats().Requests
	_, err := e.syncer.FullSync(e.ctx, []woosync.Step{woosync.StepSendProducts}, nil)
	require.ErrorIs(t, err, woosync.ErrRateBudget)
	assert.Equal(t, before, e.sitoo.Stats().Requests, "nothing sent")
	runs, _ := e.syncer.Runs(e.ctx, 1)
	assert.Contains(t, runs[0].Err, "rate limit")
}

// hourly is a clock that moves one hour on every reading.
func hourly() func() time.Time {
	var mu sync.Mutex
	t := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		t = t.Add(time.Hour)
		return t
	}
}
