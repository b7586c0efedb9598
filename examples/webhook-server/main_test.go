package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
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
	assert.Equal(t, "serve", c.Command)
	assert.Len(t, c.EncryptionKey, 32)

	_, err = parseConfig(nil, env(good))
	assert.ErrorContains(t, err, "-public-url")
	bad := map[string]string{"LOYALSYNC_ENCRYPTION_KEY": "short", "LOYALSYNC_ADMIN_TOKEN": "0123456789abcdef"}
	_, err = parseConfig([]string{"-public-url", "https://x.example"}, env(bad))
	assert.ErrorContains(t, err, "LOYALSYNC_ENCRYPTION_KEY")
	bad = map[string]string{"LOYALSYNC_ENCRYPTION_KEY": key, "LOYALSYNC_ADMIN_TOKEN": "short"}
	_, err = parseConfig([]string{"-public-url", "https://x.example"}, env(bad))
	assert.ErrorContains(t, err, "LOYALSYNC_ADMIN_TOKEN")

	// http:// only on loopback.
	_, err = parseConfig([]string{"-public-url", "http://loyalty.example"}, env(good))
	assert.ErrorContains(t, err, "only on loopback")
	for _, u := range []string{"http://localhost:8080", "http://127.0.0.1:8080", "http://[::1]:8080"} {
		_, err = parseConfig([]string{"-public-url", u}, env(good))
		assert.NoError(t, err, u)
	}
	// Subcommands need no admin token.
	c, err = parseConfig([]string{"status", "-public-url", "https://x.example"}, env(map[string]string{"LOYALSYNC_ENCRYPTION_KEY": key}))
	require.NoError(t, err)
	assert.Equal(t, "status", c.Command)
	c, err = parseConfig([]string{"disconnect", "-public-url", "https://x.example", "-ca-file", "ca.pem"}, env(good))
	require.NoError(t, err)
	assert.Equal(t, "disconnect", c.Command)
	assert.Equal(t, "ca.pem", c.CAFile)
	_, err = parseConfig([]string{"-public-url", "https://x.example", "frobnicate"}, env(good))
	assert.ErrorContains(t, err, "subcommands")
}

// fakeClock is the time of the fake store and of the server in the tests that drive time.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// rig is a fake store and the address the server is reachable at; the server behind it can be
// stopped and started again on the same address.
type rig struct {
	t       testing.TB
	shop    *woocommercetest.Server
	key     woocommercetest.Key
	owner   *woocommerce.Client
	hooks   *httptest.Server
	handler atomic.Pointer[http.Handler] // nil: the server is down (503)
	cfg     config
	logger  *slog.Logger // the servers' logger (default: discard)
}

func newRig(t testing.TB, shopOpts ...woocommercetest.Option) *rig {
	t.Helper()
	r := &rig{t: t}
	r.shop = woocommercetest.NewServer(append([]woocommercetest.Option{woocommercetest.WithCurrency("EUR")}, shopOpts...)...)
	t.Cleanup(r.shop.Close)
	r.key = r.shop.AddKey(woocommercetest.ReadWrite)
	var err error
	r.owner, err = woocommerce.NewClient(r.shop.URL, r.key.ConsumerKey, r.key.ConsumerSecret, woocommerce.WithHTTPClient(r.shop.Client()))
	require.NoError(t, err)
	r.hooks = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		h := r.handler.Load()
		if h == nil {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		(*h).ServeHTTP(w, req)
	}))
	t.Cleanup(r.hooks.Close)
	r.cfg = config{
		PublicURL: r.hooks.URL, DBPath: filepath.Join(t.TempDir(), "loyalty.db"),
		StoreURL: r.shop.URL, ProgramID: "shop-card", Currency: "EUR", ConsumerKey: r.key.ConsumerKey,
		ConsumerSecret: r.key.ConsumerSecret, EncryptionKey: make([]byte, 32), AdminToken: "0123456789abcdef",
		InsecureHTTP: true, MaxLookback: 7 * 24 * time.Hour,
		ClientOptions: []woocommerce.Option{woocommerce.WithRateLimit(0, 0)},
	}
	return r
}

