package wooconnect_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// Seed 001, "Pausing and Disconnecting".

// "Pause: The connection stays, processing stops. Webhook deliveries are logged and skipped, and
// members cannot redeem coupons."
func TestSeed_Pausing_PauseLogsAndSkipsDeliveriesAndRefusesRedemptions(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	e.placeOrder(ada, "1500.00", woocommerce.OrderCompleted)
	require.NoError(t, e.conn.Pause(e.ctx, c.ID, "owner"))

	o := e.placeOrder(ada, "300.00", woocommerce.OrderCompleted)
	assert.Equal(t, int64(1500), e.balance(ada.email))
	rs := e.orderReceipts(o)
	require.NotEmpty(t, rs)
	assert.Equal(t, loyalty.OutcomeSkipped, rs[0].Outcome)
	assert.Contains(t, rs[0].Reason, "paused")
	for _, d := range e.shop.Deliveries() {
		if d.ResourceID == o.ID {
			assert.Equal(t, http.StatusOK, d.StatusCode, "WooCommerce must not count skipped deliveries as failures")
		}
	}

	_, err := e.redeem(ada.email, 1000, "m")
	assert.ErrorIs(t, err, loyalty.ErrProgramPaused)
	_, err = e.conn.RedeemForMember(e.ctx, wooconnect.RedeemRequest{ConnectionID: c.ID, Member: ada.email, Points: 1000, Actor: "staff"})
	assert.ErrorIs(t, err, wooconnect.ErrPaused)
	assert.ErrorIs(t, err, loyalty.ErrProgramPaused)
	assert.False(t, e.wallet(ada.email).CanRedeem, "the store discount block is hidden")

	got, err := e.conn.Connection(e.ctx, c.ID)
	require.NoError(t, err)
	assert.Equal(t, wooconnect.StatePaused, got.State)
	assert.Len(t, webhooks(t, e), 1, "the connection stays")
	assert.True(t, e.hasActivity(loyalty.ActivityPaused))
}

// "Resume: Processing picks back up. Orders placed while paused are not back-filled", neither by
// later updates of the same order nor by a reconciliation.
func TestSeed_Pausing_ResumeDoesNotBackfill(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	start := e.clock.Now().Add(-time.Hour)
	require.NoError(t, e.conn.Pause(e.ctx, c.ID, "owner"))
	e.placeOrder(ada, "300.00", woocommerce.OrderCompleted)
	e.clock.Advance(time.Minute)
	require.NoError(t, e.conn.Resume(e.ctx, c.ID, "owner"))

	rep, err := e.conn.Reconcile(e.ctx, c.ID, start)
	require.NoError(t, err)
	assert.True(t, rep.Since.After(start), "reconciliation starts at the resume")
	_, err = e.conn.Engine().Wallet(e.ctx, e.prog.ID, loyalty.MemberRef{Email: ada.email})
	assert.ErrorIs(t, err, loyalty.ErrMemberNotFound, "nothing back-filled")

	e.placeOrder(ada, "40.00", woocommerce.OrderCompleted)
	assert.Equal(t, int64(40), e.balance(ada.email), "processing picked back up")
	assert.True(t, e.hasActivity(loyalty.ActivityResumed))
}

// "Disconnect: The platform deletes the webhook from your store, deletes the stored API keys, and
// stops everything." And "Members keep every point they earned, whatever you do with the
// connection."
func TestSeed_Pausing_DisconnectDeletesWebhookAndKeysAndStops(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	e.placeOrder(ada, "1200.00", woocommerce.OrderCompleted)
	secret := e.overview().Webhook.Secret

	res, err := e.conn.Disconnect(e.ctx, c.ID, "owner")
	require.NoError(t, err)
	assert.True(t, res.WebhookDeleted)
	assert.Empty(t, res.Warning)
	assert.Empty(t, webhooks(t, e), "the webhook is gone from the store")

	var creds *string
	require.NoError(t, e.db.QueryRowContext(e.ctx, `SELECT credentials FROM wooconnect_connections WHERE id = ?`, c.ID).Scan(&creds))
	assert.Nil(t, creds, "the stored keys are deleted")

	// Everything stops: deliveries are refused, nothing can be redeemed or reconciled.
	resp := e.deliverTo(c.DeliveryURL, map[string]any{"id": 1, "status": "completed"}, secret)
	assert.Equal(t, http.StatusGone, resp.StatusCode)
	_, err = e.redeem(ada.email, 1000, "after")
	assert.Error(t, err)
	_, err = e.conn.RedeemForMember(e.ctx, wooconnect.RedeemRequest{ConnectionID: c.ID, Member: ada.email, Points: 1000, Actor: "staff"})
	assert.ErrorIs(t, err, wooconnect.ErrDisconnected)
	_, err = e.conn.Reconcile(e.ctx, c.ID, time.Time{})
	assert.ErrorIs(t, err, wooconnect.ErrDisconnected)
	coupons, _, err := e.admin.Coupons.List(e.ctx, nil)
	require.NoError(t, err)
	assert.Empty(t, coupons)

	assert.Equal(t, int64(1200), e.balance(ada.email), "members keep every point")
	assert.Len(t, e.history(ada.email), 1)
}

