package woosync

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"time"
)

// Task is one recurring job of autosync.
type Task string

// Autosync tasks, each enabled by a setting.
const (
	// TaskStock fetches Sitoo stock changes (Settings.AutoFetchStock), every 3 minutes.
	TaskStock Task = "stock"
	// TaskOrders fetches Sitoo orders (Settings.AutoFetchOrders), every 15 minutes.
	TaskOrders Task = "orders"
	// TaskCAC sends the Click and Collect orders a lost webhook left behind (Settings.CACMethodID),
	// every 15 minutes.
	TaskCAC Task = "cac"
	// TaskMatch matches all products, categories and coupons (Settings.AutoMatch), every 15
	// minutes.
	TaskMatch Task = "match"
	// TaskReconcile sends the product changes a lost webhook left behind (Settings.SendChanges
	// or SendStockChanges; StepReconcileProducts), every 15 minutes.
	TaskReconcile Task = "reconcile"
)

// Autosync cadences (the seed's cron): stock every 3 minutes, the other tasks every 15, and in
// test mode every task every minute.
const (
	StockInterval    = 3 * time.Minute
	TaskInterval     = 15 * time.Minute
	TestModeInterval = time.Minute
)

// TaskResult is the outcome of one task in a Tick.
type TaskResult struct {
	Task Task
	// Busy is true when another run of the task (in this or another process) held its lease:
	// the task did not run this time.
	Busy bool
	// Report and Err are the run's outcome (see Syncer.Run); the run is also in the run log.
	Report *Report
	Err    error
	// Duration is how long the run took by the Scheduler's clock.
	Duration time.Duration
}

// Scheduler runs the autosync tasks at their cadence (the seed's "Autosync Cron"). Tick runs
// what is due now by the Scheduler's clock; Run calls Tick until its context ends. A task runs
// only under its lease (Leaser), so runs of one task never overlap, also across processes that
// share a SQLLeases database; the lease is kept until the task's next due time, so several
// processes together still run a task once per interval. One task failing does not stop the
// others. Tasks resume from the Store's watermarks, so a restarted process goes on where the
// last one stopped.
type Scheduler struct {
	s      *Syncer
	leases Leaser
	owner  string
	ttl    time.Duration
	every  time.Duration
	next   map[Task]time.Time
}

// SchedulerOption configures a Scheduler. A nil SchedulerOption is ignored.
type SchedulerOption func(*Scheduler) error

// WithLeaser sets where task leases are kept (default: a MemoryLeases, this process only).
// Processes sharing one database use one SQLLeases each on it.
func WithLeaser(l Leaser) SchedulerOption {
	return func(sc *Scheduler) error {
		if l == nil {
			return errors.New("woosync: nil leaser")
		}
		sc.leases = l
		return nil
	}
}

// WithOwner names this process in leases (default: random).
func WithOwner(owner string) SchedulerOption {
	return func(sc *Scheduler) error {
		if owner == "" {
			return errors.New("woosync: empty lease owner")
		}
		sc.owner = owner
		return nil
	}
}

// WithLeaseTTL sets how long a running task's lease lasts when the process dies mid-run
// (default 1 hour): after that another process may run the task.
func WithLeaseTTL(d time.Duration) SchedulerOption {
	return func(sc *Scheduler) error {
		if d <= 0 {
			return errors.New("woosync: lease TTL must be positive")
		}
		sc.ttl = d
		return nil
	}
}

// WithTickEvery sets how often Run calls Tick (default 20 seconds).
func WithTickEvery(d time.Duration) SchedulerOption {
	return func(sc *Scheduler) error {
		if d <= 0 {
			return errors.New("woosync: tick period must be positive")
		}
		sc.every = d
		return nil
	}
}

// NewScheduler returns a Scheduler of the Syncer's tasks. It uses the Syncer's clock
// (WithClock) and sleep (WithSleep).
func NewScheduler(s *Syncer, opts ...SchedulerOption) (*Scheduler, error) {
	if s == nil {
		return nil, errors.New("woosync: nil syncer")
	}
	var id [8]byte
	_, _ = rand.Read(id[:])
	sc := &Scheduler{s: s, leases: NewMemoryLeases(), owner: hex.EncodeToString(id[:]), ttl: time.Hour,
		every: 20 * time.Second, next: map[Task]time.Time{}}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(sc); err != nil {
			return nil, err
		}
	}
	return sc, nil
}

