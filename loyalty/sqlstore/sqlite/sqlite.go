package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/internal/sqlcore"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Synchronous is SQLite's synchronous setting in WAL mode: how hard a commit waits for the disk.
type Synchronous string

// Synchronous settings.
const (
	// SynchronousNormal (the default) writes each commit to the write-ahead log without waiting
	// for the disk; the log is synced at checkpoints. A commit survives a crash of the process,
	// but the last transactions before a power loss or an operating system crash may be rolled
	// back (the database stays consistent). Deliveries whose receipts were lost this way are
	// applied again when the store redelivers them or a reconciliation pass replays them.
	SynchronousNormal Synchronous = "NORMAL"
	// SynchronousFull syncs the write-ahead log at every commit: a commit survives a power loss,
	// at the cost of one disk flush per transaction.
	SynchronousFull Synchronous = "FULL"
)

// ErrSchemaTooNew is returned (wrapped) by Open when the database was migrated by a newer
// version of loyalsync than this one: upgrade the program instead of running old code on it.
var ErrSchemaTooNew = sqlcore.ErrSchemaTooNew

// Option configures Open.
type Option func(*config) error

type config struct {
	readers     int
	maxGroup    int
	busyTimeout time.Duration
	synchronous Synchronous
	logger      *slog.Logger
}

func defaultConfig() config {
	return config{readers: max(2, runtime.GOMAXPROCS(0)), maxGroup: 64, busyTimeout: 5 * time.Second,
		synchronous: SynchronousNormal, logger: slog.New(slog.DiscardHandler)}
}

// WithReaders sets the number of read-only connections serving View (default GOMAXPROCS, at
// least 2). Writes always go through one connection.
func WithReaders(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("sqlite store: WithReaders(%d): need at least one", n)
		}
		c.readers = n
		return nil
	}
}

// WithBusyTimeout sets how long a transaction waits for another process holding the database's
// write lock before it fails with an error wrapping loyalty.ErrConflict (default 5 s). Writers
// within one Store never wait on each other this way: they queue for its write connection.
func WithBusyTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("sqlite store: WithBusyTimeout(%v): negative", d)
		}
		c.busyTimeout = d
		return nil
	}
}

// WithSynchronous sets how durable a commit is (default SynchronousNormal); see Synchronous.
func WithSynchronous(s Synchronous) Option {
	return func(c *config) error {
		if s != SynchronousNormal && s != SynchronousFull {
			return fmt.Errorf("sqlite store: WithSynchronous(%q): want %q or %q", s, SynchronousNormal, SynchronousFull)
		}
		c.synchronous = s
		return nil
	}
}

// WithLogger sets the logger that reports applied migrations (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("sqlite store: WithLogger: nil logger")
		}
		c.logger = l
		return nil
	}
}

// Store is a loyalty.Store in an SQLite database file. It is safe for concurrent use; several
// Stores, in one process or several, may open the same file.
type Store struct {
	core               *sqlcore.Store
	writerDB, readerDB *sql.DB
	conns              []*conn
	writer             *writer
	readers            *readers
	logger             *slog.Logger

	// life lets Close wait for the transactions in flight: each Update and View holds it for
	// reading, Close takes it for writing and then marks the Store closed.
	life   sync.RWMutex
	closed bool
}

// ErrClosed is returned by Update and View on a Store that has been closed.
var ErrClosed = errors.New("sqlite store: closed")

var (
	_ loyalty.Store   = (*Store)(nil)
	_ sqlstore.Shared = (*Store)(nil)
)

// Open opens (creating it when needed) the SQLite database file at path, switches it to WAL
// mode and applies the schema migrations it lacks. path is a file name (without "?" query
// parameters: the Store sets its own); in-memory databases are refused (use loyalty/memstore).
// Close the Store when done.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	cfg := defaultConfig()
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			return nil, err
		}
	}
	if path == "" || strings.ContainsAny(path, "?#") || strings.Contains(path, ":memory:") {
		return nil, fmt.Errorf("sqlite store: Open(%q): want a database file name", path)
	}
	s := &Store{}
	var err error
	if s.writerDB, err = sql.Open("sqlite", dsn(path, cfg, true)); err != nil {
		return nil, fmt.Errorf("sqlite store: open %s: %w", path, err)
	}
	w, err := openConns(ctx, s.writerDB, 1, cfg.busyTimeout)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite store: open %s: %w", path, err)
	}
	s.conns = w
	s.writer = newWriter(w[0], cfg.maxGroup)
	s.logger = cfg.logger
	if err := s.migrate(ctx, cfg.logger, ledger); err != nil {
		s.Close()
		return nil, err
	}
	if s.readerDB, err = sql.Open("sqlite", dsn(path, cfg, false)); err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite store: open %s: %w", path, err)
	}
	r, err := openConns(ctx, s.readerDB, cfg.readers, cfg.busyTimeout)
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("sqlite store: open %s: %w", path, err)
	}
	s.conns = append(s.conns, r...)
	s.readers = newReaders(r)
	s.core = sqlcore.New(backend{s}, dialect)
	return s, nil
}

