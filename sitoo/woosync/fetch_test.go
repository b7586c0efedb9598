package woosync_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// seedSitooCatalog puts a small catalog into the Sitoo fake: a category tree, a manufacturer, a
// simple product with stock, a variable product with two variants, and an inactive product.
func (e *env) seedSitooCatalog() {
	e.t.Helper()
	client, err := e.syncer.SitooClient(e.ctx)
	require.NoError(e.t, err)
	site := client.Site(1)
	home := e.sitoo.AddCategory(1, sitoo.Category{Title: "Home"})
	kitchen := e.sitoo.AddCategory(1, sitoo.Category{Title: "Kitchen", CategoryParentID: &home})
	rs, _, err := site.Manufacturers.BatchCreate(e.ctx, []sitoo.ManufacturerRequest{{Name: sitoo.Ptr("Acme")}})
	require.NoError(e.t, err)
	acme := rs[0].ID
	e.sitoo.AddProduct(1, sitoo.Product{SKU: "PAN", Title: "Pan", MoneyPrice: sitoo.MustMoney("30.00"), Active: true, ActivePOS: true,
		DefaultCategoryID: &kitchen, Categories: sitoo.IDList{kitchen}, ManufacturerID: &acme})
	e.sitoo.SetStock(1, e.virtual, "PAN", sitoo.DecimalFromInt(6))
	main := e.sitoo.AddProduct(1, sitoo.Product{SKU: "CAP", Title: "Cap", Active: true, ActivePOS: true})
	_, err = site.ProductVariants.Replace(e.ctx, main, &sitoo.ProductVariants{
		Groups: []sitoo.VariantGroup{{Name: "Color", Options: []string{"Red", "Blue"}}},
		Variants: []sitoo.Variant{{SKU: "CAP-R", ActivePOS: true, MoneyPrice: sitoo.MustMoney("9.00"), Attributes: []string{"Red"}},
			{SKU: "CAP-B", ActivePOS: true, MoneyPrice: sitoo.MustMoney("9.00"), Attributes: []string{"Blue"}}}})
	require.NoError(e.t, err)
	e.sitoo.SetStock(1, e.virtual, "CAP-B", sitoo.DecimalFromInt(4))
	e.sitoo.AddProduct(1, sitoo.Product{SKU: "OLD", Title: "Old", Active: false, ActivePOS: false})
	e.sitoo.AddProduct(1, sitoo.Product{SKU: "POSONLY", Title: "Counter only", Active: false, ActivePOS: true})
}

// wooProducts returns the WooCommerce products by SKU; a duplicate SKU fails the test.
func (e *env) wooProducts() map[string]woocommerce.Product {
	e.t.Helper()
	out := map[string]woocommerce.Product{}
	for p, err := range e.wc.Products.All(e.ctx, nil) {
		require.NoError(e.t, err)
		require.NotContains(e.t, out, p.SKU)
		out[p.SKU] = p
	}
	return out
}

func TestFetchProducts_CatalogStockCategoriesManufacturerNoDuplicates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	e.seedSitooCatalog()
	// Already in WooCommerce: matched, then updated rather than created.
	existing := e.simple("Pan (old name)", "PAN", 0)

	for range 2 {
		_, err := e.syncer.FullSync(e.ctx, []woosync.Step{woosync.StepMatchAll, woosync.StepFetchProducts}, nil)
		require.NoError(t, err)
	}
	ps := e.wooProducts()
	require.ElementsMatch(t, []string{"PAN", "CAP", "POSONLY"}, keys(ps), "active products only (default filter)")
	pan := ps["PAN"]
	assert.Equal(t, existing, pan.ID)
	assert.Equal(t, "Pan", pan.Name)
	assert.Equal(t, int64(6), pan.StockQuantity.Int)
	require.Len(t, pan.Categories, 1)
	kitchen, ok := e.wooCategory("Kitchen")
	require.True(t, ok)
	assert.Equal(t, kitchen.ID, pan.Categories[0].ID, "default category fetched on the fly")
	home, _ := e.wooCategory("Home")
	assert.Equal(t, home.ID, kitchen.Parent)
	var maker []string
	for _, a := range pan.Attributes {
		if a.Name == "manufacturer" {
			maker = a.Options
		}
	}
	assert.Equal(t, []string{"acme"}, maker, "manufacturers fetched before the first product fetch")

	cp := ps["CAP"]
	assert.Equal(t, woocommerce.ProductVariable, cp.Type)
	vars, _, err := e.wc.Variations.List(e.ctx, cp.ID, nil)
	require.NoError(t, err)
	require.Len(t, vars, 2, "no duplicate variations after two runs")
	bySKU := map[string]woocommerce.Variation{}
	for _, v := range vars {
		bySKU[v.SKU] = v
	}
	assert.Equal(t, int64(4), bySKU["CAP-B"].StockQuantity.Int)
	assert.Equal(t, "Blue", bySKU["CAP-B"].Attributes[0].Option)

	// A crash between create and mapping: mappings lost, nothing duplicated on the next fetch.
	require.NoError(t, e.store.ClearMappings(e.ctx))
	_, err = e.syncer.Run(e.ctx, woosync.StepFetchProducts, nil)
	require.NoError(t, err)
	assert.Len(t, e.wooProducts(), 3)
	vars, _, _ = e.wc.Variations.List(e.ctx, cp.ID, nil)
	assert.Len(t, vars, 2)
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestFetchProducts_Filter(t *testing.T) {
	t.Parallel()
	cases := map[woosync.ProductFilter][]string{
		woosync.FetchAll:             {"PAN", "CAP", "OLD", "POSONLY"},
		woosync.FetchActive:          {"PAN", "CAP", "POSONLY"},
		woosync.FetchActivePOS:       {"PAN", "CAP", "POSONLY"},
		woosync.FetchActiveWebshop:   {"PAN", "CAP"},
		woosync.FetchInactive:        {"OLD"},
		woosync.FetchInactivePOS:     {"OLD"},
		woosync.FetchInactiveWebshop: {"OLD", "POSONLY"},
	}
	for filter, want := range cases {
		t.Run(fmt.Sprint(filter), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOption{})
			e.connect(func(s *woosync.Settings) { s.FetchProducts = filter; s.IgnoreErrors = true })
			e.seedSitooCatalog()
			_, err := e.syncer.Run(e.ctx, woosync.StepFetchProducts, nil)
			require.NoError(t, err)
			assert.ElementsMatch(t, want, keys(e.wooProducts()))
		})
	}
}
