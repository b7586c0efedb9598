package woosync

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// Steps of part 2 (orders).
const (
	// StepFetchOrders creates every new Sitoo order in WooCommerce (from the order watermark on).
	StepFetchOrders Step = "fetch_orders"
	// StepFetchStore2Door creates only the new Store2Door Sitoo orders (orders with items not
	// fully delivered) in WooCommerce.
	StepFetchStore2Door Step = "fetch_store2door_orders"
)

// Meta keys and values that mark a WooCommerce order fetched from Sitoo.
//
// WooCommerce sets created_via to "rest-api" for every order created over REST and does not let
// a client change it, so fetched orders carry MetaCreatedVia = CreatedViaSitoo. Analytics
// plugins (the seed's "Prevent sending fetched orders to Google Analytics") should skip orders
// that have it, e.g. in a woocommerce_ga_disable_tracking filter:
//
//	return $order->get_meta('_woosync_created_via') === 'sitoo';
const (
	// MetaSitooOrderID holds the Sitoo order id of a fetched order.
	MetaSitooOrderID = "_sitoo_order_id"
	// MetaCreatedVia marks an order created by woosync; its value says from where.
	MetaCreatedVia = "_woosync_created_via"
	// CreatedViaSitoo is MetaCreatedVia's value on orders fetched from Sitoo.
	CreatedViaSitoo = "sitoo"
)

// Timestamp names of the order fetch.
const (
	// TimestampOrdersID is the id of the last Sitoo order read (stored as Unix seconds): the
	// next fetch starts after it. Sitoo order ids only grow, while order dates are set by
	// whoever created the order, so the id is what the list filters on.
	TimestampOrdersID = "orders_id"
	// TimestampOrdersPending is set before WooCommerce orders are created and cleared once they
	// are mapped; a fetch that finds it set first maps the orders created since then (a crash
	// between create and mapping), so they are not created twice.
	TimestampOrdersPending = "orders_pending"
)

// wooExternalPrefix starts the Sitoo external id of orders sent from WooCommerce; the fetch
// leaves such orders alone.
const wooExternalPrefix = "woo-"

func init() {
	steps[StepFetchOrders] = stepDef{run: func(j *job) error { return j.fetchOrders(OrdersAll) }}
	steps[StepFetchStore2Door] = stepDef{run: func(j *job) error { return j.fetchOrders(OrdersStore2Door) }}
}

// fetchOrders reads the Sitoo orders after the watermark in id order, a page at a time, and
// creates the new ones in WooCommerce in one batch per page. Each order's deliveries decide
// whether it is Store2Door (and so its status; in Store2Door mode, whether it is taken at all).
func (j *job) fetchOrders(mode OrderFetch) error {
	if err := j.recoverFetched(); err != nil {
		return err
	}
	last, err := j.store.Timestamp(j.ctx, TimestampOrdersID)
	if err != nil {
		return err
	}
	opts := &sitoo.OrderListOptions{ListOptions: sitoo.ListOptions{Sort: "orderid", Num: pageSize}, OrderIDFrom: last.Unix() + 1}
	var page []sitoo.Order
	for o, err := range j.site.Orders.All(j.ctx, opts) {
		if err != nil {
			return fmt.Errorf("woosync: fetch orders: %w", err)
		}
		if page = append(page, o); len(page) == pageSize {
			if err := j.fetchOrderPage(mode, page); err != nil {
				return err
			}
			page = page[:0]
		}
	}
	if err := j.fetchOrderPage(mode, page); err != nil {
		return err
	}
	j.report()
	return nil
}

