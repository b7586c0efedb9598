package woocommerce

import (
	"context"
	"iter"
	"net/http"
	"strconv"
)

// Variation is a variation of a variable product (GET /products/{id}/variations/{variation_id}).
// ManageStock may be StockManagedByParent; Image is nil when the variation has none.
type Variation struct {
	ID                int64           `json:"id"`
	ParentID          int64           `json:"parent_id,omitempty"`
	Name              string          `json:"name,omitempty"`
	Type              ProductType     `json:"type,omitempty"`
	DateCreated       LocalTime       `json:"date_created"`
	DateCreatedGMT    UTCTime         `json:"date_created_gmt"`
	DateModified      LocalTime       `json:"date_modified"`
	DateModifiedGMT   UTCTime         `json:"date_modified_gmt"`
	Description       string          `json:"description"`
	Permalink         string          `json:"permalink"`
	SKU               string          `json:"sku"`
	GlobalUniqueID    string          `json:"global_unique_id,omitempty"`
	Price             NullMoney       `json:"price"`
	RegularPrice      NullMoney       `json:"regular_price"`
	SalePrice         NullMoney       `json:"sale_price"`
	DateOnSaleFrom    LocalTime       `json:"date_on_sale_from"`
	DateOnSaleFromGMT UTCTime         `json:"date_on_sale_from_gmt"`
	DateOnSaleTo      LocalTime       `json:"date_on_sale_to"`
	DateOnSaleToGMT   UTCTime         `json:"date_on_sale_to_gmt"`
	OnSale            bool            `json:"on_sale"`
	Status            ProductStatus   `json:"status"`
	Purchasable       bool            `json:"purchasable"`
	Virtual           bool            `json:"virtual"`
	Downloadable      bool            `json:"downloadable"`
	Downloads         []Download      `json:"downloads"`
	DownloadLimit     int64           `json:"download_limit"`
	DownloadExpiry    int64           `json:"download_expiry"`
	TaxStatus         string          `json:"tax_status"`
	TaxClass          string          `json:"tax_class"`
	ManageStock       ManageStock     `json:"manage_stock"`
	StockQuantity     NullInt         `json:"stock_quantity"`
	StockStatus       StockStatus     `json:"stock_status"`
	Backorders        string          `json:"backorders"`
	BackordersAllowed bool            `json:"backorders_allowed"`
	Backordered       bool            `json:"backordered"`
	LowStockAmount    NullInt         `json:"low_stock_amount"`
	Weight            string          `json:"weight"`
	Dimensions        Dimensions      `json:"dimensions"`
	ShippingClass     string          `json:"shipping_class"`
	ShippingClassID   int64           `json:"shipping_class_id"`
	Image             OptionalImage   `json:"image"`
	Attributes        []VariationAttr `json:"attributes"`
	MenuOrder         int64           `json:"menu_order"`
	MetaData          []MetaData      `json:"meta_data"`
}

// VariationRequest creates or updates a variation. Only the fields that are set are sent.
type VariationRequest struct {
	Description       *string         `json:"description,omitempty"`
	SKU               *string         `json:"sku,omitempty"`
	RegularPrice      *NullMoney      `json:"regular_price,omitempty"`
	SalePrice         *NullMoney      `json:"sale_price,omitempty"`
	DateOnSaleFromGMT *UTCTime        `json:"date_on_sale_from_gmt,omitempty"`
	DateOnSaleToGMT   *UTCTime        `json:"date_on_sale_to_gmt,omitempty"`
	Status            *ProductStatus  `json:"status,omitempty"`
	Virtual           *bool           `json:"virtual,omitempty"`
	Downloadable      *bool           `json:"downloadable,omitempty"`
	TaxStatus         *string         `json:"tax_status,omitempty"`
	TaxClass          *string         `json:"tax_class,omitempty"`
	ManageStock       *ManageStock    `json:"manage_stock,omitempty"`
	StockQuantity     *int64          `json:"stock_quantity,omitempty"`
	StockStatus       *StockStatus    `json:"stock_status,omitempty"`
	Backorders        *string         `json:"backorders,omitempty"`
	LowStockAmount    *NullInt        `json:"low_stock_amount,omitempty"`
	Weight            *string         `json:"weight,omitempty"`
	Dimensions        *Dimensions     `json:"dimensions,omitempty"`
	ShippingClass     *string         `json:"shipping_class,omitempty"`
	Image             *ImageRequest   `json:"image,omitempty"`
	Attributes        []VariationAttr `json:"attributes,omitempty"`
	MenuOrder         *int64          `json:"menu_order,omitempty"`
	MetaData          []MetaData      `json:"meta_data,omitempty"`
}

