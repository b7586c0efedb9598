package sitoo

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"time"
)

// Product is a Sitoo product as read (GET /sites/{site}/products/{id}.json). Stock is not part of
// a product: read it from WarehouseItems.
//
// Only the fields asked for are filled when ListOptions.Fields is set; Sitoo's default field set
// for lists is small (productid, sku, datemodified, active, activepos, vatid, manufacturerid,
// stockcountenable, stockallowbackorder, barcode, moneyprice, moneyfinalprice).
type Product struct {
	ProductID        int64  `json:"productid"` // unique over all sites
	SKU              string `json:"sku"`
	SKUManufacturer  string `json:"skumanufacturer"`
	Title            string `json:"title"`
	DescriptionShort string `json:"descriptionshort"`
	Description      string `json:"description"`
	// MoneyPrice is the price in the "Default" price list. Whether it includes VAT is not documented.
	MoneyPrice      Money  `json:"moneyprice"`
	MoneyPriceOrg   Money  `json:"moneypriceorg"`   // suggested retail price
	MoneyPriceIn    Money  `json:"moneypricein"`    // purchase price, always excluding VAT
	MoneyFinalPrice Money  `json:"moneyfinalprice"` // calculated
	UnitLabel       string `json:"unitlabel"`
	AllowDecimals   bool   `json:"allowdecimals"`
	DeliveryInfo    string `json:"deliveryinfo"`
	// Active is deprecated by Sitoo: false hides the product in the webshop.
	Active bool `json:"active"`
	// ActivePOS false hides the product in the POS.
	ActivePOS         bool             `json:"activepos"`
	VATID             int64            `json:"vatid"` // the product group, which sets the VAT
	VATValue          Percent          `json:"vatvalue"`
	ProductGroupType  ProductGroupType `json:"productgrouptype"`
	DefaultCategoryID *int64           `json:"defaultcategoryid"`
	Categories        IDList           `json:"categories"`
	// ManufacturerID refers to a manufacturer's ExternalCompanyID; nil when unset.
	ManufacturerID      *int64 `json:"manufacturerid"`
	ManufacturerURL     string `json:"manufacturerurl"`
	Custom1             string `json:"custom1"`
	Custom2             string `json:"custom2"`
	Custom3             string `json:"custom3"`
	Custom4             string `json:"custom4"`
	Custom5             string `json:"custom5"`
	StockCountEnable    bool   `json:"stockcountenable"`
	StockAllowBackorder bool   `json:"stockallowbackorder"`
	// VariantParentID is nil for a simple product; for a variant it is the main variant's id, and
	// the main variant refers to itself.
	VariantParentID  *int64                     `json:"variantparentid"`
	Variant          []VariantAttribute         `json:"variant"`
	Barcode          string                     `json:"barcode"`
	BarcodeAliases   []string                   `json:"barcodealiases"`
	Similar          IDList                     `json:"similar"`
	Related          IDList                     `json:"related"`
	Accessories      IDList                     `json:"accessories"`
	CustomAttributes map[string]json.RawMessage `json:"customattributes,omitempty"`
	DateCreated      UnixTime                   `json:"datecreated"`
	DateModified     UnixTime                   `json:"datemodified"`
}

// IsVariant reports whether the product is a variant (including a main variant).
func (p *Product) IsVariant() bool { return p.VariantParentID != nil && *p.VariantParentID != 0 }

// IsMainVariant reports whether the product is the main variant of its group.
func (p *Product) IsMainVariant() bool { return p.IsVariant() && *p.VariantParentID == p.ProductID }

// VariantAttribute is one {name, value} pair of a variant, e.g. Color: Red.
type VariantAttribute struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// ProductRequest is the body of a product add or update. Only the fields you set are sent, so an
// update is partial: Sitoo leaves the other fields as they are.
//
// SKU is required when adding. Sitoo documents the SKU character set as [A-Za-z0-9_+-/] and the
// variant SKU as unique per site.
type ProductRequest struct {
	// ProductID identifies the product in BatchUpdate, where it is required; leave it zero for
	// Create, BatchCreate and Update.
	ProductID        int64   `json:"productid,omitzero"`
	SKU              *string `json:"sku,omitempty"`
	SKUManufacturer  *string `json:"skumanufacturer,omitempty"`
	Title            *string `json:"title,omitempty"`
	DescriptionShort *string `json:"descriptionshort,omitempty"`
	Description      *string `json:"description,omitempty"`
	MoneyPrice       *Money  `json:"moneyprice,omitempty"`
	MoneyPriceOrg    *Money  `json:"moneypriceorg,omitempty"`
	MoneyPriceIn     *Money  `json:"moneypricein,omitempty"`
	UnitLabel        *string `json:"unitlabel,omitempty"`
	AllowDecimals    *bool   `json:"allowdecimals,omitempty"`
	DeliveryInfo     *string `json:"deliveryinfo,omitempty"`
	Active           *bool   `json:"active,omitempty"` // deprecated by Sitoo
	ActivePOS        *bool   `json:"activepos,omitempty"`
	VATID            *int64  `json:"vatid,omitempty"`
	// DefaultCategoryID set to a pointer to 0 is sent as null, which removes the default category.
	DefaultCategoryID *NullID  `json:"defaultcategoryid,omitempty"`
	Categories        IDList   `json:"categories,omitzero"`
	ManufacturerID    *NullID  `json:"manufacturerid,omitempty"`
	ManufacturerURL   *string  `json:"manufacturerurl,omitempty"`
	Custom1           *string  `json:"custom1,omitempty"`
	Custom2           *string  `json:"custom2,omitempty"`
	Custom3           *string  `json:"custom3,omitempty"`
	Custom4           *string  `json:"custom4,omitempty"`
	Custom5           *string  `json:"custom5,omitempty"`
	StockCountEnable  *bool    `json:"stockcountenable,omitempty"`
	Barcode           *string  `json:"barcode,omitempty"`
	BarcodeAliases    []string `json:"barcodealiases,omitzero"`
	Similar           IDList   `json:"similar,omitzero"`
	Related           IDList   `json:"related,omitzero"`
	Accessories       IDList   `json:"accessories,omitzero"`
	// CustomAttributes maps attribute ids to values of the attribute's type.
	CustomAttributes map[string]any `json:"customattributes,omitzero"`
}

