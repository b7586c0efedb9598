package sqlite_test

import (
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
)

// Migration 4 lets a balance go below zero (movements applied from points synchronisation); on
// a database with accounts and movements it keeps them all.
func TestMigrationAllowsNegativeBalance(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	path := filepath.Join(t.TempDir(), "old.db")
	s, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	eng, err := loyalty.New(s)
	require.NoError(t, err)
	_, err = eng.SaveProgram(ctx, loyalty.DefaultProgram("card", "EUR"), "owner")
	require.NoError(t, err)
	m, err := eng.Enroll(ctx, "card", loyalty.NewMember{Email: "ann@example.com"})
	require.NoError(t, err)
	_, err = eng.Adjust(ctx, loyalty.AdjustRequest{ProgramID: "card", Member: loyalty.MemberRef{ID: m.ID}, Points: 10, Key: "k", Actor: "t"})
	require.NoError(t, err)
	require.NoError(t, s.Close())

	// Back to the schema before migration 4: the CHECK on the balance.
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	for _, q := range []string{
		"CREATE TABLE acc AS SELECT * FROM loyalty_account",
		"DROP TABLE loyalty_account",
		`CREATE TABLE loyalty_account (seq INTEGER PRIMARY KEY, program_id TEXT NOT NULL REFERENCES loyalty_program (id),
			member_id TEXT NOT NULL REFERENCES loyalty_member (id), balance INTEGER NOT NULL CHECK (balance >= 0),
			joined_at INTEGER, updated_at INTEGER, UNIQUE (program_id, member_id))`,
		"INSERT INTO loyalty_account SELECT * FROM acc",
		"DROP TABLE acc",
		"CREATE INDEX loyalty_account_program ON loyalty_account (program_id, seq)",
		"DELETE FROM loyalty_schema_migrations WHERE component = 'loyalty' AND version = 4",
	} {
		_, err := db.Exec(q)
		require.NoError(t, err, q)
	}

	s, err = sqlite.Open(ctx, path)
	require.NoError(t, err)
	defer s.Close()
	eng, err = loyalty.New(s)
	require.NoError(t, err)
	b, err := eng.Balance(ctx, "card", loyalty.MemberRef{ID: m.ID})
	require.NoError(t, err)
	require.Equal(t, int64(10), b, "accounts kept")
	err = s.Update(ctx, func(tx loyalty.Tx) error {
		_, err := tx.AppendMovement(ctx, loyalty.Movement{ProgramID: "card", MemberID: m.ID, Key: "sync/o/1",
			Kind: loyalty.KindRedeem, Requested: -30, Applied: -30, BalanceAfter: -20, CreatedAt: time.Now().UTC()})
		return err
	})
	require.NoError(t, err)
	b, err = eng.Balance(ctx, "card", loyalty.MemberRef{ID: m.ID})
	require.NoError(t, err)
	require.Equal(t, int64(-20), b)
	var n int
	require.NoError(t, db.QueryRow("SELECT COUNT(*) FROM loyalty_movement").Scan(&n))
	require.Equal(t, 2, n)
}