// fetchOrderPage creates the page's new orders in WooCommerce, maps them and moves the
// watermark past the page.
func (j *job) fetchOrderPage(mode OrderFetch, page []sitoo.Order) error {
	if len(page) == 0 {
		return nil
	}
	var reqs []woocommerce.OrderRequest
	for i := range page {
		o := &page[i]
		if strings.HasPrefix(o.ExternalID, wooExternalPrefix) || o.OrderStateID == sitoo.OrderStateCancelled {
			j.skip(1) // sent from WooCommerce, or never a sale
			continue
		}
		if _, mapped, err := j.mappedID(KindOrder, o.OrderID, false); err != nil {
			return err
		} else if mapped {
			j.skip(1)
			continue
		}
		s2d, err := j.store2door(o)
		if err != nil {
			return err
		}
		if mode == OrdersStore2Door && !s2d {
			j.skip(1)
			continue
		}
		req, err := j.wooOrderFromSitoo(o, s2d)
		if err != nil {
			return err
		}
		reqs = append(reqs, req)
	}
	if len(reqs) > 0 {
		if err := j.store.SetTimestamp(j.ctx, TimestampOrdersPending, j.clock()); err != nil {
			return err
		}
		res, err := j.woo.Orders.Batch(j.ctx, &woocommerce.Batch[woocommerce.OrderRequest]{Create: reqs})
		var be *woocommerce.BatchError
		if err != nil && !errors.As(err, &be) {
			return fmt.Errorf("woosync: create WooCommerce orders: %w", err)
		}
		if res != nil {
			for _, wo := range res.Created {
				if err := j.mapFetched(&wo); err != nil {
					return err
				}
				j.done(1)
			}
		}
		if be != nil {
			for _, it := range be.Items {
				if err := j.fail(KindOrder, 0, "", it); err != nil {
					return err
				}
			}
		}
		if err := j.store.SetTimestamp(j.ctx, TimestampOrdersPending, time.Time{}); err != nil {
			return err
		}
	}
	lastOrder := page[len(page)-1]
	if err := j.store.SetTimestamp(j.ctx, TimestampOrders, lastOrder.OrderDate.Time.UTC()); err != nil {
		return err
	}
	return j.store.SetTimestamp(j.ctx, TimestampOrdersID, time.Unix(lastOrder.OrderID, 0).UTC())
}

// store2door reports whether a Sitoo order has product rows not fully delivered.
func (j *job) store2door(o *sitoo.Order) (bool, error) {
	var ds []sitoo.OrderDelivery
	for d, err := range j.site.OrderDeliveries.All(j.ctx, o.OrderID, nil) {
		if err != nil {
			return false, fmt.Errorf("woosync: fetch orders: %w", err)
		}
		ds = append(ds, d)
	}
	return len(sitoo.Undelivered(o, ds)) > 0, nil
}

// mapFetched records the mapping of a WooCommerce order created from a Sitoo order (read from
// its meta).
func (j *job) mapFetched(wo *woocommerce.Order) error {
	id := sitooOrderMeta(wo)
	if id == 0 {
		return nil
	}
	return j.putMapping(Mapping{Kind: KindOrder, WooID: wo.ID, SitooID: id, Key: strconv.FormatInt(id, 10)})
}

// sitooOrderMeta returns the Sitoo order id in a WooCommerce order's meta, 0 without.
func sitooOrderMeta(wo *woocommerce.Order) int64 {
	for _, m := range wo.MetaData {
		if m.Key != MetaSitooOrderID {
			continue
		}
		var s string
		if json.Unmarshal(m.Value, &s) == nil {
			if id, err := strconv.ParseInt(s, 10, 64); err == nil {
				return id
			}
		}
		var n int64
		if json.Unmarshal(m.Value, &n) == nil {
			return n
		}
	}
	return 0
}

// recoveryMargin widens the recovery scan for clock differences between this process and
// WooCommerce.
const recoveryMargin = 10 * time.Minute

