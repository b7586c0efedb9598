package woocommercetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// ErrNotFound is returned by the helpers for an id or code the store does not have.
var ErrNotFound = errors.New("woocommercetest: not found")

// Address is a billing or shipping address in the helpers.
type Address struct {
	FirstName, LastName, Company, Address1, Address2, City, State, Postcode, Country, Email, Phone string
}

func (a Address) input() map[string]string {
	m := map[string]string{
		"first_name": a.FirstName, "last_name": a.LastName, "company": a.Company, "address_1": a.Address1,
		"address_2": a.Address2, "city": a.City, "state": a.State, "postcode": a.Postcode, "country": a.Country,
		"email": a.Email, "phone": a.Phone,
	}
	for k, v := range m {
		if v == "" {
			delete(m, k)
		}
	}
	return m
}

func addressOf(a address) Address {
	return Address(a)
}

// Customer is a customer to seed with AddCustomer, or as Server.Customer reads it back. Read-only
// fields are ignored when seeding.
type Customer struct {
	ID                  int64 // read-only
	Email               string
	FirstName, LastName string
	Username            string // generated from the email when empty
	Billing, Shipping   Address
	IsPayingCustomer    bool // read-only: set when one of the customer's orders is paid
}

// Product is a product (or variation) to seed with AddProduct or AddVariation, or as read back.
// Prices are decimal strings ("12.50"), as WooCommerce stores them.
type Product struct {
	ID            int64 // read-only
	ParentID      int64 // read-only; the variable product of a variation
	Name          string
	Type          string // simple (default), variable, grouped or external
	Status        string // publish (default), draft, pending, private
	SKU           string
	RegularPrice  string
	SalePrice     string
	ManageStock   bool
	StockQuantity int64 // used when ManageStock is true
	StockStatus   string
	CategoryIDs   []int64
	TotalSales    int64 // read-only
}

// Line is an order line item.
type Line struct {
	ID          int64 // read-only
	ProductID   int64
	VariationID int64
	Quantity    int64  // default 1
	Total       string // default: the product price times the quantity
	Name        string // read-only
}

// Order is an order to seed with AddOrder, or as Server.Order reads it back. Amounts read back are
// formatted with the store's decimals, as the REST API sends them.
type Order struct {
	ID            int64 // read-only
	Status        string
	CustomerID    int64
	Billing       Address
	Lines         []Line
	ShippingTotal string
	CouponCodes   []string
	PaymentMethod string // e.g. "stripe" (a gateway with refunds), "bacs", "cod"; default "stripe"
	SetPaid       bool   // payment_complete: pending → processing, date_paid set
	Created       time.Time
	Currency      string // read-only

	Total, DiscountTotal, RefundedTotal string  // read-only
	RefundIDs                           []int64 // read-only, oldest first
	DatePaid, DateCompleted             time.Time
}

// Coupon is a coupon to seed with AddCoupon, or as Server.Coupon reads it back.
type Coupon struct {
	ID                int64 // read-only
	Code              string
	DiscountType      string // fixed_cart (default), percent or fixed_product
	Amount            string
	Status            string // publish (default)
	Description       string
	EmailRestrictions []string
	UsageLimit        int64
	UsageLimitPerUser int64
	IndividualUse     bool
	MinimumAmount     string
	Expires           time.Time
	UsageCount        int64    // read-only
	UsedBy            []string // read-only: customer ids or billing emails
}

// Webhook is a webhook as Server.Webhook reads it, secret included.
type Webhook struct {
	ID           int64
	Name         string
	Status       string
	Topic        string
	DeliveryURL  string
	Secret       string
	FailureCount int
}

// mutate runs f under the state lock with a fresh set of events and queues their deliveries.
func (s *Server) mutate(f func(ev *events) error) error {
	s.mu.Lock()
	ev := &events{}
	err := f(ev)
	jobs := s.jobsFor(ev)
	s.mu.Unlock()
	s.hooks.enqueue(jobs)
	return err
}

