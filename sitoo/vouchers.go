package sitoo

import (
	"context"
	"fmt"
	"iter"
)

// Voucher is a campaign (a discount rule) as read. How the X/Y/Z and M/N values are used depends on
// the VoucherType, whose numbers Sitoo does not document.
type Voucher struct {
	VoucherID       int64       `json:"voucherid"`
	ActivePOS       bool        `json:"activepos"`
	VoucherCode     string      `json:"vouchercode"`
	VoucherPassword string      `json:"voucherpassword"`
	VoucherName     string      `json:"vouchername"`
	VoucherComment  string      `json:"vouchercomment"`
	DateCreated     UnixTime    `json:"datecreated"`
	DateStart       UnixTime    `json:"datestart"` // zero: no start date
	DateEnd         UnixTime    `json:"dateend"`   // zero: no end date
	Tags            []string    `json:"tags"`
	VoucherType     VoucherType `json:"vouchertype"`
	ValueX          *int64      `json:"value_x"`
	ValueY          *int64      `json:"value_y"`
	ValueZ          *int64      `json:"value_z"`
	MoneyM          *Money      `json:"money_m"`
	MoneyN          *Money      `json:"money_n"`
	VoucherName1    string      `json:"vouchername1"`
	VoucherCode1    string      `json:"vouchercode1"`
	VoucherName2    string      `json:"vouchername2"`
	VoucherCode2    string      `json:"vouchercode2"`
	MaxUses         *int64      `json:"maxuses"`
	Priority        int         `json:"priority"` // 1 (highest) to 5
	PriceListTags   []string    `json:"pricelisttags"`
	// VoucherGroupType is implied by the VoucherType.
	VoucherGroupType int                     `json:"vouchergrouptype"`
	VoucherState     int                     `json:"voucherstate"`
	Products         IDList                  `json:"products"`
	ProductOptions   []VoucherProductOption  `json:"productoptions"`
	DiscountOptions  []VoucherDiscountOption `json:"discountoptions"`
}

// VoucherProductOption is one option of a package voucher: Num products of Products must be in
// the cart.
type VoucherProductOption struct {
	Num      int    `json:"num"`
	Products IDList `json:"products"`
}

// VoucherDiscountOption is one discount of a "buy X get discount list" voucher.
type VoucherDiscountOption struct {
	Num             int      `json:"num"`
	Products        IDList   `json:"products"`
	MoneyPrice      *Money   `json:"moneyprice,omitempty"`
	MoneyDiscount   *Money   `json:"moneydiscount,omitempty"`
	DecimalDiscount *Decimal `json:"decimaldiscount,omitempty"`
}

// VoucherRequest is the body of a voucher add or (partial) update. VoucherName and VoucherType are
// required when adding.
type VoucherRequest struct {
	ActivePOS       *bool                   `json:"activepos,omitempty"`
	VoucherCode     *string                 `json:"vouchercode,omitempty"`
	VoucherPassword *string                 `json:"voucherpassword,omitempty"`
	VoucherName     *string                 `json:"vouchername,omitempty"`
	VoucherComment  *string                 `json:"vouchercomment,omitempty"`
	DateStart       *UnixTime               `json:"datestart,omitempty"` // pointer to zero: null
	DateEnd         *UnixTime               `json:"dateend,omitempty"`
	Tags            []string                `json:"tags,omitzero"`
	VoucherType     *VoucherType            `json:"vouchertype,omitempty"`
	ValueX          *int64                  `json:"value_x,omitempty"`
	ValueY          *int64                  `json:"value_y,omitempty"`
	ValueZ          *int64                  `json:"value_z,omitempty"`
	MoneyM          *Money                  `json:"money_m,omitempty"`
	MoneyN          *Money                  `json:"money_n,omitempty"`
	VoucherName1    *string                 `json:"vouchername1,omitempty"`
	VoucherCode1    *string                 `json:"vouchercode1,omitempty"`
	VoucherName2    *string                 `json:"vouchername2,omitempty"`
	VoucherCode2    *string                 `json:"vouchercode2,omitempty"`
	MaxUses         *int64                  `json:"maxuses,omitempty"`
	Priority        *int                    `json:"priority,omitempty"`
	PriceListTags   []string                `json:"pricelisttags,omitzero"`
	Products        IDList                  `json:"products,omitzero"`
	ProductOptions  []VoucherProductOption  `json:"productoptions,omitzero"`
	DiscountOptions []VoucherDiscountOption `json:"discountoptions,omitzero"`
}

// VouchersService manages /sites/{site}/vouchers. Get it from Site.Vouchers.
type VouchersService service

// Get returns one voucher.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/vouchers#get-voucher
func (s *VouchersService) Get(ctx context.Context, voucherID int64) (*Voucher, *Response, error) {
	return getOne[Voucher](ctx, s.c, fmt.Sprintf("get voucher %d", voucherID), sitePath(s.site, "vouchers", itoa(voucherID)))
}

// List returns one page of vouchers.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/vouchers#get-vouchers
func (s *VouchersService) List(ctx context.Context, opts *ListOptions) ([]Voucher, *Response, error) {
	items, resp, err := listOne[Voucher](ctx, s.c, sitePath(s.site, "vouchers"), opts)
	return items, resp, wrapErr("list vouchers", err)
}

// All iterates over every voucher.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/vouchers#get-vouchers
func (s *VouchersService) All(ctx context.Context, opts *ListOptions) iter.Seq2[Voucher, error] {
	return wrapSeq(listAll[Voucher](ctx, s.c, sitePath(s.site, "vouchers"), opts), "list vouchers")
}

// Create adds a voucher and returns its id.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/vouchers
func (s *VouchersService) Create(ctx context.Context, v *VoucherRequest) (int64, *Response, error) {
	if v == nil || v.VoucherName == nil || *v.VoucherName == "" || v.VoucherType == nil {
		return 0, nil, fmt.Errorf("sitoo: create voucher: %w", invalidArg("vouchername and vouchertype are required"))
	}
	if v.Priority != nil && (*v.Priority < 1 || *v.Priority > 5) {
		return 0, nil, fmt.Errorf("sitoo: create voucher: %w", invalidArg("priority %d is not in 1..5", *v.Priority))
	}
	return s.c.create(ctx, "create voucher", sitePath(s.site, "vouchers"), nil, v, false)
}

// Update changes the fields set in v.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/vouchers#update-voucher
func (s *VouchersService) Update(ctx context.Context, voucherID int64, v *VoucherRequest) (*Response, error) {
	return s.c.update(ctx, fmt.Sprintf("update voucher %d", voucherID), sitePath(s.site, "vouchers", itoa(voucherID)), v)
}

// Delete removes a voucher.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/vouchers#delete-voucher
func (s *VouchersService) Delete(ctx context.Context, voucherID int64) (*Response, error) {
	return s.c.remove(ctx, fmt.Sprintf("delete voucher %d", voucherID), sitePath(s.site, "vouchers", itoa(voucherID)))
}
