package woocommercetest

import (
	"encoding/json"
	"fmt"
)

// AddVariableProduct creates a variable product with one attribute used for variations (name and
// options) and one variation per option, each given by vars[i] (SKU, prices, stock; Name and Type
// are ignored) with the attribute set to options[i]. It fires product.created for each, as the
// admin screens would, and returns the product id and the variation ids. It seeds catalogs
// without a REST round trip per variation (the sitoo/woosync benchmark seeds 40,000 items).
func (s *Server) AddVariableProduct(p Product, attribute string, options []string, vars []Product) (int64, []int64, error) {
	if len(vars) != len(options) {
		return 0, nil, fmt.Errorf("woocommercetest: add variable product: %d variations for %d options", len(vars), len(options))
	}
	attr, err := json.Marshal(map[string]any{"id": 0, "name": attribute, "position": 0, "visible": true, "variation": true, "options": options})
	if err != nil {
		return 0, nil, err
	}
	p.Type = "variable"
	var id int64
	var ids []int64
	err = s.mutate(func(ev *events) error {
		np := s.newProduct(false, 0)
		in := p.input()
		in.Attributes = &[]json.RawMessage{attr}
		if err := s.applyProduct(np, in, true, ev); err != nil {
			s.st.nextPost--
			return helperErr("add variable product", err)
		}
		id = np.id
		for i, v := range vars {
			opt, _ := json.Marshal(map[string]any{"id": 0, "name": attribute, "option": options[i]})
			vp := s.newProduct(true, id)
			vin := v.input()
			vin.Name, vin.Type = nil, nil
			vin.Attributes = &[]json.RawMessage{opt}
			if err := s.applyProduct(vp, vin, true, ev); err != nil {
				s.st.nextPost--
				return helperErr("add variation", err)
			}
			ids = append(ids, vp.id)
		}
		return nil
	})
	return id, ids, err
}
