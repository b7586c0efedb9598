package sqltest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
)

// SharedStore is a SQL store that adapters can share.
type SharedStore interface {
	loyalty.Store
	sqlstore.Shared
}

// widgetMigrations is an adapter's migration set: version 1 creates a table, version 2 adds
// a column.
func widgetMigrations(versions int) sqlstore.Migrations {
	files := []string{
		"CREATE TABLE test_widget (id TEXT PRIMARY KEY, n BIGINT NOT NULL)",
		"ALTER TABLE test_widget ADD COLUMN label TEXT NOT NULL DEFAULT ''",
	}
	fsys := fstest.MapFS{}
	for v := range versions {
		fsys[fmt.Sprintf("widgets/%04d_step.sql", v+1)] = &fstest.MapFile{Data: []byte(files[v])}
	}
	return sqlstore.Migrations{Component: "test_widgets", FS: fsys, Dir: "widgets"}
}

// TestShared checks the mechanism adapters use to keep their own tables in the store's
// database: named migration sets recorded beside the ledger's, transactions on the store's
// writer with the loyalty error sentinels, and reads. open returns a store on an empty
// database; reopen another store on the same database.
func TestShared(t *testing.T, open func(t *testing.T) SharedStore) {
	ctx := t.Context()
	s := open(t)
	assert.Contains(t, []sqlstore.Dialect{sqlstore.SQLite, sqlstore.PostgreSQL}, s.Dialect())
	require.NoError(t, s.DB().PingContext(ctx))

	for _, bad := range []sqlstore.Migrations{
		{Component: "loyalty", FS: fstest.MapFS{}, Dir: "."},
		{Component: "Bad-Name", FS: fstest.MapFS{}, Dir: "."},
		{Component: "nofs", Dir: "."},
	} {
		assert.Error(t, s.Migrate(ctx, bad), bad.Component)
	}

	require.NoError(t, s.Migrate(ctx, widgetMigrations(1)))
	require.NoError(t, s.Migrate(ctx, widgetMigrations(2)), "the second version only")
	require.NoError(t, s.Migrate(ctx, widgetMigrations(2)), "nothing to do")
	var rows, ledger int
	require.NoError(t, s.Read(ctx, func(tx sqlstore.Tx) error {
		return tx.QueryRow(ctx, "SELECT count(*) FROM loyalty_schema_migrations WHERE component = $1", "test_widgets").Scan(&rows)
	}))
	assert.Equal(t, 2, rows, "each version recorded once, under its component")
	require.NoError(t, s.Read(ctx, func(tx sqlstore.Tx) error {
		return tx.QueryRow(ctx, "SELECT count(*) FROM loyalty_schema_migrations WHERE component = 'loyalty'").Scan(&ledger)
	}))
	assert.Positive(t, ledger, "the ledger's migrations are in the same table")
	assert.ErrorIs(t, s.Migrate(ctx, widgetMigrations(1)), sqlstore.ErrSchemaTooNew, "the database knows version 2")

	insert := "INSERT INTO test_widget (id, n, label) VALUES ($1, $2, $3)"
	require.NoError(t, s.Write(ctx, func(tx sqlstore.Tx) error {
		_, err := tx.Exec(ctx, insert, "w1", 1, "one")
		return err
	}))
	err := s.Write(ctx, func(tx sqlstore.Tx) error {
		_, err := tx.Exec(ctx, insert, "w1", 2, "again")
		return err
	})
	assert.ErrorIs(t, err, loyalty.ErrDuplicateKey)
	boom := errors.New("boom")
	assert.ErrorIs(t, s.Write(ctx, func(tx sqlstore.Tx) error {
		if _, err := tx.Exec(ctx, insert, "w2", 2, "two"); err != nil {
			return err
		}
		return boom
	}), boom)
	assert.Panics(t, func() {
		_ = s.Write(ctx, func(tx sqlstore.Tx) error {
			if _, err := tx.Exec(ctx, insert, "w3", 3, "three"); err != nil {
				return err
			}
			panic("adapter bug")
		})
	})
	var leaked sqlstore.Tx
	require.NoError(t, s.Read(ctx, func(tx sqlstore.Tx) error {
		leaked = tx
		var n int
		err := tx.QueryRow(ctx, "SELECT n FROM test_widget WHERE id = $1", "w2").Scan(&n)
		assert.ErrorIs(t, err, sql.ErrNoRows, "a failed Write leaves nothing")
		return tx.QueryRow(ctx, "SELECT count(*) FROM test_widget").Scan(&n)
	}))
	_, err = leaked.Exec(ctx, "SELECT 1")
	assert.Error(t, err, "a transaction used after it ended")

	// Adapter writes and ledger writes interleave on the one writer.
	require.NoError(t, s.Update(ctx, func(tx loyalty.Tx) error { return tx.PutProgram(ctx, loyalty.DefaultProgram("card", "EUR")) }))
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			if i%2 == 0 {
				assert.NoError(t, s.Write(ctx, func(tx sqlstore.Tx) error {
					_, err := tx.Exec(ctx, insert, fmt.Sprintf("c%d", i), i, "")
					return err
				}))
				return
			}
			assert.NoError(t, s.Update(ctx, func(tx loyalty.Tx) error {
				_, err := tx.CreateMember(ctx, loyalty.Member{ID: fmt.Sprintf("m%d", i), Code: fmt.Sprintf("C%d", i)})
				return err
			}))
		})
	}
	wg.Wait()
	var widgets int
	require.NoError(t, s.Read(ctx, func(tx sqlstore.Tx) error {
		return tx.QueryRow(ctx, "SELECT count(*) FROM test_widget").Scan(&widgets)
	}))
	assert.Equal(t, 9, widgets)
	require.NoError(t, s.View(ctx, func(tx loyalty.ReadTx) error {
		_, err := tx.Member(ctx, "m15")
		return err
	}))
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	assert.ErrorIs(t, s.Write(cancelled, func(sqlstore.Tx) error { return nil }), context.Canceled)
}
