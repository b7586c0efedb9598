package sitootest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
)

// call sends a raw request to the fake and returns the status and the decoded JSON body.
func call(t *testing.T, srv *sitootest.Server, method, path, body string, auth bool) (int, any) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	if auth {
		req.SetBasicAuth(srv.APIID, srv.Password)
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	var v any
	require.NoError(t, json.Unmarshal(data, &v), "%s", data)
	return resp.StatusCode, v
}

func errBody(status int, v any) bool {
	m, ok := v.(map[string]any)
	return ok && m["statuscode"] == float64(status) && m["errortext"] != ""
}

func TestWireFormat(t *testing.T) {
	t.Parallel()
	srv := sitootest.NewServer(sitootest.WithCredentials("10020-140", "pw"), sitootest.WithSites(1, 7))
	t.Cleanup(srv.Close)
	assert.Equal(t, "10020", srv.AccountID)
	assert.True(t, strings.HasSuffix(srv.URL, "/v2/accounts/10020"))
	srv.SeedProducts(1, 12)

	status, body := call(t, srv, http.MethodGet, "/sites/1/products.json", "", false)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.True(t, errBody(401, body), "%v", body)

	status, body = call(t, srv, http.MethodGet, "/sites/1/products.json", "", true)
	require.Equal(t, http.StatusOK, status)
	env := body.(map[string]any)
	assert.Equal(t, float64(12), env["totalcount"])
	assert.Len(t, env["items"], 10, "Sitoo's default page size")

	status, body = call(t, srv, http.MethodGet, "/sites/1/products.json?start=10&num=5&fields=sku", "", true)
	require.Equal(t, http.StatusOK, status)
	items := body.(map[string]any)["items"].([]any)
	require.Len(t, items, 2)
	assert.Equal(t, map[string]any{"sku": "SKU-000011"}, items[0])

	for _, path := range []string{"/sites/1/products", "/sites/1/nothing.json", "/sites/2/products.json", "/products.json"} {
		status, body = call(t, srv, http.MethodGet, path, "", true)
		assert.Equal(t, http.StatusNotFound, status, path)
		assert.True(t, errBody(404, body), path)
	}
	status, _ = call(t, srv, http.MethodGet, "/sites/7/products.json", "", true)
	assert.Equal(t, http.StatusOK, status, "site 7 exists")

	// A batch answers one result per item; a single object answers the bare value.
	status, body = call(t, srv, http.MethodPost, "/sites/1/products.json", `[{"sku":"N1"},{"title":"no sku"}]`, true)
	require.Equal(t, http.StatusOK, status)
	rs := body.([]any)
	require.Len(t, rs, 2)
	assert.Equal(t, float64(200), rs[0].(map[string]any)["statuscode"])
	assert.Equal(t, float64(400), rs[1].(map[string]any)["statuscode"])
	status, body = call(t, srv, http.MethodPost, "/sites/1/products.json", `{"sku":"N2"}`, true)
	require.Equal(t, http.StatusOK, status)
	_, isNumber := body.(float64)
	assert.True(t, isNumber, "the new id: %v", body)
	status, body = call(t, srv, http.MethodPut, fmt.Sprintf("/sites/1/products/%v.json", body), `{"title":"x"}`, true)
	assert.Equal(t, http.StatusOK, status)
	assert.Equal(t, true, body)

	// Unknown fields and malformed values are refused.
	status, body = call(t, srv, http.MethodPost, "/sites/1/products.json", `{"sku":"N3","moneyprize":"1.00"}`, true)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.True(t, errBody(400, body))
	status, _ = call(t, srv, http.MethodPost, "/sites/1/products.json", `{"sku":"N3","moneyprice":"one"}`, true)
	assert.Equal(t, http.StatusBadRequest, status)
	status, _ = call(t, srv, http.MethodPost, "/sites/1/products.json", `not json`, true)
	assert.Equal(t, http.StatusBadRequest, status)

	// Orders cannot be deleted.
	id := srv.AddOrder(1, sitoo.Order{OrderTypeID: sitoo.OrderTypeOrder})
	status, body = call(t, srv, http.MethodDelete, fmt.Sprintf("/sites/1/orders/%d.json", id), "", true)
	assert.Equal(t, http.StatusMethodNotAllowed, status)
	assert.Contains(t, body.(map[string]any)["errortext"], "cancelled")
}