func helperErr(op string, e *wpError) error {
	if e == nil {
		return nil
	}
	return fmt.Errorf("woocommercetest: %s: %w", op, e)
}

// AddCustomer creates a customer as a registration would, firing customer.created.
func (s *Server) AddCustomer(c Customer) (int64, error) {
	var id int64
	err := s.mutate(func(ev *events) error {
		email, first, last, user := c.Email, c.FirstName, c.LastName, c.Username
		in := &customerInput{Email: &email, FirstName: &first, LastName: &last, Username: &user,
			Billing: c.Billing.input(), Shipping: c.Shipping.input()}
		now := s.now()
		cu := &customer{id: s.st.nextUser, role: "customer", created: now, modified: now}
		if err := s.applyCustomer(cu, in, true, ev); err != nil {
			return helperErr("add customer", err)
		}
		s.st.newUser()
		id = cu.id
		return nil
	})
	return id, err
}

// AddCategory creates a product category.
func (s *Server) AddCategory(name string, parent int64) (int64, error) {
	var id int64
	err := s.mutate(func(*events) error {
		cat := &category{id: s.st.nextTerm, display: "default"}
		if err := s.applyCategory(cat, &categoryInput{Name: &name, Parent: &parent}); err != nil {
			return helperErr("add category", err)
		}
		s.st.newTerm()
		id = cat.id
		return nil
	})
	return id, err
}

func (p Product) input() *productInput {
	in := &productInput{Name: &p.Name, SKU: &p.SKU, RegularPrice: &p.RegularPrice, SalePrice: &p.SalePrice}
	if p.Type != "" {
		in.Type = &p.Type
	}
	if p.Status != "" {
		in.Status = &p.Status
	}
	if p.StockStatus != "" {
		in.StockStatus = &p.StockStatus
	}
	in.ManageStock = json.RawMessage(strconv.FormatBool(p.ManageStock))
	if p.ManageStock {
		in.StockQuantity = json.RawMessage(strconv.FormatInt(p.StockQuantity, 10))
	}
	if p.CategoryIDs != nil {
		cats := make([]struct {
			ID int64 `json:"id"`
		}, len(p.CategoryIDs))
		for i, id := range p.CategoryIDs {
			cats[i].ID = id
		}
		in.Categories = &cats
	}
	return in
}

// AddProduct creates a product, firing product.created.
func (s *Server) AddProduct(p Product) (int64, error) {
	var id int64
	err := s.mutate(func(ev *events) error {
		np := s.newProduct(false, 0)
		if err := s.applyProduct(np, p.input(), true, ev); err != nil {
			s.st.nextPost--
			return helperErr("add product", err)
		}
		id = np.id
		return nil
	})
	return id, err
}

// AddVariation creates a variation of a variable product, firing product.created.
func (s *Server) AddVariation(parentID int64, p Product) (int64, error) {
	var id int64
	err := s.mutate(func(ev *events) error {
		parent := s.st.products[parentID]
		if parent == nil || parent.variation {
			return fmt.Errorf("%w: product %d", ErrNotFound, parentID)
		}
		v := s.newProduct(true, parentID)
		in := p.input()
		in.Name = nil
		if err := s.applyProduct(v, in, true, ev); err != nil {
			s.st.nextPost--
			return helperErr("add variation", err)
		}
		id = v.id
		return nil
	})
	return id, err
}

