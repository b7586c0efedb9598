package woocommercetest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// coreOrderStatuses are wc_get_order_statuses() without the "wc-" prefix.
func coreOrderStatuses() []string {
	return []string{"pending", "processing", "on-hold", "completed", "cancelled", "refunded", "failed", "checkout-draft"}
}

func orderStatusLabel(status string) string {
	switch status {
	case "pending":
		return "Pending payment"
	case "on-hold":
		return "On hold"
	case "checkout-draft":
		return "Draft"
	}
	if status == "" {
		return status
	}
	return strings.ToUpper(status[:1]) + status[1:]
}

// orderStatuses are the statuses accepted on input, plugin ones included.
func (s *Server) orderStatuses() []string {
	return append(coreOrderStatuses(), s.cfg.statuses...)
}

// isPaidStatus is wc_get_is_paid_statuses().
func isPaidStatus(st string) bool { return st == "processing" || st == "completed" }

type address struct {
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
	Company   string `json:"company"`
	Address1  string `json:"address_1"`
	Address2  string `json:"address_2"`
	City      string `json:"city"`
	State     string `json:"state"`
	Postcode  string `json:"postcode"`
	Country   string `json:"country"`
	Email     string `json:"email,omitempty"`
	Phone     string `json:"phone"`
}

// billingJSON always carries email, even when empty.
type billingJSON struct {
	address
	Email string `json:"email"`
}

// apply sets the properties present in in.
func (a *address) apply(in map[string]string) {
	for k, v := range in {
		switch k {
		case "first_name":
			a.FirstName = v
		case "last_name":
			a.LastName = v
		case "company":
			a.Company = v
		case "address_1":
			a.Address1 = v
		case "address_2":
			a.Address2 = v
		case "city":
			a.City = v
		case "state":
			a.State = v
		case "postcode":
			a.Postcode = v
		case "country":
			a.Country = v
		case "email":
			a.Email = strings.ToLower(strings.TrimSpace(v))
		case "phone":
			a.Phone = v
		}
	}
}

func addressField(name string, email bool) field {
	props := []field{str("first_name"), str("last_name"), str("company"), str("address_1"), str("address_2"),
		str("city"), str("state"), str("postcode"), str("country"), str("phone")}
	if email {
		props = append(props, str("email").withFormat("email"))
	}
	return object(name, props...)
}

type order struct {
	id, parentID       int64
	status             string
	prevStatus         string // before trashing
	currency           string
	orderKey           string
	createdVia         string
	created, modified  time.Time
	paid, completed    time.Time
	customerID         int64
	customerNote       string
	billing, shipping  address
	paymentMethod      string
	paymentMethodTitle string
	transactionID      string
	meta               []meta
	lines              []*lineItem
	shippingLines      []*shippingLine
	feeLines           []*feeLine
	couponLines        []*couponLine
	refunds            []int64

	discountTotal, shippingTotal, feeTotal, total decimal.Decimal

	couponUsageRecorded bool
	stockReduced        bool
	salesRecorded       bool
}

type lineItem struct {
	id, productID, variationID int64
	name                       string
	qty                        int64
	taxClass                   string
	subtotal, total            decimal.Decimal
	fixedTotal                 bool // the client sent a total
	sku                        string
	meta                       []meta
	reducedStock               int64 // the _reduced_stock item meta: units taken from stock and not yet returned
}

type shippingLine struct {
	id                    int64
	methodTitle, methodID string
	total                 decimal.Decimal
	meta                  []meta
}

type feeLine struct {
	id    int64
	name  string
	total decimal.Decimal
	meta  []meta
}

type couponLine struct {
	id           int64
	code         string
	discount     decimal.Decimal
	discountType string
	nominal      decimal.Decimal
	freeShipping bool
}

func (o *order) sortKey() sortKey {
	return sortKey{id: o.id, created: o.created, modified: o.modified, title: fmt.Sprintf("Order &ndash; %d", o.id), slug: "order-" + strconv.FormatInt(o.id, 10)}
}

func (o *order) refundedTotal(st *state) decimal.Decimal {
	sum := decimal.Zero
	for _, id := range o.refunds {
		if r := st.refunds[id]; r != nil {
			sum = sum.Add(r.amount)
		}
	}
	return sum
}

// --- input -------------------------------------------------------------------------------------

