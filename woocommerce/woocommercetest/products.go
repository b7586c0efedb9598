package woocommercetest

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// product is a product or a variation (variation == true, parentID set): like WordPress posts they
// share one id space, and GET /products/{id} answers for both.
type product struct {
	id, parentID      int64
	variation         bool
	name, slug        string
	typ, status       string
	prevStatus        string
	featured          bool
	catalogVisibility string
	description       string
	shortDescription  string
	sku               string
	regularPrice      string
	salePrice         string
	created, modified time.Time
	virtual           bool
	downloadable      bool
	taxStatus         string
	taxClass          string
	manageStock       bool
	stockQty          *int64
	stockStatus       string
	backorders        string
	lowStock          *int64
	weight            string
	dims              dimensions
	categories        []int64
	attributes        []json.RawMessage
	menuOrder         int64
	meta              []meta
	externalURL       string
	buttonText        string
	totalSales        int64
	purchaseNote      string
	image             json.RawMessage // variations: one image or null
	images            []json.RawMessage
}

type dimensions struct {
	Length string `json:"length"`
	Width  string `json:"width"`
	Height string `json:"height"`
}

func (p *product) sortKey() sortKey {
	k := sortKey{id: p.id, created: p.created, modified: p.modified, title: p.name, slug: p.slug}
	k.num, _ = decimalOf(p.regularPrice).Float64()
	return k
}

// price is the active price: the sale price when set, else the regular one; for a variable
// product the lowest variation price.
func (p *product) price(st *state) string {
	if p.typ == "variable" {
		best := ""
		for _, v := range st.variationsOf(p.id) {
			vp := v.price(st)
			if vp != "" && (best == "" || decimalOf(vp).LessThan(decimalOf(best))) {
				best = vp
			}
		}
		return best
	}
	if p.salePrice != "" {
		return p.salePrice
	}
	return p.regularPrice
}

func (p *product) onSale() bool {
	return p.salePrice != "" && p.regularPrice != "" && decimalOf(p.salePrice).LessThan(decimalOf(p.regularPrice))
}

// updateStockStatus derives stock_status from the quantity for a product that manages stock.
func (p *product) updateStockStatus() {
	if !p.manageStock || p.stockQty == nil {
		return
	}
	switch {
	case *p.stockQty > 0:
		p.stockStatus = "instock"
	case p.backorders != "no":
		p.stockStatus = "onbackorder"
	default:
		p.stockStatus = "outofstock"
	}
}

// variationsOf returns a product's variations that are not in the trash, in id order. It reads
// the index by parent, so pricing a variable product costs its variations, not the catalog.
func (st *state) variationsOf(parent int64) []*product {
	var out []*product
	for _, id := range st.variations[parent] {
		if p := st.products[id]; p.status != "trash" {
			out = append(out, p)
		}
	}
	return out
}

// putProduct stores a product or variation and indexes a variation under its parent (a post's
// parent never changes).
func (st *state) putProduct(p *product) {
	if _, ok := st.products[p.id]; !ok && p.variation {
		ids := st.variations[p.parentID]
		if i, found := slices.BinarySearch(ids, p.id); !found {
			st.variations[p.parentID] = slices.Insert(ids, i, p.id)
		}
	}
	st.products[p.id] = p
}

// deleteProduct removes a product or variation for good, with its index entry.
func (st *state) deleteProduct(id int64) {
	p, ok := st.products[id]
	if !ok {
		return
	}
	delete(st.products, id)
	if p.variation {
		ids := st.variations[p.parentID]
		if i, found := slices.BinarySearch(ids, id); found {
			st.variations[p.parentID] = slices.Delete(ids, i, i+1)
		}
	}
}

func (s *Server) productName(p *product) string {
	if !p.variation {
		return p.name
	}
	parent := s.st.products[p.parentID]
	if parent == nil {
		return p.name
	}
	var opts []string
	for _, a := range p.attributes {
		var attr struct {
			Option string `json:"option"`
		}
		if json.Unmarshal(a, &attr) == nil && attr.Option != "" {
			opts = append(opts, attr.Option)
		}
	}
	if len(opts) == 0 {
		return parent.name
	}
	return parent.name + " - " + strings.Join(opts, ", ")
}