// walAutocheckpoint is the write-ahead log size, in pages, at which a commit copies the log
// back into the database file. An event transaction writes about ten pages, several of them
// the same from one transaction to the next (the newest leaf of each table and index), so a
// larger log lets a checkpoint copy each of those once for many transactions, and syncs the
// file less often. 8,000 pages is a log of about 32 MiB.
const walAutocheckpoint = 8000

// dsn returns the modernc.org/sqlite data source name of the write connection or of the read
// connections.
func dsn(path string, cfg config, writer bool) string {
	pragmas := []string{
		fmt.Sprintf("busy_timeout(%d)", cfg.busyTimeout.Milliseconds()),
		"foreign_keys(1)", "cache_size(-32768)",
	}
	if writer {
		// The write connection reads the database file through a memory map: its page cache
		// and the map stay valid from one of its transactions to the next.
		pragmas = append(pragmas, "mmap_size(268435456)", "journal_mode(WAL)", "synchronous("+string(cfg.synchronous)+")",
			fmt.Sprintf("wal_autocheckpoint(%d)", walAutocheckpoint))
	} else {
		// The read connections do not: a read transaction that begins after another
		// connection committed drops the connection's page cache and, with a memory map,
		// unmaps the whole file (one munmap of up to the map size, and page faults to map it
		// again), which cost more than reading the few pages a View needs with pread.
		pragmas = append(pragmas, "mmap_size(0)", "query_only(1)")
	}
	return path + "?_pragma=" + strings.Join(pragmas, "&_pragma=")
}

// migrate applies the missing migrations of the sets in one IMMEDIATE transaction, so that a
// second instance opening the same file waits and then finds them applied.
func (s *Store) migrate(ctx context.Context, logger *slog.Logger, sets ...sqlstore.Migrations) error {
	t, err := s.writer.begin(ctx)
	if err != nil {
		return fmt.Errorf("sqlite store: migrate: %w", mapError(err))
	}
	return sqlcore.Apply(ctx, t, migrationTable, sets, logger, "sqlite")
}

// ledger is the Store's own migration set.
var ledger = sqlstore.Migrations{Component: sqlstore.LedgerComponent, FS: migrationFiles, Dir: "migrations"}

var migrationTable = func() sqlcore.MigrationTable {
	create := "CREATE TABLE IF NOT EXISTS " + sqlcore.MigrationsTable + ` (
	component  TEXT NOT NULL DEFAULT 'loyalty',
	version    INTEGER NOT NULL,
	name       TEXT NOT NULL,
	applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ')),
	PRIMARY KEY (component, version)
)`
	old := sqlcore.MigrationsTable + "_v1"
	return sqlcore.MigrationTable{
		Create:       create,
		HasComponent: "SELECT count(*) FROM pragma_table_info('" + sqlcore.MigrationsTable + "') WHERE name = 'component'",
		Upgrade: []string{
			"ALTER TABLE " + sqlcore.MigrationsTable + " RENAME TO " + old,
			create,
			"INSERT INTO " + sqlcore.MigrationsTable + " (component, version, name, applied_at) SELECT 'loyalty', version, name, applied_at FROM " + old,
			"DROP TABLE " + old,
		},
		Insert: "INSERT INTO " + sqlcore.MigrationsTable + " (component, version, name) VALUES ($1, $2, $3)",
	}
}()

// Dialect returns sqlstore.SQLite; see sqlstore.Shared.
func (s *Store) Dialect() sqlstore.Dialect { return sqlstore.SQLite }

// Migrate applies the migrations of the sets that the database lacks, in one IMMEDIATE
// transaction on the write connection; see sqlstore.Shared.
func (s *Store) Migrate(ctx context.Context, sets ...sqlstore.Migrations) error {
	for _, m := range sets {
		if err := m.Check(); err != nil {
			return err
		}
	}
	s.life.RLock()
	defer s.life.RUnlock()
	if s.closed {
		return ErrClosed
	}
	return s.migrate(ctx, s.logger, sets...)
}

