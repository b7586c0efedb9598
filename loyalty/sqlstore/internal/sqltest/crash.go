package sqltest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
)

// Reopen opens the database under test, the same one at every call; close ends the process's
// hold on it (its connections).
type Reopen func(t *testing.T) (s loyalty.Store, close func() error)

// errDied is what a "dead" process's coupon call returns: its caller is gone.
var errDied = errors.New("sqltest: the process died here")

// dyingIssuer is a coupon issuer in front of the shop's coupons (which survive any crash of
// ours) that kills the process at one step of a redemption: it closes the store's database
// before it answers, so that nothing after that step reaches the database.
type dyingIssuer struct {
	shop  *storetest.CouponIssuer
	die   func() error
	fault storetest.Fault // what the shop does with the call before the death
	// dieAfterAnswer lets the answer through and leaves the death to the next database step.
	dieAfterAnswer bool
}

func (d *dyingIssuer) IssueCoupon(ctx context.Context, c loyalty.Coupon) (string, error) {
	d.shop.FailNext(d.fault)
	id, err := d.shop.IssueCoupon(ctx, c)
	if cerr := d.die(); cerr != nil {
		return "", fmt.Errorf("close the database: %w", cerr)
	}
	if d.dieAfterAnswer {
		return id, err
	}
	if err != nil {
		return "", err
	}
	return "", errDied
}

// TestCrashDuringRedemption interrupts a redemption between its steps by closing the database
// under the engine (the process dies: its connections are gone, its engine is dropped), then
// reopens the database with a new engine whose Recover pass must finish the redemption:
// coupon and deduction both or neither.
func TestCrashDuringRedemption(t *testing.T, reopen Reopen) {
	steps := []struct {
		name    string
		fault   storetest.Fault
		answer  bool
		final   loyalty.RedemptionState
		balance int64
		coupon  bool
	}{
		{name: "after the reservation, before the coupon", fault: storetest.FailBefore,
			final: loyalty.RedemptionIssued, balance: 4000, coupon: true},
		{name: "coupon created, before its answer", fault: storetest.NoFault,
			final: loyalty.RedemptionIssued, balance: 4000, coupon: true},
		{name: "coupon created and answered, before the confirmation", fault: storetest.NoFault, answer: true,
			final: loyalty.RedemptionIssued, balance: 4000, coupon: true},
		{name: "coupon rejected, before the release", fault: storetest.Reject, answer: true,
			final: loyalty.RedemptionReleased, balance: 5000},
	}
	shop := storetest.NewCouponIssuer()
	clock := storetest.NewClock(Epoch)
	for i, st := range steps {
		t.Run(st.name, func(t *testing.T) {
			ctx := t.Context()
			email := fmt.Sprintf("crash%d@example.com", i)

			// The first process: a member with 5,000 points starts a redemption and dies.
			m, r := func() (loyalty.Member, loyalty.Redemption) {
				s, closeDB := reopen(t)
				died := false
				issuer := &dyingIssuer{shop: shop, fault: st.fault, dieAfterAnswer: st.answer,
					die: func() error { died = true; return closeDB() }}
				eng := NewEngine(t, s, issuer, loyalty.WithClock(clock))
				m, err := eng.Enroll(ctx, "card", loyalty.NewMember{Email: email})
				require.NoError(t, err)
				_, err = eng.Adjust(ctx, loyalty.AdjustRequest{ProgramID: "card", Member: loyalty.MemberRef{ID: m.ID},
					Points: 5000, Key: email})
				require.NoError(t, err)
				r, err := eng.Redeem(ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{ID: m.ID}, Points: 1000})
				require.True(t, died, "the process died during the redemption")
				require.ErrorIs(t, err, loyalty.ErrRedemptionPending, "the redemption is left reserved")
				require.NotEmpty(t, r.ID)
				return m, r
			}()

			// The next process: the same database, a new engine, a Recover pass at start-up
			// once the reservation is older than the recover age.
			clock.Advance(2 * time.Minute)
			s, closeDB := reopen(t)
			defer func() { require.NoError(t, closeDB()) }()
			if st.fault == storetest.Reject {
				shop.FailNext(storetest.Reject) // a rejected coupon stays rejected
			}
			eng := NewEngine(t, s, shop, loyalty.WithClock(clock))
			rep, err := eng.Recover(ctx)
			require.NoError(t, err)
			if st.final == loyalty.RedemptionIssued {
				assert.Equal(t, loyalty.RecoverReport{Issued: 1}, rep)
			} else {
				assert.Equal(t, loyalty.RecoverReport{Released: 1}, rep)
			}
			var got loyalty.Redemption
			require.NoError(t, s.View(ctx, func(tx loyalty.ReadTx) error {
				got, err = tx.Redemption(ctx, r.ID)
				return err
			}))
			assert.Equal(t, st.final, got.State)
			_, coupon := shop.Coupon(got.Code)
			assert.Equal(t, st.coupon, coupon, "the coupon exists exactly when the points are deducted")
			b, err := eng.Balance(ctx, "card", loyalty.MemberRef{ID: m.ID})
			require.NoError(t, err)
			assert.Equal(t, st.balance, b)
			var sum int64
			for mv, err := range eng.AllHistory(ctx, "card", m.ID) {
				require.NoError(t, err)
				sum += mv.Applied
			}
			assert.Equal(t, b, sum, "history sums to the balance")
			rep, err = eng.Recover(ctx)
			require.NoError(t, err)
			assert.Equal(t, loyalty.RecoverReport{}, rep, "nothing left to recover")
		})
	}
}
