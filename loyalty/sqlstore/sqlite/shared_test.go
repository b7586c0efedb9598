package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty/sqlstore/internal/sqltest"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
)

func TestShared(t *testing.T) {
	t.Parallel()
	sqltest.TestShared(t, func(t *testing.T) sqltest.SharedStore { return open(t) })
}

// A database migrated before migration sets had components keeps its ledger migrations.
func TestOpenUpgradesTheMigrationsTable(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := sqlite.Open(t.Context(), path)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	// The old table lists the ledger migrations the schema holds.
	for _, q := range []string{
		"CREATE TABLE applied AS SELECT version, name FROM loyalty_schema_migrations WHERE component = 'loyalty'",
		"DROP TABLE loyalty_schema_migrations",
		"CREATE TABLE loyalty_schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ')))",
		"INSERT INTO loyalty_schema_migrations (version, name) SELECT version, name FROM applied",
		"DROP TABLE applied",
	} {
		_, err := db.Exec(q)
		require.NoError(t, err)
	}
	s, err = sqlite.Open(t.Context(), path)
	require.NoError(t, err, "no version is applied again")
	require.NoError(t, s.Close())
	var component string
	require.NoError(t, db.QueryRow("SELECT component FROM loyalty_schema_migrations WHERE version = 1").Scan(&component))
	assert.Equal(t, "loyalty", component)
}

func TestSharedAfterClose(t *testing.T) {
	t.Parallel()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "closed.db"))
	require.NoError(t, err)
	require.NoError(t, s.Close())
	assert.ErrorIs(t, s.Write(t.Context(), nil), sqlite.ErrClosed)
	assert.ErrorIs(t, s.Read(t.Context(), nil), sqlite.ErrClosed)
	assert.ErrorIs(t, s.Migrate(t.Context()), sqlite.ErrClosed)
}