type lineInput struct {
	ID          *int64      `json:"id"`
	Name        *string     `json:"name"`
	ProductID   *int64      `json:"product_id"`
	VariationID *int64      `json:"variation_id"`
	Quantity    *int64      `json:"quantity"`
	TaxClass    *string     `json:"tax_class"`
	Subtotal    *string     `json:"subtotal"`
	Total       *string     `json:"total"`
	SKU         *string     `json:"sku"`
	MetaData    []metaInput `json:"meta_data"`
	quantityNil bool
}

type shippingInput struct {
	ID          *int64      `json:"id"`
	MethodTitle *string     `json:"method_title"`
	MethodID    *string     `json:"method_id"`
	Total       *string     `json:"total"`
	MetaData    []metaInput `json:"meta_data"`
}

type feeInput struct {
	ID       *int64      `json:"id"`
	Name     *string     `json:"name"`
	Total    *string     `json:"total"`
	MetaData []metaInput `json:"meta_data"`
}

type couponLineInput struct {
	ID   *int64  `json:"id"`
	Code *string `json:"code"`
}

type orderInput struct {
	ParentID           *int64             `json:"parent_id"`
	Status             *string            `json:"status"`
	Currency           *string            `json:"currency"`
	CustomerID         *int64             `json:"customer_id"`
	CustomerNote       *string            `json:"customer_note"`
	Billing            map[string]string  `json:"billing"`
	Shipping           map[string]string  `json:"shipping"`
	PaymentMethod      *string            `json:"payment_method"`
	PaymentMethodTitle *string            `json:"payment_method_title"`
	TransactionID      *string            `json:"transaction_id"`
	MetaData           []metaInput        `json:"meta_data"`
	LineItems          *[]json.RawMessage `json:"line_items"`
	ShippingLines      *[]shippingInput   `json:"shipping_lines"`
	FeeLines           *[]feeInput        `json:"fee_lines"`
	CouponLines        *[]couponLineInput `json:"coupon_lines"`
	SetPaid            *bool              `json:"set_paid"`
}

func (s *Server) orderFields() []field {
	line := object("", integer("id"), str("name"), integer("product_id"), integer("variation_id"),
		integer("quantity").orNull(), str("tax_class"), str("subtotal"), str("total"), str("sku").orNull(), metaField())
	return []field{
		integer("parent_id"), enum("status", s.orderStatuses()...), str("currency"), integer("customer_id"),
		str("customer_note"), addressField("billing", true), addressField("shipping", false),
		str("payment_method"), str("payment_method_title"), str("transaction_id"), metaField(),
		arrayOf("line_items", line),
		arrayOf("shipping_lines", object("", integer("id"), str("method_title"), str("method_id"), str("total"), metaField())),
		arrayOf("fee_lines", object("", integer("id"), str("name"), str("total"), metaField())),
		arrayOf("coupon_lines", object("", integer("id"), str("code").orNull())),
		boolean("set_paid"),
	}
}

func (s *Server) orderHandlers() handlers {
	statuses := append([]string{"any", "trash"}, s.orderStatuses()...)
	return handlers{
		listSpec: listSpec{
			orderby: []string{"date", "id", "include", "title", "slug", "modified"}, defOrderby: "date",
			extra: []field{
				arrayOf("status", enum("", statuses...)), integer("customer"), integer("product"), integer("dp"),
				arrayOf("include_meta", str("")), arrayOf("exclude_meta", str("")),
			},
			idLists: []string{"parent", "parent_exclude"},
		},
		fields: s.orderFields(),
		list:   s.listOrders, create: s.createOrder, get: s.getOrder, update: s.updateOrder, del: s.deleteOrder,
		exists: func(c *call) bool { return s.st.orders[c.idArg()] != nil },
	}
}

// --- handlers ----------------------------------------------------------------------------------

