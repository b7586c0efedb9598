package pointsync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"
)

// Sender delivers the queued movements of the local site to its remote sites: it leases batches
// from the Queue, sends them through the Deliverer of each remote's kind, acknowledges or fails
// them, and keeps each remote's record for its status. Run delivers continuously; DeliverOnce and
// Flush deliver on demand. Create it with NewSender; it is safe for concurrent use.
type Sender struct {
	settings  SettingsStore
	queue     Queue
	deliver   map[RemoteKind]Deliverer
	now       func() time.Time
	sleep     func(ctx context.Context, d time.Duration) error // WithSleep; nil: a real timer
	log       *slog.Logger
	batchSize int
	leaseTTL  time.Duration
	maxWait   time.Duration
	poll      time.Duration
	probe     time.Duration

	mu      sync.Mutex
	wake    map[string]chan struct{} // one per running worker
	running bool
}

// NewSender returns a sender for the local site and remotes in settings, delivering from queue.
// Options: WithBatchSize, WithMaxWait, WithPollInterval, WithProbeInterval, WithLeaseTTL,
// WithDeliverer, WithClock, WithSleep, WithLogger, and the client options (WithHTTPClient, WithRetry, …),
// which configure the protocol client of KindLoyalsync remotes.
func NewSender(settings SettingsStore, queue Queue, opts ...Option) (*Sender, error) {
	if settings == nil || queue == nil {
		return nil, fmt.Errorf("%w: NewSender needs a settings store and a queue", ErrInvalidArgument)
	}
	cfg, err := newConfig("NewSender", opts)
	if err != nil {
		return nil, err
	}
	s := &Sender{
		settings: settings, queue: queue, deliver: map[RemoteKind]Deliverer{},
		now: cfg.now, sleep: cfg.sleep, log: cfg.logger, batchSize: cfg.batchSize, leaseTTL: cfg.leaseTTL,
		maxWait: cfg.maxWait, poll: cfg.poll, probe: cfg.probe, wake: map[string]chan struct{}{},
	}
	s.deliver[KindLoyalsync] = newProtocolDeliverer(opts)
	for k, d := range cfg.deliver {
		s.deliver[k] = d
	}
	return s, nil
}

func (s *Sender) deliverer(r Remote) (Deliverer, error) {
	d := s.deliver[r.EffectiveKind()]
	if d == nil {
		return nil, fmt.Errorf("pointsync: no deliverer for remotes of kind %q (see WithDeliverer)", r.EffectiveKind())
	}
	return d, nil
}

// DeliverOnce leases one batch for the remote with this sharing key and delivers it, whatever the
// remote's status. It returns how many movements were delivered: 0 with a nil error when nothing
// was queued. A failed delivery is recorded (Queue.Fail) and returned.
func (s *Sender) DeliverOnce(ctx context.Context, remote string) (int, error) {
	local, err := s.settings.LocalSite(ctx)
	if err != nil {
		return 0, err
	}
	r, err := s.settings.Remote(ctx, remote)
	if err != nil {
		return 0, err
	}
	d, err := s.deliverer(r)
	if err != nil {
		return 0, err
	}
	lease, err := s.queue.Lease(ctx, remote, s.batchSize, s.leaseTTL)
	if err != nil || lease == nil {
		return 0, err
	}
	b := &Batch{Version: Version, ID: lease.ID, Origin: local.SharingKey, Reserve: r.TargetReserve,
		Movements: make([]Movement, len(lease.Items))}
	for i, it := range lease.Items {
		b.Movements[i] = it.Movement
	}
	// A delivery must end before its lease does, or another instance could send the batch too.
	dctx, cancel := context.WithTimeout(ctx, s.leaseTTL*9/10)
	err = d.Deliver(dctx, local, r, b)
	cancel()
	bg := context.WithoutCancel(ctx) // the outcome is recorded even when ctx ends now
	if delivered(err) {
		if err := s.queue.Ack(bg, remote, lease.ID); err != nil && !errors.Is(err, ErrLeaseLost) {
			return 0, err
		}
		return len(b.Movements), nil
	}
	if ctx.Err() != nil { // we stopped, the remote did not fail
		_ = s.queue.Release(bg, remote, lease.ID)
		return 0, ctx.Err()
	}
	if ferr := s.queue.Fail(bg, remote, lease.ID, err.Error()); ferr != nil {
		return 0, errors.Join(err, ferr)
	}
	return 0, err
}

