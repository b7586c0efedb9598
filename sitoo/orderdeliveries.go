package sitoo

import (
	"context"
	"fmt"
	"iter"
)

// OrderDelivery is a delivery of (some of) an order's items from a warehouse. In a FIFO warehouse
// a delivery creates a warehouse transaction carrying its id.
type OrderDelivery struct {
	OrderDeliveryID    int64               `json:"orderdeliveryid"`
	OrderID            int64               `json:"orderid"`
	WarehouseID        int64               `json:"warehouseid"`
	OrderDeliveryRef   string              `json:"orderdeliveryref"` // tracking number
	DateDelivery       UnixTime            `json:"datedelivery"`
	DateCancelled      UnixTime            `json:"datecancelled"` // zero unless cancelled
	PluginName         string              `json:"pluginname"`
	OrderDeliveryItems []OrderDeliveryItem `json:"orderdeliveryitems"`
}

// OrderDeliveryItem is the quantity of one order item in a delivery.
type OrderDeliveryItem struct {
	OrderDeliveryItemID int64 `json:"orderdeliveryitemid,omitzero"`
	OrderDeliveryID     int64 `json:"orderdeliveryid,omitzero"`
	OrderItemID         int64 `json:"orderitemid"`
	Quantity            int64 `json:"quantity"`
}

// OrderDeliveryRequest is the body of a delivery add: the warehouse and the items delivered.
type OrderDeliveryRequest struct {
	WarehouseID        int64               `json:"warehouseid"`
	OrderDeliveryRef   string              `json:"orderdeliveryref,omitzero"`
	OrderDeliveryItems []OrderDeliveryItem `json:"orderdeliveryitems"`
}

// OrderDeliveryOptions are the query options of a delivery add.
type OrderDeliveryOptions struct {
	// IgnoreStock creates the delivery without changing stock.
	IgnoreStock bool `url:"ignorestock,omitempty"`
}

// OrderDeliveriesService manages /sites/{site}/orders/{id}/orderdeliveries. Get it from
// Site.OrderDeliveries.
type OrderDeliveriesService service

// List returns one page of an order's deliveries.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/orders#get-order-deliveries
func (s *OrderDeliveriesService) List(ctx context.Context, orderID int64, opts *ListOptions) ([]OrderDelivery, *Response, error) {
	items, resp, err := listOne[OrderDelivery](ctx, s.c, sitePath(s.site, "orders", itoa(orderID), "orderdeliveries"), opts)
	return items, resp, wrapErr(fmt.Sprintf("list deliveries of order %d", orderID), err)
}

// All iterates over every delivery of an order.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/orders#get-order-deliveries
func (s *OrderDeliveriesService) All(ctx context.Context, orderID int64, opts *ListOptions) iter.Seq2[OrderDelivery, error] {
	return wrapSeq(listAll[OrderDelivery](ctx, s.c, sitePath(s.site, "orders", itoa(orderID), "orderdeliveries"), opts),
		fmt.Sprintf("list deliveries of order %d", orderID))
}

// Create adds a delivery to an order and returns its id. It is sent once (not retried after a
// network error), since a repeat would deliver, and move stock, twice.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/orders#add-order-delivery
func (s *OrderDeliveriesService) Create(ctx context.Context, orderID int64, d *OrderDeliveryRequest, opts *OrderDeliveryOptions) (int64, *Response, error) {
	if d == nil || d.WarehouseID == 0 || len(d.OrderDeliveryItems) == 0 {
		return 0, nil, fmt.Errorf("sitoo: create delivery of order %d: %w", orderID, invalidArg("warehouse and items are required"))
	}
	return s.c.create(ctx, fmt.Sprintf("create delivery of order %d", orderID), sitePath(s.site, "orders", itoa(orderID), "orderdeliveries"), opts, d, false)
}

// Undelivered returns, per order item id, the quantity of the order's product rows not yet covered
// by the given deliveries (cancelled deliveries do not count). An order with undelivered items
// is, in the WooCommerce plugin's terms, a "Store2Door" order.
func Undelivered(o *Order, deliveries []OrderDelivery) map[int64]int64 {
	left := make(map[int64]int64, len(o.OrderItems))
	for _, it := range o.OrderItems {
		if it.Quantity > 0 {
			left[it.OrderItemID] += it.Quantity
		}
	}
	for _, d := range deliveries {
		if !d.DateCancelled.IsZero() {
			continue
		}
		for _, it := range d.OrderDeliveryItems {
			if _, ok := left[it.OrderItemID]; ok {
				left[it.OrderItemID] -= it.Quantity
			}
		}
	}
	for id, n := range left {
		if n <= 0 {
			delete(left, id)
		}
	}
	return left
}
