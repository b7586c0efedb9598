package woosync

import (
	"context"
	"fmt"
	"log/slog"
	"math"
	"time"

	"github.com/loyalsync/loyalsync/sitoo"
)

// Progress is where a run stands, reported after every page of items.
type Progress struct {
	Step Step
	// Index is the step's 1-based position in the run, of Steps.
	Index, Steps int
	// Done is the items handled so far in this step (synced, skipped or failed), of Total
	// (0 while unknown).
	Done, Total int
}

// ProgressFunc receives progress reports. It is called from the goroutine running the sync.
type ProgressFunc func(Progress)

// StepReport is the outcome of one step.
type StepReport struct {
	Step Step
	// Done is the items synced, Skipped those left alone (filtered out, excluded, already in
	// sync), Failed those that could not be synced (see Errors).
	Done, Skipped, Failed int
	// Errors are the items that failed (each an *ItemError), in order.
	Errors []*ItemError
	// Waited is how long the step waited for Sitoo's rate-limit window before starting.
	Waited time.Duration
}

// Report is the outcome of a run: one StepReport per step that started.
type Report struct {
	Steps []StepReport
}

// Failed returns the number of failed items over all steps.
func (r *Report) Failed() int {
	n := 0
	for _, s := range r.Steps {
		n += s.Failed
	}
	return n
}

// stepDef is how a Step runs and how many Sitoo requests it is expected to need.
type stepDef struct {
	run      func(j *job) error
	estimate func(j *job) (int, error)
}

// steps is the registry of steps; part 2 adds its steps here.
var steps = map[Step]stepDef{}

// job is the state of one step while it runs.
type job struct {
	*Syncer
	ctx      context.Context
	set      Settings
	sc       *sitoo.Client
	site     *sitoo.Site
	rep      *StepReport
	progress ProgressFunc
	index, n int
	total    int
	handled  int
	vouchers map[string]int64 // Sitoo voucher ids by lowercased code, read once (vouchers_sync.go)
	vatRates *vatTable        // WooCommerce tax settings, read once when needed (vat.go)
}

// Run runs one step alone; see FullSync.
func (s *Syncer) Run(ctx context.Context, step Step, progress ProgressFunc) (*Report, error) {
	return s.run(ctx, string(step), []Step{step}, progress)
}

// FullSync runs the steps in the given order (the seed's "order of selection is the order of
// execution"), reporting progress to progress (may be nil) and to the logger, and records the
// run in the run log. It stops at the first error unless Settings.IgnoreErrors is on, in which
// case failed items are reported in the Report and the steps go on; an error that is not about
// one item (Sitoo unreachable, rate-limit budget) always stops the run. With
// Settings.CheckRateLimit each step first compares the requests it needs with Sitoo's remaining
// budget and waits for the budget (ErrRateBudget if that takes longer than WithMaxRateWait).
// A paused sync refuses with ErrPaused.
func (s *Syncer) FullSync(ctx context.Context, steps []Step, progress ProgressFunc) (*Report, error) {
	return s.run(ctx, "full sync", steps, progress)
}

func (s *Syncer) run(ctx context.Context, op string, list []Step, progress ProgressFunc, opts ...runOption) (*Report, error) {
	for _, o := range opts {
		ctx = o(ctx)
	}
	return s.runWith(ctx, op, list, progress, steps)
}

type exclusiveKey struct{}

// concurrent lets a run go alongside others (a trigger must not wait for a full sync: WooCommerce
// gives a delivery 60 seconds).
func concurrent(ctx context.Context) context.Context {
	return context.WithValue(ctx, exclusiveKey{}, false)
}

// runOption adds what a run needs to its context (the delivery of a trigger).
type runOption func(context.Context) context.Context

func (s *Syncer) runWith(ctx context.Context, op string, list []Step, progress ProgressFunc, steps map[Step]stepDef) (*Report, error) {
	for _, st := range list {
		if _, ok := steps[st]; !ok {
			return nil, fmt.Errorf("%w: %q", ErrUnknownStep, st)
		}
	}
	rec, err := s.settings(ctx)
	if err != nil {
		return nil, err
	}
	if rec.Paused {
		return nil, ErrPaused
	}
	sc, err := s.sitooClient(&rec)
	if err != nil {
		return nil, err
	}
	if ctx.Value(exclusiveKey{}) == nil {
		s.runMu.Lock()
		defer s.runMu.Unlock()
	}

	rep := &Report{}
	log := Run{Operation: op, Started: s.clock()}
	for i, st := range list {
		rep.Steps = append(rep.Steps, StepReport{Step: st})
		j := &job{Syncer: s, ctx: ctx, set: rec.Settings, sc: sc, site: sc.Site(rec.Settings.SiteID),
			rep: &rep.Steps[len(rep.Steps)-1], progress: progress, index: i + 1, n: len(list)}
		s.logger.InfoContext(ctx, "woosync: step starts", "step", st, "index", j.index, "steps", j.n)
		if err = j.checkRate(steps[st]); err == nil {
			err = steps[st].run(j)
		}
		s.logger.InfoContext(ctx, "woosync: step ends", "step", st, "done", j.rep.Done, "skipped", j.rep.Skipped,
			"failed", j.rep.Failed, "error", err)
		if err != nil {
			break
		}
	}
	log.Finished = s.clock()
	for _, sr := range rep.Steps {
		log.Done, log.Skipped, log.Failed = log.Done+sr.Done, log.Skipped+sr.Skipped, log.Failed+sr.Failed
		for _, e := range sr.Errors {
			if len(log.Errors) < MaxRunErrors {
				log.Errors = append(log.Errors, e.Error())
			}
		}
	}
	if err != nil {
		log.Err = err.Error()
	}
	if _, lerr := s.store.AddRun(context.WithoutCancel(ctx), log); lerr != nil {
		s.logger.ErrorContext(ctx, "woosync: run log", "error", lerr)
	}
	return rep, err
}

