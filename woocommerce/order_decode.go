package woocommerce

import (
	"strconv"
	"unicode/utf8"

	gojson "github.com/goccy/go-json"
)

// orderDecoder decodes orders (a page of them, or one) straight from the JSON text, without the
// reflection of a general decoder. It takes the common, well-formed form only: on anything else
// (a syntax error, a value of an unexpected JSON type, a key that could match a field only
// case-insensitively or through an escape, a field given twice, an amount or date its own
// UnmarshalJSON rejects) it gives up, and unmarshalJSON decodes the input again with the general
// decoder, which gives the result or error it always gave. What it does decode equals what the
// general decoder gives (FuzzOrderDecoderMatchesGeneral checks this).
//
// Lists are decoded into scratch slices kept for the whole page and copied out at their exact
// length, so a list of one tax is one allocation of one element. Amounts, dates and FlexInts are
// given to their own UnmarshalJSON straight from the input, without a copy.
type orderDecoder struct {
	buf   []byte
	pos   int
	depth int

	metas    []MetaData
	taxes    []ItemTax
	lines    []LineItem
	taxLines []TaxLine
	ships    []ShippingLine
	fees     []FeeLine
	coupons  []CouponLine
	refunds  []OrderRefund

	// amounts holds the amounts decoded so far by their JSON text: a page repeats the same few
	// ("0.00", a tax rate's amount, an item's price) many times, and a decimal.Decimal never
	// changes its coefficient once made (every operation returns a new one, and the coefficient
	// is only handed out as a copy), so equal texts can share one value.
	amounts map[string]Money
}

// maxSharedAmounts bounds the amounts an orderDecoder keeps for sharing.
const maxSharedAmounts = 512

// maxOrderDepth bounds the nesting the order decoder follows (in meta values); deeper input is
// left to the general decoder.
const maxOrderDepth = 512

// decodeOrderList decodes a JSON array of orders into *out, each element from the zero Order. It
// reports false when the general decoder must decode the input instead; *out's backing array
// may then have been written beyond its length.
func decodeOrderList(data []byte, out *[]Order) bool {
	d := orderDecoder{buf: data}
	d.ws()
	if d.literal("null") {
		if !d.end() {
			return false
		}
		*out = nil
		return true
	}
	if !d.consume('[') {
		return false
	}
	orders := (*out)[:0]
	d.ws()
	if d.consume(']') {
		if !d.end() {
			return false
		}
		if orders == nil {
			orders = []Order{}
		}
		*out = orders
		return true
	}
	for {
		orders = append(orders, Order{})
		if !d.order(&orders[len(orders)-1]) {
			return false
		}
		d.ws()
		if d.consume(',') {
			d.ws()
			continue
		}
		if !d.consume(']') || !d.end() {
			return false
		}
		*out = orders
		return true
	}
}

// decodeOrder decodes one JSON order into *out. It reports false when the general decoder must
// decode the input instead; *out may then have been partly written.
func decodeOrder(data []byte, out *Order) bool {
	d := orderDecoder{buf: data}
	d.ws()
	if d.literal("null") {
		return d.end() // null leaves a struct unchanged
	}
	return d.order(out) && d.end()
}

// ws skips white space.
func (d *orderDecoder) ws() {
	for d.pos < len(d.buf) {
		switch d.buf[d.pos] {
		case ' ', '\n', '\t', '\r':
			d.pos++
		default:
			return
		}
	}
}

// end reports whether only white space is left.
func (d *orderDecoder) end() bool {
	d.ws()
	return d.pos == len(d.buf)
}

// consume skips c if it is next.
func (d *orderDecoder) consume(c byte) bool {
	if d.pos < len(d.buf) && d.buf[d.pos] == c {
		d.pos++
		return true
	}
	return false
}

// literal skips lit (null, true or false) if it is next and not followed by more letters.
func (d *orderDecoder) literal(lit string) bool {
	end := d.pos + len(lit)
	if end > len(d.buf) || string(d.buf[d.pos:end]) != lit {
		return false
	}
	if end < len(d.buf) && isLetterOrDigit(d.buf[end]) {
		return false
	}
	d.pos = end
	return true
}