func TestWireTransactionLimits(t *testing.T) {
	t.Parallel()
	srv := sitootest.NewServer()
	t.Cleanup(srv.Close)
	srv.SeedProducts(1, 1)
	fifo := srv.AddWarehouse(1, sitoo.Warehouse{Name: "Store"})
	virtual := srv.AddWarehouse(1, sitoo.Warehouse{Name: "Web", WarehouseType: sitoo.WarehouseTypeVirtual})

	items := strings.TrimSuffix(strings.Repeat(`{"sku":"SKU-000001","decimalquantity":"1.000"},`, 1001), ",")
	status, body := call(t, srv, http.MethodPost, "/sites/1/warehousetransactions.json",
		fmt.Sprintf(`[{"warehouseid":%d,"transactiontype":10,"items":[%s]}]`, fifo, items), true)
	assert.Equal(t, http.StatusBadRequest, status, "more than 1000 items")
	assert.True(t, errBody(400, body))

	status, body = call(t, srv, http.MethodPost, "/sites/1/warehousetransactions.json",
		fmt.Sprintf(`{"warehouseid":%d,"transactiontype":10,"items":[{"sku":"SKU-000001","decimalquantity":"1.000"}]}`, virtual), true)
	assert.Equal(t, http.StatusBadRequest, status)
	assert.Contains(t, body.(map[string]any)["errortext"], "Virtual (20)")

	status, _ = call(t, srv, http.MethodPost, "/sites/1/warehousetransactions.json",
		fmt.Sprintf(`{"warehouseid":%d,"transactiontype":50,"items":[{"sku":"SKU-000001","decimalquantity":"1.000"}]}`, fifo), true)
	assert.Equal(t, http.StatusBadRequest, status, "stocktaking transactions are read-only")

	status, body = call(t, srv, http.MethodPut, fmt.Sprintf("/sites/1/warehouses/%d/warehouseitems.json", fifo),
		`[{"sku":"SKU-000001","decimaltotal":"5.000"}]`, true)
	require.Equal(t, http.StatusOK, status)
	assert.Equal(t, float64(400), body.([]any)[0].(map[string]any)["statuscode"], "absolute stock only on Virtual")
	assert.True(t, srv.Stock(1, fifo, "SKU-000001").IsZero())
}

func TestSeedHelpers(t *testing.T) {
	t.Parallel()
	srv := sitootest.NewServer()
	t.Cleanup(srv.Close)
	ids := srv.SeedProducts(1, 2)
	p, ok := srv.Product(1, ids[1])
	require.True(t, ok)
	assert.Equal(t, "SKU-000002", p.SKU)
	assert.Equal(t, "11.00", p.MoneyPrice.String())
	uid := srv.AddUser(sitoo.User{Email: "a@example.com"})
	assert.NotEmpty(t, uid)
	cid := srv.AddCategory(1, sitoo.Category{Title: "Root"})
	vid := srv.AddVoucher(1, sitoo.Voucher{VoucherName: "V", VoucherType: 200})
	client, err := srv.NewClient()
	require.NoError(t, err)
	u, _, err := client.Site(1).Users.Get(t.Context(), uid)
	require.NoError(t, err)
	assert.Equal(t, "a@example.com", u.Email)
	cat, _, err := client.Site(1).Categories.Get(t.Context(), cid)
	require.NoError(t, err)
	assert.Equal(t, "Root", cat.Title)
	v, _, err := client.Site(1).Vouchers.Get(t.Context(), vid)
	require.NoError(t, err)
	assert.Equal(t, "V", v.VoucherName)
	assert.Panics(t, func() { srv.SeedProducts(9, 1) }, "no site 9")
}
