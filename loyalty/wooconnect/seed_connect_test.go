package wooconnect_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// Seed 001, "Connecting Your Store".

// "Set permissions to Read/Write. Write access lets the platform register the webhook and
// create coupons for you."
func TestSeed_Connecting_ReadWriteKeyRegistersWebhookAndCreatesCoupons(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	assert.NotZero(t, c.WebhookID)
	assert.Nil(t, c.Manual)

	e.placeOrder(ada, "1200.00", woocommerce.OrderProcessing)
	r, err := e.conn.Engine().Redeem(e.ctx, loyalty.RedeemRequest{ProgramID: e.prog.ID,
		Member: loyalty.MemberRef{Email: ada.email}, Points: 1000, IdempotencyKey: "k1"})
	require.NoError(t, err)
	cp, _, err := e.admin.Coupons.GetByCode(e.ctx, r.Code)
	require.NoError(t, err)
	assert.Equal(t, r.CouponID, idString(cp.ID))
}

// "The platform verifies the credentials against your store": a wrong secret or an unknown
// key fails with "Could not connect to the WooCommerce store" and stores nothing.
func TestSeed_Connecting_VerifiesCredentialsAgainstStore(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	for _, tc := range []struct{ name, key, secret string }{
		{"wrong secret", e.key.ConsumerKey, "cs_wrong"},
		{"unknown key", "ck_unknown", e.key.ConsumerSecret},
	} {
		_, err := e.conn.Connect(e.ctx, wooconnect.ConnectRequest{ProgramID: e.prog.ID, StoreURL: e.shop.URL,
			ConsumerKey: tc.key, ConsumerSecret: tc.secret})
		require.ErrorIs(t, err, wooconnect.ErrCannotConnect, tc.name)
		require.ErrorIs(t, err, woocommerce.ErrUnauthorized, tc.name)
	}
	recs, err := e.conns.Connections(e.ctx, "")
	require.NoError(t, err)
	assert.Empty(t, recs)
	assert.Empty(t, webhooks(t, e))
}

// "...saves them encrypted": the consumer key, consumer secret and webhook secret are not in
// the database file, and the stored blob opens only with the key for this very connection.
func TestSeed_Connecting_SavesCredentialsEncrypted(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	ov := e.overview()
	require.NotEmpty(t, ov.Webhook.Secret)

	var stored string
	require.NoError(t, e.db.QueryRowContext(e.ctx, `SELECT credentials FROM wooconnect_connections WHERE id = ?`, c.ID).Scan(&stored))
	for _, secret := range []string{e.key.ConsumerKey, e.key.ConsumerSecret, ov.Webhook.Secret} {
		assert.NotContains(t, stored, secret)
		assert.NotContains(t, dumpDatabase(t, e), secret)
	}

	// Another encryption key cannot use the stored credentials.
	other, err := wooconnect.New(newLoyaltyStore(t, ""), e.conns,
		wooconnect.WithEncryptionKey([]byte(strings.Repeat("x", 32))), wooconnect.WithWebhookURL("https://hooks.example"))
	require.NoError(t, err)
	_, err = other.Reconcile(e.ctx, c.ID, e.clock.Now())
	require.ErrorContains(t, err, "do not decrypt")
}

// "...and registers a single "Order updated" webhook for you."
func TestSeed_Connecting_RegistersSingleOrderUpdatedWebhook(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	whs := webhooks(t, e)
	require.Len(t, whs, 1)
	assert.Equal(t, c.WebhookID, whs[0].ID)
	assert.Equal(t, "order.updated", whs[0].Topic)
	assert.Equal(t, woocommerce.WebhookActive, whs[0].Status)
	assert.Equal(t, c.DeliveryURL, whs[0].DeliveryURL)
	assert.Equal(t, wooconnect.WebhookName, whs[0].Name)

	// The creation ping was answered with exactly 200, as WooCommerce needs.
	pings := 0
	for _, d := range e.shop.Deliveries() {
		if d.Ping {
			pings++
			assert.Equal(t, http.StatusOK, d.StatusCode)
		}
	}
	assert.Equal(t, 1, pings)
}

// "When that succeeds, the Overview tab shows Webhook registered automatically and the
// connection is live. Place a test order to see the first points arrive."
func TestSeed_Connecting_OverviewShowsRegisteredAndTestOrderHint(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	ov := e.overview()
	assert.Equal(t, wooconnect.StateActive, ov.Connection.State)
	assert.True(t, ov.Webhook.Registered)
	assert.Equal(t, "Webhook registered automatically (ID "+idString(c.WebhookID)+")", ov.Webhook.Summary)
	assert.True(t, ov.LastDeliveryAt.IsZero())
	assert.Equal(t, wooconnect.NoDeliveryHint, ov.LastDeliveryHint)

	e.placeOrder(ada, "25.00", woocommerce.OrderProcessing)
	assert.Equal(t, int64(25), e.balance(ada.email))
	ov = e.overview()
	assert.False(t, ov.LastDeliveryAt.IsZero())
	assert.Empty(t, ov.LastDeliveryHint)
}

