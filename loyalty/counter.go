package loyalty

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// ActivityCounterRefund records a refund or cancellation applied to a counter sale.
const ActivityCounterRefund ActivityKind = "counter_refund"

// CounterRefund is a return made at a counter, where a refund is a separate order pointing to
// the sale it returns (Sitoo's creditorderid), or the cancellation of a whole sale.
type CounterRefund struct {
	// Store and OrderID name the original sale, as its OrderEvent did. Required.
	Store, OrderID string
	// RefundOrderID is the refund order. Empty means the sale itself was cancelled: everything
	// it awarded is taken back and it never awards afterwards.
	RefundOrderID string
	// Amount is the refunded amount, positive, in Currency (required for a refund order).
	Amount decimal.Decimal
	// Currency is the ISO 4217 code of Amount; empty takes the program's.
	Currency string
	// Source names the counter where the refund was made.
	Source string
	// Reason is a reason code or comment, shown in the history line.
	Reason string
	// Actor is who made the refund (a staff id), for the activity log; default "system".
	Actor string
}

// CounterRefundKey is the idempotency key of a counter refund order's clawback:
// "refund/<store>/<sale>/by/<refund order>".
func CounterRefundKey(store, saleID, refundOrderID string) string {
	return RefundKey(store, saleID) + "/by/" + keyPart(refundOrderID)
}

func (r CounterRefund) validate() error {
	switch {
	case strings.TrimSpace(r.Store) == "" || len(r.Store) > 500:
		return invalid("CounterRefund.Store", "must be 1 to 500 characters")
	case strings.TrimSpace(r.OrderID) == "" || len(r.OrderID) > 200:
		return invalid("CounterRefund.OrderID", "must be 1 to 200 characters")
	case len(r.RefundOrderID) > 200:
		return invalid("CounterRefund.RefundOrderID", "must be at most 200 characters")
	case r.RefundOrderID != "" && r.RefundOrderID == r.OrderID:
		return invalid("CounterRefund.RefundOrderID", "is the sale itself")
	case r.RefundOrderID != "" && !r.Amount.IsPositive():
		return invalid("CounterRefund.Amount", "must be above zero, got %s", r.Amount)
	}
	return nil
}

// ProcessCounterRefund applies a counter refund order, or a sale's cancellation, once:
//
//   - a refund order takes back the points of the refunded share of the sale: the sale's
//     earned points × refunded so far ÷ sale total, rounded down, less what earlier refunds
//     of the sale took back; never more than the sale awarded. When the refunds reach the
//     sale total the welcome bonus the sale awarded is taken back too, and the sale never
//     awards again. Each refund order applies exactly once (OutcomeDuplicate afterwards);
//   - a cancellation (empty RefundOrderID) takes back everything the sale awarded, and a sale
//     cancelled before it awarded never awards;
//   - the balance stops at zero while the history records the full deduction, as for the web.
//
// A refund whose sale has not awarded yet is ignored without being remembered, so delivering
// it again after the sale is applied takes the points back. Tier standings are recomputed and
// the refund is in the activity log under Actor.
func (e *Engine) ProcessCounterRefund(ctx context.Context, programID string, r CounterRefund) (OrderResult, error) {
	now := e.now()
	orderID, status := r.RefundOrderID, StatusRefunded
	if orderID == "" {
		orderID, status = r.OrderID, StatusCancelled
	}
	if err := r.validate(); err != nil {
		return OrderResult{Outcome: OutcomeFailed, Reason: err.Error()}, err
	}
	if r.Actor == "" {
		r.Actor = "system"
	}
	var res OrderResult
	err := e.update(ctx, func(tx Tx) error {
		p, err := loadProgram(ctx, tx, programID)
		if err != nil {
			return err
		}
		if res, err = e.applyCounterRefund(ctx, tx, p, r, now); err != nil {
			return err
		}
		if err := tx.AppendReceipt(ctx, Receipt{ProgramID: programID, Store: r.Store, OrderID: orderID,
			Status: string(status), Outcome: res.Outcome, Reason: res.Reason, ReceivedAt: now}); err != nil {
			return err
		}
		if res.Outcome != OutcomeDuplicate {
			kind := ActivityCounterRefund
			switch res.Outcome {
			case OutcomeIgnored:
				kind = ActivityOrderIgnored
			case OutcomeSkipped:
				kind = ActivityOrderSkipped
			}
			what := fmt.Sprintf("refund order %s of sale %s", r.RefundOrderID, r.OrderID)
			if r.RefundOrderID == "" {
				what = fmt.Sprintf("cancellation of sale %s", r.OrderID)
			}
			if err := tx.AppendActivity(ctx, ActivityEntry{ProgramID: programID, Kind: kind, Actor: r.Actor,
				MemberID: res.Member.ID, Store: r.Store, OrderID: orderID, At: now,
				Message: fmt.Sprintf("%s %s: %s", what, res.Outcome, res.Reason)}); err != nil {
				return err
			}
		}
		return noteTierChange(ctx, tx, p, res.Member.ID, res.Movements, now, r.Actor)
	})
	if err != nil {
		return OrderResult{Outcome: OutcomeFailed, Reason: err.Error()},
			fmt.Errorf("loyalty: process counter refund %s of order %s from %s: %w", r.RefundOrderID, r.OrderID, r.Store, err)
	}
	return res, nil
}

