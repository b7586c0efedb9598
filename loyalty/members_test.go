package loyalty_test

import (
	"errors"
	"math/rand/v2"
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/memstore"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
)

var (
	memberIDFormat   = regexp.MustCompile(`^mem_[0-9a-f]{24}$`)
	memberCodeFormat = regexp.MustCompile(`^[ABCDEFGHJKLMNPQRSTUVWXYZ2-9]{8}$`)
)

// EnsureMember creates members in the caller's transaction with the engine's clock and random
// source, keeps a wanted code when well formed and free, and grants nothing.
func TestEnsureMember(t *testing.T) {
	ctx := t.Context()
	clock := storetest.NewClock(start)
	eng, err := loyalty.New(memstore.New(), loyalty.WithClock(clock),
		loyalty.WithRandom(rand.NewChaCha8([32]byte{7})))
	require.NoError(t, err)
	p := loyalty.DefaultProgram("card", "EUR")
	p.Earning.WelcomeBonus = 50
	_, err = eng.SaveProgram(ctx, p, "owner")
	require.NoError(t, err)

	ensure := func(nm loyalty.NewMember) (loyalty.Member, bool) {
		t.Helper()
		var m loyalty.Member
		var created bool
		require.NoError(t, eng.Store().Update(ctx, func(tx loyalty.Tx) error {
			var err error
			m, created, err = eng.EnsureMember(ctx, tx, nm)
			return err
		}))
		return m, created
	}

	ann, created := ensure(loyalty.NewMember{Email: " Ann@Example.com", Code: "abcd2345", Source: "sync:site-a"})
	assert.True(t, created)
	assert.Regexp(t, memberIDFormat, ann.ID)
	assert.Equal(t, "ABCD2345", ann.Code, "a well-formed free code is kept (upper case)")
	assert.Equal(t, "ann@example.com", ann.Email)
	assert.Equal(t, "sync:site-a", ann.Source)
	assert.Equal(t, start, ann.CreatedAt, "dated by the engine's clock")

	again, created := ensure(loyalty.NewMember{Email: "ann@example.com", Code: "ZZZZ9999"})
	assert.False(t, created)
	assert.Equal(t, ann, again, "found by email, unchanged")

	bo, created := ensure(loyalty.NewMember{Email: "bo@example.com", Code: "ABCD2345"})
	assert.True(t, created)
	assert.Regexp(t, memberCodeFormat, bo.Code)
	assert.NotEqual(t, ann.Code, bo.Code, "a taken code is replaced by a fresh one")
	assert.Equal(t, "manual", bo.Source)

	cy, _ := ensure(loyalty.NewMember{Email: "cy@example.com", Code: "S1234567"})
	assert.Regexp(t, memberCodeFormat, cy.Code, "a malformed code is replaced")
	assert.NotEqual(t, "S1234567", cy.Code)
	assert.NotEqual(t, bo.Code, cy.Code)

	err = eng.Store().Update(ctx, func(tx loyalty.Tx) error {
		_, _, err := eng.EnsureMember(ctx, tx, loyalty.NewMember{Email: "not-an-address"})
		return err
	})
	var verr *loyalty.ValidationError
	assert.True(t, errors.As(err, &verr), "%v", err)

	// Nothing granted: no account, so no welcome bonus and no movement.
	_, err = eng.Balance(ctx, "card", loyalty.MemberRef{Email: "ann@example.com"})
	assert.ErrorIs(t, err, loyalty.ErrNotMember)
}
