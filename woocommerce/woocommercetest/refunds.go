package woocommercetest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/shopspring/decimal"
)

type refund struct {
	id, orderID     int64
	created         time.Time
	amount          decimal.Decimal
	reason          string
	refundedBy      int64
	refundedPayment bool
	meta            []meta
	lines           []refundLine
}

type refundLine struct {
	id                     int64
	itemID                 int64
	productID, variationID int64
	name, sku              string
	qty                    int64
	total                  decimal.Decimal // positive amount refunded
}

func refundFields() []field {
	return []field{
		str("amount"), str("reason"), integer("refunded_by"), boolean("api_refund"), boolean("api_restock"), metaField(),
		arrayOf("line_items", object("", integer("id"), integer("quantity"), field{name: "refund_total", kind: kNumber},
			arrayOf("refund_tax", object("", integer("id"), field{name: "refund_total", kind: kNumber})))),
	}
}

func refundListSpec() listSpec {
	return listSpec{orderby: []string{"date", "id", "include", "title", "slug", "modified"}, defOrderby: "date",
		extra: []field{integer("dp")}, idLists: []string{"parent", "parent_exclude"}}
}

type refundInput struct {
	Amount     *string     `json:"amount"`
	Reason     *string     `json:"reason"`
	RefundedBy *int64      `json:"refunded_by"`
	APIRefund  *bool       `json:"api_refund"`
	APIRestock *bool       `json:"api_restock"`
	MetaData   []metaInput `json:"meta_data"`
	LineItems  []struct {
		ID          int64       `json:"id"`
		Quantity    int64       `json:"quantity"`
		RefundTotal json.Number `json:"refund_total"`
	} `json:"line_items"`
}

func errInvalidOrderID() *wpError {
	return newError(404, "woocommerce_rest_invalid_order_id", "Invalid order ID.")
}

// gatewaySupportsRefunds models the installed gateways: none for an empty payment method, the
// offline ones (bacs, cheque, cod) without refund support, any other with it.
func gatewaySupportsRefunds(method string) (exists, supports bool) {
	switch method {
	case "":
		return false, false
	case "bacs", "cheque", "cod":
		return true, false
	}
	return true, true
}

func (s *Server) createRefund(c *call) (int, any, *wpError) {
	o := s.st.orders[c.ids[0]]
	if o == nil {
		return 0, nil, errInvalidOrderID()
	}
	var in refundInput
	if err := decodeInto(c.in, &in); err != nil {
		return 0, nil, newError(400, "rest_invalid_param", "Invalid parameter(s): line_items")
	}
	var amount decimal.Decimal
	if in.Amount != nil {
		amount = decimalOf(s.formatDecimal(*in.Amount))
	} else {
		for _, l := range in.LineItems {
			amount = amount.Add(decimalOf(l.RefundTotal.String()))
		}
	}
	if amount.IsNegative() {
		return 0, nil, newError(400, "woocommerce_rest_invalid_order_refund", "Refund amount must be greater than zero.")
	}
	cannot := func(msg string) *wpError {
		return newError(500, "woocommerce_rest_cannot_create_order_refund", "%s", msg)
	}
	if amount.Add(o.refundedTotal(s.st)).GreaterThan(o.total) {
		return 0, nil, cannot("Invalid refund amount.")
	}
	var lines []refundLine
	for _, l := range in.LineItems {
		i := slices.IndexFunc(o.lines, func(li *lineItem) bool { return li.id == l.ID })
		if i < 0 {
			continue
		}
		li := o.lines[i]
		lines = append(lines, refundLine{id: s.st.newItem(), itemID: li.id, productID: li.productID, variationID: li.variationID,
			name: li.name, sku: li.sku, qty: l.Quantity, total: decimalOf(l.RefundTotal.String())})
	}
	apiRefund := in.APIRefund == nil || *in.APIRefund // api_refund defaults to true: the gateway is called
	if apiRefund {
		exists, supports := gatewaySupportsRefunds(o.paymentMethod)
		if !exists {
			return 0, nil, cannot("The payment gateway for this order does not exist.")
		}
		if !supports {
			return 0, nil, cannot("The payment gateway for this order does not support automatic refunds.")
		}
	}
	reason := ""
	if in.Reason != nil {
		reason = *in.Reason
	}
	// wc_create_refund restocks (api_restock, default true) before a full refund moves the order
	// to refunded, so the restock notes come before the status change note.
	restock := in.APIRestock == nil || *in.APIRestock
	r := s.addRefund(o, amount, reason, apiRefund, lines, restock, c.events)
	if in.RefundedBy != nil {
		r.refundedBy = *in.RefundedBy
	}
	r.meta = s.st.updateMeta(r.meta, in.MetaData)
	return c.created(c.routePath()+"/"+strconv.FormatInt(r.id, 10), s.renderRefund(c.tls, r, c.dp()))
}

// addRefund records a refund (wc_create_refund), restocks its lines when asked and, when nothing
// is left to refund, moves the order to refunded (woocommerce_order_fully_refunded). No note of
// its own: the notes a refund leaves are the restock notes and the status change note (payment
// gateways add their own, which the fake does not model). The order fires order.updated.
func (s *Server) addRefund(o *order, amount decimal.Decimal, reason string, refundedPayment bool, lines []refundLine, restock bool, ev *events) *refund {
	r := &refund{id: s.st.newPost(), orderID: o.id, created: s.now(), amount: amount, reason: reason,
		refundedBy: 1, refundedPayment: refundedPayment, lines: lines}
	s.st.refunds[r.id] = r
	o.refunds = append(o.refunds, r.id)
	o.modified = s.now()
	ev.add("order", "updated", o.id)
	if restock {
		s.restockRefunded(o, lines, ev)
	}
	if !o.total.Sub(o.refundedTotal(s.st)).IsPositive() && o.status != "refunded" {
		s.setStatus(o, "refunded", ev)
	}
	return r
}

