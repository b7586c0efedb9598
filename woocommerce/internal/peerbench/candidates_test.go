package peerbench

import (
	"encoding/json"
	"testing"

	"github.com/loyalsync/loyalsync/woocommerce"
)

// BenchmarkLoyalsyncStdlib decodes the page into package woocommerce's types with encoding/json,
// to show what the faster decoder the client uses (goccy/go-json) contributes.
func BenchmarkLoyalsyncStdlib(b *testing.B) {
	measure(b, ordersPage(b), func(p []byte) error {
		var orders []woocommerce.Order
		return json.Unmarshal(p, &orders)
	})
}
