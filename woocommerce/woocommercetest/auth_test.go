package woocommercetest_test

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// apiError extracts the client's *APIError.
func apiError(t *testing.T, err error) *woocommerce.APIError {
	t.Helper()
	var ae *woocommerce.APIError
	require.ErrorAs(t, err, &ae)
	return ae
}

func TestClientAuthenticationMethods(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		tls    bool
		opts   []woocommerce.Option
		method string
	}{
		{"oauth1 HMAC-SHA256 over http", false, nil, "oauth1"},
		{"oauth1 HMAC-SHA1 over http", false, []woocommerce.Option{woocommerce.WithOAuthSignatureMethod(woocommerce.OAuthHMACSHA1)}, "oauth1"},
		{"basic over https", true, nil, "basic"},
		{"query string over https", true, []woocommerce.Option{woocommerce.WithQueryStringAuth()}, "query-string"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var opts []woocommercetest.Option
			if tc.tls {
				opts = append(opts, woocommercetest.WithTLS())
			}
			srv := woocommercetest.NewServer(opts...)
			t.Cleanup(srv.Close)
			c := clientFor(t, srv, srv.AddKey(woocommercetest.ReadWrite), tc.opts...)
			require.Equal(t, tc.method, c.AuthMethod())
			ctx := ctxT(t)
			// A query with a space, a comma list and several parameters: all of them are signed.
			for range 3 {
				_, _, err := c.Customers.List(ctx, &woocommerce.CustomerListOptions{Search: "ann lee", Include: []int64{1, 2},
					ListOptions: woocommerce.ListOptions{PerPage: 5, Order: woocommerce.Ascending}})
				require.NoError(t, err)
			}
			cu, _, err := c.Customers.Create(ctx, &woocommerce.CustomerRequest{Email: woocommerce.Ptr("ann@example.com")})
			require.NoError(t, err)
			got, _, err := c.Customers.Get(ctx, cu.ID)
			require.NoError(t, err)
			assert.Equal(t, "ann@example.com", got.Email)
		})
	}
}

func TestBasicAuthOverPlainHTTPIsIgnored(t *testing.T) {
	t.Parallel()
	srv := woocommercetest.NewServer()
	t.Cleanup(srv.Close)
	key := srv.AddKey(woocommercetest.ReadWrite)

	req := newRequest(t, srv, http.MethodGet, "orders", "")
	req.SetBasicAuth(key.ConsumerKey, key.ConsumerSecret)
	var e wpError
	resp := send(t, srv, req, &e)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, "woocommerce_rest_cannot_view", e.Code)
	assert.Equal(t, "Sorry, you cannot list resources.", e.Message)

	req = newRequest(t, srv, http.MethodGet, "orders?consumer_key="+key.ConsumerKey+"&consumer_secret="+key.ConsumerSecret, "")
	resp = send(t, srv, req, &e)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, "woocommerce_rest_cannot_view", e.Code)

	// Anonymous callers learn that an id does not exist before they are refused.
	resp = send(t, srv, newRequest(t, srv, http.MethodGet, "orders/12345", ""), &e)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, "woocommerce_rest_shop_order_invalid_id", e.Code)
	id, err := srv.AddOrder(woocommercetest.Order{})
	require.NoError(t, err)
	resp = send(t, srv, newRequest(t, srv, http.MethodGet, "orders/"+itoa(id), ""), &e)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, "Sorry, you cannot view this resource.", e.Message)

	req = newRequest(t, srv, http.MethodPost, "coupons", `{"code":"x"}`)
	req.SetBasicAuth(key.ConsumerKey, key.ConsumerSecret)
	resp = send(t, srv, req, &e)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, "woocommerce_rest_cannot_create", e.Code)
}

