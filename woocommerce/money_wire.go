package woocommerce

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// DefaultPriceDecimals is WooCommerce's default "Number of decimals" setting.
const DefaultPriceDecimals = 2

// moneyKeys are the request properties that hold amounts. WooCommerce stores them as sent
// (wc_format_decimal without a precision), so "8.5" stays "8.5" in the store while its own
// amounts read "8.50".
var moneyKeys = map[string]bool{
	"amount": true, "minimum_amount": true, "maximum_amount": true, "regular_price": true, "sale_price": true,
	"subtotal": true, "total": true, "refund_total": true, "nominal_amount": true,
}

// encodeRequestBody encodes a request body as JSON and writes every amount (moneyKeys, outside
// meta_data) with at least decimals digits after the point: "8.5" becomes "8.50" and "7"
// becomes "7.00" for a store with 2 decimals. Amounts are never rounded: "8.555" stays as it is.
func encodeRequestBody(body any, decimals int) ([]byte, error) {
	b, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	if !bytes.Contains(b, []byte(`"amount"`)) && !bytes.Contains(b, []byte(`_amount"`)) &&
		!bytes.Contains(b, []byte(`price"`)) && !bytes.Contains(b, []byte(`total"`)) {
		return b, nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	padAmounts(v, decimals)
	return json.Marshal(v)
}

// padAmounts pads the amounts in a decoded JSON value in place.
func padAmounts(v any, decimals int) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "meta_data" {
				continue // plugin data: written as given
			}
			if s, ok := e.(string); ok && moneyKeys[k] {
				x[k] = padDecimals(s, decimals)
				continue
			}
			padAmounts(e, decimals)
		}
	case []any:
		for _, e := range x {
			padAmounts(e, decimals)
		}
	}
}

// padDecimals appends zeros to a plain decimal string ("-12.5") up to n fractional digits. Any
// other string ("", "abc", "1e3") is returned unchanged.
func padDecimals(s string, n int) string {
	digits := strings.TrimPrefix(s, "-")
	intPart, frac, hasPoint := strings.Cut(digits, ".")
	if intPart == "" || !allDigits(intPart) || !allDigits(frac) || (hasPoint && frac == "") {
		return s
	}
	if len(frac) >= n {
		return s
	}
	if !hasPoint {
		s += "."
	}
	return s + strings.Repeat("0", n-len(frac))
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

var errPriceDecimals = errors.New("WithPriceDecimals: decimals must be between 0 and 8")