// --- input -------------------------------------------------------------------------------------

type productInput struct {
	Name              *string           `json:"name"`
	Slug              *string           `json:"slug"`
	Type              *string           `json:"type"`
	Status            *string           `json:"status"`
	Featured          *bool             `json:"featured"`
	CatalogVisibility *string           `json:"catalog_visibility"`
	Description       *string           `json:"description"`
	ShortDescription  *string           `json:"short_description"`
	SKU               *string           `json:"sku"`
	RegularPrice      *string           `json:"regular_price"`
	SalePrice         *string           `json:"sale_price"`
	Virtual           *bool             `json:"virtual"`
	Downloadable      *bool             `json:"downloadable"`
	TaxStatus         *string           `json:"tax_status"`
	TaxClass          *string           `json:"tax_class"`
	ManageStock       json.RawMessage   `json:"manage_stock"`
	StockQuantity     json.RawMessage   `json:"stock_quantity"`
	StockStatus       *string           `json:"stock_status"`
	Backorders        *string           `json:"backorders"`
	LowStockAmount    json.RawMessage   `json:"low_stock_amount"`
	Weight            *string           `json:"weight"`
	Dimensions        map[string]string `json:"dimensions"`
	Categories        *[]struct {
		ID int64 `json:"id"`
	} `json:"categories"`
	Attributes   *[]json.RawMessage `json:"attributes"`
	MenuOrder    *int64             `json:"menu_order"`
	MetaData     []metaInput        `json:"meta_data"`
	ExternalURL  *string            `json:"external_url"`
	ButtonText   *string            `json:"button_text"`
	PurchaseNote *string            `json:"purchase_note"`
	Image        json.RawMessage    `json:"image"`
	Images       *[]json.RawMessage `json:"images"`
}

func productCommonFields() []field {
	return []field{
		str("description"), str("sku"), str("regular_price"), str("sale_price"), boolean("virtual"), boolean("downloadable"),
		enum("tax_status", "taxable", "shipping", "none"), str("tax_class"),
		integer("stock_quantity").orNull(), enum("stock_status", "instock", "outofstock", "onbackorder"),
		enum("backorders", "no", "notify", "yes"), integer("low_stock_amount").orNull(), str("weight"),
		object("dimensions", str("length"), str("width"), str("height")), integer("menu_order"), metaField(),
	}
}

func productFields() []field {
	return append(productCommonFields(),
		str("name"), str("slug"), enum("type", "simple", "grouped", "external", "variable"),
		enum("status", "draft", "pending", "private", "publish", "future"), boolean("featured"),
		enum("catalog_visibility", "visible", "catalog", "search", "hidden"), str("short_description"),
		boolean("manage_stock"), arrayOf("categories", object("", integer("id"))),
		arrayOf("attributes", field{kind: kObject}), str("external_url").withFormat("uri"), str("button_text"),
		str("purchase_note"), arrayOf("images", field{kind: kObject}),
	)
}

func variationFields() []field {
	return append(productCommonFields(),
		enum("status", "draft", "pending", "private", "publish"),
		field{name: "manage_stock", kind: kMixed}, arrayOf("attributes", field{kind: kObject}), field{name: "image", kind: kObject, nullable: true},
	)
}

func productListSpec(variations bool) listSpec {
	orderby := []string{"date", "id", "include", "title", "slug", "modified", "menu_order"}
	if !variations {
		orderby = append(orderby, "price", "popularity", "rating")
	}
	spec := listSpec{
		orderby: orderby, defOrderby: "date",
		extra: []field{
			str("slug"), enum("status", "any", "future", "trash", "draft", "pending", "private", "publish"),
			str("sku"), boolean("on_sale"), str("min_price"), str("max_price"),
			enum("stock_status", "instock", "outofstock", "onbackorder"),
		},
		idLists: []string{"parent", "parent_exclude"},
	}
	if !variations {
		spec.extra = append(spec.extra, enum("type", "simple", "grouped", "external", "variable"),
			boolean("featured"), str("category"), str("tag"))
	}
	return spec
}

func (s *Server) productHandlers() handlers {
	return handlers{listSpec: productListSpec(false), fields: productFields(),
		list: s.listProducts, create: s.createProduct, get: s.getProduct, update: s.updateProduct, del: s.deleteProduct,
		exists: s.productExists}
}

