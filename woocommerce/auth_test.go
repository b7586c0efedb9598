package woocommerce

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// wcOAuthVerifier checks OAuth 1.0a requests the way WooCommerce's
// WC_REST_Authentication::check_oauth_signature does: the decoded query parameters merged with the
// urldecoded Authorization header parameters, minus oauth_signature, sorted by key with strcmp,
// each key and value rawurlencode(rawurldecode(x)) with "%" doubled, joined with %3D and %26, after
// METHOD&rawurlencode(home URL + path)&. The key is consumer_secret + "&". Nonces may not repeat.
type wcOAuthVerifier struct {
	secret string
	mu     sync.Mutex
	nonces map[string]bool
}

func (v *wcOAuthVerifier) verify(r *http.Request) error {
	params := map[string]string{}
	for k, vs := range r.URL.Query() {
		params[k] = vs[len(vs)-1] // PHP keeps the last of repeated keys
	}
	h := strings.TrimSpace(r.Header.Get("Authorization"))
	if !strings.HasPrefix(h, "OAuth ") {
		return errors.New("no OAuth header")
	}
	for _, part := range strings.Split(strings.TrimPrefix(h, "OAuth "), ",") {
		k, val, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		uv, err := url.PathUnescape(strings.Trim(val, `"`))
		if err != nil {
			return err
		}
		params[k] = uv
	}
	for _, req := range []string{"oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method"} {
		if params[req] == "" {
			return errors.New("missing " + req)
		}
	}
	sig := params["oauth_signature"]
	delete(params, "oauth_signature")
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys) // strcmp order
	pairs := make([]string, 0, len(keys))
	enc := func(s string) string { return strings.ReplaceAll(rest.Escape(s), "%", "%25") }
	for _, k := range keys {
		pairs = append(pairs, enc(k)+"%3D"+enc(params[k]))
	}
	home := "http://" + r.Host + r.URL.Path
	base := r.Method + "&" + rest.Escape(home) + "&" + strings.Join(pairs, "%26")
	var algo func() hash.Hash
	switch params["oauth_signature_method"] {
	case "HMAC-SHA256":
		algo = sha256.New
	case "HMAC-SHA1":
		algo = sha1.New
	default:
		return errors.New("bad signature method")
	}
	mac := hmac.New(algo, []byte(v.secret+"&"))
	mac.Write([]byte(base))
	if !hmac.Equal([]byte(base64.StdEncoding.EncodeToString(mac.Sum(nil))), []byte(sig)) {
		return errors.New("Invalid signature - provided signature does not match.")
	}
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.nonces[params["oauth_nonce"]] {
		return errors.New("Invalid nonce - nonce has already been used.")
	}
	v.nonces[params["oauth_nonce"]] = true
	return nil
}

func TestOAuthOverHTTPIsVerifiable(t *testing.T) {
	t.Parallel()
	for _, method := range []OAuthSignatureMethod{OAuthHMACSHA256, OAuthHMACSHA1} {
		t.Run(string(method), func(t *testing.T) {
			t.Parallel()
			v := &wcOAuthVerifier{secret: testSecret, nonces: map[string]bool{}}
			var served int
			var mu sync.Mutex
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if err := v.verify(r); err != nil {
					w.WriteHeader(http.StatusUnauthorized)
					_, _ = w.Write([]byte(`{"code":"woocommerce_rest_authentication_error","message":"` + err.Error() + `","data":{"status":401}}`))
					return
				}
				mu.Lock()
				served++
				n := served
				mu.Unlock()
				if n == 1 && r.Method == http.MethodGet {
					w.WriteHeader(http.StatusServiceUnavailable) // force a retry: it needs a fresh nonce
					return
				}
				if r.Method == http.MethodPost {
					_, _ = w.Write([]byte(`{"id":1,"code":"x y"}`))
					return
				}
				_, _ = w.Write([]byte(`[{"id":1}]`))
			}))
			t.Cleanup(srv.Close)
			c, err := NewClient(srv.URL, testKey, testSecret, WithOAuthSignatureMethod(method), WithRetry(2, time.Millisecond, time.Millisecond))
			require.NoError(t, err)
			assert.Equal(t, "oauth1", c.AuthMethod())

			// Spaces, commas, unicode and reserved characters in the query are all signed.
			orders, resp, err := c.Orders.List(t.Context(), &OrderListOptions{
				Search: "van der Berg & Söhne+co", Include: []int64{1, 2}, Status: []OrderStatus{OrderProcessing, OrderOnHold},
				ListOptions: ListOptions{PerPage: 20},
			})
			require.NoError(t, err)
			assert.Len(t, orders, 1)
			assert.Equal(t, 2, resp.Attempts, "the retry was signed afresh")
			assert.Contains(t, resp.Request.URL.RawQuery, "search=van%20der%20Berg%20%26%20S%C3%B6hne%2Bco")

			// A JSON POST is signed over the query only (the body is not a form).
			cp, _, err := c.Coupons.Create(t.Context(), &CouponRequest{Code: Ptr("x y")})
			require.NoError(t, err)
			assert.Equal(t, "x y", cp.Code)
		})
	}
}

