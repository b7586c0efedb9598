package woosync

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// StepReconcileProducts sends the changes of synced products and variations modified in
// WooCommerce since the last reconcile, as the triggers would have: run it periodically so a lost
// webhook delivery is caught up.
const StepReconcileProducts Step = "reconcile_products"

func init() {
	steps[StepReconcileProducts] = stepDef{run: (*job).reconcileProducts, estimate: estimateMapped(KindProduct)}
}

// Webhook topics the Syncer handles. order.updated applies the order rules (see SyncOrder).
const (
	TopicProductCreated = "product.created"
	TopicProductUpdated = "product.updated"
	TopicOrderUpdated   = "order.updated"
	TopicCouponCreated  = "coupon.created"
	TopicCouponUpdated  = "coupon.updated"
)

// Handler returns the http.Handler that receives the store's WooCommerce webhook deliveries,
// verified with the webhook secret, and applies them with HandleDelivery.
func (s *Syncer) Handler(secret string, opts ...woocommerce.WebhookHandlerOption) (http.Handler, error) {
	return woocommerce.NewWebhookHandler(secret, s.HandleDelivery, opts...)
}

// HandleDelivery applies one verified delivery (the seed's triggers): a change of an already
// synced product, variation or coupon (coupon.created/updated: its matched voucher) is sent to
// Sitoo at once when Settings.SendChanges is on, and a product's
// stock when Settings.SendStockChanges is on (at once for a Virtual warehouse; for a FIFO one only
// with ForceInstantStock, otherwise through orders in part 2). Unsynced items, other topics and
// deliveries while paused, disconnected or not configured are ignored (nil), so WooCommerce does
// not count failures; an item Sitoo refuses is logged and recorded in the run log. An error is
// returned only when Sitoo or the store could not be reached, so WooCommerce sees the failure.
func (s *Syncer) HandleDelivery(ctx context.Context, d *woocommerce.Delivery) error {
	if d.Kind == woocommerce.DeliveryResource && d.Topic == TopicOrderUpdated && d.Order != nil {
		return s.handleOrderDelivery(ctx, d.Order) // orders.go / cac.go
	}
	product := d.Product != nil && (d.Topic == TopicProductCreated || d.Topic == TopicProductUpdated)
	coupon := d.Coupon != nil && (d.Topic == TopicCouponCreated || d.Topic == TopicCouponUpdated)
	if d.Kind != woocommerce.DeliveryResource || (!product && !coupon) {
		return nil
	}
	rec, err := s.settings(ctx)
	if errors.Is(err, ErrNotConfigured) || errors.Is(err, ErrDisconnected) {
		return nil
	}
	if err != nil {
		return err
	}
	if rec.Paused || (!rec.Settings.SendChanges && !rec.Settings.SendStockChanges) || (coupon && !rec.Settings.SendChanges) {
		return nil
	}
	rep, err := s.run(ctx, "trigger "+d.Topic, []Step{stepTrigger}, nil, withDelivery(d), concurrent)
	if err != nil && rep != nil && rep.Failed() > 0 {
		return nil // the item is reported in the run log; retrying would not help
	}
	return err
}

// stepTrigger is the internal step applying one delivery.
const stepTrigger Step = "trigger"

type deliveryKey struct{}

func withDelivery(d *woocommerce.Delivery) runOption {
	return func(ctx context.Context) context.Context { return context.WithValue(ctx, deliveryKey{}, d) }
}

func init() {
	steps[stepTrigger] = stepDef{run: func(j *job) error {
		d, _ := j.ctx.Value(deliveryKey{}).(*woocommerce.Delivery)
		switch {
		case d == nil:
			return errors.New("woosync: trigger without a delivery")
		case d.Coupon != nil:
			return j.sendCouponChange(d.Coupon)
		}
		return j.sendChange(d.Product, nil)
	}}
}