func (s *Server) variationHandlers() handlers {
	return handlers{listSpec: productListSpec(true), fields: variationFields(),
		list: s.listVariations, create: s.createVariation, get: s.getVariation, update: s.updateVariation, del: s.deleteVariation,
		exists: s.productExists}
}

// productExists is wc_get_product(id) for the permission callbacks: variations included.
func (s *Server) productExists(c *call) bool { return s.st.products[c.idArg()] != nil }

var slugInvalid = regexp.MustCompile(`[^a-z0-9_-]+`)

// sanitizeTitle approximates sanitize_title: lower case, dashes for everything else.
func sanitizeTitle(s string) string {
	s = slugInvalid.ReplaceAllString(strings.ToLower(strings.TrimSpace(s)), "-")
	return strings.Trim(s, "-")
}

// uniqueSlug appends -2, -3... like wp_unique_post_slug.
func uniqueSlug(base string, taken func(string) bool) string {
	if base == "" {
		return ""
	}
	slug := base
	for n := 2; taken(slug); n++ {
		slug = base + "-" + strconv.Itoa(n)
	}
	return slug
}

// applyProduct sets the properties present in in and saves p.
func (s *Server) applyProduct(p *product, in *productInput, creating bool, ev *events) *wpError {
	if in.SKU != nil {
		sku := strings.TrimSpace(*in.SKU)
		if sku != "" {
			for _, other := range s.st.withSKU(sku) {
				if other.id != p.id && other.status != "trash" {
					e := newError(400, "product_invalid_sku", "Invalid or duplicated SKU.")
					e.Data["resource_id"] = other.id
					e.Data["unique_sku"] = uniqueSlug(sku, func(x string) bool { return s.st.skuTaken(x) })
					return e
				}
			}
		}
		p.sku = sku
		s.st.indexSKU(p.id, sku)
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&p.name, in.Name)
	set(&p.typ, in.Type)
	set(&p.status, in.Status)
	set(&p.catalogVisibility, in.CatalogVisibility)
	set(&p.description, in.Description)
	set(&p.shortDescription, in.ShortDescription)
	set(&p.taxStatus, in.TaxStatus)
	set(&p.taxClass, in.TaxClass)
	set(&p.stockStatus, in.StockStatus)
	set(&p.backorders, in.Backorders)
	set(&p.weight, in.Weight)
	set(&p.externalURL, in.ExternalURL)
	set(&p.buttonText, in.ButtonText)
	set(&p.purchaseNote, in.PurchaseNote)
	if in.RegularPrice != nil {
		p.regularPrice = s.formatDecimal(*in.RegularPrice)
	}
	if in.SalePrice != nil {
		p.salePrice = s.formatDecimal(*in.SalePrice)
	}
	if in.Featured != nil {
		p.featured = *in.Featured
	}
	if in.Virtual != nil {
		p.virtual = *in.Virtual
	}
	if in.Downloadable != nil {
		p.downloadable = *in.Downloadable
	}
	if in.ManageStock != nil {
		b, ok := jsonBool(in.ManageStock)
		if !ok { // a variation may say "parent"
			b = false
		}
		p.manageStock = b
	}
	if in.StockQuantity != nil {
		if n, ok := jsonInteger(in.StockQuantity); ok {
			p.stockQty = &n
		} else {
			p.stockQty = nil
		}
	}
	if in.LowStockAmount != nil {
		if n, ok := jsonInteger(in.LowStockAmount); ok {
			p.lowStock = &n
		} else {
			p.lowStock = nil
		}
	}
	for k, v := range in.Dimensions {
		switch k {
		case "length":
			p.dims.Length = v
		case "width":
			p.dims.Width = v
		case "height":
			p.dims.Height = v
		}
	}
	if in.Categories != nil {
		p.categories = nil
		for _, c := range *in.Categories {
			if s.st.categories[c.ID] != nil && !slices.Contains(p.categories, c.ID) {
				p.categories = append(p.categories, c.ID)
			}
		}
	}
	if in.Attributes != nil {
		p.attributes = *in.Attributes
	}
	if in.MenuOrder != nil {
		p.menuOrder = *in.MenuOrder
	}
	if in.Image != nil {
		p.image = in.Image
	}
	if in.Images != nil {
		p.images = *in.Images
	}
	p.meta = s.st.updateMeta(p.meta, in.MetaData)
	if !p.manageStock {
		p.stockQty = nil
	}
	p.updateStockStatus()
	if !p.variation && len(p.categories) == 0 {
		p.categories = []int64{uncategorizedID}
	}
	if in.Slug != nil || (p.slug == "" && p.name != "" && !p.variation) {
		base := p.name
		if in.Slug != nil {
			base = *in.Slug
		}
		p.slug = uniqueSlug(sanitizeTitle(base), func(x string) bool {
			for _, id := range s.st.slugs[x] {
				if o := s.st.products[id]; id != p.id && o != nil && o.slug == x {
					return true
				}
			}
			return false
		})
		addID(s.st.slugs, p.slug, p.id)
	}
	if !creating {
		p.modified = s.now()
	}
	s.st.putProduct(p)
	verb := "updated"
	if creating {
		verb = "created"
	}
	ev.add("product", verb, p.id)
	return nil
}

