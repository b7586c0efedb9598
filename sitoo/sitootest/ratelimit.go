package sitootest

import (
	"math"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// bucket is a token bucket holding up to burst tokens, refilled continuously at rate per second.
// It starts full.
type bucket struct {
	rate  float64
	burst float64
	clock func() time.Time

	mu     sync.Mutex
	tokens float64
	last   time.Time
	stats  RateLimitStats
}

// RateLimitStats is the rate limiter's accounting, on the server's clock.
type RateLimitStats struct {
	// Rate and Burst are the configured limit.
	Rate  float64
	Burst int
	// Allowed is the requests admitted; Limited those answered 429.
	Allowed, Limited int
	// First and Last are the times of the first and last admitted request.
	First, Last time.Time
}

// Capacity returns how many requests the bucket could admit between First and Last: a full
// bucket at First plus the refill until Last. Allowed / Capacity is the share of the allowed rate
// a client achieved.
func (s RateLimitStats) Capacity() float64 {
	if s.Allowed == 0 {
		return 0
	}
	return float64(s.Burst) + s.Rate*s.Last.Sub(s.First).Seconds()
}

func newBucket(rate float64, burst int, clock func() time.Time) *bucket {
	return &bucket{rate: rate, burst: float64(burst), clock: clock, tokens: float64(burst), last: clock(),
		stats: RateLimitStats{Rate: rate, Burst: burst}}
}

// take admits a request if a token is available, and returns the rate-limit headers to send.
func (b *bucket) take(epoch bool) (bool, http.Header) {
	b.mu.Lock()
	defer b.mu.Unlock()
	now := b.clock()
	b.tokens = math.Min(b.burst, b.tokens+now.Sub(b.last).Seconds()*b.rate)
	b.last = now
	ok := b.tokens >= 1
	if ok {
		b.tokens--
		if b.stats.Allowed == 0 {
			b.stats.First = now
		}
		b.stats.Allowed++
		b.stats.Last = now
	} else {
		b.stats.Limited++
	}
	remaining := math.Floor(b.tokens)
	// Seconds until the whole-token count grows (0 when full), rounded up to the millisecond so
	// that a client waiting exactly as long never arrives early.
	var wait float64
	if b.tokens < b.burst {
		wait = (remaining + 1 - b.tokens) / b.rate
	}
	ceilMilli := func(f float64) float64 { return math.Ceil(f*1000) / 1000 }
	h := http.Header{}
	h.Set("X-Rate-Limit-Limit", strconv.Itoa(int(b.burst)))
	h.Set("X-Rate-Limit-Remaining", strconv.Itoa(int(remaining)))
	if epoch {
		at := ceilMilli(float64(now.UnixNano())/1e9 + wait)
		h.Set("X-Rate-Limit-Reset", strconv.FormatFloat(at, 'f', 3, 64))
	} else {
		h.Set("X-Rate-Limit-Reset", strconv.FormatFloat(ceilMilli(wait), 'f', 3, 64))
	}
	if !ok {
		h.Set("Retry-After", strconv.Itoa(int(math.Max(1, math.Ceil(wait)))))
	}
	return ok, h
}

func (b *bucket) resetStats() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.stats = RateLimitStats{Rate: b.rate, Burst: int(b.burst)}
}

func (b *bucket) snapshot() RateLimitStats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stats
}
