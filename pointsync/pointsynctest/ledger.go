package pointsynctest

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/pointsync"
)

// Ledger is an in-memory pointsync.Ledger test double with the properties the loyalty adapter
// must have: remote movements are applied once by (origin, movement id), never queued again (no
// echo), and local movements are queued for every remote observing their reserve under the same
// lock that records them (the adapter's "same transaction"). Balances are plain sums of applied
// points, without the engine's floor at zero. Create it with NewLedger.
type Ledger struct {
	site     string
	settings pointsync.SettingsStore
	queue    pointsync.Queue
	now      func() time.Time

	mu       sync.Mutex
	reserves map[string]bool
	entries  []Entry
	seen     map[[2]string]bool // (origin, movement id)
	seq      int
}

// Entry is one movement in the Ledger.
type Entry struct {
	// Origin is the sharing key of the site where the movement was made (this site's own key for
	// local movements).
	Origin string
	// Synced is true when the movement came from synchronisation.
	Synced bool
	// Reserve is the local reserve.
	Reserve string
	// Movement is the movement as made on its origin.
	Movement pointsync.Movement
	// Expiry marks a local expiration, which is never synced.
	Expiry bool
}

var _ pointsync.Ledger = (*Ledger)(nil)

// NewLedger returns the ledger of the site with sharing key site, holding the given reserves.
// Local movements are queued in queue for the remotes listed in settings.
func NewLedger(site string, settings pointsync.SettingsStore, queue pointsync.Queue, now func() time.Time, reserves ...string) *Ledger {
	if now == nil {
		now = time.Now
	}
	l := &Ledger{site: site, settings: settings, queue: queue, now: now, reserves: map[string]bool{}, seen: map[[2]string]bool{}}
	for _, r := range reserves {
		l.reserves[r] = true
	}
	return l
}

// HasReserve implements pointsync.Ledger.
func (l *Ledger) HasReserve(_ context.Context, reserve string) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.reserves[reserve], nil
}

// ApplyRemote implements pointsync.Ledger.
func (l *Ledger) ApplyRemote(_ context.Context, in pointsync.Incoming) (pointsync.Applied, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.reserves[in.Reserve] {
		return pointsync.Applied{}, pointsync.ErrUnknownReserve
	}
	var out pointsync.Applied
	for _, m := range in.Movements {
		k := [2]string{in.Origin, m.ID}
		if l.seen[k] {
			out.Duplicates++
			continue
		}
		l.seen[k] = true
		l.entries = append(l.entries, Entry{Origin: in.Origin, Synced: true, Reserve: in.Reserve, Movement: m})
		out.Applied++
	}
	return out, nil
}

// Record makes a local movement of points for the member on reserve and queues it for every
// remote observing the reserve, atomically with recording it.
func (l *Ledger) Record(ctx context.Context, reserve, email string, points int64, kind pointsync.Kind, reason string) (pointsync.Movement, error) {
	remotes, err := l.settings.Remotes(ctx)
	if err != nil {
		return pointsync.Movement{}, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if !l.reserves[reserve] {
		return pointsync.Movement{}, fmt.Errorf("%w: %q", pointsync.ErrUnknownReserve, reserve)
	}
	l.seq++
	m := pointsync.Movement{
		ID: fmt.Sprintf("m%d", l.seq), Member: pointsync.Member{Email: pointsync.NormalizeEmail(email)},
		Points: points, Kind: kind, Reason: reason, Time: l.now().UTC().Truncate(time.Second),
	}
	if err := m.Validate(); err != nil {
		return pointsync.Movement{}, err
	}
	if err := pointsync.EnqueueForRemotes(ctx, l.queue, remotes, reserve, []pointsync.Movement{m}); err != nil {
		return pointsync.Movement{}, err
	}
	l.seen[[2]string{l.site, m.ID}] = true
	l.entries = append(l.entries, Entry{Origin: l.site, Reserve: reserve, Movement: m})
	return m, nil
}

// Expire records a local expiration of points: it changes the local balance only and is never
// queued, as expirations are not synced.
func (l *Ledger) Expire(reserve, email string, points int64) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.seq++
	m := pointsync.Movement{ID: fmt.Sprintf("x%d", l.seq), Member: pointsync.Member{Email: pointsync.NormalizeEmail(email)},
		Points: -points, Kind: "expire", Time: l.now().UTC()}
	l.entries = append(l.entries, Entry{Origin: l.site, Reserve: reserve, Movement: m, Expiry: true})
}

// Entries returns a copy of every movement, in the order applied.
func (l *Ledger) Entries() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.entries)
}

// Balances returns the sum of points per member email, over every reserve, expirations excluded
// when withExpiries is false.
func (l *Ledger) Balances(withExpiries bool) map[string]int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]int64{}
	for _, e := range l.entries {
		if e.Expiry && !withExpiries {
			continue
		}
		out[e.Movement.Member.Email] += e.Movement.Points
	}
	return out
}

// Keys returns "origin/movement id" for every movement, expirations excluded, sorted; a key
// listed twice means a movement was applied twice.
func (l *Ledger) Keys() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	keys := make([]string, 0, len(l.entries))
	for _, e := range l.entries {
		if !e.Expiry {
			keys = append(keys, e.Origin+"/"+e.Movement.ID)
		}
	}
	slices.Sort(keys)
	return keys
}
