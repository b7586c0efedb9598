package wooconnect

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// MemoryConnectionStore is a ConnectionStore in memory, for tests, demos and single-process use.
// The zero value is not usable; call NewMemoryConnectionStore.
type MemoryConnectionStore struct {
	mu      sync.Mutex
	conns   map[string]ConnectionRecord
	optOuts map[[2]string]bool
}

// NewMemoryConnectionStore returns an empty MemoryConnectionStore.
func NewMemoryConnectionStore() *MemoryConnectionStore {
	return &MemoryConnectionStore{conns: map[string]ConnectionRecord{}, optOuts: map[[2]string]bool{}}
}

func copyRecord(r ConnectionRecord) ConnectionRecord {
	r.Credentials = append([]byte(nil), r.Credentials...)
	if len(r.Credentials) == 0 {
		r.Credentials = nil
	}
	return r
}

// Connection implements ConnectionStore.
func (s *MemoryConnectionStore) Connection(_ context.Context, id string) (ConnectionRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.conns[id]
	if !ok {
		return ConnectionRecord{}, fmt.Errorf("%w: %q", ErrConnectionNotFound, id)
	}
	return copyRecord(r), nil
}

// ConnectionByStore implements ConnectionStore.
func (s *MemoryConnectionStore) ConnectionByStore(_ context.Context, programID, storeURL string) (ConnectionRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.conns {
		if r.ProgramID == programID && r.StoreURL == storeURL {
			return copyRecord(r), nil
		}
	}
	return ConnectionRecord{}, fmt.Errorf("%w: program %q, store %s", ErrConnectionNotFound, programID, storeURL)
}

// Connections implements ConnectionStore.
func (s *MemoryConnectionStore) Connections(_ context.Context, programID string) ([]ConnectionRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []ConnectionRecord
	for _, r := range s.conns {
		if programID == "" || r.ProgramID == programID {
			out = append(out, copyRecord(r))
		}
	}
	slices.SortFunc(out, func(a, b ConnectionRecord) int {
		return cmp.Or(a.ConnectedAt.Compare(b.ConnectedAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

// CreateConnection implements ConnectionStore.
func (s *MemoryConnectionStore) CreateConnection(_ context.Context, rec ConnectionRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.conns[rec.ID]; ok {
		return fmt.Errorf("%w: id %q", ErrConnectionExists, rec.ID)
	}
	for _, r := range s.conns {
		if r.ProgramID == rec.ProgramID && r.StoreURL == rec.StoreURL {
			return fmt.Errorf("%w: program %q, store %s", ErrConnectionExists, rec.ProgramID, rec.StoreURL)
		}
	}
	s.conns[rec.ID] = copyRecord(rec)
	return nil
}

// UpdateConnection implements ConnectionStore.
func (s *MemoryConnectionStore) UpdateConnection(_ context.Context, rec ConnectionRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.conns[rec.ID]
	if !ok {
		return fmt.Errorf("%w: %q", ErrConnectionNotFound, rec.ID)
	}
	rec.LastDeliveryAt, rec.ReconciledThrough = old.LastDeliveryAt, old.ReconciledThrough
	s.conns[rec.ID] = copyRecord(rec)
	return nil
}

// RecordDelivery implements ConnectionStore.
func (s *MemoryConnectionStore) RecordDelivery(_ context.Context, id string, at time.Time) error {
	return s.moveForward(id, at, func(r *ConnectionRecord) *time.Time { return &r.LastDeliveryAt })
}

// RecordReconciled implements ConnectionStore.
func (s *MemoryConnectionStore) RecordReconciled(_ context.Context, id string, through time.Time) error {
	return s.moveForward(id, through, func(r *ConnectionRecord) *time.Time { return &r.ReconciledThrough })
}

// moveForward sets a time of a connection to at unless it is later already.
func (s *MemoryConnectionStore) moveForward(id string, at time.Time, field func(*ConnectionRecord) *time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.conns[id]
	if !ok {
		return fmt.Errorf("%w: %q", ErrConnectionNotFound, id)
	}
	if f := field(&r); at.After(*f) {
		*f = at.UTC()
		s.conns[id] = r
	}
	return nil
}

// SetEmailOptOut implements ConnectionStore.
func (s *MemoryConnectionStore) SetEmailOptOut(_ context.Context, programID, memberID string, optOut bool) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if optOut {
		s.optOuts[[2]string{programID, memberID}] = true
	} else {
		delete(s.optOuts, [2]string{programID, memberID})
	}
	return nil
}

// EmailOptOut implements ConnectionStore.
func (s *MemoryConnectionStore) EmailOptOut(_ context.Context, programID, memberID string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.optOuts[[2]string{programID, memberID}], nil
}
