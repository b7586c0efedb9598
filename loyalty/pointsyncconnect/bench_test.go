package pointsyncconnect_test

import (
	"fmt"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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