// Runs returns the latest runs of the run log, newest first.
func (s *Syncer) Runs(ctx context.Context, limit int) ([]Run, error) { return s.store.Runs(ctx, limit) }

// setTotal announces n items to come, for progress reports: the step's total is what it has
// handled so far plus n (a step made of several walks, like match_all, announces each in turn).
func (j *job) setTotal(n int) {
	j.total = j.handled + n
	j.report()
}

func (j *job) report() {
	p := Progress{Step: j.rep.Step, Index: j.index, Steps: j.n, Done: j.handled, Total: j.total}
	if j.progress != nil {
		j.progress(p)
	}
	j.logger.DebugContext(j.ctx, "woosync: progress", slog.String("step", string(p.Step)), slog.Int("done", p.Done), slog.Int("total", p.Total))
}

// done counts n items synced.
func (j *job) done(n int) { j.rep.Done += n; j.tick(n) }

// skip counts n items left alone.
func (j *job) skip(n int) { j.rep.Skipped += n; j.tick(n) }

// tick counts n items handled and reports progress every progressEvery items.
func (j *job) tick(n int) {
	before := j.handled / progressEvery
	j.handled += n
	if j.handled/progressEvery != before {
		j.report()
	}
}

// progressEvery is how many items pass between progress reports (one more comes at the end of
// each step).
const progressEvery = 100

// fail records an item that could not be synced. It returns the error to stop the step with, or
// nil when Settings.IgnoreErrors lets the step go on.
func (j *job) fail(kind Kind, wooID int64, key string, err error) error {
	ie := &ItemError{Step: j.rep.Step, Kind: kind, WooID: wooID, Key: key, Err: err}
	j.rep.Failed++
	j.tick(1)
	j.rep.Errors = append(j.rep.Errors, ie)
	j.logger.WarnContext(j.ctx, "woosync: item not synced", "step", j.rep.Step, "kind", kind, "woo_id", wooID, "key", key, "error", err)
	if j.set.IgnoreErrors {
		return nil
	}
	return ie
}

// checkRate waits until Sitoo's remaining request budget covers the step's estimate (capped at
// the window's limit: a longer step relies on the client's pacing within the window).
func (j *job) checkRate(def stepDef) error {
	if !j.set.CheckRateLimit || def.estimate == nil {
		return nil
	}
	need, err := def.estimate(j)
	if err != nil {
		return err
	}
	start := j.clock()
	rl, known := j.sc.RateLimit() // the headers of the client's latest response
	if !known {
		var err error
		if rl, err = j.probeRate(); err != nil {
			return err
		}
	}
	if rl.Remaining < 0 { // no X-Rate-Limit-Remaining: nothing to check
		return nil
	}
	// A step longer than the window starts with a full window (less the probe a re-check costs)
	// and relies on the client's pacing for the rest.
	if rl.Limit > 1 && need > rl.Limit-1 {
		need = rl.Limit - 1
	}
	for round := 0; rl.Remaining < need && round < maxRateRounds; round++ {
		// Wait for the window to reset; if the budget then grew by less than needed (a token
		// bucket refills gradually), wait for the rest at the observed refill rate.
		wait := rl.Reset.Sub(j.clock())
		if wait <= 0 {
			wait = 100 * time.Millisecond
		}
		if j.clock().Add(wait).Sub(start) > j.maxWait {
			return fmt.Errorf("%w: step %s needs about %d requests, %d remain, window resets in %s",
				ErrRateBudget, j.rep.Step, need, rl.Remaining, wait.Round(time.Millisecond))
		}
		j.logger.InfoContext(j.ctx, "woosync: waiting for the Sitoo rate limit", "step", j.rep.Step,
			"need", need, "remaining", rl.Remaining, "wait", wait)
		before, t0 := rl.Remaining, j.clock()
		if err := j.sleep(j.ctx, wait); err != nil {
			return err
		}
		if rl, err = j.probeRate(); err != nil {
			return err
		}
		if gained := rl.Remaining + 1 - before; gained > 0 && rl.Remaining < need {
			// The next probe costs a token too: wait for need+1 so that it leaves need.
			perToken := j.clock().Sub(t0) / time.Duration(gained)
			rest := perToken * time.Duration(need+1-rl.Remaining)
			if j.clock().Add(rest).Sub(start) > j.maxWait {
				return fmt.Errorf("%w: step %s needs about %d requests, %d remain", ErrRateBudget, j.rep.Step, need, rl.Remaining)
			}
			if err := j.sleep(j.ctx, rest); err != nil {
				return err
			}
			if rl, err = j.probeRate(); err != nil {
				return err
			}
		}
	}
	j.rep.Waited = j.clock().Sub(start)
	return nil
}

// maxRateRounds bounds the waits of one check; after them the step starts anyway.
const maxRateRounds = 10

// probeRate makes one cheap request (the site's first warehouse) to read the current
// X-Rate-Limit-* headers. Without such headers the budget is taken as unlimited.
func (j *job) probeRate() (sitoo.RateLimit, error) {
	if _, _, err := j.site.Warehouses.List(j.ctx, &sitoo.ListOptions{Num: 1}); err != nil {
		return sitoo.RateLimit{}, fmt.Errorf("woosync: check rate limit: %w", err)
	}
	rl, ok := j.sc.RateLimit()
	if !ok || rl.Remaining < 0 {
		return sitoo.RateLimit{Remaining: math.MaxInt}, nil
	}
	return rl, nil
}
