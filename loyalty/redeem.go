package loyalty

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Redeem turns a member's points into a single-use coupon, in three steps that survive a crash
// or timeout at any point:
//
//  1. reserve: one transaction checks the bounds (points discount enabled, program not paused,
//     whole points within the minimum, maximum and balance), records the redemption with its
//     deterministic coupon code and deducts the points (movement "redeem/<id>");
//  2. issue: the CouponIssuer creates the coupon, idempotently by code;
//  3. confirm: one transaction marks the redemption issued and logs it.
//
// When the issuer rejects the coupon for good (ErrCouponRejected), the points are credited back
// ("redeem/<id>/release") and the error wraps ErrRedemptionReleased. When issuing or confirming
// fails otherwise, the error wraps ErrRedemptionPending: the points stay reserved until a retry
// with the same IdempotencyKey or Engine.Recover finishes the redemption, so the coupon and the
// deduction end up existing both or neither.
//
// A request with an IdempotencyKey already used in the program resumes that redemption when it
// names the same member and points, and is refused with an *IdempotencyError otherwise. The
// redemption id is derived from the program, the member and the key, and the coupon code from
// the id, both under the installation secret (WithCodeSecret, or the Store's), so two
// installations never derive the same code.
//
// Refused requests return a *RedeemError, an *IdempotencyError or a *ValidationError and
// change nothing.
func (e *Engine) Redeem(ctx context.Context, req RedeemRequest) (Redemption, error) {
	if e.issuer == nil {
		return Redemption{}, ErrNoCouponIssuer
	}
	if req.Points <= 0 || req.Points > MaxPoints {
		return Redemption{}, invalid("RedeemRequest.Points", "must be 1 to %d whole points, got %d", MaxPoints, req.Points)
	}
	codes, err := e.codeKey(ctx)
	if err != nil {
		return Redemption{}, fmt.Errorf("loyalty: redeem: %w", err)
	}
	now := e.now()
	var (
		r       Redemption
		resumed bool
	)
	err = e.update(ctx, func(tx Tx) error {
		var err error
		r, resumed = Redemption{}, false
		p, err := loadProgram(ctx, tx, req.ProgramID)
		if err != nil {
			return err
		}
		member, err := findMember(ctx, tx, req.Member)
		if err != nil {
			return err
		}
		if r, err = sameKey(ctx, tx, req); err == nil {
			resumed = true
			if r.MemberID != member.ID || r.Points != req.Points {
				return &IdempotencyError{Key: req.IdempotencyKey, RedemptionID: r.ID, MemberID: r.MemberID, Points: r.Points,
					RequestedMemberID: member.ID, RequestedPoints: req.Points}
			}
			return nil
		} else if !isNotFound(err) {
			return err
		}
		id := codes.redemptionID(p.ID, member.ID, req.IdempotencyKey)
		if req.IdempotencyKey == "" {
			if id, err = e.randomID("rdm_"); err != nil {
				return err
			}
		}
		r, err = e.reserve(ctx, tx, p, member, id, codes, req, now)
		return err
	})
	if err != nil {
		return Redemption{}, fmt.Errorf("loyalty: redeem: %w", err)
	}
	if resumed {
		switch r.State {
		case RedemptionIssued:
			return r, nil
		case RedemptionReleased:
			return r, fmt.Errorf("loyalty: redeem: %w: %s", ErrRedemptionReleased, r.Failure)
		}
	}
	return e.complete(ctx, r)
}

// sameKey returns the program's redemption made with the request's idempotency key, also one
// made before keys were stored (its id derived from the program and key alone); ErrNotFound
// when there is none or the request has no key.
func sameKey(ctx context.Context, tx ReadTx, req RedeemRequest) (Redemption, error) {
	if req.IdempotencyKey == "" {
		return Redemption{}, ErrNotFound
	}
	r, err := tx.RedemptionByKey(ctx, req.ProgramID, req.IdempotencyKey)
	if !isNotFound(err) {
		return r, err
	}
	if r, err = tx.Redemption(ctx, legacyRedemptionID(req.ProgramID, req.IdempotencyKey)); err == nil && r.ProgramID != req.ProgramID {
		return Redemption{}, ErrNotFound
	}
	return r, err
}

