package pointsync_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/pointsync/pointsynctest"
)

// BenchmarkDeliver measures movements delivered and applied per second between two in-memory
// sites over loopback HTTP (httptest), signing and verifying every request: b.N movements are
// queued on a, then a's Sender flushes them to b in batches of the given size.
func BenchmarkDeliver(b *testing.B) {
	for _, size := range []int{1, 100, 1000} {
		b.Run(fmt.Sprint("batch=", size), func(b *testing.B) {
			ctx := context.Background()
			a := pointsynctest.NewSite(b, "a", pointsynctest.SiteConfig{SenderOptions: []pointsync.Option{pointsync.WithBatchSize(size)}})
			r := pointsynctest.NewSite(b, "b", pointsynctest.SiteConfig{})
			pointsynctest.Link(b, a, r)
			key := r.Local.SharingKey
			ms := make([]pointsync.Movement, b.N)
			for i := range ms {
				ms[i] = pointsynctest.Movement(fmt.Sprint("m", i), fmt.Sprintf("m%d@example.com", i%1000), 10)
			}
			if err := a.Store.Enqueue(ctx, key, ms); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			n, err := a.Sender.Flush(ctx, key)
			elapsed := time.Since(start)
			b.StopTimer()
			if err != nil || n != b.N {
				b.Fatalf("delivered %d of %d: %v", n, b.N, err)
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "movements/s")
			b.ReportMetric(float64(r.Batches())/float64(b.N), "requests/movement")
		})
	}
}

// BenchmarkDeliverUnderLoad measures requests per movement while a producer keeps queueing
// movements in small bursts and Sender.Run delivers them as they come (batch size 100, at most
// 50 ms of waiting for a batch to fill).
func BenchmarkDeliverUnderLoad(b *testing.B) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	const size = 100
	a := pointsynctest.NewSite(b, "a", pointsynctest.SiteConfig{SenderOptions: []pointsync.Option{
		pointsync.WithBatchSize(size), pointsync.WithMaxWait(50 * time.Millisecond), pointsync.WithPollInterval(5 * time.Millisecond)}})
	r := pointsynctest.NewSite(b, "b", pointsynctest.SiteConfig{})
	pointsynctest.Link(b, a, r)
	key := r.Local.SharingKey
	done := make(chan error, 1)
	go func() { done <- a.Sender.Run(ctx) }()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; {
		n := min(1+i%7, b.N-i)
		ms := make([]pointsync.Movement, n)
		for j := range ms {
			ms[j] = pointsynctest.Movement(fmt.Sprint("m", i+j), "ann@example.com", 1)
		}
		if err := a.Store.Enqueue(ctx, key, ms); err != nil {
			b.Fatal(err)
		}
		a.Sender.Notify()
		i += n
	}
	for {
		st, err := a.Store.State(ctx, key)
		if err != nil {
			b.Fatal(err)
		}
		if st.Pending == 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	<-done
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "movements/s")
	b.ReportMetric(float64(r.Batches())/float64(b.N), "requests/movement")
	b.ReportMetric(float64(r.Batches())/float64((b.N+size-1)/size), "requests/minimum")
}

// BenchmarkDownRemoteAttempt measures one failed delivery attempt to a remote that is down, with
// 10^3 or 10^5 movements queued for it: the Sender leases one batch, so an attempt costs the same
// memory whatever the backlog (the rows themselves are the store's).
func BenchmarkDownRemoteAttempt(b *testing.B) {
	for _, queued := range []int{1_000, 100_000} {
		b.Run(fmt.Sprint("queued=", queued), func(b *testing.B) {
			ctx := context.Background()
			a := pointsynctest.NewSite(b, "a", pointsynctest.SiteConfig{})
			r := pointsynctest.NewSite(b, "b", pointsynctest.SiteConfig{})
			pointsynctest.Link(b, a, r)
			key := r.Local.SharingKey
			ms := make([]pointsync.Movement, queued)
			for i := range ms {
				ms[i] = pointsynctest.Movement(fmt.Sprint("m", i), "ann@example.com", 1)
			}
			if err := a.Store.Enqueue(ctx, key, ms); err != nil {
				b.Fatal(err)
			}
			r.SetDown(true)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := a.Sender.DeliverOnce(ctx, key); err == nil {
					b.Fatal("delivered to a remote that is down")
				}
			}
			b.StopTimer()
			st, err := a.Store.State(ctx, key)
			if err != nil || st.Pending != queued {
				b.Fatalf("pending %d of %d: %v", st.Pending, queued, err)
			}
		})
	}
}
