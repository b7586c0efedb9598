package storetest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
)

var errAbort = errors.New("storetest: abort transaction")

func update(t *testing.T, s loyalty.Store, fn func(tx loyalty.Tx) error) {
	t.Helper()
	require.NoError(t, s.Update(t.Context(), fn))
}

func view(t *testing.T, s loyalty.Store, fn func(tx loyalty.ReadTx) error) {
	t.Helper()
	require.NoError(t, s.View(t.Context(), fn))
}

func sampleProgram() loyalty.Program {
	p := loyalty.DefaultProgram("card", "EUR")
	p.Name = "Card"
	p.EmailLanguage = "de-CH"
	p.AwardOn = loyalty.AwardOnCompleted
	p.PartialRefunds = loyalty.PartialRefundsProportional
	p.Earning = loyalty.EarningRules{PointsPerUnit: dec("2.5"), Rounding: loyalty.RoundUp, MinPoints: 3, MaxPoints: 900, WelcomeBonus: 40}
	p.Redemption = loyalty.RedemptionRules{Enabled: true, DiscountPerPoint: dec("0.0125"), MinPoints: 100, MaxPoints: 5000,
		CouponPrefix: "SHOP1", ValidityDays: 90}
	p.Paused = true
	p.UpdatedAt = epoch
	return p
}

func sampleMember(id, email, code string) loyalty.Member {
	return loyalty.Member{ID: id, Code: code, Email: email, Name: "Name " + id, Language: "fr", Source: "manual", CreatedAt: epoch}
}

// seedAccount stores the program "card", a member and its account.
func seedAccount(ctx context.Context, tx loyalty.Tx, memberID string) (loyalty.Member, loyalty.Account, error) {
	if _, err := tx.Program(ctx, "card"); errors.Is(err, loyalty.ErrNotFound) {
		if err := tx.PutProgram(ctx, sampleProgram()); err != nil {
			return loyalty.Member{}, loyalty.Account{}, err
		}
	}
	m, err := tx.CreateMember(ctx, sampleMember(memberID, memberID+"@example.com", "CODE"+memberID))
	if err != nil {
		return m, loyalty.Account{}, err
	}
	a, err := tx.CreateAccount(ctx, loyalty.Account{ProgramID: "card", MemberID: m.ID, JoinedAt: epoch, UpdatedAt: epoch})
	return m, a, err
}

func movement(memberID, key string, applied, after int64) loyalty.Movement {
	return loyalty.Movement{ProgramID: "card", MemberID: memberID, Key: key, Kind: loyalty.KindAdjust,
		Requested: applied, Applied: applied, BalanceAfter: after, Reason: "test", CreatedAt: epoch}
}

