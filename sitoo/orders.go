package sitoo

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// Order is a Sitoo order (a POS receipt, a webshop order, a booking, ...) as read.
type Order struct {
	OrderID       int64  `json:"orderid"` // unique for the account
	EshopID       int64  `json:"eshopid"` // the site
	ExternalID    string `json:"externalid"`
	CreditOrderID *int64 `json:"creditorderid"` // for a refund: the order refunded

	Email      string `json:"email"`
	NameFirst  string `json:"namefirst"`
	NameLast   string `json:"namelast"`
	PersonalID string `json:"personalid"`
	Company    string `json:"company"`
	Phone      string `json:"phone"`

	InvoiceAddress    string `json:"invoice_address"`
	InvoiceAddress2   string `json:"invoice_address2"`
	InvoiceZip        string `json:"invoice_zip"`
	InvoiceCity       string `json:"invoice_city"`
	InvoiceState      string `json:"invoice_state"`
	InvoiceCountryID  string `json:"invoice_countryid"`
	DeliveryAddress   string `json:"delivery_address"`
	DeliveryAddress2  string `json:"delivery_address2"`
	DeliveryZip       string `json:"delivery_zip"`
	DeliveryCity      string `json:"delivery_city"`
	DeliveryState     string `json:"delivery_state"`
	DeliveryCountryID string `json:"delivery_countryid"` // ISO 3166 alpha-2

	Comment         string `json:"comment"`
	CommentInternal string `json:"commentinternal"`
	CustomerRef     string `json:"customerref"`
	CheckoutRef     string `json:"checkoutref"`

	MoneyTotalNet           Money `json:"moneytotal_net"` // items only
	MoneyTotalVAT           Money `json:"moneytotal_vat"`
	MoneyCheckoutNet        Money `json:"moneycheckout_net"`
	MoneyCheckoutVAT        Money `json:"moneycheckout_vat"`
	MoneyTotalGrossCheckout Money `json:"moneytotal_gross_checkout"`
	MoneyDeliveryNet        Money `json:"moneydelivery_net"`
	MoneyDeliveryVAT        Money `json:"moneydelivery_vat"`
	MoneyTotalGrossDelivery Money `json:"moneytotal_gross_delivery"`
	MoneyFinalNet           Money `json:"moneyfinal_net"`
	MoneyFinalVAT           Money `json:"moneyfinal_vat"`
	MoneyFinalSalesTax      Money `json:"moneyfinal_salestax"`
	MoneyTotalGrossRoundoff Money `json:"moneytotal_gross_roundoff"`
	MoneyTotalGrossAll      Money `json:"moneytotal_gross_all"` // grand total, the sum to pay

	CheckoutTypeID   int    `json:"checkouttypeid"`
	CheckoutTypeName string `json:"checkouttypename"`
	DeliveryTypeID   int    `json:"deliverytypeid"`
	DeliveryTypeName string `json:"deliverytypename"`

	OrderDate      UnixTime     `json:"orderdate"`
	OrderStateID   OrderState   `json:"orderstateid"`
	PaymentStateID PaymentState `json:"paymentstateid"`
	OrderTypeID    OrderType    `json:"ordertypeid"`
	UserIDStaff    string       `json:"userid_staff"`
	RegisterID     string       `json:"registerid"` // the POS register, empty for webshop orders
	WarehouseID    *int64       `json:"warehouseid"`
	DateReserved   UnixTime     `json:"datereserved"`
	CurrencyCode   string       `json:"currencycode"`

	AdditionalData   map[string]string `json:"additionaldata"`
	OrderItems       []OrderItem       `json:"orderitems"`
	Payments         []Payment         `json:"payments"`
	ReservedPayments []ReservedPayment `json:"reservedpayments"`
	OrderLogItems    []OrderLogItem    `json:"orderlogitems"`
}

