package sqlite_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/loyalsync/loyalsync/loyalty/sqlstore/internal/sqltest"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
)

// benchStore opens a store in a new file and a bare insert transaction on a table of the same
// file, through a plain database/sql pool with the same settings.
func benchStore(b *testing.B, opts ...sqlite.Option) (*sqlite.Store, sqltest.BareInsert) {
	b.Helper()
	path := filepath.Join(b.TempDir(), "bench.db")
	s, err := sqlite.Open(b.Context(), path, opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_txlock=immediate")
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

func BenchmarkSQLiteOrderEvents(b *testing.B) {
	s, bare := benchStore(b)
	sqltest.BenchOrderEvents(b, s, bare)
}

func BenchmarkSQLiteOrderEventsParallel(b *testing.B) {
	s, bare := benchStore(b)
	sqltest.BenchOrderEventsParallel(b, s, bare)
}
