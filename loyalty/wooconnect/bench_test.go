package wooconnect_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// benchDelivery posts one signed order delivery to the handler in-process.
func benchDelivery(b *testing.B, h http.Handler, path, secret string, body []byte) {
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set(woocommerce.HeaderWebhookTopic, "order.updated")
	req.Header.Set(woocommerce.HeaderWebhookSignature, woocommerce.Signature(body, secret))
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	if rr.Code != http.StatusOK {
		b.Fatalf("status %d: %s", rr.Code, rr.Body)
	}
}

func orderBody(id int, email string) []byte {
	return fmt.Appendf(nil, `{"id":%d,"status":"completed","currency":"EUR","total":"49.90",`+
		`"billing":{"first_name":"Ada","last_name":"Lovelace","email":%q},"line_items":[{"id":1,"name":"Beans","quantity":2,"price":24.95,"total":"49.90"}]}`, id, email)
}

// BenchmarkHandler_NewOrder measures a webhook delivery that awards points to an existing
// member: signature check, decryption of the webhook secret, decoding, one engine transaction on
// SQLite and the receipt.
func BenchmarkHandler_NewOrder(b *testing.B) {
	e := newEnv(b)
	c := e.connect()
	secret := e.overview().Webhook.Secret
	h := e.conn.Handler()
	path := "/" + c.ID
	benchDelivery(b, h, path, secret, orderBody(1, "ada@example.com"))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		benchDelivery(b, h, path, secret, orderBody(i+2, "ada@example.com"))
	}
}

// BenchmarkHandler_NewMember measures a webhook delivery of a customer's first order: the
// member is created, the points and the welcome email follow.
func BenchmarkHandler_NewMember(b *testing.B) {
	e := newEnv(b)
	c := e.connect()
	secret := e.overview().Webhook.Secret
	h := e.conn.Handler()
	path := "/" + c.ID
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		benchDelivery(b, h, path, secret, orderBody(i+1, fmt.Sprintf("customer%d@example.com", i)))
	}
}

// BenchmarkHandler_Duplicate measures a redelivered webhook (the common case during WooCommerce
// retries and reconciliation): everything but the ledger write.
func BenchmarkHandler_Duplicate(b *testing.B) {
	e := newEnv(b)
	c := e.connect()
	secret := e.overview().Webhook.Secret
	h := e.conn.Handler()
	body := orderBody(1, "ada@example.com")
	benchDelivery(b, h, "/"+c.ID, secret, body)
	b.ReportAllocs()
	for b.Loop() {
		benchDelivery(b, h, "/"+c.ID, secret, body)
	}
}

// BenchmarkRenderEmail measures rendering a points email with its two signed links.
func BenchmarkRenderEmail(b *testing.B) {
	e := newEnv(b)
	em := loyalty.Email{Kind: loyalty.EmailPointsEarned, To: loyalty.Member{ID: "mem_1", Email: "ada@example.com", Name: "Ada"},
		Program: e.prog, Points: 120, Balance: 820, OrderID: "1042", At: time.Now()}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := e.conn.RenderEmail(em); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLinkVerify(b *testing.B) {
	s := testSigner(b)
	tok := s.Sign(wooconnect.PurposeSignIn, "card", "mem_1", linkNow, time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Verify(tok, wooconnect.PurposeSignIn, linkNow); err != nil {
			b.Fatal(err)
		}
	}
}
