package loyalty

import (
	"context"
	"net/url"
	"time"

	"github.com/shopspring/decimal"
)

// MovementKind names the cause of a movement.
type MovementKind string

// Movement kinds.
const (
	// KindEarn credits the points a purchase earned.
	KindEarn MovementKind = "earn"
	// KindWelcome credits the welcome bonus of a member's first order on a program.
	KindWelcome MovementKind = "welcome"
	// KindRefund debits points an order awarded, after a full or partial refund.
	KindRefund MovementKind = "refund"
	// KindRedeem debits points turned into a coupon.
	KindRedeem MovementKind = "redeem"
	// KindRelease credits back the points of a redemption whose coupon could not be created.
	KindRelease MovementKind = "release"
	// KindAdjust is a manual or external correction (credit or debit).
	KindAdjust MovementKind = "adjust"
)

// Movement is one immutable ledger entry on an account. A balance is the sum of the Applied
// amounts of its movements; corrections are new movements.
type Movement struct {
	// Seq is assigned by the Store, increasing in commit order; history pages on it.
	Seq int64
	// ProgramID and MemberID name the account.
	ProgramID, MemberID string
	// Key is the deterministic idempotency key derived from the cause, unique per program;
	// see EarnKey, WelcomeKey, RefundKey, RedeemKey, ReleaseKey, AdjustKey.
	Key string
	// Kind is the cause.
	Kind MovementKind
	// Requested is the signed amount the cause asked for (positive credits, negative debits).
	Requested int64
	// Applied is the signed amount applied to the balance. It differs from Requested only when
	// a debit would take the balance below zero: the balance stops at zero while Requested keeps
	// the full deduction.
	Applied int64
	// BalanceAfter is the account balance right after this movement.
	BalanceAfter int64
	// Reason is a human-readable description for the member's history.
	Reason string
	// Store and OrderID name the order behind earn, welcome and refund movements.
	Store, OrderID string
	// RedemptionID names the redemption behind redeem and release movements.
	RedemptionID string
	// Channel and Source say where the purchase behind an earn, welcome or refund movement was
	// made: ChannelOnline and the store URL, or ChannelCounter and the counter's source. Empty
	// for other kinds (and for movements recorded before channels existed: read as online).
	Channel Channel
	Source  string
	// Amount is the money behind an earn movement (the purchase total) or a refund movement
	// (the refunded amount, negative), in the program currency; zero otherwise.
	Amount decimal.Decimal
	// CreatedAt is when the movement was applied.
	CreatedAt time.Time
}

// EarnKey is the idempotency key of the points an order earned: "earn/<store>/<order>".
func EarnKey(store, orderID string) string { return "earn/" + keyPart(store) + "/" + keyPart(orderID) }

// WelcomeKey is the idempotency key of a member's welcome bonus: "welcome/<member>". A movement
// under it, whatever its points, means the member has had their welcome bonus on the program:
// the engine grants none after it (see Engine.NoteWelcomeGranted for a bonus granted on another
// site).
func WelcomeKey(memberID string) string { return "welcome/" + keyPart(memberID) }

// RefundKey is the idempotency key of a full refund's clawback: "refund/<store>/<order>".
func RefundKey(store, orderID string) string {
	return "refund/" + keyPart(store) + "/" + keyPart(orderID)
}

// PartialRefundKey is the idempotency key of a partial refund clawback, derived from the
// order's cumulative refunded total: "refund/<store>/<order>/<refunded total>".
func PartialRefundKey(store, orderID, refundedTotal string) string {
	return RefundKey(store, orderID) + "/" + keyPart(refundedTotal)
}

// RedeemKey is the idempotency key of a redemption's deduction: "redeem/<id>".
func RedeemKey(redemptionID string) string { return "redeem/" + keyPart(redemptionID) }

// ReleaseKey is the idempotency key of a released redemption's credit: "redeem/<id>/release".
func ReleaseKey(redemptionID string) string { return RedeemKey(redemptionID) + "/release" }

// AdjustKey is the idempotency key of a manual or external adjustment: "adjust/<key>".
func AdjustKey(key string) string { return "adjust/" + keyPart(key) }

// keyPart escapes one component of a key ("/" becomes "%2F"), so that keys are unambiguous
// whatever the store and order ids hold: a store URL "https://shop.example" and order "1042"
// give "earn/https:%2F%2Fshop.example/1042".
func keyPart(s string) string { return url.PathEscape(s) }

// post computes and appends a movement on acct inside tx: debits stop at zero, and take
// nothing from a balance that is already negative (only movements applied from another site's
// sync, such as a double spend, take it below zero). It returns the stored movement and the
// updated account. The caller has checked that m.Key is new.
func post(ctx context.Context, tx Tx, now time.Time, acct Account, m Movement) (Movement, Account, error) {
	m.ProgramID, m.MemberID = acct.ProgramID, acct.MemberID
	m.Applied = m.Requested
	if m.Applied < 0 && acct.Balance+m.Applied < 0 {
		m.Applied = -max(acct.Balance, 0)
	}
	m.BalanceAfter = acct.Balance + m.Applied
	m.CreatedAt = now
	stored, err := tx.AppendMovement(ctx, m)
	if err != nil {
		return Movement{}, acct, err
	}
	acct.Balance = stored.BalanceAfter
	acct.UpdatedAt = now
	return stored, acct, nil
}
