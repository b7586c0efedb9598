package woocommercetest

import (
	"net/http"
	"sort"
	"strconv"
)

// TaxRate is a tax rate of the store, as GET /taxes shows it: Rate is a percentage written as a
// string ("25.0000"), Class the tax class slug ("standard", "reduced-rate"...), Country and State
// empty for "every country".
type TaxRate struct {
	Country  string
	State    string
	Rate     string
	Name     string
	Priority int64
	Compound bool
	Shipping bool
	Class    string
}

// taxState is the store's tax configuration; guarded by Server.mu.
type taxState struct {
	rates           []TaxRate
	pricesIncludeTx bool
}

// SetTaxRates replaces the store's tax rates (WooCommerce → Settings → Tax → rates); they are
// numbered from 1 in this order.
func (s *Server) SetTaxRates(rates ...TaxRate) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tax.rates = append([]TaxRate(nil), rates...)
}

// SetPricesIncludeTax sets the woocommerce_prices_include_tax setting: whether the prices entered
// in the shop include tax (default no, as in a new store).
func (s *Server) SetPricesIncludeTax(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tax.pricesIncludeTx = on
}

// listTaxes answers GET /taxes with every rate ordered by priority then id, in WooCommerce's rate
// fields. Simplified: the list arguments (paging, class filter) are ignored and every rate is one
// page; rates are read-only (no POST/PUT/DELETE).
func (s *Server) listTaxes(c *call) (int, any, *wpError) {
	type rate struct {
		id int64
		TaxRate
	}
	rs := make([]rate, len(s.tax.rates))
	for i, r := range s.tax.rates {
		rs[i] = rate{int64(i + 1), r}
	}
	sort.SliceStable(rs, func(i, j int) bool { return rs[i].Priority < rs[j].Priority })
	out := make([]map[string]any, len(rs))
	for i, r := range rs {
		class := r.Class
		if class == "" {
			class = "standard"
		}
		out[i] = map[string]any{"id": r.id, "country": r.Country, "state": r.State, "postcode": "", "city": "",
			"postcodes": []string{}, "cities": []string{}, "rate": r.Rate, "name": r.Name, "priority": r.Priority,
			"compound": r.Compound, "shipping": r.Shipping, "order": i, "class": class,
			"_links": map[string]any{"self": []map[string]string{{"href": s.homeFor(c.tls) + "/wp-json/wc/v3/taxes/" + strconv.FormatInt(r.id, 10)}}}}
	}
	return http.StatusOK, out, nil
}

// getPricesIncludeTax answers GET /settings/tax/woocommerce_prices_include_tax as WooCommerce's
// settings controller does (a radio setting with value "yes" or "no"). Simplified: it is the one
// setting of the tax group the fake serves.
func (s *Server) getPricesIncludeTax(*call) (int, any, *wpError) {
	v := "no"
	if s.tax.pricesIncludeTx {
		v = "yes"
	}
	return http.StatusOK, map[string]any{"id": "woocommerce_prices_include_tax", "label": "Prices entered with tax",
		"description": "", "type": "radio", "default": "no", "value": v, "group_id": "tax",
		"options": map[string]string{"yes": "Yes, I will enter prices inclusive of tax", "no": "No, I will enter prices exclusive of tax"}}, nil
}