// Well-known keys of Order.AdditionalData. Any other key is allowed, with a string value.
const (
	AdditionalDataPOSReceiptID              = "pos-receiptid"
	AdditionalDataStoreExternalID           = "store-externalid"
	AdditionalDataCRMCustomerID             = "crm-customerid"
	AdditionalDataCRMMemberNumber           = "crm-membernumber"
	AdditionalDataDeliveryPickupWarehouseID = "delivery-pickup-warehouseid"
	AdditionalDataDeliveryPickupExternalID  = "delivery-pickup-externalid"
	AdditionalDataDeliveryIgnoreStock       = "delivery-ignore-stock" // "true": deliveries leave stock alone
	AdditionalDataRefundReasonCode          = "refundreasoncode-reasoncode"
	AdditionalDataRefundReasonComment       = "refundreasoncode-comment"
)

// OrderItem is one row of an order as read.
type OrderItem struct {
	// OrderItemID is the row's id within the order (0, 1, 2, ... in Sitoo's examples); order
	// deliveries refer to it.
	OrderItemID              int64             `json:"orderitemid"`
	OrderItemType            OrderItemType     `json:"orderitemtype"`
	ProductID                int64             `json:"productid"` // may no longer exist
	ProductName              string            `json:"productname"`
	SKU                      string            `json:"sku"`
	ProductAttributes        string            `json:"productattributes"`
	ExternalInput            string            `json:"externalinput"`
	ExternalInputTitle       string            `json:"externalinputtitle"`
	UnitLabel                string            `json:"unitlabel"`
	Quantity                 int64             `json:"quantity"`
	DecimalUnitQuantity      *Decimal          `json:"decimalunitquantity"`
	MoneyNetPricePerUnit     Money             `json:"moneynetpriceperunit"`
	MoneyPriceOrg            Money             `json:"moneypriceorg"`
	VATValue                 Percent           `json:"vatvalue"`
	DeliveryInfo             string            `json:"deliveryinfo"`
	MoneyItemTotalNet        Money             `json:"moneyitemtotal_net"`
	MoneyItemTotalVAT        Money             `json:"moneyitemtotal_vat"`
	VoucherID                int64             `json:"voucherid"`
	VoucherCode              string            `json:"vouchercode"`
	VoucherName              string            `json:"vouchername"`
	VoucherComment           string            `json:"vouchercomment"`
	VoucherValue             Percent           `json:"vouchervalue"`
	MoneyOriginalPrice       Money             `json:"moneyoriginalprice"`
	MoneyDiscountedPrice     Money             `json:"moneydiscountedprice"`
	MoneyDiscount            Money             `json:"moneydiscount"`
	SalesTaxes               []SalesTax        `json:"salestaxes"`
	AdditionalData           map[string]string `json:"additionaldata"`
	DecimalQuantityTotal     Decimal           `json:"decimalquantitytotal"`
	MoneyNetPricePerQuantity Money             `json:"moneynetpriceperquantity"`
}

// SalesTax is a sales tax applied to an order item.
type SalesTax struct {
	Name            string  `json:"name"`
	Code            string  `json:"code"`
	ExternalID      string  `json:"externalid"`
	GroupRegion     string  `json:"groupregion"`
	MoneyTotal      Money   `json:"moneytotal"`
	MoneyTax        Money   `json:"moneytax"`
	DecimalTaxValue Decimal `json:"decimaltaxvalue"`
}

// Payment is a payment of an order.
type Payment struct {
	Name              string            `json:"name"`
	MoneyAmount       Money             `json:"moneyamount"`
	ExternalID        string            `json:"externalid,omitzero"`
	RefType           string            `json:"reftype,omitzero"`
	RefID             string            `json:"refid,omitzero"`
	CardIssuer        string            `json:"cardissuer,omitzero"`
	AdditionalData    map[string]string `json:"additionaldata,omitzero"`
	ReservedPaymentID string            `json:"reservedpaymentid,omitzero"`
}

