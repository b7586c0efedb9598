package sitoo_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
)

func TestProductsCRUD(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	products := c.Site(1).Products

	id, _, err := products.Create(ctx, &sitoo.ProductRequest{SKU: sitoo.Ptr("Q100"), Title: sitoo.Ptr("Box"),
		MoneyPrice: sitoo.Ptr(sitoo.MustMoney("99.5")), Barcode: sitoo.Ptr("7312345678901")})
	require.NoError(t, err)

	p, resp, err := products.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	assert.Equal(t, 1, resp.Attempts)
	assert.Contains(t, string(resp.Body), `"sku":"Q100"`)
	assert.Equal(t, "Q100", p.SKU)
	assert.Equal(t, "99.50", p.MoneyPrice.String())
	assert.True(t, p.ActivePOS)
	assert.Equal(t, int64(2), p.VATID)
	assert.False(t, p.DateCreated.IsZero())

	// A partial update leaves the other fields alone.
	require.NoError(t, errOf(products.Update(ctx, id, &sitoo.ProductRequest{Title: sitoo.Ptr("Box Deluxe"), ActivePOS: sitoo.Ptr(false)})))
	p, _, err = products.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "Box Deluxe", p.Title)
	assert.False(t, p.ActivePOS)
	assert.Equal(t, "7312345678901", p.Barcode)
	assert.Equal(t, "99.50", p.MoneyPrice.String())

	resp, err = products.Delete(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 200, resp.StatusCode)
	_, resp, err = products.Get(ctx, id)
	require.ErrorIs(t, err, sitoo.ErrNotFound)
	assert.Contains(t, err.Error(), fmt.Sprintf("sitoo: get product %d: sitoo: http 404", id))
	require.NotNil(t, resp, "a response comes with an API error")
	assert.Equal(t, 404, resp.StatusCode)
	var apiErr *sitoo.APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.Equal(t, 404, apiErr.Code)
	assert.NotEmpty(t, apiErr.Message)

	_, ok := srv.Product(1, id)
	assert.False(t, ok)
}

func TestProductsCreateValidation(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	products := c.Site(1).Products
	_, _, err := products.Create(t.Context(), &sitoo.ProductRequest{Title: sitoo.Ptr("no sku")})
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
	assert.Zero(t, srv.Stats().Requests, "refused before sending")

	_, _, err = products.Create(t.Context(), &sitoo.ProductRequest{SKU: sitoo.Ptr("bad sku!")})
	require.ErrorIs(t, err, sitoo.ErrBadRequest)

	_, _, err = products.Create(t.Context(), &sitoo.ProductRequest{SKU: sitoo.Ptr("A1"), MoneyPrice: sitoo.Ptr(sitoo.MustMoney("1.005"))})
	var pe *sitoo.PrecisionError
	require.ErrorAs(t, err, &pe, "a price with 3 decimals is refused, not rounded")
	assert.Equal(t, int32(2), pe.Places)
}