// recoverFetched maps the WooCommerce orders created by a fetch that stopped before mapping
// them: those created since the pending mark that carry a Sitoo order id.
func (j *job) recoverFetched() error {
	since, err := j.store.Timestamp(j.ctx, TimestampOrdersPending)
	if err != nil || since.IsZero() {
		return err
	}
	opts := &woocommerce.OrderListOptions{ListOptions: woocommerce.StableOrder(), IncludeMeta: []string{MetaSitooOrderID}}
	opts.PerPage = pageSize
	opts.After = since.Add(-recoveryMargin)
	for wo, err := range j.woo.Orders.All(j.ctx, opts) {
		if err != nil {
			return fmt.Errorf("woosync: recover fetched orders: %w", err)
		}
		id := sitooOrderMeta(&wo)
		if id == 0 {
			continue
		}
		if _, mapped, err := j.mappedID(KindOrder, id, false); err != nil {
			return err
		} else if !mapped {
			if err := j.mapFetched(&wo); err != nil {
				return err
			}
		}
	}
	return j.store.SetTimestamp(j.ctx, TimestampOrdersPending, time.Time{})
}

// wooOrderFromSitoo builds the WooCommerce order for a Sitoo order. Product rows whose SKU is
// synced become line items of that product or variation; others become fee lines with the
// row's name, so the total stays the same.
func (j *job) wooOrderFromSitoo(o *sitoo.Order, s2d bool) (woocommerce.OrderRequest, error) {
	st := j.set.orderStatus(s2d)
	req := woocommerce.OrderRequest{
		Status: &st,
		Billing: &woocommerce.Address{FirstName: o.NameFirst, LastName: o.NameLast, Company: o.Company, Email: o.Email,
			Phone: o.Phone, Address1: o.InvoiceAddress, Address2: o.InvoiceAddress2, City: o.InvoiceCity,
			State: o.InvoiceState, Postcode: o.InvoiceZip, Country: o.InvoiceCountryID},
		Shipping: &woocommerce.Address{FirstName: o.NameFirst, LastName: o.NameLast, Company: o.Company,
			Address1: o.DeliveryAddress, Address2: o.DeliveryAddress2, City: o.DeliveryCity, State: o.DeliveryState,
			Postcode: o.DeliveryZip, Country: o.DeliveryCountryID},
		MetaData: []woocommerce.MetaData{
			{Key: MetaSitooOrderID, Value: json.RawMessage(strconv.Quote(strconv.FormatInt(o.OrderID, 10)))},
			{Key: MetaCreatedVia, Value: json.RawMessage(strconv.Quote(CreatedViaSitoo))},
		},
	}
	if o.CurrencyCode != "" {
		req.Currency = woocommerce.Ptr(o.CurrencyCode)
	}
	for _, it := range o.OrderItems {
		if it.Quantity <= 0 {
			continue
		}
		total := woocommerce.Money{Decimal: it.MoneyItemTotalNet.Decimal}
		pid, vid, err := j.wooProductOf(it.SKU)
		if err != nil {
			return req, err
		}
		if pid == 0 {
			req.FeeLines = append(req.FeeLines, woocommerce.FeeLineRequest{Name: feeName(&it), Total: &total})
			continue
		}
		req.LineItems = append(req.LineItems, woocommerce.LineItemRequest{ProductID: pid, VariationID: vid,
			Quantity: woocommerce.Ptr(it.Quantity), Subtotal: &total, Total: &total})
	}
	return req, nil
}

func feeName(it *sitoo.OrderItem) string {
	if it.SKU == "" {
		return it.ProductName
	}
	return it.ProductName + " (" + it.SKU + ")"
}

// wooProductOf returns the WooCommerce product and variation synced with a Sitoo SKU (0, 0 when
// none is).
func (j *job) wooProductOf(sku string) (product, variation int64, err error) {
	if sku == "" {
		return 0, 0, nil
	}
	m, err := j.store.MappingByKey(j.ctx, KindVariation, sku)
	if err == nil {
		return m.WooParentID, m.WooID, nil
	} else if !isNoMapping(err) {
		return 0, 0, err
	}
	m, err = j.store.MappingByKey(j.ctx, KindProduct, sku)
	if err == nil {
		return m.WooID, 0, nil
	} else if !isNoMapping(err) {
		return 0, 0, err
	}
	return 0, 0, nil
}