// ReservedPayment is a reserved (not yet captured) payment of an order.
type ReservedPayment struct {
	ID             string            `json:"id"`
	Name           string            `json:"name"`
	MoneyReserved  Money             `json:"moneyreserved"`
	ExternalID     string            `json:"externalid,omitzero"`
	RefType        string            `json:"reftype,omitzero"`
	RefID          string            `json:"refid,omitzero"`
	CardIssuer     string            `json:"cardissuer,omitzero"`
	AdditionalData map[string]string `json:"additionaldata,omitzero"`
}

// OrderLogItem is an entry of an order's log.
type OrderLogItem struct {
	DateLog        UnixTime     `json:"datelog"`
	OrderID        int64        `json:"orderid"`
	OrderLogTypeID OrderLogType `json:"orderlogtypeid"`
	StrValue       string       `json:"strvalue"`
	FValue         *Percent     `json:"fvalue"`
}

// OrderRequest is the body of an order add or (partial) update. OrderTypeID is required when
// adding. For click & collect (BOPIS) send OrderTypeOrder, PaymentStateSuccessful and the store's
// WarehouseID without delivery address; for ship-from-store add the delivery address.
type OrderRequest struct {
	OrderTypeID *OrderType `json:"ordertypeid,omitempty"`
	// ExternalID is unique for the account: [A-Za-z0-9_-], 1 to 40 characters. Create relies on
	// it to be safe to retry (see OrdersService.Create).
	ExternalID    *string `json:"externalid,omitempty"`
	CreditOrderID *int64  `json:"creditorderid,omitempty"`

	Email      *string `json:"email,omitempty"`
	NameFirst  *string `json:"namefirst,omitempty"`
	NameLast   *string `json:"namelast,omitempty"`
	PersonalID *string `json:"personalid,omitempty"`
	Company    *string `json:"company,omitempty"`
	Phone      *string `json:"phone,omitempty"`

	InvoiceAddress    *string `json:"invoice_address,omitempty"`
	InvoiceAddress2   *string `json:"invoice_address2,omitempty"`
	InvoiceZip        *string `json:"invoice_zip,omitempty"`
	InvoiceCity       *string `json:"invoice_city,omitempty"`
	InvoiceState      *string `json:"invoice_state,omitempty"`
	InvoiceCountryID  *string `json:"invoice_countryid,omitempty"`
	DeliveryAddress   *string `json:"delivery_address,omitempty"`
	DeliveryAddress2  *string `json:"delivery_address2,omitempty"`
	DeliveryZip       *string `json:"delivery_zip,omitempty"`
	DeliveryCity      *string `json:"delivery_city,omitempty"`
	DeliveryState     *string `json:"delivery_state,omitempty"`
	DeliveryCountryID *string `json:"delivery_countryid,omitempty"`

	Comment         *string `json:"comment,omitempty"`
	CommentInternal *string `json:"commentinternal,omitempty"`
	CustomerRef     *string `json:"customerref,omitempty"`
	CheckoutRef     *string `json:"checkoutref,omitempty"`

	// OrderDate defaults to now when adding.
	OrderDate      *UnixTime     `json:"orderdate,omitempty"`
	OrderStateID   *OrderState   `json:"orderstateid,omitempty"`
	PaymentStateID *PaymentState `json:"paymentstateid,omitempty"`
	WarehouseID    *NullID       `json:"warehouseid,omitempty"`
	// DateReserved is how long a stock reservation holds; a pointer to the zero time sends null.
	DateReserved *UnixTime `json:"datereserved,omitempty"`
	CurrencyCode *string   `json:"currencycode,omitempty"` // ISO 4217; default: the account's

	AdditionalData   map[string]string  `json:"additionaldata,omitzero"`
	OrderItems       []OrderItemRequest `json:"orderitems,omitzero"`
	Payments         []Payment          `json:"payments,omitzero"`
	ReservedPayments []ReservedPayment  `json:"reservedpayments,omitzero"`
}

