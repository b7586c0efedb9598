package sitootest

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"image"
	_ "image/gif" // image sizes of uploaded GIFs
	_ "image/jpeg"
	_ "image/png"
	"net/http"
	"regexp"
	"slices"

	"github.com/loyalsync/loyalsync/sitoo"
)

// skuPattern is Sitoo's documented SKU character set.
var skuPattern = regexp.MustCompile(`^[A-Za-z0-9_+\-/]+$`)

func (s *Server) listProducts(w http.ResponseWriter, r *http.Request, _ *state, site *site, _ params) {
	q := s.query(r)
	skus, ids := q.list("sku"), q.ints("productid")
	since, hasSince := q.int("datelastmodified")
	inactive := q.Get("includeinactive") == "true"
	rows := site.products
	if len(skus) > 0 {
		// A lookup by SKU reads the index, not the catalog.
		rows = newTable[sitoo.Product]()
		for _, sku := range skus {
			if pr, ok := site.productBySKU(sku); ok {
				rows.put(pr.ProductID, pr)
			}
		}
	}
	writeEnvelope(w, q, rows.list(q.page.sort == "-productid", func(pr *sitoo.Product) bool {
		return (inactive || pr.Active || pr.ActivePOS) &&
			(len(ids) == 0 || containsInt(ids, pr.ProductID)) &&
			(!hasSince || pr.DateModified.Unix() > since)
	}))
}

func (s *Server) getProduct(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	pr, ok := site.products.get(p.ids[0])
	if !ok {
		fail(w, notFound("No product with id %d", p.ids[0]))
		return
	}
	writeObject(w, r, pr)
}

func (s *Server) addProducts(w http.ResponseWriter, r *http.Request, st *state, site *site, _ params) {
	eachItem(w, r, objectOrArray, func(raw json.RawMessage) (any, error) { return s.createProduct(st, site, raw) })
}

func (s *Server) createProduct(st *state, site *site, raw json.RawMessage) (int64, error) {
	var req sitoo.ProductRequest
	if err := decodeStrict(raw, &req); err != nil {
		return 0, err
	}
	if req.SKU == nil || *req.SKU == "" {
		return 0, badRequest("Missing required argument: sku")
	}
	pr := &sitoo.Product{Active: true, ActivePOS: true, VATID: defaultVATID}
	if err := json.Unmarshal(raw, pr); err != nil {
		return 0, badRequest("Invalid value: %v", err)
	}
	pr.ProductID = st.id("product")
	if err := s.checkProduct(site, pr); err != nil {
		return 0, err
	}
	now := sitoo.NewUnixTime(s.now())
	pr.DateCreated, pr.DateModified = now, now
	site.putProduct(pr)
	return pr.ProductID, nil
}

// checkProduct validates a product about to be stored and fills its derived fields.
func (s *Server) checkProduct(site *site, pr *sitoo.Product) error {
	if !skuPattern.MatchString(pr.SKU) {
		return badRequest("Invalid value in sku (allowed: A-Z a-z 0-9 _ + - /)")
	}
	if o, ok := site.productBySKU(pr.SKU); ok && o.ProductID != pr.ProductID {
		return badRequest("Invalid value in sku (%s already exists)", pr.SKU)
	}
	g, ok := site.productGroups.get(pr.VATID)
	if !ok {
		return badRequest("Invalid value in vatid")
	}
	pr.VATValue, pr.ProductGroupType = g.Value, g.ProductGroupType
	if pr.DefaultCategoryID != nil && *pr.DefaultCategoryID != 0 && !slices.Contains(pr.Categories, *pr.DefaultCategoryID) {
		pr.Categories = append(pr.Categories, *pr.DefaultCategoryID)
	}
	pr.MoneyFinalPrice = pr.MoneyPrice
	return nil
}

func (s *Server) updateProduct(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	eachItem(w, r, objectOnly, func(raw json.RawMessage) (any, error) { return true, s.patchProduct(site, p.ids[0], raw) })
}

// patchProduct is a partial update: only the fields present change.
func (s *Server) patchProduct(site *site, id int64, raw json.RawMessage) error {
	cur, ok := site.products.get(id)
	if !ok {
		return notFound("No product with id %d", id)
	}
	var req sitoo.ProductRequest
	if err := decodeStrict(raw, &req); err != nil {
		return err
	}
	next := *cur
	next.Categories = slices.Clone(cur.Categories)
	if err := json.Unmarshal(raw, &next); err != nil {
		return badRequest("Invalid value: %v", err)
	}
	next.ProductID = id
	if err := s.checkProduct(site, &next); err != nil {
		return err
	}
	next.DateModified = sitoo.NewUnixTime(s.now())
	site.putProduct(&next)
	return nil
}

