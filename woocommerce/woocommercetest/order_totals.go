package woocommercetest

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// calculateTotals applies the coupons with codes (checking each like WC_Discounts) and sums the
// order. Taxes are always zero in the fake.
func (s *Server) calculateTotals(o *order, codes []string, validate bool) *wpError {
	for _, l := range o.lines {
		if !l.fixedTotal {
			l.total = l.subtotal
		}
	}
	var lines []*couponLine
	if len(codes) > 0 {
		for _, l := range o.lines {
			l.total = l.subtotal
		}
	}
	for _, code := range codes {
		cp := s.st.couponByCode(code)
		if validate {
			if err := s.validateCoupon(o, cp, code); err != nil {
				return err
			}
		}
		if cp == nil {
			continue
		}
		discount := s.applyCouponDiscount(o, cp)
		lines = append(lines, &couponLine{id: s.st.newItem(), code: cp.code, discount: discount,
			discountType: cp.discountType, nominal: cp.amount, freeShipping: cp.freeShipping})
	}
	if validate || len(codes) == 0 {
		o.couponLines = lines
	} else {
		for i, l := range lines { // keep the ids of existing coupon lines
			if i < len(o.couponLines) {
				l.id = o.couponLines[i].id
			}
		}
		o.couponLines = lines
	}
	o.discountTotal, o.shippingTotal, o.feeTotal, o.total = decimal.Zero, decimal.Zero, decimal.Zero, decimal.Zero
	for _, l := range o.lines {
		o.discountTotal = o.discountTotal.Add(l.subtotal.Sub(l.total))
		o.total = o.total.Add(l.total)
	}
	for _, sl := range o.shippingLines {
		o.shippingTotal = o.shippingTotal.Add(sl.total)
	}
	for _, fl := range o.feeLines {
		o.feeTotal = o.feeTotal.Add(fl.total)
	}
	o.total = o.total.Add(o.shippingTotal).Add(o.feeTotal)
	if o.total.IsNegative() {
		o.total = decimal.Zero
	}
	return nil
}

// applyCouponDiscount lowers the line totals by the coupon and returns the discount given, as the
// coupon line stores it: unrounded (WC_Discounts works with extra precision), so 15% of 19.99 is
// 2.9985 although the line loses 3.00.
func (s *Server) applyCouponDiscount(o *order, cp *coupon) decimal.Decimal {
	dp := int32(s.cfg.decimals)
	total := decimal.Zero
	switch cp.discountType {
	case "percent":
		for _, l := range o.lines {
			exact := decimal.Min(l.total.Mul(cp.amount).Div(decimal.NewFromInt(100)), l.total)
			l.total = l.total.Sub(decimal.Min(exact.Round(dp), l.total))
			total = total.Add(exact)
		}
	case "fixed_product":
		for _, l := range o.lines {
			d := decimal.Min(cp.amount.Mul(decimal.NewFromInt(l.qty)), l.total)
			l.total = l.total.Sub(d)
			total = total.Add(d)
		}
	default: // fixed_cart: spread over the lines in proportion to their totals
		sum := decimal.Zero
		for _, l := range o.lines {
			sum = sum.Add(l.total)
		}
		want := decimal.Min(cp.amount, sum)
		if sum.IsZero() {
			return decimal.Zero
		}
		left := want
		for i, l := range o.lines {
			d := want.Mul(l.total).Div(sum).Round(dp)
			if i == len(o.lines)-1 {
				d = left
			}
			d = decimal.Min(d, l.total)
			l.total = l.total.Sub(d)
			left = left.Sub(d)
			total = total.Add(d)
		}
	}
	return total
}

// validateCoupon is WC_Discounts::is_coupon_valid for an order.
func (s *Server) validateCoupon(o *order, cp *coupon, code string) *wpError {
	invalid := func(format string, args ...any) *wpError {
		return newError(400, "woocommerce_rest_invalid_coupon", format, args...)
	}
	if cp == nil {
		return invalid("Coupon \"%s\" does not exist!", code)
	}
	if cp.usageLimit > 0 && cp.usageCount >= cp.usageLimit {
		return invalid("Coupon usage limit has been reached.")
	}
	if cp.usageLimitPerUser > 0 {
		who := o.billing.Email
		if o.customerID != 0 {
			who = strconv.FormatInt(o.customerID, 10)
		}
		n := int64(0)
		for _, u := range cp.usedBy {
			if u == who || (o.billing.Email != "" && strings.EqualFold(u, o.billing.Email)) {
				n++
			}
		}
		if n >= cp.usageLimitPerUser {
			return invalid("Coupon usage limit has been reached.")
		}
	}
	if !cp.expires.IsZero() && !s.now().Before(cp.expires) {
		return invalid("This coupon has expired.")
	}
	subtotal := decimal.Zero
	for _, l := range o.lines {
		subtotal = subtotal.Add(l.subtotal)
	}
	if cp.minimumAmount.IsPositive() && subtotal.LessThan(cp.minimumAmount) {
		return invalid("The minimum spend for this coupon is %s.", s.money(cp.minimumAmount))
	}
	if cp.maximumAmount.IsPositive() && subtotal.GreaterThan(cp.maximumAmount) {
		return invalid("The maximum spend for this coupon is %s.", s.money(cp.maximumAmount))
	}
	if len(cp.emailRestrictions) > 0 {
		emails := []string{o.billing.Email}
		if cu := s.st.customers[o.customerID]; cu != nil {
			emails = append(emails, cu.email)
		}
		if !slices.ContainsFunc(emails, func(e string) bool { return e != "" && emailAllowed(e, cp.emailRestrictions) }) {
			return invalid("Sorry, it seems the coupon \"%s\" is not yours - it has now been removed from your order.", cp.code)
		}
	}
	return nil
}

// emailAllowed is WC_Coupon's email restriction check: case-insensitive, "*" as a wildcard.
func emailAllowed(email string, allowed []string) bool {
	email = strings.ToLower(email)
	for _, a := range allowed {
		a = strings.ToLower(a)
		if a == email {
			return true
		}
		if strings.Contains(a, "*") {
			pre, post, _ := strings.Cut(a, "*")
			if strings.HasPrefix(email, pre) && strings.HasSuffix(email, post) && len(email) >= len(pre)+len(post) {
				return true
			}
		}
	}
	return false
}