func (st *state) skuTaken(sku string) bool { return len(st.withSKU(sku)) > 0 }

// indexSKU records that product id has a SKU. The index only grows: withSKU drops the entries of
// products deleted or given another SKU since.
func (st *state) indexSKU(id int64, sku string) {
	if sku != "" {
		addID(st.skus, sku, id)
	}
}

// addID adds id to the ascending ids of key.
func addID(index map[string][]int64, key string, id int64) {
	ids := index[key]
	if i, found := slices.BinarySearch(ids, id); !found {
		index[key] = slices.Insert(ids, i, id)
	}
}

// withSKU returns the stored products and variations (trashed ones too) whose SKU is sku, in id
// order, without scanning the catalog.
func (st *state) withSKU(sku string) []*product {
	var out []*product
	for _, id := range st.skus[sku] {
		if p := st.products[id]; p != nil && p.sku == sku {
			out = append(out, p)
		}
	}
	return out
}

func (s *Server) newProduct(variation bool, parent int64) *product {
	now := s.now()
	p := &product{id: s.st.newPost(), parentID: parent, variation: variation, typ: "simple", status: "publish",
		catalogVisibility: "visible", taxStatus: "taxable", stockStatus: "instock", backorders: "no",
		created: now, modified: now, image: json.RawMessage("null")}
	if variation {
		p.typ = "variation"
	}
	return p
}

// --- products ----------------------------------------------------------------------------------

func (s *Server) listProducts(c *call) (int, any, *wpError) {
	q := c.list
	var items []*product
	for _, p := range sortedValues(s.st.products) {
		if p.variation || !s.productMatches(q, p) {
			continue
		}
		if q.has("type") && p.typ != q.str("type") {
			continue
		}
		if q.has("featured") && p.featured != q.boolean("featured") {
			continue
		}
		if q.has("category") && !slices.ContainsFunc(parseIDList(q.raw["category"]), func(id int64) bool { return slices.Contains(p.categories, id) }) {
			continue
		}
		items = append(items, p)
	}
	return s.productPage(c, items)
}

// productMatches applies the filters products and variations share.
func (s *Server) productMatches(q *listQuery, p *product) bool {
	status := "any"
	if q.has("status") {
		status = q.str("status")
	}
	if (status == "any" && p.status == "trash") || (status != "any" && p.status != status) {
		return false
	}
	if q.has("sku") {
		skus := strings.Split(q.str("sku"), ",")
		if !slices.Contains(skus, p.sku) || p.sku == "" {
			return false
		}
	}
	if q.has("slug") && p.slug != q.str("slug") {
		return false
	}
	if q.has("on_sale") && p.onSale() != q.boolean("on_sale") {
		return false
	}
	if q.has("stock_status") && p.stockStatus != q.str("stock_status") {
		return false
	}
	price := decimalOf(p.price(s.st))
	if q.has("min_price") && price.LessThan(decimalOf(q.str("min_price"))) {
		return false
	}
	if q.has("max_price") && price.GreaterThan(decimalOf(q.str("max_price"))) {
		return false
	}
	if ids, ok := q.ids["parent"]; ok && len(ids) > 0 && !slices.Contains(ids, p.parentID) {
		return false
	}
	if slices.Contains(q.ids["parent_exclude"], p.parentID) {
		return false
	}
	if q.search != "" && !containsFold(p.name, q.search) && !containsFold(p.description, q.search) &&
		!containsFold(p.shortDescription, q.search) && !containsFold(p.sku, q.search) {
		return false
	}
	return q.keep(p.sortKey())
}

