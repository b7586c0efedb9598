package woosync_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/pgtest"
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

// With LOYALSYNC_TEST_POSTGRES set to a DSN, the store runs the suite on PostgreSQL, each test in
// a fresh schema.
func TestSQLStore_PostgreSQLConformance(t *testing.T) {
	dsn := pgtest.DSN(t)
	storetest.Run(t, func(t *testing.T) woosync.Store {
		db, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(pgtest.FreshSchema(t, dsn)))
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		s, err := woosync.NewSQLStore(t.Context(), db)
		require.NoError(t, err)
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
