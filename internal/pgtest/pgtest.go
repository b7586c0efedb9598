// Package pgtest gives the module's tests a PostgreSQL database to run on: the server named by
// the LOYALSYNC_TEST_POSTGRES environment variable (a DSN), and a schema of their own on it, so
// that tests and test runs sharing the server never see each other's rows.
package pgtest

import (
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	"github.com/stretchr/testify/require"
)

// EnvDSN names the environment variable holding the DSN of the test database.
const EnvDSN = "LOYALSYNC_TEST_POSTGRES"

// DSN returns the test database's DSN, or skips t when EnvDSN is not set.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		t.Skip(EnvDSN + " is not set: set it to a PostgreSQL DSN " +
			"(e.g. postgres://postgres@127.0.0.1:5432/loyalsync_test?sslmode=disable) to run the PostgreSQL tests")
	}
	return dsn
}

// FreshSchema returns the name of a new schema of the database at dsn, dropped with everything
// in it when t ends. The stores create it when they open with it.
func FreshSchema(t testing.TB, dsn string) string {
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