func (s *Server) productPage(c *call, items []*product) (int, any, *wpError) {
	q := c.list
	key := (*product).sortKey
	if q.orderby == "popularity" {
		key = func(p *product) sortKey { k := p.sortKey(); k.num = float64(p.totalSales); return k }
	} else if q.orderby == "menu_order" {
		key = func(p *product) sortKey { k := p.sortKey(); k.num = float64(p.menuOrder); return k }
	} else if q.orderby == "price" {
		key = func(p *product) sortKey { k := p.sortKey(); k.num, _ = decimalOf(p.price(s.st)).Float64(); return k }
	}
	sortItems(q, items, key)
	out := []any{}
	for _, p := range page(c, items) {
		if p.variation {
			out = append(out, s.renderVariation(c.tls, p))
		} else {
			out = append(out, s.renderProduct(c.tls, p))
		}
	}
	return http.StatusOK, out, nil
}

func (s *Server) getProduct(c *call) (int, any, *wpError) {
	p := s.st.products[c.idArg()]
	if p == nil {
		return 0, nil, errInvalidID("product", 404)
	}
	return http.StatusOK, s.renderProduct(c.tls, p), nil // a variation id answers in the product shape
}

func (s *Server) createProduct(c *call) (int, any, *wpError) {
	if c.rawID() {
		return 0, nil, errExists("product")
	}
	var in productInput
	if err := decodeInto(c.in, &in); err != nil {
		return 0, nil, newError(400, "rest_invalid_param", "Invalid parameter(s): product")
	}
	p := s.newProduct(false, 0)
	if err := s.applyProduct(p, &in, true, c.events); err != nil {
		return 0, nil, err
	}
	return c.created("products/"+strconv.FormatInt(p.id, 10), s.renderProduct(c.tls, p))
}

func (s *Server) updateProduct(c *call) (int, any, *wpError) {
	p := s.st.products[c.idArg()]
	if p == nil || p.variation {
		return 0, nil, errInvalidID("product", 400)
	}
	return s.saveChanges(c, p, func(p *product) any { return s.renderProduct(c.tls, p) })
}

// saveChanges applies an update to a copy of p, so a refused change leaves the store as it was.
func (s *Server) saveChanges(c *call, p *product, render func(*product) any) (int, any, *wpError) {
	var in productInput
	if err := decodeInto(c.in, &in); err != nil {
		return 0, nil, newError(400, "rest_invalid_json", "Invalid JSON body passed.")
	}
	cp := *p
	if err := s.applyProduct(&cp, &in, false, c.events); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, render(&cp), nil
}

func (s *Server) deleteProduct(c *call) (int, any, *wpError) {
	p := s.st.products[c.idArg()]
	if p == nil || p.variation {
		return 0, nil, errInvalidID("product", 404)
	}
	return s.trashOrDelete(c, p, "product")
}

// trashOrDelete is delete_item for products and variations.
func (s *Server) trashOrDelete(c *call, p *product, postType string) (int, any, *wpError) {
	render := func() any {
		if postType == "product_variation" {
			return s.renderVariation(c.tls, p)
		}
		return s.renderProduct(c.tls, p)
	}
	body := render()
	if c.force {
		s.st.deleteProduct(p.id)
		if !p.variation {
			for _, v := range s.st.variationsOf(p.id) {
				s.st.deleteProduct(v.id)
			}
		}
		c.events.add("product", "deleted", p.id)
		return http.StatusOK, body, nil
	}
	if p.status == "trash" {
		return 0, nil, errAlreadyTrashed(postType)
	}
	p.prevStatus, p.status, p.modified = p.status, "trash", s.now()
	c.events.add("product", "deleted", p.id)
	return http.StatusOK, render(), nil
}