func (s *Server) updateProducts(w http.ResponseWriter, r *http.Request, _ *state, site *site, _ params) {
	eachItem(w, r, arrayOnly, func(raw json.RawMessage) (any, error) {
		id, err := idOf(raw, "productid")
		if err != nil {
			return nil, err
		}
		return true, s.patchProduct(site, id, raw)
	})
}

func (s *Server) deleteProduct(w http.ResponseWriter, _ *http.Request, _ *state, site *site, p params) {
	if err := removeProduct(site, p.ids[0]); err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, true)
}

func removeProduct(site *site, id int64) error {
	if !site.dropProduct(id) {
		return notFound("No product with id %d", id)
	}
	delete(site.images, id)
	return nil
}

func (s *Server) deleteProducts(w http.ResponseWriter, r *http.Request, _ *state, site *site, _ params) {
	eachItem(w, r, arrayOnly, func(raw json.RawMessage) (any, error) {
		id, err := idOf(raw, "productid")
		if err != nil {
			return nil, err
		}
		return true, removeProduct(site, id)
	})
}

// mainVariant returns the id of the main variant of a product's set (the product itself when it
// is simple or the main variant).
func mainVariant(pr *sitoo.Product) int64 {
	if pr.VariantParentID != nil && *pr.VariantParentID != 0 {
		return *pr.VariantParentID
	}
	return pr.ProductID
}

func (s *Server) getVariants(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	pr, ok := site.products.get(p.ids[0])
	if !ok {
		fail(w, notFound("No product with id %d", p.ids[0]))
		return
	}
	main := mainVariant(pr)
	out := sitoo.ProductVariants{Groups: site.variantGroups[main], Variants: []sitoo.Variant{}}
	if out.Groups == nil {
		out.Groups = []sitoo.VariantGroup{}
	}
	for _, v := range site.variantsOf(main) {
		attrs := make([]string, len(v.Variant))
		for i, a := range v.Variant {
			attrs[i] = a.Value
		}
		out.Variants = append(out.Variants, sitoo.Variant{
			ProductID: v.ProductID, ActivePOS: v.ActivePOS, Title: v.Title, SKU: v.SKU,
			MoneyPrice: v.MoneyPrice, MoneyPriceOrg: v.MoneyPriceOrg, MoneyPriceIn: v.MoneyPriceIn,
			Barcode: v.Barcode, BarcodeAliases: v.BarcodeAliases, Attributes: attrs,
		})
	}
	writeObject(w, r, out)
}

// replaceVariants sets a product's whole variant set: listed variants are added (productid 0) or
// updated, the set's other variants are deleted, and the main variant stays.
func (s *Server) replaceVariants(w http.ResponseWriter, r *http.Request, st *state, site *site, p params) {
	pr, ok := site.products.get(p.ids[0])
	if !ok {
		fail(w, notFound("No product with id %d", p.ids[0]))
		return
	}
	eachItem(w, r, objectOnly, func(raw json.RawMessage) (any, error) { return true, s.setVariants(st, site, pr, raw) })
}

