package woosync

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// StepSendCACOrders creates in Sitoo every WooCommerce Click and Collect order in one of
// Settings.CACStatuses that is not there yet (the seed's "Send CAC orders to Sitoo").
const StepSendCACOrders Step = "send_cac_orders"

func init() {
	steps[StepSendCACOrders] = stepDef{run: (*job).sendCACOrders}
}

// OrderAction is what SyncOrder did with a WooCommerce order.
type OrderAction string

// Order actions.
const (
	OrderIgnored   OrderAction = "ignored"   // not a CAC order in a chosen status, nor a FIFO stock move
	OrderSent      OrderAction = "sent"      // created in Sitoo (or found there by external id and mapped)
	OrderUnchanged OrderAction = "unchanged" // already in Sitoo in the right state
	OrderRestocked OrderAction = "restocked" // cancelled: the Sitoo order is cancelled and its delivered stock returned
	OrderDelivered OrderAction = "delivered" // completed: an order delivery was created for the items left
)

// SyncOrder applies the order rules to one WooCommerce order; call it on the order.updated
// webhook (or any status change) and the reconcile catches up what a lost webhook missed:
//
//   - Click and Collect (a shipping line with Settings.CACMethodID): sent to Sitoo when its status
//     is one of Settings.CACStatuses, open or closed per Settings.CACOrderClosed, in the warehouse.
//   - FIFO stock through orders (Settings.SendStockChanges to a non-virtual warehouse without
//     ForceInstantStock): a processing or completed order is sent and delivered from the
//     warehouse, which reduces Sitoo stock; a cancelled one is cancelled in Sitoo and what was
//     delivered is moved back in (restock).
//   - Deliver after sync: a completed order in Sitoo gets a delivery of every item left.
//   - With Settings.SendCoupons the coupons applied to any order that is on hold, processing or
//     completed become Sitoo vouchers (by code, once).
//
// The Sitoo order's external id is "woo-" and the WooCommerce order id: an order created just
// before a crash or a lost response is found by it, never created twice. Orders fetched from
// Sitoo are never sent back.
func (s *Syncer) SyncOrder(ctx context.Context, wooOrderID int64) (OrderAction, error) {
	var act OrderAction
	_, err := s.runOne(ctx, "sync order "+strconv.FormatInt(wooOrderID, 10), func(j *job) error {
		o, _, err := j.woo.Orders.Get(j.ctx, wooOrderID)
		if err != nil {
			return fmt.Errorf("woosync: sync order %d: %w", wooOrderID, err)
		}
		act, err = j.syncOrder(o)
		return err
	})
	return act, err
}

// HandleOrder is SyncOrder for an order already read, such as an order.updated webhook's payload.
func (s *Syncer) HandleOrder(ctx context.Context, o *woocommerce.Order) (OrderAction, error) {
	if o == nil {
		return "", fmt.Errorf("woosync: handle order: nil order")
	}
	var act OrderAction
	_, err := s.runOne(ctx, "sync order "+strconv.FormatInt(o.ID, 10), func(j *job) (err error) {
		act, err = j.syncOrder(o)
		return err
	})
	return act, err
}

// handleOrderDelivery applies an order.updated webhook's order with HandleOrder. Like product
// deliveries, it is ignored while not configured, disconnected or paused, and an order Sitoo
// refuses is left in the run log rather than failed back to WooCommerce.
func (s *Syncer) handleOrderDelivery(ctx context.Context, o *woocommerce.Order) error {
	rec, err := s.store.LoadSettings(ctx)
	switch {
	case errors.Is(err, ErrNotConfigured):
		return nil
	case err != nil:
		return err
	case rec.Paused || rec.SealedCredentials == nil:
		return nil
	}
	_, err = s.HandleOrder(ctx, o)
	var apiErr *sitoo.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest {
		return nil // in the run log; sending it again would not help
	}
	return err
}

// sendCACOrders sends every CAC order in a chosen status that has no mapping.
func (j *job) sendCACOrders() error {
	if j.set.CACMethodID == "" {
		return &SettingsError{Field: "CACMethodID", Reason: "click & collect is off"}
	}
	opts := &woocommerce.OrderListOptions{ListOptions: woocommerce.StableOrder(), Status: j.set.CACStatuses}
	opts.PerPage = pageSize
	for o, err := range j.woo.Orders.All(j.ctx, opts) {
		if err != nil {
			return fmt.Errorf("woosync: list WooCommerce orders: %w", err)
		}
		if !j.set.isCAC(&o) {
			continue
		}
		act, err := j.syncOrder(&o)
		if err != nil {
			if err := j.fail(KindOrder, o.ID, "", err); err != nil {
				return err
			}
			continue
		}
		if act == OrderSent {
			j.done(1)
		} else {
			j.skip(1)
		}
	}
	j.report()
	return nil
}

