package woosync

import (
	"fmt"
	"net/http"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// vatTable is what a catalog send needs of WooCommerce's tax settings, read once per run when
// Settings.PricesIncludeVAT is on.
type vatTable struct {
	pricesIncludeTax bool                       // woocommerce_prices_include_tax: Woo prices are entered with tax
	rates            map[string]decimal.Decimal // percentage by tax class slug ("standard", ...)
}

// wooTaxRate is the part of a WooCommerce tax rate (GET /taxes) read here.
type wooTaxRate struct {
	Country  string `json:"country"`
	Rate     string `json:"rate"` // a percentage, "25.0000"
	Priority int64  `json:"priority"`
	Class    string `json:"class"`
}

// vat reads the tax settings once per job: whether Woo prices include tax, and one rate per tax
// class. A class's rate is the one of its rates that applies to every country, else its first by
// priority (WooCommerce lists rates ordered by priority); per-country rates and compound rates
// beyond that are not modelled, since a Sitoo product has one price.
func (j *job) vat() (*vatTable, error) {
	if j.vatRates != nil {
		return j.vatRates, nil
	}
	t := &vatTable{rates: map[string]decimal.Decimal{}}
	var setting struct {
		Value string `json:"value"`
	}
	req, err := j.woo.NewRequest(http.MethodGet, "settings/tax/woocommerce_prices_include_tax", nil)
	if err == nil {
		_, err = j.woo.Do(j.ctx, req, &setting)
	}
	if err != nil {
		return nil, fmt.Errorf("woosync: read WooCommerce tax setting: %w", err)
	}
	t.pricesIncludeTax = setting.Value == "yes"
	for page := 1; ; page++ {
		var rates []wooTaxRate
		req, err := j.woo.NewRequest(http.MethodGet, fmt.Sprintf("taxes?per_page=100&page=%d", page), nil)
		if err == nil {
			_, err = j.woo.Do(j.ctx, req, &rates)
		}
		if err != nil {
			return nil, fmt.Errorf("woosync: read WooCommerce tax rates: %w", err)
		}
		for _, r := range rates {
			pct, err := decimal.NewFromString(r.Rate)
			if err != nil {
				return nil, fmt.Errorf("woosync: WooCommerce tax rate %q of class %s: %w", r.Rate, r.Class, err)
			}
			if _, seen := t.rates[r.Class]; !seen || r.Country == "" {
				t.rates[r.Class] = pct
			}
		}
		if len(rates) < 100 {
			break
		}
	}
	j.vatRates = t
	return t, nil
}

// salePrice is a WooCommerce sales price as sent to Sitoo: unchanged unless
// Settings.PricesIncludeVAT is on and WooCommerce prices are entered without tax; then the rate
// of the item's tax class is added, rounded to Sitoo's 2 decimals. Items with tax status "none"
// or "shipping" (taxed on shipping only) and classes without a rate are unchanged. taxClass ""
// is the standard class. Purchase prices never go through here.
func (j *job) salePrice(m *sitoo.Money, taxStatus, taxClass string) (*sitoo.Money, error) {
	if m == nil || !j.set.PricesIncludeVAT || taxStatus == "none" || taxStatus == "shipping" {
		return m, nil
	}
	t, err := j.vat()
	if err != nil || t.pricesIncludeTax {
		return m, err
	}
	if taxClass == "" {
		taxClass = "standard"
	}
	rate, ok := t.rates[taxClass]
	if !ok {
		return m, nil
	}
	gross := sitoo.MoneyFromDecimal(m.Decimal.Mul(decimal.NewFromInt(100).Add(rate)).Div(decimal.NewFromInt(100)).Round(2))
	return &gross, nil
}

// variationPrice is salePrice for a variation, whose tax class "parent" is its product's.
func (j *job) variationPrice(p *woocommerce.Product, v *woocommerce.Variation) (*sitoo.Money, error) {
	class := v.TaxClass
	if class == "parent" {
		class = p.TaxClass
	}
	return j.salePrice(price(v.RegularPrice, v.Price), v.TaxStatus, class)
}
