package woocommercetest

import (
	"strconv"

	"github.com/shopspring/decimal"
)

type orderJSON struct {
	ID                 int64             `json:"id"`
	ParentID           int64             `json:"parent_id"`
	Status             string            `json:"status"`
	Currency           string            `json:"currency"`
	Version            string            `json:"version"`
	PricesIncludeTax   bool              `json:"prices_include_tax"`
	DateCreated        *string           `json:"date_created"`
	DateModified       *string           `json:"date_modified"`
	DiscountTotal      string            `json:"discount_total"`
	DiscountTax        string            `json:"discount_tax"`
	ShippingTotal      string            `json:"shipping_total"`
	ShippingTax        string            `json:"shipping_tax"`
	CartTax            string            `json:"cart_tax"`
	Total              string            `json:"total"`
	TotalTax           string            `json:"total_tax"`
	CustomerID         int64             `json:"customer_id"`
	OrderKey           string            `json:"order_key"`
	Billing            billingJSON       `json:"billing"`
	Shipping           address           `json:"shipping"`
	PaymentMethod      string            `json:"payment_method"`
	PaymentMethodTitle string            `json:"payment_method_title"`
	TransactionID      string            `json:"transaction_id"`
	CustomerIPAddress  string            `json:"customer_ip_address"`
	CustomerUserAgent  string            `json:"customer_user_agent"`
	CreatedVia         string            `json:"created_via"`
	CustomerNote       string            `json:"customer_note"`
	DateCompleted      *string           `json:"date_completed"`
	DatePaid           *string           `json:"date_paid"`
	CartHash           string            `json:"cart_hash"`
	Number             string            `json:"number"`
	MetaData           []meta            `json:"meta_data"`
	LineItems          []lineItemJSON    `json:"line_items"`
	TaxLines           []any             `json:"tax_lines"`
	ShippingLines      []shippingJSON    `json:"shipping_lines"`
	FeeLines           []feeJSON         `json:"fee_lines"`
	CouponLines        []couponLineJSON  `json:"coupon_lines"`
	Refunds            []orderRefundJSON `json:"refunds"`
	PaymentURL         string            `json:"payment_url"`
	IsEditable         bool              `json:"is_editable"`
	NeedsPayment       bool              `json:"needs_payment"`
	NeedsProcessing    bool              `json:"needs_processing"`
	DateCreatedGMT     *string           `json:"date_created_gmt"`
	DateModifiedGMT    *string           `json:"date_modified_gmt"`
	DateCompletedGMT   *string           `json:"date_completed_gmt"`
	DatePaidGMT        *string           `json:"date_paid_gmt"`
	CurrencySymbol     string            `json:"currency_symbol"`
	Links              links             `json:"_links"`
}

type lineItemJSON struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	ProductID   int64   `json:"product_id"`
	VariationID int64   `json:"variation_id"`
	Quantity    int64   `json:"quantity"`
	TaxClass    string  `json:"tax_class"`
	Subtotal    string  `json:"subtotal"`
	SubtotalTax string  `json:"subtotal_tax"`
	Total       string  `json:"total"`
	TotalTax    string  `json:"total_tax"`
	Taxes       []any   `json:"taxes"`
	MetaData    []meta  `json:"meta_data"`
	SKU         *string `json:"sku"`
	Price       float64 `json:"price"`
	Image       struct {
		ID  any    `json:"id"`
		Src string `json:"src"`
	} `json:"image"`
	ParentName *string `json:"parent_name"`
}

type shippingJSON struct {
	ID          int64  `json:"id"`
	MethodTitle string `json:"method_title"`
	MethodID    string `json:"method_id"`
	InstanceID  string `json:"instance_id"`
	TaxStatus   string `json:"tax_status"`
	Total       string `json:"total"`
	TotalTax    string `json:"total_tax"`
	Taxes       []any  `json:"taxes"`
	MetaData    []meta `json:"meta_data"`
}

type feeJSON struct {
	ID        int64  `json:"id"`
	Name      string `json:"name"`
	TaxClass  string `json:"tax_class"`
	TaxStatus string `json:"tax_status"`
	Amount    string `json:"amount"`
	Total     string `json:"total"`
	TotalTax  string `json:"total_tax"`
	Taxes     []any  `json:"taxes"`
	MetaData  []meta `json:"meta_data"`
}

type couponLineJSON struct {
	ID            int64   `json:"id"`
	Code          string  `json:"code"`
	Discount      string  `json:"discount"`
	DiscountTax   string  `json:"discount_tax"`
	MetaData      []meta  `json:"meta_data"`
	DiscountType  string  `json:"discount_type"`
	NominalAmount float64 `json:"nominal_amount"`
	FreeShipping  bool    `json:"free_shipping"`
}

type orderRefundJSON struct {
	ID     int64  `json:"id"`
	Reason string `json:"reason"`
	Total  string `json:"total"`
}

