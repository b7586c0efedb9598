package woocommerce

import (
	"context"
	"iter"
	"net/http"
	"strconv"
)

// OrderStatus is an order status. WooCommerce and plugins (filter wc_order_statuses) add their
// own, so any string may appear; the constants name the core ones.
type OrderStatus string

// Core order statuses.
const (
	OrderPending       OrderStatus = "pending"
	OrderProcessing    OrderStatus = "processing"
	OrderOnHold        OrderStatus = "on-hold"
	OrderCompleted     OrderStatus = "completed"
	OrderCancelled     OrderStatus = "cancelled"
	OrderRefunded      OrderStatus = "refunded"
	OrderFailed        OrderStatus = "failed"
	OrderTrash         OrderStatus = "trash"
	OrderCheckoutDraft OrderStatus = "checkout-draft" // created by the Cart and Checkout blocks
	OrderAny           OrderStatus = "any"            // list filter only
)

// Order is a WooCommerce order (GET /orders/{id}).
//
// Amounts are Money in the order's Currency. Dates come in pairs: DateX is the site's wall clock
// without a zone, DateXGMT the same instant in UTC; use the GMT one.
type Order struct {
	ID                 int64          `json:"id"`
	ParentID           int64          `json:"parent_id"`
	Number             string         `json:"number"`
	OrderKey           string         `json:"order_key"`
	CreatedVia         string         `json:"created_via"`
	Version            string         `json:"version"`
	Status             OrderStatus    `json:"status"`
	Currency           string         `json:"currency"`
	CurrencySymbol     string         `json:"currency_symbol,omitempty"`
	DateCreated        LocalTime      `json:"date_created"`
	DateCreatedGMT     UTCTime        `json:"date_created_gmt"`
	DateModified       LocalTime      `json:"date_modified"`
	DateModifiedGMT    UTCTime        `json:"date_modified_gmt"`
	DiscountTotal      Money          `json:"discount_total"`
	DiscountTax        Money          `json:"discount_tax"`
	ShippingTotal      Money          `json:"shipping_total"`
	ShippingTax        Money          `json:"shipping_tax"`
	CartTax            Money          `json:"cart_tax"`
	Total              Money          `json:"total"`
	TotalTax           Money          `json:"total_tax"`
	PricesIncludeTax   bool           `json:"prices_include_tax"`
	CustomerID         int64          `json:"customer_id"` // 0 for a guest order
	CustomerIPAddress  string         `json:"customer_ip_address"`
	CustomerUserAgent  string         `json:"customer_user_agent"`
	CustomerNote       string         `json:"customer_note"`
	Billing            Address        `json:"billing"`
	Shipping           Address        `json:"shipping"`
	PaymentMethod      string         `json:"payment_method"`
	PaymentMethodTitle string         `json:"payment_method_title"`
	TransactionID      string         `json:"transaction_id"`
	DatePaid           LocalTime      `json:"date_paid"`
	DatePaidGMT        UTCTime        `json:"date_paid_gmt"`
	DateCompleted      LocalTime      `json:"date_completed"`
	DateCompletedGMT   UTCTime        `json:"date_completed_gmt"`
	CartHash           string         `json:"cart_hash"`
	MetaData           []MetaData     `json:"meta_data"`
	LineItems          []LineItem     `json:"line_items"`
	TaxLines           []TaxLine      `json:"tax_lines"`
	ShippingLines      []ShippingLine `json:"shipping_lines"`
	FeeLines           []FeeLine      `json:"fee_lines"`
	CouponLines        []CouponLine   `json:"coupon_lines"`
	Refunds            []OrderRefund  `json:"refunds"`
	PaymentURL         string         `json:"payment_url,omitempty"`
	IsEditable         bool           `json:"is_editable,omitempty"`
	NeedsPayment       bool           `json:"needs_payment,omitempty"`
	NeedsProcessing    bool           `json:"needs_processing,omitempty"`
}

