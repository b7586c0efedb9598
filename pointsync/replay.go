package pointsync

import (
	"context"
	"sync"
	"time"
)

// Claim is the state of a batch id in a ReplayGuard.
type Claim int

// The answers of ReplayGuard.Begin.
const (
	// ClaimNew: the id was not known; it is now claimed by the caller.
	ClaimNew Claim = iota
	// ClaimInProgress: another request is applying a batch with this id right now.
	ClaimInProgress
	// ClaimDone: a batch with this id was applied.
	ClaimDone
)

// ReplayGuard remembers the batch ids a site has received, so that a captured request cannot be
// applied twice within the signature window. Each id is claimed before the batch is applied and
// marked done only once it was, so a batch whose application failed can be sent again. The
// handler uses an in-memory guard by default; several instances of one site share one guard
// (WithReplayGuard), for example a table in the site's database.
type ReplayGuard interface {
	// Begin claims (origin, batchID) until the time until, unless it is already claimed or done.
	Begin(ctx context.Context, origin, batchID string, until time.Time) (Claim, error)
	// Finish ends a claim: applied marks the id done (until the time given to Begin); otherwise
	// the claim is dropped.
	Finish(ctx context.Context, origin, batchID string, applied bool) error
}

// MemReplayGuard is an in-memory ReplayGuard. Entries are forgotten once their time has passed
// (the signature window then refuses the request anyway). Create it with NewMemReplayGuard.
type MemReplayGuard struct {
	now func() time.Time

	mu      sync.Mutex
	entries map[replayKey]replayEntry
	pruneAt int
}

type replayKey struct{ origin, id string }

type replayEntry struct {
	until time.Time
	done  bool
}

var _ ReplayGuard = (*MemReplayGuard)(nil)

// NewMemReplayGuard returns an empty guard reading the time from now (time.Now when nil).
func NewMemReplayGuard(now func() time.Time) *MemReplayGuard {
	if now == nil {
		now = time.Now
	}
	return &MemReplayGuard{now: now, entries: map[replayKey]replayEntry{}, pruneAt: 1024}
}

// Begin implements ReplayGuard.
func (g *MemReplayGuard) Begin(ctx context.Context, origin, batchID string, until time.Time) (Claim, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	now := g.now()
	g.mu.Lock()
	defer g.mu.Unlock()
	k := replayKey{origin, batchID}
	if e, ok := g.entries[k]; ok && now.Before(e.until) {
		if e.done {
			return ClaimDone, nil
		}
		return ClaimInProgress, nil
	}
	if len(g.entries) >= g.pruneAt {
		for k, e := range g.entries {
			if !now.Before(e.until) {
				delete(g.entries, k)
			}
		}
		g.pruneAt = max(1024, 2*len(g.entries)) // amortised: prune again when the live set doubles
	}
	g.entries[k] = replayEntry{until: until}
	return ClaimNew, nil
}

// Finish implements ReplayGuard.
func (g *MemReplayGuard) Finish(ctx context.Context, origin, batchID string, applied bool) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	k := replayKey{origin, batchID}
	e, ok := g.entries[k]
	if !ok {
		return nil
	}
	if !applied {
		delete(g.entries, k)
		return nil
	}
	e.done = true
	g.entries[k] = e
	return nil
}

// Len returns how many ids the guard remembers (expired ones included until they are pruned).
func (g *MemReplayGuard) Len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.entries)
}
