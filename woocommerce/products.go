package woocommerce

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"strconv"
)

// ProductType is a product's type; plugins add more (subscription, bundle, ...).
type ProductType string

// Core product types.
const (
	ProductSimple    ProductType = "simple"
	ProductGrouped   ProductType = "grouped"
	ProductExternal  ProductType = "external"
	ProductVariable  ProductType = "variable"
	ProductVariation ProductType = "variation" // a variation seen through /products/{id} (webhooks)
)

// ProductStatus is a product's or variation's post status.
type ProductStatus string

// Product statuses.
const (
	ProductDraft   ProductStatus = "draft"
	ProductPending ProductStatus = "pending"
	ProductPrivate ProductStatus = "private"
	ProductPublish ProductStatus = "publish"
)

// UnmarshalJSON accepts a string, and the booleans old WooCommerce versions sent for variations
// (true → publish, false → private).
func (s *ProductStatus) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	switch string(data) {
	case "true":
		*s = ProductPublish
		return nil
	case "false":
		*s = ProductPrivate
		return nil
	case "null":
		return nil
	}
	var str string
	if err := json.Unmarshal(data, &str); err != nil {
		return fmt.Errorf("woocommerce: invalid status %.32q", data)
	}
	*s = ProductStatus(str)
	return nil
}

// StockStatus is a product's stock status.
type StockStatus string

// Stock statuses.
const (
	InStock     StockStatus = "instock"
	OutOfStock  StockStatus = "outofstock"
	OnBackorder StockStatus = "onbackorder"
)

// Product is a WooCommerce product (GET /products/{id}).
//
// Prices are as WooCommerce stores them: Price is the active price, RegularPrice and SalePrice may
// be unset ("" on the wire, Valid == false here).
type Product struct {
	ID                int64         `json:"id"`
	Name              string        `json:"name"`
	Slug              string        `json:"slug"`
	Permalink         string        `json:"permalink"`
	DateCreated       LocalTime     `json:"date_created"`
	DateCreatedGMT    UTCTime       `json:"date_created_gmt"`
	DateModified      LocalTime     `json:"date_modified"`
	DateModifiedGMT   UTCTime       `json:"date_modified_gmt"`
	Type              ProductType   `json:"type"`
	Status            ProductStatus `json:"status"`
	Featured          bool          `json:"featured"`
	CatalogVisibility string        `json:"catalog_visibility"`
	Description       string        `json:"description"`
	ShortDescription  string        `json:"short_description"`
	SKU               string        `json:"sku"`
	GlobalUniqueID    string        `json:"global_unique_id,omitempty"`
	Price             NullMoney     `json:"price"`
	RegularPrice      NullMoney     `json:"regular_price"`
	SalePrice         NullMoney     `json:"sale_price"`
	DateOnSaleFrom    LocalTime     `json:"date_on_sale_from"`
	DateOnSaleFromGMT UTCTime       `json:"date_on_sale_from_gmt"`
	DateOnSaleTo      LocalTime     `json:"date_on_sale_to"`
	DateOnSaleToGMT   UTCTime       `json:"date_on_sale_to_gmt"`
	PriceHTML         string        `json:"price_html"`
	OnSale            bool          `json:"on_sale"`
	Purchasable       bool          `json:"purchasable"`
	TotalSales        FlexInt       `json:"total_sales"`
	Virtual           bool          `json:"virtual"`
	Downloadable      bool          `json:"downloadable"`
	Downloads         []Download    `json:"downloads"`
	DownloadLimit     int64         `json:"download_limit"`  // -1 = unlimited
	DownloadExpiry    int64         `json:"download_expiry"` // days; -1 = never
	ExternalURL       string        `json:"external_url"`
	ButtonText        string        `json:"button_text"`
	TaxStatus         string        `json:"tax_status"`
	TaxClass          string        `json:"tax_class"`
	ManageStock       ManageStock   `json:"manage_stock"`
	StockQuantity     NullInt       `json:"stock_quantity"`
	StockStatus       StockStatus   `json:"stock_status"`
	Backorders        string        `json:"backorders"`
	BackordersAllowed bool          `json:"backorders_allowed"`
	Backordered       bool          `json:"backordered"`
	LowStockAmount    NullInt       `json:"low_stock_amount"`
	SoldIndividually  bool          `json:"sold_individually"`
	Weight            string        `json:"weight"`
	Dimensions        Dimensions    `json:"dimensions"`
	ShippingRequired  bool          `json:"shipping_required"`
	ShippingTaxable   bool          `json:"shipping_taxable"`
	ShippingClass     string        `json:"shipping_class"`
	ShippingClassID   int64         `json:"shipping_class_id"`
	ReviewsAllowed    bool          `json:"reviews_allowed"`
	AverageRating     string        `json:"average_rating"`
	RatingCount       int64         `json:"rating_count"`
	RelatedIDs        []int64       `json:"related_ids"`
	UpsellIDs         []int64       `json:"upsell_ids"`
	CrossSellIDs      []int64       `json:"cross_sell_ids"`
	ParentID          int64         `json:"parent_id"`
	PurchaseNote      string        `json:"purchase_note"`
	Categories        []TermRef     `json:"categories"`
	Tags              []TermRef     `json:"tags"`
	// Brands are the product's brands (WooCommerce 9.6+).
	Brands []TermRef `json:"brands,omitempty"`
	// HasOptions is true when the product must be configured before it is added to the cart
	// (variable products, and products a plugin gives required options).
	HasOptions        bool               `json:"has_options"`
	Images            []Image            `json:"images"`
	Attributes        []ProductAttribute `json:"attributes"`
	DefaultAttributes []VariationAttr    `json:"default_attributes"`
	Variations        []int64            `json:"variations"`
	GroupedProducts   []int64            `json:"grouped_products"`
	MenuOrder         int64              `json:"menu_order"`
	MetaData          []MetaData         `json:"meta_data"`
}

