package pointsync_test

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/pointsync/pointsynctest"
)

// eventually waits for cond, checking it every few milliseconds; it fails the test only when
// cond is still false after a very generous bound (it is a wait, not a timing assertion).
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

func record(t *testing.T, s *pointsynctest.Site, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		_, err := s.Ledger.Record(context.Background(), s.Reserve, fmt.Sprintf("m%d@example.com", i%7), int64(i+1), pointsync.KindEarn, "order")
		require.NoError(t, err)
	}
}

func state(t *testing.T, s *pointsynctest.Site, remote string) pointsync.RemoteState {
	t.Helper()
	st, err := s.Store.State(context.Background(), remote)
	require.NoError(t, err)
	return st
}

// TestDownRemoteQueueKeptAndResumed: after MaxAttempts failures the remote shows error and Run
// stops sending to it, but nothing is dropped; when the remote answers a probe ping again, the
// whole queue is delivered.
func TestDownRemoteQueueKeptAndResumed(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a, b := pair(t, clock, pointsync.WithPollInterval(2*time.Millisecond), pointsync.WithMaxWait(0),
		pointsync.WithProbeInterval(time.Hour), pointsync.WithBatchSize(10))
	require.NoError(t, a.Store.PutAdvanced(ctx, pointsync.Advanced{MaxAttempts: 3, Delay: time.Millisecond, StatsPeriodDays: 7, WarningPeriodDays: 1}))
	key := b.Local.SharingKey
	b.SetDown(true)
	record(t, a, 45)

	done := make(chan error, 1)
	go func() { done <- a.Sender.Run(ctx) }()
	eventually(t, "the remote to be paused", func() bool { return state(t, a, key).Failures >= 4 }) // 3 deliveries + 1 probe
	sts, err := a.Sender.Statuses(ctx)
	require.NoError(t, err)
	assert.Equal(t, pointsync.StatusError, sts[0].Status)
	sent := a.Transport.Count("requests")
	assert.Equal(t, 4, sent, "3 delivery attempts and one probe ping")

	record(t, a, 5) // more movements while paused: queued, not sent
	a.Sender.Notify()
	st := state(t, a, key)
	assert.Equal(t, 50, st.Pending, "nothing is dropped")
	assert.Equal(t, 4, st.Failures)

	b.SetDown(false)
	clock.Advance(time.Hour) // the next probe is due
	eventually(t, "the queue to be delivered", func() bool { return len(b.Ledger.Entries()) == 50 })
	eventually(t, "the acknowledgements", func() bool { return state(t, a, key).Pending == 0 })
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	st = state(t, a, key)
	assert.Equal(t, int64(50), st.Delivered)
	assert.Equal(t, 0, st.Failures)
	require.NoError(t, pointsynctest.CheckConverged(a, b))
	assert.Equal(t, int64(5), b.Batches(), "50 movements in batches of 10")
}

func TestRetryNowResumesAPausedRemote(t *testing.T) {
	ctx := t.Context()
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a, b := pair(t, clock)
	require.NoError(t, a.Store.PutAdvanced(ctx, pointsync.Advanced{MaxAttempts: 1, Delay: time.Second, StatsPeriodDays: 7, WarningPeriodDays: 1}))
	key := b.Local.SharingKey
	record(t, a, 3)
	b.SetDown(true)
	_, err := a.Sender.Flush(ctx, key)
	require.ErrorIs(t, err, pointsync.ErrUnreachable)
	adv, err := a.Store.Advanced(ctx)
	require.NoError(t, err)
	assert.True(t, pointsync.Paused(state(t, a, key), adv))
	b.SetDown(false)
	require.NoError(t, a.Sender.RetryNow(ctx, key))
	assert.False(t, pointsync.Paused(state(t, a, key), adv))
	n, err := a.Sender.Flush(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	require.ErrorIs(t, a.Sender.RetryNow(ctx, "nosuchremote"), pointsync.ErrRemoteNotFound)
}

// TestBatchingUnderLoad: while producers queue movements in small bursts, Run sends only full
// batches, so the requests stay within 5 % of the minimum for the batch size.
func TestBatchingUnderLoad(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	clock := pointsynctest.NewClock(pointsynctest.Start) // stands still: a partial batch never ages
	const batch, producers, each = 50, 4, 500
	a, b := pair(t, clock, pointsync.WithBatchSize(batch), pointsync.WithPollInterval(time.Millisecond))
	key := b.Local.SharingKey
	done := make(chan error, 1)
	go func() { done <- a.Sender.Run(ctx) }()

	var wg sync.WaitGroup
	for p := 0; p < producers; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; {
				n := min(1+i%7, each-i)
				var ms []pointsync.Movement
				for j := 0; j < n; j++ {
					ms = append(ms, pointsynctest.Movement(fmt.Sprintf("p%d-%d", p, i+j), "ann@example.com", 1))
				}
				if err := a.Store.Enqueue(ctx, key, ms); err != nil {
					t.Error(err)
					return
				}
				a.Sender.Notify()
				i += n
				// Back-pressure keeps the backlog near one batch, so the worker often finds a
				// partial batch: the load is spread over the whole run.
				for state(t, a, key).Pending >= 2*batch && ctx.Err() == nil {
					runtime.Gosched()
				}
			}
		}()
	}
	wg.Wait()
	const total = producers * each
	eventually(t, "full batches to be sent", func() bool { return state(t, a, key).Pending < batch })
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
	_, err := a.Sender.Flush(t.Context(), key) // the last partial batch
	require.NoError(t, err)

	assert.Len(t, b.Ledger.Entries(), total)
	minimum := (total + batch - 1) / batch
	requests := b.Batches()
	assert.LessOrEqual(t, float64(requests), 1.05*float64(minimum), "requests %d, minimum %d", requests, minimum)
	t.Logf("%d movements, %d requests (minimum %d)", total, requests, minimum)
}