// reserve is step 1 of Redeem, inside a transaction.
func (e *Engine) reserve(ctx context.Context, tx Tx, p Program, member Member, id string, codes *codeKey, req RedeemRequest, now time.Time) (Redemption, error) {
	rules := p.Redemption
	if !rules.Enabled {
		return Redemption{}, ErrRedemptionDisabled
	}
	if p.Paused {
		return Redemption{}, ErrProgramPaused
	}
	acct, err := tx.Account(ctx, p.ID, member.ID)
	if isNotFound(err) {
		return Redemption{}, ErrNotMember
	} else if err != nil {
		return Redemption{}, err
	}
	refuse := func(sentinel error) error {
		return &RedeemError{Err: sentinel, Points: req.Points, Balance: acct.Balance, Min: rules.MinPoints, Max: rules.MaxPoints}
	}
	switch {
	case req.Points < rules.MinPoints:
		return Redemption{}, refuse(ErrBelowMinimum)
	case rules.MaxPoints > 0 && req.Points > rules.MaxPoints:
		return Redemption{}, refuse(ErrAboveMaximum)
	case req.Points > acct.Balance:
		return Redemption{}, refuse(ErrInsufficientPoints)
	}
	value := p.PointsValue(req.Points)
	if !value.IsPositive() {
		return Redemption{}, invalid("RedeemRequest.Points", "%d points are worth nothing in %s", req.Points, p.Currency)
	}
	code, err := freeCouponCode(ctx, tx, codes, rules.CouponPrefix, id)
	if err != nil {
		return Redemption{}, err
	}
	actor := req.Actor
	if actor == "" {
		actor = "member"
	}
	r, err := tx.CreateRedemption(ctx, Redemption{
		ID: id, ProgramID: p.ID, MemberID: member.ID, Email: member.Email, Points: req.Points, Value: value,
		Currency: p.Currency, Code: code, State: RedemptionReserved, Actor: actor,
		CreatedAt: now, ExpiresAt: now.AddDate(0, 0, rules.ValidityDays), UpdatedAt: now, IdempotencyKey: req.IdempotencyKey,
	})
	if err != nil {
		return Redemption{}, err
	}
	_, _, err = post(ctx, tx, now, acct, Movement{Key: RedeemKey(id), Kind: KindRedeem, Requested: -req.Points,
		RedemptionID: id, Reason: fmt.Sprintf("Redeemed for coupon %s (%s %s)", code, FormatMoney(value, p.Currency), p.Currency)})
	return r, err
}

// freeCouponCode derives the redemption's coupon code, moving to the next attempt while a code
// is taken (one chance in 2^40 per existing coupon).
func freeCouponCode(ctx context.Context, tx ReadTx, codes *codeKey, prefix, id string) (string, error) {
	for attempt := range 16 {
		code := codes.couponCode(prefix, id, attempt)
		if _, err := tx.RedemptionByCode(ctx, code); isNotFound(err) {
			return code, nil
		} else if err != nil {
			return "", err
		}
	}
	return "", fmt.Errorf("loyalty: no free coupon code for redemption %s", id)
}

// complete runs steps 2 and 3 of a reserved redemption.
func (e *Engine) complete(ctx context.Context, r Redemption) (Redemption, error) {
	couponID, ierr := e.issuer.IssueCoupon(ctx, Coupon{
		Code: r.Code, Amount: r.Value, Currency: r.Currency, Email: r.Email, ExpiresAt: r.ExpiresAt, UsageLimit: 1,
		ProgramID: r.ProgramID, MemberID: r.MemberID, RedemptionID: r.ID,
	})
	switch {
	case ierr == nil:
		return e.confirm(ctx, r, couponID)
	case errors.Is(ierr, ErrCouponRejected):
		released, err := e.release(ctx, r, ierr)
		if err != nil {
			return r, fmt.Errorf("loyalty: redeem: %w: release after %v: %w", ErrRedemptionPending, ierr, err)
		}
		return released, fmt.Errorf("loyalty: redeem: %w: %w", ErrRedemptionReleased, ierr)
	default:
		e.noteAttempt(ctx, r, ierr)
		return r, fmt.Errorf("loyalty: redeem: %w: issue coupon: %w", ErrRedemptionPending, ierr)
	}
}

// confirm is step 3: mark the redemption issued, log it and send the coupon email.
func (e *Engine) confirm(ctx context.Context, r Redemption, couponID string) (Redemption, error) {
	var (
		prog    Program
		member  Member
		changed bool
	)
	err := e.update(ctx, func(tx Tx) error {
		now := e.now()
		changed = false
		cur, err := tx.Redemption(ctx, r.ID)
		if err != nil {
			return err
		}
		r = cur
		switch r.State {
		case RedemptionIssued:
			return nil
		case RedemptionReleased:
			// Only an issuer that broke its contract (rejected a code it later created) gets here.
			e.logger.ErrorContext(ctx, "loyalty: coupon issued for a released redemption", "redemption", r.ID, "code", r.Code)
			return fmt.Errorf("loyalty: redemption %s was released but its coupon %s exists", r.ID, r.Code)
		}
		if prog, err = loadProgram(ctx, tx, r.ProgramID); err != nil {
			return err
		}
		if member, err = tx.Member(ctx, r.MemberID); err != nil {
			return err
		}
		r.State, r.CouponID, r.Failure, r.UpdatedAt = RedemptionIssued, couponID, "", now
		r.Attempts++
		if err := tx.UpdateRedemption(ctx, r, RedemptionReserved); err != nil {
			return err
		}
		changed = true
		return tx.AppendActivity(ctx, ActivityEntry{ProgramID: r.ProgramID, Kind: ActivityRedemption, Actor: r.Actor,
			MemberID: r.MemberID, RedemptionID: r.ID, At: now,
			Message: fmt.Sprintf("%s points redeemed for coupon %s worth %s %s, valid until %s", FormatPoints(r.Points), r.Code,
				FormatMoney(r.Value, r.Currency), r.Currency, r.ExpiresAt.Format(time.DateOnly))})
	})
	if err != nil {
		return r, fmt.Errorf("loyalty: redeem: %w: confirm: %w", ErrRedemptionPending, err)
	}
	if changed {
		var balance int64
		_ = e.store.View(ctx, func(tx ReadTx) error {
			a, err := tx.Account(ctx, r.ProgramID, r.MemberID)
			balance = a.Balance
			return err
		})
		rc := r
		e.mail(ctx, Email{Kind: EmailCouponIssued, To: member, Program: prog, Points: r.Points, Balance: balance,
			Redemption: &rc, At: r.UpdatedAt})
	}
	return r, nil
}