func TestOAuthWrongSecretExplains(t *testing.T) {
	t.Parallel()
	v := &wcOAuthVerifier{secret: "cs_other", nonces: map[string]bool{}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := v.verify(r)
		require.Error(t, err)
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(`{"code":"woocommerce_rest_authentication_error","message":"Invalid signature - provided signature does not match.","data":{"status":401}}`))
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(srv.URL, testKey, testSecret)
	require.NoError(t, err)
	_, _, err = c.Orders.Get(t.Context(), 1)
	require.ErrorIs(t, err, ErrUnauthorized)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Contains(t, apiErr.Hint, "home URL")
	assert.Contains(t, err.Error(), "likely cause")
}

func TestBasicAuthOverTLS(t *testing.T) {
	t.Parallel()
	c, seen := newTestStore(t, replyJSON(http.StatusOK, `{"id":1}`))
	assert.Equal(t, "basic", c.AuthMethod())
	_, _, err := c.Orders.Get(t.Context(), 1)
	require.NoError(t, err)
	got := seen.all()[0]
	assert.Equal(t, "Basic "+base64.StdEncoding.EncodeToString([]byte(testKey+":"+testSecret)), got.header.Get("Authorization"))
	assert.Empty(t, got.query.Get("consumer_key"))
}

func TestQueryStringAuth(t *testing.T) {
	t.Parallel()
	seen := &recorder{}
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := seen.add(r)
		if rec.query.Get("consumer_key") != testKey || rec.query.Get("consumer_secret") != testSecret {
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = w.Write([]byte(`{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}`))
			return
		}
		_, _ = w.Write([]byte(`[]`))
	}))
	t.Cleanup(srv.Close)
	var logs strings.Builder
	c, err := NewClient(srv.URL, testKey, testSecret, WithHTTPClient(srv.Client()), WithQueryStringAuth(), WithLogger(newTextLogger(&logs)))
	require.NoError(t, err)
	assert.Equal(t, "query-string", c.AuthMethod())
	_, _, err = c.Products.List(t.Context(), &ProductListOptions{Search: "a b"})
	require.NoError(t, err)
	got := seen.all()[0]
	assert.Empty(t, got.header.Get("Authorization"))
	assert.Equal(t, "a b", got.query.Get("search"))
	assert.NotContains(t, logs.String(), testSecret, "credentials never reach the log")
	assert.Contains(t, logs.String(), "consumer_secret=REDACTED")
}

