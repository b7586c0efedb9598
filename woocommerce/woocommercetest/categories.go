package woocommercetest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// category is a product_cat term.
type category struct {
	id, parent  int64
	name, slug  string
	description string
	display     string
	image       json.RawMessage
	menuOrder   int64
}

func categoryFields() []field {
	return []field{str("name"), str("slug"), integer("parent"), str("description"),
		enum("display", "default", "products", "subcategories", "both"), field{name: "image", kind: kObject, nullable: true},
		integer("menu_order")}
}

func (s *Server) categoryHandlers() handlers {
	return handlers{
		listSpec: listSpec{
			orderby:    []string{"id", "include", "name", "slug", "term_group", "description", "count"},
			defOrderby: "name", defOrder: "asc", noDates: true,
			extra: []field{boolean("hide_empty"), integer("parent"), integer("product"), str("slug")},
		},
		fields: categoryFields(), required: []string{"name"},
		list: s.listCategories, create: s.createCategory, get: s.getCategory, update: s.updateCategory, del: s.deleteCategory,
		exists: func(c *call) bool { return s.st.categories[c.idArg()] != nil },
	}
}

func (st *state) categoryCount(id int64) int64 {
	var n int64
	for _, p := range st.products {
		if !p.variation && p.status == "publish" && slices.Contains(p.categories, id) {
			n++
		}
	}
	return n
}

func errTermInvalid() *wpError {
	return newError(404, "woocommerce_rest_term_invalid", "Resource doesn't exist.")
}

func (s *Server) listCategories(c *call) (int, any, *wpError) {
	q := c.list
	key := func(cat *category) sortKey {
		return sortKey{id: cat.id, title: cat.name, slug: cat.slug, num: float64(s.st.categoryCount(cat.id))}
	}
	var items []*category
	for _, cat := range sortedValues(s.st.categories) {
		if q.has("parent") && cat.parent != q.integer("parent") {
			continue
		}
		if q.boolean("hide_empty") && s.st.categoryCount(cat.id) == 0 {
			continue
		}
		if q.has("slug") && cat.slug != q.str("slug") {
			continue
		}
		if q.has("product") {
			p := s.st.products[q.integer("product")]
			if p == nil || !slices.Contains(p.categories, cat.id) {
				continue
			}
		}
		if q.search != "" && !containsFold(cat.name, q.search) && !containsFold(cat.slug, q.search) {
			continue
		}
		if !q.keep(key(cat)) {
			continue
		}
		items = append(items, cat)
	}
	sortItems(q, items, key)
	out := []any{}
	for _, cat := range page(c, items) {
		out = append(out, s.renderCategory(c.tls, cat))
	}
	return http.StatusOK, out, nil
}

func (s *Server) getCategory(c *call) (int, any, *wpError) {
	cat := s.st.categories[c.idArg()]
	if cat == nil {
		return 0, nil, errTermInvalid()
	}
	return http.StatusOK, s.renderCategory(c.tls, cat), nil
}

type categoryInput struct {
	Name        *string         `json:"name"`
	Slug        *string         `json:"slug"`
	Parent      *int64          `json:"parent"`
	Description *string         `json:"description"`
	Display     *string         `json:"display"`
	Image       json.RawMessage `json:"image"`
	MenuOrder   *int64          `json:"menu_order"`
}

