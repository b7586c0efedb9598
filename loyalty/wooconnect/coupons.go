package wooconnect

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// couponCreateAttempts bounds the creates of one IssueCoupon call; each failed attempt is
// followed by a lookup by code before the next.
const couponCreateAttempts = 2

// IssueCoupon implements loyalty.CouponIssuer: it creates the redemption's coupon in the store
// of the program's connection — the deterministic code, a fixed cart discount of the amount in
// the store currency, usage limit 1 (and 1 per user), restricted to the member's email, expiring
// at the redemption's expiry.
//
// It never creates two coupons for one redemption: when a create times out, its response is
// lost or the code exists already, it looks the coupon up by code before trying again. A coupon
// found that way is adopted only when it is provably this redemption's — it carries the
// RedemptionMetaKey marker with the redemption id, written on create — unused, and has the same
// terms; any other coupon with the code is refused with ErrCouponCodeTaken. It returns an error
// wrapping loyalty.ErrCouponRejected when the store refuses the coupon for good (no connected
// store, an invalid request, a key without write access, the code taken); any other error is
// transient and the engine retries later (Engine.Recover).
func (c *Connector) IssueCoupon(ctx context.Context, cp loyalty.Coupon) (string, error) {
	rec, err := c.activeConnection(ctx, cp.ProgramID)
	if errors.Is(err, ErrConnectionNotFound) {
		return "", fmt.Errorf("%w: %w", loyalty.ErrCouponRejected, err)
	} else if err != nil {
		return "", err
	}
	client, _, err := c.open(rec)
	if err != nil {
		return "", err
	}
	req := couponRequest(cp)
	var lastErr error
	for range couponCreateAttempts {
		created, _, err := client.Coupons.Create(ctx, req)
		if err == nil {
			c.log.InfoContext(ctx, "wooconnect: coupon created", "connection", rec.ID, "coupon_id", created.ID,
				"redemption", cp.RedemptionID)
			return strconv.FormatInt(created.ID, 10), nil
		}
		lastErr = err
		if rejected(err) {
			return "", fmt.Errorf("%w: %s: %w", loyalty.ErrCouponRejected, rec.StoreURL, err)
		}
		if ctx.Err() != nil {
			break
		}
		// The create may have been applied (a lost response) or the code exists: look first.
		found, _, lerr := client.Coupons.GetByCode(ctx, cp.Code)
		switch {
		case lerr == nil:
			if why := notAdoptable(found, cp); why != "" {
				return "", fmt.Errorf("%w: %w: code %s in %s %s", loyalty.ErrCouponRejected, ErrCouponCodeTaken, cp.Code, rec.StoreURL, why)
			}
			c.log.InfoContext(ctx, "wooconnect: coupon found by code after a failed create", "connection", rec.ID,
				"coupon_id", found.ID, "redemption", cp.RedemptionID)
			return strconv.FormatInt(found.ID, 10), nil
		case !errors.Is(lerr, woocommerce.ErrNotFound):
			// Unknown whether it exists: do not create blindly.
			return "", fmt.Errorf("wooconnect: coupon %s: create failed (%w), lookup failed: %w", cp.Code, err, lerr)
		}
	}
	return "", fmt.Errorf("wooconnect: create coupon %s in %s: %w", cp.Code, rec.StoreURL, lastErr)
}

func couponRequest(cp loyalty.Coupon) *woocommerce.CouponRequest {
	code := cp.Code
	amount := woocommerce.Money{Decimal: cp.Amount}
	discount := woocommerce.DiscountFixedCart
	limit := woocommerce.SomeInt(1)
	var expires *woocommerce.CouponExpiry
	if !cp.ExpiresAt.IsZero() {
		expires = woocommerce.ExpiresAt(cp.ExpiresAt)
	}
	individual := false
	marker, _ := json.Marshal(cp.RedemptionID) // a string always encodes
	description := fmt.Sprintf("Loyalty points redemption %s", cp.RedemptionID)
	return &woocommerce.CouponRequest{
		Code: &code, Amount: &amount, DiscountType: &discount, Description: &description,
		UsageLimit: &limit, UsageLimitPerUser: &limit, IndividualUse: &individual,
		EmailRestrictions: []string{cp.Email}, DateExpires: expires,
		MetaData: []woocommerce.MetaData{{Key: RedemptionMetaKey, Value: marker}},
	}
}

// rejected reports whether the store refused the coupon in a way a retry cannot change.
func rejected(err error) bool {
	if errors.Is(err, woocommerce.ErrAlreadyExists) {
		return false // the lookup decides
	}
	switch {
	case errors.Is(err, woocommerce.ErrBadRequest), errors.Is(err, woocommerce.ErrInvalidArgument), errors.Is(err, woocommerce.ErrForbidden),
		errors.Is(err, woocommerce.ErrUnauthorized):
		return true
	}
	s := statusOf(err)
	return s >= 400 && s < 500 && s != 408 && s != 409 && s != 429
}

// RedemptionMetaKey is the meta_data key of the marker IssueCoupon writes on every coupon it
// creates: its value is the redemption id, so that a coupon found by code after a lost create
// can be told from someone else's.
const RedemptionMetaKey = "loyalsync_redemption"

// notAdoptable says why a coupon found by code after a failed create is not this redemption's
// coupon to adopt ("" when it is): it must carry the redemption's marker, be unused, and have
// the redemption's terms (amount, email restriction, expiry).
func notAdoptable(found *woocommerce.Coupon, cp loyalty.Coupon) string {
	var marker string
	for _, m := range found.MetaData {
		if m.Key == RedemptionMetaKey {
			_ = json.Unmarshal(m.Value, &marker)
		}
	}
	switch {
	case marker != cp.RedemptionID:
		return "belongs to another coupon (no marker of redemption " + cp.RedemptionID + ")"
	case found.UsageCount > 0:
		return "was used already"
	case !sameTerms(found, cp):
		return "has other terms"
	}
	return ""
}

// sameTerms reports whether a coupon found by code has the terms cp describes: amount, email
// restriction and expiry (to the second, as WooCommerce keeps it).
func sameTerms(found *woocommerce.Coupon, cp loyalty.Coupon) bool {
	if !found.Amount.Round(2).Equal(cp.Amount.Round(2)) {
		return false
	}
	if len(found.EmailRestrictions) != 1 || !strings.EqualFold(found.EmailRestrictions[0], cp.Email) {
		return false
	}
	return found.DateExpiresGMT.Time.Equal(cp.ExpiresAt.UTC().Truncate(time.Second))
}