func TestProductsBatch(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	ctx := t.Context()
	products := c.Site(1).Products

	rs, _, err := products.BatchCreate(ctx, []sitoo.ProductRequest{
		{SKU: sitoo.Ptr("B1"), Title: sitoo.Ptr("One")},
		{SKU: sitoo.Ptr("B1"), Title: sitoo.Ptr("Duplicate SKU")},
		{SKU: sitoo.Ptr("B2"), Title: sitoo.Ptr("Two")},
	})
	require.NoError(t, err)
	require.Len(t, rs, 3)
	assert.True(t, rs[0].OK())
	assert.NotZero(t, rs[0].ID)
	var ie *sitoo.ItemError
	require.ErrorAs(t, rs[1].Err, &ie)
	assert.Equal(t, 1, ie.Index)
	assert.Equal(t, 400, ie.StatusCode)
	assert.Contains(t, ie.Message, "already exists")
	assert.ErrorIs(t, rs.Err(), sitoo.ErrBadRequest)
	assert.Equal(t, []int64{rs[0].ID, rs[2].ID}, rs.IDs())

	rs, _, err = products.BatchUpdate(ctx, []sitoo.ProductRequest{
		{ProductID: rs[0].ID, MoneyPrice: sitoo.Ptr(sitoo.MustMoney("990"))},
		{ProductID: 999999, MoneyPrice: sitoo.Ptr(sitoo.MustMoney("1"))},
	})
	require.NoError(t, err)
	assert.True(t, rs[0].OK())
	assert.ErrorIs(t, rs[1].Err, sitoo.ErrNotFound)

	_, _, err = products.BatchUpdate(ctx, []sitoo.ProductRequest{{MoneyPrice: sitoo.Ptr(sitoo.MustMoney("1"))}})
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument, "batch update needs ids")

	list, resp, err := products.List(ctx, &sitoo.ProductListOptions{SKU: []string{"B1", "B2"}})
	require.NoError(t, err)
	assert.Equal(t, 2, resp.TotalCount)
	require.Len(t, list, 2)
	assert.Equal(t, "990.00", list[0].MoneyPrice.String())

	rs, _, err = products.BatchDelete(ctx, []int64{list[0].ProductID, list[1].ProductID, 424242})
	require.NoError(t, err)
	require.Len(t, rs, 3)
	assert.NoError(t, rs[0].Err)
	assert.NoError(t, rs[1].Err)
	assert.ErrorIs(t, rs[2].Err, sitoo.ErrNotFound)
}

func TestProductsBatchSplitsByBatchSize(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t)
	c, err := srv.NewClient(sitoo.WithBatchSize(2))
	require.NoError(t, err)
	reqs := make([]sitoo.ProductRequest, 5)
	for i := range reqs {
		reqs[i] = sitoo.ProductRequest{SKU: sitoo.Ptr("S" + string(rune('A'+i)))}
	}
	rs, _, err := c.Site(1).Products.BatchCreate(t.Context(), reqs)
	require.NoError(t, err)
	require.NoError(t, rs.Err())
	require.Len(t, rs, 5)
	for i, r := range rs {
		assert.Equal(t, i, r.Index)
	}
	assert.Equal(t, 3, srv.Stats().Requests, "5 items at 2 per request")
}

func TestProductsListFilters(t *testing.T) {
	t.Parallel()
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	srv, c := newFake(t)
	old := srv.AddProduct(1, sitoo.Product{SKU: "OLD", Active: true, ActivePOS: true, DateModified: sitoo.NewUnixTime(now.Add(-time.Hour))})
	fresh := srv.AddProduct(1, sitoo.Product{SKU: "NEW", Active: true, ActivePOS: true, DateModified: sitoo.NewUnixTime(now.Add(time.Hour))})
	inactive := srv.AddProduct(1, sitoo.Product{SKU: "OFF", DateModified: sitoo.NewUnixTime(now.Add(time.Hour))})
	products := c.Site(1).Products
	ctx := t.Context()

	ids := func(opts *sitoo.ProductListOptions) []int64 {
		var out []int64
		for p, err := range products.All(ctx, opts) {
			require.NoError(t, err)
			out = append(out, p.ProductID)
		}
		return out
	}
	assert.Equal(t, []int64{old, fresh}, ids(nil), "inactive products are left out by default")
	assert.Equal(t, []int64{old, fresh, inactive}, ids(&sitoo.ProductListOptions{IncludeInactive: true}))
	assert.Equal(t, []int64{fresh, inactive}, ids(&sitoo.ProductListOptions{DateLastModified: now, IncludeInactive: true}))
	assert.Equal(t, []int64{fresh}, ids(&sitoo.ProductListOptions{SKU: []string{"NEW", "OFF"}}))
	assert.Equal(t, []int64{old, inactive}, ids(&sitoo.ProductListOptions{ProductID: []int64{old, inactive}, IncludeInactive: true}))

	// Fields limits what comes back.
	list, _, err := products.List(ctx, &sitoo.ProductListOptions{ListOptions: sitoo.ListOptions{Fields: []string{"productid"}}})
	require.NoError(t, err)
	require.NotEmpty(t, list)
	assert.NotZero(t, list[0].ProductID)
	assert.Empty(t, list[0].SKU)
}

