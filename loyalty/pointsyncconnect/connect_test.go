package pointsyncconnect_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/memstore"
	"github.com/loyalsync/loyalsync/loyalty/pointsyncconnect"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
	"github.com/loyalsync/loyalsync/pointsync"
)

// site is one loyalsync site: an engine over a memory store observed for sync, the protocol
// handler on an httptest server and a sender.
type site struct {
	engine *loyalty.Engine
	store  loyalty.Store
	ps     interface {
		pointsync.SettingsStore
		pointsync.Queue
	}
	local  pointsync.LocalSite
	sender *pointsync.Sender
	// close stops the site's server (the site is down).
	close func()
	// requests counts the sender's HTTP requests.
	requests *countingTransport
	// received counts the batch requests the site's handler received.
	received *atomic.Int64
}

// countingTransport counts the requests it carries.
type countingTransport struct{ n atomic.Int64 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

const program = "card"

func newSite(t *testing.T) *site {
	t.Helper()
	ps, err := pointsync.NewMemStore()
	require.NoError(t, err)
	return newSiteOn(t, memstore.New(), ps)
}

// newSQLiteSite is a site whose ledger, settings and queue are in one SQLite file.
func newSQLiteSite(t testing.TB) *site {
	t.Helper()
	db := openSQLite(t)
	return newSiteOn(t, db, newSQLStore(t, db, nil))
}

func newSiteOn(t testing.TB, store loyalty.Store, ps interface {
	pointsync.SettingsStore
	pointsync.Queue
}) *site {
	t.Helper()
	ctx := context.Background()
	s := &site{ps: ps}
	var err error
	s.store = pointsyncconnect.Observe(store, s.ps, s.ps)
	s.engine, err = loyalty.New(s.store, loyalty.WithCouponIssuer(storetest.NewCouponIssuer()))
	require.NoError(t, err)
	p := loyalty.DefaultProgram(program, "EUR")
	p.Redemption.Enabled = true
	p.Redemption.MinPoints = 10
	_, err = s.engine.SaveProgram(ctx, p, "owner")
	require.NoError(t, err)
	ledger, err := pointsyncconnect.NewLedger(s.engine)
	require.NoError(t, err)
	h, err := pointsync.NewHandler(s.ps, ledger)
	require.NoError(t, err)
	s.received = new(atomic.Int64)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/batches") {
			s.received.Add(1)
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	s.close = srv.Close
	local, err := pointsync.NewLocalSite(srv.URL + "/sync/")
	require.NoError(t, err)
	s.local, err = s.ps.InitLocalSite(ctx, local)
	require.NoError(t, err)
	s.requests = &countingTransport{}
	s.sender, err = pointsync.NewSender(s.ps, s.ps, pointsync.WithRetry(0, 0, 0),
		pointsync.WithHTTPClient(&http.Client{Transport: s.requests, Timeout: 30 * time.Second}))
	require.NoError(t, err)
	return s
}

func link(t testing.TB, a, b *site) {
	t.Helper()
	for _, p := range [][2]*site{{a, b}, {b, a}} {
		from, to := p[0], p[1]
		require.NoError(t, from.ps.PutRemote(context.Background(), pointsync.Remote{
			SharingKey: to.local.SharingKey, Kind: pointsync.KindLoyalsync,
			TargetReserve: program, ObservedReserve: program,
			URL: to.local.URL, Auth: to.local.Auth, Pass: to.local.Pass}))
	}
}

func flush(t *testing.T, from, to *site) {
	t.Helper()
	_, err := from.sender.Flush(context.Background(), to.local.SharingKey)
	require.NoError(t, err)
}

func balance(t *testing.T, s *site, email string) int64 {
	t.Helper()
	b, err := s.engine.Balance(context.Background(), program, loyalty.MemberRef{Email: email})
	require.NoError(t, err)
	return b
}

func pending(t *testing.T, s *site, to *site) int {
	t.Helper()
	st, err := s.ps.State(context.Background(), to.local.SharingKey)
	require.NoError(t, err)
	return st.Pending
}

func adjust(t *testing.T, s *site, email, key string, points int64) {
	t.Helper()
	_, err := s.engine.Adjust(context.Background(), loyalty.AdjustRequest{ProgramID: program,
		Member: loyalty.MemberRef{Email: email}, Points: points, Key: key, Reason: "manual", Actor: "admin"})
	require.NoError(t, err)
}

func TestMovementShowsOnOtherSiteOnceWithoutEcho(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testNoEcho(t, newSite(t), newSite(t)) })
	t.Run("SQLite", func(t *testing.T) { testNoEcho(t, newSQLiteSite(t), newSQLiteSite(t)) })
}

