package sitooconnect_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/pgtest"
	"github.com/loyalsync/loyalsync/loyalty/sitooconnect"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/postgres"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
)

// connectionStores returns every ConnectionStore implementation, fresh: memory, SQLite and,
// when LOYALSYNC_TEST_POSTGRES holds a DSN, PostgreSQL.
func connectionStores(t *testing.T) map[string]func(t *testing.T) sitooconnect.ConnectionStore {
	out := map[string]func(t *testing.T) sitooconnect.ConnectionStore{
		"Memory": func(*testing.T) sitooconnect.ConnectionStore { return sitooconnect.NewMemoryConnectionStore() },
		"SQLite": func(t *testing.T) sitooconnect.ConnectionStore {
			db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "conns.db"))
			require.NoError(t, err)
			t.Cleanup(func() { db.Close() })
			s, err := sitooconnect.NewSQLConnectionStore(t.Context(), db)
			require.NoError(t, err)
			return s
		},
	}
	if dsn := os.Getenv("LOYALSYNC_TEST_POSTGRES"); dsn != "" {
		out["Postgres"] = func(t *testing.T) sitooconnect.ConnectionStore {
			db, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(pgtest.FreshSchema(t, dsn)))
			require.NoError(t, err)
			t.Cleanup(func() { db.Close() })
			s, err := sitooconnect.NewSQLConnectionStore(t.Context(), db)
			require.NoError(t, err)
			return s
		}
	}
	return out
}

func TestConnectionStores(t *testing.T) {
	t.Parallel()
	for name, open := range connectionStores(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			testConnectionStore(t, open(t))
		})
	}
}

