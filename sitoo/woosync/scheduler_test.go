package woosync_test

import (
	"context"
	"log/slog"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/pgtest"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/postgres"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func ran(res []woosync.TaskResult) []woosync.Task {
	var out []woosync.Task
	for _, r := range res {
		if !r.Busy {
			out = append(out, r.Task)
		}
	}
	return out
}

func schedEnv(t *testing.T, mode woosync.Mode) (*env, *fakeClock) {
	clock := &fakeClock{t: time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)}
	e := newEnv(t, envOption{syncer: []woosync.Option{woosync.WithClock(clock.now)}})
	e.connect(func(s *woosync.Settings) {
		s.Mode, s.Live = mode, s.Test
		s.Autosync, s.AutoFetchStock, s.AutoFetchOrders = true, true, woosync.OrdersAll
	})
	return e, clock
}

func TestScheduler_CadenceLiveAndTestMode(t *testing.T) {
	t.Parallel()
	e, clock := schedEnv(t, woosync.ModeLive)
	sc, err := woosync.NewScheduler(e.syncer)
	require.NoError(t, err)
	tick := func() []woosync.Task {
		res, err := sc.Tick(e.ctx)
		require.NoError(t, err)
		for _, r := range res {
			require.NoError(t, r.Err)
		}
		return ran(res)
	}
	assert.Equal(t, []woosync.Task{woosync.TaskStock, woosync.TaskOrders}, tick())
	clock.add(time.Minute)
	assert.Empty(t, tick())
	clock.add(2 * time.Minute) // 3 minutes
	assert.Equal(t, []woosync.Task{woosync.TaskStock}, tick())
	clock.add(12 * time.Minute) // 15 minutes
	assert.Equal(t, []woosync.Task{woosync.TaskStock, woosync.TaskOrders}, tick())
	runs, err := e.store.Runs(e.ctx, 0)
	require.NoError(t, err)
	assert.Len(t, runs, 5, "every run is in the run log")

	t.Run("test mode runs everything every minute", func(t *testing.T) {
		e, clock := schedEnv(t, woosync.ModeTest)
		sc, err := woosync.NewScheduler(e.syncer)
		require.NoError(t, err)
		for range 3 {
			res, err := sc.Tick(e.ctx)
			require.NoError(t, err)
			assert.Equal(t, []woosync.Task{woosync.TaskStock, woosync.TaskOrders}, ran(res))
			clock.add(time.Minute)
		}
	})
}

func TestScheduler_NoOverlapAcrossInstances(t *testing.T) {
	t.Parallel()
	e, clock := schedEnv(t, woosync.ModeLive)
	leases := woosync.NewMemoryLeases()
	a, err := woosync.NewScheduler(e.syncer, woosync.WithLeaser(leases), woosync.WithOwner("a"))
	require.NoError(t, err)
	b, err := woosync.NewScheduler(e.syncer, woosync.WithLeaser(leases), woosync.WithOwner("b"))
	require.NoError(t, err)

	res, err := a.Tick(e.ctx)
	require.NoError(t, err)
	assert.Len(t, ran(res), 2)
	res, err = b.Tick(e.ctx)
	require.NoError(t, err)
	assert.Empty(t, ran(res), "a holds both leases until the tasks are next due")
	require.Len(t, res, 2)
	assert.True(t, res[0].Busy)

	// A run in progress elsewhere (a lease held with the run TTL) blocks the task.
	clock.add(StockDue)
	ok, err := leases.Acquire(e.ctx, "woosync/stock", "c", clock.now(), time.Hour)
	require.NoError(t, err)
	require.True(t, ok)
	res, err = a.Tick(e.ctx)
	require.NoError(t, err)
	assert.Empty(t, ran(res))
	require.NoError(t, leases.Release(e.ctx, "woosync/stock", "c"))
	clock.add(StockDue)
	res, err = b.Tick(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, []woosync.Task{woosync.TaskStock}, ran(res))
}

// StockDue is the stock cadence of live mode.
const StockDue = woosync.StockInterval

func TestScheduler_FailingTaskDoesNotStopOthers(t *testing.T) {
	t.Parallel()
	e, _ := schedEnv(t, woosync.ModeLive)
	e.connect(func(s *woosync.Settings) {
		s.Mode, s.Live, s.WarehouseID = woosync.ModeLive, s.Test, 0 // stock needs a warehouse
		s.Autosync, s.AutoFetchStock, s.AutoFetchOrders = true, true, woosync.OrdersAll
	})
	e.sitooOrder(1, "A")
	sc, err := woosync.NewScheduler(e.syncer)
	require.NoError(t, err)
	res, err := sc.Tick(e.ctx)
	require.NoError(t, err)
	require.Len(t, res, 2)
	assert.Error(t, res[0].Err)
	require.NoError(t, res[1].Err)
	assert.Equal(t, 1, res[1].Report.Steps[0].Done)
	runs, err := e.store.Runs(e.ctx, 0)
	require.NoError(t, err)
	require.Len(t, runs, 2)
	assert.NotEmpty(t, runs[1].Err, "the failure is in the run log")
}

func TestScheduler_RunStopsOnCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	ticks := 0
	sleep := func(context.Context, time.Duration) error {
		if ticks++; ticks == 3 {
			cancel()
		}
		return nil
	}
	e := newEnv(t, envOption{syncer: []woosync.Option{woosync.WithSleep(sleep)}})
	e.connect(func(s *woosync.Settings) { s.Autosync, s.AutoFetchOrders = true, woosync.OrdersAll })
	sc, err := woosync.NewScheduler(e.syncer)
	require.NoError(t, err)
	require.ErrorIs(t, sc.Run(ctx), context.Canceled)
	assert.Equal(t, 3, ticks)
}

