package woosync

import (
	"errors"
	"fmt"
	"strings"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/woocommerce"
)

func init() {
	steps[StepFetchProducts] = stepDef{run: (*job).fetchProducts, estimate: estimateMapped(KindProduct)}
}

// fetchProducts creates or updates WooCommerce products from Sitoo, page by page in id order (a
// main variant always comes before its variants): simple products and variable parents (their
// attributes from the variant groups), then the variations of each parent, with stock, default
// category (unmatched categories are fetched first) and manufacturer. Manufacturers are fetched
// first when that has never been done. Settings.FetchProducts selects the products.
func (j *job) fetchProducts() error {
	if t, err := j.store.Timestamp(j.ctx, TimestampManufacturers); err != nil {
		return err
	} else if t.IsZero() {
		if err := j.fetchManufacturers(); err != nil {
			return err
		}
		j.handled, j.rep.Done = 0, 0 // the manufacturers are not this step's items
	}
	categoriesFetched := false
	opts := &sitoo.ProductListOptions{IncludeInactive: j.set.FetchProducts.includesInactive(),
		ListOptions: sitoo.ListOptions{Num: pageSize}}
	for {
		page, resp, err := j.site.Products.List(j.ctx, opts)
		if err != nil {
			return err
		}
		if opts.Start == 0 {
			j.setTotal(resp.TotalCount)
		}
		if len(page) == 0 {
			break
		}
		kept := page[:0]
		for _, p := range page {
			if j.set.FetchProducts.keeps(&p) {
				kept = append(kept, p)
			} else {
				j.skip(1)
			}
		}
		if !categoriesFetched && j.needsCategories(kept) {
			if err := j.fetchCategories(); err != nil {
				return err
			}
			categoriesFetched = true
		}
		if err := j.fetchPage(kept); err != nil {
			return err
		}
		j.report()
		opts.Start += len(page)
		if opts.Start >= resp.TotalCount {
			break
		}
	}
	return nil
}

// needsCategories reports whether a product of the page has a category with no mapping.
func (j *job) needsCategories(page []sitoo.Product) bool {
	for _, p := range page {
		for _, c := range p.Categories {
			if _, ok, err := j.mappedID(KindCategory, c, false); err == nil && !ok {
				return true
			}
		}
	}
	return false
}

// sitooStock reads the stock of the page's SKUs from the warehouse (none without a warehouse).
func (j *job) sitooStock(page []sitoo.Product) (map[string]int64, error) {
	out := map[string]int64{}
	if j.set.WarehouseID == 0 {
		return out, nil
	}
	var skus []string
	for _, p := range page {
		skus = append(skus, p.SKU)
	}
	for start := 0; start < len(skus); start += lookupChunk {
		chunk := skus[start:min(start+lookupChunk, len(skus))]
		items, _, err := j.site.WarehouseItems.List(j.ctx, j.set.WarehouseID, &sitoo.WarehouseItemListOptions{SKU: chunk,
			ListOptions: sitoo.ListOptions{Num: len(chunk)}})
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			out[it.SKU] = it.DecimalTotal.IntPart()
		}
	}
	return out, nil
}

// wooBySKU looks WooCommerce products up by SKU (crash safety before creating).
func (j *job) wooBySKU(skus []string) (map[string]int64, error) {
	out := map[string]int64{}
	for start := 0; start < len(skus); start += lookupChunk {
		chunk := skus[start:min(start+lookupChunk, len(skus))]
		opts := &woocommerce.ProductListOptions{SKU: strings.Join(chunk, ",")}
		opts.PerPage = pageSize
		items, _, err := j.woo.Products.List(j.ctx, opts)
		if err != nil {
			return nil, fmt.Errorf("woosync: look up WooCommerce products by SKU: %w", err)
		}
		for _, p := range items {
			out[p.SKU] = p.ID
		}
	}
	return out, nil
}

