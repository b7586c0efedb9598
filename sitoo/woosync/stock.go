package woosync

import (
	"errors"
	"fmt"
	"time"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/woocommerce"
)

func init() {
	steps[StepSendStock] = stepDef{run: (*job).sendAllStock, estimate: estimateMapped(KindVariation)}
	steps[StepFetchStock] = stepDef{run: func(j *job) error { return j.fetchStock(false) }, estimate: estimateMapped(KindVariation)}
	steps[StepFetchStockChanges] = stepDef{run: func(j *job) error { return j.fetchStock(true) }, estimate: estimateMapped(KindVariation)}
}

// FIFOWarning is the seed's warning about ForceInstantStock, logged whenever stock is sent to a
// FIFO warehouse.
const FIFOWarning = "stock sent to a FIFO warehouse through a stock-taking batch overrides any stock-taking or delivery session open in Sitoo"

// sendStock sends WooCommerce stock to the Sitoo warehouse: set absolutely in a Virtual one; in a
// FIFO one only with ForceInstantStock, as a stock-taking warehouse batch (counted quantities).
// Without a warehouse, or to a FIFO one without force, stock is not sent: explicit (the stock
// step itself) makes that an error, product operations just leave stock out.
func (j *job) sendStock(items []stockItem, explicit bool) error {
	if len(items) == 0 {
		return nil
	}
	wh := j.set.WarehouseID
	switch {
	case wh == 0 && explicit:
		return &SettingsError{Field: "WarehouseID", Reason: "a warehouse is needed to sync stock"}
	case wh == 0:
		return nil
	case !j.set.virtual() && !j.set.ForceInstantStock && explicit:
		return ErrFIFOWarehouse
	case !j.set.virtual() && !j.set.ForceInstantStock:
		return nil
	}
	var rs sitoo.BatchResults
	var err error
	if j.set.virtual() {
		reqs := make([]sitoo.WarehouseItemRequest, len(items))
		for i, it := range items {
			q := decimalQty(it.qty)
			reqs[i] = sitoo.WarehouseItemRequest{SKU: it.sku, DecimalTotal: &q}
		}
		rs, _, err = j.site.WarehouseItems.Set(j.ctx, wh, reqs)
	} else {
		j.logger.WarnContext(j.ctx, "woosync: "+FIFOWarning, "warehouse", wh, "items", len(items))
		reqs := make([]sitoo.WarehouseBatchItemRequest, len(items))
		for i, it := range items {
			reqs[i] = sitoo.WarehouseBatchItemRequest{SKU: it.sku, DecimalQuantity: decimalQty(it.qty)}
		}
		comment := "WooCommerce stock (woosync)"
		_, _, err = j.site.WarehouseBatches.Apply(j.ctx, wh,
			&sitoo.WarehouseBatchRequest{TransactionType: sitoo.TransactionTypeStocktaking, Comment: &comment}, reqs)
	}
	if err != nil && len(rs) == 0 {
		var ie *sitoo.ItemError
		if !errors.As(err, &ie) {
			return fmt.Errorf("woosync: send stock: %w", err)
		}
	}
	for i, r := range rs {
		if r.Err != nil {
			if err := j.fail(items[i].kind, items[i].wooID, items[i].sku, fmt.Errorf("stock: %w", r.Err)); err != nil {
				return err
			}
		}
	}
	return nil
}

// sendAllStock sends the stock of every matched product and variation to Sitoo.
func (j *job) sendAllStock() error {
	for page, err := range j.wooProducts(woocommerce.ProductListOptions{}) {
		if err != nil {
			return err
		}
		entries, err := j.pageEntries(page, true)
		if err != nil {
			return err
		}
		var stock []stockItem
		for _, e := range entries {
			if _, mapped, err := j.mappedID(KindProduct, e.p.ID, true); err != nil {
				return err
			} else if !mapped {
				j.skip(1)
				continue
			}
			if s, ok := productStock(e.p); ok {
				stock = append(stock, s)
			}
			for k := range e.vars {
				if _, mapped, err := j.mappedID(KindVariation, e.vars[k].ID, true); err != nil {
					return err
				} else if s, ok := variationStock(e.p, &e.vars[k]); ok && mapped {
					stock = append(stock, s)
				}
			}
			j.done(1)
		}
		if err := j.sendStock(stock, true); err != nil {
			return err
		}
		j.report()
	}
	return nil
}