// "A read-only API key can verify the connection but cannot create the webhook. The connection
// still completes, and the Overview tab switches to manual instructions with ... the delivery
// URL and the secret."
func TestSeed_Connecting_ReadOnlyKeyCompletesWithManualInstructions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ro := e.shop.AddKey(woocommercetest.Read)
	c, err := e.conn.Connect(e.ctx, wooconnect.ConnectRequest{ProgramID: e.prog.ID, StoreURL: e.shop.URL,
		ConsumerKey: ro.ConsumerKey, ConsumerSecret: ro.ConsumerSecret})
	require.NoError(t, err)
	e.c = c
	assert.Zero(t, c.WebhookID)
	require.NotNil(t, c.Manual)
	assert.Contains(t, c.Manual.Reason, "read-only")
	assert.Equal(t, c.DeliveryURL, c.Manual.DeliveryURL)
	assert.NotEmpty(t, c.Manual.Secret)
	assert.Equal(t, "Order updated", c.Manual.TopicLabel)
	assert.Equal(t, "order.updated", c.Manual.Topic)
	assert.Empty(t, webhooks(t, e))

	ov := e.overview()
	assert.Equal(t, "Manual setup required", ov.Webhook.Summary)
	assert.False(t, ov.Webhook.Registered)
	require.NotNil(t, ov.Webhook.Manual)
	assert.Equal(t, c.Manual.Secret, ov.Webhook.Secret)
}

// Following the manual instructions (Add webhook, topic Order updated, paste the delivery URL
// and the secret) makes orders earn points.
func TestSeed_Connecting_ManualWebhookFromInstructionsDelivers(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ro := e.shop.AddKey(woocommercetest.Read)
	c, err := e.conn.Connect(e.ctx, wooconnect.ConnectRequest{ProgramID: e.prog.ID, StoreURL: e.shop.URL,
		ConsumerKey: ro.ConsumerKey, ConsumerSecret: ro.ConsumerSecret})
	require.NoError(t, err)
	e.c = c
	m := c.Manual
	require.NotNil(t, m)
	active := woocommerce.WebhookActive
	_, _, err = e.admin.Webhooks.Create(e.ctx, &woocommerce.WebhookRequest{Name: &m.Name, Topic: &m.Topic,
		Status: &active, DeliveryURL: &m.DeliveryURL, Secret: &m.Secret})
	require.NoError(t, err)
	e.flush()

	e.placeOrder(ada, "40.00", woocommerce.OrderCompleted)
	assert.Equal(t, int64(40), e.balance(ada.email))
}

// "One webhook covers everything: orders and refunds. WooCommerce has no "Order completed"
// webhook topic; the platform reads the order status from each update and decides what to do."
func TestSeed_Connecting_OneWebhookCoversOrdersAndRefunds(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	o := e.placeOrder(ada, "80.00", woocommerce.OrderPending)
	assert.Empty(t, e.receiptsOutcome(loyalty.OutcomeProcessed))
	e.setStatus(o, woocommerce.OrderCompleted)
	assert.Equal(t, int64(80), e.balance(ada.email))
	e.refund(o, "80.00")
	assert.Equal(t, int64(0), e.balance(ada.email))
	assert.Len(t, webhooks(t, e), 1)
	for _, d := range e.shop.Deliveries() {
		if !d.Ping {
			assert.Equal(t, "order.updated", d.Topic)
		}
	}
}

// "Do not create extra webhooks for other topics": deliveries of other topics are answered 2xx
// (so WooCommerce keeps the webhook active) and change nothing.
func TestSeed_Connecting_OtherTopicsAreIgnoredWith2xx(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	secret := e.overview().Webhook.Secret
	topic, active := "product.updated", woocommerce.WebhookActive
	_, _, err := e.admin.Webhooks.Create(e.ctx, &woocommerce.WebhookRequest{Topic: &topic, Status: &active,
		DeliveryURL: &c.DeliveryURL, Secret: &secret})
	require.NoError(t, err)
	e.flush()
	regular := woocommerce.SomeMoney(woocommerce.MustMoney("9.90"))
	name := "Mug"
	prod, _, err := e.admin.Products.Create(e.ctx, &woocommerce.ProductRequest{Name: &name, RegularPrice: &regular})
	require.NoError(t, err)
	name = "Big mug"
	_, _, err = e.admin.Products.Update(e.ctx, prod.ID, &woocommerce.ProductRequest{Name: &name})
	require.NoError(t, err)
	e.flush()
	var productDeliveries int
	for _, d := range e.shop.Deliveries() {
		if d.Topic == "product.created" || d.Topic == "product.updated" {
			productDeliveries++
			assert.Equal(t, http.StatusOK, d.StatusCode)
		}
	}
	assert.NotZero(t, productDeliveries)
	assert.Empty(t, e.receipts())
}