// serve sets the server up with cfg and routes the address to it; it is not started.
func (r *rig) serve(cfg config) *app {
	r.t.Helper()
	logger := r.logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	a, err := setUp(r.t.Context(), cfg, logger)
	require.NoError(r.t, err)
	r.t.Cleanup(a.close)
	h := a.routes()
	r.handler.Store(&h)
	return a
}

func (r *rig) down() { r.handler.Store(nil) }

func (r *rig) flush() {
	r.t.Helper()
	require.NoError(r.t, r.shop.FlushWebhooks(r.t.Context()))
}

// order places a completed order of total for email and waits for its deliveries.
func (r *rig) order(email, total string) *woocommerce.Order {
	r.t.Helper()
	amount, pending, done := woocommerce.MustMoney(total), woocommerce.OrderPending, woocommerce.OrderCompleted
	o, _, err := r.owner.Orders.Create(r.t.Context(), &woocommerce.OrderRequest{Status: &pending,
		Billing:  &woocommerce.Address{FirstName: "Ada", Email: email},
		FeeLines: []woocommerce.FeeLineRequest{{Name: "Goods", Total: &amount, TaxStatus: "none"}}})
	require.NoError(r.t, err)
	o, _, err = r.owner.Orders.Update(r.t.Context(), o.ID, &woocommerce.OrderRequest{Status: &done})
	require.NoError(r.t, err)
	r.flush()
	return o
}

