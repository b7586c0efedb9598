package sitooconnect

import "net/http"

// This file is the ONE place that holds what the Sitoo CRM SPI v2 sheet marks inferred [I] or
// unknown [U]: the paths, methods and bodies of every operation but Search Customer, the
// bonus-check shape, the redeem item types and the answer to an unknown key type. Correct it
// here when Sitoo's endpoint page or a sandbox POS shows otherwise; the handlers read only
// these tables and the wire types below.

// Operation names a CRM SPI operation.
type Operation string

// CRM SPI v2 operations served.
const (
	OpSearchCustomer Operation = "search_customer" // [C] GET /customers?key_type=&key=
	OpAddCustomer    Operation = "add_customer"    // [C] path; body and answer [U]
	OpGetCustomer    Operation = "get_customer"    // [I]
	OpUpdateCustomer Operation = "update_customer" // [I]
	OpTransactions   Operation = "transactions"    // [I] purchase history
	OpRedeemItems    Operation = "redeem_items"    // [I]
	OpUndoRedeem     Operation = "undo_redeem"     // [I]
)

// Route is one row of the route table: method and path pattern (net/http ServeMux syntax,
// relative to the CRM base URL configured in Sitoo; {id} is the customer_id).
type Route struct {
	Op      Operation
	Method  string
	Pattern string
	// Confirmed is true only where the sheet confirms method and path.
	Confirmed bool
}

// Routes is the route table of the CRM SPI server.
var Routes = []Route{
	{OpSearchCustomer, http.MethodGet, "/customers", true},
	{OpAddCustomer, http.MethodPost, "/customers", true},
	{OpGetCustomer, http.MethodGet, "/customers/{id}", false},
	{OpUpdateCustomer, http.MethodPut, "/customers/{id}", false},
	{OpUpdateCustomer, http.MethodPatch, "/customers/{id}", false},
	{OpTransactions, http.MethodGet, "/customers/{id}/transactions", false},
	{OpRedeemItems, http.MethodPost, "/customers/{id}/redeem", false},
	{OpUndoRedeem, http.MethodPost, "/customers/{id}/undo-redeem", false},
}

// Search key types (SearchKeyType). member_number is confirmed, email, mobile and personal_id
// come from Sitoo's CRM YAML (third party); customer_id is ours.
const (
	KeyMemberNumber = "member_number" // the member number, or the 8-character card code
	KeyEmail        = "email"
	KeyMobile       = "mobile"
	KeyPersonalID   = "personal_id"
	KeyCustomerID   = "customer_id"
)

// UnknownKeyTypeStatus is the answer to a Search Customer with a key type not listed above:
// 200 with [] (nobody found) — the sheet allows 200 [] or 400 [U]; a POS shows "no customer"
// for either.
const UnknownKeyTypeStatus = http.StatusOK

// Redeem item types [I]: an item is a bonus check or a promotion (the order rows carry
// crm-bonuscheckid or crm-promotionid).
const (
	ItemBonusCheck = "bonus_check"
	ItemPromotion  = "promotion"
)

// Customer is the CRM SPI v2 customer object. The fields in the Search Customer example are
// confirmed; personal_id is inferred.
type Customer struct {
	CustomerID           string           `json:"customer_id"`
	MemberNumber         string           `json:"member_number"`
	Email                string           `json:"email"`
	NameFirst            string           `json:"name_first"`
	NameLast             string           `json:"name_last"`
	Mobile               string           `json:"mobile"`
	PersonalID           string           `json:"personal_id,omitempty"` // [I]
	InvoiceAddress       *Address         `json:"invoice_address,omitempty"`
	Gender               string           `json:"gender,omitempty"`
	AcceptsCommunication []string         `json:"accepts_communication"`
	Consents             []string         `json:"consents"`
	AdditionalOptions    []AdditionalOpt  `json:"additional_options"`
	Status               Status           `json:"status"`
	Promotions           []Promotion      `json:"promotions"`
	BonusChecks          []BonusCheckWire `json:"bonus_checks"`
	VoucherPasswords     []string         `json:"voucher_passwords"`
	StoreIDHome          string           `json:"store_id_home,omitempty"`
	Sections             []Section        `json:"sections"`
}

// Address is a customer address.
type Address struct {
	Address   string `json:"address,omitempty"`
	City      string `json:"city,omitempty"`
	Zip       string `json:"zip,omitempty"`
	CountryID string `json:"country_id,omitempty"`
}

// AdditionalOpt is a configurable choice field.
type AdditionalOpt struct {
	ID         string   `json:"id"`
	EnumValues []string `json:"enum_values"`
}

// Status is the badge on the customer card; only "green" is confirmed, "yellow" for a paused
// connection is inferred.
type Status struct {
	Color string `json:"color"`
	Text  string `json:"text"`
}

