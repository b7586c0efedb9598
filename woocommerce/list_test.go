package woocommerce

import (
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pagedOrders serves n orders in pages, with the headers WooCommerce sends (or none).
func pagedOrders(n int, headers bool) func(http.ResponseWriter, *http.Request) {
	return func(w http.ResponseWriter, r *http.Request) {
		perPage, _ := strconv.Atoi(r.URL.Query().Get("per_page"))
		if perPage == 0 {
			perPage = 10
		}
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		page = max(page, 1)
		pages := (n + perPage - 1) / perPage
		if headers {
			w.Header().Set("X-WP-Total", strconv.Itoa(n))
			w.Header().Set("X-WP-TotalPages", strconv.Itoa(pages))
			base := "https://shop.example.com/wp-json/wc/v3/orders?include=1%2C2&per_page=" + strconv.Itoa(perPage)
			var links []string
			if page > 1 {
				links = append(links, fmt.Sprintf(`<%s&page=%d>; rel="prev"`, base, page-1))
			}
			if page < pages {
				links = append(links, fmt.Sprintf(`<%s&page=%d>; rel="next"`, base, page+1))
			}
			for _, l := range links {
				w.Header().Add("Link", l)
			}
		}
		_, _ = w.Write([]byte("["))
		for i := (page-1)*perPage + 1; i <= min(page*perPage, n); i++ {
			if i > (page-1)*perPage+1 {
				_, _ = w.Write([]byte(","))
			}
			_, _ = fmt.Fprintf(w, `{"id":%d,"total":"%d.50"}`, i, i)
		}
		_, _ = w.Write([]byte("]"))
	}
}

func TestListResponseHeaders(t *testing.T) {
	t.Parallel()
	c, _ := newTestStore(t, pagedOrders(35, true))
	orders, resp, err := c.Orders.List(t.Context(), &OrderListOptions{ListOptions: ListOptions{Page: 2, PerPage: 10}})
	require.NoError(t, err)
	assert.Len(t, orders, 10)
	assert.Equal(t, int64(11), orders[0].ID)
	assert.Equal(t, 35, resp.Total)
	assert.Equal(t, 4, resp.TotalPages)
	assert.Equal(t, 3, resp.NextPage)
	assert.Equal(t, 1, resp.PrevPage)

	_, resp, err = c.Orders.List(t.Context(), &OrderListOptions{ListOptions: ListOptions{Page: 4, PerPage: 10}})
	require.NoError(t, err)
	assert.Equal(t, 0, resp.NextPage)
}

func TestAllWalksPagesAndKeepsOptions(t *testing.T) {
	t.Parallel()
	c, seen := newTestStore(t, pagedOrders(35, true))
	opts := &OrderListOptions{ListOptions: ListOptions{PerPage: 10}, Include: []int64{1, 2}}
	var ids []int64
	for o, err := range c.Orders.All(t.Context(), opts) {
		require.NoError(t, err)
		ids = append(ids, o.ID)
	}
	require.Len(t, ids, 35)
	assert.Equal(t, int64(35), ids[34])
	assert.Len(t, seen.all(), 4)
	assert.Equal(t, 0, opts.Page, "the caller's options are not modified")

	// Breaking out early fetches no further page.
	before := len(seen.all())
	for o, err := range c.Orders.All(t.Context(), opts) {
		require.NoError(t, err)
		if o.ID == 3 {
			break
		}
	}
	assert.Len(t, seen.all(), before+1)
}

func TestAllWithoutHeadersIsOnePage(t *testing.T) {
	t.Parallel()
	c, seen := newTestStore(t, pagedOrders(35, false))
	n := 0
	for _, err := range c.Orders.All(t.Context(), &OrderListOptions{ListOptions: ListOptions{PerPage: 10}}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 10, n)
	assert.Len(t, seen.all(), 1)
	_, resp, err := c.Orders.List(t.Context(), nil)
	require.NoError(t, err)
	assert.Equal(t, -1, resp.Total)
	assert.Equal(t, -1, resp.TotalPages)
}

func TestAllStopsOnError(t *testing.T) {
	t.Parallel()
	c, _ := newTestStore(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("page") == "2" {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"code":"rest_no_route","message":"No route","data":{"status":404}}`))
			return
		}
		pagedOrders(30, true)(w, r)
	})
	var n int
	var errs []error
	for _, err := range c.Coupons.All(t.Context(), &CouponListOptions{ListOptions: ListOptions{PerPage: 10}}) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	assert.Equal(t, 10, n)
	require.Len(t, errs, 1, "the error is yielded once")
	assert.ErrorIs(t, errs[0], ErrNotFound)
}

func TestPerPageOver100RejectedBeforeSending(t *testing.T) {
	t.Parallel()
	c, seen := newTestStore(t, replyJSON(http.StatusOK, `[]`))
	_, _, err := c.Products.List(t.Context(), &ProductListOptions{ListOptions: ListOptions{PerPage: 101}})
	require.ErrorIs(t, err, ErrInvalidArgument)
	var pe *ParamError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "per_page", pe.Param)
	for _, err := range c.Customers.All(t.Context(), &CustomerListOptions{ListOptions: ListOptions{PerPage: 500}}) {
		require.ErrorIs(t, err, ErrInvalidArgument)
	}
	_, _, err = c.Orders.List(t.Context(), &OrderListOptions{ListOptions: ListOptions{Order: "up"}})
	require.ErrorIs(t, err, ErrInvalidArgument)
	assert.Empty(t, seen.all(), "nothing was sent")
}

func TestParseLinkHeader(t *testing.T) {
	t.Parallel()
	got := parseLinkHeader(`<https://x.test/wp-json/wc/v3/orders?include=1,2&page=1>; rel="prev", <https://x.test/wp-json/wc/v3/orders?page=3&search=a;b>; rel=next; title="x"`)
	assert.Equal(t, []link{{"prev", 1}, {"next", 3}}, got)
	assert.Empty(t, parseLinkHeader(`garbage, <unterminated`))
	assert.Equal(t, []link{{"next", 1}}, parseLinkHeader(`<https://x.test/orders>; rel="next"`))
}

func TestNextPageNeverLoops(t *testing.T) {
	t.Parallel()
	assert.Equal(t, 0, nextPage(&Response{NextPage: 2, TotalPages: 9}, 2, 10), "a next link that does not advance")
	assert.Equal(t, 3, nextPage(&Response{TotalPages: 3}, 2, 10), "TotalPages without Link")
	assert.Equal(t, 0, nextPage(&Response{NextPage: 3}, 2, 0), "an empty page ends the walk")
}

func TestErrorsMatchSentinels(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		code   string
		is     error
	}{
		{404, "woocommerce_rest_shop_order_invalid_id", ErrNotFound},
		{400, "woocommerce_rest_shop_order_invalid_id", ErrNotFound},
		{404, "woocommerce_rest_invalid_id", ErrNotFound},
		{401, "woocommerce_rest_cannot_view", ErrUnauthorized},
		{403, "woocommerce_rest_cannot_edit", ErrForbidden},
		{429, "", ErrRateLimited},
		{400, "rest_invalid_param", ErrBadRequest},
		{400, "rest_missing_callback_param", ErrBadRequest},
		{400, "woocommerce_rest_coupon_code_already_exists", ErrAlreadyExists},
		{400, "registration-error-email-exists", ErrAlreadyExists},
		{400, "product_invalid_sku", ErrAlreadyExists},
		{400, "term_exists", ErrAlreadyExists},
		{413, "woocommerce_rest_request_entity_too_large", ErrBatchTooLarge},
		{410, "woocommerce_rest_already_trashed", ErrAlreadyTrashed},
		{501, "woocommerce_rest_trash_not_supported", ErrTrashNotSupported},
		{502, "", ErrServer},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.status, tc.code), func(t *testing.T) {
			t.Parallel()
			c, _ := newTestStore(t, replyJSON(tc.status, fmt.Sprintf(`{"code":%q,"message":"m","data":{"status":%d}}`, tc.code, tc.status)))
			_, resp, err := c.Coupons.Get(t.Context(), 1)
			require.ErrorIs(t, err, tc.is)
			require.NotNil(t, resp)
			assert.Equal(t, tc.status, resp.StatusCode)
			var apiErr *APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.code, apiErr.Code)
			for _, other := range []error{ErrNotFound, ErrUnauthorized, ErrKeyPermission, ErrForbidden, ErrRateLimited, ErrBadRequest,
				ErrAlreadyExists, ErrBatchTooLarge, ErrAlreadyTrashed, ErrTrashNotSupported, ErrServer, ErrInvalidArgument,
				ErrTransport, ErrDecode} {
				if other == ErrBadRequest && tc.status == http.StatusBadRequest {
					assert.ErrorIs(t, err, other, "every 400 is a bad request")
					continue
				}
				if other != tc.is {
					assert.NotErrorIs(t, err, other)
				}
			}
		})
	}
}

