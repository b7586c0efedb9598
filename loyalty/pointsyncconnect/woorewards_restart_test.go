package pointsyncconnect_test

import (
	"context"
	"errors"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/internal/pgtest"
	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/pointsyncconnect"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/postgres"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/woorewards"
	"github.com/loyalsync/loyalsync/woorewards/woorewardstest"
)

// database is a loyalty database that can be closed and opened again, as a restart does.
type database interface {
	loyalty.Store
	sqlstore.Shared
	Close() error
}

// wooSite is a loyalsync site pushing to a WooRewards remote, over a database it reopens on
// restart; its clock is shared by its store and sender across restarts.
type wooSite struct {
	open   func(t *testing.T) database
	now    atomic.Pointer[time.Time]
	wr     *woorewardstest.Server
	remote pointsync.Remote

	db     database
	ps     *pointsyncconnect.SQLStore
	eng    *loyalty.Engine
	d      *pointsyncconnect.WooRewardsDeliverer
	sender *pointsync.Sender
}

func (s *wooSite) clock() time.Time { return *s.now.Load() }

func (s *wooSite) advance(d time.Duration) {
	t := s.clock().Add(d)
	s.now.Store(&t)
}

// start opens the database (again) and builds the site on it.
func (s *wooSite) start(t *testing.T) {
	ctx := t.Context()
	s.db = s.open(t)
	var err error
	s.ps, err = pointsyncconnect.NewSQLStore(ctx, s.db, pointsyncconnect.WithClock(loyalty.ClockFunc(s.clock)))
	require.NoError(t, err)
	s.eng, err = loyalty.New(pointsyncconnect.Observe(s.db, s.ps, s.ps))
	require.NoError(t, err)
	_, err = s.eng.SaveProgram(ctx, loyalty.DefaultProgram(program, "EUR"), "owner")
	require.NoError(t, err)
	local, err := pointsync.NewLocalSite("https://shop.example/sync/")
	require.NoError(t, err)
	_, err = s.ps.InitLocalSite(ctx, local)
	require.NoError(t, err)
	s.d, err = pointsyncconnect.NewWooRewardsDeliverer(s.ps, woorewards.WithHTTPClient(s.wr.Client()))
	require.NoError(t, err)
	s.sender, err = pointsync.NewSender(s.ps, s.ps, pointsync.WithDeliverer(pointsync.KindWooRewards, s.d),
		pointsync.WithClock(s.clock))
	require.NoError(t, err)
	require.NoError(t, s.ps.PutRemote(ctx, s.remote))
}

// restart drops everything in memory and closes the database, as a crash leaves it (the SQL
// stores commit each write), then starts again from it, a lease TTL later.
func (s *wooSite) restart(t *testing.T) {
	require.NoError(t, s.db.Close())
	s.advance(10 * time.Minute)
	s.start(t)
}

// apiCalls counts the points add/subtract calls the WooRewards site received for email.
func apiCalls(wr *woorewardstest.Server, email string) int {
	n := 0
	for _, m := range wr.History() {
		if m.Origin == "api" && m.Email == email {
			n++
		}
	}
	return n
}

func TestWooRewardsPushesSurviveRestart_SQLite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loyalty.db")
	testWooRewardsRestart(t, func(t *testing.T) database {
		db, err := sqlite.Open(t.Context(), path)
		require.NoError(t, err)
		return db
	})
}

// With LOYALSYNC_TEST_POSTGRES set to a DSN, the same restarts on PostgreSQL, in a fresh schema.
func TestWooRewardsPushesSurviveRestart_PostgreSQL(t *testing.T) {
	dsn := pgtest.DSN(t)
	schema := pgtest.FreshSchema(t, dsn)
	testWooRewardsRestart(t, func(t *testing.T) database {
		db, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(schema))
		require.NoError(t, err)
		return db
	})
}

