package rewardpoints

import (
	"context"
	"errors"
	"sync"
	"time"
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
// forgets everything when the process exits. To keep the guarantee across restarts and across
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

// MemoryStore is a Store in memory, safe for concurrent use. It forgets everything when the
// process exits, and keeps every operation until deleted.
type MemoryStore struct {
	mu  sync.Mutex
	ops map[string]Operation
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{ops: map[string]Operation{}}
}

// clone copies op so that callers never share the stored Result.
func clone(op Operation) Operation {
	if op.Result != nil {
		r := *op.Result
		op.Result = &r
	}
	return op
}

// Create implements Store.
func (s *MemoryStore) Create(_ context.Context, op Operation) (Operation, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if stored, ok := s.ops[op.ID]; ok {
		return clone(stored), false, nil
	}
	s.ops[op.ID] = clone(op)
	return clone(op), true, nil
}

// Get implements Store.
func (s *MemoryStore) Get(_ context.Context, id string) (Operation, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	op, ok := s.ops[id]
	return clone(op), ok, nil
}

// Update implements Store.
func (s *MemoryStore) Update(_ context.Context, op Operation) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.ops[op.ID]; !ok {
		return ErrNoOperation
	}
	s.ops[op.ID] = clone(op)
	return nil
}

// Delete implements Store.
func (s *MemoryStore) Delete(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.ops, id)
	return nil
}