func testRoundTrip(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	prog := sampleProgram()
	order := loyalty.OrderState{ProgramID: "card", Store: "https://shop.example", OrderID: "1042", MemberID: "m1",
		Status: loyalty.StatusCompleted, Total: dec("123.45"), Currency: "EUR", EarnedPoints: 123, WelcomePoints: 40,
		ClawedBack: 7, RefundedTotal: dec("10.5"), RefundExempt: dec("2.25"), AwardedAt: epoch, UpdatedAt: epoch.Add(time.Second)}
	red := loyalty.Redemption{ID: "r1", ProgramID: "card", MemberID: "m1", Email: "m1@example.com", Points: 1000,
		Value: dec("12.50"), Currency: "EUR", Code: "SHOP1-ABCDEFGH", State: loyalty.RedemptionReserved, Failure: "x",
		Attempts: 2, Actor: "member", CreatedAt: epoch, ExpiresAt: epoch.AddDate(0, 0, 7), UpdatedAt: epoch, IdempotencyKey: "click"}
	var member loyalty.Member
	var acct loyalty.Account
	var mv loyalty.Movement
	update(t, s, func(tx loyalty.Tx) error {
		var err error
		if member, acct, err = seedAccount(ctx, tx, "m1"); err != nil {
			return err
		}
		if _, err = tx.AppendMovement(ctx, movement("m1", "seed", 12, 12)); err != nil {
			return err
		}
		if mv, err = tx.AppendMovement(ctx, loyalty.Movement{ProgramID: "card", MemberID: "m1", Key: "earn/x/1",
			Kind: loyalty.KindEarn, Requested: -9, Applied: -5, BalanceAfter: 7, Reason: "r", Store: "x", OrderID: "1",
			RedemptionID: "r1", Channel: loyalty.ChannelCounter, Source: "sitoo:1/2/S-3", Amount: dec("-12.34"),
			CreatedAt: epoch}); err != nil {
			return err
		}
		if err := tx.CreateOrderState(ctx, order); err != nil {
			return err
		}
		if red, err = tx.CreateRedemption(ctx, red); err != nil {
			return err
		}
		return nil
	})
	assert.Positive(t, member.Number)
	assert.Positive(t, acct.Seq)
	assert.Positive(t, mv.Seq)
	assert.Positive(t, red.Seq)
	view(t, s, func(tx loyalty.ReadTx) error {
		gotProg, err := tx.Program(ctx, "card")
		require.NoError(t, err)
		assertProgramEqual(t, prog, gotProg)
		progs, err := tx.Programs(ctx)
		require.NoError(t, err)
		require.Len(t, progs, 1)

		for _, get := range []func() (loyalty.Member, error){
			func() (loyalty.Member, error) { return tx.Member(ctx, "m1") },
			func() (loyalty.Member, error) { return tx.MemberByEmail(ctx, "m1@example.com") },
			func() (loyalty.Member, error) { return tx.MemberByCode(ctx, "CODEm1") },
			func() (loyalty.Member, error) { return tx.MemberByNumber(ctx, member.Number) },
		} {
			got, err := get()
			require.NoError(t, err)
			assert.Equal(t, member.ID, got.ID)
			assert.Equal(t, member.Number, got.Number)
			assert.Equal(t, member.Email, got.Email)
			assert.Equal(t, member.Code, got.Code)
			assert.Equal(t, member.Name, got.Name)
			assert.Equal(t, member.Language, got.Language)
			assert.Equal(t, member.Source, got.Source)
			assert.True(t, member.CreatedAt.Equal(got.CreatedAt))
		}

		gotAcct, err := tx.Account(ctx, "card", "m1")
		require.NoError(t, err)
		assert.EqualValues(t, 7, gotAcct.Balance, "AppendMovement sets the balance to BalanceAfter")
		gotMv, err := tx.Movement(ctx, "card", "earn/x/1")
		require.NoError(t, err)
		assert.Equal(t, mv.Seq, gotMv.Seq)
		assert.Equal(t, loyalty.KindEarn, gotMv.Kind)
		assert.EqualValues(t, -9, gotMv.Requested)
		assert.EqualValues(t, -5, gotMv.Applied)
		assert.Equal(t, "x", gotMv.Store)
		assert.Equal(t, "1", gotMv.OrderID)
		assert.Equal(t, "r1", gotMv.RedemptionID)
		assert.Equal(t, loyalty.ChannelCounter, gotMv.Channel)
		assert.Equal(t, "sitoo:1/2/S-3", gotMv.Source)
		assert.Equal(t, "-12.34", gotMv.Amount.String())
		assert.Equal(t, "r", gotMv.Reason)
		assert.True(t, epoch.Equal(gotMv.CreatedAt))

		gotOrder, err := tx.OrderState(ctx, "card", "https://shop.example", "1042")
		require.NoError(t, err)
		assert.True(t, order.Total.Equal(gotOrder.Total))
		assert.True(t, order.RefundedTotal.Equal(gotOrder.RefundedTotal))
		assert.True(t, order.RefundExempt.Equal(gotOrder.RefundExempt), "%v", gotOrder.RefundExempt)
		assert.True(t, order.AwardedAt.Equal(gotOrder.AwardedAt))
		assert.True(t, order.UpdatedAt.Equal(gotOrder.UpdatedAt))
		gotOrder.Total, gotOrder.RefundedTotal, gotOrder.AwardedAt, gotOrder.UpdatedAt = order.Total, order.RefundedTotal, order.AwardedAt, order.UpdatedAt
		gotOrder.RefundExempt = order.RefundExempt
		assert.Equal(t, order, gotOrder)

		for _, get := range []func() (loyalty.Redemption, error){
			func() (loyalty.Redemption, error) { return tx.Redemption(ctx, "r1") },
			func() (loyalty.Redemption, error) { return tx.RedemptionByCode(ctx, "SHOP1-ABCDEFGH") },
		} {
			got, err := get()
			require.NoError(t, err)
			assert.True(t, red.Value.Equal(got.Value))
			assert.True(t, red.ExpiresAt.Equal(got.ExpiresAt))
			assert.True(t, red.CreatedAt.Equal(got.CreatedAt))
			got.Value, got.ExpiresAt, got.CreatedAt, got.UpdatedAt = red.Value, red.ExpiresAt, red.CreatedAt, red.UpdatedAt
			assert.Equal(t, red, got)
		}
		return nil
	})
	// The Update methods replace records; UpdateRedemption compares and sets the state.
	update(t, s, func(tx loyalty.Tx) error {
		r := red
		r.State, r.CouponID, r.Attempts = loyalty.RedemptionIssued, "c-9", 3
		if err := tx.UpdateRedemption(ctx, r, loyalty.RedemptionReserved); err != nil {
			return err
		}
		o := order
		o.Refunded, o.ClawedBack, o.Status = true, 163, loyalty.StatusRefunded
		return tx.UpdateOrderState(ctx, o)
	})
	view(t, s, func(tx loyalty.ReadTx) error {
		got, err := tx.Redemption(ctx, "r1")
		require.NoError(t, err)
		assert.Equal(t, loyalty.RedemptionIssued, got.State)
		assert.Equal(t, "c-9", got.CouponID)
		assert.Equal(t, 3, got.Attempts)
		assert.Equal(t, red.Seq, got.Seq)
		o, err := tx.OrderState(ctx, "card", "https://shop.example", "1042")
		require.NoError(t, err)
		assert.True(t, o.Refunded)
		assert.EqualValues(t, 163, o.ClawedBack)
		return nil
	})
	err := s.Update(ctx, func(tx loyalty.Tx) error {
		return tx.UpdateRedemption(ctx, loyalty.Redemption{ID: "nope"}, loyalty.RedemptionReserved)
	})
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	err = s.Update(ctx, func(tx loyalty.Tx) error {
		return tx.UpdateOrderState(ctx, loyalty.OrderState{ProgramID: "card", Store: "s", OrderID: "nope"})
	})
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	err = s.Update(ctx, func(tx loyalty.Tx) error {
		r := red
		r.State = loyalty.RedemptionReleased
		return tx.UpdateRedemption(ctx, r, loyalty.RedemptionReserved) // it is issued now
	})
	assert.ErrorIs(t, err, loyalty.ErrConflict, "UpdateRedemption compares the state")
}

