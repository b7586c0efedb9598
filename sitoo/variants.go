package sitoo

import (
	"context"
	"fmt"
)

// ProductVariants is a product's variant set: the variant groups (dimensions such as Color) with
// their options, and the variant products.
type ProductVariants struct {
	Groups   []VariantGroup `json:"groups"`
	Variants []Variant      `json:"variants"`
}

// VariantGroup is one variant dimension and its options, e.g. Color: Red, Blue.
type VariantGroup struct {
	Name    string   `json:"name"`
	Options []string `json:"options"`
}

// Variant is one variant product of a variant set.
type Variant struct {
	// ProductID is the variant's product id; 0 in a Replace request adds a new variant.
	ProductID      int64    `json:"productid"`
	ActivePOS      bool     `json:"activepos"`
	Title          string   `json:"title"`
	SKU            string   `json:"sku"` // unique per site
	MoneyPrice     Money    `json:"moneyprice"`
	MoneyPriceOrg  Money    `json:"moneypriceorg"`
	MoneyPriceIn   Money    `json:"moneypricein"`
	Barcode        string   `json:"barcode"`
	BarcodeAliases []string `json:"barcodealiases"`
	// Attributes holds one option per group, in group order: Attributes[i] must be one of
	// Groups[i].Options.
	Attributes []string `json:"attributes"`
}

// ProductVariantsService manages /sites/{site}/products/{id}/productvariants. Get it from
// Site.ProductVariants.
type ProductVariantsService service

// Get returns the variant set of a product (any variant of the set, or its main variant).
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/product-variants
func (s *ProductVariantsService) Get(ctx context.Context, productID int64) (*ProductVariants, *Response, error) {
	return getOne[ProductVariants](ctx, s.c, fmt.Sprintf("get variants of product %d", productID), sitePath(s.site, "products", itoa(productID), "productvariants"))
}

// Replace sets the complete variant set of a product. PUT replaces everything: a current variant
// missing from v.Variants is deleted, a variant with ProductID 0 is added, and the others are
// updated. To change one variant, Get the set, change it and Replace it whole; to change only a
// variant's product fields, use Products.Update on its id instead.
//
// Replace checks before sending that every variant has one attribute per group, taken from that
// group's options.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/product-variants#set-product-variants
func (s *ProductVariantsService) Replace(ctx context.Context, productID int64, v *ProductVariants) (*Response, error) {
	op := fmt.Sprintf("replace variants of product %d", productID)
	if err := v.Validate(); err != nil {
		return nil, wrapErr(op, err)
	}
	return s.c.update(ctx, op, sitePath(s.site, "products", itoa(productID), "productvariants"), v)
}

// Validate checks that every variant has a SKU and one attribute per group, each one of its
// group's options.
func (v *ProductVariants) Validate() error {
	if v == nil {
		return invalidArg("nil variant set")
	}
	for i, va := range v.Variants {
		if va.SKU == "" {
			return invalidArg("variant %d has no SKU", i)
		}
		if len(va.Attributes) != len(v.Groups) {
			return invalidArg("variant %d (%s) has %d attributes for %d groups", i, va.SKU, len(va.Attributes), len(v.Groups))
		}
		for g, a := range va.Attributes {
			if !contains(v.Groups[g].Options, a) {
				return invalidArg("variant %d (%s): %q is not an option of group %q", i, va.SKU, a, v.Groups[g].Name)
			}
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
