package postgres

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/internal/sqlcore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Concurrency says how read-write transactions of several engines (or goroutines) touching the
// same rows are kept exact.
type Concurrency string

// Concurrency settings. All three are exact: the Store's guards (UNIQUE keys, compare-and-set
// balances and redemption states) catch what the isolation level lets through, and the engine
// retries on loyalty.ErrConflict. They differ in how often a transaction has to be retried.
const (
	// RowLocks (the default) runs READ COMMITTED transactions that lock the account, order
	// state and redemption rows they read (SELECT ... FOR NO KEY UPDATE): a transaction on a
	// row waits for the one before it instead of failing.
	RowLocks Concurrency = "row-locks"
	// Optimistic runs READ COMMITTED transactions without row locks; a transaction that
	// computed a balance from a row changed under it fails its compare-and-set and is retried.
	Optimistic Concurrency = "optimistic"
	// Serializable runs SERIALIZABLE transactions; serialization failures are retried.
	Serializable Concurrency = "serializable"
)

// ErrSchemaTooNew is returned (wrapped) by Open when the database was migrated by a newer
// version of loyalsync than this one: upgrade the program instead of running old code on it.
var ErrSchemaTooNew = sqlcore.ErrSchemaTooNew

// Option configures Open.
type Option func(*config) error

type config struct {
	maxConns    int
	schema      string
	concurrency Concurrency
	logger      *slog.Logger
}

// WithMaxConns sets the size of the connection pool (default GOMAXPROCS, at least 4).
func WithMaxConns(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("postgres store: WithMaxConns(%d): need at least one", n)
		}
		c.maxConns = n
		return nil
	}
}

// WithSchema keeps the store's tables in the named schema, created when missing, instead of
// the first schema of the connection's search_path.
func WithSchema(name string) Option {
	return func(c *config) error {
		if name == "" {
			return errors.New("postgres store: WithSchema: empty name")
		}
		c.schema = name
		return nil
	}
}

// WithConcurrency sets how concurrent transactions are kept exact (default RowLocks).
func WithConcurrency(cc Concurrency) Option {
	return func(c *config) error {
		switch cc {
		case RowLocks, Optimistic, Serializable:
			c.concurrency = cc
			return nil
		}
		return fmt.Errorf("postgres store: WithConcurrency(%q): unknown", cc)
	}
}

// WithLogger sets the logger that reports applied migrations (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("postgres store: WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}

// Store is a loyalty.Store in a PostgreSQL database. It is safe for concurrent use, and
// several Stores (engine instances on several machines) may share one database.
type Store struct {
	core   *sqlcore.Store
	db     *sql.DB
	iso    sql.IsolationLevel
	schema string
	logger *slog.Logger
}

var (
	_ loyalty.Store   = (*Store)(nil)
	_ sqlstore.Shared = (*Store)(nil)
)

// Open connects to the database named by dsn (a libpq URL or key=value string, as pgx reads it)
// and applies the schema migrations it lacks. Close the Store when done.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	cfg := config{maxConns: max(4, runtime.GOMAXPROCS(0)), concurrency: RowLocks, logger: slog.New(slog.DiscardHandler)}
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	pc, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("postgres store: %w", err)
	}
	if cfg.schema != "" {
		pc.RuntimeParams["search_path"] = pgx.Identifier{cfg.schema}.Sanitize()
	}
	db := stdlib.OpenDB(*pc)
	db.SetMaxOpenConns(cfg.maxConns)
	db.SetMaxIdleConns(cfg.maxConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	s := &Store{db: db, iso: sql.LevelReadCommitted, schema: cfg.schema, logger: cfg.logger}
	if cfg.concurrency == Serializable {
		s.iso = sql.LevelSerializable
	}
	if err := s.migrate(ctx, cfg.logger, ledger); err != nil {
		db.Close()
		return nil, err
	}
	d := dialect
	if cfg.concurrency == RowLocks {
		d = lockingDialect
	}
	s.core = sqlcore.New(backend{s}, d)
	return s, nil
}

// migrationLock is the key of the advisory lock held while migrating.
const migrationLock = 0x6c6f79616c7379 // "loyalsy"