func assertProgramEqual(t *testing.T, want, got loyalty.Program) {
	t.Helper()
	assert.True(t, want.Earning.PointsPerUnit.Equal(got.Earning.PointsPerUnit))
	assert.True(t, want.Redemption.DiscountPerPoint.Equal(got.Redemption.DiscountPerPoint))
	assert.True(t, want.UpdatedAt.Equal(got.UpdatedAt))
	got.Earning.PointsPerUnit, got.Redemption.DiscountPerPoint, got.UpdatedAt =
		want.Earning.PointsPerUnit, want.Redemption.DiscountPerPoint, want.UpdatedAt
	assert.Equal(t, want, got)
}

func testNotFound(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	view(t, s, func(tx loyalty.ReadTx) error {
		checks := map[string]error{}
		_, checks["Program"] = tx.Program(ctx, "x")
		_, checks["Member"] = tx.Member(ctx, "x")
		_, checks["MemberByEmail"] = tx.MemberByEmail(ctx, "x@example.com")
		_, checks["MemberByEmail empty"] = tx.MemberByEmail(ctx, "")
		_, checks["MemberByCode"] = tx.MemberByCode(ctx, "X")
		_, checks["MemberByNumber"] = tx.MemberByNumber(ctx, 1)
		_, checks["Account"] = tx.Account(ctx, "x", "y")
		_, checks["Movement"] = tx.Movement(ctx, "x", "k")
		_, checks["OrderState"] = tx.OrderState(ctx, "x", "s", "o")
		_, checks["Redemption"] = tx.Redemption(ctx, "x")
		_, checks["RedemptionByCode"] = tx.RedemptionByCode(ctx, "X")
		for name, err := range checks {
			assert.ErrorIs(t, err, loyalty.ErrNotFound, name)
		}
		progs, err := tx.Programs(ctx)
		require.NoError(t, err)
		assert.Empty(t, progs)
		ms, err := tx.Movements(ctx, "x", "y", loyalty.Page{Limit: 10})
		require.NoError(t, err)
		assert.Empty(t, ms)
		counts, err := tx.CountReceipts(ctx, "x", epoch)
		require.NoError(t, err)
		assert.Empty(t, counts)
		return nil
	})
}

