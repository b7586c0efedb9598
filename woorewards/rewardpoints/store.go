package rewardpoints

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// State is where an add-points operation stands.
type State string

// The states of an operation. An operation the server certainly did not apply (a 4xx answer, or a
// connection that failed before the request was sent) is deleted from the store instead, so the
// same id can be sent again.
const (
	// StatePending: recorded before the request was sent, and not known to be settled since. Either
	// the request is in flight, or its outcome is unknown: the response was lost (network error,
	// timeout, 5xx, unreadable answer) or the process stopped before recording it.
	StatePending State = "pending"
	// StateDone: the server confirmed the add, or the caller resolved the operation as applied.
	StateDone State = "done"
)

// Operation is one add-points request as the operation store remembers it. Its fields are
// exported, with JSON tags, so that a durable Store can persist it as it likes.
type Operation struct {
	// ID is the caller's operation id.
	ID string `json:"id"`
	// UserID, Points and Message are the request as the caller made it (Message without any
	// operation-id tag).
	UserID  int64  `json:"user_id"`
	Points  int64  `json:"points"`
	Message string `json:"message"`
	State   State  `json:"state"`
	// Result is the outcome of a done operation.
	Result *AddResult `json:"result,omitempty"`
	// LastError says why a pending operation's outcome is unknown, when a call found out.
	LastError string `json:"last_error,omitempty"`
	// CreatedAt and UpdatedAt are when the operation was recorded and last changed.
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Store remembers add-points operations by id. The client records an operation as pending before
// sending it, as done when the server confirms it, and deletes it when the server certainly did
// not apply it.
//
// The guarantee the client gives lasts as long as the store remembers: MemoryStore (the default)
// forgets everything when the process exits, and finished operations past its limits. To keep the guarantee across restarts and across
// several processes, implement Store over a durable, shared database; Create must then be one
// atomic insert-if-absent (INSERT … ON CONFLICT DO NOTHING, then read the row back), and every
// method must be safe for concurrent use. Package rewardpointstest has a conformance test.
type Store interface {
	// Create stores op if no operation with op.ID exists, and returns op and true. Otherwise it
	// changes nothing and returns the stored operation and false.
	Create(ctx context.Context, op Operation) (stored Operation, created bool, err error)
	// Get returns the operation with this id; ok is false when there is none.
	Get(ctx context.Context, id string) (op Operation, ok bool, err error)
	// Update replaces the stored operation that has op.ID. It returns an error wrapping
	// ErrNoOperation if there is none.
	Update(ctx context.Context, op Operation) error
	// Delete removes the operation with this id. Deleting a missing operation is not an error.
	Delete(ctx context.Context, id string) error
}

// ErrNoOperation: the operation store has no operation with this id.
var ErrNoOperation = errors.New("rewardpoints: no such operation")

// Limits of a MemoryStore unless its options say otherwise.
const (
	// DefaultMaxDone is how many finished operations a MemoryStore keeps.
	DefaultMaxDone = 10_000
	// DefaultDoneMaxAge is how long a MemoryStore keeps a finished operation: a day, the window
	// within which payment APIs such as Stripe keep idempotency keys.
	DefaultDoneMaxAge = 24 * time.Hour
)

// MemoryStore is a Store in memory, safe for concurrent use. It forgets everything when the
// process exits.
//
// Its memory is bounded for finished operations: it keeps at most maxDone of them (oldest
// finished evicted first), and none longer than maxAge after it finished (see NewMemoryStore).
// Pending operations are never evicted — their outcome is unknown, and forgetting them would let
// a retry add the points twice — so they stay until ResolveUnknown settles them. An AddPoints
// retry of an evicted operation is sent again: the limits are the window within which retries
// are recognised. Keep them wider than your retries, or use a durable Store.
type MemoryStore struct {
	now     func() time.Time
	maxDone int
	maxAge  time.Duration

	mu    sync.Mutex
	ops   map[string]memEntry
	done  []doneRef // finished operations in the order they finished; may hold stale refs
	nDone int       // finished operations in ops
	seq   uint64
}

// memEntry is a stored operation; doneSeq identifies its entry in the done queue (0: pending).
type memEntry struct {
	op      Operation
	doneSeq uint64
}

// doneRef is an entry of the done queue: operation id, the sequence number given when it
// finished, and when it did (by the store's clock).
type doneRef struct {
	id  string
	seq uint64
	at  time.Time
}

var _ Store = (*MemoryStore)(nil)

// MemoryStoreOption configures a MemoryStore.
type MemoryStoreOption func(*MemoryStore) error

// WithMaxDone caps the finished operations a MemoryStore keeps at n (> 0); when one more
// finishes, the one that finished first is forgotten. Default DefaultMaxDone.
func WithMaxDone(n int) MemoryStoreOption {
	return func(s *MemoryStore) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxDone: must be positive, got %d", n)
		}
		s.maxDone = n
		return nil
	}
}