func (s *Server) setVariants(st *state, site *site, pr *sitoo.Product, raw json.RawMessage) error {
	var set sitoo.ProductVariants
	if err := decodeStrict(raw, &set); err != nil {
		return err
	}
	if err := set.Validate(); err != nil {
		return badRequest("%v", err)
	}
	main := mainVariant(pr)
	inSet := func(id int64) bool {
		v, ok := site.products.get(id)
		return ok && (id == main || (v.VariantParentID != nil && *v.VariantParentID == main))
	}
	listed := map[int64]bool{}
	skus := map[string]bool{}
	for _, v := range set.Variants {
		if v.ProductID != 0 && !inSet(v.ProductID) {
			return badRequest("Invalid value in productid (%d is not a variant of product %d)", v.ProductID, main)
		}
		if skus[v.SKU] {
			return badRequest("Invalid value in sku (%s is used twice)", v.SKU)
		}
		skus[v.SKU] = true
		listed[v.ProductID] = true
	}
	for _, v := range set.Variants {
		// A SKU may be taken over from a variant the request deletes, not from any other product.
		if o, ok := site.productBySKU(v.SKU); ok && !listed[o.ProductID] && (o.ProductID == main || !inSet(o.ProductID)) {
			return badRequest("Invalid value in sku (%s already exists)", o.SKU)
		}
	}
	// Apply: delete the set's unlisted variants, then add or update the listed ones.
	for _, v := range site.variantsOf(main) {
		if v.ProductID != main && !listed[v.ProductID] {
			_ = removeProduct(site, v.ProductID)
		}
	}
	now := sitoo.NewUnixTime(s.now())
	mainID := main
	for _, v := range set.Variants {
		var vp *sitoo.Product
		if v.ProductID == 0 {
			base := *site.products.rows[main]
			base.Categories = slices.Clone(base.Categories)
			vp = &base
			vp.ProductID = st.id("product")
			vp.DateCreated = now
		} else {
			cp := *site.products.rows[v.ProductID]
			vp = &cp
		}
		vp.VariantParentID = &mainID
		vp.ActivePOS, vp.Title, vp.SKU, vp.Barcode = v.ActivePOS, v.Title, v.SKU, v.Barcode
		vp.MoneyPrice, vp.MoneyPriceOrg, vp.MoneyPriceIn, vp.MoneyFinalPrice = v.MoneyPrice, v.MoneyPriceOrg, v.MoneyPriceIn, v.MoneyPrice
		vp.BarcodeAliases = v.BarcodeAliases
		vp.Variant = make([]sitoo.VariantAttribute, len(v.Attributes))
		for i, a := range v.Attributes {
			vp.Variant[i] = sitoo.VariantAttribute{Name: set.Groups[i].Name, Value: a}
		}
		vp.DateModified = now
		site.putProduct(vp)
	}
	if m := site.products.rows[main]; m.VariantParentID == nil {
		cp := *m
		cp.VariantParentID = &mainID
		site.putProduct(&cp)
	}
	site.variantGroups[main] = set.Groups
	return nil
}

func (s *Server) listImages(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	if _, ok := site.products.get(p.ids[0]); !ok {
		fail(w, notFound("No product with id %d", p.ids[0]))
		return
	}
	writeEnvelope(w, s.query(r), site.images[p.ids[0]])
}

func (s *Server) getImage(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	imgs := site.images[p.ids[0]]
	if p.ids[1] >= int64(len(imgs)) {
		fail(w, notFound("No image %d of product %d", p.ids[1], p.ids[0]))
		return
	}
	writeObject(w, r, imgs[p.ids[1]])
}

func (s *Server) addImage(w http.ResponseWriter, r *http.Request, _ *state, site *site, p params) {
	if _, ok := site.products.get(p.ids[0]); !ok {
		fail(w, notFound("No product with id %d", p.ids[0]))
		return
	}
	eachItem(w, r, objectOnly, func(raw json.RawMessage) (any, error) { return true, s.storeImage(site, p.ids[0], raw) })
}

func (s *Server) storeImage(site *site, productID int64, raw json.RawMessage) error {
	var body struct {
		ResourceID string `json:"resourceid"`
		FileData   string `json:"filedata"`
	}
	if err := decodeStrict(raw, &body); err != nil {
		return err
	}
	if body.ResourceID == "" {
		return badRequest("Missing required argument: resourceid")
	}
	data, err := base64.StdEncoding.DecodeString(body.FileData)
	if err != nil {
		return badRequest("Invalid value in filedata (not base64)")
	}
	res := sitoo.Resource{ResourceID: body.ResourceID, MimeType: http.DetectContentType(data), FileSize: int64(len(data)),
		DateCreated: sitoo.NewUnixTime(s.now())}
	if cfg, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
		res.Width, res.Height = cfg.Width, cfg.Height
	}
	site.images[productID] = append(site.images[productID], res)
	return nil
}

func (s *Server) deleteImage(w http.ResponseWriter, _ *http.Request, _ *state, site *site, p params) {
	imgs := site.images[p.ids[0]]
	if p.ids[1] >= int64(len(imgs)) {
		fail(w, notFound("No image %d of product %d", p.ids[1], p.ids[0]))
		return
	}
	site.images[p.ids[0]] = slices.Delete(slices.Clone(imgs), int(p.ids[1]), int(p.ids[1])+1)
	writeJSON(w, http.StatusOK, true)
}
