package woosync

import (
	"fmt"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/woocommerce"
)

func init() {
	steps[StepMatchProducts] = stepDef{run: (*job).matchProducts, estimate: (*job).estimateProducts}
	steps[StepSendProducts] = stepDef{run: (*job).sendProducts, estimate: (*job).estimateProducts}
	steps[StepResyncParents] = stepDef{run: (*job).resyncParents, estimate: estimateMapped(KindProduct)}
	steps[StepResyncVariations] = stepDef{run: (*job).resyncVariations, estimate: estimateMapped(KindVariation)}
	steps[StepResyncImages] = stepDef{run: (*job).resyncImages, estimate: estimateMapped(KindProduct)}
}

// estimateProducts is the Sitoo requests a walk over every WooCommerce product may need: a
// lookup, a create and a stock write per page, and a variant set per product (when variable).
func (j *job) estimateProducts() (int, error) {
	_, resp, err := j.woo.Products.List(j.ctx, &woocommerce.ProductListOptions{ListOptions: woocommerce.ListOptions{PerPage: 1}})
	if err != nil {
		return 0, fmt.Errorf("woosync: count WooCommerce products: %w", err)
	}
	n := max(resp.Total, 0)
	return 4*(n/pageSize+1) + n, nil
}

// estimateMapped is one Sitoo request per page of mapped items of kind, plus one each.
func estimateMapped(kind Kind) func(j *job) (int, error) {
	return func(j *job) (int, error) {
		n, err := j.store.CountMappings(j.ctx, kind)
		return n/lookupChunk + 1 + n, err
	}
}

// entry is a WooCommerce product of the current page with its variations.
type entry struct {
	p    *woocommerce.Product
	vars []woocommerce.Variation
}

// pageEntries drops what a sync to Sitoo leaves out (external products when excluded, grouped
// products) and reads the variations of variable products.
func (j *job) pageEntries(page []woocommerce.Product, withVariations bool) ([]entry, error) {
	out := make([]entry, 0, len(page))
	for i := range page {
		p := &page[i]
		if (p.Type == woocommerce.ProductExternal && j.set.ExcludeExternal) || p.Type == woocommerce.ProductGrouped {
			j.skip(1)
			continue
		}
		e := entry{p: p}
		if withVariations && p.Type == woocommerce.ProductVariable {
			vars, err := j.variations(p.ID)
			if err != nil {
				return nil, err
			}
			e.vars = vars
		}
		out = append(out, e)
	}
	return out, nil
}

// matchProducts marks WooCommerce products and variations whose SKU Sitoo has as synced. It
// creates nothing.
func (j *job) matchProducts() error {
	for page, err := range j.wooProducts(woocommerce.ProductListOptions{}) {
		if err != nil {
			return err
		}
		entries, err := j.pageEntries(page, true)
		if err != nil {
			return err
		}
		var skus []string
		for _, e := range entries {
			skus = append(skus, e.p.SKU)
			for _, v := range e.vars {
				skus = append(skus, v.SKU)
			}
		}
		found, err := j.sitooBySKU(nonEmpty(skus))
		if err != nil {
			return err
		}
		for _, e := range entries {
			sp, ok := found[e.p.SKU]
			if !ok || e.p.SKU == "" {
				j.skip(1)
				continue
			}
			if err := j.putMapping(Mapping{Kind: KindProduct, WooID: e.p.ID, SitooID: sp.ProductID, Key: e.p.SKU}); err != nil {
				return err
			}
			j.done(1)
			for _, v := range e.vars {
				sv, ok := found[v.SKU]
				if !ok || v.SKU == "" || sv.VariantParentID == nil || *sv.VariantParentID != sp.ProductID {
					continue
				}
				if err := j.putMapping(Mapping{Kind: KindVariation, WooID: v.ID, SitooID: sv.ProductID, Key: v.SKU,
					WooParentID: e.p.ID, SitooParentID: sp.ProductID}); err != nil {
					return err
				}
			}
		}
		j.report()
	}
	return nil
}

