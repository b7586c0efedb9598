package pointsyncconnect_test

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/pointsyncconnect"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/pointsync/pointsynctest"
)

// meshSite is a loyalsync site with its own SQLite file, which can go down and restart from it.
type meshSite struct {
	name      string
	path      string
	db        *sqlite.Store
	ps        *pointsyncconnect.SQLStore
	eng       *loyalty.Engine
	sender    *pointsync.Sender
	local     pointsync.LocalSite
	server    *httptest.Server
	handler   atomic.Pointer[http.Handler]
	down      atomic.Bool
	transport *pointsynctest.FaultyTransport
	orders    []loyalty.OrderEvent
}

func newMeshSite(t *testing.T, name string, seed uint64) *meshSite {
	s := &meshSite{name: name, path: filepath.Join(t.TempDir(), name+".db")}
	s.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := s.handler.Load()
		if s.down.Load() || h == nil {
			panic(http.ErrAbortHandler) // the connection closes without an answer
		}
		(*h).ServeHTTP(w, r)
	}))
	t.Cleanup(s.server.Close)
	s.transport = pointsynctest.NewFaultyTransport(s.server.Client().Transport,
		pointsynctest.Faults{Drop: 0.1, Lose: 0.1, Status5xx: 0.1, Duplicate: 0.1, Reorder: 0.1}, seed)
	s.start(t)
	return s
}

// start opens the site's database (again) and builds its engine, handler and sender on it.
func (s *meshSite) start(t *testing.T) {
	ctx := t.Context()
	var err error
	s.db, err = sqlite.Open(ctx, s.path)
	require.NoError(t, err)
	s.ps = newSQLStore(t, s.db, nil)
	store := pointsyncconnect.Observe(s.db, s.ps, s.ps)
	s.eng, err = loyalty.New(store, loyalty.WithCouponIssuer(storetest.NewCouponIssuer()))
	require.NoError(t, err)
	p := loyalty.DefaultProgram(program, "EUR")
	p.Earning.WelcomeBonus = 20
	p.Redemption.Enabled = true
	p.Redemption.MinPoints = 10
	_, err = s.eng.SaveProgram(ctx, p, "owner")
	require.NoError(t, err)
	ledger, err := pointsyncconnect.NewLedger(s.eng)
	require.NoError(t, err)
	h, err := pointsync.NewHandler(s.ps, ledger)
	require.NoError(t, err)
	var hh http.Handler = h
	s.handler.Store(&hh)
	local, err := pointsync.NewLocalSite(s.server.URL + "/sync/")
	require.NoError(t, err)
	s.local, err = s.ps.InitLocalSite(ctx, local) // after a restart: the stored one
	require.NoError(t, err)
	s.sender, err = pointsync.NewSender(s.ps, s.ps, pointsync.WithRetry(0, 0, 0),
		pointsync.WithHTTPClient(&http.Client{Transport: s.transport, Timeout: 30 * time.Second}))
	require.NoError(t, err)
}

// restart closes the database, as a crash would leave it, and starts again from it.
func (s *meshSite) restart(t *testing.T) {
	s.handler.Store(nil)
	require.NoError(t, s.db.Close())
	s.start(t)
}

// round delivers every queue once, resuming paused remotes; it returns what is still pending.
func meshRound(t *testing.T, sites []*meshSite) int {
	ctx := t.Context()
	pending := 0
	for _, s := range sites {
		remotes, err := s.ps.Remotes(ctx)
		require.NoError(t, err)
		for _, r := range remotes {
			_, _ = s.sender.Flush(ctx, r.SharingKey) // failures are recorded and retried
			st, err := s.ps.State(ctx, r.SharingKey)
			require.NoError(t, err)
			pending += st.Pending
			if st.Failures > 0 {
				require.NoError(t, s.sender.RetryNow(ctx, r.SharingKey))
			}
		}
		s.transport.Release()
	}
	return pending
}

