package woocommerce

import (
	"bytes"

	gojson "github.com/goccy/go-json"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// DecodeJSON decodes a WooCommerce JSON body into v exactly as the client decodes responses: a
// leading UTF-8 BOM and any NUL bytes (which some hosts inject and which are never valid JSON)
// are removed first. Use it for bodies you stored or received outside the client.
func DecodeJSON(data []byte, v any) error {
	return unmarshalJSON(rest.StripBOM(data), v)
}

// unmarshalJSON is the client's response decoder (the core has already stripped a BOM).
//
// It uses github.com/goccy/go-json, a drop-in encoding/json replacement that honours the same
// struct tags and Unmarshaler methods: decoding a 100-order page takes about half the CPU time of
// encoding/json, which is what makes this client faster than float64-based peers (see
// BENCHMARKS.md). The package's tests decode every fixture through this function.
func unmarshalJSON(data []byte, v any) error {
	if bytes.IndexByte(data, 0) >= 0 {
		data = bytes.ReplaceAll(data, []byte{0}, nil)
	}
	return gojson.Unmarshal(data, v)
}