// TestDeliveryAtLeastOnce sends through a network that loses, duplicates and reorders: some
// batches reach the remote more than once, yet every movement is applied exactly once.
func TestDeliveryAtLeastOnce(t *testing.T) {
	ctx := t.Context()
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a, b := pair(t, clock, pointsync.WithBatchSize(5))
	a.Transport.SetFaults(pointsynctest.Faults{Drop: 0.1, Lose: 0.15, Status5xx: 0.1, Duplicate: 0.15, Reorder: 0.15})
	record(t, a, 300)
	_, err := pointsynctest.Settle(ctx, 500, a, b)
	require.NoError(t, err)
	require.NoError(t, pointsynctest.CheckConverged(a, b))
	assert.Len(t, b.Ledger.Entries(), 300)
	acked := state(t, a, b.Local.SharingKey).Delivered
	assert.Equal(t, int64(300), acked)
	assert.Greater(t, b.Batches(), int64(300/5), "some batches arrived more than once")
	for _, f := range []string{"drop", "lose", "5xx", "duplicate", "reorder"} {
		assert.Positive(t, a.Transport.Count(f), f)
	}
}

func TestSaveRemotePingsAndSavesAnyway(t *testing.T) {
	ctx := t.Context()
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a := pointsynctest.NewSite(t, "a", pointsynctest.SiteConfig{Now: clock.Now})
	b := pointsynctest.NewSite(t, "b", pointsynctest.SiteConfig{Now: clock.Now})
	r := a.RemoteFor(b)
	pingErr, err := a.Sender.SaveRemote(ctx, r)
	require.NoError(t, err)
	require.ErrorIs(t, pingErr, pointsync.ErrUnknownSite, "b has not added a yet")
	got, err := a.Store.Remote(ctx, r.SharingKey)
	require.NoError(t, err)
	assert.Equal(t, r, got, "saved anyway")
	sts, err := a.Sender.Statuses(ctx)
	require.NoError(t, err)
	assert.Equal(t, pointsync.StatusWarning, sts[0].Status)
	assert.Contains(t, sts[0].State.LastError, pointsync.CodeUnknownSite)

	pingErr, err = b.Sender.SaveRemote(ctx, b.RemoteFor(a))
	require.NoError(t, err)
	require.NoError(t, pingErr)
	pingErr, err = a.Sender.SaveRemote(ctx, r)
	require.NoError(t, err)
	require.NoError(t, pingErr)
	sts, err = a.Sender.Statuses(ctx)
	require.NoError(t, err)
	assert.Equal(t, pointsync.StatusWarning, sts[0].Status, "green after the warning period")
	assert.Zero(t, sts[0].State.Failures)

	bad := r
	bad.URL = ""
	_, err = a.Sender.SaveRemote(ctx, bad)
	require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
}

func TestDeleteRemoteDropsItsQueue(t *testing.T) {
	ctx := t.Context()
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a, b := pair(t, clock)
	record(t, a, 3)
	key := b.Local.SharingKey
	require.NoError(t, a.Sender.DeleteRemote(ctx, key))
	assert.Zero(t, state(t, a, key).Pending)
	_, err := a.Sender.DeliverOnce(ctx, key)
	require.ErrorIs(t, err, pointsync.ErrRemoteNotFound)
}

func TestRunOnceAtATime(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a, _ := pair(t, clock)
	done := make(chan error, 1)
	go func() { done <- a.Sender.Run(ctx) }()
	stopped, stop := context.WithCancel(ctx)
	stop()
	// While Run runs, a second Run is refused at once (when it does not run, Run(stopped) just
	// returns context.Canceled).
	eventually(t, "Run to start", func() bool {
		err := a.Sender.Run(stopped)
		return err != nil && !errors.Is(err, context.Canceled)
	})
	cancel()
	require.ErrorIs(t, <-done, context.Canceled)
}

