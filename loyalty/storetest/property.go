package storetest

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
)

// model is an independent, minimal statement of the rules the engine must follow, used to
// check the engine over random event sequences.
type model struct {
	prog     loyalty.Program
	balance  map[string]int64 // by email
	welcomed map[string]bool
	orders   map[string]*modelOrder
}

type modelOrder struct {
	email           string
	total           decimal.Decimal
	earned, welcome int64
	clawed          int64
	refundedTotal   decimal.Decimal
	awarded         bool
	refunded        bool
}

func (m *model) debit(email string, points int64) {
	m.balance[email] -= min(points, m.balance[email])
}

func (m *model) deliver(id, status, email string, total, refunded decimal.Decimal) {
	o := m.orders[id]
	st := loyalty.NormalizeStatus(status)
	if st == loyalty.StatusRefunded {
		switch {
		case o == nil:
			m.orders[id] = &modelOrder{refunded: true}
		case !o.refunded:
			due := o.earned + o.welcome - o.clawed
			m.debit(o.email, due)
			o.clawed += due
			o.refunded = true
		}
		return
	}
	awards := st == loyalty.StatusCompleted || (st == loyalty.StatusProcessing && m.prog.AwardOn != loyalty.AwardOnCompleted)
	if o != nil && o.awarded && !o.refunded {
		m.partial(o, refunded)
		return
	}
	if !awards || o != nil || email == "" {
		return
	}
	o = &modelOrder{email: email, total: total, awarded: true}
	m.orders[id] = o
	o.earned = m.prog.PurchasePoints(total)
	m.balance[email] += o.earned
	if !m.welcomed[email] {
		m.welcomed[email] = true
		o.welcome = m.prog.Earning.WelcomeBonus
		m.balance[email] += o.welcome
	}
	m.partial(o, refunded)
}

func (m *model) partial(o *modelOrder, refunded decimal.Decimal) {
	if m.prog.PartialRefunds != loyalty.PartialRefundsProportional || !refunded.GreaterThan(o.refundedTotal) {
		return
	}
	o.refundedTotal = refunded
	if !o.total.IsPositive() {
		return
	}
	target := decimal.NewFromInt(o.earned).Mul(decimal.Min(refunded, o.total)).Div(o.total).Floor().IntPart()
	if due := min(target, o.earned) - o.clawed; due > 0 {
		m.debit(o.email, due)
		o.clawed += due
	}
}

func testRandomized(t *testing.T, s loyalty.Store) {
	steps := 1000
	if testing.Short() {
		steps = 150
	}
	// Fixed seeds keep failures reproducible; each seed gets a fresh program in the same store.
	for i, seed := range []uint64{1, 20260105, 0xC0FFEE} {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			runRandomized(t, s, seed, fmt.Sprint("p", i), steps)
		})
	}
}