// Write runs fn in a read-write transaction on the Store's write connection, in the same
// group commit as the ledger's transactions; see sqlstore.Shared.
func (s *Store) Write(ctx context.Context, fn func(sqlstore.Tx) error) error {
	s.life.RLock()
	defer s.life.RUnlock()
	if s.closed {
		return ErrClosed
	}
	return s.core.Write(ctx, fn)
}

// Read runs fn in a read-only transaction on one of the read connections; see
// sqlstore.Shared.
func (s *Store) Read(ctx context.Context, fn func(sqlstore.Tx) error) error {
	s.life.RLock()
	defer s.life.RUnlock()
	if s.closed {
		return ErrClosed
	}
	return s.core.Read(ctx, fn)
}

// DB returns the handle of the Store's read-only connections; see sqlstore.Shared.
func (s *Store) DB() *sql.DB { return s.readerDB }

// Update runs fn in a read-write transaction (BEGIN IMMEDIATE on the Store's one write
// connection); see loyalty.Store.
func (s *Store) Update(ctx context.Context, fn func(loyalty.Tx) error) error {
	s.life.RLock()
	defer s.life.RUnlock()
	if s.closed {
		return ErrClosed
	}
	return s.core.Update(ctx, fn)
}

// View runs fn in a read-only transaction on one of the read connections; see loyalty.Store.
func (s *Store) View(ctx context.Context, fn func(loyalty.ReadTx) error) error {
	s.life.RLock()
	defer s.life.RUnlock()
	if s.closed {
		return ErrClosed
	}
	return s.core.View(ctx, fn)
}

// Close waits for the transactions in flight to finish, then closes the database. Update and
// View called after Close return ErrClosed; calling Close again returns nil. Do not call Close
// from inside a transaction function: it would wait for itself.
func (s *Store) Close() error {
	s.life.Lock()
	defer s.life.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	errs := []error{closeConns(s.conns)}
	for _, db := range []*sql.DB{s.readerDB, s.writerDB} {
		if db != nil {
			errs = append(errs, db.Close())
		}
	}
	return errors.Join(errs...)
}

type backend struct{ s *Store }

func (b backend) BeginWrite(ctx context.Context) (sqlcore.Txn, error) { return b.s.writer.begin(ctx) }

func (b backend) BeginRead(ctx context.Context) (sqlcore.Txn, error) { return b.s.readers.begin(ctx) }

var dialect = newDialect()

func newDialect() *sqlcore.Dialect {
	q := sqlcore.CommonQueries()
	q.InsertAccount = sqlcore.Insert("loyalty_account", sqlcore.InsertAccountColumns, true)
	q.InsertMovement = sqlcore.Insert("loyalty_movement", sqlcore.InsertMovementColumns, true)
	q.InsertRedemption = sqlcore.Insert("loyalty_redemption", sqlcore.InsertRedemptionColumns, true)
	q.InsertActivity = sqlcore.Insert("loyalty_activity", sqlcore.InsertActivityColumns, true)
	q.InsertReceipt = sqlcore.Insert("loyalty_receipt", sqlcore.InsertReceiptColumns, true)
	return &sqlcore.Dialect{
		Name:     "sqlite",
		Q:        q,
		MapError: mapError,
		TimeArg: func(t time.Time) any {
			if t.IsZero() {
				return nil
			}
			return t.UnixMicro()
		},
		DecimalArg: func(s string) any { return s },
		NextSeq: func(ctx context.Context, c sqlcore.Conn) (int64, error) {
			return c.(*writeTxn).nextSeq(ctx)
		},
		SplitMovement: true,
	}
}

// mapError wraps SQLite's busy and constraint errors with the loyalty sentinels.
func mapError(err error) error {
	var se *sqlite.Error
	if !errors.As(err, &se) {
		return err
	}
	switch code := se.Code(); {
	case code&0xff == sqlite3.SQLITE_BUSY, code&0xff == sqlite3.SQLITE_LOCKED:
		return fmt.Errorf("%w: %w", loyalty.ErrConflict, err)
	case code == sqlite3.SQLITE_CONSTRAINT_UNIQUE, code == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY:
		return fmt.Errorf("%w: %w", loyalty.ErrDuplicateKey, err)
	case code == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY:
		return fmt.Errorf("%w: a referenced record does not exist: %w", loyalty.ErrNotFound, err)
	}
	return err
}

// isBusy reports whether err is SQLite's SQLITE_BUSY (any extended code).
func isBusy(err error) bool {
	var se *sqlite.Error
	return errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_BUSY
}
