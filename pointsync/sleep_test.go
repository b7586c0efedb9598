package pointsync_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/pointsync/pointsynctest"
)

// virtualTime is time that moves only when the code under test sleeps on it (pointsync.WithSleep).
// It knows how many goroutines sleep on it (sleepers): once all of them sleep, the clock jumps to
// the earliest wake-up and that sleeper returns, so a run depends on the waits chosen and on
// nothing else. Sleeping past end cancels the run instead.
type virtualTime struct {
	clock    *pointsynctest.Clock
	sleepers int
	end      time.Time
	stop     context.CancelFunc

	mu      sync.Mutex
	waiting []*sleeper
	waits   []time.Duration
}

type sleeper struct {
	at   time.Time
	wake chan struct{}
}

func (v *virtualTime) Sleep(ctx context.Context, d time.Duration) error {
	v.mu.Lock()
	s := &sleeper{at: v.clock.Now().Add(d), wake: make(chan struct{})}
	v.waiting = append(v.waiting, s)
	v.waits = append(v.waits, d)
	v.step()
	v.mu.Unlock()
	select {
	case <-s.wake:
		return nil
	case <-ctx.Done():
		v.mu.Lock()
		v.waiting = slices.DeleteFunc(v.waiting, func(o *sleeper) bool { return o == s })
		v.mu.Unlock()
		return ctx.Err()
	}
}

// step runs with mu held.
func (v *virtualTime) step() {
	if len(v.waiting) < v.sleepers {
		return
	}
	first := 0
	for i, s := range v.waiting {
		if s.at.Before(v.waiting[first].at) {
			first = i
		}
	}
	s := v.waiting[first]
	if s.at.After(v.end) {
		v.stop()
		return
	}
	v.waiting = slices.Delete(v.waiting, first, first+1)
	if s.at.After(v.clock.Now()) {
		v.clock.Set(s.at)
	}
	close(s.wake)
}

func (v *virtualTime) count(d time.Duration) int {
	v.mu.Lock()
	defer v.mu.Unlock()
	n := 0
	for _, w := range v.waits {
		if w == d {
			n++
		}
	}
	return n
}

// downDeliverer stands for a remote that never answers.
type downDeliverer struct{ delivers, pings atomic.Int64 }

func (d *downDeliverer) Ping(context.Context, pointsync.LocalSite, pointsync.Remote) error {
	d.pings.Add(1)
	return pointsync.ErrUnreachable
}

func (d *downDeliverer) Deliver(context.Context, pointsync.LocalSite, pointsync.Remote, *pointsync.Batch) error {
	d.delivers.Add(1)
	return pointsync.ErrUnreachable
}

// TestSenderRunsOnVirtualTime: with WithClock and WithSleep, twenty minutes of Run against a
// remote that is down take no real time, and the waits are the configured ones: Advanced.Delay
// after each of the MaxAttempts failed deliveries, then a probe ping every WithProbeInterval.
func TestSenderRunsOnVirtualTime(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	clock := pointsynctest.NewClock(pointsynctest.Start)
	// Two goroutines sleep: Run's supervisor and the worker of the one remote.
	vt := &virtualTime{clock: clock, sleepers: 2, end: pointsynctest.Start.Add(20 * time.Minute), stop: cancel}
	down := &downDeliverer{}
	a := pointsynctest.NewSite(t, "a", pointsynctest.SiteConfig{Now: clock.Now, SenderOptions: []pointsync.Option{
		pointsync.WithDeliverer(pointsync.KindWooRewards, down), pointsync.WithSleep(vt.Sleep),
		pointsync.WithPollInterval(10 * time.Second), pointsync.WithProbeInterval(5 * time.Minute), pointsync.WithMaxWait(0),
	}})
	require.NoError(t, a.Store.PutAdvanced(ctx, pointsync.Advanced{MaxAttempts: 3, Delay: time.Minute, StatsPeriodDays: 7, WarningPeriodDays: 1}))
	require.NoError(t, a.Store.PutRemote(ctx, pointsync.Remote{SharingKey: "wp-shop", Kind: pointsync.KindWooRewards,
		TargetReserve: "default", ObservedReserve: a.Reserve, URL: "https://wp.example", Auth: "api", Pass: "app-pass"}))
	record(t, a, 1)

	done := make(chan error, 1)
	go func() { done <- a.Sender.Run(ctx) }()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(60 * time.Second): // a generous bound, only reached when Run waits on real timers
		t.Fatal("Run did not run on virtual time")
	}
	assert.Equal(t, pointsynctest.Start.Add(20*time.Minute), clock.Now(), "twenty virtual minutes passed")
	assert.Equal(t, int64(3), down.delivers.Load(), "MaxAttempts deliveries, then the remote is paused")
	assert.Equal(t, 3, vt.count(time.Minute), "Advanced.Delay after each failed delivery")
	assert.Equal(t, int64(4), down.pings.Load(), "probes at 3, 8, 13 and 18 minutes")
	st := state(t, a, "wp-shop")
	assert.Equal(t, 7, st.Failures)
	assert.Equal(t, 1, st.Pending, "nothing is dropped")
}

// TestClientWaitsOnVirtualTime: the protocol client sleeps its Retry-After waits through
// WithSleep, and reads the time for the wait from WithClock.
func TestClientWaitsOnVirtualTime(t *testing.T) {
	busy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "7")
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(busy.Close)
	clock := pointsynctest.NewClock(pointsynctest.Start)
	var mu sync.Mutex
	var waits []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, d)
		clock.Advance(d)
		return ctx.Err()
	}
	r := pointsync.Remote{SharingKey: "k", TargetReserve: "t", ObservedReserve: "o", URL: busy.URL + "/sync/", Auth: "a", Pass: "p"}
	cl, err := pointsync.NewClient("me", r, pointsync.WithClock(clock.Now), pointsync.WithSleep(sleep),
		pointsync.WithRetry(2, time.Second, time.Second))
	require.NoError(t, err)
	_, resp, err := cl.Ping(t.Context())
	require.ErrorIs(t, err, pointsync.ErrServer)
	assert.Equal(t, 3, resp.Attempts)
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, []time.Duration{7 * time.Second, 7 * time.Second}, waits, "Retry-After, slept on virtual time")
	assert.Equal(t, pointsynctest.Start.Add(14*time.Second), clock.Now())

	_, err = pointsync.NewClient("me", r, pointsync.WithSleep(nil))
	require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
	store, err := pointsync.NewMemStore()
	require.NoError(t, err)
	_, err = pointsync.NewSender(store, store, pointsync.WithSleep(nil))
	require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
}
