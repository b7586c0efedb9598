package sitooconnect

import (
	"context"
	"database/sql"
	"embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/internal/adapter"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
)

//go:embed migrations/*.sql
var sqlMigrationFiles embed.FS

// SQLMigrations is the connection store's migration set (component "sitooconnect");
// NewSQLConnectionStore applies it. The SQL is portable: both dialects read the same files.
var SQLMigrations = sqlstore.Migrations{Component: "sitooconnect", FS: sqlMigrationFiles, Dir: "migrations"}

// SQLConnectionStore is a ConnectionStore in the database of a SQL loyalty store
// (loyalty/sqlstore/sqlite or loyalty/sqlstore/postgres), in its own sitooconnect_* tables,
// written through the loyalty store's writer and migrated by its migrator.
type SQLConnectionStore struct {
	db sqlstore.Shared
}

// NewSQLConnectionStore applies the migrations to the database of the loyalty store db (a
// *sqlite.Store or *postgres.Store) and returns the connection store.
func NewSQLConnectionStore(ctx context.Context, db sqlstore.Shared) (*SQLConnectionStore, error) {
	if db == nil {
		return nil, errors.New("sitooconnect: NewSQLConnectionStore: nil store")
	}
	if err := db.Migrate(ctx, SQLMigrations); err != nil {
		return nil, fmt.Errorf("sitooconnect: migrate connection store: %w", err)
	}
	return &SQLConnectionStore{db: db}, nil
}

const (
	connectionColumns = `id, program_id, account_id, base_url, credentials, paused, disconnected, watermark,
	connected_at, last_event_at, updated_at, processing_since`
	selectConnection = `SELECT ` + connectionColumns + ` FROM sitooconnect_connections `
	profileColumns   = `program_id, member_id, name_first, name_last, mobile, personal_id, gender, address, accepts,
	consents, updated_at`
	selectProfile = `SELECT ` + profileColumns + ` FROM sitooconnect_profiles `
	checkColumns  = `id, program_id, member_id, redemption_id, points, value, currency, expires_at, redeemed_at, created_at`
	selectCheck   = `SELECT ` + checkColumns + ` FROM sitooconnect_bonus_checks `
)

func scanConnection(row adapter.RowScanner) (ConnectionRecord, error) {
	var (
		r                          ConnectionRecord
		creds                      sql.NullString
		paused, disconnected       int
		connected, event, updateAt int64
		since                      int64
	)
	err := row.Scan(&r.ID, &r.ProgramID, &r.AccountID, &r.BaseURL, &creds, &paused, &disconnected, &r.Watermark,
		&connected, &event, &updateAt, &since)
	if err != nil {
		return r, err
	}
	if creds.Valid && creds.String != "" {
		if r.Credentials, err = base64.StdEncoding.DecodeString(creds.String); err != nil {
			return r, fmt.Errorf("connection %q: credentials column: %w", r.ID, err)
		}
	}
	r.Paused, r.Disconnected = paused != 0, disconnected != 0
	r.ConnectedAt, r.LastEventAt, r.UpdatedAt = adapter.FromMicros(connected), adapter.FromMicros(event), adapter.FromMicros(updateAt)
	r.ProcessingSince = adapter.FromMicros(since)
	return r, nil
}

func sealedColumn(b []byte) sql.NullString {
	if len(b) == 0 {
		return sql.NullString{}
	}
	return sql.NullString{String: base64.StdEncoding.EncodeToString(b), Valid: true}
}

// read runs fn in a read transaction and maps sql.ErrNoRows to notFound.
func (s *SQLConnectionStore) read(ctx context.Context, what string, notFound error, fn func(tx sqlstore.Tx) error) error {
	err := s.db.Read(ctx, fn)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%w: %s", notFound, what)
	}
	if err != nil {
		return fmt.Errorf("sitooconnect: read %s: %w", what, err)
	}
	return nil
}