// Status colours.
const (
	ColorActive = "green"
	ColorPaused = "yellow" // [U]
)

// Promotion is a promotion on the customer card. Its shape is confirmed by the sheet's
// example, but only the cart_percent type is known and nothing says what a CRM promotion is
// worth to the sale; seed 001 defines no promotions (the counter spends points through bonus
// checks, the counter's coupon). The choice: every customer answers "promotions": [] (an
// empty list, never null), and Redeem Items / Undo Redeem answer 404 for an item of type
// ItemPromotion.
type Promotion struct {
	Name          string        `json:"name"`
	PromotionID   string        `json:"promotion_id"`
	PromotionType PromotionType `json:"promotion_type"`
	Redeemed      bool          `json:"redeemed"`
}

// PromotionType is a promotion's kind and value.
type PromotionType struct {
	Type     string `json:"type"`
	ValueInt int    `json:"value_int"`
}

// BonusCheckWire is a bonus check on the customer card. The shape is [U] in v2; these are the
// v1 fields by description (id, display name, description, amount, redeemed flag, redeemed at)
// plus its currency and validity.
type BonusCheckWire struct {
	BonusCheckID string `json:"bonus_check_id"`
	Name         string `json:"name"`
	Description  string `json:"description"`
	Value        string `json:"value"` // money, 2 decimals
	Currency     string `json:"currency"`
	Redeemed     bool   `json:"redeemed"`
	RedeemedAt   *int64 `json:"redeemed_at,omitempty"` // Unix seconds
	ValidTo      int64  `json:"valid_to"`              // Unix seconds
}

// Section is a panel on the customer card: the balance, its value and the tier go here.
type Section struct {
	Title  string         `json:"title"`
	Values []SectionValue `json:"values"`
}

// SectionValue is one line of a section; only type "text" is confirmed.
type SectionValue struct {
	Title string `json:"title"`
	Text  string `json:"text"`
	Type  string `json:"type"`
}

// CustomerInput is the body of Add Customer and Update Customer [U]: the customer's editable
// fields; unknown fields are ignored, absent ones left unchanged on update.
//
// Add Customer needs Email. The sheet leaves the required fields open [U], and a POS may be
// set up to add a customer with only a mobile number or a card, but a member is identified by
// the email address: the webshop matches orders by it, members sign in to their wallet with it
// and a one-time code, points emails go to it, points synchronisation names members by it, and
// it is what makes a retried Add Customer return the same member instead of creating a second.
// Without an email (absent, blank or invalid) the answer is 400 with error_code "bad-request"
// and error_data {"field": "email", "message": ...}, a message staff can act on, and nothing
// is created. Staff change a member's email later with Update Customer.
type CustomerInput struct {
	Email                *string  `json:"email"`
	NameFirst            *string  `json:"name_first"`
	NameLast             *string  `json:"name_last"`
	Mobile               *string  `json:"mobile"`
	PersonalID           *string  `json:"personal_id"`
	InvoiceAddress       *Address `json:"invoice_address"`
	Gender               *string  `json:"gender"`
	AcceptsCommunication []string `json:"accepts_communication"`
	Consents             []string `json:"consents"`
}

// RedeemRequestWire is the body of Redeem Items and Undo Redeem [U].
type RedeemRequestWire struct {
	Items []RedeemItem `json:"items"`
}

// RedeemItem names one bonus check or promotion [U].
type RedeemItem struct {
	Type string `json:"type"` // ItemBonusCheck or ItemPromotion
	ID   string `json:"id"`
}

// RedeemResultWire is the answer of Redeem Items and Undo Redeem [U]: per item whether it is
// (still) redeemed.
type RedeemResultWire struct {
	Items []RedeemItemResult `json:"items"`
}

// RedeemItemResult is the outcome for one item.
type RedeemItemResult struct {
	Type     string `json:"type"`
	ID       string `json:"id"`
	Redeemed bool   `json:"redeemed"`
}

// Transaction is one purchase-history entry [U]: built from the ledger's counter and online
// movements; OrderID and ReceiptID let the POS load a Sitoo order for a historic refund.
type Transaction struct {
	Date    int64  `json:"date"` // Unix seconds
	Channel string `json:"channel"`
	Source  string `json:"source"`
	OrderID string `json:"order_id"`
	Kind    string `json:"kind"`
	Points  int64  `json:"points"`
	Amount  string `json:"amount"`
	Text    string `json:"text"`
}

// ErrorBody is the error answer, in the sibling SPIs' format (CRM v2's is [U]).
type ErrorBody struct {
	RequestID string            `json:"request_id"`
	ErrorCode string            `json:"error_code"`
	ErrorData map[string]string `json:"error_data"`
}
