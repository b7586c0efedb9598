// Package postgres is a loyalty.Store in a PostgreSQL database, through database/sql and
// github.com/jackc/pgx/v5/stdlib: the backend for several engine instances (behind a load
// balancer, on several machines) sharing one database.
//
//	store, err := postgres.Open(ctx, "postgres://loyalty@db.internal/shop", postgres.WithSchema("loyalty"))
//	if err != nil { ... }
//	defer store.Close()
//	engine, err := loyalty.New(store, ...)
//
// Open applies the embedded schema migrations the database lacks, in one transaction under
// pg_advisory_xact_lock, so that instances starting together migrate once. WithSchema keeps the
// tables in a schema of their own (created when missing).
//
// Read-write transactions run at READ COMMITTED and lock the account, order state and
// redemption rows they read (SELECT ... FOR NO KEY UPDATE), so two instances working on the
// same account take turns instead of failing; the store's guards (UNIQUE keys, a balance
// compared and set with each movement, redemption states compared and set) keep the ledger
// exact whatever the interleaving. This default (RowLocks) was chosen by measurement over
// optimistic READ COMMITTED and SERIALIZABLE, which WithConcurrency still offers; see
// BenchmarkPostgresContention and BENCHMARKS.md. Views run as REPEATABLE READ, READ ONLY
// transactions: one snapshot.
//
// Serialization failures (40001), deadlocks (40P01) and lock timeouts (55P03) are reported as
// loyalty.ErrConflict and unique violations (23505) as loyalty.ErrDuplicateKey, so the engine
// runs the transaction again. Each statement goes to the server once per transaction step;
// pgx prepares and caches the statements of each connection. Times are timestamptz (to the
// microsecond), decimals numeric, programs jsonb.
package postgres
