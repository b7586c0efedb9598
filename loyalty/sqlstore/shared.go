package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
)

// Dialect names the SQL flavour of a shared database.
type Dialect string

// The dialects of the SQL stores.
const (
	// SQLite is the dialect of loyalty/sqlstore/sqlite.
	SQLite Dialect = "sqlite"
	// PostgreSQL is the dialect of loyalty/sqlstore/postgres.
	PostgreSQL Dialect = "postgres"
)

// Tx runs statements inside one transaction of a Shared database. Placeholders are $1, $2, …
// in both dialects. Errors that mean a UNIQUE or PRIMARY KEY violation wrap
// loyalty.ErrDuplicateKey, a foreign key violation loyalty.ErrNotFound, and a serialization
// failure, deadlock or busy SQLite file loyalty.ErrConflict.
//
// On SQLite every statement text is prepared once per connection and kept: pass constant
// texts (with arguments), not texts built from values.
type Tx interface {
	// Exec runs a statement that returns no rows.
	Exec(ctx context.Context, query string, args ...any) (sql.Result, error)
	// Query runs a statement that returns rows; close them before the function returns.
	Query(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	// QueryRow runs a statement that returns at most one row; Scan returns sql.ErrNoRows when
	// there was none.
	QueryRow(ctx context.Context, query string, args ...any) Row
}

// LedgerTx is implemented by the loyalty.Tx that the SQL stores pass to Update: SQL returns the
// same transaction as a Tx, so that an adapter writes its own tables in the transaction that
// changes the ledger (both commit or neither does). It is valid only during the call to Update's
// function.
type LedgerTx interface {
	SQL() Tx
}

// Row is the result of Tx.QueryRow.
type Row interface {
	Scan(dest ...any) error
}

// Migrations is a named set of schema migrations that an adapter adds to the loyalty store's
// database: the files "<version>_<name>.sql" (version a positive integer) in Dir of FS, usually
// an embed.FS with one directory per Dialect. Each file runs as one step; versions are
// recorded per Component in the same migrations table as the ledger's (component "loyalty").
type Migrations struct {
	// Component names the set: lower-case letters, digits and underscores, starting with a
	// letter, such as "wooconnect". "loyalty" is the ledger's own.
	Component string
	FS        fs.FS
	Dir       string
}

// componentName is the form of Migrations.Component.
var componentName = regexp.MustCompile(`^[a-z][a-z0-9_]{0,62}$`)

// Check reports whether m is usable: a valid Component other than "loyalty", and an FS.
func (m Migrations) Check() error {
	switch {
	case !componentName.MatchString(m.Component):
		return fmt.Errorf("sqlstore: migrations component %q: want lower-case letters, digits and underscores", m.Component)
	case m.Component == LedgerComponent:
		return fmt.Errorf("sqlstore: migrations component %q is the ledger's own", m.Component)
	case m.FS == nil:
		return fmt.Errorf("sqlstore: migrations %q: nil FS", m.Component)
	}
	return nil
}

// LedgerComponent is the component name of the loyalty store's own migrations.
const LedgerComponent = "loyalty"

// Shared is what the SQL stores (*sqlite.Store, *postgres.Store) offer the adapters that keep
// their own tables in the loyalty store's database: the same connections, the same single
// writer (and on SQLite its group commit), and the same migrator.
type Shared interface {
	// Dialect says which SQL the database speaks.
	Dialect() Dialect
	// Migrate applies the migrations of each set that the database lacks, in version order,
	// in one transaction under the lock the store migrates under, so that several processes
	// starting at once apply each once. It fails with an error wrapping ErrSchemaTooNew when
	// the database holds a newer version of a component than its set knows.
	Migrate(ctx context.Context, sets ...Migrations) error
	// Write runs fn in a read-write transaction on the store's writer and commits it when fn
	// returns nil; it rolls back when fn fails or panics. On SQLite the transaction queues for
	// the one write connection and may share a COMMIT with others (group commit), so fn
	// should be short and must not wait for another transaction of the same store. Write does
	// not retry: an error wrapping loyalty.ErrConflict may be retried by the caller.
	Write(ctx context.Context, fn func(Tx) error) error
	// Read runs fn in a read-only transaction that sees one snapshot.
	Read(ctx context.Context, fn func(Tx) error) error
	// DB returns the store's database handle for what Read and Write cannot do (such as
	// pinging it). It stays owned by the store: do not close it. On SQLite its connections
	// are read-only, so that every write goes through Write.
	DB() *sql.DB
}

// ErrSchemaTooNew reports a database migrated by a newer version of the code than this one.
var ErrSchemaTooNew = errors.New("sqlstore: the database schema is newer than this version of loyalsync")
