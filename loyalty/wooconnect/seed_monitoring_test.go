package wooconnect_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// Seed 001, "Monitoring the Connection".

// "Webhook status: registered automatically (with its ID), or the manual setup instructions."
func TestSeed_Monitoring_WebhookStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	ov := e.overview()
	assert.True(t, ov.Webhook.Registered)
	assert.Equal(t, c.WebhookID, ov.Webhook.ID)
	assert.Nil(t, ov.Webhook.Manual)

	e2 := newEnv(t)
	roKey := e2.shop.AddKey(woocommercetest.Read)
	c2, err := e2.conn.Connect(e2.ctx, wooconnect.ConnectRequest{ProgramID: e2.prog.ID, StoreURL: e2.shop.URL,
		ConsumerKey: roKey.ConsumerKey, ConsumerSecret: roKey.ConsumerSecret})
	require.NoError(t, err)
	e2.c = c2
	ov2 := e2.overview()
	assert.False(t, ov2.Webhook.Registered)
	require.NotNil(t, ov2.Webhook.Manual)
	assert.Equal(t, c2.DeliveryURL, ov2.Webhook.Manual.DeliveryURL)
	assert.Len(t, ov2.Webhook.Manual.Steps, 5)
}

// "Last webhook: when the most recent delivery arrived. While empty, the panel suggests placing a
// test order."
func TestSeed_Monitoring_LastWebhookOrTestOrderHint(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	ov := e.overview()
	assert.True(t, ov.LastDeliveryAt.IsZero(), "the unsigned ping is not a delivery")
	assert.Contains(t, ov.LastDeliveryHint, "place a test order")

	e.clock.Advance(time.Hour)
	before := e.clock.Now()
	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	after := e.clock.Now()
	ov = e.overview()
	assert.False(t, ov.LastDeliveryAt.Before(before.Truncate(time.Microsecond)), "%s before %s", ov.LastDeliveryAt, before)
	assert.False(t, ov.LastDeliveryAt.After(after))
	assert.Empty(t, ov.LastDeliveryHint)
}

// "24-hour counts: processed, ignored, and failed deliveries."
func TestSeed_Monitoring_24HourCounts(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing) // processed
	e.placeOrder(ada, "10.00", woocommerce.OrderOnHold)     // ignored
	resp := e.deliverTo(e.c.DeliveryURL, map[string]any{"id": 1}, "wrong secret")
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode) // failed
	ov := e.overview()
	assert.Equal(t, 1, ov.Processed)
	assert.Equal(t, 1, ov.Ignored)
	assert.Equal(t, 1, ov.Failed)

	e.clock.Advance(25 * time.Hour)
	e.placeOrder(grace, "10.00", woocommerce.OrderProcessing)
	ov = e.overview()
	assert.Equal(t, 1, ov.Processed, "older deliveries leave the window")
	assert.Zero(t, ov.Ignored)
	assert.Zero(t, ov.Failed)
}

// "Most recent failure with a hint. A signature error means the webhook secret in WooCommerce
// does not match; recreate the webhook with the secret from the Overview tab." The delivery is
// refused with 401 and its receipt says so.
func TestSeed_Monitoring_SignatureFailureHintShowsSecret(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	// Someone edits the webhook in WordPress and types another secret.
	other := "typed-by-hand"
	_, _, err := e.admin.Webhooks.Update(e.ctx, c.WebhookID, &woocommerce.WebhookRequest{Secret: &other})
	require.NoError(t, err)
	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)

	var refused int
	for _, d := range e.shop.Deliveries() {
		if !d.Ping {
			assert.Equal(t, http.StatusUnauthorized, d.StatusCode)
			refused++
		}
	}
	require.NotZero(t, refused)
	ov := e.overview()
	require.NotNil(t, ov.LastFailure)
	assert.Contains(t, ov.LastFailure.Reason, "recreate the webhook with the secret shown in the Overview")
	assert.Contains(t, ov.LastFailure.Hint, "Recreate the webhook with the secret from the Overview")
	assert.NotEmpty(t, ov.Webhook.Secret, "the Overview shows the secret to use")
	assert.Equal(t, loyalty.OutcomeFailed, ov.Receipts[0].Outcome)

	// Recreating it with the shown secret fixes it.
	_, _, err = e.admin.Webhooks.Update(e.ctx, c.WebhookID, &woocommerce.WebhookRequest{Secret: &ov.Webhook.Secret})
	require.NoError(t, err)
	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	assert.Equal(t, int64(10), e.balance(ada.email))
}

// "The Activity tab lists recent webhook deliveries with their outcome and the reason whenever an
// event was ignored or skipped, for example an order status that does not award points or a
// duplicate delivery."
func TestSeed_Monitoring_ReceiptsShowOutcomeAndReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	o := e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	e.setStatus(o, woocommerce.OrderCompleted)
	e.placeOrder(ada, "10.00", woocommerce.OrderOnHold)
	rs := e.overview().Receipts
	require.Len(t, rs, 3)
	assert.Equal(t, loyalty.OutcomeIgnored, rs[0].Outcome)
	assert.Contains(t, rs[0].Reason, `status "on-hold" does not award points`)
	assert.Equal(t, loyalty.OutcomeDuplicate, rs[1].Outcome)
	assert.Contains(t, rs[1].Reason, "already processed")
	assert.Equal(t, loyalty.OutcomeProcessed, rs[2].Outcome)
	assert.Equal(t, "awarded 10 points", rs[2].Reason)
}

// "Connections, disconnections, settings changes, and redemptions are recorded in the activity
// log."
func TestSeed_Monitoring_ActivityLogRecordsLifecycle(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	e.placeOrder(ada, "1000.00", woocommerce.OrderProcessing)
	p := e.prog
	p.Redemption.ValidityDays = 14
	_, err := e.conn.Engine().SaveProgram(e.ctx, p, "owner")
	require.NoError(t, err)
	_, err = e.redeem(ada.email, 1000, "k")
	require.NoError(t, err)
	_, err = e.conn.Disconnect(e.ctx, c.ID, "owner")
	require.NoError(t, err)

	kinds := map[loyalty.ActivityKind]string{}
	for _, a := range e.activity() {
		kinds[a.Kind] += a.Message + "\n"
	}
	assert.Contains(t, kinds[loyalty.ActivityConnected], "connected "+c.StoreURL)
	assert.Contains(t, kinds[loyalty.ActivitySettingsChanged], "Redemption.ValidityDays: 7 → 14")
	assert.Contains(t, kinds[loyalty.ActivityRedemption], "1,000 points redeemed for coupon")
	assert.Contains(t, kinds[loyalty.ActivityDisconnected], "disconnected "+c.StoreURL)
}

// "Sign-ins through the email link appear there as their own event, separate from code logins."
func TestSeed_Monitoring_EmailLinkSignInIsOwnActivityEvent(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	_, err := e.conn.SignInWithLink(e.ctx, tokenOf(t, e.mail.to(ada.email)[0].RedeemURL))
	require.NoError(t, err)
	a := e.activity()[0]
	assert.Equal(t, loyalty.ActivitySignIn, a.Kind)
	assert.Equal(t, "member", a.Actor)
	assert.Equal(t, e.wallet(ada.email).Member.ID, a.MemberID)
	assert.True(t, strings.Contains(a.Message, "email link"))
}
