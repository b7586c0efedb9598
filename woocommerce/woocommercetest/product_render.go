package woocommercetest

import (
	"encoding/json"
	"slices"
	"strconv"
)

type productJSON struct {
	ID                int64             `json:"id"`
	Name              string            `json:"name"`
	Slug              string            `json:"slug"`
	Permalink         string            `json:"permalink"`
	DateCreated       *string           `json:"date_created"`
	DateCreatedGMT    *string           `json:"date_created_gmt"`
	DateModified      *string           `json:"date_modified"`
	DateModifiedGMT   *string           `json:"date_modified_gmt"`
	Type              string            `json:"type"`
	Status            string            `json:"status"`
	Featured          bool              `json:"featured"`
	CatalogVisibility string            `json:"catalog_visibility"`
	Description       string            `json:"description"`
	ShortDescription  string            `json:"short_description"`
	SKU               string            `json:"sku"`
	Price             string            `json:"price"`
	RegularPrice      string            `json:"regular_price"`
	SalePrice         string            `json:"sale_price"`
	DateOnSaleFrom    *string           `json:"date_on_sale_from"`
	DateOnSaleFromGMT *string           `json:"date_on_sale_from_gmt"`
	DateOnSaleTo      *string           `json:"date_on_sale_to"`
	DateOnSaleToGMT   *string           `json:"date_on_sale_to_gmt"`
	OnSale            bool              `json:"on_sale"`
	Purchasable       bool              `json:"purchasable"`
	TotalSales        int64             `json:"total_sales"`
	Virtual           bool              `json:"virtual"`
	Downloadable      bool              `json:"downloadable"`
	Downloads         []any             `json:"downloads"`
	DownloadLimit     int               `json:"download_limit"`
	DownloadExpiry    int               `json:"download_expiry"`
	ExternalURL       string            `json:"external_url"`
	ButtonText        string            `json:"button_text"`
	TaxStatus         string            `json:"tax_status"`
	TaxClass          string            `json:"tax_class"`
	ManageStock       any               `json:"manage_stock"`
	StockQuantity     *int64            `json:"stock_quantity"`
	Backorders        string            `json:"backorders"`
	BackordersAllowed bool              `json:"backorders_allowed"`
	Backordered       bool              `json:"backordered"`
	LowStockAmount    *int64            `json:"low_stock_amount"`
	SoldIndividually  bool              `json:"sold_individually"`
	Weight            string            `json:"weight"`
	Dimensions        dimensions        `json:"dimensions"`
	ShippingRequired  bool              `json:"shipping_required"`
	ShippingTaxable   bool              `json:"shipping_taxable"`
	ShippingClass     string            `json:"shipping_class"`
	ShippingClassID   int64             `json:"shipping_class_id"`
	ReviewsAllowed    bool              `json:"reviews_allowed"`
	AverageRating     string            `json:"average_rating"`
	RatingCount       int               `json:"rating_count"`
	UpsellIDs         []int64           `json:"upsell_ids"`
	CrossSellIDs      []int64           `json:"cross_sell_ids"`
	ParentID          int64             `json:"parent_id"`
	PurchaseNote      string            `json:"purchase_note"`
	Categories        []termRef         `json:"categories"`
	Tags              []termRef         `json:"tags"`
	Brands            []termRef         `json:"brands"` // product_brand terms (WooCommerce 9.6+)
	Images            []json.RawMessage `json:"images"`
	Attributes        []json.RawMessage `json:"attributes"`
	DefaultAttributes []any             `json:"default_attributes"`
	Variations        []int64           `json:"variations"`
	GroupedProducts   []int64           `json:"grouped_products"`
	MenuOrder         int64             `json:"menu_order"`
	PriceHTML         string            `json:"price_html"`
	RelatedIDs        []int64           `json:"related_ids"`
	MetaData          []meta            `json:"meta_data"`
	StockStatus       string            `json:"stock_status"`
	HasOptions        bool              `json:"has_options"`
	PostPassword      string            `json:"post_password"`
	GlobalUniqueID    string            `json:"global_unique_id"`
	Links             links             `json:"_links"`
}