func TestBasicAuthFailures(t *testing.T) {
	t.Parallel()
	srv := woocommercetest.NewServer(woocommercetest.WithTLS())
	t.Cleanup(srv.Close)
	key := srv.AddKey(woocommercetest.ReadWrite)
	ctx := ctxT(t)

	bad := clientFor(t, srv, woocommercetest.Key{ConsumerKey: key.ConsumerKey, ConsumerSecret: "cs_wrong"})
	_, _, err := bad.Orders.List(ctx, nil)
	ae := apiError(t, err)
	assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
	assert.Equal(t, "woocommerce_rest_authentication_error", ae.Code)
	assert.Equal(t, "Consumer secret is invalid.", ae.Message)
	assert.ErrorIs(t, err, woocommerce.ErrUnauthorized)

	// An unknown key is not an error for WooCommerce: the request stays anonymous.
	unknown := clientFor(t, srv, woocommercetest.Key{ConsumerKey: "ck_nobody", ConsumerSecret: "cs_x"})
	_, _, err = unknown.Orders.List(ctx, nil)
	assert.Equal(t, "woocommerce_rest_cannot_view", apiError(t, err).Code)

	srv.RevokeKey(key.ConsumerKey)
	good := clientFor(t, srv, key)
	_, _, err = good.Orders.List(ctx, nil)
	assert.Equal(t, "woocommerce_rest_cannot_view", apiError(t, err).Code)
}

func TestKeyPermissions(t *testing.T) {
	t.Parallel()
	srv := woocommercetest.NewServer()
	t.Cleanup(srv.Close)
	ctx := ctxT(t)

	read := clientFor(t, srv, srv.AddKey(woocommercetest.Read))
	_, _, err := read.Orders.List(ctx, nil)
	require.NoError(t, err)
	_, _, err = read.Coupons.Create(ctx, &woocommerce.CouponRequest{Code: woocommerce.Ptr("x")})
	ae := apiError(t, err)
	assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
	assert.Equal(t, "woocommerce_rest_authentication_error", ae.Code)
	assert.Equal(t, "The API key provided does not have write permissions.", ae.Message)
	assert.ErrorIs(t, err, woocommerce.ErrKeyPermission, "a read key writing is told apart")
	assert.ErrorIs(t, err, woocommerce.ErrUnauthorized, "WooCommerce answers 401")
	assert.NotErrorIs(t, err, woocommerce.ErrForbidden)
	assert.Contains(t, ae.Hint, "permission")

	write := clientFor(t, srv, srv.AddKey(woocommercetest.Write))
	_, _, err = write.Orders.List(ctx, nil)
	assert.Equal(t, "The API key provided does not have read permissions.", apiError(t, err).Message)
	assert.ErrorIs(t, err, woocommerce.ErrKeyPermission)
	_, _, err = write.Coupons.Create(ctx, &woocommerce.CouponRequest{Code: woocommerce.Ptr("x")})
	require.NoError(t, err)

	// A valid key whose user may not manage the shop: 403, not 401.
	customer := clientFor(t, srv, srv.AddUnprivilegedKey(woocommercetest.ReadWrite))
	_, _, err = customer.Orders.List(ctx, nil)
	ae = apiError(t, err)
	assert.Equal(t, http.StatusForbidden, ae.StatusCode)
	assert.Equal(t, "woocommerce_rest_cannot_view", ae.Code)
	assert.ErrorIs(t, err, woocommerce.ErrForbidden)
	id, err := srv.AddOrder(woocommercetest.Order{})
	require.NoError(t, err)
	_, _, err = customer.Orders.Get(ctx, id)
	assert.Equal(t, "Sorry, you cannot view this resource.", apiError(t, err).Message)
	// The item permission callback lets a missing object through: 404, not 403.
	_, _, err = customer.Orders.Get(ctx, id+1000)
	assert.Equal(t, http.StatusNotFound, apiError(t, err).StatusCode)
	_, _, err = customer.Coupons.Create(ctx, &woocommerce.CouponRequest{Code: woocommerce.Ptr("y")})
	assert.Equal(t, "woocommerce_rest_cannot_create", apiError(t, err).Code)
	_, err = customer.Coupons.Batch(ctx, &woocommerce.Batch[woocommerce.CouponRequest]{Delete: []int64{1}})
	assert.Equal(t, "woocommerce_rest_cannot_batch", apiError(t, err).Code)
}

// recorder keeps a copy of every request a client sends.
type recorder struct {
	mu   sync.Mutex
	reqs []*http.Request
	next http.RoundTripper
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.reqs = append(r.reqs, req.Clone(req.Context()))
	r.mu.Unlock()
	return r.next.RoundTrip(req)
}

func (r *recorder) last() *http.Request {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.reqs[len(r.reqs)-1]
}

