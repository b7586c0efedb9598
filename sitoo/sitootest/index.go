package sitootest

import (
	"slices"

	"github.com/loyalsync/loyalsync/sitoo"
)

// productIndex keeps a site's products findable by SKU and by variant set without scanning the
// catalog, so every request costs in proportion to its own items. putProduct and dropProduct are
// the only writers of site.products and keep it consistent.
type productIndex struct {
	bySKU    map[string]int64  // SKU → product id (SKUs are unique per site)
	variants map[int64][]int64 // variantparentid → ids of the products naming it (the main one too), ascending
}

func newProductIndex() productIndex {
	return productIndex{bySKU: map[string]int64{}, variants: map[int64][]int64{}}
}

// putProduct stores a product (new or replacing the row with its id) and updates the indexes.
func (site *site) putProduct(pr *sitoo.Product) {
	if old, ok := site.products.get(pr.ProductID); ok {
		site.unindex(old)
	}
	site.products.put(pr.ProductID, pr)
	if _, taken := site.index.bySKU[pr.SKU]; !taken {
		site.index.bySKU[pr.SKU] = pr.ProductID
	}
	if pr.VariantParentID != nil {
		m := *pr.VariantParentID
		ids := site.index.variants[m]
		if i, found := slices.BinarySearch(ids, pr.ProductID); !found {
			site.index.variants[m] = slices.Insert(ids, i, pr.ProductID)
		}
	}
}

// dropProduct removes a product's row and its index entries; it reports whether it existed.
func (site *site) dropProduct(id int64) bool {
	old, ok := site.products.get(id)
	if !ok {
		return false
	}
	site.unindex(old)
	return site.products.remove(id)
}

func (site *site) unindex(pr *sitoo.Product) {
	if site.index.bySKU[pr.SKU] == pr.ProductID {
		delete(site.index.bySKU, pr.SKU)
	}
	if pr.VariantParentID != nil {
		m := *pr.VariantParentID
		ids := site.index.variants[m]
		if i, found := slices.BinarySearch(ids, pr.ProductID); found {
			ids = slices.Delete(ids, i, i+1)
		}
		if len(ids) == 0 {
			delete(site.index.variants, m)
		} else {
			site.index.variants[m] = ids
		}
	}
}

// productBySKU returns the product with a SKU.
func (site *site) productBySKU(sku string) (*sitoo.Product, bool) {
	id, ok := site.index.bySKU[sku]
	if !ok {
		return nil, false
	}
	return site.products.get(id)
}

// variantsOf returns the products whose variantparentid is main (the main variant itself too once
// it has variants), in id order.
func (site *site) variantsOf(main int64) []*sitoo.Product {
	ids := site.index.variants[main]
	out := make([]*sitoo.Product, 0, len(ids))
	for _, id := range ids {
		out = append(out, site.products.rows[id])
	}
	return out
}
