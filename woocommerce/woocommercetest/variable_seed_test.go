package woocommercetest_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

func TestAddVariableProduct(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	id, vids, err := srv.AddVariableProduct(woocommercetest.Product{Name: "Tee", SKU: "TEE"}, "Size", []string{"S", "M"},
		[]woocommercetest.Product{{SKU: "TEE-S", RegularPrice: "9.00", ManageStock: true, StockQuantity: 2}, {SKU: "TEE-M", RegularPrice: "9.00"}})
	require.NoError(t, err)
	require.Len(t, vids, 2)
	p, _, err := c.Products.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, woocommerce.ProductVariable, p.Type)
	require.Len(t, p.Attributes, 1)
	assert.Equal(t, []string{"S", "M"}, p.Attributes[0].Options)
	assert.True(t, p.Attributes[0].Variation)
	assert.ElementsMatch(t, vids, p.Variations)
	v, _, err := c.Variations.Get(ctx, id, vids[0])
	require.NoError(t, err)
	assert.Equal(t, "TEE-S", v.SKU)
	assert.Equal(t, int64(2), v.StockQuantity.Int)
	assert.Equal(t, []woocommerce.VariationAttr{{Name: "Size", Option: "S"}}, v.Attributes)

	_, _, err = srv.AddVariableProduct(woocommercetest.Product{Name: "X"}, "Size", []string{"S"}, nil)
	assert.Error(t, err)
}