// syncOrder is SyncOrder within a job.
func (j *job) syncOrder(o *woocommerce.Order) (OrderAction, error) {
	if sitooOrderMeta(o) != 0 {
		return OrderIgnored, nil // fetched from Sitoo
	}
	cac := j.set.isCAC(o)
	fifo := !cac && j.set.fifoThroughOrders()
	sitooID, mapped, err := j.mappedID(KindOrder, o.ID, true)
	if err != nil {
		return "", err
	}
	if j.set.SendCoupons && (o.Status == woocommerce.OrderProcessing || o.Status == woocommerce.OrderCompleted || o.Status == woocommerce.OrderOnHold) {
		if err := j.sendCoupons(o); err != nil { // any order's coupons, sent to Sitoo or not
			return "", err
		}
	}
	act := OrderUnchanged
	send := (cac && slices.Contains(j.set.CACStatuses, o.Status)) ||
		(fifo && (o.Status == woocommerce.OrderProcessing || o.Status == woocommerce.OrderCompleted))
	switch {
	case send && !mapped:
		if sitooID, err = j.sendOrder(o, cac); err != nil {
			return "", err
		}
		mapped, act = true, OrderSent
		if fifo {
			if _, err := j.deliverAll(sitooID); err != nil {
				return act, err
			}
		}
	case !mapped:
		return OrderIgnored, nil
	case o.Status == woocommerce.OrderCancelled:
		return j.cancelOrder(o, sitooID, fifo)
	}
	if j.set.DeliverAfterSync && o.Status == woocommerce.OrderCompleted && mapped {
		delivered, err := j.deliverAll(sitooID)
		if err != nil {
			return act, err
		}
		if delivered && act == OrderUnchanged {
			act = OrderDelivered
		}
	}
	return act, nil
}

// externalID is the Sitoo external id of a WooCommerce order.
func externalID(wooID int64) string { return wooExternalPrefix + strconv.FormatInt(wooID, 10) }

// sendOrder finds the order in Sitoo by external id or creates it, and maps it.
func (j *job) sendOrder(o *woocommerce.Order, cac bool) (int64, error) {
	ext := externalID(o.ID)
	found, _, err := j.site.Orders.List(j.ctx, &sitoo.OrderListOptions{
		ListOptions: sitoo.ListOptions{Num: 1, Fields: []string{"orderid", "externalid"}}, ExternalID: []string{ext}})
	if err != nil {
		return 0, fmt.Errorf("woosync: find Sitoo order %s: %w", ext, err)
	}
	var id int64
	if len(found) > 0 && found[0].ExternalID == ext {
		id = found[0].OrderID
	} else if id, _, err = j.site.Orders.Create(j.ctx, j.sitooOrderFromWoo(o, cac)); err != nil {
		return 0, fmt.Errorf("woosync: send order %d: %w", o.ID, err)
	}
	return id, j.putMapping(Mapping{Kind: KindOrder, WooID: o.ID, SitooID: id, Key: ext})
}

