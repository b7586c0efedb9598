package woosync

import (
	"fmt"
	"strings"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// DefaultVoucherType is the Sitoo voucher type of vouchers made from WooCommerce coupons: the
// discount campaign type of Sitoo's examples (Sitoo does not document the numbers).
const DefaultVoucherType sitoo.VoucherType = 110

// sendCoupons makes sure every coupon applied to an order exists in Sitoo as a voucher with
// the same code (Settings.SendCoupons): a coupon mapped already, or a voucher found by code
// (compared case-insensitively), is not created again.
func (j *job) sendCoupons(o *woocommerce.Order) error {
	for _, cl := range o.CouponLines {
		code := strings.ToLower(strings.TrimSpace(cl.Code))
		if code == "" {
			continue
		}
		if _, err := j.store.MappingByKey(j.ctx, KindCoupon, code); err == nil {
			continue
		} else if !isNoMapping(err) {
			return err
		}
		c, _, err := j.woo.Coupons.GetByCode(j.ctx, code)
		if err != nil {
			return fmt.Errorf("woosync: coupon %q: %w", code, err)
		}
		id, err := j.voucherByCode(code)
		if err != nil {
			return err
		}
		if id == 0 {
			if id, _, err = j.site.Vouchers.Create(j.ctx, voucherFromCoupon(c)); err != nil {
				return fmt.Errorf("woosync: send coupon %q: %w", code, err)
			}
		}
		if err := j.putMapping(Mapping{Kind: KindCoupon, WooID: c.ID, SitooID: id, Key: code}); err != nil {
			return err
		}
	}
	return nil
}

// voucherByCode returns the id of the Sitoo voucher with this code, 0 when there is none. The
// vouchers are read once per job.
func (j *job) voucherByCode(code string) (int64, error) {
	if j.vouchers == nil {
		j.vouchers = map[string]int64{}
		for v, err := range j.site.Vouchers.All(j.ctx, nil) {
			if err != nil {
				return 0, fmt.Errorf("woosync: list Sitoo vouchers: %w", err)
			}
			if v.VoucherCode != "" {
				j.vouchers[strings.ToLower(v.VoucherCode)] = v.VoucherID
			}
		}
	}
	return j.vouchers[code], nil
}

// voucherFromCoupon is the Sitoo voucher of a WooCommerce coupon: same code, the coupon's
// description as comment and its usage limit; a percent coupon's amount in ValueX, a
// fixed one's in MoneyM.
func voucherFromCoupon(c *woocommerce.Coupon) *sitoo.VoucherRequest {
	code := strings.ToUpper(c.Code)
	v := &sitoo.VoucherRequest{VoucherCode: &code, VoucherName: &code, VoucherType: ptr(DefaultVoucherType), ActivePOS: ptr(true)}
	if c.Description != "" {
		v.VoucherComment = &c.Description
	}
	if c.DiscountType == woocommerce.DiscountPercent {
		v.ValueX = ptr(c.Amount.IntPart())
	} else {
		m := sitoo.MoneyFromDecimal(c.Amount.Decimal)
		v.MoneyM = &m
	}
	if c.UsageLimit.Valid {
		v.MaxUses = ptr(c.UsageLimit.Int)
	}
	return v
}