// WithDoneMaxAge makes a MemoryStore forget a finished operation d (> 0) after it finished.
// Default DefaultDoneMaxAge.
func WithDoneMaxAge(d time.Duration) MemoryStoreOption {
	return func(s *MemoryStore) error {
		if d <= 0 {
			return fmt.Errorf("WithDoneMaxAge: must be positive, got %s", d)
		}
		s.maxAge = d
		return nil
	}
}

// WithStoreClock makes a MemoryStore read the time, for its age limit, from now. Default
// time.Now; NewClient passes its own clock (WithClock) to the MemoryStore it creates.
func WithStoreClock(now func() time.Time) MemoryStoreOption {
	return func(s *MemoryStore) error {
		if now == nil {
			return errors.New("WithStoreClock: nil clock function")
		}
		s.now = now
		return nil
	}
}

// NewMemoryStore returns an empty MemoryStore that keeps at most DefaultMaxDone finished
// operations, each for at most DefaultDoneMaxAge, unless opts say otherwise. Nil options are
// ignored; an invalid one is an error.
func NewMemoryStore(opts ...MemoryStoreOption) (*MemoryStore, error) {
	s := &MemoryStore{now: time.Now, maxDone: DefaultMaxDone, maxAge: DefaultDoneMaxAge, ops: map[string]memEntry{}}
	if err := rest.ApplyOptions(s, opts); err != nil {
		return nil, fmt.Errorf("rewardpoints: memory store: %w", err)
	}
	return s, nil
}

// clone copies op so that callers never share the stored Result.
func clone(op Operation) Operation {
	if op.Result != nil {
		r := *op.Result
		op.Result = &r
	}
	return op
}

// put stores op, entering it in the done queue when it has just finished. The caller holds mu.
func (s *MemoryStore) put(op Operation) {
	old, existed := s.ops[op.ID]
	e := memEntry{op: clone(op)}
	switch {
	case op.State == StateDone && existed && old.doneSeq != 0:
		e.doneSeq = old.doneSeq // finished already: keep its place in the queue
	case op.State == StateDone:
		s.seq++
		e.doneSeq = s.seq
		s.done = append(s.done, doneRef{id: op.ID, seq: s.seq, at: s.now()})
		s.nDone++
	case existed && old.doneSeq != 0:
		s.nDone-- // back to pending (a store written by other means); its queue entry is stale now
	}
	s.ops[op.ID] = e
}

// remove deletes the operation with this id. The caller holds mu.
func (s *MemoryStore) remove(id string) {
	if e, ok := s.ops[id]; ok {
		if e.doneSeq != 0 {
			s.nDone--
		}
		delete(s.ops, id)
	}
}

// evict forgets the finished operations beyond the count limit and those older than the age
// limit, oldest first, and drops stale queue entries. The caller holds mu.
func (s *MemoryStore) evict() {
	now := s.now()
	for len(s.done) > 0 {
		r := s.done[0]
		e, ok := s.ops[r.id]
		switch {
		case !ok || e.doneSeq != r.seq: // deleted, or finished again later: a stale entry
		case s.nDone > s.maxDone || now.Sub(r.at) >= s.maxAge:
			s.remove(r.id)
		default:
			return
		}
		s.done[0] = doneRef{}
		s.done = s.done[1:]
	}
}

// Len returns how many operations the store holds, pending and finished.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.evict()
	return len(s.ops)
}

// Create implements Store.
func (s *MemoryStore) Create(_ context.Context, op Operation) (Operation, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.evict()
	if stored, ok := s.ops[op.ID]; ok {
		return clone(stored.op), false, nil
	}
	s.put(op)
	s.evict()
	return clone(op), true, nil
}

// Get implements Store.
func (s *MemoryStore) Get(_ context.Context, id string) (Operation, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.evict()
	e, ok := s.ops[id]
	return clone(e.op), ok, nil
}

// Update implements Store.
func (s *MemoryStore) Update(_ context.Context, op Operation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.evict()
	if _, ok := s.ops[op.ID]; !ok {
		return ErrNoOperation
	}
	s.put(op)
	s.evict()
	return nil
}

// Delete implements Store.
func (s *MemoryStore) Delete(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remove(id)
	return nil
}