// sitooOrderFromWoo builds the Sitoo order: one row per line item, one per fee line (no SKU) and,
// with shipping rows, one per non-CAC shipping line. Row prices are WooCommerce's totals after
// discounts, with VAT added and its rate given when Settings.PricesIncludeVAT, so the Sitoo total
// is WooCommerce's total; without it, rows carry the totals before tax and no VAT.
func (j *job) sitooOrderFromWoo(o *woocommerce.Order, cac bool) *sitoo.OrderRequest {
	ext := externalID(o.ID)
	state := sitoo.OrderStateOpen
	if cac && j.set.CACOrderClosed {
		state = sitoo.OrderStateClosed
	}
	pay := sitoo.PaymentStatePending
	if !o.DatePaidGMT.IsZero() {
		pay = sitoo.PaymentStateSuccessful
	}
	wh := sitoo.NullID(j.set.WarehouseID)
	b := o.Billing
	req := &sitoo.OrderRequest{OrderTypeID: ptr(sitoo.OrderTypeOrder), ExternalID: &ext, OrderStateID: &state, PaymentStateID: &pay,
		Email: &b.Email, NameFirst: &b.FirstName, NameLast: &b.LastName, Company: &b.Company, Phone: &b.Phone,
		InvoiceAddress: &b.Address1, InvoiceAddress2: &b.Address2, InvoiceZip: &b.Postcode, InvoiceCity: &b.City,
		InvoiceCountryID: &b.Country, CurrencyCode: &o.Currency, CustomerRef: ptr("WooCommerce order " + o.Number)}
	if j.set.WarehouseID != 0 {
		req.WarehouseID = &wh
	}
	if cac {
		req.AdditionalData = map[string]string{sitoo.AdditionalDataDeliveryPickupWarehouseID: strconv.FormatInt(j.set.WarehouseID, 10)}
	} else {
		sh := o.Shipping
		req.DeliveryAddress, req.DeliveryAddress2, req.DeliveryZip = &sh.Address1, &sh.Address2, &sh.Postcode
		req.DeliveryCity, req.DeliveryCountryID = &sh.City, &sh.Country
	}
	for _, li := range o.LineItems {
		req.OrderItems = append(req.OrderItems, j.orderRow(li.Name, li.SKU, li.Quantity, li.Total.Decimal, li.TotalTax.Decimal))
	}
	for _, f := range o.FeeLines { // fees (and negative fees, WooCommerce's ad-hoc discounts) are part of the total
		if f.Total.IsZero() && f.TotalTax.IsZero() {
			continue
		}
		req.OrderItems = append(req.OrderItems, j.orderRow(cmp.Or(f.Name, "Fee"), "", 1, f.Total.Decimal, f.TotalTax.Decimal))
	}
	if !cac && j.set.shippingRows() {
		for _, sl := range o.ShippingLines {
			if sl.Total.IsZero() && sl.TotalTax.IsZero() {
				continue
			}
			req.OrderItems = append(req.OrderItems, j.orderRow(cmp.Or(sl.MethodTitle, sl.MethodID), "", 1, sl.Total.Decimal, sl.TotalTax.Decimal))
		}
	}
	return req
}

// orderRow is one Sitoo order row for a total before tax and its tax.
func (j *job) orderRow(name, sku string, qty int64, net, tax decimal.Decimal) sitoo.OrderItemRequest {
	row := sitoo.OrderItemRequest{ProductName: name, SKU: sku, Quantity: qty}
	price := net
	if j.set.PricesIncludeVAT {
		price = net.Add(tax)
		if !net.IsZero() {
			rate := sitoo.Percent{Decimal: tax.Mul(decimal.NewFromInt(100)).Div(net).Round(2)}
			row.VATValue = &rate
		}
	}
	m := sitoo.MoneyFromDecimal(price)
	row.MoneyRowPrice = &m
	return row
}

// deliverAll creates a delivery from the warehouse of every item of the Sitoo order not yet
// delivered; it reports whether there was anything to deliver.
func (j *job) deliverAll(sitooID int64) (bool, error) {
	if j.set.WarehouseID == 0 {
		return false, &SettingsError{Field: "WarehouseID", Reason: "a warehouse is needed to deliver orders"}
	}
	so, _, err := j.site.Orders.Get(j.ctx, sitooID)
	if err != nil {
		return false, fmt.Errorf("woosync: deliver order: %w", err)
	}
	ds, err := j.deliveries(sitooID)
	if err != nil {
		return false, err
	}
	left := sitoo.Undelivered(so, ds)
	if len(left) == 0 {
		return false, nil
	}
	d := &sitoo.OrderDeliveryRequest{WarehouseID: j.set.WarehouseID, OrderDeliveryRef: so.ExternalID}
	for _, it := range so.OrderItems {
		if n := left[it.OrderItemID]; n > 0 {
			d.OrderDeliveryItems = append(d.OrderDeliveryItems, sitoo.OrderDeliveryItem{OrderItemID: it.OrderItemID, Quantity: n})
		}
	}
	if _, _, err := j.site.OrderDeliveries.Create(j.ctx, sitooID, d, nil); err != nil {
		return false, fmt.Errorf("woosync: deliver order %d: %w", sitooID, err)
	}
	return true, nil
}

