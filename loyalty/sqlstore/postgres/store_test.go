package postgres_test

import (
	"database/sql"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/pgtest"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/internal/sqltest"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/postgres"
)

// TestPostgresOpenMigratesOnce opens one new schema from several stores at once.
func TestPostgresOpenMigratesOnce(t *testing.T) {
	dsn := pgtest.DSN(t)
	t.Parallel()
	schema := pgtest.FreshSchema(t, dsn)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			s, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(schema))
			if assert.NoError(t, err) {
				assert.NoError(t, s.Close())
			}
		})
	}
	wg.Wait()
	db, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	defer db.Close()
	var n, versions int
	require.NoError(t, db.QueryRow("SELECT count(*), count(DISTINCT version) FROM "+
		pgx.Identifier{schema, "loyalty_schema_migrations"}.Sanitize()).Scan(&n, &versions))
	assert.Equal(t, versions, n, "each migration recorded once")
	assert.Positive(t, n)
}

func TestPostgresOpenRefusesANewerSchema(t *testing.T) {
	dsn := pgtest.DSN(t)
	t.Parallel()
	schema := pgtest.FreshSchema(t, dsn)
	s, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(schema))
	require.NoError(t, err)
	require.NoError(t, s.Close())
	db, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	defer db.Close()
	_, err = db.Exec("INSERT INTO " + pgx.Identifier{schema, "loyalty_schema_migrations"}.Sanitize() +
		" (version, name) VALUES (999999, 'future')")
	require.NoError(t, err)
	_, err = postgres.Open(t.Context(), dsn, postgres.WithSchema(schema))
	assert.ErrorIs(t, err, postgres.ErrSchemaTooNew)
}

func TestOpenRefusesBadDSNsAndOptions(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	_, err := postgres.Open(ctx, "postgres://%zz")
	assert.Error(t, err)
	for _, opt := range []postgres.Option{postgres.WithMaxConns(0), postgres.WithSchema(""),
		postgres.WithConcurrency("pessimistic"), postgres.WithLogger(nil)} {
		_, err := postgres.Open(ctx, "postgres://127.0.0.1:1/x", opt)
		assert.Error(t, err)
	}
}

func TestPostgresFailedWritesLeaveNothing(t *testing.T) {
	pgtest.DSN(t)
	t.Parallel()
	for _, cc := range []postgres.Concurrency{postgres.RowLocks, postgres.Optimistic, postgres.Serializable} {
		t.Run(string(cc), func(t *testing.T) {
			t.Parallel()
			sqltest.TestFailedWritesLeaveNothing(t, open(t, postgres.WithConcurrency(cc)))
		})
	}
}