// Every input NewClient cannot use is refused before anything is sent: the error matches
// ErrInvalidArgument and says where it comes from, as in every loyalsync client.
func TestNewClientRefusesBadInput(t *testing.T) {
	t.Parallel()
	const store = "https://shop.example.com"
	for name, tc := range map[string]struct {
		url, key, secret string
		opts             []Option
		prefix, want     string
	}{
		"query-string auth over http": {"http://shop.example.com", testKey, testSecret, []Option{WithQueryStringAuth()}, "woocommerce: new client: ", "only accepted over HTTPS"},
		"empty URL":                   {"", testKey, testSecret, nil, "woocommerce: new client: ", "must be an absolute"},
		"relative URL":                {"shop.example.com", testKey, testSecret, nil, "woocommerce: new client: ", "must be an absolute"},
		"ftp URL":                     {"ftp://shop.example.com", testKey, testSecret, nil, "woocommerce: new client: ", "must be an absolute"},
		"unparsable URL":              {"https://shop.example.com/%zz", testKey, testSecret, nil, "woocommerce: new client: ", "invalid store URL"},
		"query in URL":                {"https://shop.example.com/?a=1", testKey, testSecret, nil, "woocommerce: new client: ", "must not carry"},
		"fragment in URL":             {"https://shop.example.com/#top", testKey, testSecret, nil, "woocommerce: new client: ", "must not carry"},
		"user info in URL":            {"https://u:p@shop.example.com", testKey, testSecret, nil, "woocommerce: new client: ", "must not carry"},
		"empty key":                   {store, "", testSecret, nil, "woocommerce: new client: ", "key and secret are required"},
		"empty secret":                {store, testKey, "", nil, "woocommerce: new client: ", "key and secret are required"},
		"signature method":            {store, testKey, testSecret, []Option{WithOAuthSignatureMethod("PLAINTEXT")}, "woocommerce: WithOAuthSignatureMethod: ", "unsupported"},
		"price decimals":              {store, testKey, testSecret, []Option{WithPriceDecimals(9)}, "woocommerce: WithPriceDecimals: ", "between 0 and 8"},
		"nil HTTP client":             {store, testKey, testSecret, []Option{WithHTTPClient(nil)}, "woocommerce: WithHTTPClient: ", "nil"},
		"negative rate":               {store, testKey, testSecret, []Option{WithRateLimit(-1, 1)}, "woocommerce: WithRateLimit: ", ""},
		"negative retries":            {store, testKey, testSecret, []Option{WithRetry(-1, 0, 0)}, "woocommerce: WithRetry: ", ""},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, err := NewClient(tc.url, tc.key, tc.secret, tc.opts...)
			require.Error(t, err)
			assert.Nil(t, c)
			assert.ErrorIs(t, err, ErrInvalidArgument, "refused client-side")
			assert.True(t, strings.HasPrefix(err.Error(), tc.prefix), err.Error())
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestUnauthorizedHints(t *testing.T) {
	t.Parallel()
	cannotView := `{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot list resources.","data":{"status":401}}`
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusUnauthorized)
		_, _ = w.Write([]byte(cannotView))
	}))
	t.Cleanup(srv.Close)
	for _, tc := range []struct {
		opts []Option
		hint string
	}{
		{nil, "WithQueryStringAuth"},
		{[]Option{WithQueryStringAuth()}, "does not consider the request HTTPS"},
	} {
		c, err := NewClient(srv.URL+"/shop", testKey, testSecret, append(tc.opts, WithHTTPClient(srv.Client()))...)
		require.NoError(t, err)
		_, _, err = c.Orders.List(t.Context(), nil)
		require.ErrorIs(t, err, ErrUnauthorized)
		var apiErr *APIError
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "woocommerce_rest_cannot_view", apiErr.Code)
		assert.Contains(t, apiErr.Hint, tc.hint)
		assert.JSONEq(t, cannotView, string(apiErr.Body))
	}
	assert.Contains(t, authHint(authBasic, 401, "woocommerce_rest_authentication_error", "Consumer key is invalid."), "unknown")
	assert.Contains(t, authHint(authOAuth1, 401, "woocommerce_rest_authentication_error", "Invalid timestamp."), "clocks")
	assert.Empty(t, authHint(authBasic, 404, "rest_no_route", "No route"))
}

func newTextLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

func TestBaseURLKeepsSubdirectory(t *testing.T) {
	t.Parallel()
	c, err := NewClient("https://example.com/shop/", testKey, testSecret)
	require.NoError(t, err)
	assert.Equal(t, "https://example.com/shop/wp-json/wc/v3/", c.BaseURL().String())
}

// A redirect to another host is followed without the OAuth signature: signing happens where the
// core adds credentials only for the store's own host. Credentials of every method stay home.
func TestCredentialsNotSentAcrossRedirect(t *testing.T) {
	t.Parallel()
	type seen struct{ auth, query string }
	var mu sync.Mutex
	var other []seen
	elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		other = append(other, seen{r.Header.Get("Authorization"), r.URL.RawQuery})
		mu.Unlock()
		_, _ = w.Write([]byte(`{"id":1}`))
	}))
	t.Cleanup(elsewhere.Close)
	v := &wcOAuthVerifier{secret: testSecret, nonces: map[string]bool{}}
	home := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := v.verify(r); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		http.Redirect(w, r, elsewhere.URL+r.URL.Path, http.StatusFound)
	}))
	t.Cleanup(home.Close)
	c, err := NewClient(home.URL, testKey, testSecret)
	require.NoError(t, err)
	o, _, err := c.Orders.Get(t.Context(), 1)
	require.NoError(t, err, "the store's own host verified the signature")
	assert.Equal(t, int64(1), o.ID)
	mu.Lock()
	defer mu.Unlock()
	require.Len(t, other, 1)
	assert.Empty(t, other[0].auth, "no Authorization on the other host")
	assert.NotContains(t, other[0].query, "oauth_")
}
