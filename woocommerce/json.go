package woocommerce

import (
	"bytes"

	gojson "github.com/goccy/go-json"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// DecodeJSON decodes a WooCommerce JSON body into v exactly as the client decodes responses: a
// leading UTF-8 BOM and any NUL bytes (which some hosts inject and which are never valid JSON)
// are removed first. Use it for bodies you stored or received outside the client. Decoding into a
// *[]Order overwrites the slice's elements up to its capacity, each decoded from the zero Order.
func DecodeJSON(data []byte, v any) error {
	return unmarshalJSON(rest.StripBOM(data), v)
}

// unmarshalJSON is the client's response decoder (the core has already stripped a BOM).
//
// Orders (a page, or one) go through orderDecoder, which reads the well-formed common case
// straight from the text and leaves anything else to the general decoder. Everything else uses
// github.com/goccy/go-json, a drop-in encoding/json replacement that honours the same struct tags
// and Unmarshaler methods and takes about half the CPU time of encoding/json (see BENCHMARKS.md).
// The package's tests decode every fixture through this function.
//
// A *[]Order is filled from zero elements: the slice's backing array may be overwritten up to its
// capacity, never merged with what it held.
func unmarshalJSON(data []byte, v any) error {
	if bytes.IndexByte(data, 0) >= 0 {
		data = bytes.ReplaceAll(data, []byte{0}, nil)
	}
	switch out := v.(type) {
	case *[]Order:
		if out == nil {
			break
		}
		old := *out
		if decodeOrderList(data, out) {
			return nil
		}
		// the general decoder starts again from zero elements, as the order decoder does
		clear(old[:cap(old)])
		*out = old[:0]
	case *Order:
		if out == nil {
			break
		}
		old := *out
		if decodeOrder(data, out) {
			return nil
		}
		*out = old
	}
	return gojson.Unmarshal(data, v)
}
