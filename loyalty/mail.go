package loyalty

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// EmailKind names a member email.
type EmailKind string

// Member emails the engine asks for.
const (
	// EmailWelcome goes to a member created from their first order: the points earned and how
	// to sign in (with their email address and a one-time code; there is no password).
	EmailWelcome EmailKind = "welcome"
	// EmailPointsEarned goes to an existing member whose order earned points.
	EmailPointsEarned EmailKind = "points_earned"
	// EmailCouponIssued carries a redeemed coupon: code, value and expiry.
	EmailCouponIssued EmailKind = "coupon_issued"
)

// Email is the content of one member email, ready for a Mailer to render and send in
// Language. The engine calls the Mailer after the transaction commits; a Mailer error is logged
// and does not undo the change.
type Email struct {
	Kind EmailKind
	// To is the member (To.Email is the address).
	To Member
	// Program is the member's program.
	Program Program
	// Language is the program's customer email language.
	Language string
	// Points is what the event earned (earn, welcome) or redeemed (coupon).
	Points int64
	// WelcomeBonus is the welcome bonus part of Points.
	WelcomeBonus int64
	// Balance is the new balance and BalanceValue its worth in store discount.
	Balance      int64
	BalanceValue decimal.Decimal
	// BalanceLine is e.g. "You now have 1,200 points = 60.00 in store discount" (empty when
	// the points discount is disabled).
	BalanceLine string
	// ProgressLine is e.g. "Only 180 more points until your first 50.00 discount" when the
	// balance is below the minimum to redeem (empty otherwise).
	ProgressLine string
	// OrderID names the order for earn emails.
	OrderID string
	// Redemption is the coupon, for EmailCouponIssued.
	Redemption *Redemption
	// At is when the event happened.
	At time.Time
	// Screened is set by the engine when the Mailer, an EmailScreener, let the email through
	// in the transaction that asked for it: the Mailer need not check again what ScreenEmail
	// checked.
	Screened bool
}

// Mailer sends member emails. Adapters implement it; rendering and delivery are theirs.
type Mailer interface {
	SendEmail(ctx context.Context, m Email) error
}

// EmailScreener is a Mailer that decides, inside the ledger transaction that asks for an email,
// whether the member gets it (a member who switched emails off, say), reading what it needs
// through that transaction rather than in a transaction of its own after the commit. The engine
// screens the emails of ProcessOrder this way; the others reach SendEmail unscreened.
type EmailScreener interface {
	Mailer
	// ScreenEmail reports whether m is to be sent. It runs in tx, before the commit, and again
	// when the transaction is retried. An email it refuses is not sent; one it lets through
	// reaches SendEmail with Screened set. When it fails, the engine logs the error and sends
	// the email unscreened, so SendEmail decides as for any other email.
	ScreenEmail(ctx context.Context, tx Tx, m Email) (bool, error)
}

// screen passes the emails a transaction asks for through the Mailer's ScreenEmail, when it
// has one: it returns those to send.
func (e *Engine) screen(ctx context.Context, tx Tx, ms []Email) []Email {
	s, ok := e.mailer.(EmailScreener)
	if !ok || len(ms) == 0 {
		return ms
	}
	kept := ms[:0]
	for _, m := range ms {
		send, err := s.ScreenEmail(ctx, tx, m)
		switch {
		case err != nil:
			e.logger.WarnContext(ctx, "loyalty: screen member email", "kind", m.Kind, "member", m.To.ID, "err", err)
			kept = append(kept, m)
		case send:
			m.Screened = true
			kept = append(kept, m)
		}
	}
	return kept
}

func (e *Engine) mail(ctx context.Context, m Email) {
	if e.mailer == nil {
		return
	}
	m.Language = m.Program.EmailLanguage
	if m.BalanceLine == "" && m.Program.Redemption.Enabled {
		m.BalanceLine = m.Program.BalanceLine(m.Balance)
	}
	m.BalanceValue = m.Program.PointsValue(m.Balance)
	if m.ProgressLine == "" {
		m.ProgressLine = m.Program.ProgressLine(m.Balance)
	}
	if err := e.mailer.SendEmail(ctx, m); err != nil {
		e.logger.WarnContext(ctx, "loyalty: send member email", "kind", m.Kind, "member", m.To.ID, "err", err)
	}
}