// Download is a downloadable file of a product or variation.
type Download struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	File string `json:"file"`
}

// UnmarshalJSON accepts the id as a string (a hash) or a number (older examples).
func (d *Download) UnmarshalJSON(data []byte) error {
	var w struct {
		ID   json.RawMessage `json:"id"`
		Name string          `json:"name"`
		File string          `json:"file"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	d.Name, d.File, d.ID = w.Name, w.File, ""
	id := bytes.TrimSpace(w.ID)
	if len(id) > 0 && id[0] == '"' {
		return json.Unmarshal(id, &d.ID)
	}
	if len(id) > 0 && string(id) != "null" {
		d.ID = string(id)
	}
	return nil
}

// TermRef is a category or tag as listed on a product.
type TermRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name,omitempty"`
	Slug string `json:"slug,omitempty"`
}

// ProductAttribute is an attribute of a product: a global one (ID > 0) or a custom one (ID 0).
type ProductAttribute struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Slug      string   `json:"slug,omitempty"`
	Position  int64    `json:"position"`
	Visible   bool     `json:"visible"`
	Variation bool     `json:"variation"`
	Options   []string `json:"options"`
}

// VariationAttr is the chosen option of an attribute: on a variation, or a product's default.
type VariationAttr struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	// Slug is the attribute's slug ("pa_size" for a global attribute); read-only.
	Slug   string `json:"slug,omitempty"`
	Option string `json:"option"`
}

// ProductRequest creates or updates a product. Only the fields that are set are sent.
type ProductRequest struct {
	Name              *string            `json:"name,omitempty"`
	Slug              *string            `json:"slug,omitempty"`
	Type              *ProductType       `json:"type,omitempty"`
	Status            *ProductStatus     `json:"status,omitempty"`
	Featured          *bool              `json:"featured,omitempty"`
	CatalogVisibility *string            `json:"catalog_visibility,omitempty"`
	Description       *string            `json:"description,omitempty"`
	ShortDescription  *string            `json:"short_description,omitempty"`
	SKU               *string            `json:"sku,omitempty"`
	RegularPrice      *NullMoney         `json:"regular_price,omitempty"`
	SalePrice         *NullMoney         `json:"sale_price,omitempty"`
	DateOnSaleFromGMT *UTCTime           `json:"date_on_sale_from_gmt,omitempty"`
	DateOnSaleToGMT   *UTCTime           `json:"date_on_sale_to_gmt,omitempty"`
	Virtual           *bool              `json:"virtual,omitempty"`
	Downloadable      *bool              `json:"downloadable,omitempty"`
	ExternalURL       *string            `json:"external_url,omitempty"`
	ButtonText        *string            `json:"button_text,omitempty"`
	TaxStatus         *string            `json:"tax_status,omitempty"`
	TaxClass          *string            `json:"tax_class,omitempty"`
	ManageStock       *ManageStock       `json:"manage_stock,omitempty"`
	StockQuantity     *int64             `json:"stock_quantity,omitempty"`
	StockStatus       *StockStatus       `json:"stock_status,omitempty"`
	Backorders        *string            `json:"backorders,omitempty"`
	LowStockAmount    *NullInt           `json:"low_stock_amount,omitempty"`
	SoldIndividually  *bool              `json:"sold_individually,omitempty"`
	Weight            *string            `json:"weight,omitempty"`
	Dimensions        *Dimensions        `json:"dimensions,omitempty"`
	ShippingClass     *string            `json:"shipping_class,omitempty"`
	ReviewsAllowed    *bool              `json:"reviews_allowed,omitempty"`
	UpsellIDs         []int64            `json:"upsell_ids,omitempty"`
	CrossSellIDs      []int64            `json:"cross_sell_ids,omitempty"`
	ParentID          *int64             `json:"parent_id,omitempty"`
	PurchaseNote      *string            `json:"purchase_note,omitempty"`
	Categories        []TermRef          `json:"categories,omitempty"`
	Tags              []TermRef          `json:"tags,omitempty"`
	Images            []ImageRequest     `json:"images,omitempty"`
	Attributes        []ProductAttribute `json:"attributes,omitempty"`
	DefaultAttributes []VariationAttr    `json:"default_attributes,omitempty"`
	GroupedProducts   []int64            `json:"grouped_products,omitempty"`
	MenuOrder         *int64             `json:"menu_order,omitempty"`
	MetaData          []MetaData         `json:"meta_data,omitempty"`
}

