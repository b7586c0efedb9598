package main

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParseConfig(t *testing.T) {
	t.Parallel()
	key := base64.StdEncoding.EncodeToString(make([]byte, 32))
	good := map[string]string{"LOYALSYNC_ENCRYPTION_KEY": key, "LOYALSYNC_ADMIN_TOKEN": "0123456789abcdef",
		"WC_CONSUMER_KEY": "ck_1", "WC_CONSUMER_SECRET": "cs_1"}
	c, err := parseConfig([]string{"-public-url", "https://loyalty.example", "-store-url", "https://shop.example"}, env(good))
	require.NoError(t, err)
	assert.Equal(t, "ck_1", c.ConsumerKey)
	assert.Len(t, c.EncryptionKey, 32)

	_, err = parseConfig(nil, env(good))
	assert.ErrorContains(t, err, "-public-url")
	bad := map[string]string{"LOYALSYNC_ENCRYPTION_KEY": "short", "LOYALSYNC_ADMIN_TOKEN": "0123456789abcdef"}
	_, err = parseConfig([]string{"-public-url", "https://x.example"}, env(bad))
	assert.ErrorContains(t, err, "LOYALSYNC_ENCRYPTION_KEY")
	bad = map[string]string{"LOYALSYNC_ENCRYPTION_KEY": key, "LOYALSYNC_ADMIN_TOKEN": "short"}
	_, err = parseConfig([]string{"-public-url", "https://x.example"}, env(bad))
	assert.ErrorContains(t, err, "LOYALSYNC_ADMIN_TOKEN")
}

// The server connects a (fake) store, receives its webhooks and reports them in the overview.
func TestServer_WithFakeStore(t *testing.T) {
	t.Parallel()
	shop := woocommercetest.NewServer(woocommercetest.WithCurrency("EUR"))
	t.Cleanup(shop.Close)
	key := shop.AddKey(woocommercetest.ReadWrite)
	srv := httptest.NewUnstartedServer(nil)
	cfg := config{
		PublicURL: "http://" + srv.Listener.Addr().String(), DBPath: filepath.Join(t.TempDir(), "loyalty.db"),
		StoreURL: shop.URL, ProgramID: "shop-card", Currency: "EUR", ConsumerKey: key.ConsumerKey,
		ConsumerSecret: key.ConsumerSecret, EncryptionKey: make([]byte, 32), AdminToken: "0123456789abcdef",
		InsecureHTTP: true,
	}
	a, err := setUp(t.Context(), cfg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(a.close)
	srv.Config.Handler = a.routes()
	srv.Start()
	t.Cleanup(srv.Close)
	require.NoError(t, a.connect(t.Context()))
	require.NoError(t, shop.FlushWebhooks(t.Context()))

	owner, err := woocommerce.NewClient(shop.URL, key.ConsumerKey, key.ConsumerSecret)
	require.NoError(t, err)
	total, pending, done := woocommerce.MustMoney("42.00"), woocommerce.OrderPending, woocommerce.OrderCompleted
	o, _, err := owner.Orders.Create(t.Context(), &woocommerce.OrderRequest{Status: &pending,
		Billing:  &woocommerce.Address{FirstName: "Ada", Email: "ada@example.com"},
		FeeLines: []woocommerce.FeeLineRequest{{Name: "Goods", Total: &total}}})
	require.NoError(t, err)
	_, _, err = owner.Orders.Update(t.Context(), o.ID, &woocommerce.OrderRequest{Status: &done})
	require.NoError(t, err)
	require.NoError(t, shop.FlushWebhooks(t.Context()))

	get := func(token string) *http.Response {
		req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, srv.URL+"/overview", nil)
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := srv.Client().Do(req)
		require.NoError(t, err)
		t.Cleanup(func() { resp.Body.Close() })
		return resp
	}
	assert.Equal(t, http.StatusUnauthorized, get("wrong").StatusCode)
	resp := get(cfg.AdminToken)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var ov wooconnect.Overview
	require.NoError(t, json.Unmarshal(body, &ov))
	assert.Equal(t, 1, ov.Processed)
	assert.True(t, ov.Webhook.Registered)
	assert.Empty(t, ov.Webhook.Secret, "the JSON overview carries no secret")
	assert.False(t, strings.Contains(string(body), key.ConsumerSecret))

	// A restart without keys resumes the stored connection.
	a.close()
	cfg.StoreURL, cfg.ConsumerKey, cfg.ConsumerSecret = "", "", ""
	b, err := setUp(t.Context(), cfg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	defer b.close()
	require.NoError(t, b.connect(t.Context()))
	assert.Equal(t, a.connID, b.connID)
}
