// Package sqlite is a loyalty.Store in an SQLite database file, through the pure-Go driver
// modernc.org/sqlite: the embedded default, with no server to run and no cgo.
//
//	store, err := sqlite.Open(ctx, "loyalty.db")
//	if err != nil { ... }
//	defer store.Close()
//	engine, err := loyalty.New(store, ...)
//
// Open puts the file in WAL mode (readers never block the writer), turns on foreign keys and a
// busy timeout, and applies the embedded schema migrations the file lacks, inside an IMMEDIATE
// transaction so that two instances opening the same file at once migrate it once.
//
// Writes go through one connection and SQLite's write lock (BEGIN IMMEDIATE): transactions of
// one Store queue in the Store instead of failing with SQLITE_BUSY, and several processes
// sharing the file wait for each other up to the busy timeout, then fail with an error
// wrapping loyalty.ErrConflict so that the engine retries. Transactions that queue while
// another runs are committed together (group commit): each runs in its own SAVEPOINT, so one
// that fails leaves no trace and the others go on, and they share one COMMIT. A transaction
// that runs alone commits at once. Reads (View) run on a pool of read-only connections, each
// in a transaction that sees one snapshot. Every statement is prepared once per connection;
// the write connection reads pages through a memory map, the read connections with pread
// (their cache and map would be dropped whenever another connection commits).
//
// Idempotency rests on UNIQUE constraints (movement keys per program, member id, email and
// code, accounts, order states, redemption ids and coupon codes), reported as
// loyalty.ErrDuplicateKey; balances are compared and set (loyalty.ErrConflict when stale).
//
// Durability: by default a commit is written to the write-ahead log without a disk flush
// (synchronous=NORMAL), which survives a crash of the process but may lose the last
// transactions on a power loss or an operating system crash (the file stays consistent);
// WithSynchronous(SynchronousFull) flushes at every commit, which group commit shares among
// concurrent transactions. Times are stored as Unix microseconds, decimals as exact decimal
// text.
package sqlite
