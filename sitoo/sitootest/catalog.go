package sitootest

import (
	"net/http"

	"github.com/loyalsync/loyalsync/sitoo"
)

func (s *Server) categories() *crud[sitoo.Category, sitoo.CategoryRequest] {
	return &crud[sitoo.Category, sitoo.CategoryRequest]{
		srv: s, kind: "category", idField: "categoryid",
		table: func(st *site) *table[sitoo.Category] { return st.categories },
		setID: func(c *sitoo.Category, id int64) { c.CategoryID = id },
		check: func(st *site, req *sitoo.CategoryRequest, create bool) error {
			if create && (req.Title == nil || *req.Title == "") {
				return badRequest("Missing required argument: title")
			}
			if p := req.CategoryParentID; p != nil && *p != 0 {
				if _, ok := st.categories.get(int64(*p)); !ok {
					return badRequest("Invalid value in categoryparentid")
				}
			}
			return nil
		},
		touch: func(c *sitoo.Category, create bool) {
			now := sitoo.NewUnixTime(s.now())
			if create {
				c.DateCreated = now
			}
			c.DateModified = now
		},
	}
}

func (s *Server) manufacturers() *crud[sitoo.Manufacturer, sitoo.ManufacturerRequest] {
	return &crud[sitoo.Manufacturer, sitoo.ManufacturerRequest]{
		srv: s, kind: "manufacturer", idField: "externalcompanyid", batch: true,
		table: func(st *site) *table[sitoo.Manufacturer] { return st.manufacturers },
		setID: func(m *sitoo.Manufacturer, id int64) { m.ExternalCompanyID = id },
		check: func(_ *site, req *sitoo.ManufacturerRequest, create bool) error {
			if create && (req.Name == nil || *req.Name == "") {
				return badRequest("Missing required argument: name")
			}
			return nil
		},
	}
}

func (s *Server) productGroups() *crud[sitoo.ProductGroup, sitoo.ProductGroupRequest] {
	return &crud[sitoo.ProductGroup, sitoo.ProductGroupRequest]{
		srv: s, kind: "productgroup", idField: "vatid",
		table: func(st *site) *table[sitoo.ProductGroup] { return st.productGroups },
		setID: func(g *sitoo.ProductGroup, id int64) { g.VATID = id },
		check: func(_ *site, req *sitoo.ProductGroupRequest, create bool) error {
			if create && (req.ProductGroupName == nil || *req.ProductGroupName == "") {
				return badRequest("Missing required argument: productgroupname")
			}
			return nil
		},
	}
}

// deleteProductGroup refuses the default group and groups still used by products.
func (s *Server) deleteProductGroup(w http.ResponseWriter, r *http.Request, st *state, site *site, p params) {
	id := p.ids[0]
	if id == defaultVATID {
		fail(w, badRequest("The default product group cannot be deleted"))
		return
	}
	for _, pid := range site.products.ids {
		if site.products.rows[pid].VATID == id {
			fail(w, badRequest("The product group is in use"))
			return
		}
	}
	s.productGroups().remove(w, r, st, site, p)
}

// maxPriceLists is Sitoo's limit of price lists per site.
const maxPriceLists = 100

func (s *Server) priceLists() *crud[sitoo.PriceList, sitoo.PriceListRequest] {
	return &crud[sitoo.PriceList, sitoo.PriceListRequest]{
		srv: s, kind: "pricelist", idField: "pricelistid",
		table: func(st *site) *table[sitoo.PriceList] { return st.priceLists },
		setID: func(l *sitoo.PriceList, id int64) { l.PriceListID = id },
		check: func(st *site, req *sitoo.PriceListRequest, create bool) error {
			if create && (req.PriceListName == nil || *req.PriceListName == "") {
				return badRequest("Missing required argument: pricelistname")
			}
			if create && len(st.priceLists.ids) >= maxPriceLists {
				return badRequest("A site can have at most %d price lists", maxPriceLists)
			}
			return nil
		},
		touch: func(l *sitoo.PriceList, create bool) {
			if create && l.CurrencyCode == "" {
				l.CurrencyCode = "USD"
			}
			if l.Tags == nil {
				l.Tags = []string{}
			}
		},
	}
}

func (s *Server) vouchers() *crud[sitoo.Voucher, sitoo.VoucherRequest] {
	return &crud[sitoo.Voucher, sitoo.VoucherRequest]{
		srv: s, kind: "voucher", idField: "voucherid",
		table: func(st *site) *table[sitoo.Voucher] { return st.vouchers },
		setID: func(v *sitoo.Voucher, id int64) { v.VoucherID = id },
		check: func(_ *site, req *sitoo.VoucherRequest, create bool) error {
			if create && (req.VoucherName == nil || *req.VoucherName == "" || req.VoucherType == nil) {
				return badRequest("Missing required argument: vouchername, vouchertype")
			}
			if req.Priority != nil && (*req.Priority < 1 || *req.Priority > 5) {
				return badRequest("Invalid value in priority")
			}
			return nil
		},
		touch: func(v *sitoo.Voucher, create bool) {
			if create {
				v.DateCreated = sitoo.NewUnixTime(s.now())
				v.VoucherState = 10
				if v.Priority == 0 {
					v.Priority = 3
				}
			}
		},
	}
}

// presumedFIFO is the warehouse type the fake gives a warehouse added without one: 10, which
// Sitoo's examples show and is presumably FIFO.
const presumedFIFO sitoo.WarehouseType = 10

func (s *Server) warehouses() *crud[sitoo.Warehouse, sitoo.WarehouseRequest] {
	return &crud[sitoo.Warehouse, sitoo.WarehouseRequest]{
		srv: s, kind: "warehouse", idField: "warehouseid",
		table: func(st *site) *table[sitoo.Warehouse] { return st.warehouses },
		setID: func(w *sitoo.Warehouse, id int64) { w.WarehouseID = id },
		check: func(_ *site, req *sitoo.WarehouseRequest, create bool) error {
			if create && (req.Name == nil || req.UseType == nil || req.CurrencyCode == nil) {
				return badRequest("Missing required argument: usetype, currencycode, name")
			}
			return nil
		},
		touch: func(w *sitoo.Warehouse, create bool) {
			if create && w.WarehouseType == 0 {
				w.WarehouseType = presumedFIFO
			}
		},
	}
}
