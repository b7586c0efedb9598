package loyalty

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// OrderResult is what one order delivery did.
type OrderResult struct {
	// Outcome and Reason are also recorded in the delivery receipt.
	Outcome Outcome
	Reason  string
	// Member is the member the order concerns (zero when none matched).
	Member Member
	// NewMember is set when the member was created from this order.
	NewMember bool
	// Movements are the ledger entries this delivery applied (none for duplicates).
	Movements []Movement
	// Balance is the member's balance after the delivery (when Member is set).
	Balance int64
}

// ProcessOrder applies one delivery of an order's state to a program:
//
//   - an awarding status ("processing" or "completed", or only "completed", per Program.AwardOn)
//     earns points once per (program, store, order), whatever the status path, redelivery,
//     duplication or concurrency; the member is matched by Member ref or normalised billing
//     email and created from the billing name and email when new; the welcome bonus is added
//     on the member's first order on the program as its own movement, unless the member already
//     has a movement under WelcomeKey (a bonus granted on another site, Engine.NoteWelcomeGranted);
//   - "refunded" takes back everything the order awarded, welcome bonus included; the balance
//     stops at zero while the movement records the full deduction; the order never awards
//     afterwards;
//   - with PartialRefundsProportional, a grown RefundedTotal takes back the refunded share;
//   - any other status, a currency mismatch, a guest without email or a paused program changes
//     nothing, with the reason in the result, the receipt and the activity log.
//
// "Already applied" is success: the result's Outcome is OutcomeDuplicate and the error nil.
// An error means nothing was applied (a failed receipt is recorded when possible); delivering
// the same event again is always safe.
func (e *Engine) ProcessOrder(ctx context.Context, programID string, ev OrderEvent) (OrderResult, error) {
	now := e.now()
	if err := validateEvent(ev); err != nil {
		e.recordFailure(ctx, programID, ev, err, now)
		return OrderResult{Outcome: OutcomeFailed, Reason: err.Error()}, err
	}
	var (
		res   OrderResult
		prog  Program
		mails []Email
	)
	err := e.update(ctx, func(tx Tx) error {
		var err error
		mails = nil
		if prog, err = loadProgram(ctx, tx, programID); err != nil {
			return err
		}
		if res, err = e.applyOrder(ctx, tx, prog, ev, now); err != nil {
			return err
		}
		if err := noteTierChange(ctx, tx, prog, res.Member.ID, res.Movements, now, ""); err != nil {
			return err
		}
		if err := tx.AppendReceipt(ctx, Receipt{
			ProgramID: programID, Store: ev.Store, OrderID: ev.OrderID, Status: string(NormalizeStatus(ev.Status)),
			Outcome: res.Outcome, Reason: res.Reason, EmailHash: hashEmail(e.salt, ev.BillingEmail), ReceivedAt: now,
		}); err != nil {
			return err
		}
		switch res.Outcome {
		case OutcomeIgnored, OutcomeSkipped:
			kind := ActivityOrderIgnored
			if res.Outcome == OutcomeSkipped {
				kind = ActivityOrderSkipped
			}
			return tx.AppendActivity(ctx, ActivityEntry{
				ProgramID: programID, Kind: kind, Actor: "system", MemberID: res.Member.ID,
				Store: ev.Store, OrderID: ev.OrderID, At: now,
				Message: fmt.Sprintf("order %s %s: %s", ev.OrderID, res.Outcome, res.Reason),
			})
		case OutcomeProcessed:
			mails = e.screen(ctx, tx, earnEmails(prog, res, ev, now))
		}
		return nil
	})
	if err != nil {
		if !errors.Is(err, ErrProgramNotFound) {
			e.recordFailure(ctx, programID, ev, err, now)
		}
		return OrderResult{Outcome: OutcomeFailed, Reason: err.Error()},
			fmt.Errorf("loyalty: process order %s from %s: %w", ev.OrderID, ev.Store, err)
	}
	for _, m := range mails {
		e.mail(ctx, m)
	}
	return res, nil
}

func validateEvent(ev OrderEvent) error {
	switch {
	case strings.TrimSpace(ev.Store) == "" || len(ev.Store) > 500:
		return invalid("OrderEvent.Store", "must be 1 to 500 characters")
	case strings.TrimSpace(ev.OrderID) == "" || len(ev.OrderID) > 200:
		return invalid("OrderEvent.OrderID", "must be 1 to 200 characters")
	case ev.Total.IsNegative():
		return invalid("OrderEvent.Total", "must not be negative, got %s", ev.Total)
	case ev.RefundedTotal.IsNegative():
		return invalid("OrderEvent.RefundedTotal", "must not be negative, got %s", ev.RefundedTotal)
	case ev.Channel != "" && !ev.Channel.Valid():
		return invalid("OrderEvent.Channel", "%q is not %q or %q", ev.Channel, ChannelOnline, ChannelCounter)
	case len(ev.Source) > 500:
		return invalid("OrderEvent.Source", "must be at most 500 characters")
	}
	return nil
}