func TestNonJSONErrorBody(t *testing.T) {
	t.Parallel()
	c, _ := newTestStore(t, replyJSON(http.StatusForbidden, `<html><body>ModSecurity: Access denied</body></html>`))
	_, _, err := c.Orders.Get(t.Context(), 1)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "", apiErr.Code)
	assert.Equal(t, "Forbidden", apiErr.Message)
	assert.Contains(t, string(apiErr.Body), "ModSecurity")
	assert.ErrorIs(t, err, ErrForbidden)
}

func TestCategoryTree(t *testing.T) {
	t.Parallel()
	cats := []Category{
		{ID: 1, Name: "Clothing"}, {ID: 2, Name: "Hoodies", Parent: 1}, {ID: 3, Name: "Socks", Parent: 1},
		{ID: 4, Name: "Wool", Parent: 3}, {ID: 5, Name: "Orphan", Parent: 99}, {ID: 6, Name: "Self", Parent: 6},
	}
	roots, children := CategoryTree(cats)
	var names []string
	for _, r := range roots {
		names = append(names, r.Name)
	}
	assert.Equal(t, []string{"Clothing", "Orphan", "Self"}, names, "a missing or self parent makes a root")
	require.Len(t, children[1], 2)
	assert.Equal(t, "Hoodies", children[1][0].Name)
	assert.Equal(t, "Wool", children[3][0].Name)
	assert.Empty(t, children[2])
}
