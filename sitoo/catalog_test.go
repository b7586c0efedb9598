package sitoo_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
)

func TestCategoriesHierarchy(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	ctx := t.Context()
	cats := c.Site(1).Categories

	root, _, err := cats.Create(ctx, &sitoo.CategoryRequest{Title: sitoo.Ptr("Living Room"), Visible: sitoo.Ptr(true)})
	require.NoError(t, err)
	child, _, err := cats.Create(ctx, &sitoo.CategoryRequest{Title: sitoo.Ptr("Sofas"), CategoryParentID: sitoo.Ptr(sitoo.NullID(root))})
	require.NoError(t, err)
	grandchild, _, err := cats.Create(ctx, &sitoo.CategoryRequest{Title: sitoo.Ptr("Corner sofas"), CategoryParentID: sitoo.Ptr(sitoo.NullID(child))})
	require.NoError(t, err)
	_, _, err = cats.Create(ctx, &sitoo.CategoryRequest{Title: sitoo.Ptr("Orphan"), CategoryParentID: sitoo.Ptr(sitoo.NullID(9999))})
	require.ErrorIs(t, err, sitoo.ErrBadRequest, "the parent must exist")
	_, _, err = cats.Create(ctx, &sitoo.CategoryRequest{})
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)

	got, _, err := cats.Get(ctx, child)
	require.NoError(t, err)
	require.NotNil(t, got.CategoryParentID)
	assert.Equal(t, root, *got.CategoryParentID)
	assert.Equal(t, "Sofas", got.Title)

	// Move the grandchild to the top level: a pointer to 0 is sent as null.
	require.NoError(t, errOf(cats.Update(ctx, grandchild, &sitoo.CategoryRequest{CategoryParentID: sitoo.Ptr(sitoo.NullID(0))})))
	got, _, err = cats.Get(ctx, grandchild)
	require.NoError(t, err)
	assert.Nil(t, got.CategoryParentID)
	assert.Equal(t, "Corner sofas", got.Title)

	all := collect(t, cats.All(ctx, nil))
	require.Len(t, all, 3)
	require.NoError(t, errOf(cats.Delete(ctx, grandchild)))
	_, _, err = cats.Get(ctx, grandchild)
	require.ErrorIs(t, err, sitoo.ErrNotFound)
}

func TestSortCategoriesTopDown(t *testing.T) {
	t.Parallel()
	p := func(id int64) *int64 { return &id }
	cats := []sitoo.Category{
		{CategoryID: 5, CategoryParentID: p(3), Title: "grandchild"},
		{CategoryID: 3, CategoryParentID: p(1), Title: "child b", SortOrder: 1},
		{CategoryID: 4, CategoryParentID: p(1), Title: "child a", SortOrder: 0},
		{CategoryID: 1, Title: "root"},
		{CategoryID: 9, CategoryParentID: p(77), Title: "parent missing"},
	}
	sorted, err := sitoo.SortCategoriesTopDown(cats)
	require.NoError(t, err)
	var ids []int64
	for _, c := range sorted {
		ids = append(ids, c.CategoryID)
	}
	assert.Equal(t, []int64{1, 9, 4, 3, 5}, ids)

	_, err = sitoo.SortCategoriesTopDown([]sitoo.Category{{CategoryID: 1, CategoryParentID: p(2)}, {CategoryID: 2, CategoryParentID: p(1)}})
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument, "a cycle")
}

func TestManufacturersBatch(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	ctx := t.Context()
	m := c.Site(1).Manufacturers

	rs, _, err := m.BatchCreate(ctx, []sitoo.ManufacturerRequest{
		{Name: sitoo.Ptr("Sitoo"), URL1: sitoo.Ptr("http://www.sitoo.com")},
		{Name: sitoo.Ptr("Example Inc."), CountryID: sitoo.Ptr("us")},
	})
	require.NoError(t, err)
	require.NoError(t, rs.Err())
	ids := rs.IDs()
	require.Len(t, ids, 2)

	rs, _, err = m.BatchUpdate(ctx, []sitoo.ManufacturerRequest{{ExternalCompanyID: ids[1], City: sitoo.Ptr("Townsville")}})
	require.NoError(t, err)
	require.NoError(t, rs.Err())
	require.NoError(t, errOf(m.Update(ctx, ids[0], &sitoo.ManufacturerRequest{Description: sitoo.Ptr("POS")})))

	got, _, err := m.Get(ctx, ids[1])
	require.NoError(t, err)
	assert.Equal(t, "Example Inc.", got.Name)
	assert.Equal(t, "Townsville", got.City)
	assert.Equal(t, "us", got.CountryID)

	list, resp, err := m.List(ctx, &sitoo.ListOptions{Num: 1})
	require.NoError(t, err)
	assert.Len(t, list, 1)
	assert.Equal(t, 2, resp.TotalCount)

	rs, _, err = m.BatchDelete(ctx, []int64{ids[1], 12345})
	require.NoError(t, err)
	assert.NoError(t, rs[0].Err)
	assert.ErrorIs(t, rs[1].Err, sitoo.ErrNotFound)
	require.NoError(t, errOf(m.Delete(ctx, ids[0])))
	assert.Empty(t, collect(t, m.All(ctx, nil)))

	_, _, err = m.BatchCreate(ctx, []sitoo.ManufacturerRequest{{}})
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
	_, _, err = m.BatchUpdate(ctx, []sitoo.ManufacturerRequest{{Name: sitoo.Ptr("x")}})
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
}