// LineItem is a product line of an order or a refund.
type LineItem struct {
	ID          int64      `json:"id"`
	Name        string     `json:"name"`
	ProductID   int64      `json:"product_id"`
	VariationID int64      `json:"variation_id"`
	Quantity    int64      `json:"quantity"` // negative in refunds
	TaxClass    string     `json:"tax_class"`
	Subtotal    Money      `json:"subtotal"`
	SubtotalTax Money      `json:"subtotal_tax"`
	Total       Money      `json:"total"`
	TotalTax    Money      `json:"total_tax"`
	Taxes       []ItemTax  `json:"taxes"`
	MetaData    []MetaData `json:"meta_data"`
	SKU         string     `json:"sku"` // "" when the product has none (sent as null or "")
	// Price is total / quantity, sent as a JSON number with any number of decimals.
	Price      Money      `json:"price"`
	Image      *LineImage `json:"image,omitempty"`
	ParentName string     `json:"parent_name,omitempty"`
	// RefundTotal is set on refund line items: the amount refunded for this line.
	RefundTotal *Money `json:"refund_total,omitempty"`
}

// LineImage is the image of a line item (WooCommerce 6.3+).
type LineImage struct {
	ID  FlexInt `json:"id"`
	Src string  `json:"src"`
}

// ItemTax is one tax rate's share of a line, as unformatted decimal strings ("0.9").
type ItemTax struct {
	ID       int64 `json:"id"`
	Total    Money `json:"total"`
	Subtotal Money `json:"subtotal"`
	// RefundTotal is set on refund line items.
	RefundTotal *Money `json:"refund_total,omitempty"`
}

// TaxLine is a tax total of an order.
type TaxLine struct {
	ID               int64      `json:"id"`
	RateCode         string     `json:"rate_code"`
	RateID           FlexInt    `json:"rate_id"` // documented as a string, sent as a number
	Label            string     `json:"label"`
	Compound         bool       `json:"compound"`
	TaxTotal         Money      `json:"tax_total"`
	ShippingTaxTotal Money      `json:"shipping_tax_total"`
	RatePercent      *Money     `json:"rate_percent,omitempty"`
	MetaData         []MetaData `json:"meta_data"`
}

// ShippingLine is a shipping charge of an order.
type ShippingLine struct {
	ID          int64  `json:"id"`
	MethodTitle string `json:"method_title"`
	MethodID    string `json:"method_id"`
	InstanceID  string `json:"instance_id,omitempty"`
	// TaxStatus is "taxable" or "none" (WooCommerce 9.7+).
	TaxStatus string     `json:"tax_status,omitempty"`
	Total     Money      `json:"total"`
	TotalTax  Money      `json:"total_tax"`
	Taxes     []ItemTax  `json:"taxes"`
	MetaData  []MetaData `json:"meta_data"`
}

// FeeLine is a fee of an order.
type FeeLine struct {
	ID        int64      `json:"id"`
	Name      string     `json:"name"`
	TaxClass  string     `json:"tax_class"`
	TaxStatus string     `json:"tax_status"`
	Amount    *Money     `json:"amount,omitempty"`
	Total     Money      `json:"total"`
	TotalTax  Money      `json:"total_tax"`
	Taxes     []ItemTax  `json:"taxes"`
	MetaData  []MetaData `json:"meta_data"`
}

// CouponLine is a coupon applied to an order.
type CouponLine struct {
	ID          int64  `json:"id"`
	Code        string `json:"code"`
	Discount    Money  `json:"discount"`
	DiscountTax Money  `json:"discount_tax"`
	// DiscountType, NominalAmount (a JSON number) and FreeShipping describe the coupon as applied
	// (WooCommerce 8.7+).
	DiscountType  string     `json:"discount_type,omitempty"`
	NominalAmount *Money     `json:"nominal_amount,omitempty"`
	FreeShipping  bool       `json:"free_shipping,omitempty"`
	MetaData      []MetaData `json:"meta_data"`
}