func runRandomized(t *testing.T, s loyalty.Store, seed uint64, programID string, steps int) {
	rng := rand.New(rand.NewPCG(seed, seed^0x9E3779B97F4A7C15))
	e := newEnv(t, s, func(p *loyalty.Program) {
		p.ID = programID
		p.Earning.PointsPerUnit = decimal.New(int64(1+rng.IntN(20)), -1) // 0.1 .. 2.0
		p.Earning.Rounding = []loyalty.Rounding{loyalty.RoundDown, loyalty.RoundNearest, loyalty.RoundUp}[rng.IntN(3)]
		p.Earning.MinPoints = int64(rng.IntN(5))
		p.Earning.MaxPoints = int64(100 + rng.IntN(400))
		p.Earning.WelcomeBonus = int64(rng.IntN(3) * 25)
		p.AwardOn = []loyalty.AwardOn{loyalty.AwardOnProcessingOrCompleted, loyalty.AwardOnCompleted}[rng.IntN(2)]
		p.PartialRefunds = []loyalty.PartialRefundPolicy{loyalty.PartialRefundsIgnore, loyalty.PartialRefundsProportional}[rng.IntN(2)]
		p.Redemption.MinPoints = 50
		p.Redemption.MaxPoints = 400
	})
	t.Logf("seed %d: program %+v", seed, e.prog.Earning)
	md := &model{prog: e.prog, balance: map[string]int64{}, welcomed: map[string]bool{}, orders: map[string]*modelOrder{}}
	emails := []string{"a@example.com", "b@example.com", "c@example.com", ""}
	statuses := []string{"pending", "processing", "completed", "on-hold", "cancelled", "refunded", "failed", "wc-completed"}
	totals := map[string]decimal.Decimal{}
	owner := map[string]string{}

	for step := range steps {
		switch op := rng.IntN(10); {
		case op < 7: // an order delivery, often a redelivery or a status change
			id := fmt.Sprint(rng.IntN(steps/4 + 1))
			total, ok := totals[id]
			if !ok {
				total = decimal.New(int64(rng.IntN(30000)), -2)
				totals[id], owner[id] = total, emails[rng.IntN(len(emails))]
			}
			email := owner[id]
			refunded := decimal.Zero
			if rng.IntN(3) == 0 {
				refunded = decimal.New(int64(rng.IntN(int(total.Shift(2).IntPart())+1)), -2)
			}
			status := statuses[rng.IntN(len(statuses))]
			ev := e.order(id, status, total.String(), email)
			ev.RefundedTotal = refunded
			_, err := e.eng.ProcessOrder(e.ctx, e.prog.ID, ev)
			require.NoError(t, err, "step %d", step)
			md.deliver(id, status, email, total, refunded)
		case op < 9: // a redemption, sometimes interrupted or rejected
			email := emails[rng.IntN(len(emails)-1)]
			if _, known := md.balance[email]; !known {
				continue
			}
			points := int64(25 + rng.IntN(450))
			valid := points >= 50 && points <= 400 && points <= md.balance[email]
			fault := Fault(rng.IntN(6)) // NoFault is the most common
			if fault > Reject {
				fault = NoFault
			}
			if valid {
				e.issuer.FailNext(fault)
			}
			_, err := e.eng.Redeem(e.ctx, loyalty.RedeemRequest{ProgramID: e.prog.ID, Member: loyalty.MemberRef{Email: email}, Points: points})
			switch {
			case !valid:
				var re *loyalty.RedeemError
				require.ErrorAs(t, err, &re, "step %d: %d points, model balance %d", step, points, md.balance[email])
			case fault == Reject:
				require.ErrorIs(t, err, loyalty.ErrRedemptionReleased, "step %d", step)
			case fault == NoFault:
				require.NoError(t, err, "step %d", step)
				md.balance[email] -= points
			default:
				require.ErrorIs(t, err, loyalty.ErrRedemptionPending, "step %d", step)
				md.balance[email] -= points // reserved; Recover will issue it
			}
		default: // a manual adjustment, or time passing with a recovery pass
			if rng.IntN(2) == 0 {
				email := emails[rng.IntN(len(emails)-1)]
				if _, known := md.balance[email]; !known {
					continue
				}
				points := int64(rng.IntN(200) - 100)
				if points == 0 {
					continue
				}
				_, err := e.eng.Adjust(e.ctx, loyalty.AdjustRequest{ProgramID: e.prog.ID, Member: loyalty.MemberRef{Email: email},
					Points: points, Key: fmt.Sprint("rnd/", step)})
				require.NoError(t, err)
				if points > 0 {
					md.balance[email] += points
				} else {
					md.debit(email, -points)
				}
			} else {
				e.clock.Advance(time.Duration(1+rng.IntN(5)) * time.Minute)
				_, err := e.eng.Recover(e.ctx)
				require.NoError(t, err)
			}
		}
		if step%50 == 0 {
			compareModel(t, e, md, step)
		}
	}
	e.clock.Advance(time.Hour)
	_, err := e.eng.Recover(e.ctx)
	require.NoError(t, err)
	compareModel(t, e, md, steps)
	var awarded, refunded int
	for _, o := range md.orders {
		if o.awarded {
			awarded++
		}
		if o.refunded {
			refunded++
		}
	}
	t.Logf("seed %d: %d orders awarded, %d refunded, %d coupons, balances %v", seed, awarded, refunded, e.issuer.Len(), md.balance)
	e.checkLedger()
	checkOrdersAwardedOnce(t, e, md)
	for email := range md.balance {
		m, err := e.eng.FindMember(e.ctx, loyalty.MemberRef{Email: email})
		require.NoError(t, err)
		e.checkRedemptions(m.ID)
	}
}

func compareModel(t *testing.T, e *env, md *model, step int) {
	t.Helper()
	for email, want := range md.balance {
		got, err := e.eng.Balance(e.ctx, e.prog.ID, loyalty.MemberRef{Email: email})
		require.NoError(t, err)
		require.Equal(t, want, got, "step %d: balance of %s", step, email)
		require.GreaterOrEqual(t, got, int64(0))
	}
}

func checkOrdersAwardedOnce(t *testing.T, e *env, md *model) {
	t.Helper()
	earned := map[string]int{}
	clawed := map[string]int64{}
	for email := range md.balance {
		m, err := e.eng.FindMember(e.ctx, loyalty.MemberRef{Email: email})
		require.NoError(t, err)
		for _, mv := range e.history(m.ID) {
			switch mv.Kind {
			case loyalty.KindEarn:
				earned[mv.OrderID]++
				require.Equal(t, md.orders[mv.OrderID].earned, mv.Requested, "order %s earns by the rules", mv.OrderID)
			case loyalty.KindRefund:
				clawed[mv.OrderID] -= mv.Requested
			}
		}
	}
	for id, n := range earned {
		require.Equal(t, 1, n, "order %s awarded once", id)
	}
	for id, c := range clawed {
		o := md.orders[id]
		require.LessOrEqual(t, c, o.earned+o.welcome, "order %s: never more taken back than awarded", id)
	}
}