func testNoEcho(t *testing.T, a, b *site) {
	ctx := context.Background()
	link(t, a, b)
	_, err := a.engine.Enroll(ctx, program, loyalty.NewMember{Email: "Alice@Example.com"})
	require.NoError(t, err)
	adjust(t, a, "alice@example.com", "gift", 100)
	require.Equal(t, 1, pending(t, a, b), "the adjustment is queued by the transaction that appended it")

	flush(t, a, b)
	assert.Equal(t, int64(100), balance(t, b, "alice@example.com"), "unknown member created on b by email")
	assert.Zero(t, pending(t, b, a), "a movement applied from sync is not sent back (no echo)")

	// A redelivery of the same movement applies nothing.
	ledger, err := pointsyncconnect.NewLedger(b.engine)
	require.NoError(t, err)
	hist, _, err := a.engine.History(ctx, program, mustMember(t, a, "alice@example.com").ID, loyalty.PageOptions{})
	require.NoError(t, err)
	res, err := ledger.ApplyRemote(ctx, pointsync.Incoming{Origin: a.local.SharingKey, Reserve: program, BatchID: "again",
		Movements: []pointsync.Movement{{ID: hist[0].Key, Member: pointsync.Member{Email: "alice@example.com"},
			Points: 100, Kind: pointsync.KindAdjust, Time: hist[0].CreatedAt}}})
	require.NoError(t, err)
	assert.Equal(t, pointsync.Applied{Duplicates: 1}, res)
	assert.Equal(t, int64(100), balance(t, b, "alice@example.com"))

	// b's own movement goes back to a.
	adjust(t, b, "alice@example.com", "b-bonus", 5)
	flush(t, b, a)
	assert.Equal(t, int64(105), balance(t, a, "alice@example.com"))
	assert.Equal(t, int64(105), balance(t, b, "alice@example.com"))
}

func mustMember(t *testing.T, s *site, email string) loyalty.Member {
	t.Helper()
	m, err := s.engine.FindMember(context.Background(), loyalty.MemberRef{Email: email})
	require.NoError(t, err)
	return m
}

func TestDoubleSpendDetectedOnBothSites(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testDoubleSpend(t, newSite(t), newSite(t)) })
	t.Run("SQLite", func(t *testing.T) { testDoubleSpend(t, newSQLiteSite(t), newSQLiteSite(t)) })
}

func testDoubleSpend(t *testing.T, a, b *site) {
	ctx := context.Background()
	link(t, a, b)
	_, err := a.engine.Enroll(ctx, program, loyalty.NewMember{Email: "bob@example.com"})
	require.NoError(t, err)
	adjust(t, a, "bob@example.com", "start", 100)
	flush(t, a, b)

	// The same 80 points spent on both sites before either hears of the other.
	adjust(t, a, "bob@example.com", "spend-a", -80)
	adjust(t, b, "bob@example.com", "spend-b", -80)
	flush(t, a, b)
	flush(t, b, a)

	for name, s := range map[string]*site{"a": a, "b": b} {
		assert.Equal(t, int64(-60), balance(t, s, "bob@example.com"), name)
		entries, _, err := s.engine.Activity(ctx, program, loyalty.PageOptions{})
		require.NoError(t, err)
		found := false
		for _, e := range entries {
			found = found || e.Kind == pointsyncconnect.ActivityDoubleSpend
		}
		assert.True(t, found, "double spend recorded on %s", name)
		_, err = s.engine.Redeem(ctx, loyalty.RedeemRequest{ProgramID: program,
			Member: loyalty.MemberRef{Email: "bob@example.com"}, Points: 10, IdempotencyKey: "r-" + name})
		assert.ErrorIs(t, err, loyalty.ErrInsufficientPoints, "redemption refused on %s while negative", name)
	}

	// A debit on a negative balance takes nothing more (and gives nothing back).
	adjust(t, a, "bob@example.com", "more", -10)
	assert.Equal(t, int64(-60), balance(t, a, "bob@example.com"))

	// New points bring the balance back above zero on both sites: redemptions work again.
	adjust(t, a, "bob@example.com", "make-good", 100)
	flush(t, a, b)
	for name, s := range map[string]*site{"a": a, "b": b} {
		assert.Equal(t, int64(40), balance(t, s, "bob@example.com"), name)
		_, err = s.engine.Redeem(ctx, loyalty.RedeemRequest{ProgramID: program,
			Member: loyalty.MemberRef{Email: "bob@example.com"}, Points: 10, IdempotencyKey: "r2-" + name})
		assert.NoError(t, err, name)
	}
}