// OrderRefund is the summary of a refund inside an order. Total is negative ("-10.00").
type OrderRefund struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
	Total  Money  `json:"total"`
}

// OrderRequest creates or updates an order. Only the fields that are set are sent, so an update
// changes nothing else.
type OrderRequest struct {
	ParentID           *int64                `json:"parent_id,omitempty"`
	Status             *OrderStatus          `json:"status,omitempty"`
	Currency           *string               `json:"currency,omitempty"`
	CustomerID         *int64                `json:"customer_id,omitempty"`
	CustomerNote       *string               `json:"customer_note,omitempty"`
	Billing            *Address              `json:"billing,omitempty"`
	Shipping           *Address              `json:"shipping,omitempty"`
	PaymentMethod      *string               `json:"payment_method,omitempty"`
	PaymentMethodTitle *string               `json:"payment_method_title,omitempty"`
	TransactionID      *string               `json:"transaction_id,omitempty"`
	MetaData           []MetaData            `json:"meta_data,omitempty"`
	LineItems          []LineItemRequest     `json:"line_items,omitempty"`
	ShippingLines      []ShippingLineRequest `json:"shipping_lines,omitempty"`
	FeeLines           []FeeLineRequest      `json:"fee_lines,omitempty"`
	CouponLines        []CouponLineRequest   `json:"coupon_lines,omitempty"`
	// SetPaid marks the order paid and sets its status to processing (write-only).
	SetPaid *bool `json:"set_paid,omitempty"`
}

// LineItemRequest adds a line (ID 0) or changes an existing one (ID set). A Quantity of 0 removes
// the line.
type LineItemRequest struct {
	ID          int64      `json:"id,omitempty"`
	ProductID   int64      `json:"product_id,omitempty"`
	VariationID int64      `json:"variation_id,omitempty"`
	Quantity    *int64     `json:"quantity,omitempty"`
	SKU         string     `json:"sku,omitempty"`
	Subtotal    *Money     `json:"subtotal,omitempty"`
	Total       *Money     `json:"total,omitempty"`
	TaxClass    *string    `json:"tax_class,omitempty"`
	MetaData    []MetaData `json:"meta_data,omitempty"`
}

// ShippingLineRequest adds or changes a shipping line.
type ShippingLineRequest struct {
	ID          int64      `json:"id,omitempty"`
	MethodID    string     `json:"method_id,omitempty"`
	MethodTitle string     `json:"method_title,omitempty"`
	Total       *Money     `json:"total,omitempty"`
	MetaData    []MetaData `json:"meta_data,omitempty"`
}

// FeeLineRequest adds or changes a fee line.
type FeeLineRequest struct {
	ID        int64      `json:"id,omitempty"`
	Name      string     `json:"name,omitempty"`
	TaxClass  *string    `json:"tax_class,omitempty"`
	TaxStatus string     `json:"tax_status,omitempty"`
	Total     *Money     `json:"total,omitempty"`
	MetaData  []MetaData `json:"meta_data,omitempty"`
}

// CouponLineRequest applies a coupon to an order by code.
type CouponLineRequest struct {
	ID       int64      `json:"id,omitempty"`
	Code     string     `json:"code"`
	MetaData []MetaData `json:"meta_data,omitempty"`
}

// OrderListOptions filters GET /orders.
type OrderListOptions struct {
	ListOptions
	DateFilter
	// Search matches order fields (customer name, email, address, line item names).
	Search  string  `url:"search,omitempty"`
	Include []int64 `url:"include,omitempty,comma"`
	Exclude []int64 `url:"exclude,omitempty,comma"`
	Parent  []int64 `url:"parent,omitempty,comma"`
	// Status limits the statuses; default any (not trash).
	Status   []OrderStatus `url:"status,omitempty,comma"`
	Customer int64         `url:"customer,omitempty"`
	Product  int64         `url:"product,omitempty"`
	// DecimalPoints is "dp", the number of decimals in amounts (default: the store's setting).
	DecimalPoints int `url:"dp,omitempty"`
	// IncludeMeta and ExcludeMeta limit the meta_data keys returned (WooCommerce 8.5+); fewer
	// meta entries make large pages smaller and faster to decode.
	IncludeMeta []string `url:"include_meta,omitempty,comma"`
	ExcludeMeta []string `url:"exclude_meta,omitempty,comma"`
}