func (s *SQLConnectionStore) write(ctx context.Context, what string, fn func(tx sqlstore.Tx) error) error {
	if err := s.db.Write(ctx, fn); err != nil {
		return fmt.Errorf("sitooconnect: %s: %w", what, err)
	}
	return nil
}

// exec runs one statement and returns the rows it changed.
func (s *SQLConnectionStore) exec(ctx context.Context, what, q string, args ...any) (int64, error) {
	var n int64
	err := s.write(ctx, what, func(tx sqlstore.Tx) error {
		res, err := tx.Exec(ctx, q, args...)
		if err == nil {
			n, err = res.RowsAffected()
		}
		return err
	})
	return n, err
}

func (s *SQLConnectionStore) oneConnection(ctx context.Context, what, q string, args ...any) (ConnectionRecord, error) {
	var r ConnectionRecord
	err := s.read(ctx, "connection "+what, ErrConnectionNotFound, func(tx sqlstore.Tx) (err error) {
		r, err = scanConnection(tx.QueryRow(ctx, q, args...))
		return err
	})
	return r, err
}

// Connection implements ConnectionStore.
func (s *SQLConnectionStore) Connection(ctx context.Context, id string) (ConnectionRecord, error) {
	return s.oneConnection(ctx, fmt.Sprintf("%q", id), selectConnection+`WHERE id = $1`, id)
}

// ConnectionByAccount implements ConnectionStore.
func (s *SQLConnectionStore) ConnectionByAccount(ctx context.Context, programID string, accountID int64) (ConnectionRecord, error) {
	return s.oneConnection(ctx, fmt.Sprintf("program %q, account %d", programID, accountID),
		selectConnection+`WHERE program_id = $1 AND account_id = $2`, programID, accountID)
}

// Connections implements ConnectionStore.
func (s *SQLConnectionStore) Connections(ctx context.Context, programID string) ([]ConnectionRecord, error) {
	q, args := selectConnection+`ORDER BY connected_at, id`, []any(nil)
	if programID != "" {
		q, args = selectConnection+`WHERE program_id = $1 ORDER BY connected_at, id`, []any{programID}
	}
	var out []ConnectionRecord
	err := s.read(ctx, "connections", ErrConnectionNotFound, func(tx sqlstore.Tx) error {
		out = nil
		return queryAll(ctx, tx, q, args, func(r adapter.RowScanner) error {
			c, err := scanConnection(r)
			out = append(out, c)
			return err
		})
	})
	return out, err
}

