package woosync_test

import (
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

func TestTrigger_CouponChangesUpdateTheMatchedVoucher(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(func(s *woosync.Settings) { s.SendChanges = true })
	summer, err := e.woo.AddCoupon(woocommercetest.Coupon{Code: "summer10", Amount: "10"})
	require.NoError(t, err)
	other, err := e.woo.AddCoupon(woocommercetest.Coupon{Code: "wooonly", Amount: "5"})
	require.NoError(t, err)
	vid := e.sitoo.AddVoucher(1, sitoo.Voucher{VoucherCode: "SUMMER10", VoucherName: "Summer", VoucherType: 110})
	_, err = e.syncer.Run(e.ctx, woosync.StepMatchVouchers, nil)
	require.NoError(t, err)

	h, err := e.syncer.Handler("hook-secret")
	require.NoError(t, err)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	for _, topic := range []string{woosync.TopicCouponCreated, woosync.TopicCouponUpdated} {
		_, err := e.woo.AddWebhook(topic, srv.URL, "hook-secret")
		require.NoError(t, err)
	}
	amount, _ := woocommerce.NewMoney("15")
	_, _, err = e.wc.Coupons.Update(e.ctx, summer, &woocommerce.CouponRequest{Amount: &amount, Description: woocommerce.Ptr("Summer sale")})
	require.NoError(t, err)
	_, _, err = e.wc.Coupons.Update(e.ctx, other, &woocommerce.CouponRequest{Description: woocommerce.Ptr("not synced")})
	require.NoError(t, err)
	_, _, err = e.wc.Coupons.Create(e.ctx, &woocommerce.CouponRequest{Code: woocommerce.Ptr("fresh")})
	require.NoError(t, err)
	require.NoError(t, e.woo.FlushWebhooks(e.ctx))

	client, err := e.syncer.SitooClient(e.ctx)
	require.NoError(t, err)
	v, _, err := client.Site(1).Vouchers.Get(e.ctx, vid)
	require.NoError(t, err)
	require.NotNil(t, v.MoneyM, "a fixed_cart coupon's amount is money")
	assert.Equal(t, "15.00", v.MoneyM.String())
	assert.Equal(t, "Summer sale", v.VoucherComment)
	assert.Equal(t, sitoo.VoucherType(110), v.VoucherType, "the voucher keeps its type")
	var codes []string
	for v, err := range client.Site(1).Vouchers.All(e.ctx, nil) {
		require.NoError(t, err)
		codes = append(codes, v.VoucherCode)
	}
	assert.Equal(t, []string{"SUMMER10"}, codes, "unsynced coupons create no voucher")
}

func TestSyncCategory_SendsASyncedCategoryAtOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	cat, _, err := e.wc.Categories.Create(e.ctx, &woocommerce.CategoryRequest{Name: woocommerce.Ptr("Mugs")})
	require.NoError(t, err)
	_, err = e.syncer.Run(e.ctx, woosync.StepSendCategories, nil)
	require.NoError(t, err)
	m, err := e.store.MappingByWoo(e.ctx, woosync.KindCategory, cat.ID)
	require.NoError(t, err)
	title := func() string {
		client, err := e.syncer.SitooClient(e.ctx)
		require.NoError(t, err)
		c, _, err := client.Site(1).Categories.Get(e.ctx, m.SitooID)
		require.NoError(t, err)
		return c.Title
	}
	_, _, err = e.wc.Categories.Update(e.ctx, cat.ID, &woocommerce.CategoryRequest{Name: woocommerce.Ptr("Cups")})
	require.NoError(t, err)

	require.NoError(t, e.syncer.SyncCategory(e.ctx, cat.ID))
	assert.Equal(t, "Mugs", title(), "off unless SendChanges")

	e.connect(func(s *woosync.Settings) { s.SendChanges = true })
	require.NoError(t, e.syncer.SyncCategory(e.ctx, cat.ID))
	assert.Equal(t, "Cups", title())

	unsynced, _, err := e.wc.Categories.Create(e.ctx, &woocommerce.CategoryRequest{Name: woocommerce.Ptr("New")})
	require.NoError(t, err)
	require.NoError(t, e.syncer.SyncCategory(e.ctx, unsynced.ID))
	_, err = e.store.MappingByWoo(e.ctx, woosync.KindCategory, unsynced.ID)
	require.Error(t, err, "an unsynced category is left to a sync")
	require.ErrorIs(t, e.syncer.SyncCategory(e.ctx, 0), woosync.ErrInvalidSettings)
}
