package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/loyalsync/loyalsync/loyalty/sqlstore/internal/sqltest"
)

// benchStore opens a store in a new file, and a bare insert transaction on a table of the same
// file through a plain database/sql pool with the settings of the store's write connection.
func benchStore(b *testing.B, opts ...Option) (*Store, sqltest.BareInsert) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench.db")
	s, err := Open(b.Context(), path, opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	cfg := defaultConfig()
	for _, opt := range opts {
		if err := opt(&cfg); err != nil {
			b.Fatal(err)
		}
	}
	db, err := sql.Open("sqlite", dsn(path, cfg, true)+"&_txlock=immediate")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec("CREATE TABLE bench_insert (id INTEGER PRIMARY KEY, payload TEXT NOT NULL)"); err != nil {
		b.Fatal(err)
	}
	ins, err := db.Prepare("INSERT INTO bench_insert (payload) VALUES ($1)")
	if err != nil {
		b.Fatal(err)
	}
	return s, func(ctx context.Context, i int) error {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		if _, err := tx.StmtContext(ctx, ins).ExecContext(ctx, "order event payload"); err != nil {
			tx.Rollback()
			return err
		}
		return tx.Commit()
	}
}

// BenchmarkSQLiteOrderEvents measures order events one at a time, beside the bare insert, with
// each durability setting.
func BenchmarkSQLiteOrderEvents(b *testing.B) {
	for _, sync := range []Synchronous{SynchronousNormal, SynchronousFull} {
		b.Run("synchronous="+string(sync), func(b *testing.B) {
			s, bare := benchStore(b, WithSynchronous(sync))
			sqltest.BenchOrderEvents(b, s, bare)
		})
	}
}

// BenchmarkSQLiteOrderEventsParallel measures concurrent order events, which share commits.
func BenchmarkSQLiteOrderEventsParallel(b *testing.B) {
	for _, sync := range []Synchronous{SynchronousNormal, SynchronousFull} {
		b.Run("synchronous="+string(sync), func(b *testing.B) {
			s, bare := benchStore(b, WithSynchronous(sync))
			sqltest.BenchOrderEventsParallel(b, s, bare)
		})
	}
}
