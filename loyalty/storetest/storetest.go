package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
)

// Run runs the conformance suite. newStore must return a new, empty store for each call.
func Run(t *testing.T, newStore func(t *testing.T) loyalty.Store) {
	t.Helper()
	tests := []struct {
		name string
		fn   func(t *testing.T, s loyalty.Store)
	}{
		{"Store/RoundTrip", testRoundTrip},
		{"Store/NotFound", testNotFound},
		{"Store/FailedTransactionLeavesNoTrace", testFailedTransactionLeavesNoTrace},
		{"Store/PanickingTransactionLeavesNoTrace", testPanickingTransactionLeavesNoTrace},
		{"Store/UniqueKeys", testUniqueKeys},
		{"Store/UpdateMemberEmail", testUpdateMemberEmail},
		{"Store/AppendMovementSetsBalance", testAppendMovementSetsBalance},
		{"Store/PagingNewestFirst", testPagingNewestFirst},
		{"Store/ReceiptsFilterAndCount", testReceiptsFilterAndCount},
		{"Store/ReservedRedemptions", testReservedRedemptions},
		{"Store/RedemptionIdempotencyKeys", testRedemptionIdempotencyKeys},
		{"Store/Settings", testSettings},
		{"Store/ReceiptCountsAndPrune", testReceiptCountsAndPrune},
		{"Engine/ConcurrentDeliveriesOfOneOrderAwardOnce", testConcurrentSameOrder},
		{"Engine/ProcessingThenCompletedAwardsOnce", testProcessingThenCompleted},
		{"Engine/ConcurrentOrdersOfANewCustomerCreateOneMember", testConcurrentNewMember},
		{"Engine/ConcurrentOrdersLoseNoUpdate", testConcurrentOrdersSameMember},
		{"Engine/ClawbackStopsAtZero", testClawbackFloor},
		{"Engine/ConcurrentRedemptionsNeverOverdraw", testConcurrentRedemptions},
		{"Engine/RedemptionInterruptedAtEachStepIsRecovered", testRedemptionCrashPoints},
		{"Engine/RecoverLeavesYoungReservations", testRecoverAge},
		{"Engine/DeliveryStatsOverAWindow", testDeliveryStats},
		{"Engine/HistorySumsToBalance", testHistorySumsToBalance},
		{"Engine/RandomizedEventSequences", testRandomized},
		{"Engine/CounterTiersAndRefunds", testCounterTiersAndRefunds},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

var epoch = time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// env is an engine over the store under test with controllable doubles.
type env struct {
	t      *testing.T
	ctx    context.Context
	store  *FaultyStore
	eng    *loyalty.Engine
	clock  *Clock
	issuer *CouponIssuer
	mailer *Mailer
	prog   loyalty.Program
	gives  int
}

func newEnv(t *testing.T, s loyalty.Store, edit func(p *loyalty.Program)) *env {
	t.Helper()
	e := &env{t: t, ctx: t.Context(), store: NewFaultyStore(s), clock: NewClock(epoch),
		issuer: NewCouponIssuer(), mailer: &Mailer{}}
	eng, err := loyalty.New(e.store, loyalty.WithClock(e.clock), loyalty.WithCouponIssuer(e.issuer),
		loyalty.WithMailer(e.mailer), loyalty.WithReceiptSalt([]byte("conformance-salt")),
		loyalty.WithRecoverAfter(time.Minute), loyalty.WithMaxRetries(200))
	require.NoError(t, err)
	e.eng = eng
	p := loyalty.DefaultProgram("card", "EUR")
	p.Redemption.Enabled = true
	if edit != nil {
		edit(&p)
	}
	e.prog, err = eng.SaveProgram(e.ctx, p, "suite")
	require.NoError(t, err)
	return e
}

func (e *env) order(id, status, total, email string) loyalty.OrderEvent {
	return loyalty.OrderEvent{Store: "https://shop.example", OrderID: id, Status: status, Total: dec(total),
		Currency: "EUR", BillingName: "Test Customer", BillingEmail: email}
}

func (e *env) process(ev loyalty.OrderEvent) loyalty.OrderResult {
	e.t.Helper()
	res, err := e.eng.ProcessOrder(e.ctx, e.prog.ID, ev)
	require.NoError(e.t, err)
	return res
}

func (e *env) balance(email string) int64 {
	e.t.Helper()
	b, err := e.eng.Balance(e.ctx, e.prog.ID, loyalty.MemberRef{Email: email})
	require.NoError(e.t, err)
	return b
}

func (e *env) history(memberID string) []loyalty.Movement {
	e.t.Helper()
	var out []loyalty.Movement
	for m, err := range e.eng.AllHistory(e.ctx, e.prog.ID, memberID) {
		require.NoError(e.t, err)
		out = append(out, m)
	}
	return out
}

func (e *env) give(email string, points int64) loyalty.Member {
	e.t.Helper()
	m, err := e.eng.Enroll(e.ctx, e.prog.ID, loyalty.NewMember{Email: email})
	require.NoError(e.t, err)
	_, err = e.eng.Adjust(e.ctx, loyalty.AdjustRequest{ProgramID: e.prog.ID, Member: loyalty.MemberRef{ID: m.ID},
		Points: points, Key: fmt.Sprintf("give/%d", e.gives)})
	e.gives++
	require.NoError(e.t, err)
	return m
}

// checkLedger asserts the ledger invariants of every account of the program: balance equals
// the sum of applied amounts, never negative, each movement's BalanceAfter chains, Applied
// differs from Requested only for debits stopped at zero, and keys are unique.
func (e *env) checkLedger() {
	e.t.Helper()
	keys := map[string]bool{}
	for ms, err := range e.eng.AllMembers(e.ctx, e.prog.ID) {
		require.NoError(e.t, err)
		hist := e.history(ms.Member.ID)
		var sum int64
		for i := len(hist) - 1; i >= 0; i-- {
			m := hist[i]
			require.False(e.t, keys[m.Key], "movement key %q applied twice", m.Key)
			keys[m.Key] = true
			if m.Applied != m.Requested {
				require.Negative(e.t, m.Requested, "only debits are cut: %+v", m)
				require.Zero(e.t, m.BalanceAfter, "a cut debit empties the balance: %+v", m)
				require.Greater(e.t, m.Applied, m.Requested)
			}
			sum += m.Applied
			require.Equal(e.t, sum, m.BalanceAfter, "balance chain at %q", m.Key)
			require.GreaterOrEqual(e.t, m.BalanceAfter, int64(0))
		}
		require.Equal(e.t, sum, ms.Account.Balance, "member %s: balance equals the sum of history", ms.Member.ID)
	}
}
