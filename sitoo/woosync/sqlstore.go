package woosync

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
)

// SQLStore is a Store in the woosync_* tables of a loyalty SQL store's database (SQLite or
// PostgreSQL, see loyalty/sqlstore), created by the shared migrator under component "woosync".
// Several processes may share it: a Sitoo id is claimed by one WooCommerce item (UNIQUE), and
// concurrent claims end in ErrMappingConflict.
type SQLStore struct {
	db sqlstore.Shared
}

var _ Store = (*SQLStore)(nil)

// NewSQLStore migrates the tables in db's database and returns the Store.
func NewSQLStore(ctx context.Context, db sqlstore.Shared) (*SQLStore, error) {
	if db == nil {
		return nil, errors.New("woosync: store: nil database")
	}
	if err := db.Migrate(ctx, leaseMigrations); err != nil {
		return nil, fmt.Errorf("woosync: store: %w", err)
	}
	return &SQLStore{db: db}, nil
}

// write runs fn in a write transaction, again (up to 5 times) after a serialization failure or
// a busy database (loyalty.ErrConflict): two instances writing at once both succeed.
func (s *SQLStore) write(ctx context.Context, fn func(tx sqlstore.Tx) error) error {
	var err error
	for range 5 {
		if err = s.db.Write(ctx, fn); !errors.Is(err, loyalty.ErrConflict) {
			return err
		}
	}
	return err
}

func micros(t time.Time) int64 { return t.UTC().UnixMicro() }

func fromMicros(n int64) time.Time {
	if n == 0 {
		return time.Time{}
	}
	return time.UnixMicro(n).UTC()
}

