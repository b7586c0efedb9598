package sitooconnect

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
)

// IssueCoupon implements loyalty.CouponIssuer: the counter's coupon is a bonus check kept by
// the CRM, shown on the customer card and redeemed once by the POS. Idempotent by code.
func (c *Connector) IssueCoupon(ctx context.Context, cp loyalty.Coupon) (string, error) {
	b, err := c.conns.PutBonusCheck(ctx, BonusCheck{ID: cp.Code, ProgramID: cp.ProgramID, MemberID: cp.MemberID,
		RedemptionID: cp.RedemptionID, Value: cp.Amount, Currency: cp.Currency, ExpiresAt: cp.ExpiresAt.UTC(),
		CreatedAt: c.now()})
	if err != nil {
		return "", err
	}
	return b.ID, nil
}

// IssueBonusCheck turns a member's points into a bonus check of the card's discount value
// (the points discount settings: minimum, maximum, value per point, validity), through the
// engine's crash-safe redemption: the points are deducted and the check exists both or
// neither. idempotencyKey (optional) makes a retried request return the same check. Refused
// while the program's account connection is paused.
func (c *Connector) IssueBonusCheck(ctx context.Context, connectionID string, member loyalty.MemberRef, points int64, actor, idempotencyKey string) (BonusCheck, error) {
	rec, err := c.conns.Connection(ctx, connectionID)
	if err != nil {
		return BonusCheck{}, err
	}
	switch {
	case rec.Disconnected:
		return BonusCheck{}, fmt.Errorf("%w: account %d", ErrDisconnected, rec.AccountID)
	case rec.Paused:
		return BonusCheck{}, fmt.Errorf("%w: account %d", ErrPaused, rec.AccountID)
	}
	r, err := c.eng.Redeem(ctx, loyalty.RedeemRequest{ProgramID: rec.ProgramID, Member: member, Points: points,
		Actor: actorOr(actor, "staff"), IdempotencyKey: idempotencyKey})
	if err != nil {
		return BonusCheck{}, fmt.Errorf("sitooconnect: issue bonus check: %w", err)
	}
	return c.conns.BonusCheck(ctx, r.Code)
}

// errItem reports a redeem item the customer cannot redeem.
var errItem = errors.New("sitooconnect: no such bonus check for this customer")

// redeemCheck marks a member's bonus check redeemed (redeem) or usable again (undo),
// idempotently: redeeming a redeemed check or undoing a usable one changes nothing.
// changed reports whether this call changed the check.
func (c *Connector) redeemCheck(ctx context.Context, programID, memberID, id string, redeem bool) (b BonusCheck, changed bool, err error) {
	b, err = c.conns.BonusCheck(ctx, id)
	if errors.Is(err, ErrBonusCheckNotFound) || (err == nil && (b.ProgramID != programID || b.MemberID != memberID)) {
		return BonusCheck{}, false, fmt.Errorf("%w: %q", errItem, id)
	} else if err != nil {
		return BonusCheck{}, false, err
	}
	now := c.now()
	switch {
	case redeem && b.RedeemedAt.IsZero():
		if now.After(b.ExpiresAt) {
			return b, false, fmt.Errorf("%w: %q expired on %s", errItem, id, b.ExpiresAt.Format(time.DateOnly))
		}
		changed, err = c.conns.SetBonusCheckRedeemed(ctx, id, time.Time{}, now)
	case !redeem && !b.RedeemedAt.IsZero():
		changed, err = c.conns.SetBonusCheckRedeemed(ctx, id, b.RedeemedAt, time.Time{})
	}
	if err != nil {
		return b, false, err
	}
	b, err = c.conns.BonusCheck(ctx, id)
	return b, changed, err
}
