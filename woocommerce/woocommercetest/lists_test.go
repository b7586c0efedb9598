package woocommercetest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

func seedCustomers(t *testing.T, srv *woocommercetest.Server, n int) {
	t.Helper()
	for i := range n {
		_, err := srv.AddCustomer(woocommercetest.Customer{Email: fmt.Sprintf("c%02d@example.com", i), FirstName: fmt.Sprintf("C%02d", i)})
		require.NoError(t, err)
	}
}

func TestPagination(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	seedCustomers(t, srv, 25)

	page1, resp, err := c.Customers.List(ctx, &woocommerce.CustomerListOptions{ListOptions: woocommerce.ListOptions{PerPage: 10}})
	require.NoError(t, err)
	assert.Len(t, page1, 10)
	assert.Equal(t, 25, resp.Total)
	assert.Equal(t, 3, resp.TotalPages)
	assert.Equal(t, 2, resp.NextPage)
	assert.Equal(t, 0, resp.PrevPage)
	assert.Equal(t, "C00", page1[0].FirstName, "customers are ordered by name, ascending")

	_, resp, err = c.Customers.List(ctx, &woocommerce.CustomerListOptions{ListOptions: woocommerce.ListOptions{PerPage: 10, Page: 2}})
	require.NoError(t, err)
	assert.Equal(t, 3, resp.NextPage)
	assert.Equal(t, 1, resp.PrevPage)
	require.Len(t, resp.Header.Values("Link"), 1, "prev and next come in one Link header, as WordPress sends them")
	links := strings.Split(resp.Header.Get("Link"), ", ")
	require.Len(t, links, 2)
	assert.True(t, strings.HasSuffix(links[0], `; rel="prev"`), links[0])
	assert.True(t, strings.HasSuffix(links[1], `; rel="next"`), links[1])
	assert.Contains(t, links[1], "per_page=10")
	assert.Contains(t, links[1], "page=3")

	// A response that is not paginated carries only WordPress's API root link.
	_, resp, err = c.Customers.Get(ctx, page1[0].ID)
	require.NoError(t, err)
	assert.Equal(t, "<"+srv.HomeURL()+`/wp-json/>; rel="https://api.w.org/"`, resp.Header.Get("Link"))
	assert.Zero(t, resp.NextPage)
	assert.Zero(t, resp.PrevPage)
	for _, l := range links {
		assert.NotContains(t, l, "first")
		assert.NotContains(t, l, "last")
	}

	last, resp, err := c.Customers.List(ctx, &woocommerce.CustomerListOptions{ListOptions: woocommerce.ListOptions{PerPage: 10, Page: 3}})
	require.NoError(t, err)
	assert.Len(t, last, 5)
	assert.Equal(t, 0, resp.NextPage)

	beyond, resp, err := c.Customers.List(ctx, &woocommerce.CustomerListOptions{ListOptions: woocommerce.ListOptions{PerPage: 10, Page: 9}})
	require.NoError(t, err)
	assert.Empty(t, beyond)
	assert.Equal(t, 25, resp.Total)
	assert.Equal(t, 3, resp.PrevPage, "prev points at the last page")

	offset, _, err := c.Customers.List(ctx, &woocommerce.CustomerListOptions{ListOptions: woocommerce.ListOptions{PerPage: 3, Offset: 22}})
	require.NoError(t, err)
	assert.Len(t, offset, 3)
	assert.Equal(t, "C22", offset[0].FirstName)

	var all []string
	for cu, err := range c.Customers.All(ctx, &woocommerce.CustomerListOptions{ListOptions: woocommerce.ListOptions{PerPage: 7}}) {
		require.NoError(t, err)
		all = append(all, cu.Email)
	}
	assert.Len(t, all, 25)
	assert.Equal(t, "c24@example.com", all[24])
}

