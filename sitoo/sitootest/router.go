package sitootest

import (
	"net/http"
	"strings"
)

// handler serves one route with the state locked. ids holds the numeric path parameters in
// order; strs the string ones.
type handler func(w http.ResponseWriter, r *http.Request, st *state, site *site, p params)

// params are a route's path parameters.
type params struct {
	ids  []int64
	strs []string
}

// route is a pattern of path segments: "#" matches an integer id, "*" any segment.
type route struct {
	pattern []string
	methods map[string]handler
}

func routes(s *Server) []route {
	r := func(pattern string, methods map[string]handler) route {
		return route{pattern: strings.Split(pattern, "/"), methods: methods}
	}
	categories, manufacturers, productGroups := s.categories(), s.manufacturers(), s.productGroups()
	priceLists, vouchers, warehouses := s.priceLists(), s.vouchers(), s.warehouses()
	return []route{
		r("orders", map[string]handler{"GET": s.listAllOrders}),
		r("sites", map[string]handler{"GET": s.listSites}),

		r("sites/#/products", map[string]handler{"GET": s.listProducts, "POST": s.addProducts, "PUT": s.updateProducts, "DELETE": s.deleteProducts}),
		r("sites/#/products/#", map[string]handler{"GET": s.getProduct, "PUT": s.updateProduct, "DELETE": s.deleteProduct}),
		r("sites/#/products/#/productvariants", map[string]handler{"GET": s.getVariants, "PUT": s.replaceVariants}),
		r("sites/#/products/#/images", map[string]handler{"GET": s.listImages, "POST": s.addImage}),
		r("sites/#/products/#/images/#", map[string]handler{"GET": s.getImage, "DELETE": s.deleteImage}),

		r("sites/#/categories", map[string]handler{"GET": categories.list, "POST": categories.add}),
		r("sites/#/categories/#", map[string]handler{"GET": categories.get, "PUT": categories.update, "DELETE": categories.remove}),
		r("sites/#/manufacturers", map[string]handler{"GET": manufacturers.list, "POST": manufacturers.add, "PUT": manufacturers.batchUpdate, "DELETE": manufacturers.batchRemove}),
		r("sites/#/manufacturers/#", map[string]handler{"GET": manufacturers.get, "PUT": manufacturers.update, "DELETE": manufacturers.remove}),
		r("sites/#/productgroups", map[string]handler{"GET": productGroups.list, "POST": productGroups.add}),
		r("sites/#/productgroups/#", map[string]handler{"GET": productGroups.get, "PUT": productGroups.update, "DELETE": s.deleteProductGroup}),
		r("sites/#/pricelists", map[string]handler{"GET": priceLists.list, "POST": priceLists.add}),
		r("sites/#/pricelists/#", map[string]handler{"GET": priceLists.get, "PUT": priceLists.update, "DELETE": priceLists.remove}),
		r("sites/#/pricelists/#/pricelistitems", map[string]handler{"GET": s.listPriceListItems, "PUT": s.setPriceListItems, "DELETE": s.deletePriceListItems}),
		r("sites/#/vouchers", map[string]handler{"GET": vouchers.list, "POST": vouchers.add}),
		r("sites/#/vouchers/#", map[string]handler{"GET": vouchers.get, "PUT": vouchers.update, "DELETE": vouchers.remove}),

		r("sites/#/warehouses", map[string]handler{"GET": warehouses.list, "POST": warehouses.add}),
		r("sites/#/warehouses/#", map[string]handler{"GET": warehouses.get, "PUT": warehouses.update, "DELETE": warehouses.remove}),
		r("sites/#/warehouses/#/warehouseitems", map[string]handler{"GET": s.listWarehouseItems, "PUT": s.setWarehouseItems}),
		r("sites/#/warehouses/#/warehousetransactions", map[string]handler{"GET": s.listWarehouseTransactions}),
		r("sites/#/warehouses/#/warehousetransactions/#", map[string]handler{"GET": s.getWarehouseTransaction}),
		r("sites/#/warehousetransactions", map[string]handler{"GET": s.listWarehouseTransactions, "POST": s.addWarehouseTransactions}),
		r("sites/#/warehouses/#/warehousebatches", map[string]handler{"GET": s.listBatches, "POST": s.addBatch}),
		r("sites/#/warehouses/#/warehousebatches/#", map[string]handler{"GET": s.getBatch, "PUT": s.updateBatch}),
		r("sites/#/warehouses/#/warehousebatches/#/warehousebatchitems", map[string]handler{"GET": s.listBatchItems, "PUT": s.setBatchItems, "DELETE": s.deleteBatchItems}),

		r("sites/#/orders", map[string]handler{"GET": s.listSiteOrders, "POST": s.addOrder}),
		r("sites/#/orders/#", map[string]handler{"GET": s.getOrder, "PUT": s.updateOrder, "DELETE": s.deleteOrder}),
		r("sites/#/orders/#/orderdeliveries", map[string]handler{"GET": s.listDeliveries, "POST": s.addDelivery}),

		r("sites/#/users", map[string]handler{"GET": s.listUsers, "POST": s.addUsers, "PUT": s.updateUsers}),
		r("sites/#/users/*", map[string]handler{"GET": s.getUser, "PUT": s.updateUser, "DELETE": s.deleteUser}),
	}
}

func (rt *route) match(segs []string) (params, bool) {
	if len(segs) != len(rt.pattern) {
		return params{}, false
	}
	var p params
	for i, want := range rt.pattern {
		switch want {
		case "#":
			id, err := parseID(segs[i])
			if err != nil {
				return params{}, false
			}
			p.ids = append(p.ids, id)
		case "*":
			if segs[i] == "" {
				return params{}, false
			}
			p.strs = append(p.strs, segs[i])
		default:
			if segs[i] != want {
				return params{}, false
			}
		}
	}
	return p, true
}

// route finds the handler for the path segments below the account and runs it with the state
// locked.
func (s *Server) route(w http.ResponseWriter, r *http.Request, segs []string) {
	for _, rt := range s.routes {
		p, ok := rt.match(segs)
		if !ok {
			continue
		}
		h, ok := rt.methods[r.Method]
		if !ok {
			writeError(w, http.StatusMethodNotAllowed, "Method not allowed")
			return
		}
		s.mu.Lock()
		defer s.mu.Unlock()
		var st *site
		if segs[0] == "sites" && len(segs) > 1 {
			if st = s.st.sites[p.ids[0]]; st == nil {
				writeError(w, http.StatusNotFound, "Resource not found. The url is invalid.")
				return
			}
			p.ids = p.ids[1:]
		}
		h(w, r, s.st, st, p)
		return
	}
	fail(w, errURL)
}