func (j *job) fetchPage(page []sitoo.Product) error {
	stock, err := j.sitooStock(page)
	if err != nil {
		return err
	}
	var parents []*sitoo.Product
	variants := map[int64][]*sitoo.Product{} // by main variant id
	var order []int64
	var lookup []string
	for i := range page {
		p := &page[i]
		if p.IsVariant() && !p.IsMainVariant() {
			if _, ok := variants[*p.VariantParentID]; !ok {
				order = append(order, *p.VariantParentID)
			}
			variants[*p.VariantParentID] = append(variants[*p.VariantParentID], p)
			continue
		}
		parents = append(parents, p)
		if _, ok, err := j.mappedID(KindProduct, p.ProductID, false); err != nil {
			return err
		} else if !ok {
			lookup = append(lookup, p.SKU)
		}
	}
	found, err := j.wooBySKU(lookup)
	if err != nil {
		return err
	}
	var batch woocommerce.Batch[woocommerce.ProductRequest]
	var creating, updating []*sitoo.Product
	for _, p := range parents {
		req, err := j.wooProduct(p, stock)
		if err != nil {
			if err := j.fail(KindProduct, 0, p.SKU, err); err != nil {
				return err
			}
			continue
		}
		id, ok, err := j.mappedID(KindProduct, p.ProductID, false)
		if err != nil {
			return err
		}
		if !ok {
			id, ok = found[p.SKU]
		}
		if ok {
			batch.Update = append(batch.Update, woocommerce.BatchUpdate[woocommerce.ProductRequest]{ID: id, Changes: req})
			updating = append(updating, p)
			continue
		}
		batch.Create = append(batch.Create, req)
		creating = append(creating, p)
	}
	if len(batch.Create)+len(batch.Update) > 0 {
		res, err := j.woo.Products.Batch(j.ctx, &batch)
		failed, err := batchFailures(err)
		if err != nil {
			return fmt.Errorf("woosync: write WooCommerce products: %w", err)
		}
		if err := j.recordBatch(KindProduct, creating, productIDs(res.Created), failed[woocommerce.BatchOpCreate], 0); err != nil {
			return err
		}
		if err := j.recordBatch(KindProduct, updating, productIDs(res.Updated), failed[woocommerce.BatchOpUpdate], 0); err != nil {
			return err
		}
	}
	for _, main := range order {
		if err := j.fetchVariations(main, variants[main], stock); err != nil {
			return err
		}
	}
	return nil
}

// batchFailures splits a WooCommerce batch error into the failed items by part and index; any
// other error is returned.
func batchFailures(err error) (map[woocommerce.BatchOp]map[int]error, error) {
	out := map[woocommerce.BatchOp]map[int]error{woocommerce.BatchOpCreate: {}, woocommerce.BatchOpUpdate: {}}
	var be *woocommerce.BatchError
	switch {
	case err == nil:
		return out, nil
	case !errors.As(err, &be):
		return nil, err
	}
	for _, it := range be.Items {
		if out[it.Op] != nil {
			out[it.Op][it.Index] = it
		}
	}
	return out, nil
}

// recordBatch maps the items of one part of a WooCommerce batch to the objects it returned
// (successful items only, in order) and fails the others.
func (j *job) recordBatch(kind Kind, sent []*sitoo.Product, got []int64, failed map[int]error, parentWoo int64) error {
	k := 0
	for i, p := range sent {
		if err, ok := failed[i]; ok {
			if err := j.fail(kind, 0, p.SKU, err); err != nil {
				return err
			}
			continue
		}
		if k >= len(got) {
			return fmt.Errorf("woosync: WooCommerce batch answered %d objects for %d items", len(got), len(sent))
		}
		m := Mapping{Kind: kind, WooID: got[k], SitooID: p.ProductID, Key: p.SKU}
		if kind == KindVariation {
			m.WooParentID, m.SitooParentID = parentWoo, *p.VariantParentID
		}
		k++
		if err := j.putMapping(m); err != nil {
			return err
		}
		j.done(1)
	}
	return nil
}

func productIDs(ps []woocommerce.Product) []int64 {
	out := make([]int64, len(ps))
	for i := range ps {
		out[i] = ps[i].ID
	}
	return out
}

