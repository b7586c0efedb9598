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
	for range 4 { // with Connect's two requests (sites, warehouses), at least the whole burst
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

// vclock is a virtual clock that moves only when someone sleeps on it.
type vclock struct {
	mu    sync.Mutex
	t     time.Time
	srv   *sitootest.Server
	waits []time.Duration // of the Syncer (not of the client)
	at    []int           // Sitoo requests served when each of the Syncer's waits began
}

func (c *vclock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *vclock) sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	return nil
}

func (c *vclock) syncerSleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.waits = append(c.waits, d)
	if c.srv != nil {
		c.at = append(c.at, c.srv.Stats().Requests)
	}
	c.mu.Unlock()
	return c.sleep(ctx, d)
}

// CheckRateLimit waits for Sitoo's window before a step that needs more than remains, and
// reads every time on the Syncer's clock: with the fake, the client and the Syncer on one
// virtual clock (so nothing depends on how fast the machine is), the first wait is exactly the
// fake's time to its next token (a bucket of 10 refilled at 1 a second), the second the rest
// of the window at the observed refill rate — including the token the re-check costs — and the
// step then runs without a 429.
func TestFullSync_CheckRateLimitWaitsBeforeTheStep(t *testing.T) {
	t.Parallel()
	vc := &vclock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	e := newEnv(t, envOption{
		sitoo: []sitootest.Option{sitootest.WithRateLimit(1, 10), sitootest.WithClock(vc.now)},
		syncer: []woosync.Option{woosync.WithClock(vc.now), woosync.WithSleep(vc.syncerSleep),
			woosync.WithSitooOptions(sitoo.WithClock(vc.now), sitoo.WithSleep(vc.sleep))},
	})
	e.connect(func(s *woosync.Settings) { s.CheckRateLimit = true })
	for i := range 30 {
		e.simple(fmt.Sprint("P", i), fmt.Sprint("P-", i), 1)
	}
	vc.srv = e.sitoo
	// Spend the budget with the Syncer's own client, as an earlier step would.
	client, err := e.syncer.SitooClient(e.ctx)
	require.NoError(t, err)
	for range 9 { // with Connect's two requests (sites, warehouses), at least the whole burst
		_, _, err := client.Site(1).Warehouses.List(e.ctx, &sitoo.ListOptions{Num: 1})
		require.NoError(t, err)
	}
	before := e.sitoo.Stats().Requests

	rep, err := e.syncer.FullSync(e.ctx, []woosync.Step{woosync.StepSendProducts}, nil)
	require.NoError(t, err)
	assert.Equal(t, 30, rep.Steps[0].Done)
	assert.Equal(t, []time.Duration{time.Second, 9 * time.Second}, vc.waits,
		"the time to the next token, then the step's estimate and the re-check's token at the observed second per token")
	assert.Equal(t, before, vc.at[0], "waited before the step sent anything")
	assert.Equal(t, 10*time.Second, rep.Steps[0].Waited)
	assert.Zero(t, e.sitoo.RateLimitStats().Limited, "no 429")
	assert.Len(t, e.sitooProducts(), 30)
}