func (s *Server) getRefund(c *call) (int, any, *wpError) {
	o := s.st.orders[c.ids[0]]
	if o == nil {
		return 0, nil, errInvalidOrderID()
	}
	r := s.st.refunds[c.ids[1]]
	if r == nil || r.orderID != o.id {
		return 0, nil, errInvalidID("shop_order_refund", 404)
	}
	return http.StatusOK, s.renderRefund(c.tls, r, c.dp()), nil
}

func (s *Server) deleteRefund(c *call) (int, any, *wpError) {
	o := s.st.orders[c.ids[0]]
	r := s.st.refunds[c.ids[1]]
	if r == nil || o == nil || r.orderID != o.id {
		return 0, nil, errInvalidID("shop_order_refund", 404)
	}
	if !c.force {
		return 0, nil, errTrashNotSupported("shop_order_refund")
	}
	body := s.renderRefund(c.tls, r, c.dp())
	delete(s.st.refunds, r.id)
	o.refunds = slices.DeleteFunc(o.refunds, func(id int64) bool { return id == r.id })
	o.modified = s.now()
	c.events.add("order", "updated", o.id) // order.updated also fires when a refund is deleted
	return http.StatusOK, body, nil
}

func (s *Server) listRefunds(c *call) (int, any, *wpError) {
	o := s.st.orders[c.ids[0]]
	if o == nil {
		return 0, nil, errInvalidOrderID()
	}
	return s.refundPage(c, func(r *refund) bool { return r.orderID == o.id })
}

// listAllRefunds is GET /refunds (WooCommerce 9.x), every order's refunds.
func (s *Server) listAllRefunds(c *call) (int, any, *wpError) {
	parents := c.list.ids["parent"]
	return s.refundPage(c, func(r *refund) bool { return len(parents) == 0 || slices.Contains(parents, r.orderID) })
}

func (s *Server) refundPage(c *call, keep func(*refund) bool) (int, any, *wpError) {
	key := func(r *refund) sortKey {
		return sortKey{id: r.id, created: r.created, modified: r.created, title: "Refund", slug: "refund-" + strconv.FormatInt(r.id, 10)}
	}
	var items []*refund
	for _, r := range sortedValues(s.st.refunds) {
		if keep(r) && c.list.keep(key(r)) && (c.list.search == "" || containsFold(r.reason, c.list.search)) {
			items = append(items, r)
		}
	}
	sortItems(c.list, items, key)
	out := []any{}
	for _, r := range page(c, items) {
		out = append(out, s.renderRefund(c.tls, r, c.dp()))
	}
	return http.StatusOK, out, nil
}

type refundJSON struct {
	ID              int64            `json:"id"`
	DateCreated     *string          `json:"date_created"`
	DateCreatedGMT  *string          `json:"date_created_gmt"`
	Amount          string           `json:"amount"`
	Reason          string           `json:"reason"`
	RefundedBy      int64            `json:"refunded_by"`
	RefundedPayment bool             `json:"refunded_payment"`
	MetaData        []meta           `json:"meta_data"`
	LineItems       []refundLineJSON `json:"line_items"`
	ShippingLines   []any            `json:"shipping_lines"`
	TaxLines        []any            `json:"tax_lines"`
	FeeLines        []any            `json:"fee_lines"`
	Links           links            `json:"_links"`
}

type refundLineJSON struct {
	ID          int64   `json:"id"`
	Name        string  `json:"name"`
	ProductID   int64   `json:"product_id"`
	VariationID int64   `json:"variation_id"`
	Quantity    int64   `json:"quantity"`
	TaxClass    string  `json:"tax_class"`
	Subtotal    string  `json:"subtotal"`
	SubtotalTax string  `json:"subtotal_tax"`
	Total       string  `json:"total"`
	TotalTax    string  `json:"total_tax"`
	Taxes       []any   `json:"taxes"`
	MetaData    []meta  `json:"meta_data"`
	SKU         *string `json:"sku"`
	Price       float64 `json:"price"`
	RefundTotal float64 `json:"refund_total"`
}

func (s *Server) renderRefund(tls bool, r *refund, dp int) refundJSON {
	base := "orders/" + strconv.FormatInt(r.orderID, 10)
	j := refundJSON{
		ID: r.id, DateCreated: s.localDate(r.created), DateCreatedGMT: gmtDate(r.created), Amount: moneyDP(r.amount, dp),
		Reason: r.reason, RefundedBy: r.refundedBy, RefundedPayment: r.refundedPayment, MetaData: metaOut(r.meta),
		LineItems: []refundLineJSON{}, ShippingLines: []any{}, TaxLines: []any{}, FeeLines: []any{},
		Links: s.links(tls, base+"/refunds/"+strconv.FormatInt(r.id, 10), base+"/refunds", "up", base),
	}
	for _, l := range r.lines {
		neg := l.total.Neg()
		lj := refundLineJSON{ID: l.id, Name: l.name, ProductID: l.productID, VariationID: l.variationID, Quantity: -l.qty,
			Subtotal: moneyDP(neg, dp), SubtotalTax: moneyDP(decimal.Zero, dp), Total: moneyDP(neg, dp),
			TotalTax: moneyDP(decimal.Zero, dp), Taxes: []any{}, MetaData: []meta{}, RefundTotal: l.total.InexactFloat64()}
		if l.qty != 0 {
			lj.Price = neg.Div(decimal.NewFromInt(-l.qty)).InexactFloat64()
		}
		if l.sku != "" {
			sku := l.sku
			lj.SKU = &sku
		}
		j.LineItems = append(j.LineItems, lj)
	}
	return j
}
