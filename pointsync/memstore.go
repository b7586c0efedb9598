package pointsync

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// MemStore is an in-memory SettingsStore and Queue, for tests, demos and single-process sites
// that can afford to lose their queue on restart. It is safe for concurrent use. Create it with
// NewMemStore.
type MemStore struct {
	now func() time.Time

	mu       sync.Mutex
	local    *LocalSite
	remotes  map[string]Remote
	advanced *Advanced
	queues   map[string]*memQueue
	seq      int64
}

type memQueue struct {
	items []*memItem // in Seq order
	ids   map[string]struct{}
	state RemoteState
}

type memItem struct {
	Item
	lease   string
	expires time.Time
}

var (
	_ SettingsStore = (*MemStore)(nil)
	_ Queue         = (*MemStore)(nil)
)

// NewMemStore returns an empty store. Options: WithClock.
func NewMemStore(opts ...Option) (*MemStore, error) {
	cfg, err := newConfig("NewMemStore", opts)
	if err != nil {
		return nil, err
	}
	return &MemStore{now: cfg.now, remotes: map[string]Remote{}, queues: map[string]*memQueue{}}, nil
}

// InitLocalSite implements SettingsStore.
func (s *MemStore) InitLocalSite(ctx context.Context, candidate LocalSite) (LocalSite, error) {
	if err := ctx.Err(); err != nil {
		return LocalSite{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.local != nil {
		return *s.local, nil
	}
	if err := candidate.Validate(); err != nil {
		return LocalSite{}, err
	}
	s.local = &candidate
	return candidate, nil
}

// LocalSite implements SettingsStore.
func (s *MemStore) LocalSite(ctx context.Context) (LocalSite, error) {
	if err := ctx.Err(); err != nil {
		return LocalSite{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.local == nil {
		return LocalSite{}, ErrNoLocalSite
	}
	return *s.local, nil
}

// Remotes implements SettingsStore.
func (s *MemStore) Remotes(ctx context.Context) ([]Remote, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Remote, 0, len(s.remotes))
	for _, r := range s.remotes {
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b Remote) int { return strings.Compare(a.SharingKey, b.SharingKey) })
	return out, nil
}

// Remote implements SettingsStore.
func (s *MemStore) Remote(ctx context.Context, sharingKey string) (Remote, error) {
	if err := ctx.Err(); err != nil {
		return Remote{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.remotes[sharingKey]
	if !ok {
		return Remote{}, fmt.Errorf("%w: %q", ErrRemoteNotFound, sharingKey)
	}
	return r, nil
}

// PutRemote implements SettingsStore.
func (s *MemStore) PutRemote(ctx context.Context, r Remote) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := r.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remotes[r.SharingKey] = r
	return nil
}

// DeleteRemote implements SettingsStore.
func (s *MemStore) DeleteRemote(ctx context.Context, sharingKey string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.remotes[sharingKey]; !ok {
		return fmt.Errorf("%w: %q", ErrRemoteNotFound, sharingKey)
	}
	delete(s.remotes, sharingKey)
	return nil
}

// Advanced implements SettingsStore.
func (s *MemStore) Advanced(ctx context.Context) (Advanced, error) {
	if err := ctx.Err(); err != nil {
		return Advanced{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.advanced == nil {
		return DefaultAdvanced(), nil
	}
	return *s.advanced, nil
}

// PutAdvanced implements SettingsStore.
func (s *MemStore) PutAdvanced(ctx context.Context, a Advanced) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := a.Validate(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.advanced = &a
	return nil
}

// queue returns the remote's queue, creating it; s.mu must be held.
func (s *MemStore) queue(remote string) *memQueue {
	q := s.queues[remote]
	if q == nil {
		q = &memQueue{ids: map[string]struct{}{}}
		s.queues[remote] = q
	}
	return q
}

// Enqueue implements Queue.
func (s *MemStore) Enqueue(ctx context.Context, remote string, ms []Movement) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkToken("remote", remote, maxKeyLen); err != nil {
		return err
	}
	for i := range ms {
		if err := ms[i].validate(fmt.Sprintf("movements[%d]", i)); err != nil {
			return err
		}
	}
	now := s.now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue(remote)
	for _, m := range ms {
		if _, dup := q.ids[m.ID]; dup {
			continue
		}
		s.seq++
		q.ids[m.ID] = struct{}{}
		q.items = append(q.items, &memItem{Item: Item{Seq: s.seq, Movement: m, EnqueuedAt: now}})
	}
	return nil
}

// Lease implements Queue.
func (s *MemStore) Lease(ctx context.Context, remote string, max int, ttl time.Duration) (*Lease, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if max < 1 || ttl <= 0 {
		return nil, invalid("lease", "max %d and ttl %s must be positive", max, ttl)
	}
	id, err := NewBatchID()
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queues[remote]
	if q == nil {
		return nil, nil
	}
	l := &Lease{ID: id, Remote: remote, Expires: now.Add(ttl)}
	for _, it := range q.items {
		if len(l.Items) == max {
			break
		}
		if it.lease != "" && now.Before(it.expires) {
			continue
		}
		it.lease, it.expires = id, l.Expires
		l.Items = append(l.Items, it.Item)
	}
	if len(l.Items) == 0 {
		return nil, nil
	}
	return l, nil
}

// Ack implements Queue.
func (s *MemStore) Ack(ctx context.Context, remote, leaseID string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := s.now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queues[remote]
	if q == nil || leaseID == "" {
		return ErrLeaseLost
	}
	n := 0
	q.items = slices.DeleteFunc(q.items, func(it *memItem) bool {
		if it.lease != leaseID {
			return false
		}
		delete(q.ids, it.Movement.ID)
		n++
		return true
	})
	if n == 0 {
		return ErrLeaseLost
	}
	q.state.Failures = 0
	q.state.LastSuccessAt = now
	q.state.Delivered += int64(n)
	return nil
}

// Fail implements Queue.
func (s *MemStore) Fail(ctx context.Context, remote, leaseID, cause string) error {
	return s.release(ctx, remote, leaseID, cause, true)
}

// Release implements Queue.
func (s *MemStore) Release(ctx context.Context, remote, leaseID string) error {
	return s.release(ctx, remote, leaseID, "", false)
}

func (s *MemStore) release(ctx context.Context, remote, leaseID, cause string, failed bool) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := s.now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue(remote)
	for _, it := range q.items {
		if it.lease == leaseID && leaseID != "" {
			it.lease, it.expires = "", time.Time{}
			if failed {
				it.Attempts++
			}
		}
	}
	if failed {
		q.state.recordFailure(cause, now)
	}
	return nil
}

func (st *RemoteState) recordFailure(cause string, now time.Time) {
	st.Failures++
	st.LastError, st.LastErrorAt = cause, now
}

// RecordPing implements Queue.
func (s *MemStore) RecordPing(ctx context.Context, remote, cause string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	now := s.now().UTC()
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queue(remote)
	if cause != "" {
		q.state.recordFailure(cause, now)
		return nil
	}
	q.state.Failures = 0
	q.state.LastSuccessAt = now
	return nil
}

// Resume implements Queue.
func (s *MemStore) Resume(ctx context.Context, remote string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue(remote).state.Failures = 0
	return nil
}

// State implements Queue.
func (s *MemStore) State(ctx context.Context, remote string) (RemoteState, error) {
	if err := ctx.Err(); err != nil {
		return RemoteState{}, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queues[remote]
	if q == nil {
		return RemoteState{}, nil
	}
	st := q.state
	st.Pending = len(q.items)
	if len(q.items) > 0 {
		st.Oldest = q.items[0].EnqueuedAt
	}
	return st, nil
}

// Purge implements Queue.
func (s *MemStore) Purge(ctx context.Context, remote string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.queues, remote)
	return nil
}

// NewBatchID returns a random batch id (22 characters of base64url, 128 bits from crypto/rand),
// for Queue implementations to name leases.
func NewBatchID() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("pointsync: batch id: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b[:]), nil
}