func TestPerPageBounds(t *testing.T) {
	t.Parallel()
	srv, _ := store(t)
	resp, body := signedCall(t, srv, http.MethodGet, "orders?per_page=101&page=0", "")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	var e wpError
	require.NoError(t, json.Unmarshal(body, &e))
	assert.Equal(t, "rest_invalid_param", e.Code)
	assert.Equal(t, "Invalid parameter(s): page, per_page", e.Message)
	assert.Equal(t, map[string]any{
		"per_page": "per_page must be between 1 (inclusive) and 100 (inclusive)",
		"page":     "page must be greater than or equal to 1",
	}, e.Data["params"])

	// Arguments are validated before the permission check: anonymous gets the 400 too.
	var anon wpError
	r := send(t, srv, newRequest(t, srv, http.MethodGet, "orders?per_page=500", ""), &anon)
	assert.Equal(t, http.StatusBadRequest, r.StatusCode)
	assert.Equal(t, "rest_invalid_param", anon.Code)

	resp, body = signedCall(t, srv, http.MethodGet, "orders?per_page=ten&order=ASC&after=yesterday", "")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.NoError(t, json.Unmarshal(body, &e))
	assert.Equal(t, map[string]any{
		"per_page": "per_page is not of type integer.",
		"order":    "order is not one of asc and desc.",
		"after":    "Invalid date.",
	}, e.Data["params"])

	resp, body = signedCall(t, srv, http.MethodGet, "orders?status=processing,shipped", "")
	assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
	assert.Contains(t, string(body), "status[1] is not one of any, trash, pending")
}

func TestLinkHeaderCarriesTheRequestQuery(t *testing.T) {
	t.Parallel()
	srv, _ := store(t)
	seedCustomers(t, srv, 3)
	key := srv.AddKey(woocommercetest.Read)
	req := newRequest(t, srv, http.MethodGet, "customers?per_page=1&search=example", "")
	oauthQuery(req, oauthSign(req, srv.URL+"/wp-json/wc/v3/customers", key, "HMAC-SHA256", time.Now().Unix(), nonce()))
	resp := send(t, srv, req, nil)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	next := resp.Header.Get("Link")
	// WordPress rebuilds the link from every query parameter, OAuth ones included: following it
	// verbatim replays a used nonce.
	assert.Contains(t, next, srv.URL+"/wp-json/wc/v3/customers?per_page=1&search=example&oauth_consumer_key=")
	assert.Contains(t, next, "oauth_signature=")
	assert.True(t, strings.HasSuffix(next, `&page=2>; rel="next"`), next)
}

func TestBatch(t *testing.T) {
	t.Parallel()
	srv, c := store(t)
	ctx := ctxT(t)
	existing, err := srv.AddCoupon(woocommercetest.Coupon{Code: "taken"})
	require.NoError(t, err)
	gone, err := srv.AddCoupon(woocommercetest.Coupon{Code: "gone"})
	require.NoError(t, err)

	res, err := c.Coupons.Batch(ctx, &woocommerce.Batch[woocommerce.CouponRequest]{
		Create: []woocommerce.CouponRequest{{Code: woocommerce.Ptr("new1")}, {Code: woocommerce.Ptr("TAKEN")}, {Code: woocommerce.Ptr("new2")}},
		Update: []woocommerce.BatchUpdate[woocommerce.CouponRequest]{
			{ID: existing, Changes: woocommerce.CouponRequest{Description: woocommerce.Ptr("updated")}},
			{ID: 999999, Changes: woocommerce.CouponRequest{Description: woocommerce.Ptr("nobody")}},
		},
		Delete: []int64{gone},
	})
	var be *woocommerce.BatchError
	require.ErrorAs(t, err, &be)
	assert.Len(t, res.Created, 2)
	assert.Len(t, res.Updated, 1)
	require.Len(t, res.Deleted, 1)
	require.Len(t, be.Items, 2)
	assert.Equal(t, woocommerce.BatchOpCreate, be.Items[0].Op)
	assert.Equal(t, 1, be.Items[0].Index)
	assert.Equal(t, "woocommerce_rest_coupon_code_already_exists", be.Items[0].Code)
	assert.Equal(t, 400, be.Items[0].Data.Status)
	assert.Equal(t, woocommerce.BatchOpUpdate, be.Items[1].Op)
	assert.Equal(t, int64(999999), be.Items[1].ID)
	assert.Equal(t, "woocommerce_rest_shop_coupon_invalid_id", be.Items[1].Code)
	assert.ErrorIs(t, err, woocommerce.ErrAlreadyExists)
	_, ok := srv.Coupon("gone")
	assert.False(t, ok, "batch deletes are forced")

	// The client splits big batches; the server takes at most 100 items per request.
	var many []woocommerce.CouponRequest
	for i := range 150 {
		many = append(many, woocommerce.CouponRequest{Code: woocommerce.Ptr(fmt.Sprintf("bulk-%03d", i))})
	}
	res, err = c.Coupons.Batch(ctx, &woocommerce.Batch[woocommerce.CouponRequest]{Create: many})
	require.NoError(t, err)
	assert.Len(t, res.Created, 150)
	assert.Len(t, srv.Coupons(), 153)
}