func isLetterOrDigit(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// object decodes a JSON object at the cursor (white space skipped), calling field for each
// member with the cursor on its value; field decodes the value or reports false. null leaves
// the destination unchanged, as the general decoder does for a struct.
func (d *orderDecoder) object(field func(key []byte) bool) bool {
	if d.literal("null") {
		return true
	}
	if !d.consume('{') {
		return false
	}
	d.depth++
	if d.depth > maxOrderDepth {
		return false
	}
	d.ws()
	if d.consume('}') {
		d.depth--
		return true
	}
	for {
		key, ok := d.key()
		if !ok {
			return false
		}
		d.ws()
		if !d.consume(':') {
			return false
		}
		d.ws()
		if !field(key) {
			return false
		}
		d.ws()
		if d.consume(',') {
			d.ws()
			continue
		}
		if !d.consume('}') {
			return false
		}
		d.depth--
		return true
	}
}

// key reads an object key. A key with an escape, an upper-case letter or a non-ASCII byte is
// refused: it may match a field case-insensitively, which the general decoder handles.
func (d *orderDecoder) key() ([]byte, bool) {
	if !d.consume('"') {
		return nil, false
	}
	start := d.pos
	for i := start; i < len(d.buf); i++ {
		c := d.buf[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return d.buf[start:i], true
		case c == '\\' || c < 0x20 || c >= 0x80 || c >= 'A' && c <= 'Z':
			return nil, false
		}
	}
	return nil, false
}

// unknown skips the value of a member no field has.
func (d *orderDecoder) unknown() bool {
	_, ok := d.skip()
	return ok
}

// skip skips one JSON value, checking its syntax, and returns where it starts.
func (d *orderDecoder) skip() (int, bool) {
	start := d.pos
	if d.pos >= len(d.buf) {
		return start, false
	}
	switch c := d.buf[d.pos]; {
	case c == '"':
		_, _, ok := d.stringToken()
		return start, ok
	case c == '{':
		d.pos++
		d.depth++
		if d.depth > maxOrderDepth {
			return start, false
		}
		d.ws()
		if d.consume('}') {
			d.depth--
			return start, true
		}
		for {
			d.ws()
			if d.pos >= len(d.buf) || d.buf[d.pos] != '"' {
				return start, false
			}
			if _, _, ok := d.stringToken(); !ok {
				return start, false
			}
			d.ws()
			if !d.consume(':') {
				return start, false
			}
			d.ws()
			if _, ok := d.skip(); !ok {
				return start, false
			}
			d.ws()
			if d.consume(',') {
				continue
			}
			if !d.consume('}') {
				return start, false
			}
			d.depth--
			return start, true
		}
	case c == '[':
		d.pos++
		d.depth++
		if d.depth > maxOrderDepth {
			return start, false
		}
		d.ws()
		if d.consume(']') {
			d.depth--
			return start, true
		}
		for {
			d.ws()
			if _, ok := d.skip(); !ok {
				return start, false
			}
			d.ws()
			if d.consume(',') {
				continue
			}
			if !d.consume(']') {
				return start, false
			}
			d.depth--
			return start, true
		}
	case c == '-' || c >= '0' && c <= '9':
		return start, d.number()
	case c == 'n':
		return start, d.literal("null")
	case c == 't':
		return start, d.literal("true")
	case c == 'f':
		return start, d.literal("false")
	}
	return start, false
}

// number skips a JSON number, checking its grammar.
func (d *orderDecoder) number() bool {
	b, i := d.buf, d.pos
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i++; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		}
	default:
		return false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return false
		}
		for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		}
	}
	if i < len(b) && isLetterOrDigit(b[i]) {
		return false
	}
	d.pos = i
	return true
}

// stringToken skips a JSON string at the cursor, checking its escapes, and returns its content
// and whether it has an escape or a non-ASCII byte.
func (d *orderDecoder) stringToken() (content []byte, special, ok bool) {
	b := d.buf
	start := d.pos + 1
	for i := start; i < len(b); i++ {
		c := b[i]
		switch {
		case c == '"':
			d.pos = i + 1
			return b[start:i], special, true
		case c < 0x20:
			return nil, false, false
		case c >= 0x80:
			special = true
		case c == '\\':
			special = true
			i++
			if i >= len(b) {
				return nil, false, false
			}
			switch b[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(b) {
					return nil, false, false
				}
				for _, h := range b[i+1 : i+5] {
					if !isHex(h) {
						return nil, false, false
					}
				}
				i += 4
			default:
				return nil, false, false
			}
		}
	}
	return nil, false, false
}