func loadProgram(ctx context.Context, tx ReadTx, id string) (Program, error) {
	p, err := tx.Program(ctx, id)
	if isNotFound(err) {
		return Program{}, fmt.Errorf("%w: %q", ErrProgramNotFound, id)
	}
	return p, err
}

// earnEmails returns the email a processed award asks for: welcome for a new member, points
// earned otherwise; none for refunds.
func earnEmails(p Program, res OrderResult, ev OrderEvent, now time.Time) []Email {
	var earned, welcome int64
	for _, m := range res.Movements {
		switch m.Kind {
		case KindEarn:
			earned += m.Applied
		case KindWelcome:
			welcome += m.Applied
		}
	}
	if earned+welcome == 0 && !res.NewMember {
		return nil
	}
	kind := EmailPointsEarned
	if res.NewMember {
		kind = EmailWelcome
	}
	return []Email{{Kind: kind, To: res.Member, Program: p, Points: earned + welcome, WelcomeBonus: welcome,
		Balance: res.Balance, OrderID: ev.OrderID, At: now}}
}

func (e *Engine) applyOrder(ctx context.Context, tx Tx, p Program, ev OrderEvent, now time.Time) (OrderResult, error) {
	status := NormalizeStatus(ev.Status)
	if p.Paused {
		return OrderResult{Outcome: OutcomeSkipped, Reason: "the program is paused: deliveries are recorded and skipped"}, nil
	}
	state, err := tx.OrderState(ctx, p.ID, ev.Store, ev.OrderID)
	found := err == nil
	if err != nil && !isNotFound(err) {
		return OrderResult{}, err
	}
	if status == StatusRefunded {
		return e.refundOrder(ctx, tx, p, ev, state, found, now)
	}
	if !p.awards(status) {
		reason := fmt.Sprintf("status %q does not award points", status)
		if status == StatusProcessing {
			reason += fmt.Sprintf(": the program awards on %q only", StatusCompleted)
		}
		if found && state.Awarded() && !state.Refunded {
			// A partial refund may come with any status.
			return e.partialRefundOnly(ctx, tx, p, ev, state, now, OutcomeIgnored, reason)
		}
		return OrderResult{Outcome: OutcomeIgnored, Reason: reason}, nil
	}
	if found && state.Refunded {
		return OrderResult{Outcome: OutcomeIgnored, Reason: "the order was refunded: it never awards points again"}, nil
	}
	if found && state.Awarded() {
		return e.partialRefundOnly(ctx, tx, p, ev, state, now, OutcomeDuplicate,
			fmt.Sprintf("already processed: the order awarded %s points", FormatPoints(state.EarnedPoints+state.WelcomePoints)))
	}
	return e.earn(ctx, tx, p, ev, status, now)
}

func (e *Engine) earn(ctx context.Context, tx Tx, p Program, ev OrderEvent, status OrderStatus, now time.Time) (OrderResult, error) {
	if !strings.EqualFold(strings.TrimSpace(ev.Currency), p.Currency) {
		return OrderResult{Outcome: OutcomeSkipped,
			Reason: fmt.Sprintf("order currency %q differs from the program currency %q", ev.Currency, p.Currency)}, nil
	}
	var res OrderResult
	member, created, skip, err := e.matchOrderMember(ctx, tx, p, ev, now)
	if err != nil || skip != "" {
		return OrderResult{Outcome: OutcomeSkipped, Reason: skip}, err
	}
	res.Member, res.NewMember = member, created
	acct, err := ensureAccount(ctx, tx, p.ID, member.ID, now)
	if err != nil {
		return res, err
	}
	state := OrderState{
		ProgramID: p.ID, Store: ev.Store, OrderID: ev.OrderID, MemberID: member.ID, Status: status,
		Total: ev.Total, Currency: p.Currency, AwardedAt: now, UpdatedAt: now,
	}
	points, reason, err := e.purchasePoints(ctx, tx, p, ev, member.ID, now)
	if err != nil {
		return res, err
	}
	if points > 0 {
		var m Movement
		m, acct, err = postOnce(ctx, tx, now, acct, Movement{Key: EarnKey(ev.Store, ev.OrderID), Kind: KindEarn,
			Requested: points, Store: ev.Store, OrderID: ev.OrderID, Channel: ev.channel(), Source: ev.source(),
			Amount: ev.Total, Reason: reason})
		if err != nil {
			return res, err
		}
		if m.Seq != 0 {
			res.Movements = append(res.Movements, m)
			state.EarnedPoints = m.Requested
		}
	}
	if bonus := p.Earning.WelcomeBonus; bonus > 0 {
		var m Movement
		m, acct, err = postOnce(ctx, tx, now, acct, Movement{Key: WelcomeKey(member.ID), Kind: KindWelcome,
			Requested: bonus, Store: ev.Store, OrderID: ev.OrderID, Channel: ev.channel(), Source: ev.source(),
			Reason: fmt.Sprintf("Welcome bonus with order %s", ev.OrderID)})
		if err != nil {
			return res, err
		}
		if m.Seq != 0 {
			res.Movements = append(res.Movements, m)
			state.WelcomePoints = m.Requested
		}
	}
	res.Outcome = OutcomeProcessed
	res.Reason = fmt.Sprintf("awarded %s points", FormatPoints(state.EarnedPoints))
	if state.WelcomePoints > 0 {
		res.Reason += fmt.Sprintf(" and a %s points welcome bonus", FormatPoints(state.WelcomePoints))
	}
	if p.PartialRefunds != PartialRefundsProportional {
		exemptRefund(&state, ev.RefundedTotal, now)
	} else {
		var m *Movement
		if m, acct, err = e.partialClawback(ctx, tx, p, &state, acct, ev.RefundedTotal, now); err != nil {
			return res, err
		}
		if m != nil {
			res.Movements = append(res.Movements, *m)
			res.Reason += fmt.Sprintf("; partial refund took back %s points", FormatPoints(-m.Requested))
		}
	}
	res.Balance = acct.Balance
	return res, tx.CreateOrderState(ctx, state)
}