// writeEverything writes one record of every kind.
func writeEverything(ctx context.Context, tx loyalty.Tx) error {
	if _, _, err := seedAccount(ctx, tx, "m1"); err != nil {
		return err
	}
	if _, err := tx.AppendMovement(ctx, movement("m1", "k1", 10, 10)); err != nil {
		return err
	}
	if err := tx.CreateOrderState(ctx, loyalty.OrderState{ProgramID: "card", Store: "s", OrderID: "o", MemberID: "m1"}); err != nil {
		return err
	}
	if _, err := tx.CreateRedemption(ctx, loyalty.Redemption{ID: "r1", ProgramID: "card", MemberID: "m1", Code: "C-1",
		State: loyalty.RedemptionReserved, CreatedAt: epoch}); err != nil {
		return err
	}
	if err := tx.AppendActivity(ctx, loyalty.ActivityEntry{ProgramID: "card", Kind: loyalty.ActivityConnected, At: epoch}); err != nil {
		return err
	}
	return tx.AppendReceipt(ctx, loyalty.Receipt{ProgramID: "card", OrderID: "o", Outcome: loyalty.OutcomeProcessed, ReceivedAt: epoch})
}

func assertEmpty(t *testing.T, s loyalty.Store) {
	t.Helper()
	ctx := t.Context()
	view(t, s, func(tx loyalty.ReadTx) error {
		_, err := tx.Program(ctx, "card")
		assert.ErrorIs(t, err, loyalty.ErrNotFound, "program")
		_, err = tx.Member(ctx, "m1")
		assert.ErrorIs(t, err, loyalty.ErrNotFound, "member")
		_, err = tx.MemberByEmail(ctx, "m1@example.com")
		assert.ErrorIs(t, err, loyalty.ErrNotFound, "member email index")
		_, err = tx.MemberByCode(ctx, "CODEm1")
		assert.ErrorIs(t, err, loyalty.ErrNotFound, "member code index")
		_, err = tx.Account(ctx, "card", "m1")
		assert.ErrorIs(t, err, loyalty.ErrNotFound, "account")
		_, err = tx.Movement(ctx, "card", "k1")
		assert.ErrorIs(t, err, loyalty.ErrNotFound, "movement")
		_, err = tx.OrderState(ctx, "card", "s", "o")
		assert.ErrorIs(t, err, loyalty.ErrNotFound, "order state")
		_, err = tx.Redemption(ctx, "r1")
		assert.ErrorIs(t, err, loyalty.ErrNotFound, "redemption")
		_, err = tx.RedemptionByCode(ctx, "C-1")
		assert.ErrorIs(t, err, loyalty.ErrNotFound, "redemption code index")
		act, err := tx.Activity(ctx, "card", loyalty.Page{Limit: 10})
		require.NoError(t, err)
		assert.Empty(t, act, "activity")
		rs, err := tx.Receipts(ctx, "card", "", loyalty.Page{Limit: 10})
		require.NoError(t, err)
		assert.Empty(t, rs, "receipts")
		ms, err := tx.Memberships(ctx, "card", loyalty.Page{Limit: 10})
		require.NoError(t, err)
		assert.Empty(t, ms, "memberships")
		reserved, err := tx.ReservedRedemptions(ctx, epoch.Add(time.Hour), 0, 10)
		require.NoError(t, err)
		assert.Empty(t, reserved, "reserved redemptions")
		return nil
	})
}