// migrate applies the missing migrations of the sets in one transaction under an advisory
// lock, so that a second instance starting at the same time waits and then finds them applied.
func (s *Store) migrate(ctx context.Context, logger *slog.Logger, sets ...sqlstore.Migrations) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("postgres store: migrate: %w", err)
	}
	if _, err = tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", int64(migrationLock)); err == nil && s.schema != "" {
		_, err = tx.ExecContext(ctx, "CREATE SCHEMA IF NOT EXISTS "+pgx.Identifier{s.schema}.Sanitize())
	}
	if err != nil {
		_ = tx.Rollback()
		return fmt.Errorf("postgres store: migrate: %w", err)
	}
	return sqlcore.Apply(ctx, sqlTx{tx}, migrationTable, sets, logger, "postgres")
}

// ledger is the Store's own migration set.
var ledger = sqlstore.Migrations{Component: sqlstore.LedgerComponent, FS: migrationFiles, Dir: "migrations"}

var migrationTable = sqlcore.MigrationTable{
	Create: "CREATE TABLE IF NOT EXISTS " + sqlcore.MigrationsTable + ` (
	component  text NOT NULL DEFAULT 'loyalty',
	version    bigint NOT NULL,
	name       text NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (component, version)
)`,
	HasComponent: `SELECT count(*) FROM information_schema.columns
	WHERE table_schema = current_schema() AND table_name = '` + sqlcore.MigrationsTable + `' AND column_name = 'component'`,
	Upgrade: []string{
		"ALTER TABLE " + sqlcore.MigrationsTable + " ADD COLUMN component text NOT NULL DEFAULT 'loyalty'",
		// The primary key on version alone, whatever its name.
		`DO $$ DECLARE c text; BEGIN
	SELECT conname INTO c FROM pg_constraint WHERE conrelid = '` + sqlcore.MigrationsTable + `'::regclass AND contype = 'p';
	EXECUTE format('ALTER TABLE ` + sqlcore.MigrationsTable + ` DROP CONSTRAINT %I', c);
END $$`,
		"ALTER TABLE " + sqlcore.MigrationsTable + " ADD PRIMARY KEY (component, version)",
	},
	Insert: "INSERT INTO " + sqlcore.MigrationsTable + " (component, version, name) VALUES ($1, $2, $3)",
}

// Dialect returns sqlstore.PostgreSQL; see sqlstore.Shared.
func (s *Store) Dialect() sqlstore.Dialect { return sqlstore.PostgreSQL }

// Migrate applies the migrations of the sets that the database lacks, in one transaction under
// the advisory lock Open migrates under; see sqlstore.Shared.
func (s *Store) Migrate(ctx context.Context, sets ...sqlstore.Migrations) error {
	for _, m := range sets {
		if err := m.Check(); err != nil {
			return err
		}
	}
	return s.migrate(ctx, s.logger, sets...)
}

// Write runs fn in a read-write transaction at the Store's isolation level (see Concurrency);
// see sqlstore.Shared.
func (s *Store) Write(ctx context.Context, fn func(sqlstore.Tx) error) error {
	return s.core.Write(ctx, fn)
}

// Read runs fn in a REPEATABLE READ, READ ONLY transaction; see sqlstore.Shared.
func (s *Store) Read(ctx context.Context, fn func(sqlstore.Tx) error) error {
	return s.core.Read(ctx, fn)
}

// DB returns the Store's connection pool; see sqlstore.Shared.
func (s *Store) DB() *sql.DB { return s.db }

// Update runs fn in a read-write transaction; see loyalty.Store and Concurrency.
func (s *Store) Update(ctx context.Context, fn func(loyalty.Tx) error) error {
	return s.core.Update(ctx, fn)
}

// View runs fn in a REPEATABLE READ, READ ONLY transaction: one snapshot; see loyalty.Store.
func (s *Store) View(ctx context.Context, fn func(loyalty.ReadTx) error) error {
	return s.core.View(ctx, fn)
}

// Close closes the connection pool.
func (s *Store) Close() error { return s.db.Close() }

type backend struct{ s *Store }

