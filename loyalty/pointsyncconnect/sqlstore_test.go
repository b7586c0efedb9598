package pointsyncconnect_test

import (
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/pgtest"
	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/pointsyncconnect"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/postgres"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/pointsync/pointsynctest"
)

func openSQLite(t testing.TB) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "loyalty.db"))
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func newSQLStore(t testing.TB, db sqlstore.Shared, now func() time.Time) *pointsyncconnect.SQLStore {
	t.Helper()
	var opts []pointsyncconnect.Option
	if now != nil {
		opts = append(opts, pointsyncconnect.WithClock(loyalty.ClockFunc(now)))
	}
	s, err := pointsyncconnect.NewSQLStore(t.Context(), db, opts...)
	require.NoError(t, err)
	return s
}

func TestSQLStore_SQLite(t *testing.T) {
	t.Run("settings", func(t *testing.T) {
		pointsynctest.RunSettingsStore(t, func(t *testing.T) pointsync.SettingsStore {
			return newSQLStore(t, openSQLite(t), nil)
		})
	})
	t.Run("queue", func(t *testing.T) {
		pointsynctest.RunQueue(t, func(t *testing.T, now func() time.Time) pointsync.Queue {
			return newSQLStore(t, openSQLite(t), now)
		})
	})
	t.Run("replay guard", func(t *testing.T) {
		pointsynctest.RunReplayGuard(t, func(t *testing.T, now func() time.Time) pointsync.ReplayGuard {
			return newSQLStore(t, openSQLite(t), now)
		})
	})
}

// With LOYALSYNC_TEST_POSTGRES set to a DSN, the same suites run on PostgreSQL, each store in
// a fresh schema: runs of this package at the same time (another checkout, CI) share nothing.
func TestSQLStore_PostgreSQL(t *testing.T) {
	dsn := pgtest.DSN(t)
	fresh := func(t *testing.T, now func() time.Time) *pointsyncconnect.SQLStore {
		db, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(pgtest.FreshSchema(t, dsn)))
		require.NoError(t, err)
		t.Cleanup(func() { db.Close() })
		return newSQLStore(t, db, now)
	}
	t.Run("settings", func(t *testing.T) {
		pointsynctest.RunSettingsStore(t, func(t *testing.T) pointsync.SettingsStore { return fresh(t, nil) })
	})
	t.Run("queue", func(t *testing.T) {
		pointsynctest.RunQueue(t, func(t *testing.T, now func() time.Time) pointsync.Queue { return fresh(t, now) })
	})
	t.Run("replay guard", func(t *testing.T) {
		pointsynctest.RunReplayGuard(t, func(t *testing.T, now func() time.Time) pointsync.ReplayGuard { return fresh(t, now) })
	})
	t.Run("push log", func(t *testing.T) { testPushLog(t, fresh(t, nil)) })
	t.Run("push log with queue", func(t *testing.T) { testPushLogWithQueue(t, fresh(t, nil)) })
}

// On an SQL store, a movement and its queue entries are written by one transaction: an update
// that fails after appending leaves neither, one that commits leaves both.
func TestObserve_SQLiteSameTransaction(t *testing.T) {
	ctx := t.Context()
	db := openSQLite(t)
	ps := newSQLStore(t, db, nil)
	store := pointsyncconnect.Observe(db, ps, ps)
	eng, err := loyalty.New(store)
	require.NoError(t, err)
	_, err = eng.SaveProgram(ctx, loyalty.DefaultProgram(program, "EUR"), "owner")
	require.NoError(t, err)
	require.NoError(t, ps.PutRemote(ctx, pointsync.Remote{SharingKey: "remote1", Kind: pointsync.KindLoyalsync,
		TargetReserve: "pool", ObservedReserve: program, URL: "https://remote.example/sync/",
		Auth: "auth-auth-auth-auth", Pass: "pass-pass-pass-pass-pass-pass-pass"}))
	m, err := eng.Enroll(ctx, program, loyalty.NewMember{Email: "ann@example.com"})
	require.NoError(t, err)

	boom := errors.New("boom")
	err = store.Update(ctx, func(tx loyalty.Tx) error {
		_, err := tx.AppendMovement(ctx, loyalty.Movement{ProgramID: program, MemberID: m.ID, Key: "adjust/x",
			Kind: loyalty.KindAdjust, Requested: 5, Applied: 5, BalanceAfter: 5, CreatedAt: time.Now().UTC()})
		require.NoError(t, err)
		return boom
	})
	require.ErrorIs(t, err, boom)
	st, err := ps.State(ctx, "remote1")
	require.NoError(t, err)
	require.Zero(t, st.Pending, "a rolled back movement is not queued")

	_, err = eng.Adjust(ctx, loyalty.AdjustRequest{ProgramID: program, Member: loyalty.MemberRef{ID: m.ID},
		Points: 7, Key: "gift", Actor: "admin"})
	require.NoError(t, err)
	l, err := ps.Lease(ctx, "remote1", 10, time.Minute)
	require.NoError(t, err)
	require.NotNil(t, l)
	require.Len(t, l.Items, 1)
	require.Equal(t, loyalty.AdjustKey("gift"), l.Items[0].Movement.ID)
	require.Equal(t, int64(7), l.Items[0].Movement.Points)
}
