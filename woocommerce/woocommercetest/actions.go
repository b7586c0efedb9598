package woocommercetest

import (
	"fmt"
	"slices"
	"time"

	"github.com/shopspring/decimal"
)

// SetOrderStatus moves an order to a status as the admin would, with WooCommerce's side effects
// (paid and completed dates, coupon usage, stock, a full refund for "refunded") and order.updated.
func (s *Server) SetOrderStatus(id int64, status string) error {
	return s.mutate(func(ev *events) error {
		o := s.st.orders[id]
		if o == nil {
			return fmt.Errorf("%w: order %d", ErrNotFound, id)
		}
		if !slices.Contains(s.orderStatuses(), status) {
			return fmt.Errorf("woocommercetest: set order status: unknown status %q", status)
		}
		s.setStatus(o, status, ev)
		return nil
	})
}

// Refund refunds part of an order as the admin would (recorded without calling the gateway) and
// returns the refund id. When nothing is left to refund the order becomes refunded. It fires
// order.updated.
func (s *Server) Refund(orderID int64, amount, reason string) (int64, error) {
	var id int64
	err := s.mutate(func(ev *events) error {
		o := s.st.orders[orderID]
		if o == nil {
			return fmt.Errorf("%w: order %d", ErrNotFound, orderID)
		}
		d, err := decimal.NewFromString(amount)
		if err != nil || d.IsNegative() {
			return fmt.Errorf("woocommercetest: refund: invalid amount %q", amount)
		}
		if d.Add(o.refundedTotal(s.st)).GreaterThan(o.total) {
			return fmt.Errorf("woocommercetest: refund: invalid refund amount %s (total %s, refunded %s)",
				amount, s.money(o.total), s.money(o.refundedTotal(s.st)))
		}
		id = s.addRefund(o, d, reason, false, nil, false, ev).id
		return nil
	})
	return id, err
}

// RefundFully refunds what is left of an order; the order becomes refunded.
func (s *Server) RefundFully(orderID int64, reason string) (int64, error) {
	s.mu.Lock()
	o := s.st.orders[orderID]
	left := ""
	if o != nil {
		left = o.total.Sub(o.refundedTotal(s.st)).String()
	}
	s.mu.Unlock()
	if o == nil {
		return 0, fmt.Errorf("%w: order %d", ErrNotFound, orderID)
	}
	return s.Refund(orderID, left, reason)
}

// Trash moves an order, product, variation or coupon to the trash (firing *.deleted), like
// DELETE without force.
func (s *Server) Trash(id int64) error {
	return s.mutate(func(ev *events) error {
		now := s.now()
		switch {
		case s.st.orders[id] != nil:
			o := s.st.orders[id]
			if o.status != "trash" {
				o.prevStatus, o.status, o.modified = o.status, "trash", now
				ev.add("order", "deleted", id)
			}
		case s.st.products[id] != nil:
			p := s.st.products[id]
			if p.status != "trash" {
				p.prevStatus, p.status, p.modified = p.status, "trash", now
				ev.add("product", "deleted", id)
			}
		case s.st.coupons[id] != nil:
			cp := s.st.coupons[id]
			if cp.status != "trash" {
				cp.prevStatus, cp.status, cp.modified = cp.status, "trash", now
				ev.add("coupon", "deleted", id)
			}
		default:
			return fmt.Errorf("%w: post %d", ErrNotFound, id)
		}
		return nil
	})
}

// Restore takes an order, product, variation or coupon out of the trash (firing *.restored), as
// the admin's "Restore" link does; the REST API has no way to do it.
func (s *Server) Restore(id int64) error {
	return s.mutate(func(ev *events) error {
		now := s.now()
		restore := func(status, prev *string, modified *time.Time, def, resource string) {
			if *status != "trash" {
				return
			}
			*status, *modified = *prev, now
			if *status == "" {
				*status = def
			}
			ev.add(resource, "restored", id)
		}
		switch {
		case s.st.orders[id] != nil:
			o := s.st.orders[id]
			restore(&o.status, &o.prevStatus, &o.modified, "pending", "order")
		case s.st.products[id] != nil:
			p := s.st.products[id]
			restore(&p.status, &p.prevStatus, &p.modified, "publish", "product")
		case s.st.coupons[id] != nil:
			cp := s.st.coupons[id]
			restore(&cp.status, &cp.prevStatus, &cp.modified, "publish", "coupon")
		default:
			return fmt.Errorf("%w: post %d", ErrNotFound, id)
		}
		return nil
	})
}
