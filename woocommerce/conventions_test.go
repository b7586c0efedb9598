package woocommerce

import (
	"bytes"
	"errors"
	"net"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The conventions shared by every loyalsync client (issue 13): nil options ignored, option errors
// prefixed, transport and decode failures typed, every error naming its operation.
func TestClientConventions(t *testing.T) {
	t.Parallel()
	_, err := NewClient("https://example.com", testKey, testSecret, nil, WithRetry(1, 0, 0), nil)
	require.NoError(t, err, "nil options are ignored")
	_, err = NewClient("https://example.com", testKey, testSecret, WithLogger(nil))
	assert.ErrorContains(t, err, "woocommerce: WithLogger")
	_, err = NewClient("https://example.com", testKey, testSecret, WithMaxRetryAfter(-1))
	assert.ErrorContains(t, err, "woocommerce: WithMaxRetryAfter")
	_, err = NewClient("https://example.com", testKey, testSecret, WithOAuthSignatureMethod("PLAINTEXT"))
	assert.ErrorContains(t, err, "woocommerce: WithOAuthSignatureMethod")

	// A 2xx body that is not the object: ErrDecode, the body kept.
	c, _ := newTestStore(t, replyJSON(http.StatusOK, `{"id":"seven"}`))
	_, _, err = c.Orders.Get(t.Context(), 7)
	require.ErrorIs(t, err, ErrDecode)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.ErrorContains(t, err, "woocommerce: get order")

	// No server: ErrTransport, with the attempts made.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	c, err = NewClient("http://"+addr, testKey, testSecret, WithRetry(1, 0, 0))
	require.NoError(t, err)
	_, _, err = c.Coupons.List(t.Context(), nil)
	require.ErrorIs(t, err, ErrTransport)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 2, te.Attempts)
	assert.ErrorContains(t, err, "woocommerce: list coupons")

	// Refused before sending: ErrInvalidArgument, named.
	_, _, err = c.Orders.List(t.Context(), &OrderListOptions{ListOptions: ListOptions{PerPage: 101}})
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.ErrorContains(t, err, "woocommerce: list orders: invalid per_page")
}

func TestRawRequests(t *testing.T) {
	t.Parallel()
	c, seen := newTestStore(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/wp-json/wc/v3/settings/general/missing" {
			w.WriteHeader(http.StatusNotFound)
			_, _ = w.Write([]byte(`{"code":"rest_setting_setting_invalid","message":"Invalid setting.","data":{"status":404}}`))
			return
		}
		_, _ = w.Write([]byte(`{"id":"woocommerce_currency","value":"EUR"}`))
	})
	req, err := c.NewRequest(http.MethodPut, "settings/general/woocommerce_currency?x=1", map[string]string{"value": "EUR"})
	require.NoError(t, err)
	var out struct{ Value string }
	resp, err := c.Do(t.Context(), req, &out)
	require.NoError(t, err)
	assert.Equal(t, "EUR", out.Value)
	assert.Equal(t, 1, resp.Attempts)
	got := seen.all()[0]
	assert.Equal(t, "/wp-json/wc/v3/settings/general/woocommerce_currency", got.path)
	assert.Equal(t, "1", got.query.Get("x"))
	assert.JSONEq(t, `{"value":"EUR"}`, got.body)
	u, p, ok := (&http.Request{Header: got.header}).BasicAuth()
	assert.True(t, ok && u == testKey && p == testSecret, "credentials added")

	req, err = c.NewRequest(http.MethodGet, "settings/general/missing", nil)
	require.NoError(t, err)
	var raw bytes.Buffer
	resp, err = c.Do(t.Context(), req, &raw)
	require.ErrorIs(t, err, ErrNotFound)
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr))
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.ErrorContains(t, err, "woocommerce: GET /wp-json/wc/v3/settings/general/missing: 404")
}
