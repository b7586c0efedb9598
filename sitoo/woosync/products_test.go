package woosync_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// simple adds a simple product with managed stock.
func (e *env) simple(name, sku string, stock int64) int64 {
	e.t.Helper()
	id, err := e.woo.AddProduct(woocommercetest.Product{Name: name, SKU: sku, RegularPrice: "10.00", ManageStock: true, StockQuantity: stock})
	require.NoError(e.t, err)
	return id
}

// variable adds a variable product with one variation per size (SKU parent-size), each with stock.
func (e *env) variable(name, sku string, sizes ...string) (int64, []int64) {
	e.t.Helper()
	typ := woocommerce.ProductVariable
	p, _, err := e.wc.Products.Create(e.ctx, &woocommerce.ProductRequest{Name: &name, SKU: &sku, Type: &typ,
		Attributes: []woocommerce.ProductAttribute{{Name: "Size", Variation: true, Visible: true, Options: sizes}}})
	require.NoError(e.t, err)
	var ids []int64
	for i, size := range sizes {
		price, _ := woocommerce.NewMoney("20.00")
		v, _, err := e.wc.Variations.Create(e.ctx, p.ID, &woocommerce.VariationRequest{
			SKU: woocommerce.Ptr(sku + "-" + size), RegularPrice: woocommerce.Ptr(woocommerce.SomeMoney(price)),
			ManageStock: woocommerce.Ptr(woocommerce.StockManaged), StockQuantity: woocommerce.Ptr(int64(i + 1)),
			Attributes: []woocommerce.VariationAttr{{Name: "Size", Option: size}}})
		require.NoError(e.t, err)
		ids = append(ids, v.ID)
	}
	return p.ID, ids
}

// sitooProducts returns every Sitoo product of site 1 by SKU; a duplicate SKU fails the test (the
// fake refuses them anyway; this guards against a fake that would not).
func (e *env) sitooProducts() map[string]sitoo.Product {
	e.t.Helper()
	client, err := e.syncer.SitooClient(e.ctx)
	require.NoError(e.t, err)
	out := map[string]sitoo.Product{}
	for p, err := range client.Site(1).Products.All(e.ctx, &sitoo.ProductListOptions{IncludeInactive: true}) {
		require.NoError(e.t, err)
		require.NotContains(e.t, out, p.SKU)
		out[p.SKU] = p
	}
	return out
}

func TestSendProducts_SimpleVariableStockNoDuplicates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	mug := e.simple("Mug", "MUG-1", 7)
	shirt, vars := e.variable("Shirt", "TS", "S", "M", "L")

	for range 2 {
		rep, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
		require.NoError(t, err)
		require.Zero(t, rep.Failed())
	}
	ps := e.sitooProducts()
	require.Len(t, ps, 5, "MUG-1, TS and three variants, once each after two runs")
	assert.Equal(t, "Mug", ps["MUG-1"].Title)
	assert.Equal(t, "10.00", ps["MUG-1"].MoneyPrice.String())
	for _, size := range []string{"S", "M", "L"} {
		v := ps["TS-"+size]
		require.NotNil(t, v.VariantParentID)
		assert.Equal(t, ps["TS"].ProductID, *v.VariantParentID)
		assert.Equal(t, "Shirt - "+size, v.Title)
	}
	assert.Equal(t, int64(7), e.stock("MUG-1"))
	assert.Equal(t, int64(3), e.stock("TS-L"))

	m, err := e.store.MappingByWoo(e.ctx, woosync.KindProduct, mug)
	require.NoError(t, err)
	assert.Equal(t, ps["MUG-1"].ProductID, m.SitooID)
	vm, err := e.store.MappingByWoo(e.ctx, woosync.KindVariation, vars[1])
	require.NoError(t, err)
	assert.Equal(t, ps["TS-M"].ProductID, vm.SitooID)
	assert.Equal(t, shirt, vm.WooParentID)
	assert.Equal(t, ps["TS"].ProductID, vm.SitooParentID)
}

func TestSendProducts_CrashBetweenCreateAndMappingLeavesOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	e.simple("Mug", "MUG-1", 1)
	e.variable("Shirt", "TS", "S", "M")
	_, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)
	before := e.sitooProducts()
	// The crash: everything was created in Sitoo, no mapping was recorded.
	require.NoError(t, e.store.ClearMappings(e.ctx))
	_, err = e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)
	after := e.sitooProducts()
	require.Len(t, after, len(before))
	for sku, p := range before {
		assert.Equal(t, p.ProductID, after[sku].ProductID, "%s found by SKU and kept, not recreated", sku)
	}
	n, _ := e.store.CountMappings(e.ctx, woosync.KindVariation)
	assert.Equal(t, 2, n, "mappings recovered")
}

