package sitoo_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
)

func TestAccountIDFromAPIID(t *testing.T) {
	t.Parallel()
	acct, err := sitoo.AccountIDFromAPIID("10020-140")
	require.NoError(t, err)
	assert.Equal(t, "10020", acct)
	for _, bad := range []string{"", "10020", "-140", "ab-1", "1 2-3"} {
		_, err := sitoo.AccountIDFromAPIID(bad)
		assert.ErrorIs(t, err, sitoo.ErrInvalidArgument, bad)
	}
	assert.Equal(t, "https://api.mysitoo.com/v2/accounts/10020", sitoo.AccountURL(sitoo.ProductionHost, "10020"))
	assert.Equal(t, "https://api-sandbox.mysitoo.com/v2/accounts/91622", sitoo.AccountURL(sitoo.SandboxHost+"/", "91622"))
}

func TestNewClientValidation(t *testing.T) {
	t.Parallel()
	_, err := sitoo.NewClient("https://api.mysitoo.com/v2/accounts/1", "", "pw")
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
	_, err = sitoo.NewClient("not a url", "1-1", "pw")
	require.Error(t, err)
	for name, opt := range map[string]sitoo.Option{
		"WithPageSize":      sitoo.WithPageSize(0),
		"WithBatchSize":     sitoo.WithBatchSize(-1),
		"WithRateLimit":     sitoo.WithRateLimit(-1, 1),
		"WithRetry":         sitoo.WithRetry(-1, 0, 0),
		"WithMaxRetryAfter": sitoo.WithMaxRetryAfter(-time.Second),
		"WithHTTPClient":    sitoo.WithHTTPClient(nil),
		"WithLogger":        sitoo.WithLogger(nil),
		"WithUserAgent":     sitoo.WithUserAgent("a\nb"),
		"WithClock":         sitoo.WithClock(nil),
	} {
		_, err = sitoo.NewClient("https://api.mysitoo.com/v2/accounts/1", "1-1", "pw", opt)
		require.ErrorIs(t, err, sitoo.ErrInvalidArgument, name)
		assert.True(t, strings.HasPrefix(err.Error(), "sitoo: "+name+": "), err.Error())
	}
	c, err := sitoo.NewClient("https://api.mysitoo.com/v2/accounts/1", "1-1", "pw", nil, sitoo.WithRateLimit(5, 5))
	require.NoError(t, err)
	assert.Same(t, c.Site(1), c.Site(1), "a site's view is made once")
	assert.Equal(t, int64(2), c.Site(2).ID)
	_, seen := c.RateLimit()
	assert.False(t, seen)
}

// recorder is an httptest server that records requests and answers with a handler.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
	srv  *httptest.Server
}

func newRecorder(t *testing.T, h http.HandlerFunc) (*recorder, *sitoo.Client) {
	t.Helper()
	rec := &recorder{}
	rec.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, r.Clone(r.Context()))
		rec.mu.Unlock()
		h(w, r)
	}))
	t.Cleanup(rec.srv.Close)
	c, err := sitoo.NewClient(rec.srv.URL+"/v2/accounts/10020", "10020-140", "s3cret",
		sitoo.WithRetry(2, time.Millisecond, 2*time.Millisecond), sitoo.WithUserAgent("test-suite/1"))
	require.NoError(t, err)
	return rec, c
}

func (r *recorder) requests() []*http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*http.Request(nil), r.reqs...)
}

