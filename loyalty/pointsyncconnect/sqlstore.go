package pointsyncconnect

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
	"github.com/loyalsync/loyalsync/pointsync"
)

//go:embed migrations
var migrationFiles embed.FS

// SQLStore keeps pointsync's settings and queue in the loyalty store's SQL database (SQLite or
// PostgreSQL, through sqlstore.Shared): it implements pointsync.SettingsStore,
// pointsync.Queue, pointsync.ReplayGuard and PushLog, and queues movements in the ledger's own transaction (see Observe). On
// PostgreSQL, leases take rows with FOR UPDATE SKIP LOCKED, so several instances of a site
// deliver each batch once. Create it with NewSQLStore.
type SQLStore struct {
	db    sqlstore.Shared
	clock loyalty.Clock
	lease string
}

var (
	_ pointsync.SettingsStore = (*SQLStore)(nil)
	_ pointsync.Queue         = (*SQLStore)(nil)
	_ TxQueue                 = (*SQLStore)(nil)
)

// NewSQLStore migrates the pointsync tables (component "pointsync") in db and returns the store.
// Option: WithClock.
func NewSQLStore(ctx context.Context, db sqlstore.Shared, opts ...Option) (*SQLStore, error) {
	if db == nil {
		return nil, errors.New("pointsyncconnect: nil database")
	}
	o, err := newOptions(opts)
	if err != nil {
		return nil, err
	}
	dir, lease := "migrations/sqlite", leaseSQLite
	if db.Dialect() == sqlstore.PostgreSQL {
		dir, lease = "migrations/postgres", leasePostgres
	}
	if err := db.Migrate(ctx, sqlstore.Migrations{Component: "pointsync", FS: migrationFiles, Dir: dir}); err != nil {
		return nil, fmt.Errorf("pointsyncconnect: migrate: %w", err)
	}
	return &SQLStore{db: db, clock: o.clock, lease: lease}, nil
}

func (s *SQLStore) now() int64 { return s.clock.Now().UTC().UnixMicro() }

func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UTC().UnixMicro()
}

func fromMicros(us int64) time.Time {
	if us == 0 {
		return time.Time{}
	}
	return time.UnixMicro(us).UTC()
}

func wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("pointsyncconnect: %s: %w", op, err)
}

// InitLocalSite implements pointsync.SettingsStore.
func (s *SQLStore) InitLocalSite(ctx context.Context, candidate pointsync.LocalSite) (pointsync.LocalSite, error) {
	if err := candidate.Validate(); err != nil {
		return pointsync.LocalSite{}, err
	}
	doc, err := json.Marshal(candidate)
	if err != nil {
		return pointsync.LocalSite{}, wrap("init local site", err)
	}
	err = s.db.Write(ctx, func(tx sqlstore.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO pointsync_settings (name, value) VALUES ('local', $1) ON CONFLICT (name) DO NOTHING`, string(doc))
		return err
	})
	if err != nil {
		return pointsync.LocalSite{}, wrap("init local site", err)
	}
	return s.LocalSite(ctx)
}

// LocalSite implements pointsync.SettingsStore.
func (s *SQLStore) LocalSite(ctx context.Context) (pointsync.LocalSite, error) {
	var l pointsync.LocalSite
	ok, err := s.setting(ctx, "local", &l)
	if err == nil && !ok {
		err = pointsync.ErrNoLocalSite
	}
	return l, wrap("local site", err)
}

func (s *SQLStore) setting(ctx context.Context, name string, v any) (bool, error) {
	var doc string
	err := s.db.Read(ctx, func(tx sqlstore.Tx) error {
		return tx.QueryRow(ctx, `SELECT value FROM pointsync_settings WHERE name = $1`, name).Scan(&doc)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal([]byte(doc), v)
}

// Remotes implements pointsync.SettingsStore.
func (s *SQLStore) Remotes(ctx context.Context) ([]pointsync.Remote, error) {
	var out []pointsync.Remote
	err := s.db.Read(ctx, func(tx sqlstore.Tx) error {
		rows, err := tx.Query(ctx, `SELECT doc FROM pointsync_remotes ORDER BY sharing_key`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var doc string
			var r pointsync.Remote
			if err := rows.Scan(&doc); err != nil {
				return err
			}
			if err := json.Unmarshal([]byte(doc), &r); err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	return out, wrap("remotes", err)
}

// Remote implements pointsync.SettingsStore.
func (s *SQLStore) Remote(ctx context.Context, sharingKey string) (pointsync.Remote, error) {
	var doc string
	err := s.db.Read(ctx, func(tx sqlstore.Tx) error {
		return tx.QueryRow(ctx, `SELECT doc FROM pointsync_remotes WHERE sharing_key = $1`, sharingKey).Scan(&doc)
	})
	var r pointsync.Remote
	switch {
	case errors.Is(err, sql.ErrNoRows):
		err = pointsync.ErrRemoteNotFound
	case err == nil:
		err = json.Unmarshal([]byte(doc), &r)
	}
	return r, wrap("remote "+sharingKey, err)
}

// PutRemote implements pointsync.SettingsStore.
func (s *SQLStore) PutRemote(ctx context.Context, r pointsync.Remote) error {
	if err := r.Validate(); err != nil {
		return err
	}
	doc, err := json.Marshal(r)
	if err != nil {
		return wrap("put remote", err)
	}
	return wrap("put remote "+r.SharingKey, s.db.Write(ctx, func(tx sqlstore.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO pointsync_remotes (sharing_key, doc) VALUES ($1, $2)
			ON CONFLICT (sharing_key) DO UPDATE SET doc = excluded.doc`, r.SharingKey, string(doc))
		return err
	}))
}

// DeleteRemote implements pointsync.SettingsStore.
func (s *SQLStore) DeleteRemote(ctx context.Context, sharingKey string) error {
	return wrap("delete remote "+sharingKey, s.db.Write(ctx, func(tx sqlstore.Tx) error {
		res, err := tx.Exec(ctx, `DELETE FROM pointsync_remotes WHERE sharing_key = $1`, sharingKey)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return errors.Join(err, pointsync.ErrRemoteNotFound)
		}
		return nil
	}))
}

// Advanced implements pointsync.SettingsStore.
func (s *SQLStore) Advanced(ctx context.Context) (pointsync.Advanced, error) {
	a := pointsync.DefaultAdvanced()
	_, err := s.setting(ctx, "advanced", &a)
	return a, wrap("advanced settings", err)
}

// PutAdvanced implements pointsync.SettingsStore.
func (s *SQLStore) PutAdvanced(ctx context.Context, a pointsync.Advanced) error {
	if err := a.Validate(); err != nil {
		return err
	}
	doc, err := json.Marshal(a)
	if err != nil {
		return wrap("put advanced settings", err)
	}
	return wrap("put advanced settings", s.db.Write(ctx, func(tx sqlstore.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO pointsync_settings (name, value) VALUES ('advanced', $1)
			ON CONFLICT (name) DO UPDATE SET value = excluded.value`, string(doc))
		return err
	}))
}