// VariationListOptions filters GET /products/{id}/variations.
type VariationListOptions struct {
	ListOptions
	DateFilter
	Search      string        `url:"search,omitempty"`
	Include     []int64       `url:"include,omitempty,comma"`
	Exclude     []int64       `url:"exclude,omitempty,comma"`
	SKU         string        `url:"sku,omitempty"`
	Status      ProductStatus `url:"status,omitempty"`
	OnSale      *bool         `url:"on_sale,omitempty"`
	MinPrice    string        `url:"min_price,omitempty"`
	MaxPrice    string        `url:"max_price,omitempty"`
	StockStatus StockStatus   `url:"stock_status,omitempty"`
}

// VariationsService manages product variations. Create it through NewClient.
type VariationsService service

func variationsPath(productID int64) string { return productPath(productID) + "/variations" }

func variationPath(productID, id int64) string {
	return variationsPath(productID) + "/" + strconv.FormatInt(id, 10)
}

// List returns one page of the product's variations.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-product-variations
func (s *VariationsService) List(ctx context.Context, productID int64, opts *VariationListOptions) ([]Variation, *Response, error) {
	return list[Variation](ctx, s.client, "list variations", variationsPath(productID), pagerOrNil(opts))
}

// All iterates over every variation of the product. opts is not modified.
// Pages are fetched by number (offset paging): use StableOrder when the collection may change
// during the walk (see "Walking a changing collection" in the package documentation).
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-product-variations
func (s *VariationsService) All(ctx context.Context, productID int64, opts *VariationListOptions) iter.Seq2[Variation, error] {
	return all[Variation](ctx, s.client, "list variations", variationsPath(productID), opts, func(x *Variation) int64 { return x.ID })
}

// Get returns one variation.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-a-product-variation
func (s *VariationsService) Get(ctx context.Context, productID, id int64) (*Variation, *Response, error) {
	return get[Variation](ctx, s.client, "get variation", variationPath(productID, id))
}

// Create creates a variation. Like Products.Create it is retried only when req has a SKU, which
// WooCommerce keeps unique.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#create-a-product-variation
func (s *VariationsService) Create(ctx context.Context, productID int64, req *VariationRequest) (*Variation, *Response, error) {
	safe := req != nil && req.SKU != nil && *req.SKU != ""
	return write[Variation](ctx, s.client, "create variation", call{method: http.MethodPost, path: variationsPath(productID), body: req, retrySafe: safe})
}

// Update changes the fields set in req. Repeating it has the same effect, so it is retried.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#update-a-product-variation
func (s *VariationsService) Update(ctx context.Context, productID, id int64, req *VariationRequest) (*Variation, *Response, error) {
	return write[Variation](ctx, s.client, "update variation", call{method: http.MethodPut, path: variationPath(productID, id), body: req, retrySafe: true})
}

// Delete deletes the variation (variations cannot be trashed; force is sent when true).
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#delete-a-product-variation
func (s *VariationsService) Delete(ctx context.Context, productID, id int64, force bool) (*Variation, *Response, error) {
	return del[Variation](ctx, s.client, "delete variation", variationPath(productID, id), force)
}

// Batch creates, updates and deletes variations of the product, in requests of at most 100 items.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#batch-update-product-variations
func (s *VariationsService) Batch(ctx context.Context, productID int64, b *Batch[VariationRequest]) (*BatchResult[Variation], error) {
	return runBatch[Variation](ctx, s.client, "batch variations", variationsPath(productID)+"/batch", b)
}