// NullID is an id that a request can clear: NullID(0) is sent as null.
type NullID int64

// MarshalJSON encodes 0 as null and any other id as a number.
func (n NullID) MarshalJSON() ([]byte, error) {
	if n == 0 {
		return []byte("null"), nil
	}
	return []byte(itoa(int64(n))), nil
}

// UnmarshalJSON decodes a number, a numeric string or null (0).
func (n *NullID) UnmarshalJSON(data []byte) error {
	v, _, err := decodeInt("NullID", data)
	*n = NullID(v)
	return err
}

// ProductListOptions filters a product list.
type ProductListOptions struct {
	ListOptions
	// DateLastModified returns products modified after this time.
	DateLastModified time.Time `url:"datelastmodified,unix,omitempty"`
	// SKU returns the products with these SKUs.
	SKU []string `url:"sku,comma,omitempty"`
	// ProductID returns the products with these ids.
	ProductID []int64 `url:"productid,comma,omitempty"`
	// IncludeInactive includes products inactive in both POS and webshop (Sitoo's default: false).
	IncludeInactive bool `url:"includeinactive,omitempty"`
}

// ProductsService manages /sites/{site}/products. Get it from Site.Products.
type ProductsService service

// Get returns one product.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/products#get-product
func (s *ProductsService) Get(ctx context.Context, productID int64) (*Product, *Response, error) {
	return getOne[Product](ctx, s.c, fmt.Sprintf("get product %d", productID), sitePath(s.site, "products", itoa(productID)))
}

// List returns one page of products.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/products#get-products
func (s *ProductsService) List(ctx context.Context, opts *ProductListOptions) ([]Product, *Response, error) {
	items, resp, err := listOne[Product](ctx, s.c, sitePath(s.site, "products"), opts)
	return items, resp, wrapErr("list products", err)
}

// All iterates over every product matching opts, fetching pages lazily.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/products#get-products
func (s *ProductsService) All(ctx context.Context, opts *ProductListOptions) iter.Seq2[Product, error] {
	return wrapSeq(listAll[Product](ctx, s.c, sitePath(s.site, "products"), opts), "list products")
}

// Create adds one product and returns its id.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/products
func (s *ProductsService) Create(ctx context.Context, p *ProductRequest) (int64, *Response, error) {
	if p == nil || p.SKU == nil || *p.SKU == "" {
		return 0, nil, wrapErr("create product", invalidArg("SKU is required"))
	}
	return s.c.create(ctx, fmt.Sprintf("create product %q", *p.SKU), sitePath(s.site, "products"), nil, p, false)
}

// BatchCreate adds products, WithBatchSize at a time, and returns one result per product; a
// result's ID is the new product id.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/products
func (s *ProductsService) BatchCreate(ctx context.Context, products []ProductRequest) (BatchResults, *Response, error) {
	for i := range products {
		if products[i].SKU == nil || *products[i].SKU == "" {
			return nil, nil, fmt.Errorf("sitoo: batch create products: item %d: %w", i, invalidArg("SKU is required"))
		}
	}
	return sendBatch(ctx, s.c, "batch create products", http.MethodPost, sitePath(s.site, "products"), products, 0, false)
}

// Update changes the fields set in p, leaving the others as they are (a partial update).
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/products#update-product
func (s *ProductsService) Update(ctx context.Context, productID int64, p *ProductRequest) (*Response, error) {
	return s.c.update(ctx, fmt.Sprintf("update product %d", productID), sitePath(s.site, "products", itoa(productID)), p)
}

// BatchUpdate updates products partially; each request must carry its ProductID.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/products#batch-update-products
func (s *ProductsService) BatchUpdate(ctx context.Context, products []ProductRequest) (BatchResults, *Response, error) {
	for i := range products {
		if products[i].ProductID == 0 {
			return nil, nil, fmt.Errorf("sitoo: batch update products: item %d: %w", i, invalidArg("ProductID is required"))
		}
	}
	return sendBatch(ctx, s.c, "batch update products", http.MethodPut, sitePath(s.site, "products"), products, 0, true)
}

// Delete removes one product.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/products#delete-product
func (s *ProductsService) Delete(ctx context.Context, productID int64) (*Response, error) {
	return s.c.remove(ctx, fmt.Sprintf("delete product %d", productID), sitePath(s.site, "products", itoa(productID)))
}

// BatchDelete removes products by id.
//
// Sitoo API docs: https://developer.sitoo.com/api-reference/products#batch-delete-products
func (s *ProductsService) BatchDelete(ctx context.Context, productIDs []int64) (BatchResults, *Response, error) {
	return sendBatch(ctx, s.c, "batch delete products", http.MethodDelete, sitePath(s.site, "products"), keyed("productid", productIDs), 0, false)
}