func (e *Engine) applyCounterRefund(ctx context.Context, tx Tx, p Program, r CounterRefund, now time.Time) (OrderResult, error) {
	if p.Paused {
		return OrderResult{Outcome: OutcomeSkipped, Reason: "the program is paused: deliveries are recorded and skipped"}, nil
	}
	cancel := r.RefundOrderID == ""
	if !cancel {
		if _, err := tx.OrderState(ctx, p.ID, r.Store, r.RefundOrderID); err == nil {
			return OrderResult{Outcome: OutcomeDuplicate, Reason: "already processed: the refund order was applied"}, nil
		} else if !isNotFound(err) {
			return OrderResult{}, err
		}
		if c := strings.TrimSpace(r.Currency); c != "" && !strings.EqualFold(c, p.Currency) {
			return OrderResult{Outcome: OutcomeSkipped,
				Reason: fmt.Sprintf("refund currency %q differs from the program currency %q", r.Currency, p.Currency)}, nil
		}
	}
	sale, err := tx.OrderState(ctx, p.ID, r.Store, r.OrderID)
	switch {
	case isNotFound(err) && cancel:
		err := tx.CreateOrderState(ctx, OrderState{ProgramID: p.ID, Store: r.Store, OrderID: r.OrderID,
			Status: StatusCancelled, Currency: p.Currency, Refunded: true, UpdatedAt: now})
		return OrderResult{Outcome: OutcomeIgnored,
			Reason: "the sale was cancelled before it awarded points: it never awards points"}, err
	case isNotFound(err):
		return OrderResult{Outcome: OutcomeIgnored,
			Reason: fmt.Sprintf("sale %s has not awarded points (yet): nothing to take back", r.OrderID)}, nil
	case err != nil:
		return OrderResult{}, err
	}
	refundState := OrderState{ProgramID: p.ID, Store: r.Store, OrderID: r.RefundOrderID, MemberID: sale.MemberID,
		Status: StatusRefunded, Total: r.Amount, Currency: p.Currency, Refunded: true, UpdatedAt: now}
	remember := func(res OrderResult, err error) (OrderResult, error) {
		if err != nil || cancel {
			return res, err
		}
		return res, tx.CreateOrderState(ctx, refundState)
	}
	switch {
	case sale.Refunded && cancel:
		return OrderResult{Outcome: OutcomeDuplicate, Reason: "already processed: the sale was cancelled or fully refunded"}, nil
	case sale.Refunded:
		return remember(OrderResult{Outcome: OutcomeIgnored,
			Reason: fmt.Sprintf("sale %s was already fully refunded or cancelled: nothing left to take back", r.OrderID)}, nil)
	case !sale.Awarded():
		return remember(OrderResult{Outcome: OutcomeIgnored,
			Reason: fmt.Sprintf("sale %s awarded no points: nothing to take back", r.OrderID)}, nil)
	}
	member, err := tx.Member(ctx, sale.MemberID)
	if err != nil {
		return OrderResult{}, fmt.Errorf("loyalty: member of refunded sale: %w", err)
	}
	acct, err := tx.Account(ctx, p.ID, sale.MemberID)
	if err != nil {
		return OrderResult{}, fmt.Errorf("loyalty: account of refunded sale: %w", err)
	}
	refunded := sale.RefundedTotal.Add(r.Amount)
	full := cancel || !refunded.LessThan(sale.Total)
	var due int64
	amount := r.Amount
	if full {
		due = sale.EarnedPoints + sale.WelcomePoints - sale.ClawedBack
		amount = sale.unrefunded()
		refunded = decimal.Max(refunded, sale.Total)
	} else {
		target := decimal.NewFromInt(sale.EarnedPoints).Mul(refunded).Div(sale.Total).Floor().IntPart()
		due = min(target, sale.EarnedPoints) - sale.ClawedBack
	}
	res := OrderResult{Outcome: OutcomeProcessed, Member: member, Balance: acct.Balance}
	word := "refunded"
	key := CounterRefundKey(r.Store, r.OrderID, r.RefundOrderID)
	if cancel {
		word, key = "cancelled", RefundKey(r.Store, r.OrderID)
	}
	line := fmt.Sprintf("Counter sale %s %s (%s)", r.OrderID, word, FormatMoney(amount, p.Currency))
	if reason := strings.TrimSpace(r.Reason); reason != "" {
		line += ", " + reason
	}
	res.Reason = fmt.Sprintf("%s %s: nothing to take back", word, FormatMoney(amount, p.Currency))
	if due > 0 {
		var m Movement
		m, acct, err = postOnce(ctx, tx, now, acct, Movement{Key: key, Kind: KindRefund, Requested: -due,
			Store: r.Store, OrderID: r.OrderID, Channel: ChannelCounter, Source: r.Source, Amount: amount.Neg(),
			Reason: fmt.Sprintf("%s: %s points taken back", line, FormatPoints(due))})
		if err != nil {
			return OrderResult{}, err
		}
		if m.Seq == 0 {
			// A concurrent transaction applied this refund after this one read the sale's state
			// (READ COMMITTED on PostgreSQL): a lost race, so the engine runs the transaction again
			// and then finds the refund recorded (OutcomeDuplicate).
			return OrderResult{}, fmt.Errorf("loyalty: counter refund %s applied concurrently: %w", r.RefundOrderID, ErrConflict)
		}
		res.Movements = []Movement{m}
		res.Balance = acct.Balance
		res.Reason = fmt.Sprintf("%s %s: took back %s points", word, FormatMoney(amount, p.Currency), FormatPoints(due))
		if m.Applied != m.Requested {
			res.Reason += fmt.Sprintf(" (the balance stopped at zero: %s were already spent)", FormatPoints(m.Applied-m.Requested))
		}
	}
	sale.ClawedBack += max(due, 0)
	sale.RefundedTotal = refunded
	sale.UpdatedAt = now
	if full {
		sale.Refunded = true
		sale.Status = StatusRefunded
		if cancel {
			sale.Status = StatusCancelled
		}
	}
	refundState.ClawedBack = max(due, 0)
	if err := tx.UpdateOrderState(ctx, sale); err != nil {
		return OrderResult{}, err
	}
	return remember(res, nil)
}