func (s *Server) listOrders(c *call) (int, any, *wpError) {
	q := c.list
	statuses := q.strs("status")
	if len(statuses) == 0 || slices.Contains(statuses, "any") {
		statuses = nil
	}
	var items []*order
	for _, o := range sortedValues(s.st.orders) {
		if statuses == nil && (o.status == "trash" || o.status == "checkout-draft") {
			continue
		}
		if statuses != nil && !slices.Contains(statuses, o.status) {
			continue
		}
		if q.has("customer") && o.customerID != q.integer("customer") {
			continue
		}
		if q.has("product") && !slices.ContainsFunc(o.lines, func(l *lineItem) bool {
			p := q.integer("product")
			return l.productID == p || l.variationID == p
		}) {
			continue
		}
		if ids, ok := q.ids["parent"]; ok && len(ids) > 0 && !slices.Contains(ids, o.parentID) {
			continue
		}
		if slices.Contains(q.ids["parent_exclude"], o.parentID) {
			continue
		}
		if q.search != "" && !o.matches(q.search) {
			continue
		}
		if !q.keep(o.sortKey()) {
			continue
		}
		items = append(items, o)
	}
	sortItems(q, items, (*order).sortKey)
	dp := c.dp()
	include, exclude := q.strs("include_meta"), q.strs("exclude_meta")
	out := []any{}
	for _, o := range page(c, items) {
		j := s.renderOrder(c.tls, o, dp)
		j.MetaData = slices.DeleteFunc(j.MetaData, func(m meta) bool {
			return (len(include) > 0 && !slices.Contains(include, m.Key)) || slices.Contains(exclude, m.Key)
		})
		out = append(out, j)
	}
	return http.StatusOK, out, nil
}

// matches is the order search: id, billing and shipping details, and item names.
func (o *order) matches(term string) bool {
	if strconv.FormatInt(o.id, 10) == term {
		return true
	}
	for _, a := range []address{o.billing, o.shipping} {
		for _, v := range []string{a.FirstName, a.LastName, a.Company, a.Address1, a.City, a.Postcode, a.Email, a.Phone,
			a.FirstName + " " + a.LastName} {
			if v != "" && containsFold(v, term) {
				return true
			}
		}
	}
	for _, l := range o.lines {
		if containsFold(l.name, term) {
			return true
		}
	}
	return false
}

func (s *Server) getOrder(c *call) (int, any, *wpError) {
	o := s.st.orders[c.idArg()]
	if o == nil {
		return 0, nil, errInvalidID("shop_order", 404)
	}
	return http.StatusOK, s.renderOrder(c.tls, o, c.dp()), nil
}

func (s *Server) createOrder(c *call) (int, any, *wpError) {
	if c.rawID() {
		return 0, nil, errExists("shop_order")
	}
	var in orderInput
	if err := decodeInto(c.in, &in); err != nil {
		return 0, nil, newError(400, "rest_invalid_json", "Invalid JSON body passed.")
	}
	now := s.now()
	o := &order{
		id: s.st.newPost(), status: "pending", currency: s.cfg.currency, orderKey: "wc_order_" + randomHex(7)[:13],
		createdVia: "rest-api", created: now, modified: now,
	}
	if err := s.applyOrder(o, &in, true, c.events); err != nil {
		s.st.nextPost-- // nothing was saved
		return 0, nil, err
	}
	return c.created("orders/"+strconv.FormatInt(o.id, 10), s.renderOrder(c.tls, o, c.dp()))
}

func (s *Server) updateOrder(c *call) (int, any, *wpError) {
	o := s.st.orders[c.idArg()]
	if o == nil {
		return 0, nil, errInvalidID("shop_order", 400)
	}
	var in orderInput
	if err := decodeInto(c.in, &in); err != nil {
		return 0, nil, newError(400, "rest_invalid_json", "Invalid JSON body passed.")
	}
	cp := o.clone()
	if err := s.applyOrder(cp, &in, false, c.events); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.renderOrder(c.tls, s.st.orders[cp.id], c.dp()), nil
}

func (s *Server) deleteOrder(c *call) (int, any, *wpError) {
	o := s.st.orders[c.idArg()]
	if o == nil {
		return 0, nil, errInvalidID("shop_order", 404)
	}
	body := s.renderOrder(c.tls, o, c.dp())
	if c.force {
		delete(s.st.orders, o.id)
		for _, id := range o.refunds {
			delete(s.st.refunds, id)
		}
		c.events.add("order", "deleted", o.id)
		return http.StatusOK, body, nil
	}
	if o.status == "trash" {
		return 0, nil, errAlreadyTrashed("shop_order")
	}
	o.prevStatus, o.status, o.modified = o.status, "trash", s.now()
	c.events.add("order", "deleted", o.id)
	return http.StatusOK, s.renderOrder(c.tls, o, c.dp()), nil
}

// clone copies an order so a failed update leaves the stored one untouched.
func (o *order) clone() *order {
	cp := *o
	cp.meta = slices.Clone(o.meta)
	cp.lines = make([]*lineItem, len(o.lines))
	for i, l := range o.lines {
		lc := *l
		cp.lines[i] = &lc
	}
	cp.shippingLines = slices.Clone(o.shippingLines)
	cp.feeLines = slices.Clone(o.feeLines)
	cp.couponLines = slices.Clone(o.couponLines)
	cp.refunds = slices.Clone(o.refunds)
	return &cp
}