func nonEmpty(ss []string) []string {
	out := ss[:0:0]
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// sendProducts creates the unmatched WooCommerce products and variations in Sitoo, page by page:
// look the page's unmapped SKUs up in Sitoo (crash safety: an item found is mapped and
// overwritten), create the rest in one batch, set each variable product's variant set, learn the
// new variants' ids by SKU, upload images and send stock.
func (j *job) sendProducts() error {
	for page, err := range j.wooProducts(woocommerce.ProductListOptions{}) {
		if err != nil {
			return err
		}
		entries, err := j.pageEntries(page, true)
		if err != nil {
			return err
		}
		if err := j.sendPage(entries); err != nil {
			return err
		}
		j.report()
	}
	return nil
}

// pending is a product of the page being created or overwritten in Sitoo.
type pending struct {
	e       *entry
	sitooID int64 // 0 until created
	created bool
}

func (j *job) sendPage(entries []entry) error {
	// Which items need sending, after checking their SKUs.
	var work []*entry
	var lookup []string
	for i := range entries {
		e := &entries[i]
		if !ValidSKU(e.p.SKU) {
			if err := j.fail(KindProduct, e.p.ID, e.p.SKU, fmt.Errorf("SKU %q is undefined or not valid for Sitoo (run FixSKU)", e.p.SKU)); err != nil {
				return err
			}
			continue
		}
		work = append(work, e)
		lookup = append(lookup, e.p.SKU)
		for _, v := range e.vars {
			if ValidSKU(v.SKU) {
				lookup = append(lookup, v.SKU)
			}
		}
	}
	// Drop what is already mapped from the lookup: only unmapped items need it.
	unmapped := lookup[:0]
	for _, sku := range lookup {
		if _, err := j.store.MappingByKey(j.ctx, KindProduct, sku); err == nil {
			continue
		}
		if _, err := j.store.MappingByKey(j.ctx, KindVariation, sku); err == nil {
			continue
		}
		unmapped = append(unmapped, sku)
	}
	found, err := j.sitooBySKU(unmapped)
	if err != nil {
		return err
	}

	// Parents: create the new ones in one batch, overwrite the ones found by SKU.
	var creates, updates []sitoo.ProductRequest
	var created, updated, sent []*pending
	for _, e := range work {
		pd := &pending{e: e}
		id, mapped, err := j.mappedID(KindProduct, e.p.ID, true)
		if err != nil {
			return err
		}
		if mapped {
			pd.sitooID = id
			sent = append(sent, pd) // only its unmapped variations are sent
			continue
		}
		req, err := j.productRequest(e.p)
		if err != nil {
			return err
		}
		if sp, ok := found[e.p.SKU]; ok {
			pd.sitooID, req.ProductID = sp.ProductID, sp.ProductID
			updates, updated = append(updates, req), append(updated, pd)
			continue
		}
		pd.created = true
		creates, created = append(creates, req), append(created, pd)
	}
	if len(creates) > 0 {
		rs, _, err := j.site.Products.BatchCreate(j.ctx, creates)
		if sent, err = j.collect(rs, err, created, sent, true); err != nil {
			return err
		}
	}
	if len(updates) > 0 {
		rs, _, err := j.site.Products.BatchUpdate(j.ctx, updates)
		if sent, err = j.collect(rs, err, updated, sent, false); err != nil {
			return err
		}
	}
	var stock []stockItem
	var newVariantSKUs []string
	newVariants := map[string]*pending{}
	for _, pd := range sent {
		p := pd.e.p
		if err := j.putMapping(Mapping{Kind: KindProduct, WooID: p.ID, SitooID: pd.sitooID, Key: p.SKU}); err != nil {
			return err
		}
		if pd.created || found[p.SKU].ProductID != 0 {
			if err := j.putImages(KindProduct, p.ID, p.SKU, pd.sitooID, p.Images, !pd.created); err != nil {
				return err
			}
			if s, ok := productStock(p); ok {
				stock = append(stock, s)
			}
			j.done(1)
		} else {
			j.skip(1)
		}
		if len(pd.e.vars) == 0 {
			continue
		}
		skus, err := j.sendVariants(pd, found, &stock)
		if err != nil {
			return err
		}
		for _, sku := range skus {
			newVariantSKUs = append(newVariantSKUs, sku)
			newVariants[sku] = pd
		}
	}
	// Learn the ids of the variants just created.
	ids, err := j.sitooBySKU(newVariantSKUs)
	if err != nil {
		return err
	}
	for _, sku := range newVariantSKUs {
		pd := newVariants[sku]
		sv, ok := ids[sku]
		if !ok {
			return fmt.Errorf("woosync: variant %s of product %d not found in Sitoo after it was set", sku, pd.e.p.ID)
		}
		for _, v := range pd.e.vars {
			if v.SKU != sku {
				continue
			}
			if err := j.putMapping(Mapping{Kind: KindVariation, WooID: v.ID, SitooID: sv.ProductID, Key: sku,
				WooParentID: pd.e.p.ID, SitooParentID: pd.sitooID}); err != nil {
				return err
			}
			if v.Image.Image != nil {
				if err := j.putImages(KindVariation, v.ID, v.SKU, sv.ProductID, []woocommerce.Image{*v.Image.Image}, false); err != nil {
					return err
				}
			}
		}
	}
	return j.sendStock(stock, false)
}

// collect appends the items of a product batch that succeeded to sent (taking the new ids when
// created) and fails the others. A batch error without results stops the step.
func (j *job) collect(rs sitoo.BatchResults, err error, items, sent []*pending, created bool) ([]*pending, error) {
	if err != nil && len(rs) == 0 {
		return sent, err
	}
	for i, r := range rs {
		if r.Err != nil {
			if err := j.fail(KindProduct, items[i].e.p.ID, items[i].e.p.SKU, r.Err); err != nil {
				return sent, err
			}
			continue
		}
		if created {
			items[i].sitooID = r.ID
		}
		sent = append(sent, items[i])
	}
	return sent, nil
}

// sendVariants sets the variant set of a variable product when any of its variations is
// unmapped: mapped variations and those found by SKU keep their Sitoo ids, the others are
// added. It returns the SKUs of the variants added, whose ids are learnt afterwards.
func (j *job) sendVariants(pd *pending, found map[string]sitoo.Product, stock *[]stockItem) ([]string, error) {
	p := pd.e.p
	groups := variantGroups(p)
	set := sitoo.ProductVariants{Groups: groups}
	var added []string
	changed := false
	for i := range pd.e.vars {
		v := &pd.e.vars[i]
		id, mapped, err := j.mappedID(KindVariation, v.ID, true)
		if err != nil {
			return nil, err
		}
		if !mapped {
			if sv, ok := found[v.SKU]; ok && sv.VariantParentID != nil && *sv.VariantParentID == pd.sitooID {
				id = sv.ProductID
				if err := j.putMapping(Mapping{Kind: KindVariation, WooID: v.ID, SitooID: id, Key: v.SKU,
					WooParentID: p.ID, SitooParentID: pd.sitooID}); err != nil {
					return nil, err
				}
			}
			changed = true
		}
		if !ValidSKU(v.SKU) {
			if err := j.fail(KindVariation, v.ID, v.SKU, fmt.Errorf("SKU %q is undefined or not valid for Sitoo (run FixSKU)", v.SKU)); err != nil {
				return nil, err
			}
			continue
		}
		sv, err := variant(p, v, groups, id)
		if err != nil {
			if err := j.fail(KindVariation, v.ID, v.SKU, err); err != nil {
				return nil, err
			}
			continue
		}
		if m, err := j.variationPrice(p, v); err != nil {
			return nil, err
		} else if m != nil {
			sv.MoneyPrice = *m
		}
		set.Variants = append(set.Variants, sv)
		if !mapped {
			if id == 0 {
				added = append(added, v.SKU)
			}
			if s, ok := variationStock(p, v); ok {
				*stock = append(*stock, s)
			}
		}
	}
	if !changed {
		return nil, nil
	}
	if _, err := j.site.ProductVariants.Replace(j.ctx, pd.sitooID, &set); err != nil {
		for _, v := range pd.e.vars {
			if err := j.fail(KindVariation, v.ID, v.SKU, err); err != nil {
				return nil, err
			}
		}
		return nil, nil
	}
	return added, nil
}

// resyncParents updates the matched simple and variable products in Sitoo, a batch per page,
// with their stock.
func (j *job) resyncParents() error {
	for page, err := range j.wooProducts(woocommerce.ProductListOptions{}) {
		if err != nil {
			return err
		}
		entries, err := j.pageEntries(page, false)
		if err != nil {
			return err
		}
		var reqs []sitoo.ProductRequest
		var of []*woocommerce.Product
		var stock []stockItem
		for _, e := range entries {
			id, mapped, err := j.mappedID(KindProduct, e.p.ID, true)
			if err != nil {
				return err
			}
			if !mapped {
				j.skip(1)
				continue
			}
			req, err := j.productRequest(e.p)
			if err != nil {
				return err
			}
			req.ProductID = id
			reqs, of = append(reqs, req), append(of, e.p)
			if s, ok := productStock(e.p); ok {
				stock = append(stock, s)
			}
		}
		if err := j.batchUpdate(KindProduct, reqs, func(i int) (int64, string) { return of[i].ID, of[i].SKU }); err != nil {
			return err
		}
		if err := j.sendStock(stock, false); err != nil {
			return err
		}
		j.report()
	}
	return nil
}

// batchUpdate sends product updates and counts each item done or failed.
func (j *job) batchUpdate(kind Kind, reqs []sitoo.ProductRequest, item func(i int) (int64, string)) error {
	if len(reqs) == 0 {
		return nil
	}
	rs, _, err := j.site.Products.BatchUpdate(j.ctx, reqs)
	if err != nil && len(rs) == 0 {
		return err
	}
	for i, r := range rs {
		id, key := item(i)
		if r.Err != nil {
			if err := j.fail(kind, id, key, r.Err); err != nil {
				return err
			}
			continue
		}
		j.done(1)
	}
	return nil
}

// resyncVariations updates the matched variations in Sitoo (their product fields: SKU, title,
// price, POS flag; a change of attributes needs StepSendProducts), with their stock.
func (j *job) resyncVariations() error {
	for page, err := range j.wooProducts(woocommerce.ProductListOptions{Type: woocommerce.ProductVariable}) {
		if err != nil {
			return err
		}
		var reqs []sitoo.ProductRequest
		var of []*woocommerce.Variation
		var stock []stockItem
		for i := range page {
			p := &page[i]
			if _, mapped, err := j.mappedID(KindProduct, p.ID, true); err != nil {
				return err
			} else if !mapped {
				j.skip(1)
				continue
			}
			vars, err := j.variations(p.ID)
			if err != nil {
				return err
			}
			groups := variantGroups(p)
			for k := range vars {
				v := &vars[k]
				id, mapped, err := j.mappedID(KindVariation, v.ID, true)
				if err != nil {
					return err
				}
				if !mapped {
					continue
				}
				sv, err := variant(p, v, groups, id)
				if err != nil {
					if err := j.fail(KindVariation, v.ID, v.SKU, err); err != nil {
						return err
					}
					continue
				}
				vp, err := j.variationPrice(p, v)
				if err != nil {
					return err
				}
				req := sitoo.ProductRequest{ProductID: id, SKU: &sv.SKU, Title: &sv.Title, ActivePOS: &sv.ActivePOS, MoneyPrice: vp}
				reqs, of = append(reqs, req), append(of, v)
				if s, ok := variationStock(p, v); ok {
					stock = append(stock, s)
				}
			}
		}
		if err := j.batchUpdate(KindVariation, reqs, func(i int) (int64, string) { return of[i].ID, of[i].SKU }); err != nil {
			return err
		}
		if err := j.sendStock(stock, false); err != nil {
			return err
		}
		j.report()
	}
	return nil
}

// resyncImages recreates the images of every matched product and variation in Sitoo.
func (j *job) resyncImages() error {
	for page, err := range j.wooProducts(woocommerce.ProductListOptions{}) {
		if err != nil {
			return err
		}
		entries, err := j.pageEntries(page, true)
		if err != nil {
			return err
		}
		for _, e := range entries {
			id, mapped, err := j.mappedID(KindProduct, e.p.ID, true)
			if err != nil {
				return err
			}
			if !mapped {
				j.skip(1)
				continue
			}
			if err := j.putImages(KindProduct, e.p.ID, e.p.SKU, id, e.p.Images, true); err != nil {
				return err
			}
			for _, v := range e.vars {
				vid, mapped, err := j.mappedID(KindVariation, v.ID, true)
				if err != nil {
					return err
				}
				if !mapped {
					continue
				}
				var imgs []woocommerce.Image
				if v.Image.Image != nil {
					imgs = append(imgs, *v.Image.Image)
				}
				if err := j.putImages(KindVariation, v.ID, v.SKU, vid, imgs, true); err != nil {
					return err
				}
			}
			j.done(1)
		}
		j.report()
	}
	return nil
}