// "Members keep every point they earned, whatever you do with the connection."
func TestSeed_Pausing_MembersKeepPoints(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	e.placeOrder(ada, "700.00", woocommerce.OrderCompleted)
	require.NoError(t, e.conn.Pause(e.ctx, c.ID, "owner"))
	assert.Equal(t, int64(700), e.balance(ada.email))
	require.NoError(t, e.conn.Resume(e.ctx, c.ID, "owner"))
	assert.Equal(t, int64(700), e.balance(ada.email))
	_, err := e.conn.Disconnect(e.ctx, c.ID, "owner")
	require.NoError(t, err)
	assert.Equal(t, int64(700), e.balance(ada.email))
	e.connect()
	assert.Equal(t, int64(700), e.balance(ada.email))
}

// "After disconnecting, also revoke the API key in your WordPress admin [...]; the platform
// cannot revoke it for you."
func TestSeed_Pausing_DisconnectRemindsToRevokeKey(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	res, err := e.conn.Disconnect(e.ctx, c.ID, "owner")
	require.NoError(t, err)
	assert.Contains(t, res.Reminder, "WooCommerce → Settings → Advanced → REST API")
	assert.Contains(t, res.Reminder, "cannot revoke it for you")
	// The key still works in the store: only the partner can revoke it.
	k, err := woocommerce.NewClient(e.shop.URL, e.key.ConsumerKey, e.key.ConsumerSecret, woocommerce.WithHTTPClient(e.shop.Client()))
	require.NoError(t, err)
	_, _, err = k.Orders.List(e.ctx, nil)
	assert.NoError(t, err)
}

// "Reconnecting the same store later resumes with the same integration rather than creating a
// duplicate."
func TestSeed_Pausing_ReconnectResumesSameConnection(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first := e.connect()
	again := e.connect() // reconnect while connected (new keys, same store): still one webhook
	assert.Equal(t, first.ID, again.ID)
	assert.Equal(t, first.WebhookID, again.WebhookID)
	require.Len(t, webhooks(t, e), 1)

	_, err := e.conn.Disconnect(e.ctx, first.ID, "owner")
	require.NoError(t, err)
	newKey := e.shop.AddKey("read_write")
	back, err := e.conn.Connect(e.ctx, wooconnect.ConnectRequest{ProgramID: e.prog.ID, StoreURL: e.shop.URL + "/",
		ConsumerKey: newKey.ConsumerKey, ConsumerSecret: newKey.ConsumerSecret})
	require.NoError(t, err)
	e.flush()
	assert.Equal(t, first.ID, back.ID, "the same connection")
	assert.Equal(t, first.DeliveryURL, back.DeliveryURL)
	assert.Equal(t, wooconnect.StateActive, back.State)
	require.Len(t, webhooks(t, e), 1)
	conns, err := e.conn.Connections(e.ctx, e.prog.ID)
	require.NoError(t, err)
	assert.Len(t, conns, 1)

	e.placeOrder(ada, "10.00", woocommerce.OrderCompleted)
	assert.Equal(t, int64(10), e.balance(ada.email))
}

// A webhook whose create response was lost (it exists, but its id was never stored) is found by
// its delivery URL on the next connect instead of getting a twin.
func TestSeed_Pausing_ReconnectAdoptsWebhookWithLostCreateResponse(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	// Simulate the lost response: a second webhook to our URL, unknown to the connection.
	topic, active := "order.updated", woocommerce.WebhookActive
	_, _, err := e.admin.Webhooks.Create(e.ctx, &woocommerce.WebhookRequest{Topic: &topic, Status: &active, DeliveryURL: &c.DeliveryURL})
	require.NoError(t, err)
	require.Len(t, webhooks(t, e), 2)
	e.connect()
	whs := webhooks(t, e)
	require.Len(t, whs, 1, "the duplicate was deleted")
	assert.Equal(t, c.WebhookID, whs[0].ID)
}

// FAQ: "Each club holds one connection per store URL. Use separate clubs to connect separate
// stores, each with its own linked card."
func TestSeed_Pausing_OneConnectionPerStorePerProgram(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	other := newEnv(t) // a second store
	otherKey := other.key
	_, err := e.conn.Connect(e.ctx, wooconnect.ConnectRequest{ProgramID: e.prog.ID, StoreURL: other.shop.URL,
		ConsumerKey: otherKey.ConsumerKey, ConsumerSecret: otherKey.ConsumerSecret})
	require.ErrorIs(t, err, wooconnect.ErrProgramLinked)

	second := loyalty.DefaultProgram("second-card", "EUR")
	_, err = e.conn.Engine().SaveProgram(e.ctx, second, "owner")
	require.NoError(t, err)
	c2, err := e.conn.Connect(e.ctx, wooconnect.ConnectRequest{ProgramID: second.ID, StoreURL: other.shop.URL,
		ConsumerKey: otherKey.ConsumerKey, ConsumerSecret: otherKey.ConsumerSecret})
	require.NoError(t, err)
	assert.NotEqual(t, e.c.ID, c2.ID)
}
