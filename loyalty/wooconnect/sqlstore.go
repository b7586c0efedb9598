package wooconnect

import (
	"context"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// SQLDialect names the SQL flavour of a database.
type SQLDialect string

// Supported dialects.
const (
	// SQLite, e.g. through modernc.org/sqlite.
	SQLite SQLDialect = "sqlite"
	// PostgreSQL, e.g. through github.com/jackc/pgx/v5/stdlib.
	PostgreSQL SQLDialect = "postgres"
)

// sqlSchemaVersion is the schema version this code writes.
const sqlSchemaVersion = 1

// migrations[i] brings the schema from version i to i+1. Only portable SQL: TEXT, BIGINT and
// INTEGER columns, times as Unix microseconds, sealed credentials as base64 text.
var migrations = [...][]string{
	{
		`CREATE TABLE IF NOT EXISTS wooconnect_connections (
			id               TEXT PRIMARY KEY,
			program_id       TEXT NOT NULL,
			store_url        TEXT NOT NULL,
			credentials      TEXT,
			webhook_id       BIGINT NOT NULL DEFAULT 0,
			manual_reason    TEXT NOT NULL DEFAULT '',
			paused           INTEGER NOT NULL DEFAULT 0,
			disconnected     INTEGER NOT NULL DEFAULT 0,
			connected_at     BIGINT NOT NULL,
			processing_since BIGINT NOT NULL,
			last_delivery_at BIGINT NOT NULL DEFAULT 0,
			updated_at       BIGINT NOT NULL,
			UNIQUE (program_id, store_url)
		)`,
		`CREATE TABLE IF NOT EXISTS wooconnect_email_optouts (
			program_id TEXT NOT NULL,
			member_id  TEXT NOT NULL,
			created_at BIGINT NOT NULL,
			PRIMARY KEY (program_id, member_id)
		)`,
	},
}

// SQLConnectionStore is a ConnectionStore in a SQLite or PostgreSQL database, in its own tables
// (wooconnect_connections, wooconnect_email_optouts, and wooconnect_schema for the schema
// version). It may share the database of the loyalty store.
type SQLConnectionStore struct {
	db      *sql.DB
	dialect SQLDialect
	// Statements of the webhook hot path, prepared once.
	byID, touch *sql.Stmt
}

// OpenSQLConnectionStore creates or upgrades the tables in db and returns the store. dialect may
// be empty to detect it from the driver (modernc.org/sqlite, mattn/go-sqlite3, pgx, lib/pq).
// The caller keeps ownership of db; Close releases the store's prepared statements.
func OpenSQLConnectionStore(ctx context.Context, db *sql.DB, dialect SQLDialect) (*SQLConnectionStore, error) {
	if db == nil {
		return nil, errors.New("wooconnect: OpenSQLConnectionStore: nil *sql.DB")
	}
	if dialect == "" {
		dialect = detectDialect(db)
	}
	if dialect != SQLite && dialect != PostgreSQL {
		return nil, fmt.Errorf("wooconnect: unsupported SQL dialect %q (driver %T): pass SQLite or PostgreSQL", dialect, db.Driver())
	}
	s := &SQLConnectionStore{db: db, dialect: dialect}
	if err := s.migrate(ctx); err != nil {
		return nil, fmt.Errorf("wooconnect: migrate connection store: %w", err)
	}
	var err error
	if s.byID, err = db.PrepareContext(ctx, s.q(`SELECT `+connectionColumns+` FROM wooconnect_connections WHERE id = ?`)); err != nil {
		return nil, fmt.Errorf("wooconnect: prepare: %w", err)
	}
	if s.touch, err = db.PrepareContext(ctx, s.q(`UPDATE wooconnect_connections SET last_delivery_at = ?
		WHERE id = ? AND last_delivery_at < ?`)); err != nil {
		return nil, fmt.Errorf("wooconnect: prepare: %w", err)
	}
	return s, nil
}

func detectDialect(db *sql.DB) SQLDialect {
	name := strings.ToLower(fmt.Sprintf("%T", db.Driver()))
	switch {
	case strings.Contains(name, "sqlite"):
		return SQLite
	case strings.Contains(name, "pgx"), strings.Contains(name, "stdlib"), strings.Contains(name, "pq."):
		return PostgreSQL
	}
	return SQLDialect(name)
}

// q rewrites ? placeholders as $1, $2... for PostgreSQL.
func (s *SQLConnectionStore) q(query string) string {
	if s.dialect != PostgreSQL {
		return query
	}
	var b strings.Builder
	n := 0
	for _, c := range query {
		if c == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

func (s *SQLConnectionStore) migrate(ctx context.Context) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if s.dialect == PostgreSQL {
		// Several processes may open the store at once.
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7301955512)`); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS wooconnect_schema (version INTEGER NOT NULL)`); err != nil {
		return err
	}
	var version sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MAX(version) FROM wooconnect_schema`).Scan(&version); err != nil {
		return err
	}
	v := int(version.Int64)
	if v > sqlSchemaVersion {
		return fmt.Errorf("schema version %d is newer than this code (%d): upgrade the library", v, sqlSchemaVersion)
	}
	for ; v < sqlSchemaVersion; v++ {
		for _, stmt := range migrations[v] {
			if _, err := tx.ExecContext(ctx, stmt); err != nil {
				return fmt.Errorf("to version %d: %w", v+1, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM wooconnect_schema`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO wooconnect_schema (version) VALUES (?)`), sqlSchemaVersion); err != nil {
		return err
	}
	return tx.Commit()
}

const connectionColumns = `id, program_id, store_url, credentials, webhook_id, manual_reason, paused, disconnected,
	connected_at, processing_since, last_delivery_at, updated_at`

func micros(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMicro()
}

func fromMicros(v int64) time.Time {
	if v == 0 {
		return time.Time{}
	}
	return time.UnixMicro(v).UTC()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

type rowScanner interface{ Scan(dest ...any) error }

func scanConnection(row rowScanner) (ConnectionRecord, error) {
	var (
		r                                  ConnectionRecord
		creds                              sql.NullString
		paused, disconnected               int
		connected, since, delivery, update int64
	)
	err := row.Scan(&r.ID, &r.ProgramID, &r.StoreURL, &creds, &r.WebhookID, &r.ManualReason, &paused, &disconnected,
		&connected, &since, &delivery, &update)
	if err != nil {
		return ConnectionRecord{}, err
	}
	if creds.Valid && creds.String != "" {
		if r.Credentials, err = base64.StdEncoding.DecodeString(creds.String); err != nil {
			return ConnectionRecord{}, fmt.Errorf("connection %q: credentials column: %w", r.ID, err)
		}
	}
	r.Paused, r.Disconnected = paused != 0, disconnected != 0
	r.ConnectedAt, r.ProcessingSince = fromMicros(connected), fromMicros(since)
	r.LastDeliveryAt, r.UpdatedAt = fromMicros(delivery), fromMicros(update)
	return r, nil
}

func sealedColumn(b []byte) sql.NullString {
	if len(b) == 0 {
		return sql.NullString{}
	}
	return sql.NullString{String: base64.StdEncoding.EncodeToString(b), Valid: true}
}

func (s *SQLConnectionStore) one(ctx context.Context, what string, row *sql.Row) (ConnectionRecord, error) {
	r, err := scanConnection(row)
	if errors.Is(err, sql.ErrNoRows) {
		return ConnectionRecord{}, fmt.Errorf("%w: %s", ErrConnectionNotFound, what)
	}
	if err != nil {
		return ConnectionRecord{}, fmt.Errorf("wooconnect: read connection %s: %w", what, err)
	}
	return r, nil
}

// Connection implements ConnectionStore.
func (s *SQLConnectionStore) Connection(ctx context.Context, id string) (ConnectionRecord, error) {
	return s.one(ctx, strconv.Quote(id), s.byID.QueryRowContext(ctx, id))
}

// ConnectionByStore implements ConnectionStore.
func (s *SQLConnectionStore) ConnectionByStore(ctx context.Context, programID, storeURL string) (ConnectionRecord, error) {
	row := s.db.QueryRowContext(ctx, s.q(`SELECT `+connectionColumns+` FROM wooconnect_connections
		WHERE program_id = ? AND store_url = ?`), programID, storeURL)
	return s.one(ctx, fmt.Sprintf("program %q, store %s", programID, storeURL), row)
}

// Connections implements ConnectionStore.
func (s *SQLConnectionStore) Connections(ctx context.Context, programID string) ([]ConnectionRecord, error) {
	query := `SELECT ` + connectionColumns + ` FROM wooconnect_connections`
	var args []any
	if programID != "" {
		query += ` WHERE program_id = ?`
		args = append(args, programID)
	}
	rows, err := s.db.QueryContext(ctx, s.q(query+` ORDER BY connected_at, id`), args...)
	if err != nil {
		return nil, fmt.Errorf("wooconnect: list connections: %w", err)
	}
	defer rows.Close()
	var out []ConnectionRecord
	for rows.Next() {
		r, err := scanConnection(rows)
		if err != nil {
			return nil, fmt.Errorf("wooconnect: list connections: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CreateConnection implements ConnectionStore.
func (s *SQLConnectionStore) CreateConnection(ctx context.Context, r ConnectionRecord) error {
	_, err := s.db.ExecContext(ctx, s.q(`INSERT INTO wooconnect_connections (`+connectionColumns+`)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		r.ID, r.ProgramID, r.StoreURL, sealedColumn(r.Credentials), r.WebhookID, r.ManualReason, boolInt(r.Paused),
		boolInt(r.Disconnected), micros(r.ConnectedAt), micros(r.ProcessingSince), micros(r.LastDeliveryAt), micros(r.UpdatedAt))
	if err == nil {
		return nil
	}
	// Portable duplicate detection: look for the row that is in the way.
	var n int
	if qerr := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM wooconnect_connections
		WHERE id = ? OR (program_id = ? AND store_url = ?)`), r.ID, r.ProgramID, r.StoreURL).Scan(&n); qerr == nil && n > 0 {
		return fmt.Errorf("%w: program %q, store %s", ErrConnectionExists, r.ProgramID, r.StoreURL)
	}
	return fmt.Errorf("wooconnect: create connection: %w", err)
}

// UpdateConnection implements ConnectionStore.
func (s *SQLConnectionStore) UpdateConnection(ctx context.Context, r ConnectionRecord) error {
	res, err := s.db.ExecContext(ctx, s.q(`UPDATE wooconnect_connections SET program_id = ?, store_url = ?, credentials = ?,
		webhook_id = ?, manual_reason = ?, paused = ?, disconnected = ?, connected_at = ?, processing_since = ?, updated_at = ?
		WHERE id = ?`),
		r.ProgramID, r.StoreURL, sealedColumn(r.Credentials), r.WebhookID, r.ManualReason, boolInt(r.Paused),
		boolInt(r.Disconnected), micros(r.ConnectedAt), micros(r.ProcessingSince), micros(r.UpdatedAt), r.ID)
	if err != nil {
		return fmt.Errorf("wooconnect: update connection %q: %w", r.ID, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return fmt.Errorf("%w: %q", ErrConnectionNotFound, r.ID)
	}
	return nil
}

// RecordDelivery implements ConnectionStore.
func (s *SQLConnectionStore) RecordDelivery(ctx context.Context, id string, at time.Time) error {
	res, err := s.touch.ExecContext(ctx, micros(at), id, micros(at))
	if err != nil {
		return fmt.Errorf("wooconnect: record delivery on %q: %w", id, err)
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		if _, err := s.Connection(ctx, id); err != nil {
			return err
		}
	}
	return nil
}

// SetEmailOptOut implements ConnectionStore.
func (s *SQLConnectionStore) SetEmailOptOut(ctx context.Context, programID, memberID string, optOut bool) error {
	var err error
	if optOut {
		_, err = s.db.ExecContext(ctx, s.q(`INSERT INTO wooconnect_email_optouts (program_id, member_id, created_at)
			VALUES (?, ?, ?) ON CONFLICT (program_id, member_id) DO NOTHING`), programID, memberID, time.Now().UnixMicro())
	} else {
		_, err = s.db.ExecContext(ctx, s.q(`DELETE FROM wooconnect_email_optouts WHERE program_id = ? AND member_id = ?`),
			programID, memberID)
	}
	if err != nil {
		return fmt.Errorf("wooconnect: set email opt-out: %w", err)
	}
	return nil
}

// EmailOptOut implements ConnectionStore.
func (s *SQLConnectionStore) EmailOptOut(ctx context.Context, programID, memberID string) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM wooconnect_email_optouts WHERE program_id = ? AND member_id = ?`),
		programID, memberID).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("wooconnect: read email opt-out: %w", err)
	}
	return n > 0, nil
}

// Close releases the prepared statements; it does not close the *sql.DB.
func (s *SQLConnectionStore) Close() error {
	return errors.Join(s.byID.Close(), s.touch.Close())
}
