package woocommercetest

import (
	"net/http"
	"strconv"
)

// parentProduct is the variable product of a variations route (products/{id}/variations).
func (s *Server) parentProduct(c *call) (*product, *wpError) {
	p := s.st.products[c.ids[0]]
	if p == nil || p.variation {
		return nil, newError(404, "woocommerce_rest_product_invalid_id", "Invalid ID.")
	}
	return p, nil
}

func (s *Server) listVariations(c *call) (int, any, *wpError) {
	parent, err := s.parentProduct(c)
	if err != nil {
		return 0, nil, err
	}
	var items []*product
	for _, id := range s.st.variations[parent.id] {
		if p := s.st.products[id]; s.productMatches(c.list, p) {
			items = append(items, p)
		}
	}
	return s.productPage(c, items)
}

func (s *Server) findVariation(c *call, status int) (*product, *wpError) {
	if _, err := s.parentProduct(c); err != nil {
		return nil, err
	}
	v := s.st.products[c.idArg()]
	if v == nil || !v.variation || v.parentID != c.ids[0] {
		return nil, errInvalidID("product_variation", status)
	}
	return v, nil
}

func (s *Server) getVariation(c *call) (int, any, *wpError) {
	v, err := s.findVariation(c, 404)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.renderVariation(c.tls, v), nil
}

func (s *Server) createVariation(c *call) (int, any, *wpError) {
	parent, err := s.parentProduct(c)
	if err != nil {
		return 0, nil, err
	}
	if c.rawID() {
		return 0, nil, errExists("product_variation")
	}
	var in productInput
	if err := decodeInto(c.in, &in); err != nil {
		return 0, nil, newError(400, "rest_invalid_param", "Invalid parameter(s): variation")
	}
	v := s.newProduct(true, parent.id)
	v.manageStock = false
	if err := s.applyProduct(v, &in, true, c.events); err != nil {
		return 0, nil, err
	}
	parent.modified = s.now()
	return c.created(c.routePath()+"/"+strconv.FormatInt(v.id, 10), s.renderVariation(c.tls, v))
}

func (s *Server) updateVariation(c *call) (int, any, *wpError) {
	v, err := s.findVariation(c, 400)
	if err != nil {
		return 0, nil, err
	}
	return s.saveChanges(c, v, func(v *product) any { return s.renderVariation(c.tls, v) })
}

func (s *Server) deleteVariation(c *call) (int, any, *wpError) {
	v, err := s.findVariation(c, 404)
	if err != nil {
		return 0, nil, err
	}
	return s.trashOrDelete(c, v, "product_variation")
}