func TestOAuthReplayAndTampering(t *testing.T) {
	t.Parallel()
	srv := woocommercetest.NewServer()
	t.Cleanup(srv.Close)
	key := srv.AddKey(woocommercetest.ReadWrite)
	rec := &recorder{next: http.DefaultTransport}
	c := clientFor(t, srv, key, woocommerce.WithHTTPClient(&http.Client{Transport: rec}))
	ctx := ctxT(t)
	_, _, err := c.Orders.List(ctx, &woocommerce.OrderListOptions{ListOptions: woocommerce.ListOptions{PerPage: 5}})
	require.NoError(t, err)
	signed := rec.last()
	require.True(t, strings.HasPrefix(signed.Header.Get("Authorization"), "OAuth "))

	// The same signed request again: the nonce was used.
	var e wpError
	resp := send(t, srv, signed.Clone(ctx), &e)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, "woocommerce_rest_authentication_error", e.Code)
	assert.Equal(t, "Invalid nonce - nonce has already been used.", e.Message)

	// A changed query parameter breaks the signature, which is checked before the nonce.
	tampered := signed.Clone(ctx)
	tampered.URL.RawQuery = strings.Replace(tampered.URL.RawQuery, "per_page=5", "per_page=6", 1)
	resp = send(t, srv, tampered, &e)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, "Invalid signature - provided signature does not match.", e.Message)

	// So does another method or path.
	other := signed.Clone(ctx)
	other.URL.Path = strings.Replace(other.URL.Path, "orders", "coupons", 1)
	send(t, srv, other, &e)
	assert.Equal(t, "Invalid signature - provided signature does not match.", e.Message)

	// A secret other than the key's.
	wrong := clientFor(t, srv, woocommercetest.Key{ConsumerKey: key.ConsumerKey, ConsumerSecret: "cs_wrong"})
	_, _, err = wrong.Orders.List(ctx, nil)
	assert.Equal(t, "Invalid signature - provided signature does not match.", apiError(t, err).Message)

	unknown := clientFor(t, srv, woocommercetest.Key{ConsumerKey: "ck_unknown", ConsumerSecret: "cs_x"})
	_, _, err = unknown.Orders.List(ctx, nil)
	assert.Equal(t, "Consumer key is invalid.", apiError(t, err).Message)
}

func TestOAuthTimestampWindow(t *testing.T) {
	t.Parallel()
	for _, skew := range []time.Duration{-16 * time.Minute, 16 * time.Minute} {
		srv := woocommercetest.NewServer(woocommercetest.WithClock(func() time.Time { return time.Now().Add(skew) }))
		t.Cleanup(srv.Close)
		c := clientFor(t, srv, srv.AddKey(woocommercetest.ReadWrite))
		_, _, err := c.Orders.List(ctxT(t), nil)
		ae := apiError(t, err)
		assert.Equal(t, http.StatusUnauthorized, ae.StatusCode)
		assert.Equal(t, "Invalid timestamp.", ae.Message, "server clock %v", skew)
	}
	// Within the window the request passes.
	srv := woocommercetest.NewServer(woocommercetest.WithClock(func() time.Time { return time.Now().Add(14 * time.Minute) }))
	t.Cleanup(srv.Close)
	_, _, err := clientFor(t, srv, srv.AddKey(woocommercetest.ReadWrite)).Orders.List(ctxT(t), nil)
	require.NoError(t, err)
}