// OrdersService manages orders. Create it through NewClient.
type OrdersService service

func orderPath(id int64) string { return "orders/" + strconv.FormatInt(id, 10) }

// List returns one page of orders.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-orders
func (s *OrdersService) List(ctx context.Context, opts *OrderListOptions) ([]Order, *Response, error) {
	return list[Order](ctx, s.client, "list orders", "orders", pagerOrNil(opts))
}

// All iterates over every order matching opts, fetching pages lazily. opts is not modified.
// Pages are fetched by number (offset paging): use StableOrder when the collection may change
// during the walk (see "Walking a changing collection" in the package documentation).
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-orders
func (s *OrdersService) All(ctx context.Context, opts *OrderListOptions) iter.Seq2[Order, error] {
	return all[Order](ctx, s.client, "list orders", "orders", opts, func(x *Order) int64 { return x.ID })
}

// Get returns the order with this id.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-an-order
func (s *OrdersService) Get(ctx context.Context, id int64) (*Order, *Response, error) {
	return get[Order](ctx, s.client, "get order", orderPath(id))
}

// Create creates an order. It is not retried after a network error or a 5xx, because the order
// may have been created even though the response was lost: check with List before trying again.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#create-an-order
func (s *OrdersService) Create(ctx context.Context, req *OrderRequest) (*Order, *Response, error) {
	return write[Order](ctx, s.client, "create order", call{method: http.MethodPost, path: "orders", body: req})
}

// Update changes the fields set in req on the order with this id. Setting the same fields again
// has the same effect, so it is retried like a read; but note that a repeated update that adds
// line items (LineItemRequest without ID) adds them again.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#update-an-order
func (s *OrdersService) Update(ctx context.Context, id int64, req *OrderRequest) (*Order, *Response, error) {
	return write[Order](ctx, s.client, "update order", call{method: http.MethodPut, path: orderPath(id), body: req, retrySafe: retrySafeOrderUpdate(req)})
}

// Delete moves the order to the trash, or deletes it permanently when force is true, and returns
// it as it was. Deleting is idempotent in effect (a repeat finds it gone), so it is retried.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#delete-an-order
func (s *OrdersService) Delete(ctx context.Context, id int64, force bool) (*Order, *Response, error) {
	return del[Order](ctx, s.client, "delete order", orderPath(id), force)
}

// Batch creates, updates and deletes orders, in requests of at most 100 items. Items WooCommerce
// refused are reported in a *BatchError next to the successful ones.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#batch-update-orders
func (s *OrdersService) Batch(ctx context.Context, b *Batch[OrderRequest]) (*BatchResult[Order], error) {
	return runBatch[Order](ctx, s.client, "batch orders", "orders/batch", b)
}

// retrySafeOrderUpdate reports whether repeating the update cannot change more than the first
// attempt: true unless it adds new lines (lines without an ID are appended on every attempt).
func retrySafeOrderUpdate(req *OrderRequest) bool {
	if req == nil {
		return true
	}
	for _, l := range req.LineItems {
		if l.ID == 0 {
			return false
		}
	}
	for _, l := range req.ShippingLines {
		if l.ID == 0 {
			return false
		}
	}
	for _, l := range req.FeeLines {
		if l.ID == 0 {
			return false
		}
	}
	for _, l := range req.CouponLines {
		if l.ID == 0 {
			return false
		}
	}
	return true
}