func (s *Server) applyCategory(cat *category, in *categoryInput) *wpError {
	if in.Name != nil {
		cat.name = strings.TrimSpace(*in.Name)
	}
	if in.Parent != nil {
		if *in.Parent != 0 && s.st.categories[*in.Parent] == nil {
			return newError(400, "woocommerce_rest_term_invalid", "Parent resource doesn't exist.")
		}
		cat.parent = *in.Parent
	}
	if cat.name == "" {
		return newError(400, "empty_term_name", "A name is required for this term.")
	}
	for _, other := range s.st.categories {
		if other.id != cat.id && other.parent == cat.parent && strings.EqualFold(other.name, cat.name) {
			e := newError(400, "term_exists", "A term with the name provided already exists with this parent.")
			e.Data["resource_id"] = other.id
			return e
		}
	}
	if in.Description != nil {
		cat.description = *in.Description
	}
	if in.Display != nil {
		cat.display = *in.Display
	}
	if in.Image != nil {
		cat.image = in.Image
	}
	if in.MenuOrder != nil {
		cat.menuOrder = *in.MenuOrder
	}
	if in.Slug != nil || cat.slug == "" {
		base := cat.name
		if in.Slug != nil {
			base = *in.Slug
		}
		cat.slug = uniqueSlug(sanitizeTitle(base), func(x string) bool {
			for _, o := range s.st.categories {
				if o.id != cat.id && o.slug == x {
					return true
				}
			}
			return false
		})
	}
	s.st.categories[cat.id] = cat
	return nil
}

func (s *Server) createCategory(c *call) (int, any, *wpError) {
	var in categoryInput
	_ = decodeInto(c.in, &in)
	cat := &category{id: s.st.nextTerm, display: "default"}
	if err := s.applyCategory(cat, &in); err != nil {
		return 0, nil, err
	}
	s.st.newTerm()
	return c.created("products/categories/"+strconv.FormatInt(cat.id, 10), s.renderCategory(c.tls, cat))
}

func (s *Server) updateCategory(c *call) (int, any, *wpError) {
	cat := s.st.categories[c.idArg()]
	if cat == nil {
		return 0, nil, errTermInvalid()
	}
	var in categoryInput
	_ = decodeInto(c.in, &in)
	cp := *cat
	if err := s.applyCategory(&cp, &in); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.renderCategory(c.tls, &cp), nil
}

func (s *Server) deleteCategory(c *call) (int, any, *wpError) {
	cat := s.st.categories[c.idArg()]
	if cat == nil {
		return 0, nil, errTermInvalid()
	}
	if !c.force {
		return 0, nil, newError(501, "woocommerce_rest_trash_not_supported", "Resource does not support trashing.")
	}
	if cat.id == uncategorizedID {
		return 0, nil, newError(500, "woocommerce_rest_cannot_delete", "The resource cannot be deleted.")
	}
	body := s.renderCategory(c.tls, cat)
	delete(s.st.categories, cat.id)
	for _, p := range s.st.products {
		p.categories = slices.DeleteFunc(p.categories, func(id int64) bool { return id == cat.id })
	}
	for _, other := range s.st.categories {
		if other.parent == cat.id {
			other.parent = cat.parent
		}
	}
	return http.StatusOK, body, nil
}

type categoryJSON struct {
	ID          int64           `json:"id"`
	Name        string          `json:"name"`
	Slug        string          `json:"slug"`
	Parent      int64           `json:"parent"`
	Description string          `json:"description"`
	Display     string          `json:"display"`
	Image       json.RawMessage `json:"image"`
	MenuOrder   int64           `json:"menu_order"`
	Count       int64           `json:"count"`
	Links       links           `json:"_links"`
}

func (s *Server) renderCategory(tls bool, cat *category) categoryJSON {
	img := cat.image
	if img == nil {
		img = json.RawMessage("null")
	}
	id := strconv.FormatInt(cat.id, 10)
	j := categoryJSON{ID: cat.id, Name: cat.name, Slug: cat.slug, Parent: cat.parent, Description: cat.description,
		Display: cat.display, Image: img, MenuOrder: cat.menuOrder, Count: s.st.categoryCount(cat.id),
		Links: s.links(tls, "products/categories/"+id, "products/categories")}
	if cat.parent != 0 {
		j.Links["up"] = []map[string]string{{"href": s.restURL(tls, "products/categories/"+strconv.FormatInt(cat.parent, 10))}}
	}
	return j
}
