// Package sqlstore is the home of the SQL implementations of loyalty.Store, and of the API
// they offer the adapters that keep their own tables in the same database. Pick the backend by
// its package:
//
//   - loyalty/sqlstore/sqlite: an SQLite file through modernc.org/sqlite (pure Go, no cgo),
//     the embedded default for one machine;
//   - loyalty/sqlstore/postgres: PostgreSQL through github.com/jackc/pgx/v5/stdlib, for several
//     engine instances sharing one database.
//
// The backends are two packages so that a program links only the driver it uses (the SQLite
// one is large). They share one implementation, loyalty/sqlstore/internal/sqlcore: the same
// tables (prefixed loyalty_), the same statements up to a few dialect differences, and the
// same guards, so they behave alike:
//
//   - the idempotency keys are UNIQUE constraints (movement key per program, member id, email
//     and code, account per program and member, order state, redemption id and coupon code);
//     an insert that meets one inserts nothing and returns loyalty.ErrDuplicateKey, so
//     exactly-once holds when two processes race;
//   - a movement is appended and the account balance set in one step that compares the old
//     balance, and a redemption changes state only from the state the engine read, otherwise
//     loyalty.ErrConflict; serialization failures, deadlocks and a busy SQLite file are
//     loyalty.ErrConflict too, and the engine runs the transaction again;
//   - Seq values come from one increasing sequence; times are stored to the microsecond in
//     UTC, decimals exactly, a program as the JSON of loyalty.Program;
//   - the schema is versioned by embedded migrations, recorded in loyalty_schema_migrations and
//     applied by Open under a lock, so two instances starting at once migrate once; a database
//     migrated by a newer version is refused.
//
// Both pass the store conformance suite (loyalty/storetest). BENCHMARKS.md has their numbers.
//
// # Adapters' tables: one database, one writer, one migrator
//
// An adapter that needs tables of its own (the WooCommerce connection store, a counter
// channel, a sync's watermarks) keeps them in the loyalty store's database rather than
// opening a second handle: on SQLite a second writer competes for the file's write lock and
// stalls the ledger's group commits. Both *sqlite.Store and *postgres.Store implement Shared:
//
//	type Shared interface {
//		Dialect() Dialect                                   // SQLite or PostgreSQL
//		Migrate(ctx context.Context, sets ...Migrations) error
//		Write(ctx context.Context, fn func(Tx) error) error // on the store's writer
//		Read(ctx context.Context, fn func(Tx) error) error  // one snapshot
//		DB() *sql.DB                                        // owned by the store; read-only on SQLite
//	}
//
// An adapter embeds its migration files and names its component:
//
//	//go:embed migrations/*.sql
//	var files embed.FS
//
//	var migrations = sqlstore.Migrations{Component: "wooconnect", FS: files, Dir: "migrations"}
//
//	func NewStore(ctx context.Context, db sqlstore.Shared) (*Store, error) {
//		if err := db.Migrate(ctx, migrations); err != nil { ... }
//		return &Store{db: db}, nil
//	}
//
// Migrate runs the same migrator as the ledger's, under the same lock (BEGIN IMMEDIATE on
// SQLite, an advisory lock on PostgreSQL), and records each applied file in
// loyalty_schema_migrations under its component (the ledger's is "loyalty"), so versions are
// per component, several processes starting at once apply each file once, and a database
// that holds a newer version of a component than the code knows is refused with
// ErrSchemaTooNew. Files are "<version>_<name>.sql"; use one directory per Dialect when the
// SQL differs (Dir chosen from db.Dialect()), one directory when it is portable.
//
// Write runs a function in a transaction on the store's writer: on SQLite the one write
// connection, inside the same group commits as the ledger's transactions (each in its own
// savepoint); on PostgreSQL a pooled transaction at the store's isolation level. Read runs one
// in a read-only snapshot. Statements use $1, $2, … placeholders in both dialects; their
// errors wrap loyalty.ErrDuplicateKey (UNIQUE or PRIMARY KEY), loyalty.ErrNotFound (foreign
// key) and loyalty.ErrConflict (serialization failure, deadlock, busy file), so adapters test
// them with errors.Is without knowing the driver. A function that fails or panics leaves
// nothing; Write does not retry. On SQLite every statement text is prepared once per
// connection and kept, so pass constant texts with arguments.
//
// In memory (loyalty/memstore) there is no shared database: an adapter's in-memory store
// keeps its own maps.
package sqlstore