// wooProduct translates a Sitoo simple product or main variant into a WooCommerce product
// request: a main variant becomes a variable product whose attributes are its variant groups.
func (j *job) wooProduct(p *sitoo.Product, stock map[string]int64) (woocommerce.ProductRequest, error) {
	status := woocommerce.ProductDraft
	if p.Active {
		status = woocommerce.ProductPublish
	}
	req := woocommerce.ProductRequest{Name: woocommerce.Ptr(p.Title), SKU: woocommerce.Ptr(p.SKU), Status: &status,
		Description: woocommerce.Ptr(p.Description), ShortDescription: woocommerce.Ptr(p.DescriptionShort),
		RegularPrice: woocommerce.Ptr(woocommerce.SomeMoney(woocommerce.Money{Decimal: p.MoneyPrice.Decimal}))}
	typ := woocommerce.ProductSimple
	if p.IsMainVariant() {
		typ = woocommerce.ProductVariable
		vs, _, err := j.site.ProductVariants.Get(j.ctx, p.ProductID)
		if err != nil {
			return req, err
		}
		for i, g := range vs.Groups {
			req.Attributes = append(req.Attributes, woocommerce.ProductAttribute{Name: g.Name, Position: int64(i),
				Visible: true, Variation: true, Options: g.Options})
		}
	} else if q, ok := stock[p.SKU]; ok {
		req.ManageStock, req.StockQuantity = woocommerce.Ptr(woocommerce.StockManaged), &q
	}
	req.Type = &typ
	cats := append([]int64(nil), p.Categories...)
	if p.DefaultCategoryID != nil && *p.DefaultCategoryID != 0 {
		cats = append([]int64{*p.DefaultCategoryID}, cats...)
	}
	seen := map[int64]bool{}
	for _, c := range cats {
		id, ok, err := j.mappedID(KindCategory, c, false)
		if err != nil {
			return req, err
		}
		if ok && !seen[id] {
			seen[id] = true
			req.Categories = append(req.Categories, woocommerce.TermRef{ID: id})
		}
	}
	if p.ManufacturerID != nil && *p.ManufacturerID != 0 {
		m, err := j.store.MappingBySitoo(j.ctx, KindManufacturer, *p.ManufacturerID)
		if err != nil && !isNoMapping(err) {
			return req, err
		}
		if err == nil {
			req.Attributes = append(req.Attributes, woocommerce.ProductAttribute{Name: manufacturerAttribute,
				Position: int64(len(req.Attributes)), Visible: true, Options: []string{m.Key}})
		}
	}
	return req, nil
}

// fetchVariations creates or updates the WooCommerce variations of one Sitoo main variant.
func (j *job) fetchVariations(main int64, vs []*sitoo.Product, stock map[string]int64) error {
	parent, ok, err := j.mappedID(KindProduct, main, false)
	if err != nil {
		return err
	}
	if !ok {
		for _, v := range vs {
			if err := j.fail(KindVariation, 0, v.SKU, fmt.Errorf("parent product %d is not synced", main)); err != nil {
				return err
			}
		}
		return nil
	}
	existing := map[string]int64{}
	lookedUp := false
	var batch woocommerce.Batch[woocommerce.VariationRequest]
	var creating, updating []*sitoo.Product
	for _, v := range vs {
		status := woocommerce.ProductPrivate
		if v.ActivePOS || v.Active {
			status = woocommerce.ProductPublish
		}
		req := woocommerce.VariationRequest{SKU: woocommerce.Ptr(v.SKU), Status: &status,
			RegularPrice: woocommerce.Ptr(woocommerce.SomeMoney(woocommerce.Money{Decimal: v.MoneyPrice.Decimal}))}
		for _, a := range v.Variant {
			req.Attributes = append(req.Attributes, woocommerce.VariationAttr{Name: a.Name, Option: a.Value})
		}
		if q, ok := stock[v.SKU]; ok {
			req.ManageStock, req.StockQuantity = woocommerce.Ptr(woocommerce.StockManaged), &q
		}
		id, ok, err := j.mappedID(KindVariation, v.ProductID, false)
		if err != nil {
			return err
		}
		if !ok {
			if !lookedUp { // crash safety: the parent's variations by SKU
				vars, err := j.variations(parent)
				if err != nil {
					return err
				}
				for _, wv := range vars {
					existing[wv.SKU] = wv.ID
				}
				lookedUp = true
			}
			id, ok = existing[v.SKU]
		}
		if ok {
			batch.Update = append(batch.Update, woocommerce.BatchUpdate[woocommerce.VariationRequest]{ID: id, Changes: req})
			updating = append(updating, v)
			continue
		}
		batch.Create = append(batch.Create, req)
		creating = append(creating, v)
	}
	res, err := j.woo.Variations.Batch(j.ctx, parent, &batch)
	failed, err := batchFailures(err)
	if err != nil {
		return fmt.Errorf("woosync: write WooCommerce variations of %d: %w", parent, err)
	}
	ids := func(vs []woocommerce.Variation) []int64 {
		out := make([]int64, len(vs))
		for i := range vs {
			out[i] = vs[i].ID
		}
		return out
	}
	if err := j.recordBatch(KindVariation, creating, ids(res.Created), failed[woocommerce.BatchOpCreate], parent); err != nil {
		return err
	}
	return j.recordBatch(KindVariation, updating, ids(res.Updated), failed[woocommerce.BatchOpUpdate], parent)
}
