package woosync

import (
	"fmt"
	"iter"
	"regexp"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// skuRule is the SKU character set Sitoo's API documents ([A-Za-z0-9_+-/]). The seed's plugin
// text also allows ".", which the API documentation does not, so "." is not allowed here.
var skuRule = regexp.MustCompile(`^[A-Za-z0-9_+\-/]+$`)

// ValidSKU reports whether sku is accepted by Sitoo: not empty, only [A-Za-z0-9_+-/].
func ValidSKU(sku string) bool { return skuRule.MatchString(sku) }

// lookupChunk is how many SKUs one lookup request carries (a URL stays well under 8 KB).
const lookupChunk = 100

// pageSize is the WooCommerce page size of every walk (its maximum).
const pageSize = woocommerce.MaxPerPage

// wooProducts walks WooCommerce products one page at a time in id order, setting the step's
// total from the first page.
func (j *job) wooProducts(opts woocommerce.ProductListOptions) iter.Seq2[[]woocommerce.Product, error] {
	return func(yield func([]woocommerce.Product, error) bool) {
		opts.ListOptions = woocommerce.StableOrder()
		opts.PerPage = pageSize
		for page := 1; ; page++ {
			opts.Page = page
			items, resp, err := j.woo.Products.List(j.ctx, &opts)
			if err != nil {
				yield(nil, fmt.Errorf("woosync: list WooCommerce products: %w", err))
				return
			}
			if page == 1 && resp.Total >= 0 {
				j.setTotal(resp.Total)
			}
			if len(items) == 0 || !yield(items, nil) || len(items) < pageSize {
				return
			}
		}
	}
}

// variations reads every variation of a variable product (one request for up to 100).
func (j *job) variations(productID int64) ([]woocommerce.Variation, error) {
	var out []woocommerce.Variation
	opts := &woocommerce.VariationListOptions{ListOptions: woocommerce.StableOrder()}
	opts.PerPage = pageSize
	for v, err := range j.woo.Variations.All(j.ctx, productID, opts) {
		if err != nil {
			return nil, fmt.Errorf("woosync: list variations of product %d: %w", productID, err)
		}
		out = append(out, v)
	}
	return out, nil
}

// sitooBySKU looks products up in Sitoo by SKU, lookupChunk SKUs per request: the crash-safety
// lookup before creating, and how new variants' ids are learnt.
func (j *job) sitooBySKU(skus []string) (map[string]sitoo.Product, error) {
	out := make(map[string]sitoo.Product, len(skus))
	for start := 0; start < len(skus); start += lookupChunk {
		chunk := skus[start:min(start+lookupChunk, len(skus))]
		opts := &sitoo.ProductListOptions{SKU: chunk, IncludeInactive: true,
			ListOptions: sitoo.ListOptions{Num: len(chunk), Fields: []string{"productid", "sku", "variantparentid"}}}
		items, _, err := j.site.Products.List(j.ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("woosync: look up Sitoo products by SKU: %w", err)
		}
		for _, p := range items {
			out[p.SKU] = p
		}
	}
	return out, nil
}

// money converts a WooCommerce price to Sitoo's 2-decimal money.
func money(n woocommerce.NullMoney) *sitoo.Money {
	if !n.Valid {
		return nil
	}
	m := sitoo.MoneyFromDecimal(n.Decimal.Round(2))
	return &m
}

// price is the price sent to Sitoo: the regular price, else the active one.
func price(regular, active woocommerce.NullMoney) *sitoo.Money {
	if m := money(regular); m != nil {
		return m
	}
	return money(active)
}

// manufacturerAttribute is the WooCommerce attribute whose value names the Sitoo manufacturer.
const manufacturerAttribute = "manufacturer"

func isManufacturer(a *woocommerce.ProductAttribute) bool {
	return strings.EqualFold(a.Name, manufacturerAttribute) || a.Slug == "pa_"+manufacturerAttribute
}

// productRequest translates a WooCommerce product into a Sitoo product request.
func (j *job) productRequest(p *woocommerce.Product) (sitoo.ProductRequest, error) {
	active := p.Status == woocommerce.ProductPublish
	req := sitoo.ProductRequest{
		SKU: sitoo.Ptr(p.SKU), Title: sitoo.Ptr(p.Name), Description: sitoo.Ptr(p.Description),
		DescriptionShort: sitoo.Ptr(p.ShortDescription), MoneyPrice: price(p.RegularPrice, p.Price),
		Active: &active, ActivePOS: &active, StockCountEnable: sitoo.Ptr(p.ManageStock == woocommerce.StockManaged),
	}
	var err error
	if req.MoneyPrice, err = j.salePrice(req.MoneyPrice, p.TaxStatus, p.TaxClass); err != nil {
		return req, err
	}
	var cats sitoo.IDList
	for _, c := range p.Categories {
		id, ok, err := j.mappedID(KindCategory, c.ID, true)
		if err != nil {
			return req, err
		}
		if ok {
			cats = append(cats, id)
		}
	}
	if len(cats) > 0 {
		req.Categories = cats
		req.DefaultCategoryID = sitoo.Ptr(sitoo.NullID(cats[0]))
	}
	for i := range p.Attributes {
		if a := &p.Attributes[i]; isManufacturer(a) && len(a.Options) > 0 {
			m, err := j.store.MappingByKey(j.ctx, KindManufacturer, strings.ToLower(a.Options[0]))
			if err == nil {
				req.ManufacturerID = sitoo.Ptr(sitoo.NullID(m.SitooID))
			} else if !isNoMapping(err) {
				return req, err
			}
		}
	}
	return req, nil
}

// variantGroups are the variant dimensions of a variable product: its attributes used for
// variations, in order.
func variantGroups(p *woocommerce.Product) []sitoo.VariantGroup {
	var gs []sitoo.VariantGroup
	for _, a := range p.Attributes {
		if a.Variation {
			gs = append(gs, sitoo.VariantGroup{Name: a.Name, Options: a.Options})
		}
	}
	return gs
}

// variant translates a variation into a Sitoo variant of the given groups.
func variant(parent *woocommerce.Product, v *woocommerce.Variation, groups []sitoo.VariantGroup, id int64) (sitoo.Variant, error) {
	out := sitoo.Variant{ProductID: id, SKU: v.SKU, ActivePOS: v.Status == woocommerce.ProductPublish}
	if m := price(v.RegularPrice, v.Price); m != nil {
		out.MoneyPrice = *m
	}
	title := []string{parent.Name}
	for _, g := range groups {
		opt := ""
		for _, a := range v.Attributes {
			if strings.EqualFold(a.Name, g.Name) {
				opt = a.Option
			}
		}
		found := ""
		for _, o := range g.Options {
			if strings.EqualFold(o, opt) {
				found = o
			}
		}
		if found == "" {
			return out, fmt.Errorf("variation has no %s among %v (\"any\" cannot be sent to Sitoo)", g.Name, g.Options)
		}
		out.Attributes = append(out.Attributes, found)
		title = append(title, found)
	}
	out.Title = strings.Join(title, " - ")
	return out, nil
}

// stockItem is the WooCommerce stock of one SKU.
type stockItem struct {
	kind  Kind
	wooID int64
	sku   string
	qty   int64
}

// productStock returns a product's stock item, if its stock is managed.
func productStock(p *woocommerce.Product) (stockItem, bool) {
	if p.ManageStock != woocommerce.StockManaged || !p.StockQuantity.Valid || p.Type == woocommerce.ProductVariable {
		return stockItem{}, false
	}
	return stockItem{KindProduct, p.ID, p.SKU, p.StockQuantity.Int}, true
}

// variationStock returns a variation's stock item: its own, or its parent's when the parent
// manages it.
func variationStock(parent *woocommerce.Product, v *woocommerce.Variation) (stockItem, bool) {
	switch {
	case v.ManageStock == woocommerce.StockManaged && v.StockQuantity.Valid:
		return stockItem{KindVariation, v.ID, v.SKU, v.StockQuantity.Int}, true
	case v.ManageStock == woocommerce.StockManagedByParent && parent.StockQuantity.Valid:
		return stockItem{KindVariation, v.ID, v.SKU, parent.StockQuantity.Int}, true
	}
	return stockItem{}, false
}

// decimalQty is a stock quantity as Sitoo's Decimal.
func decimalQty(n int64) sitoo.Decimal { return sitoo.DecimalFromDecimal(decimal.NewFromInt(n)) }
