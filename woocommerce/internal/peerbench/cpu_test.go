package peerbench

import (
	"syscall"
	"testing"
	"time"
)

// cpuTime is the process's user+system CPU time. Reported per op next to ns/op, it is much less
// disturbed than wall time by other processes on a shared machine.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs decode b.N times and reports CPU ns/op.
func measure(b *testing.B, page []byte, decode func([]byte) error) {
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		if err := decode(page); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
}