// matchOrderMember finds or creates the order's member. skip is a reason when the order cannot
// earn.
func (e *Engine) matchOrderMember(ctx context.Context, tx Tx, p Program, ev OrderEvent, now time.Time) (m Member, created bool, skip string, err error) {
	if !ev.Member.IsZero() {
		m, err = findMember(ctx, tx, ev.Member)
		if errors.Is(err, ErrMemberNotFound) {
			return Member{}, false, "no member matches the order's member reference", nil
		}
		return m, false, "", err
	}
	email := NormalizeEmail(ev.BillingEmail)
	counter := ev.Channel == ChannelCounter
	switch {
	case email == "" && counter:
		return Member{}, false, "counter receipt without a member (no customer scanned or added) and without an email earns no points", nil
	case email == "":
		return Member{}, false, "guest checkout without a billing email earns no points", nil
	case !validEmail(email) && counter:
		return Member{}, false, "the counter receipt's email is not a valid address", nil
	case !validEmail(email):
		return Member{}, false, "the billing email is not a valid address", nil
	}
	m, err = tx.MemberByEmail(ctx, email)
	if err == nil || !isNotFound(err) {
		return m, false, "", err
	}
	m, err = e.createMember(ctx, tx, NewMember{Email: email, Name: strings.TrimSpace(ev.BillingName),
		Language: p.EmailLanguage, Source: "order:" + ev.Store}, now)
	return m, err == nil, "", err
}

// createMember creates the member nm in tx: an id and, unless nm.Code is free and well formed,
// a member code drawn from the engine's random source, dated now.
func (e *Engine) createMember(ctx context.Context, tx Tx, nm NewMember, now time.Time) (Member, error) {
	id, err := e.randomID("mem_")
	if err != nil {
		return Member{}, err
	}
	code, err := e.memberCode(ctx, tx, strings.ToUpper(strings.TrimSpace(nm.Code)))
	if err != nil {
		return Member{}, err
	}
	source := nm.Source
	if source == "" {
		source = "manual"
	}
	return tx.CreateMember(ctx, Member{ID: id, Code: code, Email: NormalizeEmail(nm.Email),
		Name: strings.TrimSpace(nm.Name), Language: nm.Language, Source: source, CreatedAt: now})
}

// memberCode returns want when it is a well-formed code no member has, else a fresh random code
// no member has.
func (e *Engine) memberCode(ctx context.Context, tx Tx, want string) (string, error) {
	if wellFormedCode(want) {
		if _, err := tx.MemberByCode(ctx, want); isNotFound(err) {
			return want, nil
		} else if err != nil {
			return "", err
		}
	}
	for range 8 {
		b, err := e.randomBytes(5)
		if err != nil {
			return "", err
		}
		code := code8(b)
		if _, err := tx.MemberByCode(ctx, code); isNotFound(err) {
			return code, nil
		} else if err != nil {
			return "", err
		}
	}
	return "", errors.New("loyalty: no free member code after 8 draws (is the random source broken?)")
}

func ensureAccount(ctx context.Context, tx Tx, programID, memberID string, now time.Time) (Account, error) {
	a, err := tx.Account(ctx, programID, memberID)
	if isNotFound(err) {
		return tx.CreateAccount(ctx, Account{ProgramID: programID, MemberID: memberID, JoinedAt: now, UpdatedAt: now})
	}
	return a, err
}

// postOnce posts m unless the program already has a movement with m.Key; then it returns the
// zero Movement (Seq 0) and acct unchanged.
func postOnce(ctx context.Context, tx Tx, now time.Time, acct Account, m Movement) (Movement, Account, error) {
	_, err := tx.Movement(ctx, acct.ProgramID, m.Key)
	if err == nil {
		return Movement{}, acct, nil
	}
	if !isNotFound(err) {
		return Movement{}, acct, err
	}
	return post(ctx, tx, now, acct, m)
}