// AddOrder creates an order as the checkout would (created_via "checkout"), firing order.created.
// It starts pending (or Status); SetPaid completes the payment.
func (s *Server) AddOrder(o Order) (int64, error) {
	var id int64
	err := s.mutate(func(ev *events) error {
		in := &orderInput{Billing: o.Billing.input()}
		if o.CustomerID != 0 {
			in.CustomerID = &o.CustomerID
		}
		pm := o.PaymentMethod
		if pm == "" {
			pm = "stripe"
		}
		in.PaymentMethod = &pm
		lines := make([]json.RawMessage, 0, len(o.Lines))
		for _, l := range o.Lines {
			m := map[string]any{"product_id": l.ProductID, "quantity": max(l.Quantity, 1)}
			if l.VariationID != 0 {
				m["variation_id"] = l.VariationID
			}
			if l.Total != "" {
				m["total"], m["subtotal"] = l.Total, l.Total
			}
			b, _ := json.Marshal(m)
			lines = append(lines, b)
		}
		in.LineItems = &lines
		if o.ShippingTotal != "" {
			in.ShippingLines = &[]shippingInput{{MethodTitle: ptr("Flat rate"), MethodID: ptr("flat_rate"), Total: &o.ShippingTotal}}
		}
		if len(o.CouponCodes) > 0 {
			cls := make([]couponLineInput, len(o.CouponCodes))
			for i := range o.CouponCodes {
				cls[i].Code = &o.CouponCodes[i]
			}
			in.CouponLines = &cls
		}
		if o.Status != "" && o.Status != "pending" {
			if !slices.Contains(s.orderStatuses(), o.Status) {
				return fmt.Errorf("woocommercetest: add order: unknown status %q", o.Status)
			}
			in.Status = &o.Status
		}
		if o.SetPaid {
			in.SetPaid = ptr(true)
		}
		now := s.now()
		created := now
		if !o.Created.IsZero() {
			created = o.Created.UTC().Truncate(time.Second)
		}
		ord := &order{id: s.st.newPost(), status: "pending", currency: s.cfg.currency, orderKey: "wc_order_" + randomHex(7)[:13],
			createdVia: "checkout", created: created, modified: created}
		if err := s.applyOrder(ord, in, true, ev); err != nil {
			delete(s.st.orders, ord.id)
			return helperErr("add order", err)
		}
		if ord.status == "pending" {
			s.recordCouponUsage(ord, ev) // the checkout counts coupon usage when the order is placed
		}
		id = ord.id
		return nil
	})
	return id, err
}

func ptr[T any](v T) *T { return &v }

// AddCoupon creates a coupon (code lowercased, unique), firing coupon.created.
func (s *Server) AddCoupon(c Coupon) (int64, error) {
	var id int64
	err := s.mutate(func(ev *events) error {
		in := &couponInput{Code: &c.Code, Amount: &c.Amount, Description: &c.Description,
			IndividualUse: &c.IndividualUse, EmailRestrictions: &c.EmailRestrictions, MinimumAmount: &c.MinimumAmount}
		if c.DiscountType != "" {
			in.DiscountType = &c.DiscountType
		}
		if c.Status != "" {
			in.Status = &c.Status
		}
		in.UsageLimit = json.RawMessage(strconv.FormatInt(c.UsageLimit, 10))
		in.UsageLimitPerUser = json.RawMessage(strconv.FormatInt(c.UsageLimitPerUser, 10))
		if !c.Expires.IsZero() {
			b, _ := json.Marshal(c.Expires.UTC().Format(time.RFC3339))
			in.DateExpires = b
		}
		now := s.now()
		cp := &coupon{id: s.st.nextPost, status: "publish", discountType: "fixed_cart", created: now, modified: now}
		if err := s.applyCoupon(cp, in, true, ev); err != nil {
			return helperErr("add coupon", err)
		}
		s.st.newPost()
		id = cp.id
		return nil
	})
	return id, err
}

// AddWebhook creates an active webhook as the admin screen would (pinging the URL unless
// WithoutPing), with the given secret.
func (s *Server) AddWebhook(topic, deliveryURL, secret string) (int64, error) {
	var id int64
	err := s.mutate(func(*events) error {
		now := s.now()
		w := &webhook{id: s.st.nextWebhook, status: "active", created: now, modified: now, pendingDelivery: true,
			name: "Webhook " + topic}
		if err := s.applyWebhook(w, &webhookInput{Topic: &topic, DeliveryURL: &deliveryURL, Secret: &secret}, true); err != nil {
			return helperErr("add webhook", err)
		}
		s.st.newWebhook()
		id = w.id
		return nil
	})
	if err == nil && s.cfg.pingOnCreate {
		s.ping(s.hooks.ctx, id, deliveryURL)
	}
	return id, err
}
