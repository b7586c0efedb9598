// Package sqlstore is the home of the SQL implementations of loyalty.Store; it has no API of
// its own. Pick the backend by its package:
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
package sqlstore