type termRef struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Slug string `json:"slug"`
}

// stockView returns manage_stock (true, false or "parent") and the effective stock quantity.
func (s *Server) stockView(p *product) (any, *int64) {
	if p.manageStock {
		return true, p.stockQty
	}
	if p.variation {
		if parent := s.st.products[p.parentID]; parent != nil && parent.manageStock {
			return "parent", parent.stockQty
		}
	}
	return false, nil
}

func (s *Server) renderProduct(tls bool, p *product) productJSON {
	id := strconv.FormatInt(p.id, 10)
	manage, qty := s.stockView(p)
	price := p.price(s.st)
	j := productJSON{
		ID: p.id, Name: s.productName(p), Slug: p.slug, Permalink: s.homeFor(tls) + "/product/" + p.slug + "/",
		DateCreated: s.localDate(p.created), DateCreatedGMT: gmtDate(p.created),
		DateModified: s.localDate(p.modified), DateModifiedGMT: gmtDate(p.modified),
		Type: p.typ, Status: p.status, Featured: p.featured, CatalogVisibility: p.catalogVisibility,
		Description: p.description, ShortDescription: p.shortDescription, SKU: p.sku, Price: price,
		RegularPrice: p.regularPrice, SalePrice: p.salePrice, OnSale: p.onSale(), Purchasable: price != "" && p.status == "publish",
		TotalSales: p.totalSales, Virtual: p.virtual, Downloadable: p.downloadable, Downloads: []any{},
		DownloadLimit: -1, DownloadExpiry: -1, ExternalURL: p.externalURL, ButtonText: p.buttonText,
		TaxStatus: p.taxStatus, TaxClass: p.taxClass, ManageStock: manage, StockQuantity: qty, Backorders: p.backorders,
		BackordersAllowed: p.backorders != "no", LowStockAmount: p.lowStock, Weight: p.weight, Dimensions: p.dims,
		ShippingRequired: !p.virtual, ShippingTaxable: !p.virtual, ReviewsAllowed: true, AverageRating: "0.00",
		UpsellIDs: []int64{}, CrossSellIDs: []int64{}, ParentID: p.parentID, PurchaseNote: p.purchaseNote,
		Categories: []termRef{}, Tags: []termRef{}, Brands: []termRef{}, Images: slices.Clone(p.images), Attributes: slices.Clone(p.attributes),
		DefaultAttributes: []any{}, Variations: []int64{}, GroupedProducts: []int64{}, MenuOrder: p.menuOrder,
		RelatedIDs: []int64{}, MetaData: metaOut(p.meta), StockStatus: p.stockStatus, GlobalUniqueID: "",
		Links: s.links(tls, "products/"+id, "products"),
	}
	if price != "" {
		j.PriceHTML = `<span class="woocommerce-Price-amount amount"><bdi>` + price + `</bdi></span>`
	}
	if j.Images == nil {
		j.Images = []json.RawMessage{}
	}
	if j.Attributes == nil {
		j.Attributes = []json.RawMessage{}
	}
	for _, cid := range p.categories {
		if cat := s.st.categories[cid]; cat != nil {
			j.Categories = append(j.Categories, termRef{ID: cat.id, Name: cat.name, Slug: cat.slug})
		}
	}
	for _, v := range s.st.variationsOf(p.id) {
		if !p.variation {
			j.Variations = append(j.Variations, v.id)
		}
	}
	j.HasOptions = p.typ == "variable"
	if p.variation {
		j.Links["up"] = []map[string]string{{"href": s.restURL(tls, "products/"+strconv.FormatInt(p.parentID, 10))}}
	}
	return j
}