// release gives a rejected redemption's points back with a compensating movement.
func (e *Engine) release(ctx context.Context, r Redemption, cause error) (Redemption, error) {
	err := e.update(ctx, func(tx Tx) error {
		now := e.now()
		cur, err := tx.Redemption(ctx, r.ID)
		if err != nil {
			return err
		}
		r = cur
		if r.State != RedemptionReserved {
			return nil
		}
		acct, err := tx.Account(ctx, r.ProgramID, r.MemberID)
		if err != nil {
			return err
		}
		if _, _, err := postOnce(ctx, tx, now, acct, Movement{Key: ReleaseKey(r.ID), Kind: KindRelease, Requested: r.Points,
			RedemptionID: r.ID, Reason: fmt.Sprintf("Coupon %s could not be created: points returned", r.Code)}); err != nil {
			return err
		}
		r.State, r.Failure, r.UpdatedAt = RedemptionReleased, cause.Error(), now
		r.Attempts++
		if err := tx.UpdateRedemption(ctx, r, RedemptionReserved); err != nil {
			return err
		}
		return tx.AppendActivity(ctx, ActivityEntry{ProgramID: r.ProgramID, Kind: ActivityRedemptionFail, Actor: "system",
			MemberID: r.MemberID, RedemptionID: r.ID, At: now,
			Message: fmt.Sprintf("coupon %s rejected by the store, %s points returned: %v", r.Code, FormatPoints(r.Points), cause)})
	})
	return r, err
}

// noteAttempt records a transient issuer failure on a reserved redemption, best effort.
func (e *Engine) noteAttempt(ctx context.Context, r Redemption, cause error) {
	err := e.update(ctx, func(tx Tx) error {
		cur, err := tx.Redemption(ctx, r.ID)
		if err != nil || cur.State != RedemptionReserved {
			return err
		}
		cur.Attempts++
		cur.Failure, cur.UpdatedAt = cause.Error(), e.now()
		return tx.UpdateRedemption(ctx, cur, RedemptionReserved)
	})
	if err != nil {
		e.logger.WarnContext(ctx, "loyalty: record coupon attempt", "redemption", r.ID, "err", err)
	}
}

// Recover finishes every redemption left reserved for longer than the WithRecoverAfter age
// (a crash, a timeout or a transient failure between reserve and confirm): it asks the issuer
// for the coupon again (idempotent by code) and confirms it, or releases the points when the
// issuer rejects it. Run it at start-up and periodically. Reservations still failing
// transiently are counted as Pending and left for the next pass. Younger reservations are
// left alone, so as not to race a Redeem still in flight, and listed in the report's Waiting
// with the time each becomes eligible: run Recover again at the report's NextAt.
func (e *Engine) Recover(ctx context.Context) (RecoverReport, error) {
	var rep RecoverReport
	if e.issuer == nil {
		return rep, ErrNoCouponIssuer
	}
	cutoff := e.now().Add(-e.recoverAge)
	var after int64
	var errs []error
	for {
		var batch []Redemption
		err := e.store.View(ctx, func(tx ReadTx) error {
			var err error
			batch, err = tx.ReservedRedemptions(ctx, endOfTime, after, 100)
			return err
		})
		if err != nil {
			return rep, fmt.Errorf("loyalty: recover: %w", err)
		}
		for _, r := range batch {
			after = r.Seq
			if r.CreatedAt.After(cutoff) {
				rep.wait(r, e.recoverAge)
				continue
			}
			_, err := e.complete(ctx, r)
			switch {
			case err == nil:
				rep.Issued++
			case errors.Is(err, ErrRedemptionReleased):
				rep.Released++
			case errors.Is(err, ErrRedemptionPending):
				rep.Pending++
			default:
				errs = append(errs, err)
			}
			if ctx.Err() != nil {
				return rep, ctx.Err()
			}
		}
		if len(batch) < 100 {
			return rep, errors.Join(errs...)
		}
	}
}

// endOfTime is later than any reservation.
var endOfTime = time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC)