func testFailedTransactionLeavesNoTrace(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	err := s.Update(ctx, func(tx loyalty.Tx) error {
		if err := writeEverything(ctx, tx); err != nil {
			return err
		}
		return errAbort
	})
	require.ErrorIs(t, err, errAbort)
	assertEmpty(t, s)
	// The same writes succeed afterwards: no unique index kept a ghost.
	update(t, s, func(tx loyalty.Tx) error { return writeEverything(ctx, tx) })
}

func testPanickingTransactionLeavesNoTrace(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	func() {
		defer func() { assert.NotNil(t, recover(), "the panic propagates") }()
		_ = s.Update(ctx, func(tx loyalty.Tx) error {
			if err := writeEverything(ctx, tx); err != nil {
				return err
			}
			panic("storetest: crash inside a transaction")
		})
	}()
	assertEmpty(t, s)
	update(t, s, func(tx loyalty.Tx) error { return writeEverything(ctx, tx) })
}

func testUniqueKeys(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	update(t, s, func(tx loyalty.Tx) error {
		if err := writeEverything(ctx, tx); err != nil {
			return err
		}
		other := sampleProgram()
		other.ID = "other"
		if err := tx.PutProgram(ctx, other); err != nil {
			return err
		}
		_, err := tx.CreateAccount(ctx, loyalty.Account{ProgramID: "other", MemberID: "m1", JoinedAt: epoch})
		return err
	})
	dups := map[string]func(tx loyalty.Tx) error{
		"movement key": func(tx loyalty.Tx) error {
			_, err := tx.AppendMovement(ctx, movement("m1", "k1", 1, 11))
			return err
		},
		"member id": func(tx loyalty.Tx) error {
			_, err := tx.CreateMember(ctx, sampleMember("m1", "new@example.com", "NEWCODE"))
			return err
		},
		"member email": func(tx loyalty.Tx) error {
			_, err := tx.CreateMember(ctx, sampleMember("m2", "m1@example.com", "NEWCODE"))
			return err
		},
		"member email update": func(tx loyalty.Tx) error {
			if _, err := tx.CreateMember(ctx, sampleMember("m2", "m2@example.com", "NEWCODE")); err != nil {
				return err
			}
			return tx.UpdateMemberEmail(ctx, "m2", "m1@example.com")
		},
		"member code": func(tx loyalty.Tx) error {
			_, err := tx.CreateMember(ctx, sampleMember("m2", "new@example.com", "CODEm1"))
			return err
		},
		"account": func(tx loyalty.Tx) error {
			_, err := tx.CreateAccount(ctx, loyalty.Account{ProgramID: "card", MemberID: "m1", JoinedAt: epoch})
			return err
		},
		"redemption id": func(tx loyalty.Tx) error {
			_, err := tx.CreateRedemption(ctx, loyalty.Redemption{ID: "r1", ProgramID: "card", MemberID: "m1", Code: "C-2", CreatedAt: epoch})
			return err
		},
		"order state": func(tx loyalty.Tx) error {
			return tx.CreateOrderState(ctx, loyalty.OrderState{ProgramID: "card", Store: "s", OrderID: "o", MemberID: "m2"})
		},
		"coupon code": func(tx loyalty.Tx) error {
			_, err := tx.CreateRedemption(ctx, loyalty.Redemption{ID: "r2", ProgramID: "card", MemberID: "m1", Code: "C-1", CreatedAt: epoch})
			return err
		},
	}
	for name, fn := range dups {
		err := s.Update(ctx, fn)
		assert.ErrorIs(t, err, loyalty.ErrDuplicateKey, name)
	}
	// Keys are unique per program: the same key in another program is fine, and members
	// without email do not collide on the empty email.
	update(t, s, func(tx loyalty.Tx) error {
		if _, err := tx.AppendMovement(ctx, loyalty.Movement{ProgramID: "other", MemberID: "m1", Key: "k1",
			Kind: loyalty.KindAdjust, Requested: 5, Applied: 5, BalanceAfter: 5, CreatedAt: epoch}); err != nil {
			return err
		}
		if _, err := tx.CreateMember(ctx, sampleMember("m3", "", "CODEm3")); err != nil {
			return err
		}
		_, err := tx.CreateMember(ctx, sampleMember("m4", "", "CODEm4"))
		return err
	})
	view(t, s, func(tx loyalty.ReadTx) error {
		a, err := tx.Account(ctx, "card", "m1")
		require.NoError(t, err)
		assert.EqualValues(t, 10, a.Balance, "the failed duplicate left the balance alone")
		b, err := tx.Account(ctx, "other", "m1")
		require.NoError(t, err)
		assert.EqualValues(t, 5, b.Balance)
		m3, err := tx.Member(ctx, "m3")
		require.NoError(t, err)
		m4, err := tx.Member(ctx, "m4")
		require.NoError(t, err)
		assert.Greater(t, m4.Number, m3.Number, "member numbers increase")
		return nil
	})
}

