package woosync_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// wooCategory returns the Woo category with that name.
func (e *env) wooCategory(name string) (woocommerce.Category, bool) {
	e.t.Helper()
	for c, err := range e.wc.Categories.All(e.ctx, nil) {
		require.NoError(e.t, err)
		if c.Name == name {
			return c, true
		}
	}
	return woocommerce.Category{}, false
}

// sitooCategories returns the Sitoo categories by title; a duplicate title fails the test.
func (e *env) sitooCategories() map[string]sitoo.Category {
	e.t.Helper()
	client, err := e.syncer.SitooClient(e.ctx)
	require.NoError(e.t, err)
	out := map[string]sitoo.Category{}
	for c, err := range client.Site(1).Categories.All(e.ctx, nil) {
		require.NoError(e.t, err)
		require.NotContains(e.t, out, c.Title, "duplicate Sitoo category")
		out[c.Title] = c
	}
	return out
}

func TestCategories_FetchKeepsTreeAndMatchesTwiceWithoutDuplicates(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	clothes := e.sitoo.AddCategory(1, sitoo.Category{Title: "Clothes"})
	e.sitoo.AddCategory(1, sitoo.Category{Title: "Shirts", CategoryParentID: &clothes})
	e.sitoo.AddCategory(1, sitoo.Category{Title: "Mugs"})
	// WooCommerce already has "Clothes": matched, not created again.
	existing, err := e.woo.AddCategory("clothes", 0)
	require.NoError(t, err)

	for range 2 {
		rep, err := e.syncer.FullSync(e.ctx, []woosync.Step{woosync.StepMatchCategories, woosync.StepFetchCategories}, nil)
		require.NoError(t, err)
		require.Len(t, rep.Steps, 2)
	}
	shirts, ok := e.wooCategory("Shirts")
	require.True(t, ok)
	assert.Equal(t, existing, shirts.Parent, "hierarchy kept, under the matched parent")
	_, ok = e.wooCategory("Mugs")
	assert.True(t, ok)
	n := 0
	for _, err := range e.wc.Categories.All(e.ctx, nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 4, n, "Uncategorized + 3, no duplicates after two runs")
	mapped, _ := e.store.CountMappings(e.ctx, woosync.KindCategory)
	assert.Equal(t, 3, mapped)
}

func TestCategories_SendAndResync(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	home, err := e.woo.AddCategory("Home", 0)
	require.NoError(t, err)
	kitchen, err := e.woo.AddCategory("Kitchen", home)
	require.NoError(t, err)

	_, err = e.syncer.Run(e.ctx, woosync.StepSendCategories, nil)
	require.NoError(t, err)
	cats := e.sitooCategories()
	require.Contains(t, cats, "Kitchen")
	require.NotNil(t, cats["Kitchen"].CategoryParentID)
	assert.Equal(t, cats["Home"].CategoryID, *cats["Kitchen"].CategoryParentID)

	// Sending again creates nothing.
	rep, err := e.syncer.Run(e.ctx, woosync.StepSendCategories, nil)
	require.NoError(t, err)
	assert.Zero(t, rep.Steps[0].Done)
	assert.Len(t, e.sitooCategories(), len(cats))

	// A rename in WooCommerce reaches Sitoo on resync.
	_, _, err = e.wc.Categories.Update(e.ctx, kitchen, &woocommerce.CategoryRequest{Name: woocommerce.Ptr("Cooking")})
	require.NoError(t, err)
	rep, err = e.syncer.Run(e.ctx, woosync.StepResyncCategories, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, rep.Steps[0].Done, "Uncategorized, Home, Cooking")
	after := e.sitooCategories()
	assert.Contains(t, after, "Cooking")
	assert.NotContains(t, after, "Kitchen")
}

func TestCategories_CrashBetweenCreateAndMappingLeavesOne(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(nil)
	_, err := e.woo.AddCategory("Garden", 0)
	require.NoError(t, err)
	_, err = e.syncer.Run(e.ctx, woosync.StepSendCategories, nil)
	require.NoError(t, err)
	// The "crash": Sitoo has the category, the mapping is lost.
	require.NoError(t, e.store.ClearMappings(e.ctx))
	_, err = e.syncer.Run(e.ctx, woosync.StepSendCategories, nil)
	require.NoError(t, err)
	assert.Len(t, e.sitooCategories(), 2, "Garden and Uncategorized, once each")
}
