package woocommercetest

import (
	"slices"
)

// Order returns an order as stored, or false.
func (s *Server) Order(id int64) (Order, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.st.orders[id]
	if o == nil {
		return Order{}, false
	}
	out := Order{ID: o.id, Status: o.status, CustomerID: o.customerID, Billing: addressOf(o.billing),
		ShippingTotal: s.money(o.shippingTotal), PaymentMethod: o.paymentMethod, Created: o.created, Currency: o.currency,
		Total: s.money(o.total), DiscountTotal: s.money(o.discountTotal), RefundedTotal: s.money(o.refundedTotal(s.st)),
		RefundIDs: slices.Clone(o.refunds), DatePaid: o.paid, DateCompleted: o.completed}
	for _, l := range o.lines {
		out.Lines = append(out.Lines, Line{ID: l.id, ProductID: l.productID, VariationID: l.variationID, Quantity: l.qty,
			Total: s.money(l.total), Name: l.name})
	}
	for _, cl := range o.couponLines {
		out.CouponCodes = append(out.CouponCodes, cl.code)
	}
	return out, true
}

// Coupon returns the published coupon with the code (case-insensitive), or false.
func (s *Server) Coupon(code string) (Coupon, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cp := s.st.couponByCode(code)
	if cp == nil {
		return Coupon{}, false
	}
	return Coupon{ID: cp.id, Code: cp.code, DiscountType: cp.discountType, Amount: cp.amount.StringFixed(2),
		Status: cp.status, Description: cp.description, EmailRestrictions: slices.Clone(cp.emailRestrictions),
		UsageLimit: cp.usageLimit, UsageLimitPerUser: cp.usageLimitPerUser, IndividualUse: cp.individualUse,
		MinimumAmount: cp.minimumAmount.StringFixed(2), Expires: cp.expires, UsageCount: cp.usageCount,
		UsedBy: slices.Clone(cp.usedBy)}, true
}

// Coupons returns every coupon that is not in the trash, by id.
func (s *Server) Coupons() []Coupon {
	s.mu.Lock()
	var codes []string
	for _, cp := range sortedValues(s.st.coupons) {
		if cp.status == "publish" {
			codes = append(codes, cp.code)
		}
	}
	s.mu.Unlock()
	out := make([]Coupon, 0, len(codes))
	for _, c := range codes {
		if cp, ok := s.Coupon(c); ok {
			out = append(out, cp)
		}
	}
	return out
}

// Product returns a product or variation, or false.
func (s *Server) Product(id int64) (Product, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.st.products[id]
	if p == nil {
		return Product{}, false
	}
	out := Product{ID: p.id, ParentID: p.parentID, Name: s.productName(p), Type: p.typ, Status: p.status, SKU: p.sku,
		RegularPrice: p.regularPrice, SalePrice: p.salePrice, ManageStock: p.manageStock, StockStatus: p.stockStatus,
		CategoryIDs: slices.Clone(p.categories), TotalSales: p.totalSales}
	if p.stockQty != nil {
		out.StockQuantity = *p.stockQty
	}
	return out, true
}

// Customer returns a customer, or false.
func (s *Server) Customer(id int64) (Customer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cu := s.st.customers[id]
	if cu == nil {
		return Customer{}, false
	}
	return Customer{ID: cu.id, Email: cu.email, FirstName: cu.firstName, LastName: cu.lastName, Username: cu.username,
		Billing: addressOf(cu.billing), Shipping: addressOf(cu.shipping), IsPayingCustomer: cu.isPaying}, true
}

// Webhook returns a webhook with its secret and failure count, or false.
func (s *Server) Webhook(id int64) (Webhook, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.st.webhooks[id]
	if w == nil {
		return Webhook{}, false
	}
	return Webhook{ID: w.id, Name: w.name, Status: w.status, Topic: w.topic, DeliveryURL: w.deliveryURL, Secret: w.secret,
		FailureCount: w.failureCount}, true
}