func testLeaser(t *testing.T, l woosync.Leaser, name string) {
	ctx := context.Background()
	at := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	ok, err := l.Acquire(ctx, name, "a", at, time.Minute)
	require.NoError(t, err)
	assert.True(t, ok)
	ok, err = l.Acquire(ctx, name, "b", at.Add(59*time.Second), time.Minute)
	require.NoError(t, err)
	assert.False(t, ok, "held by a")
	ok, err = l.Acquire(ctx, name, "a", at.Add(30*time.Second), time.Minute)
	require.NoError(t, err)
	assert.True(t, ok, "a renews")
	ok, err = l.Acquire(ctx, name, "b", at.Add(90*time.Second), time.Minute)
	require.NoError(t, err)
	assert.True(t, ok, "expired")
	require.NoError(t, l.Release(ctx, name, "a"), "not a's any more: nothing")
	ok, err = l.Acquire(ctx, name, "a", at.Add(91*time.Second), time.Minute)
	require.NoError(t, err)
	assert.False(t, ok)
	require.NoError(t, l.Release(ctx, name, "b"))
	ok, err = l.Acquire(ctx, name, "a", at.Add(92*time.Second), time.Minute)
	require.NoError(t, err)
	assert.True(t, ok)
}

func TestLeases_MemoryAndSQLite(t *testing.T) {
	t.Parallel()
	testLeaser(t, woosync.NewMemoryLeases(), "t")
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "l.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	l, err := woosync.NewSQLLeases(t.Context(), db)
	require.NoError(t, err)
	testLeaser(t, l, "t")
	_, err = woosync.NewSQLLeases(t.Context(), db)
	require.NoError(t, err, "migrating again is a no-op")
}

// With LOYALSYNC_TEST_POSTGRES set to a DSN, the leases run on PostgreSQL, two instances racing.
func TestLeases_PostgreSQL(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.FreshSchema(t, dsn)
	var ls []woosync.Leaser
	for range 2 {
		db, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(schema))
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		l, err := woosync.NewSQLLeases(t.Context(), db)
		require.NoError(t, err)
		ls = append(ls, l)
	}
	run := time.Now().Format("20060102150405.000000000")
	testLeaser(t, ls[0], "contract-"+run)
	name := "race-" + run
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := 0
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := ls[i%2].Acquire(context.Background(), name, "owner"+itoa(int64(i)), time.Now(), time.Minute)
			assert.NoError(t, err)
			if ok {
				mu.Lock()
				got++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, 1, got, "one instance gets the lease")
}

func TestScheduler_TasksFollowSettings(t *testing.T) {
	t.Parallel()
	e, _ := schedEnv(t, woosync.ModeLive)
	e.connect(func(s *woosync.Settings) {
		s.Mode, s.Live, s.Autosync = woosync.ModeLive, s.Test, true
		s.SendChanges, s.AutoMatch, s.CACMethodID = true, true, "local_pickup"
		s.CACStatuses = []woocommerce.OrderStatus{woocommerce.OrderProcessing}
	})
	sc, err := woosync.NewScheduler(e.syncer)
	require.NoError(t, err)
	res, err := sc.Tick(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, []woosync.Task{woosync.TaskCAC, woosync.TaskReconcile, woosync.TaskMatch}, ran(res))
	for _, r := range res {
		assert.NoError(t, r.Err, r.Task)
	}

	e.connect(func(s *woosync.Settings) { s.Mode, s.Live, s.AutoFetchStock = woosync.ModeLive, s.Test, true })
	res, err = sc.Tick(e.ctx)
	require.NoError(t, err)
	assert.Empty(t, res, "autosync off: nothing runs")
}

func TestScheduler_ResumesFromWatermarksAfterRestart(t *testing.T) {
	t.Parallel()
	e, _ := schedEnv(t, woosync.ModeLive)
	e.sitooOrder(1, "A")
	e.sitooOrder(1, "B")
	first, err := woosync.NewScheduler(e.syncer)
	require.NoError(t, err)
	res, err := first.Tick(e.ctx)
	require.NoError(t, err)
	require.Len(t, res, 2)
	assert.Equal(t, 2, res[1].Report.Steps[0].Done)

	// A new process on the same store (and so the same watermarks) reads only what is new.
	e.sitooOrder(1, "C")
	restarted, err := woosync.New(e.store, e.wc, woosync.WithEncryptionKey(testKey),
		woosync.WithSitooOptions(sitoo.WithHTTPClient(e.sitoo.Client())), woosync.WithLogger(slog.New(slog.DiscardHandler)))
	require.NoError(t, err)
	second, err := woosync.NewScheduler(restarted)
	require.NoError(t, err)
	res, err = second.Tick(e.ctx)
	require.NoError(t, err)
	require.Len(t, res, 2)
	assert.Equal(t, woosync.TaskOrders, res[1].Task)
	assert.Equal(t, 1, res[1].Report.Steps[0].Done)
	assert.Zero(t, res[1].Report.Steps[0].Skipped, "nothing before the watermark is read again")
	assert.Len(t, e.fetchedOrders(), 3)
}
