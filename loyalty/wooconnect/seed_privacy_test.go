package wooconnect_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/mail"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// Seed 001, "Data and Privacy".

// "This integration is partner-scoped: it belongs to one club of one partner, and partner
// isolation applies to everything it touches."
func TestSeed_Privacy_PartnerIsolation(t *testing.T) {
	t.Parallel()
	a := newEnv(t)
	ca := a.connect()
	b := loyalty.DefaultProgram("club-b", "EUR")
	b.Redemption.Enabled = true
	_, err := a.conn.Engine().SaveProgram(a.ctx, b, "partner-b")
	require.NoError(t, err)
	storeB := newEnv(t)
	cb, err := a.conn.Connect(a.ctx, wooconnect.ConnectRequest{ProgramID: b.ID, StoreURL: storeB.shop.URL,
		ConsumerKey: storeB.key.ConsumerKey, ConsumerSecret: storeB.key.ConsumerSecret})
	require.NoError(t, err)

	a.placeOrder(ada, "1500.00", woocommerce.OrderCompleted)
	_, err = a.conn.Engine().Wallet(a.ctx, b.ID, loyalty.MemberRef{Email: ada.email})
	assert.ErrorIs(t, err, loyalty.ErrNotMember, "club A's order does not touch club B")

	// Club A's secret does not open club B's endpoint.
	resp := a.deliverTo(cb.DeliveryURL, map[string]any{"id": 9, "status": "completed", "currency": "EUR", "total": "100.00",
		"billing": map[string]string{"email": ada.email}}, a.overview().Webhook.Secret)
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	_, err = a.conn.Engine().Wallet(a.ctx, b.ID, loyalty.MemberRef{Email: ada.email})
	assert.ErrorIs(t, err, loyalty.ErrNotMember)

	// Club B's staff cannot redeem club A's member, and club A's coupons go to store A only.
	_, err = a.conn.RedeemForMember(a.ctx, wooconnect.RedeemRequest{ConnectionID: cb.ID, Member: ada.email, Points: 1000, Actor: "staff-b"})
	assert.ErrorIs(t, err, loyalty.ErrNotMember)
	red, err := a.conn.RedeemForMember(a.ctx, wooconnect.RedeemRequest{ConnectionID: ca.ID, Member: ada.email, Points: 1000, Actor: "staff-a"})
	require.NoError(t, err)
	_, _, err = a.admin.Coupons.GetByCode(a.ctx, red.Code)
	require.NoError(t, err)
	_, _, err = storeB.admin.Coupons.GetByCode(a.ctx, red.Code)
	assert.ErrorIs(t, err, woocommerce.ErrNotFound)
	for _, act := range a.activity() {
		assert.Equal(t, a.prog.ID, act.ProgramID)
	}
}

// requestLog records the requests the connector sends to the store.
type requestLog struct {
	base http.RoundTripper
	mu   sync.Mutex
	reqs []loggedRequest
}

type loggedRequest struct {
	method, path string
	body         []byte
}

func (l *requestLog) RoundTrip(r *http.Request) (*http.Response, error) {
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	l.mu.Lock()
	l.reqs = append(l.reqs, loggedRequest{r.Method, r.URL.Path, body})
	l.mu.Unlock()
	return l.base.RoundTrip(r)
}

