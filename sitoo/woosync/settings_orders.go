package woosync

import (
	"cmp"
	"slices"
	"strings"

	"github.com/loyalsync/loyalsync/woocommerce"
)

// OrderSettings are the options of the seed's order, click & collect, voucher and autosync
// sections. They are embedded in Settings.
type OrderSettings struct {
	// Autosync runs the scheduler's tasks (the seed's "Autosync Cron"); see Scheduler.
	Autosync bool `json:"autosync"`
	// AutoMatch makes autosync match all products, categories and coupons on every round (not
	// recommended in live mode: heavy).
	AutoMatch bool `json:"auto_match"`
	// AutoFetchStock makes autosync fetch Sitoo stock changes (every 3 minutes).
	AutoFetchStock bool `json:"auto_fetch_stock"`
	// AutoFetchOrders makes autosync fetch Sitoo orders: every order (OrdersAll) or only
	// Store2Door ones (OrdersStore2Door); "" fetches none.
	AutoFetchOrders OrderFetch `json:"auto_fetch_orders"`

	// RegularOrderStatus is the WooCommerce status of a newly fetched regular Sitoo order
	// (default completed). Custom statuses registered in WooCommerce are allowed.
	RegularOrderStatus woocommerce.OrderStatus `json:"regular_order_status"`
	// Store2DoorOrderStatus is the WooCommerce status of a newly fetched Store2Door order (default
	// processing). Custom statuses are allowed; WooCommerce reports show them in their own tab.
	Store2DoorOrderStatus woocommerce.OrderStatus `json:"store2door_order_status"`

	// CACMethodID is the shipping method id (e.g. "local_pickup") that makes a WooCommerce order
	// a Click and Collect one; "" turns click & collect off.
	CACMethodID string `json:"cac_method_id"`
	// CACStatuses are the WooCommerce statuses on which a CAC order is sent to Sitoo.
	CACStatuses []woocommerce.OrderStatus `json:"cac_statuses"`
	// CACOrderClosed creates CAC orders closed in Sitoo instead of open.
	CACOrderClosed bool `json:"cac_order_closed"`

	// SendCoupons sends the coupons applied to synced orders to Sitoo as vouchers (by code).
	SendCoupons bool `json:"send_coupons"`
	// ShippingAsRows sends non-CAC shipping as order rows so the Sitoo total equals WooCommerce's.
	// It takes effect only with a non-virtual warehouse and ForceInstantStock off (the seed's
	// condition).
	ShippingAsRows bool `json:"shipping_as_rows"`
	// PricesIncludeVAT sends every price including VAT (the purchase price never does): order
	// rows, and product and variant prices, to which the rate of the item's WooCommerce tax class
	// (GET /taxes) is added unless WooCommerce prices are entered with tax. Off, rows carry the
	// price before tax and no VAT, and product prices go as entered in WooCommerce.
	PricesIncludeVAT bool `json:"prices_include_vat"`
	// DeliverAfterSync creates an order delivery in Sitoo for all items of an order synced while
	// it is completed in WooCommerce.
	DeliverAfterSync bool `json:"deliver_after_sync"`
}

// OrderFetch selects which Sitoo orders a fetch takes.
type OrderFetch string

// Order fetches.
const (
	// OrdersAll takes every Sitoo order, from the first to the last.
	OrdersAll OrderFetch = "all"
	// OrdersStore2Door takes only orders with items not (fully) delivered.
	OrdersStore2Door OrderFetch = "store2door"
)

// Default WooCommerce statuses of fetched orders.
const (
	DefaultRegularOrderStatus    = woocommerce.OrderCompleted
	DefaultStore2DoorOrderStatus = woocommerce.OrderProcessing
)

func (s *Settings) validateOrders() error {
	switch s.AutoFetchOrders {
	case "", OrdersAll, OrdersStore2Door:
	default:
		return &SettingsError{Field: "AutoFetchOrders", Reason: "unknown order fetch " + string(s.AutoFetchOrders)}
	}
	for _, f := range []struct {
		name string
		st   woocommerce.OrderStatus
	}{{"RegularOrderStatus", s.RegularOrderStatus}, {"Store2DoorOrderStatus", s.Store2DoorOrderStatus}} {
		if f.st == woocommerce.OrderAny || f.st == woocommerce.OrderTrash || strings.ContainsAny(string(f.st), " /?#") {
			return &SettingsError{Field: f.name, Reason: "not an order status: " + string(f.st)}
		}
	}
	if s.CACMethodID != "" && len(s.CACStatuses) == 0 {
		return &SettingsError{Field: "CACStatuses", Reason: "click & collect needs at least one status"}
	}
	if s.CACMethodID != "" && s.WarehouseID == 0 {
		return &SettingsError{Field: "WarehouseID", Reason: "click & collect needs a warehouse"}
	}
	return nil
}

// orderStatus is the WooCommerce status of a newly fetched order.
func (s *Settings) orderStatus(store2door bool) woocommerce.OrderStatus {
	if store2door {
		return cmp.Or(s.Store2DoorOrderStatus, DefaultStore2DoorOrderStatus)
	}
	return cmp.Or(s.RegularOrderStatus, DefaultRegularOrderStatus)
}

// isCAC reports whether a WooCommerce order is a Click and Collect one.
func (s *Settings) isCAC(o *woocommerce.Order) bool {
	if s.CACMethodID == "" {
		return false
	}
	return slices.ContainsFunc(o.ShippingLines, func(l woocommerce.ShippingLine) bool { return l.MethodID == s.CACMethodID })
}

// fifoThroughOrders reports whether WooCommerce stock reaches Sitoo through orders: stock
// changes are sent, to a non-virtual warehouse, without ForceInstantStock.
func (s *Settings) fifoThroughOrders() bool {
	return s.SendStockChanges && s.WarehouseID != 0 && !s.virtual() && !s.ForceInstantStock
}

// shippingRows reports whether non-CAC shipping is sent as order rows.
func (s *Settings) shippingRows() bool {
	return s.ShippingAsRows && s.WarehouseID != 0 && !s.virtual() && !s.ForceInstantStock
}