// fetchStock copies Sitoo stock of matched items to WooCommerce (Sitoo as stock master): every
// item, or with changes only those modified since the last fetch. WooCommerce is written in
// batches of 100 (products) and per parent (variations).
func (j *job) fetchStock(changes bool) error {
	if j.set.WarehouseID == 0 {
		return &SettingsError{Field: "WarehouseID", Reason: "a warehouse is needed to sync stock"}
	}
	opts := &sitoo.WarehouseItemListOptions{}
	var since time.Time
	if changes {
		var err error
		if since, err = j.store.Timestamp(j.ctx, TimestampStock); err != nil {
			return err
		}
		opts.DateLastModifiedFrom = since
	}
	latest := since
	var buf []sitoo.WarehouseItem
	for it, err := range j.site.WarehouseItems.All(j.ctx, j.set.WarehouseID, opts) {
		if err != nil {
			return err
		}
		if t := it.DateLastModified.Time; t.After(latest) {
			latest = t
		}
		if buf = append(buf, it); len(buf) == pageSize {
			if err := j.writeWooStock(buf); err != nil {
				return err
			}
			buf = buf[:0]
		}
	}
	if err := j.writeWooStock(buf); err != nil {
		return err
	}
	j.report()
	if changes && latest.After(since) {
		return j.store.SetTimestamp(j.ctx, TimestampStock, latest)
	}
	return nil
}

// writeWooStock sets the WooCommerce stock of the mapped SKUs among items.
func (j *job) writeWooStock(items []sitoo.WarehouseItem) error {
	var products []woocommerce.BatchUpdate[woocommerce.ProductRequest]
	var prodKeys []Mapping
	variations := map[int64][]woocommerce.BatchUpdate[woocommerce.VariationRequest]{}
	varKeys := map[int64][]Mapping{}
	for _, it := range items {
		qty := it.DecimalTotal.IntPart()
		m, err := j.store.MappingByKey(j.ctx, KindProduct, it.SKU)
		if err == nil {
			products = append(products, woocommerce.BatchUpdate[woocommerce.ProductRequest]{ID: m.WooID,
				Changes: woocommerce.ProductRequest{ManageStock: woocommerce.Ptr(woocommerce.StockManaged), StockQuantity: &qty}})
			prodKeys = append(prodKeys, m)
			continue
		} else if !isNoMapping(err) {
			return err
		}
		m, err = j.store.MappingByKey(j.ctx, KindVariation, it.SKU)
		if err == nil {
			variations[m.WooParentID] = append(variations[m.WooParentID], woocommerce.BatchUpdate[woocommerce.VariationRequest]{ID: m.WooID,
				Changes: woocommerce.VariationRequest{ManageStock: woocommerce.Ptr(woocommerce.StockManaged), StockQuantity: &qty}})
			varKeys[m.WooParentID] = append(varKeys[m.WooParentID], m)
			continue
		} else if !isNoMapping(err) {
			return err
		}
		j.skip(1) // not synced
	}
	if len(products) > 0 {
		_, err := j.woo.Products.Batch(j.ctx, &woocommerce.Batch[woocommerce.ProductRequest]{Update: products})
		if err := j.batchOutcome(KindProduct, prodKeys, err); err != nil {
			return err
		}
	}
	for parent, ups := range variations {
		_, err := j.woo.Variations.Batch(j.ctx, parent, &woocommerce.Batch[woocommerce.VariationRequest]{Update: ups})
		if err := j.batchOutcome(KindVariation, varKeys[parent], err); err != nil {
			return err
		}
	}
	return nil
}

// batchOutcome counts a WooCommerce batch's items done or failed.
func (j *job) batchOutcome(kind Kind, keys []Mapping, err error) error {
	var be *woocommerce.BatchError
	if err != nil && !errors.As(err, &be) {
		return fmt.Errorf("woosync: write WooCommerce stock: %w", err)
	}
	failed := map[int]error{}
	if be != nil {
		for _, it := range be.Items {
			failed[it.Index] = it
		}
	}
	for i, m := range keys {
		if e, ok := failed[i]; ok {
			if err := j.fail(kind, m.WooID, m.Key, e); err != nil {
				return err
			}
			continue
		}
		j.done(1)
	}
	return nil
}
