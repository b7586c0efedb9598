package sitootest

import (
	"fmt"

	"github.com/loyalsync/loyalsync/sitoo"
)

// Seed helpers put data straight into the fake, bypassing the API and its rules, and read it back.
// They panic on an unknown site, a programming error in a test.

func (s *Server) site(id int64) *site {
	st := s.st.sites[id]
	if st == nil {
		panic(fmt.Sprintf("sitootest: no site %d (see WithSites)", id))
	}
	return st
}

// AddProduct stores p in a site and returns its id (p.ProductID if set, else a new one). Unset
// fields get the defaults of an add: active in POS and webshop, product group 2.
func (s *Server) AddProduct(siteID int64, p sitoo.Product) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	site := s.site(siteID)
	if p.ProductID == 0 {
		p.ProductID = s.st.id("product")
	}
	if p.VATID == 0 {
		p.VATID = defaultVATID
	}
	if g, ok := site.productGroups.get(p.VATID); ok {
		p.VATValue, p.ProductGroupType = g.Value, g.ProductGroupType
	}
	if p.MoneyFinalPrice.IsZero() {
		p.MoneyFinalPrice = p.MoneyPrice
	}
	now := sitoo.NewUnixTime(s.now())
	if p.DateCreated.IsZero() {
		p.DateCreated = now
	}
	if p.DateModified.IsZero() {
		p.DateModified = now
	}
	site.putProduct(&p)
	return p.ProductID
}

// SeedProducts adds n active products with SKUs "SKU-000001"... and prices 10.00, 11.00, ... and
// returns their ids.
func (s *Server) SeedProducts(siteID int64, n int) []int64 {
	ids := make([]int64, n)
	for i := range ids {
		ids[i] = s.AddProduct(siteID, sitoo.Product{
			SKU: fmt.Sprintf("SKU-%06d", i+1), Title: fmt.Sprintf("Product %d", i+1),
			MoneyPrice: sitoo.MoneyFromDecimal(sitoo.DecimalFromInt(int64(10 + i%1000)).Decimal),
			Active:     true, ActivePOS: true, StockCountEnable: true,
		})
	}
	return ids
}

// Product returns a stored product.
func (s *Server) Product(siteID, productID int64) (sitoo.Product, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.site(siteID).products.get(productID)
	if !ok {
		return sitoo.Product{}, false
	}
	return *p, true
}

// AddWarehouse stores w in a site and returns its id. A zero WarehouseType is 10 (presumably
// FIFO); use sitoo.WarehouseTypeVirtual for a Virtual warehouse.
func (s *Server) AddWarehouse(siteID int64, w sitoo.Warehouse) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if w.WarehouseID == 0 {
		w.WarehouseID = s.st.id("warehouse")
	}
	if w.WarehouseType == 0 {
		w.WarehouseType = presumedFIFO
	}
	if w.CurrencyCode == "" {
		w.CurrencyCode = "USD"
	}
	s.site(siteID).warehouses.put(w.WarehouseID, &w)
	return w.WarehouseID
}

// SetStock sets a SKU's stock level in any warehouse, without a transaction.
func (s *Server) SetStock(siteID, warehouseID int64, sku string, qty sitoo.Decimal) {
	s.mu.Lock()
	defer s.mu.Unlock()
	it := s.site(siteID).item(warehouseID, sku, true)
	it.DecimalTotal, it.DecimalAvailable = qty, qty
	it.DateLastModified = sitoo.NewUnixTime(s.now())
}

// Stock returns a SKU's stock level in a warehouse (zero when it has none).
func (s *Server) Stock(siteID, warehouseID int64, sku string) sitoo.Decimal {
	s.mu.Lock()
	defer s.mu.Unlock()
	if it := s.site(siteID).item(warehouseID, sku, false); it != nil {
		return it.DecimalTotal
	}
	return sitoo.Decimal{}
}

// Transactions returns a site's warehouse transactions, oldest first.
func (s *Server) Transactions(siteID int64) []sitoo.WarehouseTransaction {
	s.mu.Lock()
	defer s.mu.Unlock()
	return values(s.site(siteID).transactions.list(false, nil))
}

// AddOrder stores o as it is (no totals computed) and returns its id. EshopID defaults to the site.
func (s *Server) AddOrder(siteID int64, o sitoo.Order) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.site(siteID)
	if o.OrderID == 0 {
		o.OrderID = s.st.id("order")
	}
	o.EshopID = siteID
	if o.OrderDate.IsZero() {
		o.OrderDate = sitoo.NewUnixTime(s.now())
	}
	s.st.orders.put(o.OrderID, &order{Order: o})
	return o.OrderID
}

// Order returns a stored order.
func (s *Server) Order(orderID int64) (sitoo.Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o, ok := s.st.orders.get(orderID)
	if !ok {
		return sitoo.Order{}, false
	}
	return o.Order, true
}

// Orders returns how many orders the account holds.
func (s *Server) Orders() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.st.orders.ids)
}

// AddUser stores u and returns its userid (u.UserID if set).
func (s *Server) AddUser(u sitoo.User) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u.UserID == "" {
		n := s.st.id("user")
		u.UserID = fmt.Sprintf("{%08X-0000-4000-8000-%012X}", n, n)
	}
	if _, ok := s.st.users[u.UserID]; !ok {
		s.st.userIDs = append(s.st.userIDs, u.UserID)
	}
	s.st.users[u.UserID] = &u
	return u.UserID
}

// AddCategory stores c in a site and returns its id.
func (s *Server) AddCategory(siteID int64, c sitoo.Category) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.CategoryID == 0 {
		c.CategoryID = s.st.id("category")
	}
	s.site(siteID).categories.put(c.CategoryID, &c)
	return c.CategoryID
}

// AddVoucher stores v in a site and returns its id.
func (s *Server) AddVoucher(siteID int64, v sitoo.Voucher) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if v.VoucherID == 0 {
		v.VoucherID = s.st.id("voucher")
	}
	s.site(siteID).vouchers.put(v.VoucherID, &v)
	return v.VoucherID
}