// Flush delivers batches to the remote until its queue is empty or a delivery fails, and returns
// how many movements were delivered.
func (s *Sender) Flush(ctx context.Context, remote string) (int, error) {
	total := 0
	for {
		n, err := s.DeliverOnce(ctx, remote)
		total += n
		if err != nil || n == 0 {
			return total, err
		}
	}
}

// Ping checks the remote's settings through its deliverer and records the outcome: a success
// resumes a paused remote, a failure counts as a failed attempt. It returns the ping's error.
func (s *Sender) Ping(ctx context.Context, remote string) error {
	local, err := s.settings.LocalSite(ctx)
	if err != nil {
		return err
	}
	r, err := s.settings.Remote(ctx, remote)
	if err != nil {
		return err
	}
	return s.ping(ctx, local, r)
}

func (s *Sender) ping(ctx context.Context, local LocalSite, r Remote) error {
	d, err := s.deliverer(r)
	if err != nil {
		return err
	}
	perr := d.Ping(ctx, local, r)
	if ctx.Err() != nil {
		return perr
	}
	cause := ""
	if perr != nil {
		cause = perr.Error()
	}
	if err := s.queue.RecordPing(context.WithoutCancel(ctx), r.SharingKey, cause); err != nil {
		return errors.Join(perr, err)
	}
	if perr == nil {
		s.Notify()
	}
	return perr
}

// SaveRemote validates and stores a remote, then pings it, as the settings page does on save.
// err is a validation or store error (nothing saved); pingErr is the ping's error (the remote is
// saved anyway, and its status shows the problem).
func (s *Sender) SaveRemote(ctx context.Context, r Remote) (pingErr, err error) {
	local, err := s.settings.LocalSite(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.settings.PutRemote(ctx, r); err != nil {
		return nil, err
	}
	s.Notify()
	return s.ping(ctx, local, r), nil
}

// DeleteRemote removes a remote and drops its queue: an operator's decision, the only way queued
// movements are dropped.
func (s *Sender) DeleteRemote(ctx context.Context, remote string) error {
	if err := s.settings.DeleteRemote(ctx, remote); err != nil {
		return err
	}
	return s.queue.Purge(ctx, remote)
}

// RetryNow resumes a paused remote ("retry now"): its failures are forgotten and Run delivers its
// queue again at once.
func (s *Sender) RetryNow(ctx context.Context, remote string) error {
	if _, err := s.settings.Remote(ctx, remote); err != nil {
		return err
	}
	if err := s.queue.Resume(ctx, remote); err != nil {
		return err
	}
	s.Notify()
	return nil
}

// RemoteStatus is a remote with its status and delivery record, a line of the remote sites list.
type RemoteStatus struct {
	Remote Remote
	Status Status
	State  RemoteState
}

// Statuses returns every remote with its status, computed at the sender's clock.
func (s *Sender) Statuses(ctx context.Context) ([]RemoteStatus, error) {
	remotes, err := s.settings.Remotes(ctx)
	if err != nil {
		return nil, err
	}
	adv, err := s.settings.Advanced(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]RemoteStatus, 0, len(remotes))
	for _, r := range remotes {
		st, err := s.queue.State(ctx, r.SharingKey)
		if err != nil {
			return nil, err
		}
		out = append(out, RemoteStatus{Remote: r, Status: ComputeStatus(st, adv, now), State: st})
	}
	return out, nil
}

// Notify tells Run that movements were queued or settings changed, so that it looks at the queues
// now instead of at its next poll. It never blocks.
func (s *Sender) Notify() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ch := range s.wake {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}