// "What is sent to your store: coupon creation requests (code, discount amount, the member's
// email address as a usage restriction) and webhook management calls" — besides the reads that
// verify the key and reconcile orders.
func TestSeed_Privacy_SentToStoreIsCouponsAndWebhookCalls(t *testing.T) {
	t.Parallel()
	log := &requestLog{base: http.DefaultTransport}
	e := newEnv(t, withConnector(wooconnect.WithClientOptions(woocommerce.WithHTTPClient(&http.Client{Transport: log}))))
	c := e.connect()
	e.placeOrder(customer{"Ada", "Lovelace", ada.email}, "1000.00", woocommerce.OrderCompleted)
	red, err := e.redeem(ada.email, 1000, "k")
	require.NoError(t, err)
	_, err = e.conn.Reconcile(e.ctx, c.ID, e.clock.Now().Add(-1))
	require.NoError(t, err)
	_, err = e.conn.Disconnect(e.ctx, c.ID, "owner")
	require.NoError(t, err)

	var couponBodies int
	for _, r := range log.reqs {
		path := strings.TrimPrefix(r.path, "/wp-json/wc/v3/")
		resource, _, _ := strings.Cut(path, "/")
		switch {
		case resource == "webhooks":
		case resource == "coupons" && r.method == http.MethodGet:
		case resource == "coupons" && r.method == http.MethodPost:
			couponBodies++
			var body map[string]any
			require.NoError(t, json.Unmarshal(r.body, &body))
			keys := make([]string, 0, len(body))
			for k := range body {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			assert.Equal(t, []string{"amount", "code", "date_expires", "description", "discount_type", "email_restrictions",
				"individual_use", "meta_data", "usage_limit", "usage_limit_per_user"}, keys)
			assert.Equal(t, []any{ada.email}, body["email_restrictions"])
			assert.Equal(t, []any{map[string]any{"key": wooconnect.RedemptionMetaKey, "value": red.ID}}, body["meta_data"],
				"the only meta is the redemption marker")
			assert.NotContains(t, string(r.body), "Lovelace", "no name")
		case resource == "orders" && r.method == http.MethodGet:
		default:
			t.Errorf("unexpected request %s %s", r.method, r.path)
		}
	}
	assert.Equal(t, 1, couponBodies)
}

// "What is received from your store: Order webhooks: order ID, status, total, currency, and the
// billing name and email used for member matching." Nothing else of the order reaches the
// engine.
func TestSeed_Privacy_ReceivedFromStoreIsOrderEssentials(t *testing.T) {
	t.Parallel()
	var o woocommerce.Order
	require.NoError(t, json.Unmarshal([]byte(`{
		"id": 727, "number": "SO-727", "status": "completed", "currency": "EUR", "total": "87.30",
		"customer_ip_address": "203.0.113.9", "customer_note": "leave at the door",
		"billing": {"first_name": "Ada", "last_name": "Lovelace", "email": "ada@example.com", "phone": "+44 20 7946 0000",
			"address_1": "12 St James's Square", "city": "London"},
		"shipping": {"first_name": "Ada", "address_1": "12 St James's Square"},
		"line_items": [{"id": 1, "name": "Analytical Engine", "quantity": 1, "total": "80.00", "price": 80}],
		"refunds": [{"id": 5, "reason": "dent", "total": "-7.30"}]
	}`), &o))
	got := wooconnect.OrderEvent("https://shop.example", &o)
	assert.Equal(t, loyalty.OrderEvent{Store: "https://shop.example", OrderID: "727", Status: "completed",
		Total: dec("87.30"), Currency: "EUR", BillingName: "Ada Lovelace", BillingEmail: "ada@example.com",
		RefundedTotal: dec("7.30")}, got)
}

// "Which credentials are stored: the consumer key and secret, encrypted at rest, plus a
// per-integration webhook secret. Disconnecting deletes the stored keys."
func TestSeed_Privacy_CredentialsEncryptedPerIntegrationAndDeletedOnDisconnect(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	secret := e.overview().Webhook.Secret
	dump := dumpDatabase(t, e)
	for _, s := range []string{e.key.ConsumerKey, e.key.ConsumerSecret, secret} {
		assert.NotContains(t, dump, s)
	}
	second := loyalty.DefaultProgram("second", "EUR")
	_, err := e.conn.Engine().SaveProgram(e.ctx, second, "owner")
	require.NoError(t, err)
	other := newEnv(t)
	c2, err := e.conn.Connect(e.ctx, wooconnect.ConnectRequest{ProgramID: second.ID, StoreURL: other.shop.URL,
		ConsumerKey: other.key.ConsumerKey, ConsumerSecret: other.key.ConsumerSecret})
	require.NoError(t, err)
	ov2, err := e.conn.Overview(e.ctx, c2.ID, 1)
	require.NoError(t, err)
	assert.NotEqual(t, secret, ov2.Webhook.Secret, "one webhook secret per integration")

	_, err = e.conn.Disconnect(e.ctx, c.ID, "owner")
	require.NoError(t, err)
	var n int
	require.NoError(t, e.db.QueryRowContext(e.ctx, `SELECT COUNT(*) FROM wooconnect_connections WHERE id = ? AND credentials IS NULL`, c.ID).Scan(&n))
	assert.Equal(t, 1, n)
	ov, err := e.conn.Overview(e.ctx, c.ID, 1)
	require.NoError(t, err)
	assert.Empty(t, ov.Webhook.Secret)
}

// "How errors are logged: each webhook delivery gets a receipt with its outcome. Receipts store
// order metadata and a hashed email, never the address itself."
func TestSeed_Privacy_ReceiptsHoldHashedEmailNeverTheAddress(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	o := e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	e.placeOrder(grace, "10.00", woocommerce.OrderOnHold)
	rs := e.receipts()
	require.Len(t, rs, 2)
	for _, r := range rs {
		assert.Regexp(t, `^[0-9a-f]{64}$`, r.EmailHash)
		assert.NotEqual(t, rs[0].EmailHash, rs[1].EmailHash)
	}
	assert.Equal(t, idOf(o), rs[1].OrderID)
	assert.Equal(t, "processing", rs[1].Status)

	receipts := strings.ToLower(dumpTable(t, e, "loyalty_receipt"))
	require.Contains(t, receipts, "awarded 10 points", "the table holds the receipts")
	assert.NotContains(t, receipts, "@example.com")
}

// "How to disconnect: the Disconnect button on the Overview tab, then revoke the API key in
// WordPress admin" (see also TestSeed_Pausing_DisconnectRemindsToRevokeKey). The activity log
// names who disconnected.
func TestSeed_Privacy_DisconnectIsRecordedWithActorAndReminder(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	res, err := e.conn.Disconnect(e.ctx, c.ID, "owner@corner")
	require.NoError(t, err)
	assert.Equal(t, wooconnect.RevokeReminder, res.Reminder)
	a := e.activity()[0]
	assert.Equal(t, loyalty.ActivityDisconnected, a.Kind)
	assert.Equal(t, "owner@corner", a.Actor)
	// Disconnecting twice is harmless.
	_, err = e.conn.Disconnect(e.ctx, c.ID, "owner@corner")
	require.NoError(t, err)
}

// Secrets never reach the logs: not the consumer key or secret, not the webhook secret, not a
// sign-in token — with every component logging at debug level through a whole session.
func TestSeed_Privacy_LogsNeverContainSecrets(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withLogSender())
	c := e.connect()
	ov := e.overview()
	e.placeOrder(ada, "1200.00", woocommerce.OrderProcessing)
	_, err := e.redeem(ada.email, 1000, "k")
	require.NoError(t, err)
	_ = e.deliverTo(c.DeliveryURL, map[string]any{"id": 1}, "wrong")
	_, err = e.conn.Disconnect(e.ctx, c.ID, "owner")
	require.NoError(t, err)

	logs := e.logs.String()
	require.Contains(t, logs, "wooconnect: connected", "the log is being written")
	require.Contains(t, logs, "mail: member email", "emails are logged")
	assert.NotRegexp(t, `token=[A-Za-z0-9_-]{10}`, logs)
	// The default LogSender logs metadata only: no address, name, balance or text (issue 12.11).
	assert.Contains(t, logs, `"to_hash":"`+(&mail.LogSender{}).RecipientHash(ada.email)+`"`)
	for _, s := range []string{ada.email, "Lovelace", "You now have", "Redeem my points"} {
		assert.NotContains(t, logs, s)
	}
	for _, s := range []string{e.key.ConsumerKey, e.key.ConsumerSecret, ov.Webhook.Secret} {
		assert.NotContains(t, logs, s)
	}
}