type variationJSON struct {
	ID                int64             `json:"id"`
	Type              string            `json:"type"`
	DateCreated       *string           `json:"date_created"`
	DateCreatedGMT    *string           `json:"date_created_gmt"`
	DateModified      *string           `json:"date_modified"`
	DateModifiedGMT   *string           `json:"date_modified_gmt"`
	Description       string            `json:"description"`
	Permalink         string            `json:"permalink"`
	SKU               string            `json:"sku"`
	GlobalUniqueID    string            `json:"global_unique_id"`
	Price             string            `json:"price"`
	RegularPrice      string            `json:"regular_price"`
	SalePrice         string            `json:"sale_price"`
	DateOnSaleFrom    *string           `json:"date_on_sale_from"`
	DateOnSaleFromGMT *string           `json:"date_on_sale_from_gmt"`
	DateOnSaleTo      *string           `json:"date_on_sale_to"`
	DateOnSaleToGMT   *string           `json:"date_on_sale_to_gmt"`
	OnSale            bool              `json:"on_sale"`
	Status            string            `json:"status"`
	Purchasable       bool              `json:"purchasable"`
	Virtual           bool              `json:"virtual"`
	Downloadable      bool              `json:"downloadable"`
	Downloads         []any             `json:"downloads"`
	DownloadLimit     int               `json:"download_limit"`
	DownloadExpiry    int               `json:"download_expiry"`
	TaxStatus         string            `json:"tax_status"`
	TaxClass          string            `json:"tax_class"`
	ManageStock       any               `json:"manage_stock"`
	StockQuantity     *int64            `json:"stock_quantity"`
	StockStatus       string            `json:"stock_status"`
	Backorders        string            `json:"backorders"`
	BackordersAllowed bool              `json:"backorders_allowed"`
	Backordered       bool              `json:"backordered"`
	LowStockAmount    *int64            `json:"low_stock_amount"`
	Weight            string            `json:"weight"`
	Dimensions        dimensions        `json:"dimensions"`
	ShippingClass     string            `json:"shipping_class"`
	ShippingClassID   int64             `json:"shipping_class_id"`
	Image             json.RawMessage   `json:"image"`
	Attributes        []json.RawMessage `json:"attributes"`
	MenuOrder         int64             `json:"menu_order"`
	MetaData          []meta            `json:"meta_data"`
	Name              string            `json:"name"`
	ParentID          int64             `json:"parent_id"`
	Links             links             `json:"_links"`
}

func (s *Server) renderVariation(tls bool, v *product) variationJSON {
	manage, qty := s.stockView(v)
	base := "products/" + strconv.FormatInt(v.parentID, 10)
	price := v.price(s.st)
	j := variationJSON{
		ID: v.id, Type: "variation", DateCreated: s.localDate(v.created), DateCreatedGMT: gmtDate(v.created),
		DateModified: s.localDate(v.modified), DateModifiedGMT: gmtDate(v.modified), Description: v.description,
		Permalink: s.homeFor(tls) + "/?p=" + strconv.FormatInt(v.id, 10), SKU: v.sku, Price: price,
		RegularPrice: v.regularPrice, SalePrice: v.salePrice, OnSale: v.onSale(), Status: v.status,
		Purchasable: price != "", Virtual: v.virtual, Downloadable: v.downloadable, Downloads: []any{},
		DownloadLimit: -1, DownloadExpiry: -1, TaxStatus: v.taxStatus, TaxClass: v.taxClass, ManageStock: manage,
		StockQuantity: qty, StockStatus: v.stockStatus, Backorders: v.backorders, BackordersAllowed: v.backorders != "no",
		LowStockAmount: v.lowStock, Weight: v.weight, Dimensions: v.dims, Image: v.image, Attributes: slices.Clone(v.attributes),
		MenuOrder: v.menuOrder, MetaData: metaOut(v.meta), Name: s.productName(v), ParentID: v.parentID,
		Links: s.links(tls, base+"/variations/"+strconv.FormatInt(v.id, 10), base+"/variations", "up", base),
	}
	if j.Image == nil {
		j.Image = json.RawMessage("null")
	}
	if j.Attributes == nil {
		j.Attributes = []json.RawMessage{}
	}
	return j
}