// applyOrder is the orders controller's prepare_object_for_database + save_object: it sets the
// properties present in in, recalculates totals, applies coupons, saves the order (replacing the
// stored one) and runs the status transition and set_paid.
func (s *Server) applyOrder(o *order, in *orderInput, creating bool, ev *events) *wpError {
	if in.ParentID != nil {
		o.parentID = *in.ParentID
	}
	if in.Currency != nil {
		o.currency = *in.Currency
	}
	if in.CustomerID != nil {
		if *in.CustomerID != 0 && s.st.customers[*in.CustomerID] == nil {
			return newError(400, "woocommerce_rest_invalid_customer_id", "Customer ID is invalid.")
		}
		o.customerID = *in.CustomerID
	}
	if in.CustomerNote != nil {
		o.customerNote = *in.CustomerNote
	}
	o.billing.apply(in.Billing)
	o.shipping.apply(in.Shipping)
	o.shipping.Email = ""
	if in.PaymentMethod != nil {
		o.paymentMethod = *in.PaymentMethod
	}
	if in.PaymentMethodTitle != nil {
		o.paymentMethodTitle = *in.PaymentMethodTitle
	}
	if in.TransactionID != nil {
		o.transactionID = *in.TransactionID
	}
	o.meta = s.st.updateMeta(o.meta, in.MetaData)
	if in.LineItems != nil {
		if err := s.applyLineItems(o, *in.LineItems); err != nil {
			return err
		}
	}
	if in.ShippingLines != nil {
		for _, sl := range *in.ShippingLines {
			s.applyShippingLine(o, sl)
		}
	}
	if in.FeeLines != nil {
		for _, fl := range *in.FeeLines {
			s.applyFeeLine(o, fl)
		}
	}
	var codes []string
	couponsGiven := in.CouponLines != nil
	if couponsGiven {
		for _, cl := range *in.CouponLines {
			if cl.ID != nil && *cl.ID != 0 {
				continue // existing coupon lines are removed and not re-applied, as WooCommerce does
			}
			if cl.Code == nil || strings.TrimSpace(*cl.Code) == "" {
				return newError(400, "woocommerce_rest_invalid_coupon", "Coupon code is required.")
			}
			codes = append(codes, strings.ToLower(strings.TrimSpace(*cl.Code)))
		}
	} else {
		for _, cl := range o.couponLines {
			codes = append(codes, cl.code)
		}
	}
	// Like the controller, totals are only recalculated when something they depend on was sent.
	if creating || couponsGiven || in.LineItems != nil || in.ShippingLines != nil || in.FeeLines != nil ||
		in.Billing != nil || in.Shipping != nil {
		if err := s.calculateTotals(o, codes, couponsGiven); err != nil {
			return err
		}
	}
	if !creating {
		o.modified = s.now()
	}
	s.st.orders[o.id] = o
	if creating {
		ev.add("order", "created", o.id)
	} else {
		ev.add("order", "updated", o.id)
	}
	if in.Status != nil && *in.Status != o.status {
		s.setStatus(o, *in.Status, ev)
	}
	if in.SetPaid != nil && *in.SetPaid && (creating || o.needsPayment()) {
		s.paymentComplete(o, ev)
	}
	return nil
}

