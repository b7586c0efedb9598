package loyalty

import (
	"errors"
	"fmt"
	"strings"
)

// Errors a Store returns. Backends wrap them (fmt.Errorf("...: %w", ErrConflict)) so callers match
// them with errors.Is.
var (
	// ErrNotFound reports that a looked-up record does not exist.
	ErrNotFound = errors.New("loyalty: not found")

	// ErrConflict reports that a transaction lost a race with a concurrent one (a serialization
	// failure, a deadlock, a busy database) and should be run again from the start. The Engine
	// retries such transactions a bounded number of times.
	ErrConflict = errors.New("loyalty: transaction conflict, retry")

	// ErrDuplicateKey reports that an insert violated a uniqueness rule (movement key, member
	// email, code or number, redemption id or coupon code, account). The engine always checks
	// for existence inside the transaction first, so it treats this error like ErrConflict: a
	// concurrent transaction inserted the same row, and a retry sees it.
	ErrDuplicateKey = errors.New("loyalty: duplicate key")
)

// Errors the Engine returns; match them with errors.Is.
var (
	// ErrInvalid reports invalid input: a program setting, an order event or a request.
	// The concrete error is a *ValidationError.
	ErrInvalid = errors.New("loyalty: invalid input")

	// ErrProgramNotFound reports an unknown program id.
	ErrProgramNotFound = errors.New("loyalty: program not found")

	// ErrMemberNotFound reports that no member matches the given email, code, number or id.
	ErrMemberNotFound = errors.New("loyalty: member not found")

	// ErrNotMember reports that a member exists but has not joined the program.
	ErrNotMember = errors.New("loyalty: member is not part of the program")

	// ErrRedemptionDisabled reports a redemption on a program whose points discount is off.
	ErrRedemptionDisabled = errors.New("loyalty: points discount is disabled")

	// ErrProgramPaused reports a redemption while the program's connection is paused.
	ErrProgramPaused = errors.New("loyalty: program is paused")

	// ErrBelowMinimum reports a redemption below the program's minimum points.
	ErrBelowMinimum = errors.New("loyalty: below the minimum points to redeem")

	// ErrAboveMaximum reports a redemption above the program's maximum points per redemption.
	ErrAboveMaximum = errors.New("loyalty: above the maximum points per redemption")

	// ErrInsufficientPoints reports a redemption larger than the member's balance.
	ErrInsufficientPoints = errors.New("loyalty: not enough points")

	// ErrNoCouponIssuer reports a redemption on an Engine built without WithCouponIssuer.
	ErrNoCouponIssuer = errors.New("loyalty: no coupon issuer configured")

	// ErrCouponRejected is returned (wrapped) by a CouponIssuer when the coupon can never be
	// created, for example because the store refused it as invalid. The engine then releases the
	// reserved points with a compensating movement. Any other issuer error is treated as
	// transient: the reservation stays and Engine.Recover or a retry of Redeem finishes it.
	ErrCouponRejected = errors.New("loyalty: coupon rejected by the store")

	// ErrRedemptionPending reports that a redemption's points are reserved but its coupon could
	// not be confirmed yet (a transient issuer or store failure). Retrying Redeem with the same
	// IdempotencyKey, or Engine.Recover, completes or releases it.
	ErrRedemptionPending = errors.New("loyalty: redemption pending")

	// ErrRedemptionReleased reports that a redemption was given up and its points returned.
	ErrRedemptionReleased = errors.New("loyalty: redemption released")

	// ErrIdempotencyKeyReused reports a RedeemRequest whose IdempotencyKey was used before for
	// a redemption of another member or another amount. The concrete error is an
	// *IdempotencyError; nothing was changed.
	ErrIdempotencyKeyReused = errors.New("loyalty: idempotency key reused with different parameters")
)

// IdempotencyError reports an idempotency key used again with another member or amount (as
// Stripe's idempotency_error does): the request is refused, and the earlier redemption is
// neither returned nor changed. It matches ErrIdempotencyKeyReused and ErrInvalid.
type IdempotencyError struct {
	// Key is the reused idempotency key.
	Key string
	// RedemptionID, MemberID and Points describe the redemption the key was first used for.
	RedemptionID, MemberID string
	Points                 int64
	// RequestedMemberID and RequestedPoints describe the refused request.
	RequestedMemberID string
	RequestedPoints   int64
}

// Error implements error.
func (e *IdempotencyError) Error() string {
	return fmt.Sprintf("loyalty: idempotency key %q was used for redemption %s (member %s, %d points), not for member %s and %d points: use a new key",
		e.Key, e.RedemptionID, e.MemberID, e.Points, e.RequestedMemberID, e.RequestedPoints)
}

// Is reports whether target is ErrIdempotencyKeyReused or ErrInvalid.
func (e *IdempotencyError) Is(target error) bool {
	return target == ErrIdempotencyKeyReused || target == ErrInvalid
}

// ErrEmailTaken reports an email change to an address another member holds; the concrete
// error is an *EmailTakenError.
var ErrEmailTaken = errors.New("loyalty: email address belongs to another member")

// EmailTakenError refuses an email change: the normalised Email is already another member's
// (emails identify members, so they are unique). Nothing was changed. It matches ErrEmailTaken.
type EmailTakenError struct {
	// MemberID is the member whose email was to change; Email the normalised address asked for.
	MemberID, Email string
}

// Error implements error.
func (e *EmailTakenError) Error() string {
	return fmt.Sprintf("loyalty: member %s cannot take email %q: another member holds it", e.MemberID, e.Email)
}

// Is reports whether target is ErrEmailTaken.
func (e *EmailTakenError) Is(target error) bool { return target == ErrEmailTaken }

// ValidationError describes one invalid field of a program, order event or request.
// It matches ErrInvalid with errors.Is.
type ValidationError struct {
	// Field is the Go path of the field, for example "Redemption.ValidityDays".
	Field string
	// Reason says what is wrong and what is allowed.
	Reason string
}

// Error implements error.
func (e *ValidationError) Error() string {
	return fmt.Sprintf("loyalty: invalid %s: %s", e.Field, e.Reason)
}

// Is reports whether target is ErrInvalid.
func (e *ValidationError) Is(target error) bool { return target == ErrInvalid }

func invalid(field, format string, args ...any) error {
	return &ValidationError{Field: field, Reason: fmt.Sprintf(format, args...)}
}

// RedeemError explains why a redemption was refused. It unwraps to one of the sentinel errors
// (ErrBelowMinimum, ErrAboveMaximum, ErrInsufficientPoints, ...), so both errors.Is and
// errors.As work.
type RedeemError struct {
	// Err is the sentinel naming the refused bound.
	Err error
	// Points is the requested amount.
	Points int64
	// Balance is the member's balance when the request was checked.
	Balance int64
	// Min and Max are the program bounds (Max 0 means no maximum).
	Min, Max int64
}

// Error implements error.
func (e *RedeemError) Error() string {
	return fmt.Sprintf("%s (requested %d points; balance %d, minimum %d, maximum %s)",
		strings.TrimPrefix(e.Err.Error(), "loyalty: "), e.Points, e.Balance, e.Min, maxString(e.Max))
}

// Unwrap returns the sentinel error.
func (e *RedeemError) Unwrap() error { return e.Err }

func maxString(max int64) string {
	if max == 0 {
		return "none"
	}
	return fmt.Sprint(max)
}
