package woocommercetest_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

func TestTaxes_RatesAndPricesIncludeTaxSetting(t *testing.T) {
	t.Parallel()
	srv := woocommercetest.NewServer()
	defer srv.Close()
	srv.SetTaxRates(woocommercetest.TaxRate{Country: "SE", Rate: "25.0000", Name: "Moms", Priority: 2},
		woocommercetest.TaxRate{Rate: "6.0000", Name: "Low", Priority: 1, Class: "reduced-rate"})

	var rates []map[string]any
	require.NoError(t, json.Unmarshal(mustGetRaw(t, srv, "taxes"), &rates))
	require.Len(t, rates, 2)
	assert.Equal(t, "6.0000", rates[0]["rate"], "a string percentage, ordered by priority")
	assert.Equal(t, "reduced-rate", rates[0]["class"])
	assert.Equal(t, "standard", rates[1]["class"], "the empty class is the standard one")
	assert.Equal(t, "SE", rates[1]["country"])

	var setting map[string]any
	require.NoError(t, json.Unmarshal(mustGetRaw(t, srv, "settings/tax/woocommerce_prices_include_tax"), &setting))
	assert.Equal(t, "no", setting["value"])
	srv.SetPricesIncludeTax(true)
	require.NoError(t, json.Unmarshal(mustGetRaw(t, srv, "settings/tax/woocommerce_prices_include_tax"), &setting))
	assert.Equal(t, "yes", setting["value"])
}