func testAppendMovementSetsBalance(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	later := epoch.Add(time.Hour)
	update(t, s, func(tx loyalty.Tx) error {
		if _, _, err := seedAccount(ctx, tx, "m1"); err != nil {
			return err
		}
		m := movement("m1", "k1", 25, 25)
		m.CreatedAt = later
		_, err := tx.AppendMovement(ctx, m)
		return err
	})
	view(t, s, func(tx loyalty.ReadTx) error {
		a, err := tx.Account(ctx, "card", "m1")
		require.NoError(t, err)
		assert.EqualValues(t, 25, a.Balance)
		assert.True(t, later.Equal(a.UpdatedAt))
		return nil
	})
	err := s.Update(ctx, func(tx loyalty.Tx) error {
		_, err := tx.AppendMovement(ctx, movement("ghost", "k2", 1, 1))
		return err
	})
	assert.ErrorIs(t, err, loyalty.ErrNotFound, "no account")
	err = s.Update(ctx, func(tx loyalty.Tx) error {
		_, err := tx.AppendMovement(ctx, movement("m1", "k3", 5, 5)) // computed from a stale balance of 0
		return err
	})
	assert.ErrorIs(t, err, loyalty.ErrConflict, "AppendMovement compares the balance")
	view(t, s, func(tx loyalty.ReadTx) error {
		a, err := tx.Account(ctx, "card", "m1")
		require.NoError(t, err)
		assert.EqualValues(t, 25, a.Balance)
		_, err = tx.Movement(ctx, "card", "k3")
		assert.ErrorIs(t, err, loyalty.ErrNotFound)
		return nil
	})
}