// Run delivers until ctx ends, with one worker per remote: full batches go at once, a partial
// batch after it waited WithMaxWait; after a failure the worker waits Advanced.Delay; after
// Advanced.MaxAttempts failures in a row the remote is paused (StatusError) and pinged every
// WithProbeInterval until it answers, then its queue resumes. Run returns ctx's error; it may run
// only once at a time.
func (s *Sender) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return errors.New("pointsync: Sender.Run is already running")
	}
	s.running = true
	wake := make(chan struct{}, 1)
	s.wake[""] = wake // the supervisor's own channel
	s.mu.Unlock()

	var wg sync.WaitGroup
	workers := map[string]context.CancelFunc{}
	defer func() {
		for _, stop := range workers {
			stop()
		}
		wg.Wait()
		s.mu.Lock()
		s.running = false
		clear(s.wake)
		s.mu.Unlock()
	}()
	for {
		remotes, err := s.settings.Remotes(ctx)
		if err != nil {
			if ctx.Err() == nil {
				s.log.ErrorContext(ctx, "pointsync: list remotes", "error", err)
			}
			if !s.wait(ctx, s.poll, wake) {
				return ctx.Err()
			}
			continue // keep the workers running until the remotes can be read again
		}
		live := map[string]bool{}
		for _, r := range remotes {
			live[r.SharingKey] = true
			if workers[r.SharingKey] != nil {
				continue
			}
			wctx, stop := context.WithCancel(ctx)
			ch := make(chan struct{}, 1)
			s.mu.Lock()
			s.wake[r.SharingKey] = ch
			s.mu.Unlock()
			workers[r.SharingKey] = stop
			wg.Add(1)
			go func(key string) {
				defer wg.Done()
				s.work(wctx, key, ch)
			}(r.SharingKey)
		}
		for key, stop := range workers {
			if !live[key] {
				stop()
				delete(workers, key)
				s.mu.Lock()
				delete(s.wake, key)
				s.mu.Unlock()
			}
		}
		if !s.wait(ctx, s.poll, wake) {
			return ctx.Err()
		}
	}
}

// work is the loop of one remote's worker.
func (s *Sender) work(ctx context.Context, remote string, wake <-chan struct{}) {
	var lastProbe time.Time
	for ctx.Err() == nil {
		adv, err := s.settings.Advanced(ctx)
		if err != nil {
			s.wait(ctx, s.poll, wake)
			continue
		}
		st, err := s.queue.State(ctx, remote)
		if err != nil {
			s.wait(ctx, s.poll, wake)
			continue
		}
		now := s.now()
		if Paused(st, adv) {
			if since := now.Sub(lastProbe); lastProbe.IsZero() || since >= s.probe {
				lastProbe = now
				if err := s.Ping(ctx, remote); err == nil {
					s.log.InfoContext(ctx, "pointsync: remote answers again, delivery resumes", "remote", remote)
					continue
				}
			}
			s.wait(ctx, min(s.probe, s.poll), wake)
			continue
		}
		if st.Pending == 0 {
			s.wait(ctx, s.poll, wake)
			continue
		}
		if age := now.Sub(st.Oldest); st.Pending < s.batchSize && age < s.maxWait {
			s.wait(ctx, min(s.maxWait-age, s.poll), wake)
			continue
		}
		n, err := s.DeliverOnce(ctx, remote)
		switch {
		case err != nil && ctx.Err() == nil:
			s.log.WarnContext(ctx, "pointsync: delivery failed", "remote", remote, "error", err)
			s.wait(ctx, adv.Delay, nil)
		case n == 0:
			s.wait(ctx, s.poll, wake) // everything is leased by another instance
		}
	}
}

// wait sleeps d, or until wake fires or ctx ends; it reports whether ctx is still alive. With
// WithSleep it sleeps through that function, on a context cancelled when wake fires.
func (s *Sender) wait(ctx context.Context, d time.Duration, wake <-chan struct{}) bool {
	if s.sleep != nil {
		sctx, cancel := context.WithCancel(ctx)
		woken := make(chan struct{})
		go func() {
			defer close(woken)
			select {
			case <-wake:
				cancel()
			case <-sctx.Done():
			}
		}()
		_ = s.sleep(sctx, d) // its error is ctx's or the wake's
		cancel()
		<-woken
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-wake:
	case <-t.C:
	}
	return true
}

// EnqueueForRemotes queues local movements of the reserve for every remote that observes it. The
// loyalty adapter calls it in the transaction that appends the movements to the ledger, with an
// Enqueuer bound to that transaction, for every local movement except expirations and movements
// that came from synchronisation (no echo).
func EnqueueForRemotes(ctx context.Context, q Enqueuer, remotes []Remote, reserve string, ms []Movement) error {
	if len(ms) == 0 {
		return nil
	}
	for _, r := range remotes {
		if r.ObservedReserve != reserve {
			continue
		}
		if err := q.Enqueue(ctx, r.SharingKey, ms); err != nil {
			return fmt.Errorf("pointsync: enqueue for %s: %w", r.SharingKey, err)
		}
	}
	return nil
}