func (r *rig) get(path, token string) (int, string) {
	r.t.Helper()
	req, err := http.NewRequestWithContext(r.t.Context(), http.MethodGet, r.hooks.URL+path, nil)
	require.NoError(r.t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := r.hooks.Client().Do(req)
	require.NoError(r.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(r.t, err)
	return resp.StatusCode, string(body)
}

// The server connects a (fake) store, receives its webhooks and reports them in the overview;
// the overview answers 503 "connecting" until the store is connected, never 500.
func TestServer_WithFakeStore(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	a := r.serve(r.cfg)
	code, body := r.get("/overview", r.cfg.AdminToken)
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Contains(t, body, "connecting")

	// Start while /overview is being asked (run the tests with -race: the connection id is
	// written by start and read by /overview).
	started := make(chan error, 1)
	go func() { started <- a.start(t.Context()) }()
	polled := make(chan []int, 1)
	go func() {
		var codes []int
		for range 20 {
			c, _ := r.get("/overview", r.cfg.AdminToken)
			codes = append(codes, c)
		}
		polled <- codes
	}()
	require.NoError(t, <-started)
	for _, c := range <-polled {
		assert.Contains(t, []int{http.StatusOK, http.StatusServiceUnavailable}, c)
	}
	r.flush()
	r.order("ada@example.com", "42.00")

	code, _ = r.get("/overview", "wrong")
	assert.Equal(t, http.StatusUnauthorized, code)
	code, body = r.get("/overview", r.cfg.AdminToken)
	require.Equal(t, http.StatusOK, code)
	var ov wooconnect.Overview
	require.NoError(t, json.Unmarshal([]byte(body), &ov))
	assert.Equal(t, 1, ov.Processed)
	assert.True(t, ov.Webhook.Registered)
	assert.Equal(t, wooconnect.WebhookStateActive, ov.Webhook.State)
	assert.Empty(t, ov.Webhook.Secret, "the JSON overview carries no secret")
	assert.NotContains(t, body, r.key.ConsumerSecret)

	// A restart without keys resumes the stored connection.
	a.close()
	cfg := r.cfg
	cfg.StoreURL, cfg.ConsumerKey, cfg.ConsumerSecret = "", "", ""
	b := r.serve(cfg)
	require.NoError(t, b.start(t.Context()))
	assert.Equal(t, a.connectionID(), b.connectionID())
}

// A program in another currency than -currency refuses to start instead of skipping every
// order.
func TestServer_RefusesAnotherCurrency(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	require.NoError(t, r.serve(r.cfg).start(t.Context()))
	cfg := r.cfg
	cfg.Currency = "SEK"
	err := r.serve(cfg).start(t.Context())
	require.ErrorContains(t, err, "refusing to start")
	assert.ErrorContains(t, err, "-currency EUR")
}

// The server stops for longer than its reconcile interval while orders come in (WooCommerce
// disables the webhook after the failed deliveries). After the restart every order is awarded
// exactly once: the start-up re-activates the webhook and reconciles from the stored point, and
// later orders are delivered again. Time is the fake clock's, shared with the fake store.
func TestServer_CatchesUpAfterAnOutageLongerThanTheInterval(t *testing.T) {
	t.Parallel()
	clk := &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	r := newRig(t, woocommercetest.WithClock(clk.Now), woocommercetest.WithTLS()) // HTTPS: no OAuth timestamps
	ticks := make(chan time.Time)
	passes := make(chan struct{})
	cfg := r.cfg
	cfg.Reconcile = 10 * time.Second
	cfg.Clock = clk
	cfg.ClientOptions = append(cfg.ClientOptions, woocommerce.WithHTTPClient(r.shop.Client()))
	cfg.After = func(time.Duration) <-chan time.Time { return ticks }
	cfg.upkept = func() { passes <- struct{}{} }

	a := r.serve(cfg)
	require.NoError(t, a.start(t.Context()))
	r.flush()
	var orders []*woocommerce.Order
	orders = append(orders, r.order("ada@example.com", "10.00"))

	// Down for 90 s (nine intervals) while eight orders are placed.
	webhookID := mustConn(t, a).WebhookID
	a.close()
	r.down()
	for i := range 8 {
		clk.Advance(10 * time.Second)
		orders = append(orders, r.order("ada@example.com", []string{"11.00", "12.00"}[i%2]))
	}
	clk.Advance(10 * time.Second)
	wh, _, err := r.owner.Webhooks.Get(t.Context(), webhookID)
	require.NoError(t, err)
	require.Equal(t, woocommerce.WebhookDisabled, wh.Status, "WooCommerce disabled the webhook meanwhile")

	cfg.StoreURL, cfg.ConsumerKey, cfg.ConsumerSecret = "", "", "" // a keyless restart
	b := r.serve(cfg)
	require.NoError(t, b.start(t.Context()))
	maintainInBackground(t, b)

	wh, _, err = r.owner.Webhooks.Get(t.Context(), mustConn(t, b).WebhookID)
	require.NoError(t, err)
	assert.Equal(t, woocommerce.WebhookActive, wh.Status, "re-activated at start-up")
	clk.Advance(10 * time.Second)
	orders = append(orders, r.order("ada@example.com", "13.00")) // delivered again
	clk.Advance(10 * time.Second)
	ticks <- clk.Now()
	<-passes

	eng := b.woo.Engine()
	w, err := eng.Wallet(t.Context(), "shop-card", loyalty.MemberRef{Email: "ada@example.com"})
	require.NoError(t, err)
	var earned int64
	earns := map[string]int{}
	for m, err := range eng.AllHistory(t.Context(), "shop-card", w.Member.ID) {
		require.NoError(t, err)
		if m.Kind == loyalty.KindEarn {
			earns[m.OrderID]++
			earned += m.Applied
		}
	}
	assert.Len(t, earns, len(orders), "every order awarded")
	for id, n := range earns {
		assert.Equal(t, 1, n, "order %s awarded once", id)
	}
	assert.Equal(t, int64(10+4*11+4*12+13), earned)
}

// maintainInBackground runs the server's upkeep loop until the test ends.
func maintainInBackground(t *testing.T, a *app) {
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan struct{})
	go func() { a.maintain(ctx); close(done) }()
	t.Cleanup(func() { cancel(); <-done })
}

func mustConn(t *testing.T, a *app) wooconnect.Connection {
	t.Helper()
	c, err := a.woo.Connection(t.Context(), a.connectionID())
	require.NoError(t, err)
	return c
}

// status prints the connection and its webhook's status; disconnect deletes the webhook.
func TestCommands_StatusAndDisconnect(t *testing.T) {
	t.Parallel()
	r := newRig(t)
	a := r.serve(r.cfg)
	require.NoError(t, a.start(t.Context()))
	r.flush()
	a.close()

	cfg := r.cfg
	cfg.StoreURL, cfg.ConsumerKey, cfg.ConsumerSecret, cfg.AdminToken = "", "", "", ""
	var out bytes.Buffer
	cfg.Command = "status"
	require.NoError(t, runCommand(t.Context(), cfg, slog.New(slog.DiscardHandler), &out))
	assert.Contains(t, out.String(), `"state": "active"`)
	assert.NotContains(t, out.String(), "secret\": \"", "no webhook secret")

	out.Reset()
	cfg.Command = "disconnect"
	require.NoError(t, runCommand(t.Context(), cfg, slog.New(slog.DiscardHandler), &out))
	assert.Contains(t, out.String(), "Revoke the API key")
	whs, _, err := r.owner.Webhooks.List(t.Context(), nil)
	require.NoError(t, err)
	assert.Empty(t, whs, "the webhook is deleted")
	cfg.Command = "status"
	assert.ErrorContains(t, runCommand(t.Context(), cfg, slog.New(slog.DiscardHandler), &out), "no store connected")
}

// -ca-file trusts a store whose certificate a private CA signed.
func TestServer_CAFile(t *testing.T) {
	t.Parallel()
	r := newRig(t, woocommercetest.WithTLS())
	cfg := r.cfg
	cfg.ClientOptions = nil // the system roots only: the fake's certificate is unknown
	err := r.serve(cfg).start(t.Context())
	require.Error(t, err)
	assert.ErrorContains(t, err, "certificate")

	conn, err := tls.Dial("tcp", strings.TrimPrefix(r.shop.URL, "https://"), &tls.Config{InsecureSkipVerify: true}) //nolint:gosec // reading the fake's certificate
	require.NoError(t, err)
	cert := conn.ConnectionState().PeerCertificates[0]
	require.NoError(t, conn.Close())
	cfg.CAFile = filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(cfg.CAFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw}), 0o600))
	require.NoError(t, r.serve(cfg).start(t.Context()))
}