func testPagingNewestFirst(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	const n = 23
	update(t, s, func(tx loyalty.Tx) error {
		if _, _, err := seedAccount(ctx, tx, "m0"); err != nil {
			return err
		}
		for i := range n {
			key := string(rune('a'+i%26)) + "-" + time.Duration(i).String()
			if _, err := tx.AppendMovement(ctx, movement("m0", key, 1, int64(i+1))); err != nil {
				return err
			}
			if err := tx.AppendActivity(ctx, loyalty.ActivityEntry{ProgramID: "card", Kind: loyalty.ActivitySignIn, Message: key, At: epoch}); err != nil {
				return err
			}
			if err := tx.AppendReceipt(ctx, loyalty.Receipt{ProgramID: "card", OrderID: key, Outcome: loyalty.OutcomeIgnored, ReceivedAt: epoch}); err != nil {
				return err
			}
		}
		return nil
	})
	// Members join in separate transactions.
	for i := 1; i <= 6; i++ {
		update(t, s, func(tx loyalty.Tx) error {
			_, _, err := seedAccount(ctx, tx, "m"+string(rune('0'+i)))
			return err
		})
	}
	collect := func(list func(p loyalty.Page) ([]int64, error), limit int) []int64 {
		var all []int64
		p := loyalty.Page{Limit: limit}
		for {
			var page []int64
			view(t, s, func(tx loyalty.ReadTx) error {
				var err error
				page, err = list(p)
				return err
			})
			require.LessOrEqual(t, len(page), limit)
			all = append(all, page...)
			if len(page) < limit {
				return all
			}
			p.Before = page[len(page)-1]
		}
	}
	checkDesc := func(name string, seqs []int64, want int) {
		require.Len(t, seqs, want, name)
		for i := 1; i < len(seqs); i++ {
			require.Greater(t, seqs[i-1], seqs[i], "%s newest first, no repeats", name)
		}
	}
	mv := collect(func(p loyalty.Page) ([]int64, error) {
		ms, err := txMovements(ctx, s, p)
		return ms, err
	}, 5)
	checkDesc("movements", mv, n)
	act := collect(func(p loyalty.Page) ([]int64, error) {
		var out []int64
		err := s.View(ctx, func(tx loyalty.ReadTx) error {
			as, err := tx.Activity(ctx, "card", p)
			for _, a := range as {
				out = append(out, a.Seq)
			}
			return err
		})
		return out, err
	}, 4)
	checkDesc("activity", act, n)
	rec := collect(func(p loyalty.Page) ([]int64, error) {
		var out []int64
		err := s.View(ctx, func(tx loyalty.ReadTx) error {
			rs, err := tx.Receipts(ctx, "card", "", p)
			for _, r := range rs {
				out = append(out, r.Seq)
			}
			return err
		})
		return out, err
	}, 7)
	checkDesc("receipts", rec, n)
	mem := collect(func(p loyalty.Page) ([]int64, error) {
		var out []int64
		err := s.View(ctx, func(tx loyalty.ReadTx) error {
			ms, err := tx.Memberships(ctx, "card", p)
			for _, m := range ms {
				out = append(out, m.Account.Seq)
				require.Equal(t, m.Account.MemberID, m.Member.ID)
			}
			return err
		})
		return out, err
	}, 2)
	checkDesc("memberships", mem, 7)
	view(t, s, func(tx loyalty.ReadTx) error {
		ms, err := tx.Memberships(ctx, "card", loyalty.Page{Limit: 1})
		require.NoError(t, err)
		assert.Equal(t, "m6", ms[0].Member.ID, "the newest member first")
		first, err := tx.Movements(ctx, "card", "m0", loyalty.Page{Limit: 1})
		require.NoError(t, err)
		assert.EqualValues(t, n, first[0].BalanceAfter, "the newest movement first")
		return nil
	})
}

func txMovements(ctx context.Context, s loyalty.Store, p loyalty.Page) ([]int64, error) {
	var out []int64
	err := s.View(ctx, func(tx loyalty.ReadTx) error {
		ms, err := tx.Movements(ctx, "card", "m0", p)
		for _, m := range ms {
			out = append(out, m.Seq)
		}
		return err
	})
	return out, err
}

