package wooconnect

import (
	"context"
	"database/sql"
	"embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/internal/adapter"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
)

// sqlMigrations are the connection store's tables, applied by the loyalty store's migrator as
// the component "wooconnect". The SQL is portable, so both dialects read the same files.
//
//go:embed migrations/*.sql
var sqlMigrationFiles embed.FS

// SQLMigrations is the connection store's migration set; NewSQLConnectionStore applies it.
var SQLMigrations = sqlstore.Migrations{Component: "wooconnect", FS: sqlMigrationFiles, Dir: "migrations"}

// SQLConnectionStore is a ConnectionStore in the database of a SQL loyalty store
// (loyalty/sqlstore/sqlite or loyalty/sqlstore/postgres), in its own tables
// (wooconnect_connections, wooconnect_email_optouts): it writes through the loyalty store's
// writer (on SQLite, in the same group commits as the ledger) and its schema is migrated by the
// loyalty store's migrator, recorded as the component "wooconnect".
type SQLConnectionStore struct {
	db    sqlstore.Shared
	clock loyalty.Clock
}

// StoreOption configures a SQLConnectionStore.
type StoreOption func(*SQLConnectionStore) error

// WithStoreClock sets the clock that stamps the rows the store writes on its own (email
// opt-outs); default: the system clock. (The times of connections come from the Connector's
// clock, WithClock.)
func WithStoreClock(c loyalty.Clock) StoreOption {
	return func(s *SQLConnectionStore) error {
		if c == nil {
			return errors.New("wooconnect: WithStoreClock: nil clock")
		}
		s.clock = c
		return nil
	}
}

// NewSQLConnectionStore applies the connection store's migrations to the database of the
// loyalty store db (a *sqlite.Store or *postgres.Store) and returns the connection store. It
// uses db until db is closed. Nil options are ignored.
func NewSQLConnectionStore(ctx context.Context, db sqlstore.Shared, opts ...StoreOption) (*SQLConnectionStore, error) {
	if db == nil {
		return nil, errors.New("wooconnect: NewSQLConnectionStore: nil store")
	}
	s := &SQLConnectionStore{db: db, clock: adapter.SystemClock{}}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(s); err != nil {
			return nil, err
		}
	}
	if err := db.Migrate(ctx, SQLMigrations); err != nil {
		return nil, fmt.Errorf("wooconnect: migrate connection store: %w", err)
	}
	return s, nil
}

const connectionColumns = `id, program_id, store_url, credentials, webhook_id, manual_reason, paused, disconnected,
	connected_at, processing_since, last_delivery_at, updated_at, reconciled_through`

func scanConnection(row adapter.RowScanner) (ConnectionRecord, error) {
	var (
		r                                  ConnectionRecord
		creds                              sql.NullString
		paused, disconnected               int
		connected, since, delivery, update int64
		reconciled                         int64
	)
	err := row.Scan(&r.ID, &r.ProgramID, &r.StoreURL, &creds, &r.WebhookID, &r.ManualReason, &paused, &disconnected,
		&connected, &since, &delivery, &update, &reconciled)
	if err != nil {
		return ConnectionRecord{}, err
	}
	if creds.Valid && creds.String != "" {
		if r.Credentials, err = base64.StdEncoding.DecodeString(creds.String); err != nil {
			return ConnectionRecord{}, fmt.Errorf("connection %q: credentials column: %w", r.ID, err)
		}
	}
	r.Paused, r.Disconnected = paused != 0, disconnected != 0
	r.ConnectedAt, r.ProcessingSince = adapter.FromMicros(connected), adapter.FromMicros(since)
	r.LastDeliveryAt, r.UpdatedAt = adapter.FromMicros(delivery), adapter.FromMicros(update)
	r.ReconciledThrough = adapter.FromMicros(reconciled)
	return r, nil
}

func sealedColumn(b []byte) sql.NullString {
	if len(b) == 0 {
		return sql.NullString{}
	}
	return sql.NullString{String: base64.StdEncoding.EncodeToString(b), Valid: true}
}

