package sqltest

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
)

// TestFailedWritesLeaveNothing checks that a write method that fails changes nothing, even in a
// transaction that goes on and commits: AppendMovement with a taken key, a stale balance or no
// account, and UpdateRedemption from the wrong state.
func TestFailedWritesLeaveNothing(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	mv := func(key string, applied, after int64) loyalty.Movement {
		return loyalty.Movement{ProgramID: "card", MemberID: "m1", Key: key, Kind: loyalty.KindAdjust,
			Requested: applied, Applied: applied, BalanceAfter: after, CreatedAt: Epoch}
	}
	require.NoError(t, s.Update(ctx, func(tx loyalty.Tx) error {
		if err := tx.PutProgram(ctx, loyalty.DefaultProgram("card", "EUR")); err != nil {
			return err
		}
		if _, err := tx.CreateMember(ctx, loyalty.Member{ID: "m1", Code: "CODE1", Email: "m1@example.com"}); err != nil {
			return err
		}
		if _, err := tx.CreateAccount(ctx, loyalty.Account{ProgramID: "card", MemberID: "m1", JoinedAt: Epoch}); err != nil {
			return err
		}
		if _, err := tx.AppendMovement(ctx, mv("k1", 10, 10)); err != nil {
			return err
		}
		_, err := tx.CreateRedemption(ctx, loyalty.Redemption{ID: "r1", ProgramID: "card", MemberID: "m1", Code: "C-1",
			State: loyalty.RedemptionIssued, CreatedAt: Epoch})
		return err
	}))
	require.NoError(t, s.Update(ctx, func(tx loyalty.Tx) error {
		_, err := tx.AppendMovement(ctx, mv("k1", 5, 15))
		assert.ErrorIs(t, err, loyalty.ErrDuplicateKey, "taken key")
		_, err = tx.AppendMovement(ctx, mv("k2", 5, 7))
		assert.ErrorIs(t, err, loyalty.ErrConflict, "stale balance")
		ghost := mv("k3", 5, 5)
		ghost.MemberID = "ghost"
		_, err = tx.AppendMovement(ctx, ghost)
		assert.ErrorIs(t, err, loyalty.ErrNotFound, "no account")
		err = tx.UpdateRedemption(ctx, loyalty.Redemption{ID: "r1", ProgramID: "card", MemberID: "m1",
			State: loyalty.RedemptionReleased}, loyalty.RedemptionReserved)
		assert.ErrorIs(t, err, loyalty.ErrConflict, "wrong state")
		return nil // the transaction commits anyway
	}))
	require.NoError(t, s.View(ctx, func(tx loyalty.ReadTx) error {
		a, err := tx.Account(ctx, "card", "m1")
		require.NoError(t, err)
		assert.EqualValues(t, 10, a.Balance)
		ms, err := tx.Movements(ctx, "card", "m1", loyalty.Page{Limit: 10})
		require.NoError(t, err)
		assert.Len(t, ms, 1)
		r, err := tx.Redemption(ctx, "r1")
		require.NoError(t, err)
		assert.Equal(t, loyalty.RedemptionIssued, r.State)
		return nil
	}))
}