func testReceiptsFilterAndCount(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	outcomes := []loyalty.Outcome{loyalty.OutcomeProcessed, loyalty.OutcomeFailed, loyalty.OutcomeIgnored,
		loyalty.OutcomeFailed, loyalty.OutcomeDuplicate, loyalty.OutcomeSkipped, loyalty.OutcomeProcessed}
	update(t, s, func(tx loyalty.Tx) error {
		if err := tx.PutProgram(ctx, sampleProgram()); err != nil {
			return err
		}
		for i, o := range outcomes {
			if err := tx.AppendReceipt(ctx, loyalty.Receipt{ProgramID: "card", OrderID: string(rune('a' + i)), Outcome: o,
				EmailHash: "h", ReceivedAt: epoch.Add(time.Duration(i) * time.Hour)}); err != nil {
				return err
			}
		}
		return tx.AppendReceipt(ctx, loyalty.Receipt{ProgramID: "other", Outcome: loyalty.OutcomeFailed, ReceivedAt: epoch.Add(time.Hour)})
	})
	view(t, s, func(tx loyalty.ReadTx) error {
		failed, err := tx.Receipts(ctx, "card", loyalty.OutcomeFailed, loyalty.Page{Limit: 10})
		require.NoError(t, err)
		require.Len(t, failed, 2)
		assert.Equal(t, "d", failed[0].OrderID, "newest failure first")
		older, err := tx.Receipts(ctx, "card", loyalty.OutcomeFailed, loyalty.Page{Before: failed[0].Seq, Limit: 10})
		require.NoError(t, err)
		require.Len(t, older, 1)
		assert.Equal(t, "b", older[0].OrderID)

		counts, err := tx.CountReceipts(ctx, "card", epoch.Add(3*time.Hour)) // inclusive bound
		require.NoError(t, err)
		assert.Equal(t, loyalty.ReceiptCounts{loyalty.OutcomeFailed: 1, loyalty.OutcomeDuplicate: 1,
			loyalty.OutcomeSkipped: 1, loyalty.OutcomeProcessed: 1}, counts)
		return nil
	})
}

func testReservedRedemptions(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	states := []loyalty.RedemptionState{loyalty.RedemptionReserved, loyalty.RedemptionIssued, loyalty.RedemptionReserved,
		loyalty.RedemptionReleased, loyalty.RedemptionReserved, loyalty.RedemptionReserved}
	for i, st := range states {
		update(t, s, func(tx loyalty.Tx) error {
			_, err := tx.CreateRedemption(ctx, loyalty.Redemption{ID: "r" + string(rune('0'+i)), ProgramID: "card", MemberID: "m",
				Code: "C-" + string(rune('0'+i)), State: st, CreatedAt: epoch.Add(time.Duration(i) * time.Minute)})
			return err
		})
	}
	view(t, s, func(tx loyalty.ReadTx) error {
		ids := func(rs []loyalty.Redemption) []string {
			out := []string{}
			for _, r := range rs {
				out = append(out, r.ID)
			}
			return out
		}
		all, err := tx.ReservedRedemptions(ctx, epoch.Add(5*time.Minute), 0, 10)
		require.NoError(t, err)
		assert.Equal(t, []string{"r0", "r2", "r4"}, ids(all), "oldest first, reserved only, created before the cutoff")
		page, err := tx.ReservedRedemptions(ctx, epoch.Add(time.Hour), all[0].Seq, 2)
		require.NoError(t, err)
		assert.Equal(t, []string{"r2", "r4"}, ids(page))
		return nil
	})
}

func testUpdateMemberEmail(t *testing.T, s loyalty.Store) {
	ctx := t.Context()
	update(t, s, func(tx loyalty.Tx) error { return writeEverything(ctx, tx) })
	err := s.Update(ctx, func(tx loyalty.Tx) error { return tx.UpdateMemberEmail(ctx, "nobody", "x@example.com") })
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	err = s.Update(ctx, func(tx loyalty.Tx) error {
		if err := tx.UpdateMemberEmail(ctx, "m1", "rolled@example.com"); err != nil {
			return err
		}
		return errAbort
	})
	require.ErrorIs(t, err, errAbort)
	update(t, s, func(tx loyalty.Tx) error { return tx.UpdateMemberEmail(ctx, "m1", "new@example.com") })
	view(t, s, func(tx loyalty.ReadTx) error {
		m, err := tx.MemberByEmail(ctx, "new@example.com")
		require.NoError(t, err)
		assert.Equal(t, "m1", m.ID)
		got, err := tx.Member(ctx, "m1")
		require.NoError(t, err)
		assert.Equal(t, "new@example.com", got.Email)
		for _, gone := range []string{"m1@example.com", "rolled@example.com"} {
			_, err = tx.MemberByEmail(ctx, gone)
			assert.ErrorIs(t, err, loyalty.ErrNotFound, gone)
		}
		return nil
	})
	// The old address is free again.
	update(t, s, func(tx loyalty.Tx) error {
		_, err := tx.CreateMember(ctx, sampleMember("m9", "m1@example.com", "CODEm9"))
		return err
	})
}