func testWooRewardsRestart(t *testing.T, open func(t *testing.T) database) {
	ctx := t.Context()
	wr := woorewardstest.NewServer()
	t.Cleanup(wr.Close)
	wr.AddAppPassword("sync-user", "abcdefghijklmnopqrstuvwx", woorewardstest.AllPermissions)
	wr.AddPool(woorewardstest.Pool{ID: "pool1", Name: "Points", Active: true})
	s := &wooSite{open: open, wr: wr, remote: pointsync.Remote{SharingKey: "woorewards-site", Kind: pointsync.KindWooRewards,
		TargetReserve: "pool1", ObservedReserve: program, URL: wr.URL, Auth: "sync-user", Pass: "abcdefghijklmnopqrstuvwx"}}
	start := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	s.now.Store(&start)
	s.start(t)
	t.Cleanup(func() { s.db.Close() })
	key := s.remote.SharingKey
	give := func(email, k string, points int64) {
		t.Helper()
		_, err := s.eng.Adjust(ctx, loyalty.AdjustRequest{ProgramID: program, Member: loyalty.MemberRef{Email: email},
			Points: points, Key: k, Reason: "manual", Actor: "admin"})
		require.NoError(t, err)
	}
	for _, email := range []string{"ann@example.com", "bo@example.com", "cy@example.com", "di@example.com"} {
		wr.AddUser(email)
		_, err := s.eng.Enroll(ctx, program, loyalty.NewMember{Email: email})
		require.NoError(t, err)
	}

	// 1. Every push accepted, then the process stops before the queue's acknowledgement: after
	// the restart the batch is delivered again, and nothing is pushed twice.
	give("ann@example.com", "a1", 50)
	give("ann@example.com", "a2", -20)
	give("ann@example.com", "a3", 5)
	l, err := s.ps.Lease(ctx, key, 100, time.Minute)
	require.NoError(t, err)
	require.Len(t, l.Items, 3)
	b := &pointsync.Batch{Version: pointsync.Version, ID: l.ID, Reserve: "pool1"}
	for _, it := range l.Items {
		b.Movements = append(b.Movements, it.Movement)
	}
	require.NoError(t, s.d.Deliver(ctx, pointsync.LocalSite{}, s.remote, b))
	require.Equal(t, 3, apiCalls(wr, "ann@example.com"))
	s.restart(t)
	n, err := s.sender.Flush(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, 3, n, "the batch is delivered again and acknowledged")
	assert.Equal(t, 3, apiCalls(wr, "ann@example.com"), "no movement pushed twice")
	assert.Equal(t, int64(35), wr.Points("ann@example.com", "pool1"))
	recs, err := s.ps.Pushes(ctx, key, []string{loyalty.AdjustKey("a1"), loyalty.AdjustKey("a2"), loyalty.AdjustKey("a3")})
	require.NoError(t, err)
	assert.Empty(t, recs, "the push records go with the acknowledged queue entries")

	// 2. The remote applies a push but its response is lost, and the process stops: after the
	// restart the balance shows the push was applied; it is not pushed again.
	give("bo@example.com", "b1", 40)
	give("bo@example.com", "b2", 7)
	wr.Faults.Add(faults.Rule{Method: "PUT", Times: 1, ApplyThenDrop: true})
	_, err = s.sender.Flush(ctx, key)
	require.Error(t, err)
	require.Equal(t, 1, apiCalls(wr, "bo@example.com"))
	s.restart(t)
	require.NoError(t, s.sender.RetryNow(ctx, key))
	_, err = s.sender.Flush(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, 2, apiCalls(wr, "bo@example.com"), "the applied push is recognised, the next one sent")
	assert.Equal(t, int64(47), wr.Points("bo@example.com", "pool1"))

	// 3. The request never reaches the remote (the connection drops) and the process stops:
	// the balance is unchanged, so the push is sent again after the restart, once.
	give("cy@example.com", "c1", 30)
	wr.Faults.Add(faults.Rule{Method: "PUT", Times: 1, Drop: true})
	_, err = s.sender.Flush(ctx, key)
	require.Error(t, err)
	require.Zero(t, apiCalls(wr, "cy@example.com"))
	s.restart(t)
	require.NoError(t, s.sender.RetryNow(ctx, key))
	_, err = s.sender.Flush(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, 1, apiCalls(wr, "cy@example.com"))
	assert.Equal(t, int64(30), wr.Points("cy@example.com", "pool1"))

	// 4. The outcome is lost and the member's balance also changes on the WooRewards site: the
	// balance cannot tell, so nothing is pushed and the batch waits for the operator.
	give("di@example.com", "d1", 25)
	wr.Faults.Add(faults.Rule{Method: "PUT", Times: 1, ApplyThenDrop: true})
	_, err = s.sender.Flush(ctx, key)
	require.Error(t, err)
	wr.SetPoints("di@example.com", "pool1", 100) // 25 pushed, then changed there
	s.restart(t)
	require.NoError(t, s.sender.RetryNow(ctx, key))
	_, err = s.sender.Flush(ctx, key)
	var unresolved *pointsyncconnect.PushUnresolvedError
	require.True(t, errors.As(err, &unresolved), "%v", err)
	assert.ErrorIs(t, err, pointsyncconnect.ErrPushUnresolved)
	assert.Equal(t, loyalty.AdjustKey("d1"), unresolved.Push.MovementID)
	assert.Equal(t, int64(100), unresolved.Balance)
	st, err := s.ps.State(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, 1, st.Pending, "kept queued")
	assert.Contains(t, st.LastError, "outcome unknown", "the remote's status says why")
	assert.Equal(t, 1, apiCalls(wr, "di@example.com"))

	// The operator sees the 25 in the member's points on the WooRewards site.
	require.NoError(t, s.d.ResolvePush(ctx, key, loyalty.AdjustKey("d1"), true))
	require.NoError(t, s.sender.RetryNow(ctx, key))
	n, err = s.sender.Flush(ctx, key)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	assert.Equal(t, 1, apiCalls(wr, "di@example.com"), "resolved as applied: not pushed again")
	assert.ErrorIs(t, s.d.ResolvePush(ctx, key, loyalty.AdjustKey("d1"), false), pointsync.ErrInvalidArgument,
		"nothing left to resolve")
}