func TestProductGroupsVAT(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	ctx := t.Context()
	site := c.Site(1)

	def, _, err := site.ProductGroups.Get(ctx, 2)
	require.NoError(t, err)
	assert.Equal(t, "25", def.Value.String(), "the default group")

	books, _, err := site.ProductGroups.Create(ctx, &sitoo.ProductGroupRequest{ProductGroupName: sitoo.Ptr("Books"),
		Value: sitoo.Ptr(sitoo.MustPercent("6")), ProductGroupType: sitoo.Ptr(sitoo.ProductGroupType(10))})
	require.NoError(t, err)
	require.NoError(t, errOf(site.ProductGroups.Update(ctx, books, &sitoo.ProductGroupRequest{Value: sitoo.Ptr(sitoo.MustPercent("12.5"))})))
	g, _, err := site.ProductGroups.Get(ctx, books)
	require.NoError(t, err)
	assert.Equal(t, "12.5", g.Value.String())
	assert.Equal(t, "Books", g.ProductGroupName)

	// A product in the group takes its VAT.
	pid, _, err := site.Products.Create(ctx, &sitoo.ProductRequest{SKU: sitoo.Ptr("BOOK-1"), VATID: sitoo.Ptr(books)})
	require.NoError(t, err)
	p, _, err := site.Products.Get(ctx, pid)
	require.NoError(t, err)
	assert.Equal(t, "12.5", p.VATValue.String())

	groups := collect(t, site.ProductGroups.All(ctx, nil))
	assert.Len(t, groups, 2)
	require.ErrorIs(t, errOf(site.ProductGroups.Delete(ctx, 2)), sitoo.ErrBadRequest, "the default group cannot be deleted")
	require.NoError(t, errOf(site.Products.Delete(ctx, pid)))
	require.NoError(t, errOf(site.ProductGroups.Delete(ctx, books)))
}

func TestPriceLists(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	pl := c.Site(1).PriceLists
	srv.SeedProducts(1, 3)

	id, _, err := pl.Create(ctx, &sitoo.PriceListRequest{PriceListName: sitoo.Ptr("Resellers"), Tags: []string{"b2b"}})
	require.NoError(t, err)
	require.NoError(t, errOf(pl.Update(ctx, id, &sitoo.PriceListRequest{PriceListDescription: sitoo.Ptr("For resellers")})))
	got, _, err := pl.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, "Resellers", got.PriceListName)
	assert.Equal(t, "For resellers", got.PriceListDescription)
	assert.Equal(t, []string{"b2b"}, got.Tags)

	rs, _, err := pl.SetItems(ctx, id, []sitoo.PriceListItem{
		{SKU: "SKU-000001", MoneyPrice: sitoo.MustMoney("795")},
		{SKU: "SKU-000002", MoneyPrice: sitoo.MustMoney("895"), MoneyPriceVolume: []sitoo.VolumePrice{
			{LevelStart: 2, MoneyPrice: sitoo.MustMoney("849")}, {LevelStart: 4, MoneyPrice: sitoo.MustMoney("749")}}},
		{SKU: "NO-SUCH-SKU", MoneyPrice: sitoo.MustMoney("1")},
	})
	require.NoError(t, err)
	assert.NoError(t, rs[0].Err)
	assert.NoError(t, rs[1].Err)
	assert.ErrorIs(t, rs[2].Err, sitoo.ErrNotFound)

	items := collect(t, pl.AllItems(ctx, id, nil))
	require.Len(t, items, 2)
	assert.Equal(t, "795.00", items[0].MoneyPrice.String())
	require.Len(t, items[1].MoneyPriceVolume, 2)
	assert.Equal(t, 4, items[1].MoneyPriceVolume[1].LevelStart)

	rs, _, err = pl.DeleteItems(ctx, id, []string{"SKU-000001"})
	require.NoError(t, err)
	require.NoError(t, rs.Err())
	items, _, err = pl.ListItems(ctx, id, nil)
	require.NoError(t, err)
	assert.Len(t, items, 1)

	// The default price list holds the products' prices.
	rs, _, err = pl.SetItems(ctx, sitoo.DefaultPriceListID, []sitoo.PriceListItem{{SKU: "SKU-000003", MoneyPrice: sitoo.MustMoney("12.50")}})
	require.NoError(t, err)
	require.NoError(t, rs.Err())
	ps, _, err := c.Site(1).Products.List(ctx, &sitoo.ProductListOptions{SKU: []string{"SKU-000003"}})
	require.NoError(t, err)
	require.Len(t, ps, 1)
	assert.Equal(t, "12.50", ps[0].MoneyPrice.String())

	lists := collect(t, pl.All(ctx, nil))
	assert.Len(t, lists, 2)
	require.NoError(t, errOf(pl.Delete(ctx, id)))
	_, _, err = pl.Get(ctx, id)
	require.ErrorIs(t, err, sitoo.ErrNotFound)
	_, _, err = pl.SetItems(ctx, id, []sitoo.PriceListItem{{MoneyPrice: sitoo.MustMoney("1")}})
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
}
