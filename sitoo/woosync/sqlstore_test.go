package woosync_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/postgres"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/sitoo/woosync/storetest"
)

func TestSQLStore_SQLiteConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) woosync.Store {
		db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "w.db"))
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		s, err := woosync.NewSQLStore(t.Context(), db)
		require.NoError(t, err)
		_, err = woosync.NewSQLStore(t.Context(), db)
		require.NoError(t, err, "migrating again is a no-op")
		return s
	})
}

// With LOYALSYNC_TEST_POSTGRES set to a DSN, the store runs the suite on PostgreSQL (its tables
// emptied before each test).
func TestSQLStore_PostgreSQLConformance(t *testing.T) {
	dsn := os.Getenv("LOYALSYNC_TEST_POSTGRES")
	if dsn == "" {
		t.Skip("LOYALSYNC_TEST_POSTGRES is not set")
	}
	storetest.Run(t, func(t *testing.T) woosync.Store {
		db, err := postgres.Open(t.Context(), dsn)
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		s, err := woosync.NewSQLStore(t.Context(), db)
		require.NoError(t, err)
		require.NoError(t, db.Write(t.Context(), func(tx sqlstore.Tx) error {
			for _, table := range []string{"woosync_settings", "woosync_mappings", "woosync_timestamps", "woosync_runs"} {
				if _, err := tx.Exec(t.Context(), "DELETE FROM "+table); err != nil {
					return err
				}
			}
			return nil
		}))
		return s
	})
}

func TestSQLStore_SyncEndToEnd(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "w.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	store, err := woosync.NewSQLStore(t.Context(), db)
	require.NoError(t, err)
	e := newEnv(t, envOption{})
	syncer, err := woosync.New(store, e.wc, woosync.WithEncryptionKey(testKey))
	require.NoError(t, err)
	e.syncer = syncer
	e.connect(nil)
	e.simple("Mug", "MUG-1", 3)
	e.variable("Shirt", "TS", "S", "M")
	for range 2 {
		_, err = syncer.Run(e.ctx, woosync.StepSendProducts, nil)
		require.NoError(t, err)
	}
	require.Len(t, e.sitooProducts(), 4)
	n, err := store.CountMappings(e.ctx, woosync.KindVariation)
	require.NoError(t, err)
	require.Equal(t, 2, n)
}
