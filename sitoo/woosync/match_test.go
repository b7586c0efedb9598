package woosync_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

func TestMatchVouchers_ByCodeOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	summer, err := e.woo.AddCoupon(woocommercetest.Coupon{Code: "summer10", Amount: "10"})
	require.NoError(t, err)
	_, err = e.woo.AddCoupon(woocommercetest.Coupon{Code: "wooonly", Amount: "5"})
	require.NoError(t, err)
	vid := e.sitoo.AddVoucher(1, sitoo.Voucher{VoucherCode: "SUMMER10", VoucherName: "Summer", VoucherType: 110})
	e.sitoo.AddVoucher(1, sitoo.Voucher{VoucherCode: "POSONLY", VoucherName: "POS", VoucherType: 110})

	rep, err := e.syncer.Run(e.ctx, woosync.StepMatchVouchers, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Steps[0].Done)
	m, err := e.store.MappingByWoo(e.ctx, woosync.KindCoupon, summer)
	require.NoError(t, err)
	assert.Equal(t, vid, m.SitooID)
	assert.Len(t, e.woo.Coupons(), 2, "nothing created")
}

func TestManufacturers_SentWithProducts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	client, _ := e.syncer.SitooClient(e.ctx)
	rs, _, err := client.Site(1).Manufacturers.BatchCreate(e.ctx, []sitoo.ManufacturerRequest{{Name: sitoo.Ptr("Acme")}, {Name: sitoo.Ptr("Other")}})
	require.NoError(t, err)
	_, _, err = e.wc.Products.Create(e.ctx, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Anvil"), SKU: woocommerce.Ptr("ANVIL"),
		Attributes: []woocommerce.ProductAttribute{{Name: "Manufacturer", Visible: true, Options: []string{"ACME"}}}})
	require.NoError(t, err)

	_, err = e.syncer.FullSync(e.ctx, []woosync.Step{woosync.StepFetchManufacturers, woosync.StepSendProducts}, nil)
	require.NoError(t, err)
	anvil := e.sitooProducts()["ANVIL"]
	require.NotNil(t, anvil.ManufacturerID)
	assert.Equal(t, rs[0].ID, *anvil.ManufacturerID, "matched by name, case-insensitively")
	n, _ := e.store.CountMappings(e.ctx, woosync.KindManufacturer)
	assert.Equal(t, 2, n)
}
