package wooconnect_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
	_ "modernc.org/sqlite"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/mail"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// testKey is the encryption key of the tests' connectors.
var testKey = bytes.Repeat([]byte{7}, wooconnect.EncryptionKeySize)

// recorder is a Sender that keeps every message.
type recorder struct {
	mu   sync.Mutex
	msgs []mail.Message
}

func (r *recorder) Send(_ context.Context, m mail.Message) error {
	r.mu.Lock()
	r.msgs = append(r.msgs, m)
	r.mu.Unlock()
	return nil
}

func (r *recorder) all() []mail.Message {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]mail.Message(nil), r.msgs...)
}

// to returns the messages sent to an address.
func (r *recorder) to(addr string) []mail.Message {
	var out []mail.Message
	for _, m := range r.all() {
		if strings.EqualFold(m.To, addr) {
			out = append(out, m)
		}
	}
	return out
}

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// env is one end-to-end set-up: a fake WooCommerce store, a connector over SQLite (the loyalty
// store and the connection store in one database file), and an HTTP server receiving the
// store's webhooks.
type env struct {
	t     testing.TB
	ctx   context.Context
	shop  *woocommercetest.Server
	admin *woocommerce.Client // the shop owner's own client, to place and change orders
	key   woocommercetest.Key // the Read/Write key the partner connects with
	hooks *httptest.Server
	conn  *wooconnect.Connector
	conns wooconnect.ConnectionStore
	db    *sql.DB
	dbDir string
	clock *testClock
	mail  *recorder
	logs  *syncBuffer
	prog  loyalty.Program
	c     wooconnect.Connection // the connection made by connect
	// down makes the webhook receiver answer 503, as during an outage.
	down atomic.Bool
}

type envOption func(*envConfig)

type envConfig struct {
	program  func(p *loyalty.Program)
	connOpts []wooconnect.Option
	shopOpts []woocommercetest.Option
	logMail  bool
	wrapConn func(wooconnect.ConnectionStore) wooconnect.ConnectionStore
}

// withShop passes options to the fake store.
func withShop(opts ...woocommercetest.Option) envOption {
	return func(c *envConfig) { c.shopOpts = append(c.shopOpts, opts...) }
}

// withLogSender sends the emails through a LogSender on the env's log instead of recording them.
func withLogSender() envOption { return func(c *envConfig) { c.logMail = true } }

func withProgram(edit func(p *loyalty.Program)) envOption {
	return func(c *envConfig) { c.program = edit }
}

// withConnStore puts wrap around the connection store (the env's conns is the wrapped one).
func withConnStore(wrap func(wooconnect.ConnectionStore) wooconnect.ConnectionStore) envOption {
	return func(c *envConfig) { c.wrapConn = wrap }
}

func withConnector(opts ...wooconnect.Option) envOption {
	return func(c *envConfig) { c.connOpts = append(c.connOpts, opts...) }
}

// newEnv starts a store in EUR and a program "card" in EUR with the points discount on.
func newEnv(t testing.TB, opts ...envOption) *env {
	t.Helper()
	var cfg envConfig
	for _, o := range opts {
		o(&cfg)
	}
	e := &env{t: t, ctx: t.Context(), clock: &testClock{}, mail: &recorder{}, logs: &syncBuffer{}}
	e.shop = woocommercetest.NewServer(append([]woocommercetest.Option{woocommercetest.WithCurrency("EUR")}, cfg.shopOpts...)...)
	t.Cleanup(e.shop.Close)
	e.key = e.shop.AddKey(woocommercetest.ReadWrite)
	owner := e.shop.AddKey(woocommercetest.ReadWrite)
	var err error
	e.admin, err = woocommerce.NewClient(e.shop.URL, owner.ConsumerKey, owner.ConsumerSecret, woocommerce.WithHTTPClient(e.shop.Client()))
	require.NoError(t, err)

	var handler http.Handler = http.NotFoundHandler()
	var hmu sync.RWMutex
	e.hooks = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if e.down.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		hmu.RLock()
		h := handler
		hmu.RUnlock()
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(e.hooks.Close)

	e.dbDir = t.TempDir()
	store := newLoyaltyStore(t, filepath.Join(e.dbDir, "loyalty.db"))
	e.db = store.DB()
	e.conns, err = wooconnect.NewSQLConnectionStore(e.ctx, store)
	require.NoError(t, err)
	if cfg.wrapConn != nil {
		e.conns = cfg.wrapConn(e.conns)
	}

	logger := slog.New(slog.NewJSONHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	copts := []wooconnect.Option{
		wooconnect.WithEncryptionKey(testKey),
		wooconnect.WithWebhookURL(e.hooks.URL + "/woocommerce/webhooks"),
		wooconnect.WithMemberURLs("https://wallet.example/redeem", "https://wallet.example/unsubscribe"),
		wooconnect.WithBusiness(mail.Business{Name: "Corner Café", Email: "hello@corner.example", FromAddress: "loyalty@platform.example"}),
		wooconnect.WithSender(e.mail),
		wooconnect.WithLogger(logger),
		wooconnect.WithClock(e.clock),
		wooconnect.WithInsecureHTTP(),
		wooconnect.WithClientOptions(woocommerce.WithHTTPClient(e.shop.Client()), woocommerce.WithLogger(logger),
			woocommerce.WithRetry(2, time.Millisecond, 5*time.Millisecond)),
		wooconnect.WithEngineOptions(loyalty.WithReceiptSalt([]byte("0123456789abcdef")), loyalty.WithRecoverAfter(0)),
	}
	if cfg.logMail {
		copts = append(copts, wooconnect.WithSender(&mail.LogSender{Logger: logger}))
	}
	e.conn, err = wooconnect.New(store, e.conns, append(copts, cfg.connOpts...)...)
	require.NoError(t, err)
	hmu.Lock()
	handler = http.StripPrefix("/woocommerce/webhooks", e.conn.Handler())
	hmu.Unlock()

	p := loyalty.DefaultProgram("card", "EUR")
	p.Name = "Corner Café card"
	p.Redemption.Enabled = true
	if cfg.program != nil {
		cfg.program(&p)
	}
	e.prog, err = e.conn.Engine().SaveProgram(e.ctx, p, "owner")
	require.NoError(t, err)
	return e
}

// connect connects the store with the Read/Write key and remembers the connection.
func (e *env) connect() wooconnect.Connection {
	e.t.Helper()
	c, err := e.conn.Connect(e.ctx, wooconnect.ConnectRequest{ProgramID: e.prog.ID, StoreURL: e.shop.URL,
		ConsumerKey: e.key.ConsumerKey, ConsumerSecret: e.key.ConsumerSecret})
	require.NoError(e.t, err)
	e.c = c
	e.flush() // the creation ping
	return c
}

// flush waits until the store has delivered every queued webhook.
func (e *env) flush() {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.ctx, 30*time.Second)
	defer cancel()
	require.NoError(e.t, e.shop.FlushWebhooks(ctx))
}

