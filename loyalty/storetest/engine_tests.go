package storetest

import (
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
)

func testConcurrentSameOrder(t *testing.T, s loyalty.Store) {
	e := newEnv(t, s, func(p *loyalty.Program) { p.Earning.WelcomeBonus = 25 })
	ev := e.order("1042", "completed", "80.00", "rush@example.com")
	var processed, duplicate atomic.Int32
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Go(func() {
			ev := ev
			if i%2 == 1 {
				ev.Status = "processing"
			}
			res, err := e.eng.ProcessOrder(e.ctx, e.prog.ID, ev)
			if !assert.NoError(t, err) {
				return
			}
			switch res.Outcome {
			case loyalty.OutcomeProcessed:
				processed.Add(1)
			case loyalty.OutcomeDuplicate:
				duplicate.Add(1)
			default:
				t.Errorf("unexpected outcome %s: %s", res.Outcome, res.Reason)
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1, processed.Load(), "exactly one delivery awards")
	assert.EqualValues(t, 99, duplicate.Load())
	assert.EqualValues(t, 105, e.balance("rush@example.com"))
	m, err := e.eng.FindMember(e.ctx, loyalty.MemberRef{Email: "rush@example.com"})
	require.NoError(t, err)
	assert.Len(t, e.history(m.ID), 2, "one earn and one welcome movement")
	st, err := e.eng.DeliveryStats(e.ctx, e.prog.ID, time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 1, st.Processed)
	assert.Equal(t, 99, st.Ignored)
	e.checkLedger()
}

func testProcessingThenCompleted(t *testing.T, s loyalty.Store) {
	e := newEnv(t, s, nil)
	first := e.process(e.order("7", "processing", "33.30", "pc@example.com"))
	second := e.process(e.order("7", "completed", "33.30", "pc@example.com"))
	third := e.process(e.order("7", "completed", "33.30", "pc@example.com"))
	assert.Equal(t, loyalty.OutcomeProcessed, first.Outcome)
	assert.Equal(t, loyalty.OutcomeDuplicate, second.Outcome)
	assert.Equal(t, loyalty.OutcomeDuplicate, third.Outcome)
	assert.EqualValues(t, 33, e.balance("pc@example.com"))
	e.checkLedger()
}

func testConcurrentNewMember(t *testing.T, s loyalty.Store) {
	e := newEnv(t, s, func(p *loyalty.Program) { p.Earning.WelcomeBonus = 100 })
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			_, err := e.eng.ProcessOrder(e.ctx, e.prog.ID, e.order(fmt.Sprint("o", i), "completed", "10", "New@Example.com"))
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	list, _, err := e.eng.Members(e.ctx, e.prog.ID, loyalty.PageOptions{})
	require.NoError(t, err)
	require.Len(t, list, 1, "one member for one email")
	assert.EqualValues(t, 20*10+100, list[0].Account.Balance, "one welcome bonus")
	e.checkLedger()
}

func testConcurrentOrdersSameMember(t *testing.T, s loyalty.Store) {
	e := newEnv(t, s, nil)
	e.give("busy@example.com", 1)
	var wg sync.WaitGroup
	for i := range 40 {
		wg.Go(func() {
			_, err := e.eng.ProcessOrder(e.ctx, e.prog.ID, e.order(fmt.Sprint(i), "completed", fmt.Sprint(i+1), "busy@example.com"))
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	assert.EqualValues(t, 1+40*41/2, e.balance("busy@example.com"), "no lost update")
	e.checkLedger()
}

func testClawbackFloor(t *testing.T, s loyalty.Store) {
	e := newEnv(t, s, func(p *loyalty.Program) { p.Earning.WelcomeBonus = 50; p.Redemption.MinPoints = 100 })
	e.process(e.order("1", "completed", "250", "floor@example.com"))
	_, err := e.eng.Redeem(e.ctx, loyalty.RedeemRequest{ProgramID: e.prog.ID, Member: loyalty.MemberRef{Email: "floor@example.com"}, Points: 200})
	require.NoError(t, err)
	require.EqualValues(t, 100, e.balance("floor@example.com"))

	res := e.process(e.order("1", "refunded", "250", "floor@example.com"))

	require.Len(t, res.Movements, 1)
	assert.EqualValues(t, -300, res.Movements[0].Requested)
	assert.EqualValues(t, -100, res.Movements[0].Applied)
	assert.EqualValues(t, 0, e.balance("floor@example.com"))
	assert.Equal(t, loyalty.OutcomeDuplicate, e.process(e.order("1", "refunded", "250", "floor@example.com")).Outcome)
	e.process(e.order("2", "completed", "40", "floor@example.com"))
	assert.EqualValues(t, 40, e.balance("floor@example.com"), "points after the clawback are not owed to it")
	e.checkLedger()
}

func testConcurrentRedemptions(t *testing.T, s loyalty.Store) {
	e := newEnv(t, s, nil)
	m := e.give("spender@example.com", 3500)
	var ok, refused atomic.Int32
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			_, err := e.eng.Redeem(e.ctx, loyalty.RedeemRequest{ProgramID: e.prog.ID, Member: loyalty.MemberRef{ID: m.ID}, Points: 1000})
			switch {
			case err == nil:
				ok.Add(1)
			case errors.Is(err, loyalty.ErrInsufficientPoints):
				refused.Add(1)
			default:
				t.Errorf("redeem: %v", err)
			}
		})
	}
	wg.Wait()
	assert.EqualValues(t, 3, ok.Load())
	assert.EqualValues(t, 7, refused.Load())
	assert.EqualValues(t, 500, e.balance("spender@example.com"))
	assert.Equal(t, 3, e.issuer.Len())
	e.checkLedger()
}

// checkRedemptions asserts that every redemption of the member is final and that the coupon
// and the deduction exist both or neither.
func (e *env) checkRedemptions(memberID string) {
	e.t.Helper()
	redeemed := map[string]int64{}
	for _, m := range e.history(memberID) {
		if m.RedemptionID != "" {
			redeemed[m.RedemptionID] += m.Applied
		}
	}
	for id, net := range redeemed {
		var r loyalty.Redemption
		require.NoError(e.t, e.store.View(e.ctx, func(tx loyalty.ReadTx) error {
			var err error
			r, err = tx.Redemption(e.ctx, id)
			return err
		}))
		_, coupon := e.issuer.Coupon(r.Code)
		switch r.State {
		case loyalty.RedemptionIssued:
			assert.True(e.t, coupon, "issued redemption %s has its coupon", id)
			assert.Equal(e.t, -r.Points, net, "issued redemption %s is deducted", id)
		case loyalty.RedemptionReleased:
			assert.False(e.t, coupon, "released redemption %s has no coupon", id)
			assert.Zero(e.t, net, "released redemption %s is credited back", id)
		default:
			e.t.Errorf("redemption %s still %s", id, r.State)
		}
	}
}

func testRedemptionCrashPoints(t *testing.T, s loyalty.Store) {
	type step struct {
		name         string
		faults       []Fault          // issuer faults for the Redeem call and the following recoveries
		failUpdate   func(n int) bool // store failures during the Redeem call (Update #1 reserves)
		redeemErr    error            // what Redeem returns
		balanceAfter int64            // right after Redeem
		final        loyalty.RedemptionState
		recoveries   int // Recover passes needed
	}
	steps := []step{
		{name: "crash before reserve", failUpdate: func(n int) bool { return n == 1 }, redeemErr: ErrStoreDown, balanceAfter: 5000},
		{name: "crash after reserve, before the coupon", faults: []Fault{FailBefore}, redeemErr: loyalty.ErrRedemptionPending,
			balanceAfter: 4000, final: loyalty.RedemptionIssued, recoveries: 1},
		{name: "coupon created, answer lost", faults: []Fault{FailAfter}, redeemErr: loyalty.ErrRedemptionPending,
			balanceAfter: 4000, final: loyalty.RedemptionIssued, recoveries: 1},
		{name: "coupon created, crash before confirm", failUpdate: func(n int) bool { return n == 2 },
			redeemErr: loyalty.ErrRedemptionPending, balanceAfter: 4000, final: loyalty.RedemptionIssued, recoveries: 1},
		{name: "coupon rejected", faults: []Fault{Reject}, redeemErr: loyalty.ErrRedemptionReleased,
			balanceAfter: 5000, final: loyalty.RedemptionReleased},
		{name: "coupon rejected, crash before release", faults: []Fault{Reject, Reject},
			failUpdate: func(n int) bool { return n == 2 }, redeemErr: loyalty.ErrRedemptionPending,
			balanceAfter: 4000, final: loyalty.RedemptionReleased, recoveries: 1},
		{name: "store still failing on the first recovery", faults: []Fault{FailBefore, FailBefore}, redeemErr: loyalty.ErrRedemptionPending,
			balanceAfter: 4000, final: loyalty.RedemptionIssued, recoveries: 2},
	}
	e := newEnv(t, s, nil)
	for i, st := range steps {
		email := fmt.Sprintf("crash%d@example.com", i)
		m := e.give(email, 5000)
		e.issuer.FailNext(st.faults...)
		e.store.FailUpdates(st.failUpdate)
		coupons := e.issuer.Len()

		r, err := e.eng.Redeem(e.ctx, loyalty.RedeemRequest{ProgramID: e.prog.ID, Member: loyalty.MemberRef{ID: m.ID}, Points: 1000})

		e.store.FailUpdates(nil)
		require.ErrorIs(t, err, st.redeemErr, st.name)
		assert.Equal(t, st.balanceAfter, e.balance(email), st.name)
		if st.final == "" {
			assert.Equal(t, coupons, e.issuer.Len(), st.name)
			continue
		}
		// Recover only touches reservations older than its age.
		rep, err := e.eng.Recover(e.ctx)
		require.NoError(t, err, st.name)
		assert.Zero(t, rep.Issued+rep.Released+rep.Pending, "%s: young reservations are left to their Redeem", st.name)
		for _, w := range rep.Waiting {
			assert.True(t, w.EligibleAt.After(e.clock.Now()), "%s: reported with when it becomes eligible", st.name)
		}
		for range st.recoveries {
			e.clock.Advance(2 * time.Minute)
			_, err := e.eng.Recover(e.ctx)
			require.NoError(t, err, st.name)
		}
		var got loyalty.Redemption
		require.NoError(t, e.store.View(e.ctx, func(tx loyalty.ReadTx) error {
			got, err = tx.Redemption(e.ctx, r.ID)
			return err
		}), st.name)
		assert.Equal(t, st.final, got.State, st.name)
		want := int64(4000)
		if st.final == loyalty.RedemptionReleased {
			want = 5000
		}
		assert.Equal(t, want, e.balance(email), st.name)
		e.checkRedemptions(m.ID)
		rep, err = e.eng.Recover(e.ctx)
		require.NoError(t, err)
		assert.Equal(t, loyalty.RecoverReport{}, rep, "%s: nothing left to recover", st.name)
	}
	// A client retry with the same idempotency key resumes instead of redeeming twice.
	m := e.give("retry@example.com", 5000)
	e.issuer.FailNext(FailAfter)
	req := loyalty.RedeemRequest{ProgramID: e.prog.ID, Member: loyalty.MemberRef{ID: m.ID}, Points: 1000, IdempotencyKey: "click-1"}
	_, err := e.eng.Redeem(e.ctx, req)
	require.ErrorIs(t, err, loyalty.ErrRedemptionPending)
	r1, err := e.eng.Redeem(e.ctx, req)
	require.NoError(t, err)
	r2, err := e.eng.Redeem(e.ctx, req)
	require.NoError(t, err)
	assert.Equal(t, r1.ID, r2.ID)
	assert.Equal(t, loyalty.RedemptionIssued, r2.State)
	assert.EqualValues(t, 4000, e.balance("retry@example.com"))
	req.Points = 2000
	_, err = e.eng.Redeem(e.ctx, req)
	assert.ErrorIs(t, err, loyalty.ErrInvalid, "a key reused for another amount")
	e.checkRedemptions(m.ID)
	e.checkLedger()
}

func testRecoverAge(t *testing.T, s loyalty.Store) {
	e := newEnv(t, s, nil)
	m := e.give("young@example.com", 1000)
	e.issuer.FailNext(FailBefore)
	_, err := e.eng.Redeem(e.ctx, loyalty.RedeemRequest{ProgramID: e.prog.ID, Member: loyalty.MemberRef{ID: m.ID}, Points: 1000})
	require.ErrorIs(t, err, loyalty.ErrRedemptionPending)
	created := e.clock.Now()
	e.clock.Advance(30 * time.Second)
	rep, err := e.eng.Recover(e.ctx)
	require.NoError(t, err)
	assert.Zero(t, rep.Issued+rep.Pending+rep.Released)
	require.Len(t, rep.Waiting, 1, "the young reservation is reported")
	w := rep.Waiting[0]
	assert.Equal(t, m.ID, w.MemberID)
	assert.True(t, created.Equal(w.CreatedAt), "%v", w.CreatedAt)
	assert.True(t, created.Add(time.Minute).Equal(w.EligibleAt), "eligible at the recover age: %v", w.EligibleAt)
	assert.True(t, w.EligibleAt.Equal(rep.NextAt))
	e.clock.Advance(31 * time.Second)
	rep, err = e.eng.Recover(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, loyalty.RecoverReport{Issued: 1}, rep)
	e.checkRedemptions(m.ID)
}

func testDeliveryStats(t *testing.T, s loyalty.Store) {
	e := newEnv(t, s, nil)
	e.process(e.order("old", "completed", "5", "stats@example.com"))
	e.clock.Advance(25 * time.Hour)
	e.process(e.order("1", "completed", "5", "stats@example.com"))
	e.process(e.order("1", "completed", "5", "stats@example.com"))
	e.process(e.order("2", "on-hold", "5", "stats@example.com"))
	e.process(e.order("3", "completed", "5", ""))
	require.NoError(t, e.eng.RecordDeliveryFailure(e.ctx, e.prog.ID, badSignature()))
	e.process(e.order("4", "processing", "5", "stats@example.com"))

	st, err := e.eng.DeliveryStats(e.ctx, e.prog.ID, 24*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 2, st.Processed)
	assert.Equal(t, 3, st.Ignored, "duplicate, ignored and skipped")
	assert.Equal(t, 1, st.Failed)
	require.NotNil(t, st.LastDelivery)
	assert.Equal(t, "4", st.LastDelivery.OrderID)
	require.NotNil(t, st.LastFailure)
	assert.Contains(t, st.LastFailure.Reason, "signature")
	rs, _, err := e.eng.Receipts(e.ctx, e.prog.ID, "", loyalty.PageOptions{Limit: 100})
	require.NoError(t, err)
	for _, r := range rs {
		assert.NotContains(t, r.EmailHash, "@", "receipts never hold the address")
		assert.NotContains(t, r.Reason, "stats@example.com")
	}
	assert.Len(t, rs[0].EmailHash, 64)
}

// badSignature is a delivery an adapter rejected for a bad signature.
func badSignature() loyalty.DeliveryFailure {
	return loyalty.DeliveryFailure{Store: "https://shop.example", Email: "stats@example.com",
		Reason: "signature mismatch: recreate the webhook with the secret from the Overview tab"}
}

func testHistorySumsToBalance(t *testing.T, s loyalty.Store) {
	e := newEnv(t, s, func(p *loyalty.Program) {
		p.Earning.WelcomeBonus = 30
		p.Redemption.MinPoints = 50
		p.PartialRefunds = loyalty.PartialRefundsProportional
	})
	email := "sum@example.com"
	for i := range 12 {
		e.process(e.order(fmt.Sprint(i), "completed", fmt.Sprint(10*(i+1)), email))
	}
	ev := e.order("3", "completed", "40", email)
	ev.RefundedTotal = dec("10")
	e.process(ev)
	e.process(e.order("5", "refunded", "60", email))
	_, err := e.eng.Redeem(e.ctx, loyalty.RedeemRequest{ProgramID: e.prog.ID, Member: loyalty.MemberRef{Email: email}, Points: 300})
	require.NoError(t, err)
	e.issuer.FailNext(Reject)
	_, err = e.eng.Redeem(e.ctx, loyalty.RedeemRequest{ProgramID: e.prog.ID, Member: loyalty.MemberRef{Email: email}, Points: 100})
	require.ErrorIs(t, err, loyalty.ErrRedemptionReleased)
	m, err := e.eng.FindMember(e.ctx, loyalty.MemberRef{Email: email})
	require.NoError(t, err)

	page, next, err := e.eng.History(e.ctx, e.prog.ID, m.ID, loyalty.PageOptions{Limit: 4})
	require.NoError(t, err)
	require.Len(t, page, 4)
	assert.NotZero(t, next)
	assert.Equal(t, loyalty.KindRelease, page[0].Kind, "newest first")
	all := e.history(m.ID)
	assert.Len(t, all, 12+1+1+1+1+2)
	var sum int64
	for _, mv := range all {
		sum += mv.Applied
	}
	assert.Equal(t, sum, e.balance(email))
	assert.EqualValues(t, 780+30-10-60-300, sum)
	e.checkLedger()
	e.checkRedemptions(m.ID)
}
