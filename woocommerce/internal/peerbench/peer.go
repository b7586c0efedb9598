package peerbench

import "encoding/json"

// The types below mirror the field names and Go types of hiscaler/woocommerce-go's entity.Order
// and the entities it embeds, which is what decides the peer's decoding cost.

type peerMeta struct {
	ID    int             `json:"id"`
	Key   string          `json:"key"`
	Value json.RawMessage `json:"value"`
}

type peerAddress struct {
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Company   string `json:"company,omitempty"`
	Address1  string `json:"address_1,omitempty"`
	Address2  string `json:"address_2,omitempty"`
	City      string `json:"city,omitempty"`
	State     string `json:"state,omitempty"`
	Postcode  string `json:"postcode,omitempty"`
	Country   string `json:"country,omitempty"`
	Email     string `json:"email,omitempty"`
	Phone     string `json:"phone,omitempty"`
}

type peerTaxes struct {
	ID               int        `json:"id"`
	RateCode         string     `json:"rate_code"`
	RateID           string     `json:"rate_id"`
	Label            string     `json:"label"`
	Compound         bool       `json:"compound"`
	TaxTotal         float64    `json:"tax_total"`
	ShippingTaxTotal float64    `json:"shipping_tax_total"`
	MetaData         []peerMeta `json:"meta_data"`
}

type peerLineItem struct {
	ID          int         `json:"id"`
	Name        string      `json:"name"`
	ProductID   int         `json:"product_id"`
	VariationID int         `json:"variation_id"`
	Quantity    int         `json:"quantity"`
	TaxClass    string      `json:"tax_class"`
	SubTotal    float64     `json:"subtotal"`
	SubTotalTax float64     `json:"subtotal_tax"`
	Total       float64     `json:"total"`
	TotalTax    float64     `json:"total_tax"`
	Taxes       []peerTaxes `json:"taxes"`
	MetaData    []peerMeta  `json:"meta_data"`
	SKU         string      `json:"sku"`
	Price       float64     `json:"price"`
	ParentName  string      `json:"parent_name"`
}

type peerShippingLine struct {
	ID          int         `json:"id"`
	MethodTitle string      `json:"method_title"`
	MethodID    string      `json:"method_id"`
	Total       float64     `json:"total"`
	TotalTax    float64     `json:"total_tax"`
	Taxes       []peerTaxes `json:"taxes"`
	MetaData    []peerMeta  `json:"meta_data"`
}

type peerFeeLine struct {
	ID        int         `json:"id"`
	Name      string      `json:"name"`
	TaxClass  string      `json:"tax_class"`
	TaxStatus string      `json:"tax_status"`
	Total     float64     `json:"total"`
	TotalTax  float64     `json:"total_tax"`
	Taxes     []peerTaxes `json:"taxes"`
	MetaData  []peerMeta  `json:"meta_data"`
}

type peerCouponLine struct {
	ID          int        `json:"id"`
	Code        string     `json:"code"`
	Discount    float64    `json:"discount"`
	DiscountTax float64    `json:"discount_tax"`
	MetaData    []peerMeta `json:"meta_data"`
}

type peerRefund struct {
	ID     int     `json:"id"`
	Reason string  `json:"reason"`
	Total  float64 `json:"total"`
}

type peerOrder struct {
	ID                 int                `json:"id"`
	ParentID           int                `json:"parent_id"`
	Number             string             `json:"number"`
	OrderKey           string             `json:"order_key"`
	CreatedVia         string             `json:"created_via"`
	Version            string             `json:"version"`
	Status             string             `json:"status"`
	Currency           string             `json:"currency"`
	CurrencySymbol     string             `json:"currency_symbol"`
	DateCreated        string             `json:"date_created"`
	DateCreatedGMT     string             `json:"date_created_gmt"`
	DateModified       string             `json:"date_modified"`
	DateModifiedGMT    string             `json:"date_modified_gmt"`
	DiscountTotal      float64            `json:"discount_total"`
	DiscountTax        float64            `json:"discount_tax"`
	ShippingTotal      float64            `json:"shipping_total"`
	ShippingTax        float64            `json:"shipping_tax"`
	CartTax            float64            `json:"cart_tax"`
	Total              float64            `json:"total"`
	TotalTax           float64            `json:"total_tax"`
	PricesIncludeTax   bool               `json:"prices_include_tax"`
	CustomerID         int                `json:"customer_id"`
	CustomerIPAddress  string             `json:"customer_ip_address"`
	CustomerUserAgent  string             `json:"customer_user_agent"`
	CustomerNote       string             `json:"customer_note"`
	Billing            peerAddress        `json:"billing"`
	Shipping           peerAddress        `json:"shipping"`
	PaymentMethod      string             `json:"payment_method"`
	PaymentMethodTitle string             `json:"payment_method_title"`
	TransactionID      string             `json:"transaction_id"`
	DatePaid           string             `json:"date_paid"`
	DatePaidGMT        string             `json:"date_paid_gmt"`
	DateCompleted      string             `json:"date_completed"`
	DateCompletedGMT   string             `json:"date_completed_gmt"`
	CartHash           string             `json:"cart_hash"`
	MetaData           []peerMeta         `json:"meta_data"`
	LineItems          []peerLineItem     `json:"line_items"`
	TaxLines           []peerTaxes        `json:"tax_lines"`
	ShippingLines      []peerShippingLine `json:"shipping_lines"`
	FeeLines           []peerFeeLine      `json:"fee_lines"`
	CouponLines        []peerCouponLine   `json:"coupon_lines"`
	Refunds            []peerRefund       `json:"refunds"`
	SetPaid            bool               `json:"set_paid"`
}