// customer is a billing identity.
type customer struct{ first, last, email string }

var (
	ada   = customer{"Ada", "Lovelace", "ada@example.com"}
	grace = customer{"Grace", "Hopper", "grace@example.com"}
	guest = customer{"Walk", "In", ""}
)

// placeOrder places an order of total (one fee line) the way a checkout does: created pending,
// then updated to status (a payment gateway setting "processing", an admin putting it on hold),
// and waits for the webhooks. WooCommerce sends order.updated for the update.
func (e *env) placeOrder(cust customer, total string, status woocommerce.OrderStatus) *woocommerce.Order {
	e.t.Helper()
	amount := woocommerce.MustMoney(total)
	pending := woocommerce.OrderPending
	o, _, err := e.admin.Orders.Create(e.ctx, &woocommerce.OrderRequest{
		Status:   &pending,
		Billing:  &woocommerce.Address{FirstName: cust.first, LastName: cust.last, Email: cust.email},
		FeeLines: []woocommerce.FeeLineRequest{{Name: "Goods", Total: &amount, TaxStatus: "none"}},
	})
	require.NoError(e.t, err)
	note := "placed by the test"
	o, _, err = e.admin.Orders.Update(e.ctx, o.ID, &woocommerce.OrderRequest{Status: &status, CustomerNote: &note})
	require.NoError(e.t, err)
	e.flush()
	return o
}

// setStatus moves an order to status and waits for the webhooks.
func (e *env) setStatus(o *woocommerce.Order, status woocommerce.OrderStatus) *woocommerce.Order {
	e.t.Helper()
	o, _, err := e.admin.Orders.Update(e.ctx, o.ID, &woocommerce.OrderRequest{Status: &status})
	require.NoError(e.t, err)
	e.flush()
	return o
}

// refund records a refund of amount on the order (no gateway) and waits for the webhooks.
func (e *env) refund(o *woocommerce.Order, amount string) {
	e.t.Helper()
	m := woocommerce.MustMoney(amount)
	_, _, err := e.admin.Refunds.Create(e.ctx, o.ID, &woocommerce.RefundRequest{Amount: &m, Reason: "test", APIRefund: false})
	require.NoError(e.t, err)
	e.flush()
}

func (e *env) wallet(email string) loyalty.Wallet {
	e.t.Helper()
	w, err := e.conn.Engine().Wallet(e.ctx, e.prog.ID, loyalty.MemberRef{Email: email})
	require.NoError(e.t, err)
	return w
}

func (e *env) balance(email string) int64 { return e.wallet(email).Balance }

func (e *env) history(email string) []loyalty.Movement {
	e.t.Helper()
	w := e.wallet(email)
	var out []loyalty.Movement
	for m, err := range e.conn.Engine().AllHistory(e.ctx, e.prog.ID, w.Member.ID) {
		require.NoError(e.t, err)
		out = append(out, m)
	}
	return out
}

func (e *env) receipts() []loyalty.Receipt {
	e.t.Helper()
	rs, _, err := e.conn.Engine().Receipts(e.ctx, e.prog.ID, "", loyalty.PageOptions{Limit: 1000})
	require.NoError(e.t, err)
	return rs
}