func TestSendProducts_IgnoreErrors(t *testing.T) {
	t.Parallel()
	for _, ignore := range []bool{false, true} {
		t.Run(fmt.Sprint("ignore=", ignore), func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, envOption{})
			e.connect(func(s *woosync.Settings) { s.IgnoreErrors = ignore })
			e.simple("No SKU", "", 1)
			e.simple("Dotted", "A.B", 1)
			e.simple("Good", "GOOD", 1)
			rep, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
			var ie *woosync.ItemError
			if !ignore {
				require.ErrorAs(t, err, &ie)
				assert.ErrorIs(t, err, woosync.ErrItem)
				assert.Equal(t, 1, rep.Failed(), "stopped at the first")
				assert.NotContains(t, e.sitooProducts(), "GOOD")
				return
			}
			require.NoError(t, err)
			require.Equal(t, 2, rep.Failed())
			assert.Contains(t, rep.Steps[0].Errors[0].Error(), "undefined or not valid")
			assert.Contains(t, e.sitooProducts(), "GOOD")
			runs, _ := e.syncer.Runs(e.ctx, 1)
			assert.Len(t, runs[0].Errors, 2, "reported in the run log")
		})
	}
}

func TestSendProducts_ExcludeExternalAndImages(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var fetched []string
	fetch := func(_ context.Context, url string) ([]byte, error) {
		mu.Lock()
		defer mu.Unlock()
		fetched = append(fetched, url)
		if strings.Contains(url, "missing") {
			return nil, errors.New("404 Not Found")
		}
		return []byte("\x89PNG\r\n\x1a\n"), nil
	}
	e := newEnv(t, envOption{syncer: []woosync.Option{woosync.WithImageFetcher(fetch)}})
	e.connect(func(s *woosync.Settings) { s.ExcludeExternal, s.IgnoreErrors = true, true })
	ext := woocommerce.ProductExternal
	_, _, err := e.wc.Products.Create(e.ctx, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Ext"), SKU: woocommerce.Ptr("EXT"), Type: &ext,
		ExternalURL: woocommerce.Ptr("https://elsewhere.example/x")})
	require.NoError(t, err)
	_, _, err = e.wc.Products.Create(e.ctx, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Lamp"), SKU: woocommerce.Ptr("LAMP"),
		Images: []woocommerce.ImageRequest{{Src: "https://shop.example/wp-content/uploads/lamp (1)ä.png"}}})
	require.NoError(t, err)
	_, _, err = e.wc.Products.Create(e.ctx, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Vase"), SKU: woocommerce.Ptr("VASE"),
		Images: []woocommerce.ImageRequest{{Src: "https://shop.example/missing.png"}}})
	require.NoError(t, err)

	rep, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)
	ps := e.sitooProducts()
	assert.NotContains(t, ps, "EXT", "external products excluded")
	require.Contains(t, ps, "LAMP")
	client, _ := e.syncer.SitooClient(e.ctx)
	imgs, _, err := client.Site(1).ProductImages.List(e.ctx, ps["LAMP"].ProductID, nil)
	require.NoError(t, err)
	require.Len(t, imgs, 1)
	assert.Equal(t, "lamp--1--.png", imgs[0].ResourceID, "name fixed on the way to Sitoo")
	require.Equal(t, 1, rep.Failed(), "the missing image is reported")
	assert.Contains(t, rep.Steps[0].Errors[0].Error(), "missing image")

	// Resync images recreates them: still one.
	_, err = e.syncer.Run(e.ctx, woosync.StepResyncImages, nil)
	require.NoError(t, err)
	imgs, _, err = client.Site(1).ProductImages.List(e.ctx, ps["LAMP"].ProductID, nil)
	require.NoError(t, err)
	assert.Len(t, imgs, 1)
}

