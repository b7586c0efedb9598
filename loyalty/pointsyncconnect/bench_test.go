package pointsyncconnect_test

import (
	"context"
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/pointsync"
)

// queueMovements queues n movements of 50 members on s for remote, 1000 per transaction.
func queueMovements(b *testing.B, s *site, remote string, n int) {
	for i := 0; i < n; i += 1000 {
		var ms []pointsync.Movement
		for j := i; j < min(i+1000, n); j++ {
			ms = append(ms, pointsync.Movement{ID: fmt.Sprintf("adjust/m%d", j), Kind: pointsync.KindAdjust,
				Member: pointsync.Member{Email: fmt.Sprintf("m%d@example.com", j%50)}, Points: 3, Time: time.Now().UTC()})
		}
		require.NoError(b, s.ps.Enqueue(b.Context(), remote, ms))
	}
}

// BenchmarkSQLiteDeliver: b.N movements queued on one SQLite site, delivered and applied on
// another (each applied once, in its ledger, members created by email) in batches of 100.
func BenchmarkSQLiteDeliver(b *testing.B) {
	a, c := newSQLiteSite(b), newSQLiteSite(b)
	link(b, a, c)
	queueMovements(b, a, c.local.SharingKey, b.N)
	b.ResetTimer()
	start := time.Now()
	n, err := a.sender.Flush(b.Context(), c.local.SharingKey)
	elapsed := time.Since(start)
	require.NoError(b, err)
	require.Equal(b, b.N, n)
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "movements/s")
	batches := (b.N + 99) / 100
	b.ReportMetric(float64(a.requests.n.Load())/float64(batches), "requests/minimum")
}

// BenchmarkSQLiteDownRemote: one failed delivery attempt to a remote that is down while 10^5
// movements are queued for it in SQLite; heap-MB is the live heap after queueing and attempts.
func BenchmarkSQLiteDownRemote(b *testing.B) {
	for _, queued := range []int{1000, 100000} {
		b.Run(fmt.Sprintf("queued=%d", queued), func(b *testing.B) {
			a, c := newSQLiteSite(b), newSQLiteSite(b)
			link(b, a, c)
			c.close()
			queueMovements(b, a, c.local.SharingKey, queued)
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				_, err := a.sender.DeliverOnce(b.Context(), c.local.SharingKey)
				require.Error(b, err)
				require.NoError(b, a.ps.Resume(b.Context(), c.local.SharingKey))
			}
			b.StopTimer()
			runtime.GC()
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			b.ReportMetric(float64(m.HeapInuse)/(1<<20), "heap-MB")
		})
	}
}

// BenchmarkSQLiteDeliverUnderLoad: b.N movements made by 4 concurrent producers through the
// engine (manual adjustments of 50 members, each queued in the transaction that appends it) on
// SQLite site a while Sender.Run delivers them to SQLite site b with the production defaults
// (batch 100, max wait 1 s, poll 1 s). requests/minimum is the batch requests b's handler
// received divided by ⌈movements / 100⌉; produced/s runs from the first movement to the last
// one made, movements/s to the last one acknowledged (so it includes the last poll and max
// wait); B/op and allocs/op are per movement, both sites included.
func BenchmarkSQLiteDeliverUnderLoad(b *testing.B) {
	ctx, cancel := context.WithCancel(b.Context())
	defer cancel()
	a, c := newSQLiteSite(b), newSQLiteSite(b)
	link(b, a, c)
	key := c.local.SharingKey
	const members, producers = 50, 4
	for i := range members {
		_, err := a.engine.Enroll(ctx, program, loyalty.NewMember{Email: fmt.Sprintf("m%d@example.com", i)})
		require.NoError(b, err)
	}
	_, err := a.sender.Flush(ctx, key) // nothing queued yet: enrolling makes no movement
	require.NoError(b, err)
	done := make(chan error, 1)
	go func() { done <- a.sender.Run(ctx) }()

	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	var next atomic.Int64
	var wg sync.WaitGroup
	for range producers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := next.Add(1) - 1; i < int64(b.N); i = next.Add(1) - 1 {
				_, err := a.engine.Adjust(ctx, loyalty.AdjustRequest{ProgramID: program,
					Member: loyalty.MemberRef{Email: fmt.Sprintf("m%d@example.com", i%members)},
					Points: 1, Key: fmt.Sprint("load-", i), Reason: "load", Actor: "bench"})
				if err != nil {
					b.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	produced := time.Since(start)
	for {
		st, err := a.ps.State(ctx, key)
		require.NoError(b, err)
		if st.Pending == 0 {
			break
		}
		time.Sleep(5 * time.Millisecond) // a benchmark may wait on wall time; tests may not
	}
	elapsed := time.Since(start)
	b.StopTimer()
	cancel()
	require.ErrorIs(b, <-done, context.Canceled)
	minimum := (b.N + pointsync.DefaultBatchSize - 1) / pointsync.DefaultBatchSize
	requests := c.received.Load()
	b.ReportMetric(float64(b.N)/produced.Seconds(), "produced/s")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "movements/s")
	b.ReportMetric(float64(requests)/float64(b.N), "requests/movement")
	b.ReportMetric(float64(requests)/float64(minimum), "requests/minimum")
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	b.ReportMetric(float64(m.HeapInuse)/(1<<20), "heap-MB")
}