func queryAll(ctx context.Context, tx sqlstore.Tx, q string, args []any, fn func(adapter.RowScanner) error) error {
	rows, err := tx.Query(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CreateConnection implements ConnectionStore.
func (s *SQLConnectionStore) CreateConnection(ctx context.Context, r ConnectionRecord) error {
	_, err := s.exec(ctx, "create connection", `INSERT INTO sitooconnect_connections (`+connectionColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		r.ID, r.ProgramID, r.AccountID, r.BaseURL, sealedColumn(r.Credentials), adapter.BoolInt(r.Paused), adapter.BoolInt(r.Disconnected),
		r.Watermark, adapter.Micros(r.ConnectedAt), adapter.Micros(r.LastEventAt), adapter.Micros(r.UpdatedAt), adapter.Micros(r.ProcessingSince))
	if errors.Is(err, loyalty.ErrDuplicateKey) {
		return fmt.Errorf("%w: program %q, account %d", ErrConnectionExists, r.ProgramID, r.AccountID)
	}
	return err
}

// UpdateConnection implements ConnectionStore.
func (s *SQLConnectionStore) UpdateConnection(ctx context.Context, r ConnectionRecord) error {
	n, err := s.exec(ctx, "update connection", `UPDATE sitooconnect_connections SET program_id = $1, account_id = $2,
		base_url = $3, credentials = $4, paused = $5, disconnected = $6, connected_at = $7, updated_at = $8,
		processing_since = $9 WHERE id = $10`,
		r.ProgramID, r.AccountID, r.BaseURL, sealedColumn(r.Credentials), adapter.BoolInt(r.Paused), adapter.BoolInt(r.Disconnected),
		adapter.Micros(r.ConnectedAt), adapter.Micros(r.UpdatedAt), adapter.Micros(r.ProcessingSince), r.ID)
	if err == nil && n == 0 {
		return fmt.Errorf("%w: %q", ErrConnectionNotFound, r.ID)
	}
	return err
}

// moveForward raises a connection's column to v unless it is higher already.
func (s *SQLConnectionStore) moveForward(ctx context.Context, column, id string, v int64) error {
	n, err := s.exec(ctx, "update "+column, `UPDATE sitooconnect_connections SET `+column+` = $1 WHERE id = $2 AND `+
		column+` < $3`, v, id, v)
	if err == nil && n == 0 {
		_, err = s.Connection(ctx, id)
	}
	return err
}

// RecordEvent implements ConnectionStore.
func (s *SQLConnectionStore) RecordEvent(ctx context.Context, id string, at time.Time) error {
	return s.moveForward(ctx, "last_event_at", id, adapter.Micros(at))
}

// SetWatermark implements ConnectionStore.
func (s *SQLConnectionStore) SetWatermark(ctx context.Context, id string, orderID int64) error {
	return s.moveForward(ctx, "watermark", id, orderID)
}

func scanProfile(r adapter.RowScanner) (Profile, error) {
	var (
		p                          Profile
		address, accepts, consents string
		updated                    int64
	)
	err := r.Scan(&p.ProgramID, &p.MemberID, &p.NameFirst, &p.NameLast, &p.Mobile, &p.PersonalID, &p.Gender,
		&address, &accepts, &consents, &updated)
	if err != nil {
		return p, err
	}
	p.UpdatedAt = adapter.FromMicros(updated)
	for _, c := range []struct {
		text string
		dst  any
	}{{address, &p.Address}, {accepts, &p.AcceptsCommunication}, {consents, &p.Consents}} {
		if err := json.Unmarshal([]byte(c.text), c.dst); err != nil {
			return p, fmt.Errorf("profile %q: %w", p.MemberID, err)
		}
	}
	return p, nil
}

func (s *SQLConnectionStore) oneProfile(ctx context.Context, where string, args ...any) (Profile, error) {
	var p Profile
	err := s.read(ctx, "profile", ErrProfileNotFound, func(tx sqlstore.Tx) (err error) {
		p, err = scanProfile(tx.QueryRow(ctx, selectProfile+where+` LIMIT 1`, args...))
		return err
	})
	return p, err
}

// Profile implements ConnectionStore.
func (s *SQLConnectionStore) Profile(ctx context.Context, programID, memberID string) (Profile, error) {
	return s.oneProfile(ctx, `WHERE program_id = $1 AND member_id = $2`, programID, memberID)
}

// ProfileByMobile implements ConnectionStore.
func (s *SQLConnectionStore) ProfileByMobile(ctx context.Context, programID, mobile string) (Profile, error) {
	if mobile == "" {
		return Profile{}, ErrProfileNotFound
	}
	return s.oneProfile(ctx, `WHERE program_id = $1 AND mobile = $2`, programID, mobile)
}

// ProfileByPersonalID implements ConnectionStore.
func (s *SQLConnectionStore) ProfileByPersonalID(ctx context.Context, programID, personalID string) (Profile, error) {
	if personalID == "" {
		return Profile{}, ErrProfileNotFound
	}
	return s.oneProfile(ctx, `WHERE program_id = $1 AND personal_id = $2`, programID, personalID)
}

func jsonText(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// PutProfile implements ConnectionStore.
func (s *SQLConnectionStore) PutProfile(ctx context.Context, p Profile) error {
	_, err := s.exec(ctx, "put profile", `INSERT INTO sitooconnect_profiles (`+profileColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (program_id, member_id) DO UPDATE SET name_first = excluded.name_first, name_last = excluded.name_last,
		mobile = excluded.mobile, personal_id = excluded.personal_id, gender = excluded.gender, address = excluded.address,
		accepts = excluded.accepts, consents = excluded.consents, updated_at = excluded.updated_at`,
		p.ProgramID, p.MemberID, p.NameFirst, p.NameLast, p.Mobile, p.PersonalID, p.Gender, jsonText(p.Address),
		jsonText(p.AcceptsCommunication), jsonText(p.Consents), adapter.Micros(p.UpdatedAt))
	return err
}

func scanCheck(r adapter.RowScanner) (BonusCheck, error) {
	var (
		b                            BonusCheck
		value                        string
		expires, redeemed, createdAt int64
	)
	err := r.Scan(&b.ID, &b.ProgramID, &b.MemberID, &b.RedemptionID, &b.Points, &value, &b.Currency, &expires, &redeemed,
		&createdAt)
	if err != nil {
		return b, err
	}
	if b.Value, err = decimal.NewFromString(value); err != nil {
		return b, fmt.Errorf("bonus check %q: value: %w", b.ID, err)
	}
	b.ExpiresAt, b.RedeemedAt, b.CreatedAt = adapter.FromMicros(expires), adapter.FromMicros(redeemed), adapter.FromMicros(createdAt)
	return b, nil
}

// PutBonusCheck implements ConnectionStore.
func (s *SQLConnectionStore) PutBonusCheck(ctx context.Context, b BonusCheck) (BonusCheck, error) {
	_, err := s.exec(ctx, "put bonus check", `INSERT INTO sitooconnect_bonus_checks (`+checkColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING`,
		b.ID, b.ProgramID, b.MemberID, b.RedemptionID, b.Points, b.Value.String(), b.Currency, adapter.Micros(b.ExpiresAt),
		adapter.Micros(b.RedeemedAt), adapter.Micros(b.CreatedAt))
	if err != nil {
		return BonusCheck{}, err
	}
	return s.BonusCheck(ctx, b.ID)
}

// BonusCheck implements ConnectionStore.
func (s *SQLConnectionStore) BonusCheck(ctx context.Context, id string) (BonusCheck, error) {
	var b BonusCheck
	err := s.read(ctx, fmt.Sprintf("bonus check %q", id), ErrBonusCheckNotFound, func(tx sqlstore.Tx) (err error) {
		b, err = scanCheck(tx.QueryRow(ctx, selectCheck+`WHERE id = $1`, id))
		return err
	})
	return b, err
}

// BonusChecks implements ConnectionStore.
func (s *SQLConnectionStore) BonusChecks(ctx context.Context, programID, memberID string) ([]BonusCheck, error) {
	var out []BonusCheck
	err := s.read(ctx, "bonus checks", ErrBonusCheckNotFound, func(tx sqlstore.Tx) error {
		out = nil
		return queryAll(ctx, tx, selectCheck+`WHERE program_id = $1 AND member_id = $2 ORDER BY created_at, id`,
			[]any{programID, memberID}, func(r adapter.RowScanner) error {
				b, err := scanCheck(r)
				out = append(out, b)
				return err
			})
	})
	return out, err
}

// SetBonusCheckRedeemed implements ConnectionStore.
func (s *SQLConnectionStore) SetBonusCheckRedeemed(ctx context.Context, id string, from, to time.Time) (bool, error) {
	n, err := s.exec(ctx, "redeem bonus check", `UPDATE sitooconnect_bonus_checks SET redeemed_at = $1
		WHERE id = $2 AND redeemed_at = $3`, adapter.Micros(to), id, adapter.Micros(from))
	if err == nil && n == 0 {
		_, err = s.BonusCheck(ctx, id)
	}
	return n > 0, err
}

// MarkEventSeen implements ConnectionStore.
func (s *SQLConnectionStore) MarkEventSeen(ctx context.Context, connectionID, eventID string, at time.Time) (bool, error) {
	n, err := s.exec(ctx, "mark event seen", `INSERT INTO sitooconnect_seen_events (connection_id, event_id, seen_at)
		VALUES ($1, $2, $3) ON CONFLICT (connection_id, event_id) DO NOTHING`, connectionID, eventID, adapter.Micros(at))
	return n > 0, err
}

// PruneSeenEvents implements ConnectionStore.
func (s *SQLConnectionStore) PruneSeenEvents(ctx context.Context, before time.Time) (int64, error) {
	return s.exec(ctx, "prune seen events", `DELETE FROM sitooconnect_seen_events WHERE seen_at < $1`, adapter.Micros(before))
}

// EventSeen implements ConnectionStore.
func (s *SQLConnectionStore) EventSeen(ctx context.Context, connectionID, eventID string) (bool, error) {
	var n int
	err := s.read(ctx, "seen event", ErrConnectionNotFound, func(tx sqlstore.Tx) error {
		return tx.QueryRow(ctx, `SELECT count(*) FROM sitooconnect_seen_events WHERE connection_id = $1 AND event_id = $2`,
			connectionID, eventID).Scan(&n)
	})
	return n > 0, err
}

// EnqueueOrder implements ConnectionStore.
func (s *SQLConnectionStore) EnqueueOrder(ctx context.Context, p PendingOrder) error {
	_, err := s.exec(ctx, "enqueue order", `INSERT INTO sitooconnect_pending (connection_id, event_id, position, eshop_id,
		order_id, state_changed, attempts, last_error, received_at)
		VALUES ($1, $2, (SELECT coalesce(max(position), 0) + 1 FROM sitooconnect_pending WHERE connection_id = $3),
		$4, $5, $6, $7, $8, $9) ON CONFLICT (connection_id, event_id) DO NOTHING`,
		p.ConnectionID, p.EventID, p.ConnectionID, p.EshopID, p.OrderID, p.StateChanged, p.Attempts, p.LastError,
		adapter.Micros(p.ReceivedAt))
	return err
}

// PendingOrders implements ConnectionStore.
func (s *SQLConnectionStore) PendingOrders(ctx context.Context, connectionID string, limit int) ([]PendingOrder, error) {
	var out []PendingOrder
	err := s.read(ctx, "pending orders", ErrConnectionNotFound, func(tx sqlstore.Tx) error {
		out = nil
		return queryAll(ctx, tx, `SELECT connection_id, event_id, eshop_id, order_id, state_changed, attempts, last_error,
			received_at FROM sitooconnect_pending WHERE connection_id = $1 ORDER BY position, event_id LIMIT $2`,
			[]any{connectionID, limit}, func(r adapter.RowScanner) error {
				var p PendingOrder
				var received int64
				err := r.Scan(&p.ConnectionID, &p.EventID, &p.EshopID, &p.OrderID, &p.StateChanged, &p.Attempts,
					&p.LastError, &received)
				p.ReceivedAt = adapter.FromMicros(received)
				out = append(out, p)
				return err
			})
	})
	return out, err
}

// UpdatePending implements ConnectionStore.
func (s *SQLConnectionStore) UpdatePending(ctx context.Context, p PendingOrder) error {
	_, err := s.exec(ctx, "update pending order", `UPDATE sitooconnect_pending SET attempts = $1, last_error = $2
		WHERE connection_id = $3 AND event_id = $4`, p.Attempts, p.LastError, p.ConnectionID, p.EventID)
	return err
}

// DeletePending implements ConnectionStore.
func (s *SQLConnectionStore) DeletePending(ctx context.Context, connectionID, eventID string) error {
	_, err := s.exec(ctx, "delete pending order", `DELETE FROM sitooconnect_pending WHERE connection_id = $1 AND event_id = $2`,
		connectionID, eventID)
	return err
}