func (s *Server) applyLineItems(o *order, raws []json.RawMessage) *wpError {
	for _, raw := range raws {
		var li lineInput
		if err := json.Unmarshal(raw, &li); err != nil {
			return newError(400, "woocommerce_rest_invalid_item", "Invalid line item.")
		}
		var m map[string]json.RawMessage
		_ = json.Unmarshal(raw, &m)
		if q, ok := m["quantity"]; ok && string(q) == "null" {
			li.quantityNil = true
		}
		var item *lineItem
		if li.ID != nil && *li.ID != 0 {
			i := slices.IndexFunc(o.lines, func(l *lineItem) bool { return l.id == *li.ID })
			if i < 0 {
				return newError(400, "woocommerce_rest_invalid_item_id", "Order item ID provided is not associated with order.")
			}
			if li.quantityNil || (li.Quantity != nil && *li.Quantity == 0) {
				o.lines = slices.Delete(o.lines, i, i+1)
				continue
			}
			item = o.lines[i]
		} else {
			if li.quantityNil || (li.Quantity != nil && *li.Quantity == 0) {
				continue
			}
			item = &lineItem{id: s.st.newItem(), qty: 1}
			o.lines = append(o.lines, item)
		}
		if err := s.applyLineItem(item, &li); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) applyLineItem(item *lineItem, li *lineInput) *wpError {
	productChanged := false
	if li.ProductID != nil || li.VariationID != nil || (li.SKU != nil && item.productID == 0) {
		pid, vid := item.productID, item.variationID
		if li.ProductID != nil {
			pid = *li.ProductID
		}
		if li.VariationID != nil {
			vid = *li.VariationID
		}
		if pid == 0 && vid == 0 && li.SKU != nil {
			for _, p := range s.st.withSKU(*li.SKU) {
				if p.status != "trash" {
					if p.variation {
						pid, vid = p.parentID, p.id
					} else {
						pid = p.id
					}
					break
				}
			}
		}
		id := pid
		if vid != 0 {
			id = vid
		}
		p := s.st.products[id]
		if p == nil || (vid != 0 && p.parentID != pid && pid != 0) {
			return newError(400, "woocommerce_rest_invalid_product_id", "Invalid product ID.")
		}
		if p.variation {
			pid, vid = p.parentID, p.id
		}
		item.productID, item.variationID = pid, vid
		item.name, item.sku = s.productName(p), p.sku
		productChanged = true
	}
	if item.productID == 0 && li.Name == nil && item.name == "" {
		return newError(400, "woocommerce_rest_required_product_reference", "Product ID or SKU is required.")
	}
	if li.Name != nil {
		item.name = *li.Name
	}
	if li.Quantity != nil {
		item.qty = *li.Quantity
	}
	if li.TaxClass != nil {
		item.taxClass = *li.TaxClass
	}
	item.meta = s.st.updateMeta(item.meta, li.MetaData)
	if li.Subtotal != nil {
		item.subtotal = decimalOf(s.formatDecimal(*li.Subtotal))
	} else if productChanged || li.Quantity != nil {
		price := decimal.Zero
		id := item.productID
		if item.variationID != 0 {
			id = item.variationID
		}
		if p := s.st.products[id]; p != nil {
			price = decimalOf(p.price(s.st))
		}
		item.subtotal = price.Mul(decimal.NewFromInt(item.qty))
	}
	if li.Total != nil {
		item.total, item.fixedTotal = decimalOf(s.formatDecimal(*li.Total)), true
	} else if li.Subtotal != nil || productChanged || li.Quantity != nil {
		item.total, item.fixedTotal = item.subtotal, false
	}
	return nil
}

func (s *Server) applyShippingLine(o *order, in shippingInput) {
	var sl *shippingLine
	if in.ID != nil && *in.ID != 0 {
		i := slices.IndexFunc(o.shippingLines, func(l *shippingLine) bool { return l.id == *in.ID })
		if i < 0 {
			return
		}
		if in.MethodID == nil && in.MethodTitle == nil && in.Total == nil && in.MetaData == nil {
			o.shippingLines = slices.Delete(o.shippingLines, i, i+1)
			return
		}
		cp := *o.shippingLines[i]
		sl = &cp
		o.shippingLines[i] = sl
	} else {
		sl = &shippingLine{id: s.st.newItem()}
		o.shippingLines = append(o.shippingLines, sl)
	}
	if in.MethodTitle != nil {
		sl.methodTitle = *in.MethodTitle
	}
	if in.MethodID != nil {
		sl.methodID = *in.MethodID
	}
	if in.Total != nil {
		sl.total = decimalOf(s.formatDecimal(*in.Total))
	}
	sl.meta = s.st.updateMeta(sl.meta, in.MetaData)
}

func (s *Server) applyFeeLine(o *order, in feeInput) {
	var fl *feeLine
	if in.ID != nil && *in.ID != 0 {
		i := slices.IndexFunc(o.feeLines, func(l *feeLine) bool { return l.id == *in.ID })
		if i < 0 {
			return
		}
		cp := *o.feeLines[i]
		fl = &cp
		o.feeLines[i] = fl
	} else {
		fl = &feeLine{id: s.st.newItem()}
		o.feeLines = append(o.feeLines, fl)
	}
	if in.Name != nil {
		fl.name = *in.Name
	}
	if in.Total != nil {
		fl.total = decimalOf(s.formatDecimal(*in.Total))
	}
	fl.meta = s.st.updateMeta(fl.meta, in.MetaData)
}
