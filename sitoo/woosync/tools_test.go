package woosync_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
)

func TestFixedSKUAndImageName(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "A-B_c+1/2", woosync.FixedSKU("A.B_c+1/2", "WC-", 5))
	assert.Equal(t, "T-shirt--L-", woosync.FixedSKU("T-shirt (L)", "WC-", 5))
	assert.Equal(t, "WC-5", woosync.FixedSKU("  ", "WC-", 5))
	assert.Equal(t, "W-C-5", woosync.FixedSKU("", "W.C-", 5), "the prefix is made valid too")
	for _, s := range []string{"A.B", "T-shirt (L)", "ÅÄÖ", ""} {
		assert.True(t, woosync.ValidSKU(woosync.FixedSKU(s, "P", 1)), s)
	}
	assert.Equal(t, "my-photo--1-.jpg", woosync.SitooImageName("https://x.example/up/my photo (1).jpg?v=2"))
	assert.Equal(t, "ok_name-1.png", woosync.SitooImageName("https://x.example/ok_name-1.png"))
	assert.Equal(t, "image", woosync.SitooImageName("https://x.example/%C3%A5"))
}

func TestFixSKU_DryRunThenApply(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	dotted := e.simple("Dotted", "A.B", 1)
	empty := e.simple("Empty", "", 1)
	e.simple("Fine", "FINE", 1)
	e.simple("Taken", "X-Y", 1)
	clash := e.simple("Clash", "X.Y", 1)
	shirt, vars := e.variable("Shirt", "TS", "S")
	_, _, err := e.wc.Variations.Update(e.ctx, shirt, vars[0], &woocommerce.VariationRequest{SKU: woocommerce.Ptr("TS S")})
	require.NoError(t, err)

	dry, err := e.syncer.FixSKU(e.ctx, "WC-", false)
	require.NoError(t, err)
	got := map[int64]string{}
	for _, c := range dry {
		got[c.WooID] = c.To
	}
	assert.Equal(t, map[int64]string{dotted: "A-B", empty: "WC-" + itoa(empty), clash: "X-Y-" + itoa(clash), vars[0]: "TS-S"}, got)
	assert.Contains(t, e.wooProducts(), "A.B", "a dry run changes nothing")

	applied, err := e.syncer.FixSKU(e.ctx, "WC-", true)
	require.NoError(t, err)
	assert.Len(t, applied, 4)
	ps := e.wooProducts()
	for _, sku := range []string{"A-B", "WC-" + itoa(empty), "X-Y-" + itoa(clash), "FINE", "X-Y"} {
		assert.Contains(t, ps, sku)
	}
	v, _, err := e.wc.Variations.Get(e.ctx, shirt, vars[0])
	require.NoError(t, err)
	assert.Equal(t, "TS-S", v.SKU)
	again, err := e.syncer.FixSKU(e.ctx, "WC-", false)
	require.NoError(t, err)
	assert.Empty(t, again, "nothing left to fix")
	runs, _ := e.syncer.Runs(e.ctx, 3)
	assert.Equal(t, "fix sku", runs[0].Operation)

	// Everything now goes to Sitoo.
	rep, err := e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)
	assert.Zero(t, rep.Failed())
}

func TestFixImages_DryRunThenApply(t *testing.T) {
	t.Parallel()
	png := func(context.Context, string) ([]byte, error) { return []byte("\x89PNG\r\n\x1a\n"), nil }
	e := newEnv(t, envOption{syncer: []woosync.Option{woosync.WithImageFetcher(png)}})
	e.connect(nil)
	p, _, err := e.wc.Products.Create(e.ctx, &woocommerce.ProductRequest{Name: woocommerce.Ptr("Lamp"), SKU: woocommerce.Ptr("LAMP"),
		Images: []woocommerce.ImageRequest{{Src: "https://shop.example/up/lamp ä.png"}, {Src: "https://shop.example/up/ok.png"}}})
	require.NoError(t, err)

	dry, err := e.syncer.FixImages(e.ctx, false)
	require.NoError(t, err)
	require.Equal(t, []woosync.ImageRename{{ProductID: p.ID, Src: "https://shop.example/up/lamp ä.png", From: "lamp ä.png", To: "lamp--.png"}}, dry)
	got, _, _ := e.wc.Products.Get(e.ctx, p.ID)
	assert.NotEqual(t, "lamp--.png", got.Images[0].Name, "a dry run changes nothing")

	_, err = e.syncer.FixImages(e.ctx, true)
	require.NoError(t, err)
	got, _, _ = e.wc.Products.Get(e.ctx, p.ID)
	require.Len(t, got.Images, 2)
	assert.Equal(t, "lamp--.png", got.Images[0].Name)

	_, err = e.syncer.Run(e.ctx, woosync.StepSendProducts, nil)
	require.NoError(t, err)
	client, _ := e.syncer.SitooClient(e.ctx)
	imgs, _, err := client.Site(1).ProductImages.List(e.ctx, e.sitooProducts()["LAMP"].ProductID, nil)
	require.NoError(t, err)
	require.Len(t, imgs, 2)
	assert.Equal(t, "lamp--.png", imgs[0].ResourceID)
	assert.Equal(t, "ok.png", imgs[1].ResourceID)
}

func itoa(n int64) string { return woosync.FixedSKU("", "", n) }