// The memory log keeps completed pushes while the process lives: a batch delivered again is not
// pushed again, and an unknown outcome is decided from the balance.
func TestWooRewardsMemPushLog(t *testing.T) {
	ctx := context.Background()
	wr := woorewardstest.NewServer()
	t.Cleanup(wr.Close)
	wr.AddAppPassword("sync-user", "abcdefghijklmnopqrstuvwx", woorewardstest.AllPermissions)
	wr.AddPool(woorewardstest.Pool{ID: "pool1", Name: "Points", Active: true})
	wr.AddUser("ann@example.com")
	log, err := pointsyncconnect.NewMemPushLog()
	require.NoError(t, err)
	d, err := pointsyncconnect.NewWooRewardsDeliverer(log, woorewards.WithHTTPClient(wr.Client()))
	require.NoError(t, err)
	r := pointsync.Remote{SharingKey: "wr", Kind: pointsync.KindWooRewards, TargetReserve: "pool1",
		ObservedReserve: program, URL: wr.URL, Auth: "sync-user", Pass: "abcdefghijklmnopqrstuvwx"}
	mv := func(id string, points int64) pointsync.Movement {
		return pointsync.Movement{ID: id, Member: pointsync.Member{Email: "ann@example.com"}, Points: points,
			Kind: pointsync.KindAdjust, Time: time.Now()}
	}
	b := &pointsync.Batch{Version: pointsync.Version, ID: "b1", Reserve: "pool1",
		Movements: []pointsync.Movement{mv("m1", 10), mv("m2", 20), mv("m3", -5)}}
	wr.Faults.Add(faults.Rule{Method: "PUT", Skip: 1, Times: 1, ApplyThenDrop: true})
	require.Error(t, d.Deliver(ctx, pointsync.LocalSite{}, r, b))
	require.NoError(t, d.Deliver(ctx, pointsync.LocalSite{}, r, b))
	require.NoError(t, d.Deliver(ctx, pointsync.LocalSite{}, r, b))
	assert.Equal(t, 3, apiCalls(wr, "ann@example.com"))
	assert.Equal(t, int64(25), wr.Points("ann@example.com", "pool1"))
}