func (j *job) deliveries(sitooID int64) ([]sitoo.OrderDelivery, error) {
	var ds []sitoo.OrderDelivery
	for d, err := range j.site.OrderDeliveries.All(j.ctx, sitooID, nil) {
		if err != nil {
			return nil, fmt.Errorf("woosync: order deliveries: %w", err)
		}
		ds = append(ds, d)
	}
	return ds, nil
}

// cancelOrder cancels the Sitoo order of a cancelled WooCommerce order; for FIFO stock through
// orders it first moves what was delivered from the warehouse back in. A Sitoo order already
// cancelled is left alone, so a repeated webhook restocks once. The restock carries the external
// id restockID(o.ID), and a KindRestock mark is stored before it is sent: a retry after a crash
// between the restock and the cancel finds the mark, looks for that transaction in Sitoo (only
// then, since it reads the warehouse's move-in transactions) and does not restock twice.
func (j *job) cancelOrder(o *woocommerce.Order, sitooID int64, fifo bool) (OrderAction, error) {
	so, _, err := j.site.Orders.Get(j.ctx, sitooID)
	if err != nil {
		return "", fmt.Errorf("woosync: cancel order %d: %w", o.ID, err)
	}
	if so.OrderStateID == sitoo.OrderStateCancelled {
		return OrderUnchanged, nil
	}
	if fifo {
		ds, err := j.deliveries(sitooID)
		if err != nil {
			return "", err
		}
		qty := map[int64]int64{}
		for _, d := range ds {
			if d.DateCancelled.IsZero() && d.WarehouseID == j.set.WarehouseID {
				for _, it := range d.OrderDeliveryItems {
					qty[it.OrderItemID] += it.Quantity
				}
			}
		}
		tx := sitoo.WarehouseTransactionRequest{WarehouseID: j.set.WarehouseID, TransactionType: sitoo.TransactionTypeMoveIn,
			ExternalID: restockID(o.ID), Description: "Restock: WooCommerce order " + o.Number + " cancelled"}
		for _, it := range so.OrderItems {
			if n := qty[it.OrderItemID]; n > 0 && it.SKU != "" {
				tx.Items = append(tx.Items, sitoo.TransactionItem{SKU: it.SKU, DecimalQuantity: sitoo.DecimalFromInt(n)})
			}
		}
		if len(tx.Items) > 0 {
			if err := j.restockOnce(o.ID, sitooID, tx); err != nil {
				return "", fmt.Errorf("woosync: restock order %d: %w", o.ID, err)
			}
		}
	}
	if _, err := j.site.Orders.Cancel(j.ctx, sitooID); err != nil {
		return "", fmt.Errorf("woosync: cancel order %d: %w", o.ID, err)
	}
	if fifo {
		return OrderRestocked, nil
	}
	return OrderUnchanged, nil
}

// restockID is the external id of the Sitoo transaction restocking a cancelled WooCommerce order.
func restockID(wooID int64) string { return "woo-restock-" + strconv.FormatInt(wooID, 10) }

// restockOnce adds the restock transaction tx unless a previous attempt, marked in the store,
// already added it.
func (j *job) restockOnce(wooID, sitooID int64, tx sitoo.WarehouseTransactionRequest) error {
	_, marked, err := j.mappedID(KindRestock, wooID, true)
	if err != nil {
		return err
	}
	if marked {
		opts := &sitoo.WarehouseTransactionListOptions{WarehouseID: tx.WarehouseID, TransactionType: tx.TransactionType}
		for t, err := range j.site.WarehouseTransactions.All(j.ctx, opts) {
			if err != nil {
				return err
			}
			if t.ExternalID == tx.ExternalID {
				return nil
			}
		}
	} else if err := j.putMapping(Mapping{Kind: KindRestock, WooID: wooID, SitooID: sitooID, Key: tx.ExternalID}); err != nil {
		return err
	}
	_, _, err = j.site.WarehouseTransactions.Add(j.ctx, []sitoo.WarehouseTransactionRequest{tx})
	return err
}

func ptr[T any](v T) *T { return &v }

// stepSyncOrder names the one-step run of SyncOrder in the run log.
const stepSyncOrder Step = "sync_order"

// runOne runs fn as a one-step run named op, with the run log and locking of Run.
func (s *Syncer) runOne(ctx context.Context, op string, fn func(*job) error) (*Report, error) {
	return s.runWith(ctx, op, []Step{stepSyncOrder}, nil, map[Step]stepDef{stepSyncOrder: {run: fn}})
}