// one reads the connection that q selects.
func (s *SQLConnectionStore) one(ctx context.Context, what, q string, args ...any) (ConnectionRecord, error) {
	var r ConnectionRecord
	err := s.db.Read(ctx, func(tx sqlstore.Tx) (err error) {
		r, err = scanConnection(tx.QueryRow(ctx, q, args...))
		return err
	})
	if errors.Is(err, sql.ErrNoRows) {
		return ConnectionRecord{}, fmt.Errorf("%w: %s", ErrConnectionNotFound, what)
	}
	if err != nil {
		return ConnectionRecord{}, fmt.Errorf("wooconnect: read connection %s: %w", what, err)
	}
	return r, nil
}

const (
	connectionByID    = `SELECT ` + connectionColumns + ` FROM wooconnect_connections WHERE id = $1`
	connectionByStore = `SELECT ` + connectionColumns + ` FROM wooconnect_connections WHERE program_id = $1 AND store_url = $2`
	allConnections    = `SELECT ` + connectionColumns + ` FROM wooconnect_connections ORDER BY connected_at, id`
	programConnection = `SELECT ` + connectionColumns + ` FROM wooconnect_connections WHERE program_id = $1
		ORDER BY connected_at, id`
	insertConnection = `INSERT INTO wooconnect_connections (` + connectionColumns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`
	updateConnection = `UPDATE wooconnect_connections SET program_id = $1, store_url = $2, credentials = $3,
		webhook_id = $4, manual_reason = $5, paused = $6, disconnected = $7, connected_at = $8, processing_since = $9,
		updated_at = $10 WHERE id = $11`
	touchConnection = `UPDATE wooconnect_connections SET last_delivery_at = $1 WHERE id = $2 AND last_delivery_at < $3`
	markReconciled  = `UPDATE wooconnect_connections SET reconciled_through = $1 WHERE id = $2 AND reconciled_through < $3`
	insertOptOut    = `INSERT INTO wooconnect_email_optouts (program_id, member_id, created_at) VALUES ($1, $2, $3)
		ON CONFLICT (program_id, member_id) DO NOTHING`
	deleteOptOut = `DELETE FROM wooconnect_email_optouts WHERE program_id = $1 AND member_id = $2`
	countOptOut  = `SELECT count(*) FROM wooconnect_email_optouts WHERE program_id = $1 AND member_id = $2`
)

// Connection implements ConnectionStore.
func (s *SQLConnectionStore) Connection(ctx context.Context, id string) (ConnectionRecord, error) {
	return s.one(ctx, strconv.Quote(id), connectionByID, id)
}

// ConnectionByStore implements ConnectionStore.
func (s *SQLConnectionStore) ConnectionByStore(ctx context.Context, programID, storeURL string) (ConnectionRecord, error) {
	return s.one(ctx, fmt.Sprintf("program %q, store %s", programID, storeURL), connectionByStore, programID, storeURL)
}

// Connections implements ConnectionStore.
func (s *SQLConnectionStore) Connections(ctx context.Context, programID string) ([]ConnectionRecord, error) {
	q, args := allConnections, []any(nil)
	if programID != "" {
		q, args = programConnection, []any{programID}
	}
	var out []ConnectionRecord
	err := s.db.Read(ctx, func(tx sqlstore.Tx) error {
		rows, err := tx.Query(ctx, q, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanConnection(rows)
			if err != nil {
				return err
			}
			out = append(out, r)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, fmt.Errorf("wooconnect: list connections: %w", err)
	}
	return out, nil
}

// CreateConnection implements ConnectionStore.
func (s *SQLConnectionStore) CreateConnection(ctx context.Context, r ConnectionRecord) error {
	err := s.db.Write(ctx, func(tx sqlstore.Tx) error {
		_, err := tx.Exec(ctx, insertConnection,
			r.ID, r.ProgramID, r.StoreURL, sealedColumn(r.Credentials), r.WebhookID, r.ManualReason, adapter.BoolInt(r.Paused),
			adapter.BoolInt(r.Disconnected), adapter.Micros(r.ConnectedAt), adapter.Micros(r.ProcessingSince), adapter.Micros(r.LastDeliveryAt), adapter.Micros(r.UpdatedAt),
			adapter.Micros(r.ReconciledThrough))
		return err
	})
	switch {
	case errors.Is(err, loyalty.ErrDuplicateKey):
		return fmt.Errorf("%w: program %q, store %s", ErrConnectionExists, r.ProgramID, r.StoreURL)
	case err != nil:
		return fmt.Errorf("wooconnect: create connection: %w", err)
	}
	return nil
}

// UpdateConnection implements ConnectionStore.
func (s *SQLConnectionStore) UpdateConnection(ctx context.Context, r ConnectionRecord) error {
	var n int64
	err := s.db.Write(ctx, func(tx sqlstore.Tx) error {
		res, err := tx.Exec(ctx, updateConnection,
			r.ProgramID, r.StoreURL, sealedColumn(r.Credentials), r.WebhookID, r.ManualReason, adapter.BoolInt(r.Paused),
			adapter.BoolInt(r.Disconnected), adapter.Micros(r.ConnectedAt), adapter.Micros(r.ProcessingSince), adapter.Micros(r.UpdatedAt), r.ID)
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	switch {
	case errors.Is(err, loyalty.ErrDuplicateKey):
		return fmt.Errorf("%w: program %q, store %s", ErrConnectionExists, r.ProgramID, r.StoreURL)
	case err != nil:
		return fmt.Errorf("wooconnect: update connection %q: %w", r.ID, err)
	case n == 0:
		return fmt.Errorf("%w: %q", ErrConnectionNotFound, r.ID)
	}
	return nil
}

// RecordDelivery implements ConnectionStore.
func (s *SQLConnectionStore) RecordDelivery(ctx context.Context, id string, at time.Time) error {
	return s.moveForward(ctx, "record delivery", touchConnection, id, at)
}

// RecordReconciled implements ConnectionStore.
func (s *SQLConnectionStore) RecordReconciled(ctx context.Context, id string, through time.Time) error {
	return s.moveForward(ctx, "record reconciled point", markReconciled, id, through)
}

// moveForward sets a time column of a connection unless it is later already.
func (s *SQLConnectionStore) moveForward(ctx context.Context, what, stmt, id string, at time.Time) error {
	var n int64
	err := s.db.Write(ctx, func(tx sqlstore.Tx) error {
		res, err := tx.Exec(ctx, stmt, adapter.Micros(at), id, adapter.Micros(at))
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("wooconnect: %s on %q: %w", what, id, err)
	}
	if n == 0 {
		if _, err := s.Connection(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// SetEmailOptOut implements ConnectionStore.
func (s *SQLConnectionStore) SetEmailOptOut(ctx context.Context, programID, memberID string, optOut bool) error {
	err := s.db.Write(ctx, func(tx sqlstore.Tx) error {
		if optOut {
			_, err := tx.Exec(ctx, insertOptOut, programID, memberID, s.clock.Now().UnixMicro())
			return err
		}
		_, err := tx.Exec(ctx, deleteOptOut, programID, memberID)
		return err
	})
	if err != nil {
		return fmt.Errorf("wooconnect: set email opt-out: %w", err)
	}
	return nil
}

// EmailOptOut implements ConnectionStore.
func (s *SQLConnectionStore) EmailOptOut(ctx context.Context, programID, memberID string) (bool, error) {
	var out bool
	err := s.db.Read(ctx, func(tx sqlstore.Tx) error {
		var err error
		out, err = emailOptOutIn(ctx, tx, programID, memberID)
		return err
	})
	if err != nil {
		return false, fmt.Errorf("wooconnect: read email opt-out: %w", err)
	}
	return out, nil
}

// emailOptOutIn reads in tx whether the member switched emails off.
func emailOptOutIn(ctx context.Context, tx sqlstore.Tx, programID, memberID string) (bool, error) {
	var n int
	if err := tx.QueryRow(ctx, countOptOut, programID, memberID).Scan(&n); err != nil {
		return false, err
	}
	return n > 0, nil
}
