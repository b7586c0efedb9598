package loyalty_test

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/memstore"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
)

// A welcome bonus noted as granted elsewhere is never granted here: the member's first order
// earns its purchase points only; a note for a member who had this engine's bonus writes nothing
// and returns that bonus.
func TestNoteWelcomeGranted(t *testing.T) {
	ctx := t.Context()
	clock := storetest.NewClock(start)
	eng, err := loyalty.New(memstore.New(), loyalty.WithClock(clock))
	require.NoError(t, err)
	p := loyalty.DefaultProgram("card", "EUR")
	p.Earning.WelcomeBonus = 50
	_, err = eng.SaveProgram(ctx, p, "owner")
	require.NoError(t, err)
	note := func(memberID string) (loyalty.Movement, bool, error) {
		var m loyalty.Movement
		var noted bool
		err := eng.Store().Update(ctx, func(tx loyalty.Tx) error {
			var err error
			m, noted, err = eng.NoteWelcomeGranted(ctx, tx, "card", memberID, "Welcome bonus granted on site A")
			return err
		})
		return m, noted, err
	}
	order := func(id, email string) loyalty.OrderResult {
		res, err := eng.ProcessOrder(ctx, "card", loyalty.OrderEvent{Store: "shop", OrderID: id, Status: "completed",
			Total: decimal.NewFromInt(10), Currency: "EUR", BillingEmail: email})
		require.NoError(t, err)
		return res
	}

	ann, err := eng.Enroll(ctx, "card", loyalty.NewMember{Email: "ann@example.com"})
	require.NoError(t, err)
	m, noted, err := note(ann.ID)
	require.NoError(t, err)
	assert.True(t, noted)
	assert.Equal(t, loyalty.Movement{Seq: m.Seq, ProgramID: "card", MemberID: ann.ID, Key: loyalty.WelcomeKey(ann.ID),
		Kind: loyalty.KindWelcome, Reason: "Welcome bonus granted on site A", CreatedAt: start}, m)
	again, noted, err := note(ann.ID)
	require.NoError(t, err)
	assert.False(t, noted)
	assert.Equal(t, m, again, "the first note stands")

	res := order("1", "ann@example.com")
	assert.Equal(t, "awarded 10 points", res.Reason)
	require.Len(t, res.Movements, 1)
	assert.Equal(t, loyalty.KindEarn, res.Movements[0].Kind)
	assert.Equal(t, int64(10), res.Balance)

	// A member who had this engine's welcome bonus: nothing is written, the bonus is returned.
	res = order("2", "bo@example.com")
	require.Equal(t, int64(60), res.Balance)
	m, noted, err = note(res.Member.ID)
	require.NoError(t, err)
	assert.False(t, noted)
	assert.Equal(t, int64(50), m.Applied)
	assert.Equal(t, "Welcome bonus with order 2", m.Reason)

	// A member without an account on the program: not found, nothing written.
	_, _, err = note("mem_unknown")
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}
