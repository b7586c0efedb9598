package woosync

import (
	"context"
	"fmt"
	"path"
	"regexp"
	"strings"

	"github.com/loyalsync/loyalsync/woocommerce"
)

// skuInvalid matches the characters Sitoo refuses in a SKU.
var skuInvalid = regexp.MustCompile(`[^A-Za-z0-9_+\-/]`)

// FixedSKU returns sku made valid for Sitoo (ValidSKU): every refused character, "." included
// (the seed allows it, Sitoo's API documentation does not), becomes "-"; an empty SKU becomes
// prefix followed by the WooCommerce id.
func FixedSKU(sku, prefix string, wooID int64) string {
	if strings.TrimSpace(sku) == "" {
		return skuInvalid.ReplaceAllString(prefix, "-") + fmt.Sprint(wooID)
	}
	return skuInvalid.ReplaceAllString(strings.TrimSpace(sku), "-")
}

// SKUChange is one SKU FixSKU changes (or would change, in a dry run).
type SKUChange struct {
	Kind     Kind // KindProduct or KindVariation
	WooID    int64
	ParentID int64 // the variable product of a variation
	From, To string
	// Err is why the change could not be applied (apply only), e.g. the SKU is taken.
	Err error
}

// FixSKU makes every WooCommerce product and variation SKU valid for Sitoo (FixedSKU; an empty
// one becomes prefix + the WooCommerce id; a fixed SKU that another item already has gets
// "-" + the id appended). It returns every change; with apply false it changes nothing (a dry
// run), with apply true it writes them to WooCommerce in batches and records the run.
func (s *Syncer) FixSKU(ctx context.Context, prefix string, apply bool) ([]SKUChange, error) {
	var out []SKUChange
	err := s.tool(ctx, "fix sku", func(j *job) error {
		taken := map[string]bool{}
		for page, err := range j.wooProducts(woocommerce.ProductListOptions{}) {
			if err != nil {
				return err
			}
			var prod []woocommerce.BatchUpdate[woocommerce.ProductRequest]
			var prodIdx []int
			vars := map[int64][]woocommerce.BatchUpdate[woocommerce.VariationRequest]{}
			varIdx := map[int64][]int{}
			plan := func(kind Kind, id, parent int64, sku string) (string, bool) {
				to := FixedSKU(sku, prefix, id)
				if to != sku && taken[to] {
					to += "-" + fmt.Sprint(id)
				}
				taken[to] = true
				if to == sku {
					j.skip(1)
					return "", false
				}
				out = append(out, SKUChange{Kind: kind, WooID: id, ParentID: parent, From: sku, To: to})
				j.done(1)
				return to, true
			}
			for i := range page {
				p := &page[i]
				if to, ok := plan(KindProduct, p.ID, 0, p.SKU); ok {
					prod = append(prod, woocommerce.BatchUpdate[woocommerce.ProductRequest]{ID: p.ID, Changes: woocommerce.ProductRequest{SKU: &to}})
					prodIdx = append(prodIdx, len(out)-1)
				}
				if p.Type != woocommerce.ProductVariable {
					continue
				}
				vs, err := j.variations(p.ID)
				if err != nil {
					return err
				}
				for _, v := range vs {
					if to, ok := plan(KindVariation, v.ID, p.ID, v.SKU); ok {
						vars[p.ID] = append(vars[p.ID], woocommerce.BatchUpdate[woocommerce.VariationRequest]{ID: v.ID, Changes: woocommerce.VariationRequest{SKU: &to}})
						varIdx[p.ID] = append(varIdx[p.ID], len(out)-1)
					}
				}
			}
			if !apply {
				continue
			}
			if len(prod) > 0 {
				_, err := j.woo.Products.Batch(j.ctx, &woocommerce.Batch[woocommerce.ProductRequest]{Update: prod})
				if err := markFailed(out, prodIdx, err); err != nil {
					return err
				}
			}
			for parent, ups := range vars {
				_, err := j.woo.Variations.Batch(j.ctx, parent, &woocommerce.Batch[woocommerce.VariationRequest]{Update: ups})
				if err := markFailed(out, varIdx[parent], err); err != nil {
					return err
				}
			}
		}
		for _, c := range out {
			if c.Err != nil {
				if err := j.fail(c.Kind, c.WooID, c.From, c.Err); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return out, err
}

// markFailed records a batch's failed items in the changes at idx.
func markFailed(out []SKUChange, idx []int, err error) error {
	failed, err := batchFailures(err)
	if err != nil {
		return fmt.Errorf("woosync: write SKUs: %w", err)
	}
	for i, e := range failed[woocommerce.BatchOpUpdate] {
		out[idx[i]].Err = e
	}
	return nil
}

// ImageRename is one image whose name Sitoo would refuse, and the name it gets there.
type ImageRename struct {
	ProductID   int64
	VariationID int64 // 0 for a product image
	Src         string
	From, To    string
}

// FixImages finds every product and variation image whose file name is not valid for Sitoo
// ([a-zA-Z0-9_-.]) and returns the renames (SitooImageName). WooCommerce cannot rename a media
// file over REST, so the fixed name is what every upload to Sitoo uses; with apply, the image's
// name (its title in the media library) is set to the fixed name in WooCommerce as well, so both
// sides show the same name.
func (s *Syncer) FixImages(ctx context.Context, apply bool) ([]ImageRename, error) {
	var out []ImageRename
	err := s.tool(ctx, "fix images", func(j *job) error {
		for page, err := range j.wooProducts(woocommerce.ProductListOptions{}) {
			if err != nil {
				return err
			}
			var prod []woocommerce.BatchUpdate[woocommerce.ProductRequest]
			for i := range page {
				p := &page[i]
				imgs := make([]woocommerce.ImageRequest, len(p.Images))
				renamed := false
				for k, img := range p.Images {
					imgs[k] = woocommerce.ImageRequest{ID: img.ID, Src: img.Src, Name: img.Name, Alt: img.Alt}
					if from, to := path.Base(img.Src), SitooImageName(img.Src); from != to {
						out = append(out, ImageRename{ProductID: p.ID, Src: img.Src, From: from, To: to})
						imgs[k].Name, renamed = to, true
					}
				}
				if renamed {
					j.done(1)
					prod = append(prod, woocommerce.BatchUpdate[woocommerce.ProductRequest]{ID: p.ID, Changes: woocommerce.ProductRequest{Images: imgs}})
				} else {
					j.skip(1)
				}
				if p.Type != woocommerce.ProductVariable {
					continue
				}
				vs, err := j.variations(p.ID)
				if err != nil {
					return err
				}
				for _, v := range vs {
					if img := v.Image.Image; img != nil {
						if from, to := path.Base(img.Src), SitooImageName(img.Src); from != to {
							out = append(out, ImageRename{ProductID: p.ID, VariationID: v.ID, Src: img.Src, From: from, To: to})
							if apply {
								req := &woocommerce.VariationRequest{Image: &woocommerce.ImageRequest{ID: img.ID, Src: img.Src, Name: to, Alt: img.Alt}}
								if _, _, err := j.woo.Variations.Update(j.ctx, p.ID, v.ID, req); err != nil {
									if err := j.fail(KindVariation, v.ID, v.SKU, err); err != nil {
										return err
									}
								}
							}
						}
					}
				}
			}
			if apply && len(prod) > 0 {
				_, err := j.woo.Products.Batch(j.ctx, &woocommerce.Batch[woocommerce.ProductRequest]{Update: prod})
				failed, err := batchFailures(err)
				if err != nil {
					return fmt.Errorf("woosync: write image names: %w", err)
				}
				for i, e := range failed[woocommerce.BatchOpUpdate] {
					if err := j.fail(KindProduct, prod[i].ID, "", e); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	return out, err
}

// tool runs a tool as a one-step run: settings loaded, run log written.
func (s *Syncer) tool(ctx context.Context, name string, fn func(j *job) error) error {
	step := Step(strings.ReplaceAll(name, " ", "_"))
	steps := map[Step]stepDef{step: {run: fn}}
	_, err := s.runWith(ctx, name, []Step{step}, nil, steps)
	return err
}