func TestRequestShape(t *testing.T) {
	t.Parallel()
	rec, c := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `{"totalcount":0,"items":[]}`)
	})
	since := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	opts := &sitoo.ProductListOptions{
		ListOptions:      sitoo.ListOptions{Fields: []string{"productid", "sku"}, Sort: "-productid"},
		SKU:              []string{"A 1", "B/2"},
		ProductID:        []int64{18, 19},
		DateLastModified: since,
		IncludeInactive:  true,
	}
	_, _, err := c.Site(3).Products.List(t.Context(), opts)
	require.NoError(t, err)
	assert.Zero(t, opts.Num, "the caller's options are not modified")

	r := rec.requests()[0]
	assert.Equal(t, "/v2/accounts/10020/sites/3/products.json", r.URL.Path)
	user, pass, ok := r.BasicAuth()
	require.True(t, ok)
	assert.Equal(t, "10020-140", user)
	assert.Equal(t, "s3cret", pass)
	assert.Equal(t, "application/json", r.Header.Get("Accept"))
	assert.Contains(t, r.Header.Get("User-Agent"), "test-suite/1")
	q := r.URL.Query()
	assert.Equal(t, "productid,sku", q.Get("fields"))
	assert.Equal(t, "-productid", q.Get("sort"))
	assert.Equal(t, "A 1,B/2", q.Get("sku"))
	assert.Equal(t, "18,19", q.Get("productid"))
	assert.Equal(t, strconv.FormatInt(since.Unix(), 10), q.Get("datelastmodified"))
	assert.Equal(t, "true", q.Get("includeinactive"))
	assert.Equal(t, "100", q.Get("num"), "the default page size")
	assert.Empty(t, q.Get("start"))

	_, _, err = c.Orders.List(t.Context(), &sitoo.OrderListOptions{OrderState: []sitoo.OrderState{0, 10}, EshopID: []int64{1},
		OrderDateFrom: since})
	require.NoError(t, err)
	r = rec.requests()[1]
	assert.Equal(t, "/v2/accounts/10020/orders.json", r.URL.Path)
	assert.Equal(t, "0,10", r.URL.Query().Get("orderstate"))
	assert.Equal(t, "1", r.URL.Query().Get("eshopid"))
	assert.Equal(t, strconv.FormatInt(since.Unix(), 10), r.URL.Query().Get("orderdatefrom"))

	// User ids are GUIDs in braces: escaped in the path.
	_, _, _ = c.Site(1).Users.Get(t.Context(), "{102DC4AA-2C19}")
	r = rec.requests()[2]
	assert.Equal(t, "/v2/accounts/10020/sites/1/users/%7B102DC4AA-2C19%7D.json", r.URL.EscapedPath())
}

func TestListAllRequestCount(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		total, num, requests int
		omitTotal            bool
	}{
		{total: 0, num: 10, requests: 1},
		{total: 10, num: 10, requests: 1},
		{total: 11, num: 10, requests: 2},
		{total: 25, num: 5, requests: 5},
		{total: 25, num: 100, requests: 1},
		{total: 20, num: 10, requests: 3, omitTotal: true}, // without totalcount a short page ends it
	} {
		t.Run(fmt.Sprintf("%d/%d", tc.total, tc.num), func(t *testing.T) {
			t.Parallel()
			rec, c := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				start, _ := strconv.Atoi(r.URL.Query().Get("start"))
				num, _ := strconv.Atoi(r.URL.Query().Get("num"))
				var items []map[string]int
				for i := start; i < min(start+num, tc.total); i++ {
					items = append(items, map[string]int{"categoryid": i + 1})
				}
				env := map[string]any{"items": items}
				if !tc.omitTotal {
					env["totalcount"] = tc.total
				}
				_ = json.NewEncoder(w).Encode(env)
			})
			got := collect(t, c.Site(1).Categories.All(t.Context(), &sitoo.ListOptions{Num: tc.num}))
			assert.Len(t, got, tc.total)
			for i, cat := range got {
				assert.Equal(t, int64(i+1), cat.CategoryID)
			}
			assert.Len(t, rec.requests(), tc.requests)
		})
	}
}

func TestAllStopsOnBreakAndError(t *testing.T) {
	t.Parallel()
	rec, c := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("start") == "4" {
			w.WriteHeader(http.StatusInternalServerError)
			fmt.Fprint(w, `{"statuscode":500,"errortext":"Internal Server Error"}`)
			return
		}
		fmt.Fprint(w, `{"totalcount":100,"items":[{"voucherid":1},{"voucherid":2}]}`)
	})
	n := 0
	for _, err := range c.Site(1).Vouchers.All(t.Context(), &sitoo.ListOptions{Num: 2}) {
		require.NoError(t, err)
		n++
		if n == 3 {
			break
		}
	}
	assert.Len(t, rec.requests(), 2, "no page is fetched after the consumer stops")

	var errs []error
	for _, err := range c.Site(1).Vouchers.All(t.Context(), &sitoo.ListOptions{Num: 2}) {
		if err != nil {
			errs = append(errs, err)
		}
	}
	require.Len(t, errs, 1, "the error is yielded once")
	assert.ErrorIs(t, errs[0], sitoo.ErrServer)
	assert.Contains(t, errs[0].Error(), "sitoo: list vouchers")
}

func TestAPIErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status   int
		body     string
		sentinel error
		message  string
	}{
		{400, `{"statuscode":400,"errortext":"Invalid value in barcodealiases (Not string)"}`, sitoo.ErrBadRequest, "Invalid value in barcodealiases (Not string)"},
		{401, `{"statuscode":401,"errortext":"Unauthorized"}`, sitoo.ErrUnauthorized, "Unauthorized"},
		{403, ``, sitoo.ErrForbidden, "Forbidden"},
		{404, `<html>not found</html>`, sitoo.ErrNotFound, "Not Found"},
		{500, `{"statuscode":500}`, sitoo.ErrServer, "Internal Server Error"},
		{418, `{"errortext":"teapot"}`, nil, "teapot"},
	} {
		t.Run(strconv.Itoa(tc.status), func(t *testing.T) {
			t.Parallel()
			_, c := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
				w.WriteHeader(tc.status)
				fmt.Fprint(w, tc.body)
			})
			_, _, err := c.Site(1).Products.Get(t.Context(), 7)
			require.Error(t, err)
			var apiErr *sitoo.APIError
			require.ErrorAs(t, err, &apiErr)
			assert.Equal(t, tc.status, apiErr.StatusCode)
			assert.Equal(t, tc.message, apiErr.Message)
			assert.Equal(t, tc.body, string(apiErr.Body))
			if tc.sentinel != nil {
				assert.ErrorIs(t, err, tc.sentinel)
			}
			for _, other := range []error{sitoo.ErrBadRequest, sitoo.ErrUnauthorized, sitoo.ErrNotFound, sitoo.ErrRateLimited, sitoo.ErrServer} {
				if other != tc.sentinel {
					assert.False(t, errors.Is(err, other), "%v is not %v", err, other)
				}
			}
			assert.Contains(t, err.Error(), "get product 7")
		})
	}
}

func TestUndecodableSuccessIsDecodeError(t *testing.T) {
	t.Parallel()
	_, c := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			fmt.Fprint(w, `"not an id"`)
			return
		}
		fmt.Fprint(w, `{"productid":"twelve"}`)
	})
	_, resp, err := c.Site(1).Products.Get(t.Context(), 12)
	var de *sitoo.DecodeError
	require.ErrorAs(t, err, &de)
	require.ErrorIs(t, err, sitoo.ErrDecode)
	assert.Contains(t, err.Error(), "sitoo: get product 12: ")
	require.NotNil(t, resp, "the response comes with the error")
	assert.JSONEq(t, `{"productid":"twelve"}`, string(resp.Body))
	_, _, err = c.Site(1).Categories.Create(t.Context(), &sitoo.CategoryRequest{Title: sitoo.Ptr("x")})
	require.ErrorAs(t, err, &de)
	require.ErrorIs(t, err, sitoo.ErrDecode)
	assert.Contains(t, err.Error(), "sitoo: create category: ")
}

func TestWritesAreNotRepeatedAfterServerErrors(t *testing.T) {
	t.Parallel()
	rec, c := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	_, _, err := c.Site(1).Vouchers.Create(t.Context(), &sitoo.VoucherRequest{VoucherName: sitoo.Ptr("x"), VoucherType: sitoo.Ptr(sitoo.VoucherType(200))})
	require.ErrorIs(t, err, sitoo.ErrServer)
	assert.Len(t, rec.requests(), 1, "an add is sent once")
	_, err = c.Site(1).Vouchers.Update(t.Context(), 1, &sitoo.VoucherRequest{VoucherName: sitoo.Ptr("y")})
	require.ErrorIs(t, err, sitoo.ErrServer)
	assert.Len(t, rec.requests(), 1+3, "a partial update is idempotent and retried")
}

func TestRawDoUsesCredentialsAndRetryPolicy(t *testing.T) {
	t.Parallel()
	rec, c := newRecorder(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	req, err := c.NewRequest(http.MethodGet, "sites/1/stores.json?num=5", nil)
	require.NoError(t, err)
	resp, err := c.Do(t.Context(), req, nil)
	require.ErrorIs(t, err, sitoo.ErrServer)
	assert.Contains(t, err.Error(), "sitoo: GET /v2/accounts/10020/sites/1/stores.json: ")
	require.NotNil(t, resp)
	assert.Equal(t, 3, resp.Attempts, "a GET is retried")
	got := rec.requests()
	require.Len(t, got, 3)
	user, pass, ok := got[0].BasicAuth()
	assert.True(t, ok)
	assert.Equal(t, "10020-140", user)
	assert.Equal(t, "s3cret", pass)
	assert.Equal(t, "5", got[0].URL.Query().Get("num"))

	req, err = c.NewRequest(http.MethodPost, "sites/1/stores.json", map[string]string{"name": "x"})
	require.NoError(t, err)
	_, err = c.Do(t.Context(), req, nil)
	require.ErrorIs(t, err, sitoo.ErrServer)
	assert.Len(t, rec.requests(), 3+1, "a POST is sent once")

	_, err = c.NewRequest(http.MethodGet, "/absolute", nil)
	require.Error(t, err)
}
