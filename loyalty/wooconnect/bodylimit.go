package wooconnect

import (
	"sync"
	"time"
)

// DefaultMaxWebhookBody is the largest delivery body Handler reads by default: 1 MiB. A real
// order.updated payload is a few KB (about 3 KB for an order of one line, some 60 KB with a
// hundred lines and their meta data), so 1 MiB leaves ample room for the largest real orders
// while a forged request cannot make the server hold more. WithMaxWebhookBody changes it.
const DefaultMaxWebhookBody = 1 << 20

// DefaultMaxWebhookMemory bounds the bytes all delivery bodies being read at once may hold: 32
// MiB, room for 32 bodies of the largest size or thousands of real ones. A delivery that does
// not fit is answered 503 without being read. WithMaxWebhookMemory changes it.
const DefaultMaxWebhookMemory = 32 << 20

// byteBudget is a non-blocking counting semaphore over bytes.
type byteBudget struct {
	mu        sync.Mutex
	used, max int64
}

// reserve takes n bytes from the budget, or reports false when they do not fit.
func (b *byteBudget) reserve(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.max {
		return false
	}
	b.used += n
	return true
}

func (b *byteBudget) release(n int64) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
}

// warnLimiter lets one warning per key through per interval and counts the ones it held back,
// so that a flood of forged deliveries cannot flood the log.
type warnLimiter struct {
	mu   sync.Mutex
	last map[string]warnState
}

type warnState struct {
	at         time.Time
	suppressed int
}

// warnInterval is how often warnLimiter lets a warning of one key through.
const warnInterval = time.Minute

// allow reports whether to log now, and how many warnings of the key were held back since the
// last one logged.
func (l *warnLimiter) allow(key string, now time.Time) (bool, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.last == nil {
		l.last = map[string]warnState{}
	}
	st, ok := l.last[key]
	if ok && now.Sub(st.at) < warnInterval && !now.Before(st.at) {
		st.suppressed++
		l.last[key] = st
		return false, 0
	}
	l.last[key] = warnState{at: now}
	return true, st.suppressed
}
