package postgres_test

import (
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/pgtest"
	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/internal/sqltest"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/postgres"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
)

// open opens a store in a fresh schema of the test database.
func open(t testing.TB, opts ...postgres.Option) *postgres.Store {
	t.Helper()
	dsn := pgtest.DSN(t)
	s, err := postgres.Open(t.Context(), dsn, append([]postgres.Option{postgres.WithSchema(pgtest.FreshSchema(t, dsn))}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}

func TestPostgresConformance(t *testing.T) {
	pgtest.DSN(t)
	t.Parallel()
	for _, cc := range []postgres.Concurrency{postgres.RowLocks, postgres.Optimistic, postgres.Serializable} {
		t.Run(string(cc), func(t *testing.T) {
			t.Parallel()
			storetest.Run(t, func(t *testing.T) loyalty.Store { return open(t, postgres.WithConcurrency(cc)) })
		})
	}
}

func TestPostgresCrashDuringRedemption(t *testing.T) {
	dsn := pgtest.DSN(t)
	t.Parallel()
	schema := pgtest.FreshSchema(t, dsn)
	sqltest.TestCrashDuringRedemption(t, func(t *testing.T) (loyalty.Store, func() error) {
		s, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(schema))
		require.NoError(t, err)
		return s, s.Close
	})
}

// TestPostgresMultiInstance runs two engines, each with its own connection pool, on one
// database: 10,000 deliveries of 2,500 orders, in a random order across both.
func TestPostgresMultiInstance(t *testing.T) {
	dsn := pgtest.DSN(t)
	t.Parallel()
	schema := pgtest.FreshSchema(t, dsn)
	sqltest.TestMultiInstance(t, func(t *testing.T) loyalty.Store {
		s, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(schema))
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, s.Close()) })
		return s
	}, sqltest.MultiInstance{Orders: 2500, Deliveries: 4, Customers: 200, Workers: 8})
}