func (b backend) BeginWrite(ctx context.Context) (sqlcore.Txn, error) {
	tx, err := b.s.db.BeginTx(ctx, &sql.TxOptions{Isolation: b.s.iso})
	return sqlTx{tx}, err
}

func (b backend) BeginRead(ctx context.Context) (sqlcore.Txn, error) {
	tx, err := b.s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	return sqlTx{tx}, err
}

// sqlTx adapts *sql.Tx to sqlcore.Txn. pgx prepares and caches every statement per
// connection, so statements are passed as text.
type sqlTx struct{ tx *sql.Tx }

func (t sqlTx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return t.tx.QueryContext(ctx, q, args...)
}

func (t sqlTx) QueryRow(ctx context.Context, q string, args ...any) sqlcore.Row {
	return t.tx.QueryRowContext(ctx, q, args...)
}

func (t sqlTx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return t.tx.ExecContext(ctx, q, args...)
}

func (t sqlTx) Commit(context.Context) error   { return t.tx.Commit() }
func (t sqlTx) Rollback(context.Context) error { return t.tx.Rollback() }

var dialect, lockingDialect = newDialects()

func newDialects() (plain, locking *sqlcore.Dialect) {
	q := sqlcore.CommonQueries()
	q.InsertAccount = sqlcore.Insert("loyalty_account", sqlcore.InsertAccountColumns, false)
	q.InsertRedemption = sqlcore.Insert("loyalty_redemption", sqlcore.InsertRedemptionColumns, false)
	q.InsertActivity = sqlcore.Insert("loyalty_activity", sqlcore.InsertActivityColumns, false)
	q.InsertReceipt = sqlcore.Insert("loyalty_receipt", sqlcore.InsertReceiptColumns, false)
	// One round trip: insert the movement when the balance is still the old one, then set the
	// balance if the insert happened. Under READ COMMITTED the UPDATE re-checks the balance on
	// the newest row version, so a concurrent change shows as (seq, 0).
	q.AppendMovement = `WITH mv AS (
	INSERT INTO loyalty_movement (` + sqlcore.InsertMovementColumns + `)
	SELECT $1::text, $2::text, $3::text, $4::text, $5::bigint, $6::bigint, $7::bigint, $8::text, $9::text,
		$10::text, $11::text, $12::timestamptz, $13::text, $14::text, $15::numeric
	WHERE EXISTS (SELECT 1 FROM loyalty_account WHERE program_id = $1 AND member_id = $2 AND balance = $16::bigint)
	ON CONFLICT DO NOTHING
	RETURNING seq
), acct AS (
	UPDATE loyalty_account SET balance = $7, updated_at = $12
	WHERE program_id = $1 AND member_id = $2 AND balance = $16 AND EXISTS (SELECT 1 FROM mv)
	RETURNING 1
)
SELECT (SELECT seq FROM mv), (SELECT count(*) FROM acct)`
	plain = &sqlcore.Dialect{
		Name:     "postgres",
		Q:        q,
		MapError: mapError,
		TimeArg: func(t time.Time) any {
			if t.IsZero() {
				return nil
			}
			return t
		},
		DecimalArg: func(s string) any { return s },
	}
	lq := *q
	const lock = " FOR NO KEY UPDATE"
	lq.AccountForUpdate += lock
	lq.OrderStateForUpdate += lock
	lq.RedemptionForUpdate += lock
	lq.RedemptionByCodeForUpdate += lock
	l := *plain
	l.Q = &lq
	return plain, &l
}

// mapError wraps PostgreSQL's serialization, deadlock and constraint errors with the loyalty
// sentinels.
func mapError(err error) error {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		return err
	}
	switch pe.Code {
	case "40001", "40P01", "55P03": // serialization_failure, deadlock_detected, lock_not_available
		return fmt.Errorf("%w: %w", loyalty.ErrConflict, err)
	case "23505": // unique_violation
		return fmt.Errorf("%w: %w", loyalty.ErrDuplicateKey, err)
	case "23503": // foreign_key_violation
		return fmt.Errorf("%w: a referenced record does not exist: %w", loyalty.ErrNotFound, err)
	}
	return err
}
