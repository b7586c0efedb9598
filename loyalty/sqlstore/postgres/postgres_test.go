package postgres_test

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/internal/sqltest"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/postgres"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
)

// dsnEnv names the environment variable holding the DSN of the test database.
const dsnEnv = "LOYALSYNC_TEST_POSTGRES"

// testDSN returns the test database's DSN, or skips t when there is none.
func testDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(dsnEnv)
	if dsn == "" {
		t.Skip(dsnEnv + " is not set: set it to a PostgreSQL DSN " +
			"(e.g. postgres://postgres@127.0.0.1:5432/loyalsync_test?sslmode=disable) to run the PostgreSQL store tests")
	}
	return dsn
}

// freshSchema returns the name of a new, empty schema, dropped when t ends.
func freshSchema(t testing.TB, dsn string) string {
	t.Helper()
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	name := "loyalsync_test_" + hex.EncodeToString(b)
	t.Cleanup(func() {
		db, err := sql.Open("pgx", dsn)
		require.NoError(t, err)
		defer db.Close()
		_, err = db.Exec("DROP SCHEMA IF EXISTS " + pgx.Identifier{name}.Sanitize() + " CASCADE")
		require.NoError(t, err)
	})
	return name
}

// open opens a store in a fresh schema of the test database.
func open(t testing.TB, opts ...postgres.Option) *postgres.Store {
	t.Helper()
	dsn := testDSN(t)
	s, err := postgres.Open(t.Context(), dsn, append([]postgres.Option{postgres.WithSchema(freshSchema(t, dsn))}, opts...)...)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}

func TestPostgresConformance(t *testing.T) {
	testDSN(t)
	t.Parallel()
	for _, cc := range []postgres.Concurrency{postgres.RowLocks, postgres.Optimistic, postgres.Serializable} {
		t.Run(string(cc), func(t *testing.T) {
			t.Parallel()
			storetest.Run(t, func(t *testing.T) loyalty.Store { return open(t, postgres.WithConcurrency(cc)) })
		})
	}
}

func TestPostgresCrashDuringRedemption(t *testing.T) {
	dsn := testDSN(t)
	t.Parallel()
	schema := freshSchema(t, dsn)
	sqltest.TestCrashDuringRedemption(t, func(t *testing.T) (loyalty.Store, func() error) {
		s, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(schema))
		require.NoError(t, err)
		return s, s.Close
	})
}

// TestPostgresMultiInstance runs two engines, each with its own connection pool, on one
// database: 10,000 deliveries of 2,500 orders, in a random order across both.
func TestPostgresMultiInstance(t *testing.T) {
	dsn := testDSN(t)
	t.Parallel()
	schema := freshSchema(t, dsn)
	sqltest.TestMultiInstance(t, func(t *testing.T) loyalty.Store {
		s, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(schema))
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, s.Close()) })
		return s
	}, sqltest.MultiInstance{Orders: 2500, Deliveries: 4, Customers: 200, Workers: 8})
}