// LoadSettings implements Store.
func (s *SQLStore) LoadSettings(ctx context.Context) (SettingsRecord, error) {
	var rec SettingsRecord
	var settings string
	var sealed sql.NullString
	var paused int
	var updated int64
	err := s.db.Read(ctx, func(tx sqlstore.Tx) error {
		return tx.QueryRow(ctx, `SELECT settings, sealed, paused, updated_at FROM woosync_settings WHERE id = 1`).
			Scan(&settings, &sealed, &paused, &updated)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return rec, ErrNotConfigured
	}
	if err != nil {
		return rec, fmt.Errorf("woosync: load settings: %w", err)
	}
	if err := json.Unmarshal([]byte(settings), &rec.Settings); err != nil {
		return rec, fmt.Errorf("woosync: load settings: %w", err)
	}
	if sealed.Valid {
		if rec.SealedCredentials, err = base64.StdEncoding.DecodeString(sealed.String); err != nil {
			return rec, fmt.Errorf("woosync: load settings: %w", err)
		}
	}
	rec.Paused, rec.UpdatedAt = paused != 0, fromMicros(updated)
	return rec, nil
}

// SaveSettings implements Store.
func (s *SQLStore) SaveSettings(ctx context.Context, rec SettingsRecord) error {
	settings, err := json.Marshal(rec.Settings) // Test and Live are not encoded (json:"-")
	if err != nil {
		return err
	}
	var sealed sql.NullString
	if rec.SealedCredentials != nil {
		sealed = sql.NullString{String: base64.StdEncoding.EncodeToString(rec.SealedCredentials), Valid: true}
	}
	paused := 0
	if rec.Paused {
		paused = 1
	}
	err = s.write(ctx, func(tx sqlstore.Tx) error {
		_, err := tx.Exec(ctx, `INSERT INTO woosync_settings (id, settings, sealed, paused, updated_at) VALUES (1, $1, $2, $3, $4)
ON CONFLICT (id) DO UPDATE SET settings = excluded.settings, sealed = excluded.sealed, paused = excluded.paused, updated_at = excluded.updated_at`,
			string(settings), sealed, paused, micros(rec.UpdatedAt))
		return err
	})
	if err != nil {
		return fmt.Errorf("woosync: save settings: %w", err)
	}
	return nil
}

// DeleteSettings implements Store.
func (s *SQLStore) DeleteSettings(ctx context.Context) error {
	return s.exec(ctx, "delete settings", `DELETE FROM woosync_settings`)
}

func (s *SQLStore) exec(ctx context.Context, op, query string, args ...any) error {
	err := s.write(ctx, func(tx sqlstore.Tx) error {
		_, err := tx.Exec(ctx, query, args...)
		return err
	})
	if err != nil {
		return fmt.Errorf("woosync: %s: %w", op, err)
	}
	return nil
}

func validKind(k Kind) error {
	for _, x := range Kinds {
		if x == k {
			return nil
		}
	}
	return fmt.Errorf("woosync: unknown mapping kind %q", k)
}

// PutMapping implements Store.
func (s *SQLStore) PutMapping(ctx context.Context, m Mapping) error {
	if err := validKind(m.Kind); err != nil {
		return err
	}
	err := s.write(ctx, func(tx sqlstore.Tx) error {
		var other int64
		err := tx.QueryRow(ctx, `SELECT woo_id FROM woosync_mappings WHERE kind = $1 AND sitoo_id = $2`, string(m.Kind), m.SitooID).Scan(&other)
		switch {
		case err == nil && other != m.WooID:
			return fmt.Errorf("%w: %s sitoo %d is mapped to woo %d", ErrMappingConflict, m.Kind, m.SitooID, other)
		case err != nil && !errors.Is(err, sql.ErrNoRows):
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO woosync_mappings (kind, woo_id, sitoo_id, mkey, woo_parent, sitoo_parent, synced_at)
VALUES ($1, $2, $3, $4, $5, $6, $7)
ON CONFLICT (kind, woo_id) DO UPDATE SET sitoo_id = excluded.sitoo_id, mkey = excluded.mkey, woo_parent = excluded.woo_parent,
sitoo_parent = excluded.sitoo_parent, synced_at = excluded.synced_at`,
			string(m.Kind), m.WooID, m.SitooID, m.Key, m.WooParentID, m.SitooParentID, micros(m.SyncedAt))
		if errors.Is(err, loyalty.ErrDuplicateKey) { // another process claimed the Sitoo id meanwhile
			return fmt.Errorf("%w: %s sitoo %d", ErrMappingConflict, m.Kind, m.SitooID)
		}
		return err
	})
	if err != nil && !errors.Is(err, ErrMappingConflict) {
		return fmt.Errorf("woosync: put mapping: %w", err)
	}
	return err
}

const mappingColumns = `kind, woo_id, sitoo_id, mkey, woo_parent, sitoo_parent, synced_at`

func scanMapping(sc interface{ Scan(...any) error }) (Mapping, error) {
	var m Mapping
	var kind string
	var synced int64
	err := sc.Scan(&kind, &m.WooID, &m.SitooID, &m.Key, &m.WooParentID, &m.SitooParentID, &synced)
	m.Kind, m.SyncedAt = Kind(kind), fromMicros(synced)
	return m, err
}

func (s *SQLStore) mappingWhere(ctx context.Context, kind Kind, what, query string, arg any) (Mapping, error) {
	if err := validKind(kind); err != nil {
		return Mapping{}, err
	}
	var m Mapping
	err := s.db.Read(ctx, func(tx sqlstore.Tx) error {
		var err error
		m, err = scanMapping(tx.QueryRow(ctx, `SELECT `+mappingColumns+` FROM woosync_mappings WHERE kind = $1 AND `+query, string(kind), arg))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return Mapping{}, fmt.Errorf("%w: %s %s %v", ErrNoMapping, kind, what, arg)
	}
	if err != nil {
		return Mapping{}, fmt.Errorf("woosync: read mapping: %w", err)
	}
	return m, nil
}

// MappingByWoo implements Store.
func (s *SQLStore) MappingByWoo(ctx context.Context, kind Kind, wooID int64) (Mapping, error) {
	return s.mappingWhere(ctx, kind, "woo", `woo_id = $2`, wooID)
}

// MappingBySitoo implements Store.
func (s *SQLStore) MappingBySitoo(ctx context.Context, kind Kind, sitooID int64) (Mapping, error) {
	return s.mappingWhere(ctx, kind, "sitoo", `sitoo_id = $2`, sitooID)
}

// MappingByKey implements Store.
func (s *SQLStore) MappingByKey(ctx context.Context, kind Kind, key string) (Mapping, error) {
	if key == "" {
		return Mapping{}, fmt.Errorf("%w: %s key %q", ErrNoMapping, kind, key)
	}
	return s.mappingWhere(ctx, kind, "key", `mkey = $2 ORDER BY woo_id LIMIT 1`, key)
}

// mappingPage is how many mappings Mappings reads per query.
const mappingPage = 500

// Mappings implements Store. It reads mappingPage rows per query, after the last WooID seen.
func (s *SQLStore) Mappings(ctx context.Context, kind Kind) iter.Seq2[Mapping, error] {
	return func(yield func(Mapping, error) bool) {
		if err := validKind(kind); err != nil {
			yield(Mapping{}, err)
			return
		}
		after := int64(-1 << 63)
		for {
			var page []Mapping
			err := s.db.Read(ctx, func(tx sqlstore.Tx) error {
				rows, err := tx.Query(ctx, `SELECT `+mappingColumns+` FROM woosync_mappings WHERE kind = $1 AND woo_id > $2 ORDER BY woo_id LIMIT $3`,
					string(kind), after, mappingPage)
				if err != nil {
					return err
				}
				defer rows.Close()
				for rows.Next() {
					m, err := scanMapping(rows)
					if err != nil {
						return err
					}
					page = append(page, m)
				}
				return rows.Err()
			})
			if err != nil {
				yield(Mapping{}, fmt.Errorf("woosync: list mappings: %w", err))
				return
			}
			for _, m := range page {
				if !yield(m, nil) {
					return
				}
			}
			if len(page) < mappingPage {
				return
			}
			after = page[len(page)-1].WooID
		}
	}
}

// CountMappings implements Store.
func (s *SQLStore) CountMappings(ctx context.Context, kind Kind) (int, error) {
	if err := validKind(kind); err != nil {
		return 0, err
	}
	var n int
	err := s.db.Read(ctx, func(tx sqlstore.Tx) error {
		return tx.QueryRow(ctx, `SELECT COUNT(*) FROM woosync_mappings WHERE kind = $1`, string(kind)).Scan(&n)
	})
	if err != nil {
		return 0, fmt.Errorf("woosync: count mappings: %w", err)
	}
	return n, nil
}

// DeleteMapping implements Store.
func (s *SQLStore) DeleteMapping(ctx context.Context, kind Kind, wooID int64) error {
	if err := validKind(kind); err != nil {
		return err
	}
	return s.exec(ctx, "delete mapping", `DELETE FROM woosync_mappings WHERE kind = $1 AND woo_id = $2`, string(kind), wooID)
}

// ClearMappings implements Store.
func (s *SQLStore) ClearMappings(ctx context.Context) error {
	return s.exec(ctx, "clear mappings", `DELETE FROM woosync_mappings`)
}

// Timestamp implements Store.
func (s *SQLStore) Timestamp(ctx context.Context, name string) (time.Time, error) {
	var at int64
	err := s.db.Read(ctx, func(tx sqlstore.Tx) error {
		return tx.QueryRow(ctx, `SELECT at FROM woosync_timestamps WHERE name = $1`, name).Scan(&at)
	})
	if errors.Is(err, sql.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("woosync: read timestamp %s: %w", name, err)
	}
	return fromMicros(at), nil
}

// SetTimestamp implements Store.
func (s *SQLStore) SetTimestamp(ctx context.Context, name string, t time.Time) error {
	return s.exec(ctx, "set timestamp", `INSERT INTO woosync_timestamps (name, at) VALUES ($1, $2)
ON CONFLICT (name) DO UPDATE SET at = excluded.at`, name, micros(t))
}

// ResetTimestamps implements Store.
func (s *SQLStore) ResetTimestamps(ctx context.Context) error {
	return s.exec(ctx, "reset timestamps", `DELETE FROM woosync_timestamps`)
}

// AddRun implements Store. Ids come from the highest one plus one, in the writing transaction.
func (s *SQLStore) AddRun(ctx context.Context, r Run) (int64, error) {
	errs, err := json.Marshal(append([]string{}, r.Errors...))
	if err != nil {
		return 0, err
	}
	var id int64
	err = s.write(ctx, func(tx sqlstore.Tx) error {
		if err := tx.QueryRow(ctx, `SELECT COALESCE(MAX(id), 0) + 1 FROM woosync_runs`).Scan(&id); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO woosync_runs (id, operation, started, finished, done, skipped, failed, errors, err)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, id, r.Operation, micros(r.Started), micros(r.Finished), r.Done, r.Skipped, r.Failed, string(errs), r.Err)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("woosync: add run: %w", err)
	}
	return id, nil
}

// Runs implements Store.
func (s *SQLStore) Runs(ctx context.Context, limit int) ([]Run, error) {
	var out []Run
	err := s.db.Read(ctx, func(tx sqlstore.Tx) error {
		q := `SELECT id, operation, started, finished, done, skipped, failed, errors, err FROM woosync_runs ORDER BY id DESC`
		var args []any
		if limit > 0 {
			q, args = q+` LIMIT $1`, []any{limit}
		}
		rows, err := tx.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var r Run
			var started, finished int64
			var errs string
			if err := rows.Scan(&r.ID, &r.Operation, &started, &finished, &r.Done, &r.Skipped, &r.Failed, &errs, &r.Err); err != nil {
				return err
			}
			r.Started, r.Finished = fromMicros(started), fromMicros(finished)
			if err := json.Unmarshal([]byte(errs), &r.Errors); err != nil {
				return err
			}
			if len(r.Errors) == 0 {
				r.Errors = nil
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("woosync: read runs: %w", err)
	}
	return out, nil
}
