package pointsyncconnect_test

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/pgtest"
	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/pointsyncconnect"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/postgres"
	"github.com/loyalsync/loyalsync/pointsync"
)

// welcomeStores runs test on two linked sites of each store: memory, SQLite and, with
// LOYALSYNC_TEST_POSTGRES set, PostgreSQL (each site in a fresh schema).
func welcomeStores(t *testing.T, test func(t *testing.T, a, b *site)) {
	t.Run("memory", func(t *testing.T) { test(t, newSite(t), newSite(t)) })
	t.Run("SQLite", func(t *testing.T) { test(t, newSQLiteSite(t), newSQLiteSite(t)) })
	t.Run("PostgreSQL", func(t *testing.T) {
		dsn := pgtest.DSN(t)
		test(t, newPostgresSite(t, dsn), newPostgresSite(t, dsn))
	})
}

// newPostgresSite is a site whose ledger, settings and queue are in one fresh PostgreSQL schema.
func newPostgresSite(t *testing.T, dsn string) *site {
	t.Helper()
	db, err := postgres.Open(t.Context(), dsn, postgres.WithSchema(pgtest.FreshSchema(t, dsn)))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return newSiteOn(t, db, newSQLStore(t, db, nil))
}

const welcomeBonus = 20

// withWelcome gives the sites' program a welcome bonus and links them.
func withWelcome(t *testing.T, sites ...*site) {
	t.Helper()
	for _, s := range sites {
		p, err := s.engine.Program(t.Context(), program)
		require.NoError(t, err)
		p.Earning.WelcomeBonus = welcomeBonus
		_, err = s.engine.SaveProgram(t.Context(), p, "owner")
		require.NoError(t, err)
	}
	link(t, sites[0], sites[1])
}

func order(s *site, id string, total int64, email string) loyalty.OrderEvent {
	return loyalty.OrderEvent{Store: "https://" + s.local.SharingKey + ".example", OrderID: id, Status: "completed",
		Total: decimal.NewFromInt(total), Currency: "EUR", BillingEmail: email}
}

func process(t *testing.T, s *site, ev loyalty.OrderEvent) loyalty.OrderResult {
	t.Helper()
	res, err := s.engine.ProcessOrder(t.Context(), program, ev)
	require.NoError(t, err)
	return res
}

func history(t *testing.T, s *site, email string) []loyalty.Movement {
	t.Helper()
	var out []loyalty.Movement
	for m, err := range s.engine.AllHistory(t.Context(), program, mustMember(t, s, email).ID) {
		require.NoError(t, err)
		out = append(out, m)
	}
	return out
}

// welcomes returns the welcome movements that moved points, and the 0-point welcome records.
func welcomes(ms []loyalty.Movement) (granted, records []loyalty.Movement) {
	for _, m := range ms {
		if m.Kind != loyalty.KindWelcome {
			continue
		}
		if m.Applied != 0 {
			granted = append(granted, m)
		} else {
			records = append(records, m)
		}
	}
	return granted, records
}

func activities(t *testing.T, s *site, kind loyalty.ActivityKind) []loyalty.ActivityEntry {
	t.Helper()
	entries, _, err := s.engine.Activity(t.Context(), program, loyalty.PageOptions{Limit: 100})
	require.NoError(t, err)
	var out []loyalty.ActivityEntry
	for _, e := range entries {
		if e.Kind == kind {
			out = append(out, e)
		}
	}
	return out
}

// A member who joined on site a with a's welcome bonus gets no second one when ordering on
// site b after a's movements arrived there: one welcome bonus per person across the linked
// sites, balances equal, and b's history says why.
func TestWelcomeBonusOncePerPersonAcrossSites(t *testing.T) {
	welcomeStores(t, testWelcomeOnce)
}

