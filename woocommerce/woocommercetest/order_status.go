package woocommercetest

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

func (o *order) needsPayment() bool {
	return (o.status == "pending" || o.status == "failed") && o.total.IsPositive()
}

// paymentComplete is WC_Order::payment_complete.
func (s *Server) paymentComplete(o *order, ev *events) {
	switch o.status {
	case "on-hold", "pending", "failed", "cancelled":
	default:
		return
	}
	if o.paid.IsZero() {
		o.paid = s.now()
	}
	s.setStatus(o, "processing", ev)
}

// setStatus moves the order to a new status with WooCommerce's side effects: paid and completed
// dates, coupon usage counts, stock levels, total sales, an order note, and a full refund when an
// order is set to refunded by hand.
func (s *Server) setStatus(o *order, to string, ev *events) {
	from := o.status
	if from == to {
		return
	}
	o.status, o.modified = to, s.now()
	// WC_Order::status_transition runs the woocommerce_order_status_<to> hooks (stock changes and
	// their notes) before it adds the transition note.
	s.enterStatus(o, from, to, ev)
	s.addNote(o, fmt.Sprintf("Order status changed from %s to %s.", orderStatusLabel(from), orderStatusLabel(to)), false, "WooCommerce")
	ev.add("order", "updated", o.id)
}

func (s *Server) enterStatus(o *order, from, to string, ev *events) {
	now := s.now()
	if isPaidStatus(to) && o.paid.IsZero() {
		o.paid = now
	}
	if to == "completed" {
		o.completed = now
	}
	switch to {
	case "pending", "processing", "on-hold", "completed":
		s.recordCouponUsage(o, ev)
	case "cancelled":
		s.releaseCouponUsage(o, ev)
	}
	switch to {
	case "processing", "on-hold", "completed":
		s.reduceStock(o, ev)
		if !o.salesRecorded {
			o.salesRecorded = true
			for _, l := range o.lines {
				if p := s.st.products[l.productID]; p != nil {
					p.totalSales += l.qty
				}
			}
		}
	case "cancelled", "pending":
		s.restoreStock(o, ev)
	}
	if isPaidStatus(to) {
		if cu := s.st.customers[o.customerID]; cu != nil && !cu.isPaying {
			cu.isPaying = true
			ev.add("customer", "updated", cu.id)
		}
	}
	if to == "refunded" && from != "" {
		// wc_order_fully_refunded: refund what is left, without calling the gateway.
		left := o.total.Sub(o.refundedTotal(s.st))
		if left.IsPositive() {
			s.addRefund(o, left, "Order fully refunded.", false, nil, false, ev)
			s.addNote(o, "Order status set to refunded. To return funds to the customer you will need to issue a refund through your payment gateway.", false, "WooCommerce")
		}
	}
}

func (s *Server) recordCouponUsage(o *order, ev *events) {
	if o.couponUsageRecorded || len(o.couponLines) == 0 {
		return
	}
	o.couponUsageRecorded = true
	who := o.billing.Email
	if o.customerID != 0 {
		who = strconv.FormatInt(o.customerID, 10)
	}
	for _, cl := range o.couponLines {
		if cp := s.st.couponByCode(cl.code); cp != nil {
			cp.usageCount++
			if who != "" {
				cp.usedBy = append(cp.usedBy, who)
			}
			ev.add("coupon", "updated", cp.id)
		}
	}
}

func (s *Server) releaseCouponUsage(o *order, ev *events) {
	if !o.couponUsageRecorded {
		return
	}
	o.couponUsageRecorded = false
	who := o.billing.Email
	if o.customerID != 0 {
		who = strconv.FormatInt(o.customerID, 10)
	}
	for _, cl := range o.couponLines {
		if cp := s.st.couponByCode(cl.code); cp != nil {
			cp.usageCount = max(cp.usageCount-1, 0)
			if i := slices.Index(cp.usedBy, who); i >= 0 {
				cp.usedBy = slices.Delete(cp.usedBy, i, i+1)
			}
			ev.add("coupon", "updated", cp.id)
		}
	}
}

func (s *Server) reduceStock(o *order, ev *events) {
	if o.stockReduced {
		return
	}
	o.stockReduced = true
	s.stockNote(o, "Stock levels reduced:", func(l *lineItem) int64 {
		if l.reducedStock != 0 {
			return 0 // wc_reduce_stock_levels skips an item that already has _reduced_stock
		}
		l.reducedStock = l.qty
		return -l.qty
	}, ev)
}

// restoreStock is wc_increase_stock_levels: each item gets back what _reduced_stock says is still
// out (its quantity less what refunds restocked), and the meta is removed.
func (s *Server) restoreStock(o *order, ev *events) {
	if !o.stockReduced {
		return
	}
	o.stockReduced = false
	s.stockNote(o, "Stock levels increased:", func(l *lineItem) int64 {
		n := l.reducedStock
		l.reducedStock = 0
		return n
	}, ev)
}

// stockNote changes the stock of every line by delta(line) and, when any stock changed, adds
// the order note wc_trigger_stock_change_notifications writes: "Stock levels reduced: Tee
// (TEE-S) 10&rarr;9, Mug (#12) 4&rarr;3", with the HTML entity as WooCommerce stores it.
func (s *Server) stockNote(o *order, prefix string, delta func(*lineItem) int64, ev *events) {
	var changes []string
	for _, l := range o.lines {
		d := delta(l)
		if d == 0 {
			continue
		}
		p, from, to, ok := s.changeStock(l, d, ev)
		if !ok {
			l.reducedStock = 0 // no stock managed: WooCommerce records no _reduced_stock
			continue
		}
		id := p.sku
		if id == "" {
			id = "#" + strconv.FormatInt(p.id, 10)
		}
		changes = append(changes, fmt.Sprintf("%s (%s) %d&rarr;%d", s.productName(p), id, from, to))
	}
	if len(changes) > 0 {
		s.addNote(o, prefix+" "+strings.Join(changes, ", "), false, "WooCommerce")
	}
}

// restockRefunded is wc_restock_refunded_items: each refunded line whose stock was reduced goes
// back into stock by the refunded quantity, with the note "Item #<product or variation id>
// stock increased from <old> to <new>."
func (s *Server) restockRefunded(o *order, lines []refundLine, ev *events) {
	for _, l := range o.lines {
		i := slices.IndexFunc(lines, func(r refundLine) bool { return r.itemID == l.id })
		if i < 0 || lines[i].qty == 0 || l.reducedStock == 0 {
			continue
		}
		qty := lines[i].qty
		if _, from, to, ok := s.changeStock(l, qty, ev); ok {
			l.reducedStock -= qty
			s.addNote(o, fmt.Sprintf("Item #%d stock increased from %d to %d.", cmp.Or(l.variationID, l.productID), from, to), false, "WooCommerce")
		}
	}
}

// changeStock adjusts the stock of the product (or variation) that manages it and reports the
// product and the stock before and after.
func (s *Server) changeStock(l *lineItem, delta int64, ev *events) (*product, int64, int64, bool) {
	id := l.productID
	if l.variationID != 0 {
		id = l.variationID
	}
	p := s.st.products[id]
	if p != nil && p.variation && !p.manageStock {
		p = s.st.products[p.parentID] // manage_stock "parent"
	}
	if p == nil || !p.manageStock {
		return nil, 0, 0, false
	}
	q := int64(0)
	if p.stockQty != nil {
		q = *p.stockQty
	}
	from := q
	q += delta
	p.stockQty = &q
	p.updateStockStatus()
	p.modified = s.now()
	ev.add("product", "updated", p.id)
	return p, from, q, true
}