func TestProductVariantsReplace(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	site := c.Site(1)
	main := srv.AddProduct(1, sitoo.Product{SKU: "BL-1", Title: "Blanket", Active: true, ActivePOS: true})

	set := &sitoo.ProductVariants{
		Groups: []sitoo.VariantGroup{{Name: "Color", Options: []string{"Red", "Blue"}}},
		Variants: []sitoo.Variant{
			{ProductID: main, SKU: "BL-1", Title: "Blanket Red", ActivePOS: true, MoneyPrice: sitoo.MustMoney("59"), Attributes: []string{"Red"}},
			{SKU: "BL-2", Title: "Blanket Blue", ActivePOS: true, MoneyPrice: sitoo.MustMoney("69"), Attributes: []string{"Blue"}},
		},
	}
	require.NoError(t, errOf(site.ProductVariants.Replace(ctx, main, set)))
	got, _, err := site.ProductVariants.Get(ctx, main)
	require.NoError(t, err)
	require.Len(t, got.Variants, 2)
	blue := got.Variants[1]
	assert.Equal(t, "BL-2", blue.SKU)
	assert.Equal(t, []string{"Blue"}, blue.Attributes)
	assert.Equal(t, "69.00", blue.MoneyPrice.String())

	p, _, err := site.Products.Get(ctx, blue.ProductID)
	require.NoError(t, err)
	assert.True(t, p.IsVariant())
	assert.False(t, p.IsMainVariant())
	m, _, err := site.Products.Get(ctx, main)
	require.NoError(t, err)
	assert.True(t, m.IsMainVariant())

	// PUT replaces the whole set: a variant left out is deleted.
	set.Groups[0].Options = []string{"Red", "Purple"}
	set.Variants = []sitoo.Variant{set.Variants[0], {SKU: "BL-3", Title: "Blanket Purple", Attributes: []string{"Purple"}}}
	require.NoError(t, errOf(site.ProductVariants.Replace(ctx, main, set)))
	got, _, err = site.ProductVariants.Get(ctx, main)
	require.NoError(t, err)
	skus := []string{}
	for _, v := range got.Variants {
		skus = append(skus, v.SKU)
	}
	assert.Equal(t, []string{"BL-1", "BL-3"}, skus)
	_, _, err = site.Products.Get(ctx, blue.ProductID)
	require.ErrorIs(t, err, sitoo.ErrNotFound, "the blue variant was deleted by the replace")

	// An attribute that is not one of its group's options is refused before sending.
	before := srv.Stats().Requests
	bad := &sitoo.ProductVariants{Groups: set.Groups, Variants: []sitoo.Variant{{SKU: "X", Attributes: []string{"Green"}}}}
	require.ErrorIs(t, errOf(site.ProductVariants.Replace(ctx, main, bad)), sitoo.ErrInvalidArgument)
	assert.Equal(t, before, srv.Stats().Requests)
}

func TestProductImages(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	images := c.Site(1).ProductImages
	id := srv.AddProduct(1, sitoo.Product{SKU: "IMG", Active: true})
	// A 1x1 transparent GIF.
	gif, err := base64.StdEncoding.DecodeString("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
	require.NoError(t, err)

	require.NoError(t, errOf(images.Upload(ctx, id, "front.gif", gif)))
	require.NoError(t, errOf(images.Upload(ctx, id, "back.gif", gif)))
	list := collect(t, images.All(ctx, id, nil))
	require.Len(t, list, 2)
	assert.Equal(t, "front.gif", list[0].ResourceID)
	assert.Equal(t, "image/gif", list[0].MimeType)
	assert.Equal(t, 1, list[0].Width)
	assert.Equal(t, int64(len(gif)), list[0].FileSize)

	img, _, err := images.Get(ctx, id, 1)
	require.NoError(t, err)
	assert.Equal(t, "back.gif", img.ResourceID)

	require.NoError(t, errOf(images.Delete(ctx, id, 0)))
	list = collect(t, images.All(ctx, id, nil))
	require.Len(t, list, 1)
	assert.Equal(t, "back.gif", list[0].ResourceID)

	_, err = images.Delete(ctx, id, 5)
	assert.True(t, errors.Is(err, sitoo.ErrNotFound))
	require.ErrorIs(t, errOf(images.Upload(ctx, id, "", gif)), sitoo.ErrInvalidArgument)
}