// The test: three sites in a full mesh, each with its own SQLite ledger; random earns,
// refunds, redemptions and manual adjustments on all three while the transport drops, loses,
// answers 5xx, duplicates and reorders; one site down for a while, one restarting from its
// database. At the end every balance is equal everywhere and every movement is on every site
// exactly once, never echoed. (The engine has no expirations, so none is made.) Seeded: the
// operations and faults are the same on every run.
func TestMeshOfThreeSQLiteSites(t *testing.T) {
	ctx := t.Context()
	rng := rand.New(rand.NewPCG(15, 2026))
	sites := []*meshSite{newMeshSite(t, "a", 1), newMeshSite(t, "b", 2), newMeshSite(t, "c", 3)}
	for _, s := range sites {
		for _, o := range sites {
			if s != o {
				require.NoError(t, s.ps.PutRemote(ctx, pointsync.Remote{SharingKey: o.local.SharingKey,
					Kind: pointsync.KindLoyalsync, TargetReserve: program, ObservedReserve: program,
					URL: o.local.URL, Auth: o.local.Auth, Pass: o.local.Pass}))
			}
		}
	}
	emails := []string{"ann@example.com", "bob@example.com", "cy@example.com", "dee@example.com"}
	// A race on purpose: eve's first orders on a and on c before any delivery, so both grant
	// her a welcome bonus (the random operations below, which may race too, are unchanged).
	const eve = "eve@example.com"
	for _, s := range []*meshSite{sites[0], sites[2]} {
		_, err := s.eng.ProcessOrder(ctx, program, loyalty.OrderEvent{Store: "https://" + s.name + ".example", OrderID: "eve",
			Status: "completed", Total: decimal.NewFromInt(10), Currency: "EUR", BillingEmail: eve})
		require.NoError(t, err)
	}
	const ops = 160
	for i := range ops {
		switch i {
		case 40:
			sites[2].down.Store(true)
		case 90:
			sites[2].down.Store(false)
		case 110:
			sites[1].restart(t)
		}
		s := sites[rng.IntN(len(sites))]
		email := emails[rng.IntN(len(emails))]
		switch op := rng.IntN(10); {
		case op < 4 || len(s.orders) == 0:
			ev := loyalty.OrderEvent{Store: "https://" + s.name + ".example", OrderID: fmt.Sprint(i), Status: "completed",
				Total: decimal.NewFromInt(int64(5 + rng.IntN(60))), Currency: "EUR", BillingEmail: email}
			_, err := s.eng.ProcessOrder(ctx, program, ev)
			require.NoError(t, err)
			s.orders = append(s.orders, ev)
		case op < 6:
			ev := s.orders[rng.IntN(len(s.orders))]
			ev.Status, ev.RefundedTotal = "refunded", ev.Total
			_, err := s.eng.ProcessOrder(ctx, program, ev)
			require.NoError(t, err)
		case op < 8:
			_, err := s.eng.Redeem(ctx, loyalty.RedeemRequest{ProgramID: program, Member: loyalty.MemberRef{Email: email},
				Points: int64(10 + rng.IntN(30)), IdempotencyKey: fmt.Sprint("r", i)})
			if err != nil && !errors.Is(err, loyalty.ErrInsufficientPoints) && !errors.Is(err, loyalty.ErrNotFound) && !errors.Is(err, loyalty.ErrMemberNotFound) {
				require.NoError(t, err)
			}
		default:
			_, err := s.eng.Adjust(ctx, loyalty.AdjustRequest{ProgramID: program, Member: loyalty.MemberRef{Email: email},
				Points: int64(rng.IntN(41) - 20), Key: fmt.Sprint(i), Reason: "manual", Actor: "admin"})
			if err != nil && !errors.Is(err, loyalty.ErrNotFound) && !errors.Is(err, loyalty.ErrMemberNotFound) && !errors.Is(err, loyalty.ErrInvalid) {
				require.NoError(t, err)
			}
		}
		if i%7 == 0 {
			meshRound(t, sites)
		}
	}
	settled := false
	for range 200 {
		if meshRound(t, sites) == 0 {
			settled = true
			break
		}
	}
	require.True(t, settled, "queues drained")

	// What each site made itself, and what it applied from each origin.
	local := map[string]map[string]bool{}  // site → its own movement keys (sent ones)
	synced := map[string]map[string]bool{} // site → sync keys applied there
	for _, s := range sites {
		local[s.name], synced[s.name] = map[string]bool{}, map[string]bool{}
		for ms, err := range s.eng.AllMembers(ctx, program) {
			require.NoError(t, err)
			for m, err := range s.eng.AllHistory(ctx, program, ms.Member.ID) {
				require.NoError(t, err)
				switch {
				case strings.HasPrefix(m.Key, pointsyncconnect.SyncKeyPrefix):
					synced[s.name][m.Key] = true
				case m.Applied != 0:
					local[s.name][m.Key] = true
				}
			}
		}
	}
	for _, s := range sites {
		want := map[string]bool{}
		for _, o := range sites {
			if o != s {
				for k := range local[o.name] {
					want[pointsyncconnect.SyncKey(o.local.SharingKey, k)] = true
				}
			}
		}
		assert.Equal(t, want, synced[s.name], "site %s holds every other site's movements once, and nothing echoed", s.name)
	}
	for _, email := range append(emails, eve) {
		var balances []int64
		for _, s := range sites {
			b, err := s.eng.Balance(ctx, program, loyalty.MemberRef{Email: email})
			if errors.Is(err, loyalty.ErrNotFound) || errors.Is(err, loyalty.ErrMemberNotFound) {
				b, err = 0, nil
			}
			require.NoError(t, err)
			balances = append(balances, b)
		}
		assert.Equal(t, balances[0], balances[1], "%s: %v", email, balances)
		assert.Equal(t, balances[0], balances[2], "%s: %v", email, balances)
	}
	// One welcome bonus per person unless sites raced: a site grants one only while no other
	// site's has reached it; a site that did not grant one holds a 0-point record under the
	// member's welcome key; when several sites granted one, every site recorded the double
	// bonus in its activity log, and only then.
	var raced, once int
	for _, email := range append(emails, eve) {
		granted := map[string]bool{}
		var members []*meshSite
		for _, s := range sites {
			m, err := s.eng.FindMember(ctx, loyalty.MemberRef{Email: email})
			if errors.Is(err, loyalty.ErrMemberNotFound) {
				continue
			}
			require.NoError(t, err)
			members = append(members, s)
			for mv, err := range s.eng.AllHistory(ctx, program, m.ID) {
				require.NoError(t, err)
				if mv.Key == loyalty.WelcomeKey(m.ID) && mv.Applied != 0 {
					granted[s.name] = true
				}
			}
		}
		switch {
		case len(granted) > 1:
			raced++
		case len(granted) == 1:
			once++
		}
		for _, s := range members {
			m, err := s.eng.FindMember(ctx, loyalty.MemberRef{Email: email})
			require.NoError(t, err)
			if len(granted) > 0 {
				var mv loyalty.Movement
				require.NoError(t, s.db.View(ctx, func(tx loyalty.ReadTx) error {
					mv, err = tx.Movement(ctx, program, loyalty.WelcomeKey(m.ID))
					return err
				}), "%s on %s: a welcome bonus or its record", email, s.name)
				if !granted[s.name] {
					assert.Zero(t, mv.Applied, "%s on %s", email, s.name)
					assert.Contains(t, mv.Reason, "granted on site", "%s on %s", email, s.name)
				}
			}
			doubles := 0
			for cursor := int64(0); ; {
				entries, next, err := s.eng.Activity(ctx, program, loyalty.PageOptions{Cursor: cursor, Limit: 1000})
				require.NoError(t, err)
				for _, e := range entries {
					if e.Kind == pointsyncconnect.ActivityDoubleWelcome && e.MemberID == m.ID {
						doubles++
					}
				}
				if cursor = next; cursor == 0 {
					break
				}
			}
			assert.Equal(t, len(granted) > 1, doubles > 0, "%s on %s: %d sites granted a welcome bonus, %d double-welcome records",
				email, s.name, len(granted), doubles)
		}
	}
	assert.Positive(t, raced, "eve's race")
	t.Logf("welcome bonus: granted once for %d members, by several sites (raced) for %d", once, raced)

	var faults int
	for _, s := range sites {
		for _, f := range []string{"drop", "lose", "5xx", "duplicate", "reorder"} {
			faults += s.transport.Count(f)
		}
	}
	assert.Positive(t, faults, "faults were injected")
	t.Logf("%d local movements, %d faults", len(local["a"])+len(local["b"])+len(local["c"]), faults)
}