func (s *Server) renderOrder(tls bool, o *order, dp int) orderJSON {
	zero := moneyDP(decimal.Zero, dp)
	id := strconv.FormatInt(o.id, 10)
	j := orderJSON{
		ID: o.id, ParentID: o.parentID, Status: o.status, Currency: o.currency, Version: wcVersion,
		DateCreated: s.localDate(o.created), DateModified: s.localDate(o.modified),
		DiscountTotal: moneyDP(o.discountTotal, dp), DiscountTax: zero, ShippingTotal: moneyDP(o.shippingTotal, dp),
		ShippingTax: zero, CartTax: zero, Total: moneyDP(o.total, dp), TotalTax: zero, CustomerID: o.customerID,
		OrderKey: o.orderKey, Billing: billingJSON{address: o.billing, Email: o.billing.Email}, Shipping: o.shipping,
		PaymentMethod: o.paymentMethod, PaymentMethodTitle: o.paymentMethodTitle, TransactionID: o.transactionID,
		CreatedVia: o.createdVia, CustomerNote: o.customerNote, DateCompleted: s.localDate(o.completed),
		DatePaid: s.localDate(o.paid), Number: id, MetaData: metaOut(o.meta),
		LineItems: []lineItemJSON{}, TaxLines: []any{}, ShippingLines: []shippingJSON{}, FeeLines: []feeJSON{},
		CouponLines: []couponLineJSON{}, Refunds: []orderRefundJSON{},
		PaymentURL:      s.homeFor(tls) + "/checkout/order-pay/" + id + "/?pay_for_order=true&key=" + o.orderKey,
		IsEditable:      o.status == "pending" || o.status == "on-hold" || o.status == "checkout-draft",
		NeedsPayment:    o.needsPayment(),
		NeedsProcessing: len(o.lines) > 0,
		DateCreatedGMT:  gmtDate(o.created), DateModifiedGMT: gmtDate(o.modified),
		DateCompletedGMT: gmtDate(o.completed), DatePaidGMT: gmtDate(o.paid),
		CurrencySymbol: currencySymbol(o.currency),
		Links:          s.links(tls, "orders/"+id, "orders"),
	}
	if o.customerID != 0 {
		j.Links["customer"] = []map[string]string{{"href": s.restURL(tls, "customers/"+strconv.FormatInt(o.customerID, 10))}}
	}
	for _, l := range o.lines {
		lj := lineItemJSON{
			ID: l.id, Name: l.name, ProductID: l.productID, VariationID: l.variationID, Quantity: l.qty,
			TaxClass: l.taxClass, Subtotal: moneyDP(l.subtotal, dp), SubtotalTax: zero, Total: moneyDP(l.total, dp),
			TotalTax: zero, Taxes: []any{}, MetaData: metaOut(l.meta),
		}
		if l.qty != 0 {
			lj.Price = l.total.Div(decimal.NewFromInt(l.qty)).InexactFloat64() // a float, as WooCommerce sends it
		}
		if l.sku != "" {
			sku := l.sku
			lj.SKU = &sku
		}
		lj.Image.ID = 0 // a number, as WooCommerce 10 sends it (0 without an image)
		if l.variationID != 0 {
			if p := s.st.products[l.productID]; p != nil {
				name := p.name
				lj.ParentName = &name
			}
		}
		j.LineItems = append(j.LineItems, lj)
	}
	for _, sl := range o.shippingLines {
		j.ShippingLines = append(j.ShippingLines, shippingJSON{ID: sl.id, MethodTitle: sl.methodTitle, MethodID: sl.methodID,
			TaxStatus: "taxable", Total: moneyDP(sl.total, dp), TotalTax: zero, Taxes: []any{}, MetaData: metaOut(sl.meta)})
	}
	for _, fl := range o.feeLines {
		j.FeeLines = append(j.FeeLines, feeJSON{ID: fl.id, Name: fl.name, TaxStatus: "taxable", Amount: fl.total.String(),
			Total: moneyDP(fl.total, dp), TotalTax: zero, Taxes: []any{}, MetaData: metaOut(fl.meta)})
	}
	for _, cl := range o.couponLines {
		// The coupon line's discount as stored, unrounded; its tax "0" (both not formatted with dp).
		j.CouponLines = append(j.CouponLines, couponLineJSON{ID: cl.id, Code: cl.code, Discount: cl.discount.String(),
			DiscountTax: "0", MetaData: []meta{}, DiscountType: cl.discountType, NominalAmount: cl.nominal.InexactFloat64(),
			FreeShipping: cl.freeShipping})
	}
	for i := len(o.refunds) - 1; i >= 0; i-- { // newest first, like get_refunds()
		if r := s.st.refunds[o.refunds[i]]; r != nil {
			j.Refunds = append(j.Refunds, orderRefundJSON{ID: r.id, Reason: r.reason, Total: "-" + moneyDP(r.amount, dp)})
		}
	}
	return j
}

func currencySymbol(code string) string {
	switch code {
	case "USD", "AUD", "CAD", "NZD":
		return "$"
	case "EUR":
		return "€"
	case "GBP":
		return "£"
	case "SEK", "NOK", "DKK":
		return "kr"
	}
	return code
}