func TestMatchProducts_MarksOnlyAndFetchTwiceNoDuplicates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	mug := e.simple("Mug", "MUG-1", 1)
	e.simple("Only in Woo", "WOO-ONLY", 1)
	shirt, vars := e.variable("Shirt", "TS", "S", "M")
	main := e.sitoo.AddProduct(1, sitoo.Product{SKU: "TS", Title: "Shirt"})
	client, _ := e.syncer.SitooClient(e.ctx)
	_, err := client.Site(1).ProductVariants.Replace(e.ctx, main, &sitoo.ProductVariants{
		Groups:   []sitoo.VariantGroup{{Name: "Size", Options: []string{"S", "M"}}},
		Variants: []sitoo.Variant{{SKU: "TS-S", Attributes: []string{"S"}}, {SKU: "TS-M", Attributes: []string{"M"}}}})
	require.NoError(t, err)
	mugID := e.sitoo.AddProduct(1, sitoo.Product{SKU: "MUG-1", Title: "Mug"})
	count := len(e.sitooProducts())

	for range 2 {
		_, err := e.syncer.Run(e.ctx, woosync.StepMatchProducts, nil)
		require.NoError(t, err)
	}
	assert.Len(t, e.sitooProducts(), count, "match creates nothing")
	m, err := e.store.MappingByWoo(e.ctx, woosync.KindProduct, mug)
	require.NoError(t, err)
	assert.Equal(t, mugID, m.SitooID)
	m, err = e.store.MappingByWoo(e.ctx, woosync.KindProduct, shirt)
	require.NoError(t, err)
	assert.Equal(t, main, m.SitooID)
	for _, v := range vars {
		_, err := e.store.MappingByWoo(e.ctx, woosync.KindVariation, v)
		require.NoError(t, err)
	}
	_, err = e.store.MappingByKey(e.ctx, woosync.KindProduct, "WOO-ONLY")
	require.ErrorIs(t, err, woosync.ErrNoMapping)

	// Sending now creates only the unmatched product.
	_, err = e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)
	assert.Len(t, e.sitooProducts(), count+1)
}

func TestResyncParentsAndVariations(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	mug := e.simple("Mug", "MUG-1", 1)
	shirt, vars := e.variable("Shirt", "TS", "S", "M")
	_, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)

	_, _, err = e.wc.Products.Update(e.ctx, mug, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Big mug"), StockQuantity: woocommerce.Ptr(int64(40))})
	require.NoError(t, err)
	price, _ := woocommerce.NewMoney("25.50")
	_, _, err = e.wc.Variations.Update(e.ctx, shirt, vars[0], &woocommerce.VariationRequest{RegularPrice: woocommerce.Ptr(woocommerce.SomeMoney(price)),
		StockQuantity: woocommerce.Ptr(int64(9))})
	require.NoError(t, err)

	rep, err := e.syncer.Run(e.ctx, woosync.StepResyncParents, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Steps[0].Done, "Mug and Shirt")
	ps := e.sitooProducts()
	assert.Equal(t, "Big mug", ps["MUG-1"].Title)
	assert.Equal(t, int64(40), e.stock("MUG-1"))
	assert.Equal(t, "20.00", ps["TS-S"].MoneyPrice.String(), "parents only")

	rep, err = e.syncer.Run(e.ctx, woosync.StepResyncVariations, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Steps[0].Done)
	ps = e.sitooProducts()
	assert.Equal(t, "25.50", ps["TS-S"].MoneyPrice.String())
	assert.Equal(t, int64(9), e.stock("TS-S"))
}

func TestSendProducts_OverwritesAnItemFoundBySKU(t *testing.T) {
	t.Parallel()
	png := func(context.Context, string) ([]byte, error) { return []byte("\x89PNG\r\n\x1a\n"), nil }
	e := newEnv(t, envOption{syncer: []woosync.Option{woosync.WithImageFetcher(png)}})
	e.connect(nil)
	// Sitoo already has LAMP (made in the POS, never synced), with two images of its own.
	old := e.sitoo.AddProduct(1, sitoo.Product{SKU: "LAMP", Title: "Old lamp", MoneyPrice: sitoo.MustMoney("1.00"), ActivePOS: true})
	client, err := e.syncer.SitooClient(e.ctx)
	require.NoError(t, err)
	for _, name := range []string{"old-a.png", "old-b.png"} {
		_, err := client.Site(1).ProductImages.Upload(e.ctx, old, name, []byte("\x89PNG\r\n\x1a\n"))
		require.NoError(t, err)
	}
	price, _ := woocommerce.NewMoney("49.00")
	lamp, _, err := e.wc.Products.Create(e.ctx, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Lamp"), SKU: woocommerce.Ptr("LAMP"),
		RegularPrice: woocommerce.Ptr(woocommerce.SomeMoney(price)),
		Images:       []woocommerce.ImageRequest{{Src: "https://shop.example/up/lamp.png"}}})
	require.NoError(t, err)

	rep, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Steps[0].Done)
	ps := e.sitooProducts()
	require.Len(t, ps, 1, "found by SKU, not created again")
	assert.Equal(t, old, ps["LAMP"].ProductID)
	assert.Equal(t, "Lamp", ps["LAMP"].Title, "overwritten from WooCommerce")
	assert.Equal(t, "49.00", ps["LAMP"].MoneyPrice.String())
	imgs, _, err := client.Site(1).ProductImages.List(e.ctx, old, nil)
	require.NoError(t, err)
	require.Len(t, imgs, 1, "images recreated, the old ones deleted")
	assert.Equal(t, "lamp.png", imgs[0].ResourceID)
	m, err := e.store.MappingByWoo(e.ctx, woosync.KindProduct, lamp.ID)
	require.NoError(t, err)
	assert.Equal(t, old, m.SitooID)
}