func isHex(c byte) bool { return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }

// str decodes a JSON string into *dst; null leaves it unchanged.
func (d *orderDecoder) str(dst *string) bool {
	if d.literal("null") {
		return true
	}
	if d.pos >= len(d.buf) || d.buf[d.pos] != '"' {
		return false
	}
	b := d.buf
	start := d.pos + 1
	for i := start; i < len(b); i++ {
		c := b[i]
		if c == '"' {
			*dst = string(b[start:i])
			d.pos = i + 1
			return true
		}
		if c == '\\' || c < 0x20 || c >= 0x80 {
			break
		}
	}
	tokStart := d.pos
	content, special, ok := d.stringToken()
	if !ok {
		return false
	}
	if !special {
		*dst = string(content)
		return true
	}
	s, ok := unescape(content)
	if !ok {
		// invalid UTF-8 or a surrogate escape: the general decoder's rules, for this string only
		return gojson.Unmarshal(d.buf[tokStart:d.pos], dst) == nil
	}
	*dst = s
	return true
}

// unescape decodes the content of a JSON string whose escapes are valid. It reports false for
// content with invalid UTF-8 or a \u escape of a UTF-16 surrogate, which the general decoder
// replaces or pairs by its own rules.
func unescape(content []byte) (string, bool) {
	if !utf8.Valid(content) {
		return "", false
	}
	out := make([]byte, 0, len(content))
	for i := 0; i < len(content); i++ {
		c := content[i]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		i++
		switch content[i] {
		case '"', '\\', '/':
			out = append(out, content[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, err := strconv.ParseUint(string(content[i+1:i+5]), 16, 32)
			if err != nil || r >= 0xD800 && r < 0xE000 {
				return "", false
			}
			out = utf8.AppendRune(out, rune(r))
			i += 4
		}
	}
	return string(out), true
}

// int64 decodes a JSON integer into *dst; null leaves it unchanged. A fraction, an exponent or an
// integer out of range is refused.
func (d *orderDecoder) int64(dst *int64) bool {
	if d.literal("null") {
		return true
	}
	b, i := d.buf, d.pos
	neg := i < len(b) && b[i] == '-'
	if neg {
		i++
	}
	start := i
	var v uint64
	for ; i < len(b) && b[i] >= '0' && b[i] <= '9'; i++ {
		v = v*10 + uint64(b[i]-'0')
	}
	n := i - start
	if n == 0 || n > 18 || n > 1 && b[start] == '0' {
		return false
	}
	if i < len(b) && (isLetterOrDigit(b[i]) || b[i] == '.') {
		return false
	}
	if neg {
		*dst = -int64(v)
	} else {
		*dst = int64(v)
	}
	d.pos = i
	return true
}

// bool decodes true or false into *dst; null leaves it unchanged.
func (d *orderDecoder) bool(dst *bool) bool {
	switch {
	case d.literal("true"):
		*dst = true
	case d.literal("false"):
		*dst = false
	case d.literal("null"):
	default:
		return false
	}
	return true
}

// raw returns the JSON text of the value at the cursor, checked, as the general decoder gives
// it to an UnmarshalJSON method.
func (d *orderDecoder) raw() ([]byte, bool) {
	start, ok := d.skip()
	return d.buf[start:d.pos], ok
}

// unmarshaler is the UnmarshalJSON of a field's type.
type unmarshaler interface{ UnmarshalJSON([]byte) error }

// method gives the value at the cursor to the UnmarshalJSON of dst, which must not keep it.
func (d *orderDecoder) method(dst unmarshaler) bool {
	v, ok := d.raw()
	return ok && dst.UnmarshalJSON(v) == nil
}

// money decodes an amount, sharing the value of an equal text decoded before.
func (d *orderDecoder) money(dst *Money) bool {
	v, ok := d.raw()
	if !ok {
		return false
	}
	if m, ok := d.amounts[string(v)]; ok {
		*dst = m
		return true
	}
	if dst.UnmarshalJSON(v) != nil {
		return false
	}
	if d.amounts == nil {
		d.amounts = make(map[string]Money, 64)
	}
	if len(d.amounts) < maxSharedAmounts {
		d.amounts[string(v)] = *dst
	}
	return true
}

// moneyPtr decodes an optional amount: null leaves it nil.
func (d *orderDecoder) moneyPtr(dst **Money) bool {
	if d.literal("null") {
		*dst = nil
		return true
	}
	if *dst == nil {
		*dst = new(Money)
	}
	return d.money(*dst)
}

// rawMessage decodes a value kept as JSON text, copied out of the input.
func (d *orderDecoder) rawMessage(dst *[]byte) bool {
	v, ok := d.raw()
	if !ok {
		return false
	}
	*dst = append(make([]byte, 0, len(v)), v...)
	return true
}

// decodeArray decodes a JSON array into *dst through elem, which decodes one element into the zero
// value. null makes *dst nil and [] empty. The elements are decoded into *scratch, from its
// current length, and copied out at their exact length; elem must not use the same scratch. A
// list given twice is refused (the general decoder merges into the first).
func decodeArray[T any](d *orderDecoder, dst *[]T, scratch *[]T, elem func(*T) bool) bool {
	if *dst != nil {
		return false
	}
	if d.literal("null") {
		return true
	}
	if !d.consume('[') {
		return false
	}
	d.ws()
	if d.consume(']') {
		*dst = []T{}
		return true
	}
	base := len(*scratch)
	defer func() { clear((*scratch)[base:]); *scratch = (*scratch)[:base] }()
	var zero T
	for {
		*scratch = append(*scratch, zero)
		if !elem(&(*scratch)[len(*scratch)-1]) {
			return false
		}
		d.ws()
		if d.consume(',') {
			d.ws()
			continue
		}
		if !d.consume(']') {
			return false
		}
		items := (*scratch)[base:]
		*dst = append(make([]T, 0, len(items)), items...)
		return true
	}
}

func (d *orderDecoder) metaData(dst *[]MetaData) bool {
	return decodeArray(d, dst, &d.metas, func(m *MetaData) bool {
		return d.object(func(k []byte) bool {
			switch string(k) {
			case "id":
				return d.int64(&m.ID)
			case "key":
				return d.str(&m.Key)
			case "value":
				return d.rawMessage((*[]byte)(&m.Value))
			case "display_key":
				return d.str(&m.DisplayKey)
			case "display_value":
				return d.rawMessage((*[]byte)(&m.DisplayValue))
			}
			return d.unknown()
		})
	})
}

func (d *orderDecoder) itemTaxes(dst *[]ItemTax) bool {
	return decodeArray(d, dst, &d.taxes, func(t *ItemTax) bool {
		return d.object(func(k []byte) bool {
			switch string(k) {
			case "id":
				return d.int64(&t.ID)
			case "total":
				return d.money(&t.Total)
			case "subtotal":
				return d.money(&t.Subtotal)
			case "refund_total":
				return d.moneyPtr(&t.RefundTotal)
			}
			return d.unknown()
		})
	})
}

func (d *orderDecoder) address(a *Address) bool {
	return d.object(func(k []byte) bool {
		switch string(k) {
		case "first_name":
			return d.str(&a.FirstName)
		case "last_name":
			return d.str(&a.LastName)
		case "company":
			return d.str(&a.Company)
		case "address_1":
			return d.str(&a.Address1)
		case "address_2":
			return d.str(&a.Address2)
		case "city":
			return d.str(&a.City)
		case "state":
			return d.str(&a.State)
		case "postcode":
			return d.str(&a.Postcode)
		case "country":
			return d.str(&a.Country)
		case "email":
			return d.str(&a.Email)
		case "phone":
			return d.str(&a.Phone)
		}
		return d.unknown()
	})
}

func (d *orderDecoder) lineImage(dst **LineImage) bool {
	if d.literal("null") {
		*dst = nil
		return true
	}
	if *dst != nil {
		return false // given twice: the general decoder merges into the first
	}
	img := new(LineImage)
	*dst = img
	return d.object(func(k []byte) bool {
		switch string(k) {
		case "id":
			return d.method(&img.ID)
		case "src":
			return d.str(&img.Src)
		}
		return d.unknown()
	})
}

func (d *orderDecoder) lineItems(dst *[]LineItem) bool {
	return decodeArray(d, dst, &d.lines, func(l *LineItem) bool {
		return d.object(func(k []byte) bool {
			switch string(k) {
			case "id":
				return d.int64(&l.ID)
			case "name":
				return d.str(&l.Name)
			case "product_id":
				return d.int64(&l.ProductID)
			case "variation_id":
				return d.int64(&l.VariationID)
			case "quantity":
				return d.int64(&l.Quantity)
			case "tax_class":
				return d.str(&l.TaxClass)
			case "subtotal":
				return d.money(&l.Subtotal)
			case "subtotal_tax":
				return d.money(&l.SubtotalTax)
			case "total":
				return d.money(&l.Total)
			case "total_tax":
				return d.money(&l.TotalTax)
			case "taxes":
				return d.itemTaxes(&l.Taxes)
			case "meta_data":
				return d.metaData(&l.MetaData)
			case "sku":
				return d.str(&l.SKU)
			case "price":
				return d.money(&l.Price)
			case "image":
				return d.lineImage(&l.Image)
			case "parent_name":
				return d.str(&l.ParentName)
			case "refund_total":
				return d.moneyPtr(&l.RefundTotal)
			}
			return d.unknown()
		})
	})
}

func (d *orderDecoder) taxLineList(dst *[]TaxLine) bool {
	return decodeArray(d, dst, &d.taxLines, func(t *TaxLine) bool {
		return d.object(func(k []byte) bool {
			switch string(k) {
			case "id":
				return d.int64(&t.ID)
			case "rate_code":
				return d.str(&t.RateCode)
			case "rate_id":
				return d.method(&t.RateID)
			case "label":
				return d.str(&t.Label)
			case "compound":
				return d.bool(&t.Compound)
			case "tax_total":
				return d.money(&t.TaxTotal)
			case "shipping_tax_total":
				return d.money(&t.ShippingTaxTotal)
			case "rate_percent":
				return d.moneyPtr(&t.RatePercent)
			case "meta_data":
				return d.metaData(&t.MetaData)
			}
			return d.unknown()
		})
	})
}

func (d *orderDecoder) shippingLineList(dst *[]ShippingLine) bool {
	return decodeArray(d, dst, &d.ships, func(s *ShippingLine) bool {
		return d.object(func(k []byte) bool {
			switch string(k) {
			case "id":
				return d.int64(&s.ID)
			case "method_title":
				return d.str(&s.MethodTitle)
			case "method_id":
				return d.str(&s.MethodID)
			case "instance_id":
				return d.str(&s.InstanceID)
			case "tax_status":
				return d.str(&s.TaxStatus)
			case "total":
				return d.money(&s.Total)
			case "total_tax":
				return d.money(&s.TotalTax)
			case "taxes":
				return d.itemTaxes(&s.Taxes)
			case "meta_data":
				return d.metaData(&s.MetaData)
			}
			return d.unknown()
		})
	})
}

func (d *orderDecoder) feeLineList(dst *[]FeeLine) bool {
	return decodeArray(d, dst, &d.fees, func(f *FeeLine) bool {
		return d.object(func(k []byte) bool {
			switch string(k) {
			case "id":
				return d.int64(&f.ID)
			case "name":
				return d.str(&f.Name)
			case "tax_class":
				return d.str(&f.TaxClass)
			case "tax_status":
				return d.str(&f.TaxStatus)
			case "amount":
				return d.moneyPtr(&f.Amount)
			case "total":
				return d.money(&f.Total)
			case "total_tax":
				return d.money(&f.TotalTax)
			case "taxes":
				return d.itemTaxes(&f.Taxes)
			case "meta_data":
				return d.metaData(&f.MetaData)
			}
			return d.unknown()
		})
	})
}

func (d *orderDecoder) couponLineList(dst *[]CouponLine) bool {
	return decodeArray(d, dst, &d.coupons, func(c *CouponLine) bool {
		return d.object(func(k []byte) bool {
			switch string(k) {
			case "id":
				return d.int64(&c.ID)
			case "code":
				return d.str(&c.Code)
			case "discount":
				return d.money(&c.Discount)
			case "discount_tax":
				return d.money(&c.DiscountTax)
			case "discount_type":
				return d.str(&c.DiscountType)
			case "nominal_amount":
				return d.moneyPtr(&c.NominalAmount)
			case "free_shipping":
				return d.bool(&c.FreeShipping)
			case "meta_data":
				return d.metaData(&c.MetaData)
			}
			return d.unknown()
		})
	})
}

func (d *orderDecoder) refundList(dst *[]OrderRefund) bool {
	return decodeArray(d, dst, &d.refunds, func(r *OrderRefund) bool {
		return d.object(func(k []byte) bool {
			switch string(k) {
			case "id":
				return d.int64(&r.ID)
			case "reason":
				return d.str(&r.Reason)
			case "total":
				return d.money(&r.Total)
			}
			return d.unknown()
		})
	})
}

// order decodes an order object into o.
func (d *orderDecoder) order(o *Order) bool {
	return d.object(func(k []byte) bool {
		switch string(k) {
		case "id":
			return d.int64(&o.ID)
		case "parent_id":
			return d.int64(&o.ParentID)
		case "number":
			return d.str(&o.Number)
		case "order_key":
			return d.str(&o.OrderKey)
		case "created_via":
			return d.str(&o.CreatedVia)
		case "version":
			return d.str(&o.Version)
		case "status":
			return d.str((*string)(&o.Status))
		case "currency":
			return d.str(&o.Currency)
		case "currency_symbol":
			return d.str(&o.CurrencySymbol)
		case "date_created":
			return d.method(&o.DateCreated)
		case "date_created_gmt":
			return d.method(&o.DateCreatedGMT)
		case "date_modified":
			return d.method(&o.DateModified)
		case "date_modified_gmt":
			return d.method(&o.DateModifiedGMT)
		case "discount_total":
			return d.money(&o.DiscountTotal)
		case "discount_tax":
			return d.money(&o.DiscountTax)
		case "shipping_total":
			return d.money(&o.ShippingTotal)
		case "shipping_tax":
			return d.money(&o.ShippingTax)
		case "cart_tax":
			return d.money(&o.CartTax)
		case "total":
			return d.money(&o.Total)
		case "total_tax":
			return d.money(&o.TotalTax)
		case "prices_include_tax":
			return d.bool(&o.PricesIncludeTax)
		case "customer_id":
			return d.int64(&o.CustomerID)
		case "customer_ip_address":
			return d.str(&o.CustomerIPAddress)
		case "customer_user_agent":
			return d.str(&o.CustomerUserAgent)
		case "customer_note":
			return d.str(&o.CustomerNote)
		case "billing":
			return d.address(&o.Billing)
		case "shipping":
			return d.address(&o.Shipping)
		case "payment_method":
			return d.str(&o.PaymentMethod)
		case "payment_method_title":
			return d.str(&o.PaymentMethodTitle)
		case "transaction_id":
			return d.str(&o.TransactionID)
		case "date_paid":
			return d.method(&o.DatePaid)
		case "date_paid_gmt":
			return d.method(&o.DatePaidGMT)
		case "date_completed":
			return d.method(&o.DateCompleted)
		case "date_completed_gmt":
			return d.method(&o.DateCompletedGMT)
		case "cart_hash":
			return d.str(&o.CartHash)
		case "meta_data":
			return d.metaData(&o.MetaData)
		case "line_items":
			return d.lineItems(&o.LineItems)
		case "tax_lines":
			return d.taxLineList(&o.TaxLines)
		case "shipping_lines":
			return d.shippingLineList(&o.ShippingLines)
		case "fee_lines":
			return d.feeLineList(&o.FeeLines)
		case "coupon_lines":
			return d.couponLineList(&o.CouponLines)
		case "refunds":
			return d.refundList(&o.Refunds)
		case "payment_url":
			return d.str(&o.PaymentURL)
		case "is_editable":
			return d.bool(&o.IsEditable)
		case "needs_payment":
			return d.bool(&o.NeedsPayment)
		case "needs_processing":
			return d.bool(&o.NeedsProcessing)
		}
		return d.unknown()
	})
}
