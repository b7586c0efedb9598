package postgres_test

import (
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/pgtest"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/internal/sqltest"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/postgres"
)

func TestPostgresShared(t *testing.T) {
	pgtest.DSN(t)
	t.Parallel()
	sqltest.TestShared(t, func(t *testing.T) sqltest.SharedStore { return open(t) })
}

// A database migrated before migration sets had components keeps its ledger migrations.
func TestPostgresOpenUpgradesTheMigrationsTable(t *testing.T) {
	dsn := pgtest.DSN(t)
	t.Parallel()
	schema := pgtest.FreshSchema(t, dsn)
	s, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(schema))
	require.NoError(t, err)
	require.NoError(t, s.Close())
	db, err := sql.Open("pgx", dsn)
	require.NoError(t, err)
	defer db.Close()
	table := pgx.Identifier{schema, "loyalty_schema_migrations"}.Sanitize()
	applied := pgx.Identifier{schema, "applied"}.Sanitize()
	// The old table lists the ledger migrations the schema holds.
	for _, q := range []string{
		"CREATE TABLE " + applied + " AS SELECT version, name FROM " + table + " WHERE component = 'loyalty'",
		"DROP TABLE " + table,
		"CREATE TABLE " + table + " (version bigint PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())",
		"INSERT INTO " + table + " (version, name) SELECT version, name FROM " + applied,
		"DROP TABLE " + applied,
	} {
		_, err := db.Exec(q)
		require.NoError(t, err)
	}
	s, err = postgres.Open(t.Context(), dsn, postgres.WithSchema(schema))
	require.NoError(t, err, "no version is applied again")
	require.NoError(t, s.Close())
	var component string
	require.NoError(t, db.QueryRow("SELECT component FROM "+table+" WHERE version = 1").Scan(&component))
	assert.Equal(t, "loyalty", component)
}