// "A WooCommerce store served over HTTPS. The WooCommerce REST API only accepts key
// authentication over HTTPS" — and the troubleshooting entry "Store URL must use HTTPS".
func TestSeed_Connecting_RequiresHTTPS(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	strict, err := wooconnect.New(newLoyaltyStore(t, ""), wooconnect.NewMemoryConnectionStore(),
		wooconnect.WithEncryptionKey(testKey), wooconnect.WithWebhookURL("https://hooks.example/wc"))
	require.NoError(t, err)
	_, err = strict.Engine().SaveProgram(e.ctx, e.prog, "owner")
	require.NoError(t, err)
	_, err = strict.Connect(e.ctx, wooconnect.ConnectRequest{ProgramID: e.prog.ID, StoreURL: e.shop.URL,
		ConsumerKey: e.key.ConsumerKey, ConsumerSecret: e.key.ConsumerSecret})
	require.ErrorIs(t, err, wooconnect.ErrHTTPSRequired)
	assert.Contains(t, err.Error(), "store URL must use HTTPS")
}

// Over HTTPS the connection authenticates with the key as WooCommerce expects (Basic), without
// any insecure option.
func TestSeed_Connecting_HTTPSStoreConnects(t *testing.T) {
	t.Parallel()
	shop := woocommercetest.NewServer(woocommercetest.WithTLS(), woocommercetest.WithCurrency("EUR"),
		woocommercetest.WithoutPing())
	t.Cleanup(shop.Close)
	key := shop.AddKey(woocommercetest.ReadWrite)
	conn, err := wooconnect.New(newLoyaltyStore(t, ""), wooconnect.NewMemoryConnectionStore(),
		wooconnect.WithEncryptionKey(testKey), wooconnect.WithWebhookURL("https://hooks.example/wc"),
		wooconnect.WithClientOptions(woocommerce.WithHTTPClient(shop.Client())))
	require.NoError(t, err)
	ctx := t.Context()
	_, err = conn.Engine().SaveProgram(ctx, loyalty.DefaultProgram("card", "EUR"), "owner")
	require.NoError(t, err)
	c, err := conn.Connect(ctx, wooconnect.ConnectRequest{ProgramID: "card", StoreURL: shop.URL,
		ConsumerKey: key.ConsumerKey, ConsumerSecret: key.ConsumerSecret})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(c.StoreURL, "https://"))
	assert.NotZero(t, c.WebhookID)
}

// "Select the loyalty card that orders should earn points on": the card must exist.
func TestSeed_Connecting_RequiresExistingProgram(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	_, err := e.conn.Connect(e.ctx, wooconnect.ConnectRequest{ProgramID: "no-such-card", StoreURL: e.shop.URL,
		ConsumerKey: e.key.ConsumerKey, ConsumerSecret: e.key.ConsumerSecret})
	require.ErrorIs(t, err, loyalty.ErrProgramNotFound)
	_, err = e.conn.Connect(e.ctx, wooconnect.ConnectRequest{ProgramID: e.prog.ID, StoreURL: e.shop.URL})
	require.ErrorIs(t, err, wooconnect.ErrMissingCredentials)
}

// "Use the same currency on the linked loyalty card and the store": connecting a store whose
// orders are in another currency says so in the activity log, and such orders earn nothing.
func TestSeed_Connecting_WarnsAboutCurrencyMismatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withProgram(func(p *loyalty.Program) { p.Currency = "SEK" }))
	status := woocommerce.OrderPending
	_, _, err := e.admin.Orders.Create(e.ctx, &woocommerce.OrderRequest{Status: &status})
	require.NoError(t, err)
	e.connect()
	assert.Contains(t, e.activity()[0].Message, "the store's latest order is in EUR but the card is in SEK")
	o := e.placeOrder(ada, "10.00", woocommerce.OrderCompleted)
	rs := e.orderReceipts(o)
	require.NotEmpty(t, rs)
	assert.Equal(t, loyalty.OutcomeSkipped, rs[0].Outcome)
	assert.Contains(t, rs[0].Reason, "currency")
}
