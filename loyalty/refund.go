package loyalty

import (
	"context"
	"fmt"
	"time"

	"github.com/shopspring/decimal"
)

// refundOrder handles status "refunded": it takes back everything the order awarded that
// earlier partial refunds did not, and marks the order so that it never awards again.
func (e *Engine) refundOrder(ctx context.Context, tx Tx, p Program, ev OrderEvent, state OrderState, found bool, now time.Time) (OrderResult, error) {
	switch {
	case !found:
		err := tx.CreateOrderState(ctx, OrderState{ProgramID: p.ID, Store: ev.Store, OrderID: ev.OrderID,
			Status: StatusRefunded, Currency: p.Currency, RefundedTotal: ev.RefundedTotal, Refunded: true, UpdatedAt: now})
		return OrderResult{Outcome: OutcomeIgnored,
			Reason: "the order was refunded before it awarded points: it never awards points"}, err
	case state.Refunded:
		return OrderResult{Outcome: OutcomeDuplicate, Reason: "already processed: the refund was applied"}, nil
	}
	acct, err := tx.Account(ctx, p.ID, state.MemberID)
	if err != nil {
		return OrderResult{}, fmt.Errorf("loyalty: account of refunded order: %w", err)
	}
	member, err := tx.Member(ctx, state.MemberID)
	if err != nil {
		return OrderResult{}, fmt.Errorf("loyalty: member of refunded order: %w", err)
	}
	res := OrderResult{Outcome: OutcomeProcessed, Member: member}
	due := state.EarnedPoints + state.WelcomePoints - state.ClawedBack
	res.Reason = "full refund: nothing left to take back"
	if due > 0 {
		var m Movement
		m, acct, err = postOnce(ctx, tx, now, acct, Movement{Key: RefundKey(ev.Store, ev.OrderID), Kind: KindRefund,
			Requested: -due, Store: ev.Store, OrderID: ev.OrderID, Channel: ev.channel(), Source: ev.source(),
			Amount: state.unrefunded().Neg(),
			Reason: fmt.Sprintf("Order %s refunded: %s points taken back", ev.OrderID, FormatPoints(due))})
		if err != nil {
			return OrderResult{}, err
		}
		if m.Seq != 0 {
			res.Movements = append(res.Movements, m)
			res.Reason = fmt.Sprintf("full refund: took back %s points", FormatPoints(due))
			if m.Applied != m.Requested {
				res.Reason += fmt.Sprintf(" (the balance stopped at zero: %s were already spent)", FormatPoints(m.Applied-m.Requested))
			}
		}
	}
	state.ClawedBack += max(due, 0)
	state.Refunded = true
	state.Status = StatusRefunded
	if ev.RefundedTotal.GreaterThan(state.RefundedTotal) {
		state.RefundedTotal = ev.RefundedTotal
	}
	state.UpdatedAt = now
	res.Balance = acct.Balance
	return res, tx.UpdateOrderState(ctx, state)
}

// partialRefundOnly handles a delivery that awards nothing new for an order that already
// awarded: under the proportional policy a grown refunded total takes back points (outcome
// processed); otherwise the delivery gets outcome and reason.
func (e *Engine) partialRefundOnly(ctx context.Context, tx Tx, p Program, ev OrderEvent, state OrderState, now time.Time, outcome Outcome, reason string) (OrderResult, error) {
	if !ev.RefundedTotal.GreaterThan(state.RefundedTotal) {
		return OrderResult{Outcome: outcome, Reason: reason}, nil
	}
	if p.PartialRefunds != PartialRefundsProportional {
		exemptRefund(&state, ev.RefundedTotal, now)
		return OrderResult{Outcome: OutcomeIgnored, Reason: fmt.Sprintf("partial refund of %s: no points taken back under the current policy",
			FormatMoney(ev.RefundedTotal, p.Currency))}, tx.UpdateOrderState(ctx, state)
	}
	acct, err := tx.Account(ctx, p.ID, state.MemberID)
	if err != nil {
		return OrderResult{}, fmt.Errorf("loyalty: account of partially refunded order: %w", err)
	}
	m, acct, err := e.partialClawback(ctx, tx, p, &state, acct, ev.RefundedTotal, now)
	if err != nil {
		return OrderResult{}, err
	}
	if err := tx.UpdateOrderState(ctx, state); err != nil {
		return OrderResult{}, err
	}
	if m == nil {
		return OrderResult{Outcome: outcome, Reason: reason}, nil
	}
	member, err := tx.Member(ctx, state.MemberID)
	if err != nil {
		return OrderResult{}, err
	}
	return OrderResult{Outcome: OutcomeProcessed, Member: member, Movements: []Movement{*m}, Balance: acct.Balance,
		Reason: fmt.Sprintf("partial refund of %s: took back %s points", FormatMoney(ev.RefundedTotal, p.Currency),
			FormatPoints(-m.Requested))}, nil
}

// exemptRefund records a grown refunded total that the program's policy takes no points back
// for, so that a later switch to the proportional policy does not take them back either.
func exemptRefund(state *OrderState, refunded decimal.Decimal, now time.Time) {
	if !refunded.GreaterThan(state.RefundedTotal) {
		return
	}
	grown := decimal.Min(refunded, state.Total).Sub(decimal.Min(state.RefundedTotal, state.Total))
	if grown.IsPositive() {
		state.RefundExempt = state.RefundExempt.Add(grown)
	}
	state.RefundedTotal, state.UpdatedAt = refunded, now
}

// partialClawback takes back the refunded share of the order's purchase points (refunds
// beyond state.RefundExempt), less what earlier partial refunds took back, and updates state
// (the caller stores it). The welcome bonus is left to a full refund. It returns nil when
// nothing is due.
func (e *Engine) partialClawback(ctx context.Context, tx Tx, p Program, state *OrderState, acct Account, refunded decimal.Decimal, now time.Time) (*Movement, Account, error) {
	if !refunded.GreaterThan(state.RefundedTotal) {
		return nil, acct, nil
	}
	amount := decimal.Min(refunded, state.Total).Sub(decimal.Min(state.RefundedTotal, state.Total))
	state.RefundedTotal = refunded
	state.UpdatedAt = now
	if !state.Total.IsPositive() {
		return nil, acct, nil
	}
	share := decimal.Min(refunded, state.Total).Sub(state.RefundExempt)
	if !share.IsPositive() {
		return nil, acct, nil
	}
	target := decimal.NewFromInt(state.EarnedPoints).Mul(share).Div(state.Total).Floor().IntPart()
	due := min(target, state.EarnedPoints) - state.ClawedBack
	if due <= 0 {
		return nil, acct, nil
	}
	m, acct, err := postOnce(ctx, tx, now, acct, Movement{
		Key: PartialRefundKey(state.Store, state.OrderID, refunded.String()), Kind: KindRefund,
		Requested: -due, Store: state.Store, OrderID: state.OrderID, Channel: ChannelOnline, Source: state.Store,
		Amount: amount.Neg(),
		Reason: fmt.Sprintf("Order %s partially refunded (%s): %s points taken back", state.OrderID,
			FormatMoney(refunded, p.Currency), FormatPoints(due))})
	if err != nil || m.Seq == 0 {
		return nil, acct, err
	}
	state.ClawedBack += due
	return &m, acct, nil
}
