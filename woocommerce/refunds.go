package woocommerce

import (
	"context"
	"iter"
	"net/http"
	"net/url"
	"strconv"
)

// Refund is a refund of an order (GET /orders/{id}/refunds/{refund_id}). Amount is positive; the
// summary in Order.Refunds shows the same refund with a negative total.
type Refund struct {
	ID             int64     `json:"id"`
	DateCreated    LocalTime `json:"date_created"`
	DateCreatedGMT UTCTime   `json:"date_created_gmt"`
	Amount         Money     `json:"amount"`
	Reason         string    `json:"reason"`
	// RefundedBy is the id of the user who made the refund (0 when unknown).
	RefundedBy int64 `json:"refunded_by"`
	// RefundedPayment reports whether the payment gateway refunded the money.
	RefundedPayment bool           `json:"refunded_payment"`
	MetaData        []MetaData     `json:"meta_data"`
	LineItems       []LineItem     `json:"line_items"`
	ShippingLines   []ShippingLine `json:"shipping_lines,omitempty"`
	TaxLines        []TaxLine      `json:"tax_lines,omitempty"`
	FeeLines        []FeeLine      `json:"fee_lines,omitempty"`
}

// RefundRequest creates a refund. APIRefund must be chosen explicitly: WooCommerce's default is to
// call the payment gateway (api_refund=true), which moves real money; false only records the
// refund in the store.
type RefundRequest struct {
	Amount *Money `json:"amount,omitempty"`
	Reason string `json:"reason,omitempty"`
	// RefundedBy is the id of the user to record as the refunder.
	RefundedBy int64 `json:"refunded_by,omitempty"`
	// APIRefund asks the payment gateway to refund the money (true) or only records the refund
	// (false). It is always sent.
	APIRefund bool `json:"api_refund"`
	// APIRestock puts refunded line items back into stock (default true on the server).
	APIRestock *bool               `json:"api_restock,omitempty"`
	LineItems  []RefundLineRequest `json:"line_items,omitempty"`
	MetaData   []MetaData          `json:"meta_data,omitempty"`
}

// RefundLineRequest refunds (part of) an order line.
type RefundLineRequest struct {
	// ID is the order line item id.
	ID          int64           `json:"id"`
	Quantity    int64           `json:"quantity,omitempty"`
	RefundTotal *Money          `json:"refund_total,omitempty"`
	RefundTax   []RefundTaxLine `json:"refund_tax,omitempty"`
}

// RefundTaxLine is the tax refunded for one rate of a line.
type RefundTaxLine struct {
	ID          int64 `json:"id"`
	RefundTotal Money `json:"refund_total"`
}

// RefundListOptions filters GET /orders/{id}/refunds.
type RefundListOptions struct {
	ListOptions
	DateFilter
	Search        string  `url:"search,omitempty"`
	Include       []int64 `url:"include,omitempty,comma"`
	Exclude       []int64 `url:"exclude,omitempty,comma"`
	DecimalPoints int     `url:"dp,omitempty"`
}

// RefundsService manages refunds. Create it through NewClient.
type RefundsService service

func refundsPath(orderID int64) string { return orderPath(orderID) + "/refunds" }

// List returns one page of the order's refunds.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-refunds
func (s *RefundsService) List(ctx context.Context, orderID int64, opts *RefundListOptions) ([]Refund, *Response, error) {
	return list[Refund](ctx, s.client, "list refunds", refundsPath(orderID), pagerOrNil(opts))
}

// All iterates over every refund of the order. opts is not modified.
// Pages are fetched by number (offset paging): use StableOrder when the collection may change
// during the walk (see "Walking a changing collection" in the package documentation).
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-refunds
func (s *RefundsService) All(ctx context.Context, orderID int64, opts *RefundListOptions) iter.Seq2[Refund, error] {
	return all[Refund](ctx, s.client, "list refunds", refundsPath(orderID), opts, func(x *Refund) int64 { return x.ID })
}

// Get returns one refund of the order.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-a-refund
func (s *RefundsService) Get(ctx context.Context, orderID, refundID int64) (*Refund, *Response, error) {
	return get[Refund](ctx, s.client, "get refund", refundsPath(orderID)+"/"+strconv.FormatInt(refundID, 10))
}

// Create refunds (part of) the order. It is never retried after a network error or a 5xx: a lost
// response may hide a refund that was made, and with APIRefund a second one would move money
// twice. List the refunds before trying again.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#create-a-refund
func (s *RefundsService) Create(ctx context.Context, orderID int64, req *RefundRequest) (*Refund, *Response, error) {
	return write[Refund](ctx, s.client, "create refund", call{method: http.MethodPost, path: refundsPath(orderID), body: req})
}

// Delete deletes a refund record (force=true is always sent: refunds cannot be trashed). It does
// not return money to the customer's card or take it back.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#delete-a-refund
func (s *RefundsService) Delete(ctx context.Context, orderID, refundID int64) (*Refund, *Response, error) {
	return write[Refund](ctx, s.client, "delete refund", call{
		method: http.MethodDelete, path: refundsPath(orderID) + "/" + strconv.FormatInt(refundID, 10),
		query: url.Values{"force": {"true"}}, retrySafe: true,
	})
}
