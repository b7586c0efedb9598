package wooconnect

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/pgtest"
	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/postgres"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
)

// The engine's Mailer screens emails in the ledger transaction only when the connection store
// is an SQLConnectionStore over the loyalty store itself: over another database, or behind a
// wrapper, SendEmail reads the opt-out on its own.
func TestMailerFor_ScreensOnlyOverTheLedgersOwnDatabase(t *testing.T) {
	t.Parallel()
	ledger, elsewhere := openSQLite(t), openSQLite(t)
	same, err := NewSQLConnectionStore(t.Context(), ledger)
	require.NoError(t, err)
	apart, err := NewSQLConnectionStore(t.Context(), elsewhere)
	require.NoError(t, err)
	c := &Connector{}

	assert.Equal(t, ledgerScreener{Connector: c}, mailerFor(c, ledger, same))
	assert.Same(t, c, mailerFor(c, ledger, apart))
	assert.Same(t, c, mailerFor(c, ledger, wrapped{same}))
}

type wrapped struct{ ConnectionStore }

func openSQLite(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "loyalty.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

// ledgerStore is a SQL loyalty store: Update's transactions are sqlstore.LedgerTx.
type ledgerStore interface {
	sqlstore.Shared
	Update(ctx context.Context, fn func(loyalty.Tx) error) error
}

// testScreenInLedger checks ScreenEmail inside one ledger transaction of db: a member's points
// email passes until an opt-out written in that same transaction stops it; a welcome passes
// without a read; the transaction is rolled back, leaving nothing behind.
func testScreenInLedger(t *testing.T, db ledgerStore) {
	_, err := NewSQLConnectionStore(t.Context(), db)
	require.NoError(t, err)
	s := ledgerScreener{Connector: &Connector{log: slog.New(slog.DiscardHandler)}}
	member := loyalty.Member{ID: "mem_screen_" + t.Name(), Email: "ada@example.com"}
	earned := loyalty.Email{Kind: loyalty.EmailPointsEarned, To: member, Program: loyalty.Program{ID: "card"}}
	welcome := earned
	welcome.Kind = loyalty.EmailWelcome
	undo := errors.New("roll back")
	err = db.Update(t.Context(), func(tx loyalty.Tx) error {
		send, err := s.ScreenEmail(t.Context(), tx, earned)
		require.NoError(t, err)
		assert.True(t, send, "no opt-out yet")
		_, err = tx.(sqlstore.LedgerTx).SQL().Exec(t.Context(), insertOptOut, "card", member.ID, int64(1))
		require.NoError(t, err)
		send, err = s.ScreenEmail(t.Context(), tx, earned)
		require.NoError(t, err)
		assert.False(t, send, "opted out")
		send, err = s.ScreenEmail(t.Context(), tx, welcome)
		require.NoError(t, err)
		assert.True(t, send, "a welcome reads no opt-out")
		return undo
	})
	require.ErrorIs(t, err, undo)
}

func TestLedgerScreener_SQLite(t *testing.T) {
	t.Parallel()
	testScreenInLedger(t, openSQLite(t))
}

// With LOYALSYNC_TEST_POSTGRES set to a DSN, the same runs on PostgreSQL, in a fresh schema.
func TestLedgerScreener_PostgreSQL(t *testing.T) {
	dsn := pgtest.DSN(t)
	db, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(pgtest.FreshSchema(t, dsn)))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	testScreenInLedger(t, db)
}
