// Package peerbench compares decoding a 100-order WooCommerce page with package woocommerce against
// the fastest Go peer, hiscaler/woocommerce-go (jsoniter with fuzzy decoders, float64 money).
//
// It is a separate module so that the main module never depends on the peer or on jsoniter. The
// peer's module is not served by the Go module proxy this project can reach, so peer.go mirrors the
// field types of its entity.Order (every money field float64, ids int, meta values as
// json.RawMessage as in its newest entity.Meta) and decodes the way the library does: the package
// jsoniter.Unmarshal after extra.RegisterFuzzyDecoders, which its client calls in init.
//
// Run from this directory:
//
//	go test -bench . -benchmem -count 6
package peerbench
