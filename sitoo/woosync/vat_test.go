package woosync_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

func TestSendProducts_PricesIncludeVAT(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name                   string
		vat, wooIncl           bool
		mug, book, free, shirt string
		shirtAfter             string
	}{
		// 19.99 × 1.25 = 24.9875 → 24.99; 10.00 × 1.06 = 10.60; 20.00 × 1.25; 25.50 × 1.25 = 31.875 → 31.88.
		{"on", true, false, "24.99", "10.60", "10.00", "25.00", "31.88"},
		{"off", false, false, "19.99", "10.00", "10.00", "20.00", "25.50"},
		{"Woo prices already include tax", true, true, "19.99", "10.00", "10.00", "20.00", "25.50"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOption{})
			e.woo.SetTaxRates(
				woocommercetest.TaxRate{Country: "SE", Rate: "25.0000", Name: "Moms", Priority: 1},
				woocommercetest.TaxRate{Country: "", Rate: "6.0000", Name: "Moms", Priority: 1, Class: "reduced-rate"})
			e.woo.SetPricesIncludeTax(tc.wooIncl)
			e.connect(func(s *woosync.Settings) { s.PricesIncludeVAT = tc.vat })
			create := func(sku, price, class, status string) {
				_, _, err := e.wc.Products.Create(e.ctx, &woocommerce.ProductRequest{Name: &sku, SKU: &sku,
					RegularPrice: woocommerce.Ptr(woocommerce.SomeMoney(woocommerce.MustMoney(price))),
					TaxClass:     &class, TaxStatus: &status})
				require.NoError(t, err)
			}
			create("MUG", "19.99", "", "taxable")
			create("BOOK", "10.00", "reduced-rate", "taxable")
			create("GIFT", "10.00", "", "none")
			shirt, vars := e.variable("Shirt", "TS", "S", "M")

			rep, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
			require.NoError(t, err)
			require.Zero(t, rep.Failed())
			ps := e.sitooProducts()
			assert.Equal(t, tc.mug, ps["MUG"].MoneyPrice.String())
			assert.Equal(t, tc.book, ps["BOOK"].MoneyPrice.String(), "the rate of the product's tax class")
			assert.Equal(t, tc.free, ps["GIFT"].MoneyPrice.String(), "tax status none")
			assert.Equal(t, tc.shirt, ps["TS-S"].MoneyPrice.String(), "variations inherit the parent's class")

			_, _, err = e.wc.Variations.Update(e.ctx, shirt, vars[0], &woocommerce.VariationRequest{
				RegularPrice: woocommerce.Ptr(woocommerce.SomeMoney(woocommerce.MustMoney("25.50")))})
			require.NoError(t, err)
			_, err = e.syncer.Run(e.ctx, woosync.StepResyncVariations, nil)
			require.NoError(t, err)
			assert.Equal(t, tc.shirtAfter, e.sitooProducts()["TS-S"].MoneyPrice.String(), "updates too")
		})
	}
}