// tasks returns the enabled tasks, their steps and intervals.
func (sc *Scheduler) tasks(set *Settings) []scheduled {
	other, stock := TaskInterval, StockInterval
	if set.Mode == ModeTest {
		other, stock = TestModeInterval, TestModeInterval
	}
	var out []scheduled
	if set.AutoFetchStock {
		out = append(out, scheduled{TaskStock, StepFetchStockChanges, stock})
	}
	switch set.AutoFetchOrders {
	case OrdersAll:
		out = append(out, scheduled{TaskOrders, StepFetchOrders, other})
	case OrdersStore2Door:
		out = append(out, scheduled{TaskOrders, StepFetchStore2Door, other})
	}
	if set.CACMethodID != "" {
		out = append(out, scheduled{TaskCAC, StepSendCACOrders, other})
	}
	if set.SendChanges || set.SendStockChanges {
		out = append(out, scheduled{TaskReconcile, StepReconcileProducts, other})
	}
	if set.AutoMatch {
		out = append(out, scheduled{TaskMatch, StepMatchAll, other})
	}
	return out
}

type scheduled struct {
	task     Task
	step     Step
	interval time.Duration
}

// Tick runs every enabled task that is due, one after the other, and returns their results.
// Nothing runs while Settings.Autosync is off or the sync is paused. Tick is not safe to call
// concurrently with itself on one Scheduler.
func (sc *Scheduler) Tick(ctx context.Context) ([]TaskResult, error) {
	rec, err := sc.s.store.LoadSettings(ctx)
	if err != nil {
		return nil, err
	}
	if !rec.Settings.Autosync || rec.Paused || rec.SealedCredentials == nil {
		return nil, nil
	}
	var out []TaskResult
	for _, t := range sc.tasks(&rec.Settings) {
		if err := ctx.Err(); err != nil {
			return out, err
		}
		now := sc.s.clock()
		if now.Before(sc.next[t.task]) {
			continue
		}
		res, err := sc.runTask(ctx, t, now)
		if err != nil {
			return out, err
		}
		out = append(out, res)
	}
	return out, nil
}

// runTask runs one due task under its lease. An error is returned only when the lease store
// fails; the task's own error is in the result.
func (sc *Scheduler) runTask(ctx context.Context, t scheduled, now time.Time) (TaskResult, error) {
	name := "woosync/" + string(t.task)
	ok, err := sc.leases.Acquire(ctx, name, sc.owner, now, sc.ttl)
	if err != nil {
		return TaskResult{}, err
	}
	sc.next[t.task] = now.Add(t.interval)
	if !ok {
		sc.s.logger.InfoContext(ctx, "woosync: autosync task busy elsewhere", "task", t.task)
		return TaskResult{Task: t.task, Busy: true}, nil
	}
	rep, runErr := sc.s.Run(ctx, t.step, nil)
	end := sc.s.clock()
	res := TaskResult{Task: t.task, Report: rep, Err: runErr, Duration: end.Sub(now)}
	args := []any{"task", t.task, "step", t.step, "duration", res.Duration}
	if rep != nil {
		args = append(args, "done", sum(rep, func(s StepReport) int { return s.Done }),
			"skipped", sum(rep, func(s StepReport) int { return s.Skipped }), "failed", rep.Failed())
	}
	if runErr != nil {
		sc.s.logger.ErrorContext(ctx, "woosync: autosync task failed", append(args, "error", runErr)...)
	} else {
		sc.s.logger.InfoContext(ctx, "woosync: autosync task ran", args...)
	}
	// Keep the lease until the task is next due, so no process runs it again sooner.
	if until := sc.next[t.task].Sub(end); until > 0 {
		_, err = sc.leases.Acquire(context.WithoutCancel(ctx), name, sc.owner, end, until)
	} else {
		err = sc.leases.Release(context.WithoutCancel(ctx), name, sc.owner)
	}
	return res, err
}

func sum(r *Report, f func(StepReport) int) int {
	n := 0
	for _, s := range r.Steps {
		n += f(s)
	}
	return n
}

// Run calls Tick every WithTickEvery period until ctx ends, then returns ctx.Err(). A failing
// Tick (the store unreachable) is logged and retried on the next period.
func (sc *Scheduler) Run(ctx context.Context) error {
	for {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if _, err := sc.Tick(ctx); err != nil && ctx.Err() == nil {
			sc.s.logger.ErrorContext(ctx, "woosync: autosync tick", "error", err)
		}
		if err := sc.s.sleep(ctx, sc.every); err != nil {
			return ctx.Err()
		}
	}
}
