package wooconnect_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// post sends body to the connector's handler directly (no network) with WooCommerce's headers
// signed with secret ("" leaves the signature out).
func post(t *testing.T, h http.Handler, path string, body []byte, secret string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, path, bytes.NewReader(body))
	req.Header.Set(woocommerce.HeaderWebhookTopic, "order.updated")
	if secret != "" {
		req.Header.Set(woocommerce.HeaderWebhookSignature, woocommerce.Signature(body, secret))
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rr := httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	return rr
}

func TestHandler_Answers(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withConnector(wooconnect.WithMaxWebhookBody(4096)))
	c := e.connect()
	secret := e.overview().Webhook.Secret
	h := e.conn.Handler()
	path := "/" + c.ID
	order := func(fields string) []byte {
		return []byte(`{"id":501,"status":"completed","currency":"EUR","total":"12.00","billing":{"first_name":"Ada","email":"ada@example.com"}` + fields + `}`)
	}

	rr := post(t, h, path, order(""), secret, nil)
	assert.Equal(t, http.StatusOK, rr.Code)
	assert.JSONEq(t, `{"outcome":"processed","reason":"awarded 12 points"}`, rr.Body.String())
	rr = post(t, h, path, order(""), secret, nil)
	assert.Equal(t, http.StatusOK, rr.Code, "duplicates answer 2xx")
	assert.Contains(t, rr.Body.String(), `"duplicate"`)

	rr = post(t, h, path, []byte("webhook_id=7"), "", map[string]string{woocommerce.HeaderWebhookTopic: ""})
	assert.Equal(t, http.StatusOK, rr.Code, "the creation ping gets exactly 200")

	rr = post(t, h, path, order(""), "", nil)
	assert.Equal(t, http.StatusUnauthorized, rr.Code, "missing signature")
	assert.Contains(t, rr.Body.String(), "signature missing")
	rr = post(t, h, path, order(""), "not the secret", nil)
	assert.Equal(t, http.StatusUnauthorized, rr.Code)

	rr = post(t, h, path, []byte(`[1,2]`), secret, nil)
	assert.Equal(t, http.StatusBadRequest, rr.Code, "signed but unreadable")
	rr = post(t, h, path, order(`,"total":"-5.00","id":502`), secret, nil)
	assert.Equal(t, http.StatusUnprocessableEntity, rr.Code, "an order the engine refuses")

	rr = post(t, h, path, order(`,"customer_note":"`+strings.Repeat("x", 5000)+`"`), secret, nil)
	assert.Equal(t, http.StatusRequestEntityTooLarge, rr.Code, "body limit")

	rr = post(t, h, path, []byte(`{"id":501}`), secret, map[string]string{woocommerce.HeaderWebhookTopic: "order.deleted"})
	assert.Equal(t, http.StatusOK, rr.Code, "deletions are ignored")

	rr = post(t, h, "/wc_unknown", order(""), secret, nil)
	assert.Equal(t, http.StatusNotFound, rr.Code)

	req := httptest.NewRequest(http.MethodGet, path, nil)
	rr = httptest.NewRecorder()
	h.ServeHTTP(rr, req)
	assert.Equal(t, http.StatusMethodNotAllowed, rr.Code)

	failed := e.receiptsOutcome(loyalty.OutcomeFailed)
	assert.Len(t, failed, 5, "missing and wrong signature, unreadable, invalid and too large are each recorded")
	assert.Equal(t, int64(12), e.balance(ada.email))
}

// An engine failure (the loyalty store is down) answers 5xx, and Reconcile applies the order
// later.
func TestHandler_EngineFailureAnswers500(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	secret := e.overview().Webhook.Secret
	// The engine fails (its order table is gone) while the connection store, in the same
	// database, still answers.
	require.NoError(t, e.conn.Engine().Store().(sqlstore.Shared).Write(e.ctx, func(tx sqlstore.Tx) error {
		_, err := tx.Exec(e.ctx, "DROP TABLE loyalty_order_state")
		return err
	}))
	rr := post(t, e.conn.Handler(), "/"+c.ID, []byte(`{"id":9,"status":"completed","currency":"EUR","total":"1.00","billing":{"email":"a@example.com"}}`), secret, nil)
	assert.Equal(t, http.StatusInternalServerError, rr.Code)
	assert.Contains(t, rr.Body.String(), `"failed"`)
}

func TestParseMemberRef(t *testing.T) {
	t.Parallel()
	for in, want := range map[string][]loyalty.MemberRef{
		"ada@example.com": {{Email: "ada@example.com"}},
		" 42 ":            {{Number: 42}},
		"#42":             {{Number: 42}},
		"ABCD2345":        {{Code: "ABCD2345"}},
		"abcd2345":        {{Code: "abcd2345"}},
		"23456789":        {{Number: 23456789}, {Code: "23456789"}},
	} {
		got, err := wooconnect.ParseMemberRef(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "  ", "Ada Lovelace", "ABC", "ABCD-234", "-5", "0", "+42"} {
		_, err := wooconnect.ParseMemberRef(bad)
		assert.ErrorIs(t, err, wooconnect.ErrInvalidMemberRef, bad)
	}
}

func FuzzParseMemberRef(f *testing.F) {
	for _, s := range []string{"ada@example.com", "42", "#7", "ABCD2345", "", "é"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		refs, err := wooconnect.ParseMemberRef(s)
		if err == nil && len(refs) == 0 {
			t.Fatalf("%q: no error and no reference", s)
		}
		for _, r := range refs {
			if r.IsZero() {
				t.Fatalf("%q: empty reference", s)
			}
		}
	})
}

func TestNormalizeStoreURL(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://Shop.Example.com/":      "https://shop.example.com",
		"shop.example.com":               "https://shop.example.com",
		"https://shop.example.com:443":   "https://shop.example.com",
		"http://127.0.0.1:8080/wp/":      "http://127.0.0.1:8080/wp",
		"HTTPS://example.com/Shop//":     "https://example.com/Shop",
		"https://[::1]:8443/":            "https://[::1]:8443",
		"  https://shop.example.com  ":   "https://shop.example.com",
		"http://shop.example.com:80/x/y": "http://shop.example.com/x/y",
	} {
		got, err := wooconnect.NormalizeStoreURL(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"", "ftp://shop.example.com", "https://user:pw@shop.example.com", "https://shop.example.com/?a=1",
		"https://shop.example.com/#x", "https://"} {
		_, err := wooconnect.NormalizeStoreURL(bad)
		assert.ErrorIs(t, err, wooconnect.ErrInvalidStoreURL, bad)
	}
}
