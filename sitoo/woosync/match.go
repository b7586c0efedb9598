package woosync

import (
	"fmt"
	"strings"

	"github.com/loyalsync/loyalsync/woocommerce"
)

func init() {
	steps[StepMatchAll] = stepDef{run: (*job).matchAll, estimate: (*job).estimateProducts}
	steps[StepMatchVouchers] = stepDef{run: (*job).matchVouchers, estimate: estimateMapped(KindCoupon)}
	steps[StepFetchManufacturers] = stepDef{run: (*job).fetchManufacturers, estimate: estimateMapped(KindManufacturer)}
}

// matchAll runs the category, product and voucher matches.
func (j *job) matchAll() error {
	for _, fn := range []func(*job) error{(*job).matchCategories, (*job).matchProducts, (*job).matchVouchers} {
		if err := fn(j); err != nil {
			return err
		}
	}
	return nil
}

// matchVouchers marks WooCommerce coupons and Sitoo vouchers with the same code (compared
// case-insensitively: WooCommerce lowercases codes) as synced. It creates nothing.
func (j *job) matchVouchers() error {
	byCode := map[string]int64{}
	for v, err := range j.site.Vouchers.All(j.ctx, nil) {
		if err != nil {
			return err
		}
		if v.VoucherCode != "" {
			byCode[strings.ToLower(v.VoucherCode)] = v.VoucherID
		}
	}
	opts := &woocommerce.CouponListOptions{ListOptions: woocommerce.StableOrder()}
	opts.PerPage = pageSize
	for c, err := range j.woo.Coupons.All(j.ctx, opts) {
		if err != nil {
			return fmt.Errorf("woosync: list WooCommerce coupons: %w", err)
		}
		id, ok := byCode[strings.ToLower(c.Code)]
		if !ok {
			j.skip(1)
			continue
		}
		if err := j.putMapping(Mapping{Kind: KindCoupon, WooID: c.ID, SitooID: id, Key: strings.ToLower(c.Code)}); err != nil {
			return err
		}
		j.done(1)
	}
	j.report()
	return nil
}

// fetchManufacturers records every Sitoo manufacturer under its lowercased name, which is how a
// WooCommerce product's "manufacturer" attribute finds its Sitoo manufacturer id.
func (j *job) fetchManufacturers() error {
	for m, err := range j.site.Manufacturers.All(j.ctx, nil) {
		if err != nil {
			return err
		}
		if err := j.putMapping(Mapping{Kind: KindManufacturer, WooID: m.ExternalCompanyID, SitooID: m.ExternalCompanyID,
			Key: strings.ToLower(strings.TrimSpace(m.Name))}); err != nil {
			return err
		}
		j.done(1)
	}
	j.report()
	return j.store.SetTimestamp(j.ctx, TimestampManufacturers, j.clock())
}