func TestBatchLimitAndShapes(t *testing.T) {
	t.Parallel()
	srv, _ := store(t)
	ids := make([]string, 101)
	for i := range ids {
		ids[i] = fmt.Sprint(i + 1)
	}
	resp, body := signedCall(t, srv, http.MethodPost, "orders/batch", `{"delete":[`+strings.Join(ids, ",")+`]}`)
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
	assert.JSONEq(t, `{"code":"woocommerce_rest_request_entity_too_large","message":"Unable to accept more than 100 items for this request.","data":{"status":413}}`, string(body))

	resp, body = signedCall(t, srv, http.MethodPost, "orders/batch", `{}`)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "[]", string(body), "an empty batch answers PHP's empty array")

	resp, body = signedCall(t, srv, http.MethodPut, "customers/batch", `{"create":[{"email":"x"},{"email":"ok@example.com"}]}`)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	var out struct {
		Create []json.RawMessage `json:"create"`
	}
	require.NoError(t, json.Unmarshal(body, &out))
	require.Len(t, out.Create, 2)
	assert.JSONEq(t, `{"id":0,"error":{"code":"rest_invalid_param","message":"Invalid parameter(s): email",
		"data":{"status":400,"params":{"email":"Invalid email address."},"details":{"email":{"code":"rest_invalid_email","message":"Invalid email address.","data":null}}}}}`,
		string(out.Create[0]))

	small := woocommercetest.NewServer(woocommercetest.WithBatchLimit(2))
	t.Cleanup(small.Close)
	c := clientFor(t, small, small.AddKey(woocommercetest.ReadWrite))
	_, err := c.Orders.Batch(ctxT(t), &woocommerce.Batch[woocommerce.OrderRequest]{Create: make([]woocommerce.OrderRequest, 3)})
	assert.ErrorIs(t, err, woocommerce.ErrBatchTooLarge)
}

// The prev/next links carry the sanitized query the client sent, never the registered defaults
// (context, order, orderby, ...): WooCommerce builds them from $request->get_query_params().
func TestLinkHeaderCarriesTheSanitizedQuery(t *testing.T) {
	t.Parallel()
	srv, _ := store(t)
	var ids []int64
	for i := range 3 {
		id, err := srv.AddCustomer(woocommercetest.Customer{Email: fmt.Sprintf("c%02d@example.com", i)})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	path := fmt.Sprintf("customers?include=%d,%d,%d&search=%%20c0%%20%%20&_fields=id&per_page=1&orderby=id", ids[2], ids[0], ids[2])
	resp, _ := signedCall(t, srv, http.MethodGet, path, "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, fmt.Sprintf(`<%s/wp-json/wc/v3/customers?include%%5B0%%5D=%d&include%%5B1%%5D=%d&search=c0&_fields=id&per_page=1&orderby=id&page=2>; rel="next"`,
		srv.URL, ids[2], ids[0]), resp.Header.Get("Link"), "wp_parse_id_list keeps the first indexes, search is trimmed, page comes last")

	for range 3 {
		_, err := srv.AddOrder(woocommercetest.Order{})
		require.NoError(t, err)
	}
	resp, _ = signedCall(t, srv, http.MethodGet, "orders?page=2&status=pending&dates_are_gmt=false&per_page=1&search=", "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	base := srv.URL + "/wp-json/wc/v3/orders?"
	assert.Equal(t, "<"+base+`page=1&status%5B0%5D=pending&per_page=1&search>; rel="prev", `+
		"<"+base+`page=3&status%5B0%5D=pending&per_page=1&search>; rel="next"`, resp.Header.Get("Link"),
		"a list becomes an indexed array, a false boolean is dropped, an empty value loses its '='")
}
