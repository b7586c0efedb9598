package sitoo_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
)

func TestSitesList(t *testing.T) {
	t.Parallel()
	fake, c := newFake(t, sitootest.WithSites(3, 1))
	ctx := t.Context()

	got, resp, err := c.Sites.List(ctx, nil)
	require.NoError(t, err)
	assert.Equal(t, fake.Path("sites.json"), resp.Request.URL.Path)
	require.Len(t, got, 2)
	assert.Equal(t, []int64{1, 3}, []int64{got[0].EshopID, got[1].EshopID})
	assert.Equal(t, sitoo.SiteInfo{SiteID: "{00000000-0000-0000-0000-000000000001}", EshopID: 1, Protocol: "https",
		Server: "store1.mysitoo.com", AbsPath: "/", SiteURL: "https://store1.mysitoo.com/"}, got[0])

	var all []int64
	for s, err := range c.Sites.All(ctx, &sitoo.ListOptions{Num: 1}) {
		require.NoError(t, err)
		all = append(all, s.EshopID)
	}
	assert.Equal(t, []int64{1, 3}, all)
}