// A redemption interrupted just before a restart (points reserved, no coupon) is too young for
// Recover at start-up; the server runs Recover again as soon as it reaches the recover age,
// not a whole reconcile interval later (issue 12.7).
func TestServer_RetriesYoungReservationsAtTheRecoverAge(t *testing.T) {
	t.Parallel()
	clk := &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	r := newRig(t, woocommercetest.WithClock(clk.Now), woocommercetest.WithTLS())
	waits := make(chan time.Duration, 10)
	ticks := make(chan time.Time)
	passes := make(chan struct{})
	cfg := r.cfg
	cfg.Reconcile = 15 * time.Minute
	cfg.Clock = clk
	cfg.ClientOptions = append(cfg.ClientOptions, woocommerce.WithHTTPClient(r.shop.Client()),
		woocommerce.WithRetry(0, time.Millisecond, time.Millisecond))
	cfg.After = func(d time.Duration) <-chan time.Time { waits <- d; return ticks }
	cfg.upkept = func() { passes <- struct{}{} }

	a := r.serve(cfg)
	require.NoError(t, a.start(t.Context()))
	r.flush()
	r.order("ada@example.com", "1000.00")
	r.shop.Faults().Add(woocommercetest.FaultRule{Path: "/wp-json/wc/v3/coupons", Status: 503,
		Body: `{"code":"down","message":"down","data":{"status":503}}`})
	_, err := a.woo.Engine().Redeem(t.Context(), loyalty.RedeemRequest{ProgramID: "shop-card",
		Member: loyalty.MemberRef{Email: "ada@example.com"}, Points: 1000, IdempotencyKey: "k"})
	require.ErrorIs(t, err, loyalty.ErrRedemptionPending)
	r.shop.Faults().Reset() // the store is back; the server restarts at once
	a.close()

	clk.Advance(10 * time.Second)
	b := r.serve(cfg)
	require.NoError(t, b.start(t.Context()))
	maintainInBackground(t, b)

	coupons, _, err := r.owner.Coupons.List(t.Context(), nil)
	require.NoError(t, err)
	require.Empty(t, coupons, "too young at start-up")
	wait := <-waits
	assert.Less(t, wait, time.Minute, "Recover runs again when the reservation is a minute old, not in 15 minutes")
	clk.Advance(wait)
	ticks <- clk.Now()
	<-passes
	coupons, _, err = r.owner.Coupons.List(t.Context(), nil)
	require.NoError(t, err)
	assert.Len(t, coupons, 1, "issued at the recover age")
}