// ProductListOptions filters GET /products.
type ProductListOptions struct {
	ListOptions
	DateFilter
	Search  string  `url:"search,omitempty"`
	Include []int64 `url:"include,omitempty,comma"`
	Exclude []int64 `url:"exclude,omitempty,comma"`
	Parent  []int64 `url:"parent,omitempty,comma"`
	Slug    string  `url:"slug,omitempty"`
	// Status is any (default), draft, pending, private or publish.
	Status ProductStatus `url:"status,omitempty"`
	Type   ProductType   `url:"type,omitempty"`
	// SKU matches exactly; several SKUs may be comma-separated.
	SKU           string      `url:"sku,omitempty"`
	Featured      *bool       `url:"featured,omitempty"`
	Category      string      `url:"category,omitempty"` // category id
	Tag           string      `url:"tag,omitempty"`      // tag id
	ShippingClass string      `url:"shipping_class,omitempty"`
	Attribute     string      `url:"attribute,omitempty"`
	AttributeTerm string      `url:"attribute_term,omitempty"`
	TaxClass      string      `url:"tax_class,omitempty"`
	OnSale        *bool       `url:"on_sale,omitempty"`
	MinPrice      string      `url:"min_price,omitempty"`
	MaxPrice      string      `url:"max_price,omitempty"`
	StockStatus   StockStatus `url:"stock_status,omitempty"`
}

// ProductsService manages products. Create it through NewClient.
type ProductsService service

func productPath(id int64) string { return "products/" + strconv.FormatInt(id, 10) }

// List returns one page of products.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-products
func (s *ProductsService) List(ctx context.Context, opts *ProductListOptions) ([]Product, *Response, error) {
	return list[Product](ctx, s.client, "list products", "products", pagerOrNil(opts))
}

// All iterates over every product matching opts. opts is not modified.
// Pages are fetched by number (offset paging): use StableOrder when the collection may change
// during the walk (see "Walking a changing collection" in the package documentation).
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-products
func (s *ProductsService) All(ctx context.Context, opts *ProductListOptions) iter.Seq2[Product, error] {
	return all[Product](ctx, s.client, "list products", "products", opts, func(x *Product) int64 { return x.ID })
}

// Get returns the product with this id.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-a-product
func (s *ProductsService) Get(ctx context.Context, id int64) (*Product, *Response, error) {
	return get[Product](ctx, s.client, "get product", productPath(id))
}

// Create creates a product. It is retried after a network error or a 5xx only when req has a SKU:
// WooCommerce refuses a second product with the same SKU, so a repeat cannot create a duplicate;
// if the first attempt did create it, the repeat fails with ErrAlreadyExists and the product can
// be found with List and ProductListOptions.SKU. Without a SKU a lost response could create the
// product twice, so it is not retried.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#create-a-product
func (s *ProductsService) Create(ctx context.Context, req *ProductRequest) (*Product, *Response, error) {
	safe := req != nil && req.SKU != nil && *req.SKU != ""
	return write[Product](ctx, s.client, "create product", call{method: http.MethodPost, path: "products", body: req, retrySafe: safe})
}

// Update changes the fields set in req. Repeating it has the same effect, so it is retried.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#update-a-product
func (s *ProductsService) Update(ctx context.Context, id int64, req *ProductRequest) (*Product, *Response, error) {
	return write[Product](ctx, s.client, "update product", call{method: http.MethodPut, path: productPath(id), body: req, retrySafe: true})
}

// Delete trashes the product, or deletes it permanently when force is true.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#delete-a-product
func (s *ProductsService) Delete(ctx context.Context, id int64, force bool) (*Product, *Response, error) {
	return del[Product](ctx, s.client, "delete product", productPath(id), force)
}

// Batch creates, updates and deletes products, in requests of at most 100 items.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#batch-update-products
func (s *ProductsService) Batch(ctx context.Context, b *Batch[ProductRequest]) (*BatchResult[Product], error) {
	return runBatch[Product](ctx, s.client, "batch products", "products/batch", b)
}
