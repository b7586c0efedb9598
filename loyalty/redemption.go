package loyalty

import (
	"context"
	"time"

	"github.com/shopspring/decimal"
)

// RedemptionState is the step a redemption has reached.
type RedemptionState string

// Redemption states.
const (
	// RedemptionReserved: the points are deducted and the coupon may or may not exist yet.
	// Redeem, a retry of it, or Engine.Recover moves it on.
	RedemptionReserved RedemptionState = "reserved"
	// RedemptionIssued: the coupon exists and the points are deducted. Final.
	RedemptionIssued RedemptionState = "issued"
	// RedemptionReleased: the coupon could not be created and the points were credited back.
	// Final.
	RedemptionReleased RedemptionState = "released"
)

// Redemption is points turned into a single-use store coupon.
type Redemption struct {
	// Seq is assigned by the Store at creation; Recover pages on it.
	Seq int64
	// ID identifies the redemption; the coupon code and the movement keys derive from it.
	ID string
	// ProgramID and MemberID name the account debited.
	ProgramID, MemberID string
	// Email is the member's email; the coupon is restricted to it.
	Email string
	// Points is the points redeemed.
	Points int64
	// Value is the coupon's fixed cart discount: Points × DiscountPerPoint rounded to the
	// currency's minor unit.
	Value decimal.Decimal
	// Currency is the program currency.
	Currency string
	// Code is the coupon code, "<PREFIX>-XXXXXXXX"; unique in the Store.
	Code string
	// State is the step reached.
	State RedemptionState
	// CouponID is the store's id for the created coupon, when the issuer reports one.
	CouponID string
	// Failure is the last issuer error, for reserved or released redemptions.
	Failure string
	// Attempts counts coupon creation attempts.
	Attempts int
	// Actor is who redeemed: "member" or a staff user for redemptions on a member's behalf.
	Actor string
	// IdempotencyKey is the RedeemRequest's key ("" when it had none); a program has at most
	// one redemption per key.
	IdempotencyKey string
	// CreatedAt is when the points were reserved; ExpiresAt is when the coupon stops being
	// usable; UpdatedAt is the last state change.
	CreatedAt, ExpiresAt, UpdatedAt time.Time
}

// Coupon is what a CouponIssuer creates in the store.
type Coupon struct {
	// Code is the deterministic coupon code; issuers are idempotent on it.
	Code string
	// Amount is the fixed cart discount, in Currency.
	Amount   decimal.Decimal
	Currency string
	// Email restricts the coupon to the member's email address.
	Email string
	// ExpiresAt is when the coupon stops being usable.
	ExpiresAt time.Time
	// UsageLimit is 1: coupons are single use.
	UsageLimit int
	// ProgramID, MemberID and RedemptionID let an issuer route and describe the coupon.
	ProgramID, MemberID, RedemptionID string
}

// CouponIssuer creates coupons in a store. Adapters implement it.
//
// IssueCoupon must be idempotent by Coupon.Code: when a coupon with that code already exists
// (because an earlier call succeeded but its answer was lost), it returns that coupon's id and
// no error. It returns an error wrapping ErrCouponRejected only when the coupon does not exist
// and can never be created; any other error is taken as transient.
type CouponIssuer interface {
	IssueCoupon(ctx context.Context, c Coupon) (couponID string, err error)
}

// CouponIssuerFunc adapts a function to CouponIssuer.
type CouponIssuerFunc func(ctx context.Context, c Coupon) (string, error)

// IssueCoupon calls f.
func (f CouponIssuerFunc) IssueCoupon(ctx context.Context, c Coupon) (string, error) {
	return f(ctx, c)
}

// RedeemRequest asks to turn a member's points into a coupon.
type RedeemRequest struct {
	// ProgramID is the program.
	ProgramID string
	// Member names the member (by id, number, code or email).
	Member MemberRef
	// Points is how many whole points to redeem.
	Points int64
	// IdempotencyKey makes a retried request (a double click, a client retry after a timeout)
	// resume the same redemption instead of starting another. Optional but recommended. A key
	// is bound to the member and points it was first used with: reusing it for another member
	// or amount fails with an *IdempotencyError.
	IdempotencyKey string
	// Actor is recorded in the activity log: "member" (default) or the staff user.
	Actor string
}

// RecoverReport counts what Engine.Recover did.
type RecoverReport struct {
	// Issued counts reservations whose coupon was created (or found) and confirmed.
	Issued int
	// Released counts reservations whose coupon was rejected and whose points were returned.
	Released int
	// Pending counts reservations still waiting on a transient failure.
	Pending int
	// Waiting lists the reservations younger than the recover age (WithRecoverAfter), which
	// Recover left alone, oldest first.
	Waiting []WaitingReservation
	// NextAt is when the first of Waiting becomes eligible: run Recover again then (zero when
	// nothing waits).
	NextAt time.Time
}

// WaitingReservation is a reservation Recover left alone because it is younger than the
// recover age.
type WaitingReservation struct {
	RedemptionID, ProgramID, MemberID string
	// CreatedAt is when the points were reserved; EligibleAt is when Recover takes it on.
	CreatedAt, EligibleAt time.Time
}

// wait adds r to Waiting.
func (rep *RecoverReport) wait(r Redemption, age time.Duration) {
	w := WaitingReservation{RedemptionID: r.ID, ProgramID: r.ProgramID, MemberID: r.MemberID, CreatedAt: r.CreatedAt,
		EligibleAt: r.CreatedAt.Add(age)}
	rep.Waiting = append(rep.Waiting, w)
	if rep.NextAt.IsZero() || w.EligibleAt.Before(rep.NextAt) {
		rep.NextAt = w.EligibleAt
	}
}
