package pointsyncconnect_test

import (
	"math/rand/v2"
	"regexp"
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

// An unknown member is created as the engine creates members: the engine's id and code format,
// its clock and random source, the code of the origin kept when free and well formed, and no
// welcome bonus (the origin's welcome bonus arrives as a movement of its own).
func TestLedgerCreatesMembersTheEngineWay(t *testing.T) {
	t.Run("memory", func(t *testing.T) { testLedgerMembers(t, memstore.New()) })
	t.Run("SQLite", func(t *testing.T) { testLedgerMembers(t, openSQLite(t)) })
}

func testLedgerMembers(t *testing.T, store loyalty.Store) {
	ctx := t.Context()
	at := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	eng, err := loyalty.New(store, loyalty.WithClock(storetest.NewClock(at)), loyalty.WithRandom(rand.NewChaCha8([32]byte{15})))
	require.NoError(t, err)
	p := loyalty.DefaultProgram(program, "EUR")
	p.Earning.WelcomeBonus = 50
	p.EmailLanguage = "sv"
	_, err = eng.SaveProgram(ctx, p, "owner")
	require.NoError(t, err)
	local, err := eng.Enroll(ctx, program, loyalty.NewMember{Email: "local@example.com", Code: "HJKL2345"})
	require.NoError(t, err)
	require.Equal(t, "HJKL2345", local.Code)
	ledger, err := pointsyncconnect.NewLedger(eng)
	require.NoError(t, err)

	sent := at.Add(-time.Hour)
	mv := func(id, email, code string, points int64) pointsync.Movement {
		return pointsync.Movement{ID: id, Member: pointsync.Member{Email: email, Code: code}, Points: points,
			Kind: pointsync.KindEarn, Reason: "order", Time: sent}
	}
	res, err := ledger.ApplyRemote(ctx, pointsync.Incoming{Origin: "site-a", Reserve: program, BatchID: "b1",
		Movements: []pointsync.Movement{
			mv("earn/1", "ann@example.com", "ABCD2345", 30),
			mv("earn/2", "dan@example.com", "legacy-7", 12),
			mv("earn/3", "renamed@example.com", "HJKL2345", 4),
		}})
	require.NoError(t, err)
	assert.Equal(t, pointsync.Applied{Applied: 3}, res)

	ann := mustFind(t, eng, "ann@example.com")
	assert.Regexp(t, `^mem_[0-9a-f]{24}$`, ann.ID, "the engine's id format")
	assert.Equal(t, "ABCD2345", ann.Code, "the origin's code, free here, is kept")
	assert.Equal(t, "sync:site-a", ann.Source)
	assert.Equal(t, at, ann.CreatedAt, "dated by the engine's clock")
	assert.Equal(t, "sv", ann.Language, "the program's email language")

	dan := mustFind(t, eng, "dan@example.com")
	assert.Regexp(t, memberCode, dan.Code, "a code that is not a member code is replaced")

	// A code this site knows names that member (the same person, whose email changed on the
	// origin): no member is created.
	_, err = eng.FindMember(ctx, loyalty.MemberRef{Email: "renamed@example.com"})
	assert.ErrorIs(t, err, loyalty.ErrMemberNotFound)
	assert.Equal(t, int64(4), mustBalance(t, eng, "local@example.com"))

	// No welcome bonus: the only movement is the synced one.
	for id, who := range map[string]loyalty.Member{"earn/1": ann, "earn/2": dan} {
		var keys []string
		for m, err := range eng.AllHistory(ctx, program, who.ID) {
			require.NoError(t, err)
			keys = append(keys, m.Key)
		}
		assert.Equal(t, []string{pointsyncconnect.SyncKey("site-a", id)}, keys, who.Email)
	}
	assert.Equal(t, int64(30), mustBalance(t, eng, "ann@example.com"))

	// The same random source and clock give the same member on another engine: the engine drew
	// the id, not the ledger.
	twin, err := loyalty.New(memstore.New(), loyalty.WithClock(storetest.NewClock(at)), loyalty.WithRandom(rand.NewChaCha8([32]byte{15})))
	require.NoError(t, err)
	_, err = twin.SaveProgram(ctx, p, "owner")
	require.NoError(t, err)
	twinLocal, err := twin.Enroll(ctx, program, loyalty.NewMember{Email: "local@example.com", Code: "HJKL2345"})
	require.NoError(t, err)
	require.Equal(t, local.ID, twinLocal.ID)
	twinLedger, err := pointsyncconnect.NewLedger(twin)
	require.NoError(t, err)
	_, err = twinLedger.ApplyRemote(ctx, pointsync.Incoming{Origin: "site-a", Reserve: program, BatchID: "b1",
		Movements: []pointsync.Movement{mv("earn/1", "ann@example.com", "ABCD2345", 30)}})
	require.NoError(t, err)
	assert.Equal(t, ann.ID, mustFind(t, twin, "ann@example.com").ID)
}

var memberCode = regexp.MustCompile(`^[ABCDEFGHJKLMNPQRSTUVWXYZ2-9]{8}$`)

func mustFind(t *testing.T, eng *loyalty.Engine, email string) loyalty.Member {
	t.Helper()
	m, err := eng.FindMember(t.Context(), loyalty.MemberRef{Email: email})
	require.NoError(t, err)
	return m
}

func mustBalance(t *testing.T, eng *loyalty.Engine, email string) int64 {
	t.Helper()
	b, err := eng.Balance(t.Context(), program, loyalty.MemberRef{Email: email})
	require.NoError(t, err)
	return b
}
