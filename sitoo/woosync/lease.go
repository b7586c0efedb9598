package woosync

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
)

// Leaser hands out named, expiring leases: the Scheduler takes one per task before a run, so
// runs of a task never overlap, also across processes that share the Leaser's database.
// MemoryLeases serves one process; SQLLeases several processes on one SQLite file or
// PostgreSQL database. The Scheduler's lease names are "woosync/<task>", so processes that
// sync different stores need different databases (or Leasers).
type Leaser interface {
	// Acquire takes the lease name for owner until now+ttl. It reports false, without error, when
	// another owner holds an unexpired lease. An owner may renew its own lease.
	Acquire(ctx context.Context, name, owner string, now time.Time, ttl time.Duration) (bool, error)
	// Release gives the lease back if owner holds it.
	Release(ctx context.Context, name, owner string) error
}

// MemoryLeases is a Leaser in memory, for one process.
type MemoryLeases struct {
	mu     sync.Mutex
	leases map[string]memLease
}

type memLease struct {
	owner   string
	expires time.Time
}

// NewMemoryLeases returns an empty MemoryLeases.
func NewMemoryLeases() *MemoryLeases { return &MemoryLeases{leases: map[string]memLease{}} }

// Acquire implements Leaser.
func (m *MemoryLeases) Acquire(_ context.Context, name, owner string, now time.Time, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if l, ok := m.leases[name]; ok && l.owner != owner && now.Before(l.expires) {
		return false, nil
	}
	m.leases[name] = memLease{owner: owner, expires: now.Add(ttl)}
	return true, nil
}

// Release implements Leaser.
func (m *MemoryLeases) Release(_ context.Context, name, owner string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if l, ok := m.leases[name]; ok && l.owner == owner {
		delete(m.leases, name)
	}
	return nil
}

//go:embed migrations/*.sql
var leaseFiles embed.FS

var leaseMigrations = sqlstore.Migrations{Component: "woosync", FS: leaseFiles, Dir: "migrations"}

// SQLLeases is a Leaser in the table woosync_leases of a loyalty SQL store's database (SQLite
// or PostgreSQL, see loyalty/sqlstore), created by the shared migrator under component
// "woosync". Taking a lease is one conditional upsert, so two instances racing for it get it
// once.
type SQLLeases struct {
	db sqlstore.Shared
}

// NewSQLLeases migrates the lease table in db's database and returns the Leaser.
func NewSQLLeases(ctx context.Context, db sqlstore.Shared) (*SQLLeases, error) {
	if db == nil {
		return nil, errors.New("woosync: leases: nil database")
	}
	if err := db.Migrate(ctx, leaseMigrations); err != nil {
		return nil, fmt.Errorf("woosync: leases: %w", err)
	}
	return &SQLLeases{db: db}, nil
}

// Acquire implements Leaser.
func (s *SQLLeases) Acquire(ctx context.Context, name, owner string, now time.Time, ttl time.Duration) (bool, error) {
	var got bool
	err := s.db.Write(ctx, func(tx sqlstore.Tx) error {
		res, err := tx.Exec(ctx, `INSERT INTO woosync_leases (name, owner, expires_at) VALUES ($1, $2, $3)
ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at
WHERE woosync_leases.owner = excluded.owner OR woosync_leases.expires_at <= $4`,
			name, owner, now.Add(ttl).UnixMicro(), now.UnixMicro())
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		got = n > 0
		return err
	})
	if err != nil {
		return false, fmt.Errorf("woosync: acquire lease %s: %w", name, err)
	}
	return got, nil
}

// Release implements Leaser.
func (s *SQLLeases) Release(ctx context.Context, name, owner string) error {
	err := s.db.Write(ctx, func(tx sqlstore.Tx) error {
		_, err := tx.Exec(ctx, `DELETE FROM woosync_leases WHERE name = $1 AND owner = $2`, name, owner)
		return err
	})
	if err != nil {
		return fmt.Errorf("woosync: release lease %s: %w", name, err)
	}
	return nil
}