// OrderItemRequest is one row of an order add. ProductName and Quantity are required. A Discount
// row must follow the Product row it belongs to and carries its value in MoneyRowDiscount.
type OrderItemRequest struct {
	OrderItemType       OrderItemType `json:"orderitemtype,omitzero"`
	ProductName         string        `json:"productname"`
	SKU                 string        `json:"sku,omitzero"`
	ProductAttributes   string        `json:"productattributes,omitzero"`
	ExternalInput       string        `json:"externalinput,omitzero"`
	ExternalInputTitle  string        `json:"externalinputtitle,omitzero"`
	UnitLabel           string        `json:"unitlabel,omitzero"`
	Quantity            int64         `json:"quantity"`
	DecimalUnitQuantity *Decimal      `json:"decimalunitquantity,omitempty"`
	MoneyPriceOrg       *Money        `json:"moneypriceorg,omitempty"`
	VATValue            *Percent      `json:"vatvalue,omitempty"`
	DeliveryInfo        string        `json:"deliveryinfo,omitzero"`
	VoucherCode         string        `json:"vouchercode,omitzero"`
	VoucherName         string        `json:"vouchername,omitzero"`
	VoucherComment      string        `json:"vouchercomment,omitzero"`
	VoucherValue        *Percent      `json:"vouchervalue,omitempty"`
	// MoneyRowPrice is the row's total price.
	MoneyRowPrice *Money `json:"moneyrowprice,omitempty"`
	// MoneyRowDiscount is the row's total discount.
	MoneyRowDiscount *Money            `json:"moneyrowdiscount,omitempty"`
	SalesTaxes       []SalesTax        `json:"salestaxes,omitzero"`
	AdditionalData   map[string]string `json:"additionaldata,omitzero"`
}

// OrderListOptions filters an order list. Every documented filter of GET /orders.json is here;
// the list fields are sent comma-separated.
type OrderListOptions struct {
	ListOptions
	// EshopID limits the list to these sites. OrdersService (a site's view) sets it to its site.
	EshopID    []int64  `url:"eshopid,comma,omitempty"`
	ExternalID []string `url:"externalid,comma,omitempty"`
	OrderID    []int64  `url:"orderid,comma,omitempty"`
	// ReceiptID and CreditOrderID override OrderID when set.
	ReceiptID     string `url:"receiptid,omitempty"`
	CreditOrderID int64  `url:"creditorderid,omitempty"`
	// OrderIDFrom is inclusive (>=), OrderIDTo exclusive (<).
	OrderIDFrom   int64          `url:"orderidfrom,omitempty"`
	OrderIDTo     int64          `url:"orderidto,omitempty"`
	OrderDateFrom time.Time      `url:"orderdatefrom,unix,omitempty"`
	OrderDateTo   time.Time      `url:"orderdateto,unix,omitempty"`
	OrderState    []OrderState   `url:"orderstate,comma,omitempty"`
	PaymentState  []PaymentState `url:"paymentstate,comma,omitempty"`
	OrderType     []OrderType    `url:"ordertype,comma,omitempty"`
	WarehouseID   []int64        `url:"warehouseid,comma,omitempty"`
	Email         string         `url:"email,omitempty"`
}

// AccountOrdersService lists orders across every site of the account (GET /orders.json). Get it
// from Client.Orders; to create or change orders use a site's OrdersService.
type AccountOrdersService struct {
	c *Client
}

// List returns one page of orders. Sitoo sorts by -orderid unless opts.Sort says otherwise.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/orders
func (s *AccountOrdersService) List(ctx context.Context, opts *OrderListOptions) ([]Order, *Response, error) {
	items, resp, err := listOne[Order](ctx, s.c, "orders.json", opts)
	return items, resp, wrapErr("list orders", err)
}

// All iterates over every order matching opts. Orders created while iterating shift Sitoo's
// default newest-first order; for a stable walk sort by "orderid" and filter with OrderIDFrom.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/orders
func (s *AccountOrdersService) All(ctx context.Context, opts *OrderListOptions) iter.Seq2[Order, error] {
	return wrapSeq(listAll[Order](ctx, s.c, "orders.json", opts), "list orders")
}