func testWelcomeOnce(t *testing.T, a, b *site) {
	ctx := t.Context()
	withWelcome(t, a, b)
	const ann = "ann@example.com"

	first := process(t, a, order(a, "A1", 50, ann))
	require.True(t, first.NewMember)
	require.Equal(t, int64(50+welcomeBonus), first.Balance, "a grants the welcome bonus with the first order")
	flush(t, a, b)
	require.Equal(t, int64(50+welcomeBonus), balance(t, b, ann))
	assert.Zero(t, pending(t, b, a), "nothing applied from sync, and no welcome record, is sent back")

	res := process(t, b, order(b, "B1", 30, ann))
	assert.False(t, res.NewMember)
	for _, m := range res.Movements {
		assert.NotEqual(t, loyalty.KindWelcome, m.Kind, "b grants no second welcome bonus")
	}
	assert.Equal(t, "awarded 30 points", res.Reason)
	assert.Equal(t, int64(80+welcomeBonus), res.Balance)
	assert.Equal(t, 1, pending(t, b, a), "only b's earn is queued for a")
	flush(t, b, a)
	for name, s := range map[string]*site{"a": a, "b": b} {
		assert.Equal(t, int64(80+welcomeBonus), balance(t, s, ann), name)
		granted, _ := welcomes(history(t, s, ann))
		assert.Len(t, granted, 1, "one welcome bonus on %s", name)
		assert.Empty(t, activities(t, s, pointsyncconnect.ActivityDoubleWelcome), name)
	}

	// b's history explains the missing bonus: the synced welcome bonus of a, then b's record
	// under the member's welcome key, 0 points, naming the site.
	bAnn := mustMember(t, b, ann)
	_, records := welcomes(history(t, b, ann))
	require.Len(t, records, 1)
	rec := records[0]
	assert.Equal(t, loyalty.WelcomeKey(bAnn.ID), rec.Key)
	assert.Zero(t, rec.Requested)
	assert.Equal(t, int64(50+welcomeBonus), rec.BalanceAfter)
	assert.Contains(t, rec.Reason, "granted on site "+a.local.SharingKey)
	assert.Contains(t, rec.Reason, "Welcome bonus with order A1", "the origin's reason is quoted")
	_, aRecords := welcomes(history(t, a, ann))
	assert.Empty(t, aRecords, "a, which granted the bonus, records nothing more")

	// A redelivery of a's welcome bonus applies nothing and records nothing again.
	var aWelcome loyalty.Movement
	for _, m := range history(t, a, ann) {
		if m.Kind == loyalty.KindWelcome {
			aWelcome = m
		}
	}
	ledger, err := pointsyncconnect.NewLedger(b.engine)
	require.NoError(t, err)
	again, err := ledger.ApplyRemote(ctx, pointsync.Incoming{Origin: a.local.SharingKey, Reserve: program, BatchID: "again",
		Movements: []pointsync.Movement{{ID: aWelcome.Key, Member: pointsync.Member{Email: ann},
			Points: welcomeBonus, Kind: pointsync.KindWelcome, Reason: aWelcome.Reason, Time: aWelcome.CreatedAt}}})
	require.NoError(t, err)
	assert.Equal(t, pointsync.Applied{Duplicates: 1}, again)
	_, records = welcomes(history(t, b, ann))
	assert.Len(t, records, 1)
	assert.Empty(t, activities(t, b, pointsyncconnect.ActivityDoubleWelcome))

	// Refunding a's first order still takes back a's welcome bonus; refunding b's order takes
	// back only its own points, which had no welcome bonus.
	ev := order(a, "A1", 50, ann)
	ev.Status, ev.RefundedTotal = "refunded", ev.Total
	refund := process(t, a, ev)
	require.Len(t, refund.Movements, 1)
	assert.Equal(t, int64(-50-welcomeBonus), refund.Movements[0].Requested)
	ev = order(b, "B1", 30, ann)
	ev.Status, ev.RefundedTotal = "refunded", ev.Total
	refund = process(t, b, ev)
	require.Len(t, refund.Movements, 1)
	assert.Equal(t, int64(-30), refund.Movements[0].Requested)
	flush(t, a, b)
	flush(t, b, a)
	for name, s := range map[string]*site{"a": a, "b": b} {
		assert.Equal(t, int64(0), balance(t, s, ann), name)
	}

	// A later order on either site grants no welcome bonus either: the member had theirs.
	for name, s := range map[string]*site{"a": a, "b": b} {
		res := process(t, s, order(s, name+"-later", 10, ann))
		assert.Equal(t, "awarded 10 points", res.Reason, name)
	}
}

// The race: the same person's first orders on two sites before either site's movements reached
// the other. Each site grants its welcome bonus; both are synced, so balances agree with two
// bonuses, no double spend is reported (nothing was overspent), and every site records the
// double welcome bonus in its activity log.
func TestWelcomeBonusRaceRecordedOnBothSites(t *testing.T) {
	welcomeStores(t, testWelcomeRace)
}

func testWelcomeRace(t *testing.T, a, b *site) {
	withWelcome(t, a, b)
	const bo = "bo@example.com"
	process(t, a, order(a, "A1", 10, bo))
	process(t, b, order(b, "B1", 5, bo))
	flush(t, a, b)
	flush(t, b, a)
	for name, s := range map[string]*site{"a": a, "b": b} {
		assert.Equal(t, int64(15+2*welcomeBonus), balance(t, s, bo), name)
		granted, records := welcomes(history(t, s, bo))
		assert.Len(t, granted, 2, "%s: its own and the other site's", name)
		assert.Empty(t, records, name)
		assert.Empty(t, activities(t, s, pointsyncconnect.ActivityDoubleSpend), name)
		dw := activities(t, s, pointsyncconnect.ActivityDoubleWelcome)
		require.Len(t, dw, 1, name)
		assert.Equal(t, mustMember(t, s, bo).ID, dw[0].MemberID)
		other := b
		if s == b {
			other = a
		}
		assert.Equal(t, "sync:"+other.local.SharingKey, dw[0].Actor)
		assert.True(t, strings.Contains(dw[0].Message, "welcome bonus granted twice"), dw[0].Message)
	}
	assert.Zero(t, pending(t, a, b))
	assert.Zero(t, pending(t, b, a))
}