func testConnectionStore(t *testing.T, s sitooconnect.ConnectionStore) {
	ctx := t.Context()
	at := time.Date(2026, 3, 2, 9, 0, 0, 123000, time.UTC)
	rec := sitooconnect.ConnectionRecord{ID: "st_1", ProgramID: "card", AccountID: 90316, BaseURL: "https://api.example/v2/accounts/90316",
		Credentials: []byte{1, 2, 3}, ConnectedAt: at, ProcessingSince: at.Add(time.Minute), UpdatedAt: at}
	require.NoError(t, s.CreateConnection(ctx, rec))
	assert.ErrorIs(t, s.CreateConnection(ctx, sitooconnect.ConnectionRecord{ID: "st_2", ProgramID: "card", AccountID: 90316,
		ConnectedAt: at, UpdatedAt: at}), sitooconnect.ErrConnectionExists)
	got, err := s.ConnectionByAccount(ctx, "card", 90316)
	require.NoError(t, err)
	assert.Equal(t, rec, got)
	_, err = s.Connection(ctx, "st_none")
	assert.ErrorIs(t, err, sitooconnect.ErrConnectionNotFound)

	require.NoError(t, s.SetWatermark(ctx, "st_1", 50))
	require.NoError(t, s.SetWatermark(ctx, "st_1", 40))
	require.NoError(t, s.RecordEvent(ctx, "st_1", at.Add(time.Hour)))
	rec.Paused, rec.Credentials, rec.Watermark = true, nil, 1
	require.NoError(t, s.UpdateConnection(ctx, rec))
	got, err = s.Connection(ctx, "st_1")
	require.NoError(t, err)
	assert.True(t, got.Paused)
	assert.Nil(t, got.Credentials)
	assert.EqualValues(t, 50, got.Watermark, "only SetWatermark moves it, never down")
	assert.Equal(t, at.Add(time.Hour), got.LastEventAt)
	all, err := s.Connections(ctx, "")
	require.NoError(t, err)
	assert.Len(t, all, 1)
	assert.ErrorIs(t, s.SetWatermark(ctx, "st_none", 1), sitooconnect.ErrConnectionNotFound)

	p := sitooconnect.Profile{ProgramID: "card", MemberID: "m1", NameFirst: "Ana", Mobile: "+46705550123", PersonalID: "1990",
		Address: sitooconnect.Address{City: "Malmö"}, Consents: []string{"consent_personal_offers"}, UpdatedAt: at}
	require.NoError(t, s.PutProfile(ctx, p))
	for _, get := range []func() (sitooconnect.Profile, error){
		func() (sitooconnect.Profile, error) { return s.Profile(ctx, "card", "m1") },
		func() (sitooconnect.Profile, error) { return s.ProfileByMobile(ctx, "card", "+46705550123") },
		func() (sitooconnect.Profile, error) { return s.ProfileByPersonalID(ctx, "card", "1990") },
	} {
		got, err := get()
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	p.Mobile = "+4670"
	require.NoError(t, s.PutProfile(ctx, p))
	_, err = s.ProfileByMobile(ctx, "card", "+46705550123")
	assert.ErrorIs(t, err, sitooconnect.ErrProfileNotFound)
	_, err = s.ProfileByMobile(ctx, "other", "+4670")
	assert.ErrorIs(t, err, sitooconnect.ErrProfileNotFound)

	b := sitooconnect.BonusCheck{ID: "POINTS-AB", ProgramID: "card", MemberID: "m1", RedemptionID: "rdm_1", Points: 1000,
		Value: dec("50.00"), Currency: "EUR", ExpiresAt: at.AddDate(0, 0, 7), CreatedAt: at}
	stored, err := s.PutBonusCheck(ctx, b)
	require.NoError(t, err)
	assert.Equal(t, "50", stored.Value.String())
	again, err := s.PutBonusCheck(ctx, sitooconnect.BonusCheck{ID: "POINTS-AB", ProgramID: "x", Value: dec("1")})
	require.NoError(t, err)
	assert.Equal(t, "card", again.ProgramID, "idempotent by id: the first one stays")
	changed, err := s.SetBonusCheckRedeemed(ctx, "POINTS-AB", time.Time{}, at)
	require.NoError(t, err)
	assert.True(t, changed)
	changed, err = s.SetBonusCheckRedeemed(ctx, "POINTS-AB", time.Time{}, at)
	require.NoError(t, err)
	assert.False(t, changed, "compare and set")
	list, err := s.BonusChecks(ctx, "card", "m1")
	require.NoError(t, err)
	require.Len(t, list, 1)
	assert.Equal(t, at, list[0].RedeemedAt)
	_, err = s.BonusCheck(ctx, "nope")
	assert.ErrorIs(t, err, sitooconnect.ErrBonusCheckNotFound)

	first, err := s.MarkEventSeen(ctx, "st_1", "e1", at)
	require.NoError(t, err)
	assert.True(t, first)
	first, err = s.MarkEventSeen(ctx, "st_1", "e1", at.Add(time.Hour))
	require.NoError(t, err)
	assert.False(t, first)
	seen, err := s.EventSeen(ctx, "st_1", "e1")
	require.NoError(t, err)
	assert.True(t, seen)
	_, err = s.MarkEventSeen(ctx, "st_2", "e2", at.Add(time.Hour))
	require.NoError(t, err)
	pruned, err := s.PruneSeenEvents(ctx, at)
	require.NoError(t, err)
	assert.Zero(t, pruned, "ids seen at or after the cut stay (the time given, not the wall clock)")
	pruned, err = s.PruneSeenEvents(ctx, at.Add(time.Hour))
	require.NoError(t, err)
	assert.EqualValues(t, 1, pruned, "the first mark's time counts")
	seen, err = s.EventSeen(ctx, "st_1", "e1")
	require.NoError(t, err)
	assert.False(t, seen)
	seen, err = s.EventSeen(ctx, "st_2", "e2")
	require.NoError(t, err)
	assert.True(t, seen)

	for _, id := range []string{"z", "a", "m"} {
		require.NoError(t, s.EnqueueOrder(ctx, sitooconnect.PendingOrder{ConnectionID: "st_1", EventID: id, EshopID: 1, OrderID: 7,
			ReceivedAt: at}))
	}
	require.NoError(t, s.EnqueueOrder(ctx, sitooconnect.PendingOrder{ConnectionID: "st_1", EventID: "a", OrderID: 99}))
	ps, err := s.PendingOrders(ctx, "st_1", 10)
	require.NoError(t, err)
	require.Len(t, ps, 3)
	assert.Equal(t, []string{"z", "a", "m"}, []string{ps[0].EventID, ps[1].EventID, ps[2].EventID}, "arrival order")
	assert.EqualValues(t, 7, ps[1].OrderID, "enqueueing is idempotent by event id")
	ps[0].Attempts, ps[0].LastError = 2, "boom"
	require.NoError(t, s.UpdatePending(ctx, ps[0]))
	require.NoError(t, s.DeletePending(ctx, "st_1", "a"))
	ps, err = s.PendingOrders(ctx, "st_1", 10)
	require.NoError(t, err)
	require.Len(t, ps, 2)
	assert.Equal(t, 2, ps[0].Attempts)
	assert.Equal(t, "boom", ps[0].LastError)
}
