package woosync

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"sync"
	"time"
)

// MemoryStore is a Store in memory, for tests, demos and single-process use. Create it with
// NewMemoryStore.
type MemoryStore struct {
	mu       sync.Mutex
	settings *SettingsRecord
	byWoo    map[Kind]map[int64]Mapping
	bySitoo  map[Kind]map[int64]int64  // sitoo id -> woo id
	byKey    map[Kind]map[string]int64 // key -> woo id
	times    map[string]time.Time
	runs     []Run
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	s := &MemoryStore{times: map[string]time.Time{}}
	s.resetMappings()
	return s
}

func (s *MemoryStore) resetMappings() {
	s.byWoo, s.bySitoo, s.byKey = map[Kind]map[int64]Mapping{}, map[Kind]map[int64]int64{}, map[Kind]map[string]int64{}
	for _, k := range Kinds {
		s.byWoo[k], s.bySitoo[k], s.byKey[k] = map[int64]Mapping{}, map[int64]int64{}, map[string]int64{}
	}
}

// LoadSettings implements Store.
func (s *MemoryStore) LoadSettings(context.Context) (SettingsRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.settings == nil {
		return SettingsRecord{}, ErrNotConfigured
	}
	r := *s.settings
	r.SealedCredentials = slices.Clone(r.SealedCredentials)
	return r, nil
}

// SaveSettings implements Store.
func (s *MemoryStore) SaveSettings(_ context.Context, rec SettingsRecord) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	rec.SealedCredentials = slices.Clone(rec.SealedCredentials)
	rec.Settings.Test, rec.Settings.Live = Credentials{}, Credentials{} // never kept in clear
	s.settings = &rec
	return nil
}

// DeleteSettings implements Store.
func (s *MemoryStore) DeleteSettings(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.settings = nil
	return nil
}

func (s *MemoryStore) kind(k Kind) (map[int64]Mapping, map[int64]int64, error) {
	w, ok := s.byWoo[k]
	if !ok {
		return nil, nil, fmt.Errorf("woosync: unknown mapping kind %q", k)
	}
	return w, s.bySitoo[k], nil
}

// PutMapping implements Store.
func (s *MemoryStore) PutMapping(_ context.Context, m Mapping) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	byWoo, bySitoo, err := s.kind(m.Kind)
	if err != nil {
		return err
	}
	if other, ok := bySitoo[m.SitooID]; ok && other != m.WooID {
		return fmt.Errorf("%w: %s sitoo %d is mapped to woo %d", ErrMappingConflict, m.Kind, m.SitooID, other)
	}
	if old, ok := byWoo[m.WooID]; ok {
		s.unindex(old)
	}
	m.SyncedAt = m.SyncedAt.UTC()
	byWoo[m.WooID], bySitoo[m.SitooID] = m, m.WooID
	if m.Key != "" {
		s.byKey[m.Kind][m.Key] = m.WooID
	}
	return nil
}

// unindex removes m from the secondary indexes.
func (s *MemoryStore) unindex(m Mapping) {
	delete(s.bySitoo[m.Kind], m.SitooID)
	if w, ok := s.byKey[m.Kind][m.Key]; ok && w == m.WooID {
		delete(s.byKey[m.Kind], m.Key)
	}
}

// MappingByKey implements Store.
func (s *MemoryStore) MappingByKey(_ context.Context, kind Kind, key string) (Mapping, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	byWoo, _, err := s.kind(kind)
	if err != nil {
		return Mapping{}, err
	}
	w, ok := s.byKey[kind][key]
	if !ok || key == "" {
		return Mapping{}, fmt.Errorf("%w: %s key %q", ErrNoMapping, kind, key)
	}
	return byWoo[w], nil
}

// MappingByWoo implements Store.
func (s *MemoryStore) MappingByWoo(_ context.Context, kind Kind, wooID int64) (Mapping, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	byWoo, _, err := s.kind(kind)
	if err != nil {
		return Mapping{}, err
	}
	m, ok := byWoo[wooID]
	if !ok {
		return Mapping{}, fmt.Errorf("%w: %s woo %d", ErrNoMapping, kind, wooID)
	}
	return m, nil
}

// MappingBySitoo implements Store.
func (s *MemoryStore) MappingBySitoo(_ context.Context, kind Kind, sitooID int64) (Mapping, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	byWoo, bySitoo, err := s.kind(kind)
	if err != nil {
		return Mapping{}, err
	}
	w, ok := bySitoo[sitooID]
	if !ok {
		return Mapping{}, fmt.Errorf("%w: %s sitoo %d", ErrNoMapping, kind, sitooID)
	}
	return byWoo[w], nil
}

// Mappings implements Store. It iterates over a snapshot taken when iteration starts.
func (s *MemoryStore) Mappings(_ context.Context, kind Kind) iter.Seq2[Mapping, error] {
	return func(yield func(Mapping, error) bool) {
		s.mu.Lock()
		byWoo, _, err := s.kind(kind)
		var all []Mapping
		if err == nil {
			all = make([]Mapping, 0, len(byWoo))
			for _, m := range byWoo {
				all = append(all, m)
			}
		}
		s.mu.Unlock()
		if err != nil {
			yield(Mapping{}, err)
			return
		}
		slices.SortFunc(all, func(a, b Mapping) int { return cmp.Compare(a.WooID, b.WooID) })
		for _, m := range all {
			if !yield(m, nil) {
				return
			}
		}
	}
}

// CountMappings implements Store.
func (s *MemoryStore) CountMappings(_ context.Context, kind Kind) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	byWoo, _, err := s.kind(kind)
	return len(byWoo), err
}

// DeleteMapping implements Store.
func (s *MemoryStore) DeleteMapping(_ context.Context, kind Kind, wooID int64) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	byWoo, _, err := s.kind(kind)
	if err != nil {
		return err
	}
	if m, ok := byWoo[wooID]; ok {
		s.unindex(m)
		delete(byWoo, wooID)
	}
	return nil
}

// ClearMappings implements Store.
func (s *MemoryStore) ClearMappings(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resetMappings()
	return nil
}

// Timestamp implements Store.
func (s *MemoryStore) Timestamp(_ context.Context, name string) (time.Time, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.times[name], nil
}

// SetTimestamp implements Store.
func (s *MemoryStore) SetTimestamp(_ context.Context, name string, t time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.times[name] = t.UTC()
	return nil
}

// ResetTimestamps implements Store.
func (s *MemoryStore) ResetTimestamps(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.times)
	return nil
}

// AddRun implements Store.
func (s *MemoryStore) AddRun(_ context.Context, r Run) (int64, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r.ID = int64(len(s.runs)) + 1
	r.Errors = slices.Clone(r.Errors)
	r.Started, r.Finished = r.Started.UTC(), r.Finished.UTC()
	s.runs = append(s.runs, r)
	return r.ID, nil
}

// Runs implements Store.
func (s *MemoryStore) Runs(_ context.Context, limit int) ([]Run, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.runs)
	if limit <= 0 || limit > n {
		limit = n
	}
	out := make([]Run, 0, limit)
	for i := n - 1; i >= n-limit; i-- {
		r := s.runs[i]
		r.Errors = slices.Clone(r.Errors)
		out = append(out, r)
	}
	return out, nil
}
