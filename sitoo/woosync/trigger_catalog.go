package woosync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// stepTriggerCategory is the internal step sending one category (SyncCategory).
const stepTriggerCategory Step = "trigger_category"

type categoryKey struct{}

func init() {
	steps[stepTriggerCategory] = stepDef{run: func(j *job) error {
		id, _ := j.ctx.Value(categoryKey{}).(int64)
		return j.sendCategoryChange(id)
	}}
}

// SyncCategory sends the change of one already synced WooCommerce product category to Sitoo at
// once (Settings.SendChanges). WooCommerce has no webhook topic for categories (its topics are
// coupon, customer, order and product, and action.* only for woocommerce_ and wc_ hooks), so the
// host calls this where it learns of the edit (for instance from the WordPress edited_product_cat
// hook); StepResyncCategories catches up edits nobody reported. An unsynced category, or a call
// while paused, disconnected or not configured, does nothing.
func (s *Syncer) SyncCategory(ctx context.Context, wooCategoryID int64) error {
	if wooCategoryID <= 0 {
		return fmt.Errorf("woosync: sync category %d: %w", wooCategoryID, ErrInvalidSettings)
	}
	rec, err := s.settings(ctx)
	if errors.Is(err, ErrNotConfigured) || errors.Is(err, ErrDisconnected) {
		return nil
	}
	if err != nil {
		return err
	}
	if rec.Paused || !rec.Settings.SendChanges {
		return nil
	}
	withID := func(ctx context.Context) context.Context { return context.WithValue(ctx, categoryKey{}, wooCategoryID) }
	_, err = s.run(ctx, fmt.Sprint("trigger category ", wooCategoryID), []Step{stepTriggerCategory}, nil, withID, concurrent)
	return err
}

// sendCategoryChange updates the Sitoo category of a mapped WooCommerce category.
func (j *job) sendCategoryChange(wooID int64) error {
	sitooID, mapped, err := j.mappedID(KindCategory, wooID, true)
	if err != nil {
		return err
	}
	if !mapped {
		j.skip(1)
		return nil
	}
	wc, _, err := j.woo.Categories.Get(j.ctx, wooID)
	if err != nil {
		return fmt.Errorf("woosync: get category %d: %w", wooID, err)
	}
	if err := j.sendCategory(wc, sitooID); err != nil {
		return j.triggerFailed(KindCategory, wooID, wc.Name, err)
	}
	j.done(1)
	return nil
}

// sendCouponChange updates the voucher matched or created for a coupon (by code, as sendCoupons
// maps them). The voucher keeps its type: only what the coupon defines is sent.
func (j *job) sendCouponChange(c *woocommerce.Coupon) error {
	sitooID, mapped, err := j.mappedID(KindCoupon, c.ID, true)
	if err != nil {
		return err
	}
	if !mapped {
		j.skip(1)
		return nil
	}
	req := voucherFromCoupon(c)
	req.VoucherType = nil
	if _, err := j.site.Vouchers.Update(j.ctx, sitooID, req); err != nil {
		return j.triggerFailed(KindCoupon, c.ID, c.Code, err)
	}
	if err := j.putMapping(Mapping{Kind: KindCoupon, WooID: c.ID, SitooID: sitooID, Key: strings.ToLower(strings.TrimSpace(c.Code))}); err != nil {
		return err
	}
	j.done(1)
	return nil
}

// triggerFailed records an item Sitoo refused; a transport, rate-limit or server error is
// returned as is so the delivery is retried.
func (j *job) triggerFailed(kind Kind, wooID int64, key string, err error) error {
	var api *sitoo.APIError
	if errors.As(err, &api) && api.StatusCode < 500 && api.StatusCode != http.StatusTooManyRequests {
		return j.fail(kind, wooID, key, err)
	}
	return err
}