func TestOAuthHandSigned(t *testing.T) {
	t.Parallel()
	srv := woocommercetest.NewServer()
	t.Cleanup(srv.Close)
	key := srv.AddKey(woocommercetest.ReadWrite)
	base := srv.URL + "/wp-json/wc/v3/customers"
	now := time.Now().Unix()

	check := func(t *testing.T, req *http.Request, wantStatus int, wantMsg string) {
		t.Helper()
		if wantMsg == "" {
			resp := send(t, srv, req, nil)
			assert.Equal(t, wantStatus, resp.StatusCode)
			return
		}
		var e wpError
		resp := send(t, srv, req, &e)
		assert.Equal(t, wantMsg, e.Message)
		assert.Equal(t, wantStatus, resp.StatusCode)
	}

	t.Run("query string like the official clients", func(t *testing.T) {
		req := newRequest(t, srv, http.MethodGet, "customers?search=J%C3%BCrgen%20M&per_page=3&role=all", "")
		oauthQuery(req, oauthSign(req, base, key, "HMAC-SHA256", now, nonce()))
		resp := send(t, srv, req, &[]any{})
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	})
	t.Run("header with SHA1 and a plus sign in a value", func(t *testing.T) {
		req := newRequest(t, srv, http.MethodGet, "customers?search=a%2Bb", "")
		oauthHeader(req, oauthSign(req, base, key, "HMAC-SHA1", now, nonce()))
		resp := send(t, srv, req, &[]any{})
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	})
	t.Run("array parameters", func(t *testing.T) {
		req := newRequest(t, srv, http.MethodGet, "customers?include%5B0%5D=1&include%5B1%5D=2", "")
		oauthQuery(req, oauthSign(req, base, key, "HMAC-SHA256", now, nonce()))
		resp := send(t, srv, req, &[]any{})
		assert.Equal(t, http.StatusOK, resp.StatusCode)
	})
	t.Run("a plus for a space decodes like %20", func(t *testing.T) {
		req := newRequest(t, srv, http.MethodGet, "customers?search=a%20b", "")
		oauth := oauthSign(req, base, key, "HMAC-SHA256", now, nonce())
		req.URL.RawQuery = "search=a+b" // PHP decodes both to "a b": still valid
		oauthQuery(req, oauth)
		check(t, req, http.StatusOK, "")
	})
	t.Run("stale timestamp", func(t *testing.T) {
		req := newRequest(t, srv, http.MethodGet, "customers", "")
		oauthQuery(req, oauthSign(req, base, key, "HMAC-SHA256", now-16*60, nonce()))
		check(t, req, http.StatusUnauthorized, "Invalid timestamp.")
	})
	t.Run("reused nonce", func(t *testing.T) {
		n := nonce()
		req := newRequest(t, srv, http.MethodGet, "customers", "")
		oauthQuery(req, oauthSign(req, base, key, "HMAC-SHA256", now, n))
		check(t, req, http.StatusOK, "")
		req = newRequest(t, srv, http.MethodGet, "customers?page=1", "")
		oauthQuery(req, oauthSign(req, base, key, "HMAC-SHA256", now+1, n))
		check(t, req, http.StatusUnauthorized, "Invalid nonce - nonce has already been used.")
	})
	t.Run("tampered signature", func(t *testing.T) {
		req := newRequest(t, srv, http.MethodGet, "customers", "")
		oauth := oauthSign(req, base, key, "HMAC-SHA256", now, nonce())
		sig := []byte(oauth.Get("oauth_signature"))
		sig[3] ^= 1
		oauth.Set("oauth_signature", string(sig))
		oauthQuery(req, oauth)
		check(t, req, http.StatusUnauthorized, "Invalid signature - provided signature does not match.")
	})
	t.Run("unsupported signature method", func(t *testing.T) {
		req := newRequest(t, srv, http.MethodGet, "customers", "")
		oauthQuery(req, oauthSign(req, base, key, "PLAINTEXT", now, nonce()))
		check(t, req, http.StatusUnauthorized, "Invalid signature - signature method is invalid.")
	})
	t.Run("missing parameters", func(t *testing.T) {
		req := newRequest(t, srv, http.MethodGet, "customers?oauth_consumer_key="+key.ConsumerKey+"&oauth_nonce=x", "")
		var e wpError
		resp := send(t, srv, req, &e)
		assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		assert.Equal(t, "woocommerce_rest_authentication_missing_parameter", e.Code)
		assert.Equal(t, "Missing OAuth parameters oauth_timestamp, oauth_signature, oauth_signature_method", e.Message)
	})
	t.Run("signed against another host", func(t *testing.T) {
		req := newRequest(t, srv, http.MethodGet, "customers", "")
		oauthQuery(req, oauthSign(req, "http://shop.example.com/wp-json/wc/v3/customers", key, "HMAC-SHA256", now, nonce()))
		check(t, req, http.StatusUnauthorized, "Invalid signature - provided signature does not match.")
	})
	t.Run("form body parameters are signed", func(t *testing.T) {
		req := newRequest(t, srv, http.MethodPost, "customers?email=form%40example.com", "")
		oauth := oauthSign(req, base, key, "HMAC-SHA256", now, nonce())
		// Move the signed email from the query into a form body: WooCommerce merges $_GET and $_POST.
		req.URL.RawQuery = ""
		body := "email=form%40example.com"
		for k := range oauth {
			body += "&" + k + "=" + rfc3986(oauth.Get(k))
		}
		req, _ = http.NewRequestWithContext(ctxT(t), http.MethodPost, base, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		var cu map[string]any
		resp := send(t, srv, req, &cu)
		assert.Equal(t, http.StatusCreated, resp.StatusCode)
		assert.Equal(t, "form@example.com", cu["email"])
	})
}

func TestOAuthUsesTheHomeURL(t *testing.T) {
	t.Parallel()
	// WordPress believes it lives at another host (a proxy in front): signatures made for the URL
	// the client used fail, as they do in production.
	srv := woocommercetest.NewServer(woocommercetest.WithHomeURL("http://shop.example.com"))
	t.Cleanup(srv.Close)
	c := clientFor(t, srv, srv.AddKey(woocommercetest.ReadWrite))
	_, _, err := c.Orders.List(ctxT(t), nil)
	assert.Equal(t, "Invalid signature - provided signature does not match.", apiError(t, err).Message)
}

func TestSubdirectoryInstall(t *testing.T) {
	t.Parallel()
	// WordPress in /shop: the API lives below the sub-directory. Basic over TLS does not sign the
	// host, so the home URL's host need not be the listener's.
	srv := woocommercetest.NewServer(woocommercetest.WithTLS(), woocommercetest.WithHomeURL("https://127.0.0.1/shop"))
	t.Cleanup(srv.Close)
	require.True(t, strings.HasSuffix(srv.URL, "/shop"))
	c := clientFor(t, srv, srv.AddKey(woocommercetest.ReadWrite))
	o, _, err := c.Orders.Create(ctxT(t), &woocommerce.OrderRequest{})
	require.NoError(t, err)
	got, _, err := c.Orders.Get(ctxT(t), o.ID)
	require.NoError(t, err)
	assert.Equal(t, o.ID, got.ID)
	assert.True(t, strings.HasPrefix(got.PaymentURL, "https://127.0.0.1/shop/checkout/"), got.PaymentURL)
}

func TestNonWooCommerceRoutes(t *testing.T) {
	t.Parallel()
	srv := woocommercetest.NewServer()
	t.Cleanup(srv.Close)
	var e wpError
	resp := send(t, srv, newRequest(t, srv, http.MethodGet, "nope", ""), &e)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, "rest_no_route", e.Code)
	resp = send(t, srv, newRequest(t, srv, http.MethodGet, "orders/abc", ""), &e)
	assert.Equal(t, "rest_no_route", e.Code)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	req, err := http.NewRequestWithContext(ctxT(t), http.MethodGet, srv.URL+"/shop/", nil)
	require.NoError(t, err)
	resp = send(t, srv, req, nil)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// The hints name the likely cause of the two failures a new user meets first (issue 12, point
// 20): Basic auth with an unknown key arrives anonymous (woocommerce_rest_cannot_view), and OAuth
// with a wrong secret fails as "Invalid signature".
func TestAuthHintsNameLikelyCause(t *testing.T) {
	t.Parallel()
	tlsSrv := woocommercetest.NewServer(woocommercetest.WithTLS())
	t.Cleanup(tlsSrv.Close)
	key := tlsSrv.AddKey(woocommercetest.ReadWrite)
	unknown := clientFor(t, tlsSrv, woocommercetest.Key{ConsumerKey: "ck_unknown", ConsumerSecret: key.ConsumerSecret})
	_, _, err := unknown.Orders.List(ctxT(t), nil)
	ae := apiError(t, err)
	assert.Equal(t, "woocommerce_rest_cannot_view", ae.Code)
	assert.Contains(t, ae.Hint, "consumer key is unknown")

	srv := woocommercetest.NewServer()
	t.Cleanup(srv.Close)
	key = srv.AddKey(woocommercetest.ReadWrite)
	wrong := clientFor(t, srv, woocommercetest.Key{ConsumerKey: key.ConsumerKey, ConsumerSecret: "cs_wrong"})
	_, _, err = wrong.Orders.List(ctxT(t), nil)
	ae = apiError(t, err)
	assert.Contains(t, ae.Message, "Invalid signature")
	assert.Contains(t, ae.Hint, "consumer secret is most likely wrong")
}