// OrdersService manages the orders of one site. Get it from Site.Orders. Orders cannot be deleted:
// cancel them (Cancel) instead.
type OrdersService service

// Get returns one order with its items, payments and log.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/orders#get-order
func (s *OrdersService) Get(ctx context.Context, orderID int64) (*Order, *Response, error) {
	return getOne[Order](ctx, s.c, fmt.Sprintf("get order %d", orderID), sitePath(s.site, "orders", itoa(orderID)))
}

// List returns one page of the site's orders, through the account-level GET /orders.json with
// eshopid set to the site (the site-level list is deprecated by Sitoo).
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/orders
func (s *OrdersService) List(ctx context.Context, opts *OrderListOptions) ([]Order, *Response, error) {
	return s.c.Orders.List(ctx, s.siteOptions(opts))
}

// All iterates over every order of the site matching opts.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/orders
func (s *OrdersService) All(ctx context.Context, opts *OrderListOptions) iter.Seq2[Order, error] {
	return s.c.Orders.All(ctx, s.siteOptions(opts))
}

func (s *OrdersService) siteOptions(opts *OrderListOptions) *OrderListOptions {
	var o OrderListOptions
	if opts != nil {
		o = *opts
	}
	o.EshopID = []int64{s.site}
	return &o
}

// Create adds an order and returns its id.
//
// An order that has an ExternalID (unique per account in Sitoo) is safe to send again, so Create
// retries it after a network error or a 502/503/504; if the retry is refused because the first
// attempt did create the order, Create looks the order up by ExternalID and returns its id. An
// order without ExternalID is sent once: after a network error you cannot tell whether it exists.
// When the order was found by that lookup, the Response is the lookup's.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/orders#add-order
func (s *OrdersService) Create(ctx context.Context, o *OrderRequest) (int64, *Response, error) {
	if o == nil || o.OrderTypeID == nil {
		return 0, nil, fmt.Errorf("sitoo: create order: %w", invalidArg("ordertypeid is required"))
	}
	for i, it := range o.OrderItems {
		if it.ProductName == "" {
			return 0, nil, fmt.Errorf("sitoo: create order: item %d: %w", i, invalidArg("productname is required"))
		}
	}
	hasExternalID := o.ExternalID != nil && *o.ExternalID != ""
	id, resp, err := s.c.create(ctx, "create order", sitePath(s.site, "orders"), nil, o, hasExternalID)
	if err == nil {
		return id, resp, nil
	}
	var apiErr *APIError
	if hasExternalID && resp != nil && resp.Attempts > 1 && errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusBadRequest {
		// An earlier attempt may have created the order before its response was lost.
		if found, fresp, ferr := s.findByExternalID(ctx, *o.ExternalID); ferr == nil && found != 0 {
			return found, fresp, nil
		}
	}
	return 0, resp, err
}

func (s *OrdersService) findByExternalID(ctx context.Context, externalID string) (int64, *Response, error) {
	items, resp, err := s.List(ctx, &OrderListOptions{
		ListOptions: ListOptions{Num: 1, Fields: []string{"orderid", "externalid"}},
		ExternalID:  []string{externalID},
	})
	if err != nil || len(items) == 0 || items[0].ExternalID != externalID {
		return 0, resp, err
	}
	return items[0].OrderID, resp, nil
}

// Update changes the fields set in o (a partial update).
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/orders#update-order
func (s *OrdersService) Update(ctx context.Context, orderID int64, o *OrderRequest) (*Response, error) {
	return s.c.update(ctx, fmt.Sprintf("update order %d", orderID), sitePath(s.site, "orders", itoa(orderID)), o)
}

// Cancel sets the order's state to Cancelled, Sitoo's replacement for deleting an order.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/orders#update-order
func (s *OrdersService) Cancel(ctx context.Context, orderID int64) (*Response, error) {
	st := OrderStateCancelled
	return s.c.update(ctx, fmt.Sprintf("cancel order %d", orderID), sitePath(s.site, "orders", itoa(orderID)), &OrderRequest{OrderStateID: &st})
}