// sendChange sends one WooCommerce product or variation (as webhooks and GET /products/{id}
// show it: a variation has type "variation" and its parent's id) to Sitoo if it is synced. For
// a variation, parent is its variable product when known (reconcile), else nil.
func (j *job) sendChange(p *woocommerce.Product, parent *woocommerce.Product) error {
	kind := KindProduct
	if p.Type == woocommerce.ProductVariation {
		kind = KindVariation
	}
	id, mapped, err := j.mappedID(kind, p.ID, true)
	if err != nil {
		return err
	}
	if !mapped {
		j.skip(1)
		return nil
	}
	if j.set.SendChanges {
		var req sitoo.ProductRequest
		if kind == KindProduct {
			if req, err = j.productRequest(p); err != nil {
				return err
			}
		} else {
			active := p.Status == woocommerce.ProductPublish
			req = sitoo.ProductRequest{SKU: &p.SKU, ActivePOS: &active, MoneyPrice: price(p.RegularPrice, p.Price)}
		}
		if !ValidSKU(p.SKU) {
			return j.fail(kind, p.ID, p.SKU, fmt.Errorf("SKU %q is undefined or not valid for Sitoo (run FixSKU)", p.SKU))
		}
		if _, err := j.site.Products.Update(j.ctx, id, &req); err != nil {
			return j.triggerFailed(kind, p.ID, p.SKU, err)
		}
	}
	if j.set.SendStockChanges {
		var item stockItem
		ok := false
		switch {
		case kind == KindProduct:
			item, ok = productStock(p)
		case p.ManageStock == woocommerce.StockManaged && p.StockQuantity.Valid:
			item, ok = stockItem{KindVariation, p.ID, p.SKU, p.StockQuantity.Int}, true
		case p.ManageStock == woocommerce.StockManagedByParent && parent != nil && parent.StockQuantity.Valid:
			item, ok = stockItem{KindVariation, p.ID, p.SKU, parent.StockQuantity.Int}, true
		}
		if ok {
			if err := j.sendStock([]stockItem{item}, false); err != nil {
				return err
			}
		}
	}
	j.done(1)
	return nil
}

// reconcileProducts sends the changes of synced products and variations modified since the last
// reconcile (WooCommerce modified_after), then moves the timestamp to when this one started.
func (j *job) reconcileProducts() error {
	since, err := j.store.Timestamp(j.ctx, TimestampProducts)
	if err != nil {
		return err
	}
	// WooCommerce compares whole seconds, exclusively: start a second early so nothing modified in
	// the second of the last reconcile is missed (a change sent twice is harmless).
	started := j.clock().Truncate(time.Second)
	opts := woocommerce.ProductListOptions{}
	if !since.IsZero() {
		opts.ModifiedAfter = since.Add(-time.Second)
	}
	for page, err := range j.wooProducts(opts) {
		if err != nil {
			return err
		}
		for i := range page {
			p := &page[i]
			if err := j.sendChange(p, nil); err != nil {
				return err
			}
			if p.Type != woocommerce.ProductVariable {
				continue
			}
			vopts := &woocommerce.VariationListOptions{ListOptions: woocommerce.StableOrder()}
			vopts.PerPage, vopts.ModifiedAfter = pageSize, opts.ModifiedAfter
			for v, err := range j.woo.Variations.All(j.ctx, p.ID, vopts) {
				if err != nil {
					return fmt.Errorf("woosync: list variations of product %d: %w", p.ID, err)
				}
				vp := variationAsProduct(&v, p.ID)
				if err := j.sendChange(&vp, p); err != nil {
					return err
				}
			}
		}
		j.report()
	}
	return j.store.SetTimestamp(j.ctx, TimestampProducts, started)
}

// variationAsProduct shows a variation as webhooks do: a product of type "variation".
func variationAsProduct(v *woocommerce.Variation, parent int64) woocommerce.Product {
	return woocommerce.Product{ID: v.ID, ParentID: parent, Type: woocommerce.ProductVariation, SKU: v.SKU,
		Status: v.Status, Price: v.Price, RegularPrice: v.RegularPrice, ManageStock: v.ManageStock,
		StockQuantity: v.StockQuantity}
}