// recordingDeliverer stands for the adapter's WooRewards deliverer.
type recordingDeliverer struct {
	mu      sync.Mutex
	batches []*pointsync.Batch
	err     error
}

func (d *recordingDeliverer) Ping(context.Context, pointsync.LocalSite, pointsync.Remote) error {
	return nil
}

func (d *recordingDeliverer) Deliver(_ context.Context, _ pointsync.LocalSite, _ pointsync.Remote, b *pointsync.Batch) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.batches = append(d.batches, b)
	return d.err
}

func TestSenderUsesTheDelivererOfTheRemoteKind(t *testing.T) {
	ctx := t.Context()
	d := &recordingDeliverer{}
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a := pointsynctest.NewSite(t, "a", pointsynctest.SiteConfig{Now: clock.Now,
		SenderOptions: []pointsync.Option{pointsync.WithDeliverer(pointsync.KindWooRewards, d), pointsync.WithBatchSize(2)}})
	wr := pointsync.Remote{SharingKey: "wp-shop", Kind: pointsync.KindWooRewards, TargetReserve: "default", ObservedReserve: a.Reserve,
		URL: "https://wp.example", Auth: "api", Pass: "app-pass"}
	pingErr, err := a.Sender.SaveRemote(ctx, wr)
	require.NoError(t, err)
	require.NoError(t, pingErr)
	record(t, a, 3)
	n, err := a.Sender.Flush(ctx, "wp-shop")
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	require.Len(t, d.batches, 2)
	assert.Equal(t, "default", d.batches[0].Reserve)
	assert.Equal(t, a.Local.SharingKey, d.batches[0].Origin)

	// A deliverer answering ErrReplayed means the batch had been applied: it is acknowledged.
	d.err = fmt.Errorf("wrapped: %w", pointsync.ErrReplayed)
	record(t, a, 1)
	n, err = a.Sender.Flush(ctx, "wp-shop")
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	d.err = errors.New("boom")
	record(t, a, 1)
	_, err = a.Sender.Flush(ctx, "wp-shop")
	require.ErrorContains(t, err, "boom")
	assert.Equal(t, 1, state(t, a, "wp-shop").Pending)

	rp := wr
	rp.SharingKey, rp.Kind = "rp-shop", pointsync.KindRewardPoints
	require.NoError(t, a.Store.PutRemote(ctx, rp))
	record(t, a, 1)
	_, err = a.Sender.DeliverOnce(ctx, "rp-shop")
	require.ErrorContains(t, err, "no deliverer")
}

// TestCrashedSenderLeaseExpires: an instance that leased a batch and died before acknowledging
// it loses nothing; once the lease expires, another instance delivers the batch.
func TestCrashedSenderLeaseExpires(t *testing.T) {
	ctx := t.Context()
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a, b := pair(t, clock)
	key := b.Local.SharingKey
	record(t, a, 4)
	lease, err := a.Store.Lease(ctx, key, 10, 2*time.Minute) // the instance that crashes
	require.NoError(t, err)
	require.Len(t, lease.Items, 4)
	n, err := a.Sender.Flush(ctx, key)
	require.NoError(t, err)
	assert.Zero(t, n, "the batch is still leased")
	clock.Advance(2 * time.Minute)
	n, err = a.Sender.Flush(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	assert.Len(t, b.Ledger.Entries(), 4)
	require.ErrorIs(t, a.Store.Ack(ctx, key, lease.ID), pointsync.ErrLeaseLost)
}

// TestInstancesShareOneQueue: two Senders on one Queue (two instances of a site) send each batch
// once between them.
func TestInstancesShareOneQueue(t *testing.T) {
	ctx := t.Context()
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a, b := pair(t, clock, pointsync.WithBatchSize(10))
	key := b.Local.SharingKey
	other, err := pointsync.NewSender(a.Store, a.Store, pointsync.WithBatchSize(10), pointsync.WithClock(clock.Now))
	require.NoError(t, err)
	record(t, a, 500)
	var wg sync.WaitGroup
	counts := make([]int, 2)
	for i, s := range []*pointsync.Sender{a.Sender, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			n, err := s.Flush(ctx, key)
			assert.NoError(t, err)
			counts[i] = n
		}()
	}
	wg.Wait()
	assert.Equal(t, 500, counts[0]+counts[1])
	assert.Equal(t, int64(50), b.Batches(), "each batch sent once")
	require.NoError(t, pointsynctest.CheckConverged(a, b))
}
