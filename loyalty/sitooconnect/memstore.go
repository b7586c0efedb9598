package sitooconnect

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"sync"
	"time"
)

// MemoryConnectionStore is a ConnectionStore in memory, for tests, demos and single-process
// use. The zero value is not usable; call NewMemoryConnectionStore. Its memory is bounded
// only as the ledger's is: connections, profiles and bonus checks stay for the life of the
// process; seen event ids stay until PruneSeenEvents (Connector.RunOnce prunes those older
// than SeenEventRetention) and the queue holds the events not yet applied.
type MemoryConnectionStore struct {
	mu       sync.Mutex
	conns    map[string]ConnectionRecord
	profiles map[[2]string]Profile
	checks   map[string]BonusCheck
	seen     map[[2]string]time.Time
	pending  []PendingOrder
}

// NewMemoryConnectionStore returns an empty MemoryConnectionStore.
func NewMemoryConnectionStore() *MemoryConnectionStore {
	return &MemoryConnectionStore{conns: map[string]ConnectionRecord{}, profiles: map[[2]string]Profile{},
		checks: map[string]BonusCheck{}, seen: map[[2]string]time.Time{}}
}

func copyRecord(r ConnectionRecord) ConnectionRecord {
	r.Credentials = slices.Clone(r.Credentials)
	return r
}

func copyProfile(p Profile) Profile {
	p.AcceptsCommunication, p.Consents = slices.Clone(p.AcceptsCommunication), slices.Clone(p.Consents)
	return p
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

// ConnectionByAccount implements ConnectionStore.
func (s *MemoryConnectionStore) ConnectionByAccount(_ context.Context, programID string, accountID int64) (ConnectionRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.conns {
		if r.ProgramID == programID && r.AccountID == accountID {
			return copyRecord(r), nil
		}
	}
	return ConnectionRecord{}, fmt.Errorf("%w: program %q, account %d", ErrConnectionNotFound, programID, accountID)
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
	for _, r := range s.conns {
		if r.ID == rec.ID || (r.ProgramID == rec.ProgramID && r.AccountID == rec.AccountID) {
			return fmt.Errorf("%w: %q", ErrConnectionExists, rec.ID)
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
	rec.LastEventAt, rec.Watermark = old.LastEventAt, old.Watermark
	s.conns[rec.ID] = copyRecord(rec)
	return nil
}

func (s *MemoryConnectionStore) change(id string, fn func(*ConnectionRecord)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.conns[id]
	if !ok {
		return fmt.Errorf("%w: %q", ErrConnectionNotFound, id)
	}
	fn(&r)
	s.conns[id] = r
	return nil
}

// RecordEvent implements ConnectionStore.
func (s *MemoryConnectionStore) RecordEvent(_ context.Context, id string, at time.Time) error {
	return s.change(id, func(r *ConnectionRecord) {
		if at.After(r.LastEventAt) {
			r.LastEventAt = at
		}
	})
}

// SetWatermark implements ConnectionStore.
func (s *MemoryConnectionStore) SetWatermark(_ context.Context, id string, orderID int64) error {
	return s.change(id, func(r *ConnectionRecord) { r.Watermark = max(r.Watermark, orderID) })
}

// Profile implements ConnectionStore.
func (s *MemoryConnectionStore) Profile(_ context.Context, programID, memberID string) (Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.profiles[[2]string{programID, memberID}]
	if !ok {
		return Profile{}, ErrProfileNotFound
	}
	return copyProfile(p), nil
}

// PutProfile implements ConnectionStore.
func (s *MemoryConnectionStore) PutProfile(_ context.Context, p Profile) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.profiles[[2]string{p.ProgramID, p.MemberID}] = copyProfile(p)
	return nil
}

func (s *MemoryConnectionStore) profileBy(programID string, match func(Profile) bool) (Profile, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, p := range s.profiles {
		if k[0] == programID && match(p) {
			return copyProfile(p), nil
		}
	}
	return Profile{}, ErrProfileNotFound
}

// ProfileByMobile implements ConnectionStore.
func (s *MemoryConnectionStore) ProfileByMobile(_ context.Context, programID, mobile string) (Profile, error) {
	return s.profileBy(programID, func(p Profile) bool { return mobile != "" && p.Mobile == mobile })
}

// ProfileByPersonalID implements ConnectionStore.
func (s *MemoryConnectionStore) ProfileByPersonalID(_ context.Context, programID, personalID string) (Profile, error) {
	return s.profileBy(programID, func(p Profile) bool { return personalID != "" && p.PersonalID == personalID })
}

// PutBonusCheck implements ConnectionStore.
func (s *MemoryConnectionStore) PutBonusCheck(_ context.Context, b BonusCheck) (BonusCheck, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.checks[b.ID]; ok {
		return old, nil
	}
	s.checks[b.ID] = b
	return b, nil
}

// BonusCheck implements ConnectionStore.
func (s *MemoryConnectionStore) BonusCheck(_ context.Context, id string) (BonusCheck, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.checks[id]
	if !ok {
		return BonusCheck{}, fmt.Errorf("%w: %q", ErrBonusCheckNotFound, id)
	}
	return b, nil
}

// BonusChecks implements ConnectionStore.
func (s *MemoryConnectionStore) BonusChecks(_ context.Context, programID, memberID string) ([]BonusCheck, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []BonusCheck
	for _, b := range s.checks {
		if b.ProgramID == programID && b.MemberID == memberID {
			out = append(out, b)
		}
	}
	slices.SortFunc(out, func(a, b BonusCheck) int { return cmp.Or(a.CreatedAt.Compare(b.CreatedAt), cmp.Compare(a.ID, b.ID)) })
	return out, nil
}

// SetBonusCheckRedeemed implements ConnectionStore.
func (s *MemoryConnectionStore) SetBonusCheckRedeemed(_ context.Context, id string, from, to time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b, ok := s.checks[id]
	if !ok {
		return false, fmt.Errorf("%w: %q", ErrBonusCheckNotFound, id)
	}
	if !b.RedeemedAt.Equal(from) {
		return false, nil
	}
	b.RedeemedAt = to
	s.checks[id] = b
	return true, nil
}

// MarkEventSeen implements ConnectionStore.
func (s *MemoryConnectionStore) MarkEventSeen(_ context.Context, connectionID, eventID string, at time.Time) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := [2]string{connectionID, eventID}
	if _, ok := s.seen[k]; ok {
		return false, nil
	}
	s.seen[k] = at
	return true, nil
}

// EventSeen implements ConnectionStore.
func (s *MemoryConnectionStore) EventSeen(_ context.Context, connectionID, eventID string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.seen[[2]string{connectionID, eventID}]
	return ok, nil
}

// PruneSeenEvents implements ConnectionStore.
func (s *MemoryConnectionStore) PruneSeenEvents(_ context.Context, before time.Time) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var n int64
	for k, at := range s.seen {
		if at.Before(before) {
			delete(s.seen, k)
			n++
		}
	}
	return n, nil
}

