package sitooconnect_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"
)

// FuzzCRM sends arbitrary search keys and bodies to the CRM operations: bad input never
// crashes and never gets a 500 (Sitoo's POS treats it as an outage); it gets 200, 400 or 404.
func FuzzCRM(f *testing.F) {
	f.Add("member_number", "1", []byte(`{"email":"a@b.co"}`))
	f.Add("mobile", "+46 70", []byte(`{"items":[{"type":"bonus_check","id":"X"}]}`))
	f.Add("email", "", []byte(`[`))
	f.Add("shoe_size", "%zz", []byte(`{"name_first":null,"invoice_address":7}`))
	e := newEnv(f, nil)
	customer := e.member("fuzz@example.org").CustomerID
	h := e.con.Handler()
	f.Fuzz(func(t *testing.T, keyType, key string, body []byte) {
		base := "/" + e.rec.ID + "/crm/customers"
		for _, r := range []struct{ method, path string }{
			{http.MethodGet, base + "?" + url.Values{"key_type": {keyType}, "key": {key}}.Encode()},
			{http.MethodPost, base},
			{http.MethodPut, base + "/" + customer},
			{http.MethodPost, base + "/" + customer + "/redeem"},
			{http.MethodPost, base + "/" + customer + "/undo-redeem"},
		} {
			req := httptest.NewRequest(r.method, r.path, bytes.NewReader(body))
			req.SetBasicAuth("crm-user", "crm-secret")
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			switch w.Code {
			case http.StatusOK, http.StatusBadRequest, http.StatusNotFound, http.StatusConflict:
			default:
				t.Fatalf("%s %s with %q: status %d: %s", r.method, r.path, body, w.Code, w.Body)
			}
		}
	})
}
