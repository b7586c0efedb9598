package pointsyncconnect

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
)

// Push is the record of one movement pushed to a remote that takes no idempotency key (a
// WooRewards site): written as an intent before the request and completed after the remote
// accepted it, so that a redelivered batch, or one delivered again after a restart, does not add
// the movement twice.
type Push struct {
	// Remote is the remote's sharing key; MovementID the movement's id on this site.
	Remote, MovementID string
	// Email and Pool say whose balance, in which pool, the push changes, by Points.
	Email, Pool string
	Points      int64
	// Before is the member's balance in the pool, read just before the push.
	Before int64
	// Done is set once the remote accepted the push; After is its balance then.
	Done  bool
	After int64
	// At is when the record was last written (set by the PushLog).
	At time.Time
}

// PushLog keeps Push records. SQLStore implements it in the loyalty database, forgetting a
// movement's record in the transaction that acknowledges its queue entry; MemPushLog in memory.
type PushLog interface {
	// Pushes returns the records of the remote's movements among ids, by movement id.
	Pushes(ctx context.Context, remote string, ids []string) (map[string]Push, error)
	// PutPush writes p, replacing the record of the same remote and movement.
	PutPush(ctx context.Context, p Push) error
	// DeletePush forgets the record of a push that was certainly not applied; none is no error.
	DeletePush(ctx context.Context, remote, movementID string) error
}

// ErrPushUnresolved is matched by a *PushUnresolvedError.
var ErrPushUnresolved = errors.New("pointsyncconnect: push outcome unknown: needs a drift check")

// PushUnresolvedError reports a push to a WooRewards remote whose outcome is unknown (its request
// was sent but no answer recorded: a lost response, or a restart in between) and cannot be decided
// from the member's balance, because the balance is neither the one before the push nor that plus
// the push's points. The batch stays queued until an operator checks the member's points on the
// WooRewards site (and CheckDrift) and calls WooRewardsDeliverer.ResolvePush.
type PushUnresolvedError struct {
	Push Push
	// Balance is the member's balance in the pool when the push was checked.
	Balance int64
}

func (e *PushUnresolvedError) Error() string {
	return fmt.Sprintf("pointsyncconnect: push of movement %s (%+d points for %s in pool %s) to %s: outcome unknown: the balance was %d before, is %d now, neither %d (not applied) nor %d (applied); check the member's points there and resolve it (WooRewardsDeliverer.ResolvePush)",
		e.Push.MovementID, e.Push.Points, e.Push.Email, e.Push.Pool, e.Push.Remote, e.Push.Before, e.Balance,
		e.Push.Before, e.Push.Before+e.Push.Points)
}

// Unwrap returns ErrPushUnresolved.
func (e *PushUnresolvedError) Unwrap() error { return ErrPushUnresolved }

// MemPushRetention is how long a MemPushLog keeps the record of a completed push.
const MemPushRetention = 7 * 24 * time.Hour

// MemPushLog is a PushLog in memory, for tests and for a site whose queue is in memory too
// (pointsync.MemStore): it knows nothing of the queue, so it keeps completed records
// MemPushRetention after their completion, and records of pushes whose outcome is unknown until
// they are resolved. It is safe for concurrent use; create it with NewMemPushLog.
type MemPushLog struct {
	clock loyalty.Clock

	mu      sync.Mutex
	records map[[2]string]Push
}

var _ PushLog = (*MemPushLog)(nil)

// NewMemPushLog returns an empty log. Option: WithClock.
func NewMemPushLog(opts ...Option) (*MemPushLog, error) {
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	return &MemPushLog{clock: o.clock, records: map[[2]string]Push{}}, nil
}

// Pushes implements PushLog.
func (l *MemPushLog) Pushes(_ context.Context, remote string, ids []string) (map[string]Push, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := map[string]Push{}
	for _, id := range ids {
		if p, ok := l.records[[2]string{remote, id}]; ok {
			out[id] = p
		}
	}
	return out, nil
}

// PutPush implements PushLog; it also forgets completed records older than MemPushRetention.
func (l *MemPushLog) PutPush(_ context.Context, p Push) error {
	now := l.clock.Now().UTC()
	p.At = now
	l.mu.Lock()
	defer l.mu.Unlock()
	for k, r := range l.records {
		if r.Done && now.Sub(r.At) > MemPushRetention {
			delete(l.records, k)
		}
	}
	l.records[[2]string{p.Remote, p.MovementID}] = p
	return nil
}

// DeletePush implements PushLog.
func (l *MemPushLog) DeletePush(_ context.Context, remote, movementID string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.records, [2]string{remote, movementID})
	return nil
}