// EnqueueOrder implements ConnectionStore.
func (s *MemoryConnectionStore) EnqueueOrder(_ context.Context, p PendingOrder) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, q := range s.pending {
		if q.ConnectionID == p.ConnectionID && q.EventID == p.EventID {
			return nil
		}
	}
	s.pending = append(s.pending, p)
	return nil
}

// PendingOrders implements ConnectionStore.
func (s *MemoryConnectionStore) PendingOrders(_ context.Context, connectionID string, limit int) ([]PendingOrder, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []PendingOrder
	for _, p := range s.pending {
		if p.ConnectionID == connectionID && len(out) < limit {
			out = append(out, p)
		}
	}
	return out, nil
}

// UpdatePending implements ConnectionStore.
func (s *MemoryConnectionStore) UpdatePending(_ context.Context, p PendingOrder) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, q := range s.pending {
		if q.ConnectionID == p.ConnectionID && q.EventID == p.EventID {
			s.pending[i] = p
		}
	}
	return nil
}

// DeletePending implements ConnectionStore.
func (s *MemoryConnectionStore) DeletePending(_ context.Context, connectionID, eventID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending = slices.DeleteFunc(s.pending, func(p PendingOrder) bool {
		return p.ConnectionID == connectionID && p.EventID == eventID
	})
	return nil
}
