package woocommerce

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
)

// FuzzVerifySignature: verification never panics, accepts exactly the signature computed for the
// body, and never accepts anything under an empty secret.
func FuzzVerifySignature(f *testing.F) {
	f.Add([]byte(`{"id":1}`), "secret", "")
	f.Add([]byte(""), "a&amp;b", "AAAA")
	f.Add([]byte("webhook_id=1"), "", "not base64")
	f.Fuzz(func(t *testing.T, body []byte, secret, sig string) {
		err := VerifySignature(body, sig, secret)
		if secret == "" {
			if !errors.Is(err, ErrNoSecret) {
				t.Fatalf("empty secret accepted or misreported: %v", err)
			}
			return
		}
		if err == nil {
			got, _ := base64.StdEncoding.DecodeString(strings.TrimSpace(sig))
			if !bytes.Equal(got, mac(body, secret)) && !bytes.Equal(got, mac(body, decodeHTMLSpecialChars(secret))) {
				t.Fatalf("accepted a signature that is not the body's MAC")
			}
		}
		if VerifySignature(body, Signature(body, secret), secret) != nil {
			t.Fatalf("rejected the correct signature")
		}
	})
}

func mac(body []byte, secret string) []byte {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write(body)
	return m.Sum(nil)
}

// FuzzParseDelivery: any headers and body give a delivery or an error, never a panic; a delivery
// other than the ping is only returned for a correctly signed body.
func FuzzParseDelivery(f *testing.F) {
	order := readTestdata(f, "order.json")
	f.Add("order.updated", order, true)
	f.Add("order.deleted", []byte(`{"id":"5"}`), true)
	f.Add("action.woocommerce_x", []byte(`{"action":"x","arg":[1]}`), true)
	f.Add("product.created", readTestdata(f, "quirks_variation.json"), true)
	f.Add("", []byte("webhook_id=3"), false)
	f.Add("coupon", []byte(`{"id":1}`), false)
	f.Fuzz(func(t *testing.T, topic string, body []byte, sign bool) {
		h := http.Header{}
		h.Set(HeaderWebhookTopic, topic)
		if sign {
			h.Set(HeaderWebhookSignature, Signature(body, "k"))
		}
		d, err := ParseDelivery(h, body, "k")
		if err != nil {
			return
		}
		if d.Kind != DeliveryPing && !sign {
			t.Fatalf("unsigned request returned as %v", d.Kind)
		}
		if d.Kind == DeliveryPing && d.WebhookID <= 0 {
			t.Fatalf("ping without webhook id")
		}
	})
}

// FuzzDecodeOrder: the tolerant order decoder returns an order or an error for any input, and a
// decoded order encodes and decodes again to the same value.
func FuzzDecodeOrder(f *testing.F) {
	f.Add(readTestdata(f, "order.json"))
	f.Add(readTestdata(f, "quirks_order.json"))
	f.Add([]byte(`{"total":"","discount_total":1e2,"date_created":"0000-00-00 00:00:00","line_items":[{"price":1.5,"sku":null}]}`))
	f.Add([]byte(`{"meta_data":[{"value":{"a":[null]}}],"tax_lines":[{"rate_id":"7"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var o Order
		if err := DecodeJSON(data, &o); err != nil {
			return
		}
		out, err := json.Marshal(o)
		if err != nil {
			t.Fatalf("decoded order does not encode: %v", err)
		}
		var again Order
		if err := DecodeJSON(out, &again); err != nil {
			t.Fatalf("re-decoding %s: %v", out, err)
		}
		out2, _ := json.Marshal(again)
		if !bytes.Equal(out, out2) {
			t.Fatalf("round trip changed the order:\n%s\n%s", out, out2)
		}
	})
}

// FuzzDecodeTolerantTypes covers the other tolerant decoders: products and variations
// (manage_stock, nullable ints, optional images, bool statuses, download ids), coupons, the error
// body and the batch item peek.
func FuzzDecodeTolerantTypes(f *testing.F) {
	f.Add(readTestdata(f, "quirks_product.json"))
	f.Add(readTestdata(f, "quirks_variation.json"))
	f.Add(readTestdata(f, "quirks_coupon.json"))
	f.Add(readTestdata(f, "error_invalid_param.json"))
	f.Add(readTestdata(f, "batch_item_errors.json"))
	f.Add([]byte(`{"manage_stock":"parent","stock_quantity":"3","image":[],"status":true,"downloads":[{"id":5}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var p Product
		if DecodeJSON(data, &p) == nil {
			if _, err := json.Marshal(p); err != nil {
				t.Fatalf("product does not encode: %v", err)
			}
		}
		var v Variation
		if DecodeJSON(data, &v) == nil {
			if _, err := json.Marshal(v); err != nil {
				t.Fatalf("variation does not encode: %v", err)
			}
		}
		var c Coupon
		_ = DecodeJSON(data, &c)
		var b batchResponse[Coupon]
		_ = DecodeJSON(data, &b)
		err := newAPIError(&http.Response{StatusCode: 400}, data, authBasic)
		if err.Error() == "" {
			t.Fatal("empty error message")
		}
		_ = parseLinkHeader(string(data))
	})
}