// records is a slog handler keeping the records it is given.
type records struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (h *records) Enabled(context.Context, slog.Level) bool { return true }
func (h *records) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *records) WithGroup(string) slog.Handler            { return h }
func (h *records) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recs = append(h.recs, r.Clone())
	return nil
}

// warnings returns the WARN messages with their attributes, as "msg key=value ...".
func (h *records) warnings() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []string
	for _, r := range h.recs {
		if r.Level != slog.LevelWarn {
			continue
		}
		s := r.Message
		r.Attrs(func(a slog.Attr) bool { s += " " + a.String(); return true })
		out = append(out, s)
	}
	return out
}

// A webhook that stops delivering while the server runs (here paused in the store) is found by
// the periodic check, after the overview's status cache, and a warning names its status and
// the fix (issue 12.4); only the start-up repairs it by itself.
func TestServer_WarnsWhenTheWebhookStopsDelivering(t *testing.T) {
	t.Parallel()
	clk := &fakeClock{t: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	r := newRig(t, woocommercetest.WithClock(clk.Now), woocommercetest.WithTLS())
	ticks := make(chan time.Time)
	passes := make(chan struct{})
	cfg := r.cfg
	cfg.Reconcile = time.Minute
	cfg.Clock = clk
	cfg.ClientOptions = append(cfg.ClientOptions, woocommerce.WithHTTPClient(r.shop.Client()))
	cfg.After = func(time.Duration) <-chan time.Time { return ticks }
	cfg.upkept = func() { passes <- struct{}{} }
	logs := &records{}
	a, err := setUp(t.Context(), cfg, slog.New(logs))
	require.NoError(t, err)
	t.Cleanup(a.close)
	h := a.routes()
	r.handler.Store(&h)
	require.NoError(t, a.start(t.Context()))
	maintainInBackground(t, a)

	clk.Advance(time.Minute)
	ticks <- clk.Now()
	<-passes
	for _, w := range logs.warnings() {
		assert.NotContains(t, w, "webhook does not deliver", "an active webhook warns nothing")
	}

	paused := woocommerce.WebhookPaused
	_, _, err = r.owner.Webhooks.Update(t.Context(), mustConn(t, a).WebhookID, &woocommerce.WebhookRequest{Status: &paused})
	require.NoError(t, err)
	clk.Advance(time.Minute)
	ticks <- clk.Now()
	<-passes

	var found string
	for _, w := range logs.warnings() {
		if strings.Contains(w, "webhook does not deliver") {
			found = w
		}
	}
	require.NotEmpty(t, found, "the periodic check warns")
	assert.Contains(t, found, "paused")
	assert.Contains(t, found, "fix=")
	wh, _, err := r.owner.Webhooks.Get(t.Context(), mustConn(t, a).WebhookID)
	require.NoError(t, err)
	assert.Equal(t, woocommerce.WebhookPaused, wh.Status, "left as the store has it while running")
}