func (e *env) activity() []loyalty.ActivityEntry {
	e.t.Helper()
	as, _, err := e.conn.Engine().Activity(e.ctx, e.prog.ID, loyalty.PageOptions{Limit: 1000})
	require.NoError(e.t, err)
	return as
}

func (e *env) overview() wooconnect.Overview {
	e.t.Helper()
	ov, err := e.conn.Overview(e.ctx, e.c.ID, 50)
	require.NoError(e.t, err)
	return ov
}

// orderReceipts returns the receipts of one order, newest first.
func (e *env) orderReceipts(o *woocommerce.Order) []loyalty.Receipt {
	var out []loyalty.Receipt
	for _, r := range e.receipts() {
		if r.OrderID == strconv.FormatInt(o.ID, 10) {
			out = append(out, r)
		}
	}
	return out
}

// deliverTo posts a signed order.updated delivery for o to the connection's URL, as WooCommerce
// would, with the given secret.
func (e *env) deliverTo(url string, o any, secret string) *http.Response {
	e.t.Helper()
	body := mustJSON(e.t, o)
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, url, bytes.NewReader(body))
	require.NoError(e.t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(woocommerce.HeaderWebhookTopic, "order.updated")
	req.Header.Set(woocommerce.HeaderWebhookResource, "order")
	req.Header.Set(woocommerce.HeaderWebhookEvent, "updated")
	req.Header.Set(woocommerce.HeaderWebhookSource, e.shop.URL+"/")
	req.Header.Set(woocommerce.HeaderWebhookSignature, woocommerce.Signature(body, secret))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	resp.Body.Close()
	return resp
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func idOf(o *woocommerce.Order) string { return fmt.Sprint(o.ID) }

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return b
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }

// webhooks lists the store's webhooks.
func webhooks(t *testing.T, e *env) []woocommerce.Webhook {
	t.Helper()
	var out []woocommerce.Webhook
	for wh, err := range e.admin.Webhooks.All(e.ctx, nil) {
		require.NoError(t, err)
		out = append(out, wh)
	}
	return out
}

// receiptsOutcome returns the receipts with an outcome.
func (e *env) receiptsOutcome(o loyalty.Outcome) []loyalty.Receipt {
	var out []loyalty.Receipt
	for _, r := range e.receipts() {
		if r.Outcome == o {
			out = append(out, r)
		}
	}
	return out
}

// dumpDatabase returns every value of every table of the test database, one per line.
func dumpDatabase(t *testing.T, e *env) string {
	t.Helper()
	rows, err := e.db.QueryContext(e.ctx, `SELECT name FROM sqlite_master WHERE type = 'table'`)
	require.NoError(t, err)
	var tables []string
	for rows.Next() {
		var n string
		require.NoError(t, rows.Scan(&n))
		tables = append(tables, n)
	}
	require.NoError(t, rows.Close())
	var b strings.Builder
	for _, tbl := range tables {
		b.WriteString(dumpTable(t, e, tbl))
	}
	return b.String()
}

// dumpTable returns every value of a table, one per line (text and blobs as text).
func dumpTable(t *testing.T, e *env, table string) string {
	t.Helper()
	rows, err := e.db.QueryContext(e.ctx, `SELECT * FROM "`+table+`"`)
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var b strings.Builder
	for rows.Next() {
		require.NoError(t, rows.Scan(ptrs...))
		for _, v := range vals {
			if bs, ok := v.([]byte); ok {
				v = string(bs)
			}
			fmt.Fprintf(&b, "%v\n", v)
		}
	}
	require.NoError(t, rows.Err())
	return b.String()
}

// replay sends a recorded delivery n more times, concurrently, and requires 200 each time.
func replay(t *testing.T, e *env, url string, header http.Header, body []byte, n int) {
	t.Helper()
	var wg sync.WaitGroup
	codes := make(chan int, n)
	for range n {
		wg.Go(func() {
			req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, url, bytes.NewReader(body))
			if err != nil {
				codes <- 0
				return
			}
			req.Header = header.Clone()
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				codes <- 0
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		})
	}
	wg.Wait()
	close(codes)
	for c := range codes {
		require.Equal(t, http.StatusOK, c)
	}
}

// testClock is the wall clock moved forward by Advance, so that the connector's times stay in
// step with the fake store's (which uses the real clock) while tests can jump ahead. Once
// frozen, it moves only by Advance.
type testClock struct {
	mu     sync.Mutex
	offset time.Duration
	frozen time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.frozen.IsZero() {
		return c.frozen.Add(c.offset)
	}
	return time.Now().Add(c.offset)
}

// Freeze stops the clock at the current time.
func (c *testClock) Freeze() {
	c.mu.Lock()
	c.frozen = time.Now()
	c.mu.Unlock()
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.offset += d
	c.mu.Unlock()
}

// hasActivity reports whether the activity log has an entry of kind.
func (e *env) hasActivity(kind loyalty.ActivityKind) bool {
	for _, a := range e.activity() {
		if a.Kind == kind {
			return true
		}
	}
	return false
}
