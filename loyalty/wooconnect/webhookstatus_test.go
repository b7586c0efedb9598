package wooconnect_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// When WooCommerce disables the webhook after an outage of the receiver, the Overview says so
// (once its short cache expires) with the fix, and RepairWebhook re-activates the webhook and
// awards the orders of the outage, once (issue 12.4).
func TestOverview_DisabledWebhookAndRepair(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	e.placeOrder(ada, "10.00", woocommerce.OrderCompleted)
	ov := e.overview()
	assert.Equal(t, wooconnect.WebhookStateActive, ov.Webhook.State)
	assert.Empty(t, ov.Webhook.Fix)

	e.down.Store(true) // the receiver is down: deliveries fail until WooCommerce disables the webhook
	var missed []*woocommerce.Order
	for range 8 {
		missed = append(missed, e.placeOrder(grace, "5.00", woocommerce.OrderCompleted))
	}
	e.down.Store(false)
	wh, _, err := e.admin.Webhooks.Get(e.ctx, c.WebhookID)
	require.NoError(t, err)
	require.Equal(t, woocommerce.WebhookDisabled, wh.Status, "the fake disables it as WooCommerce does")

	assert.Equal(t, wooconnect.WebhookStateActive, e.overview().Webhook.State, "read at most every WebhookStatusTTL")
	e.clock.Advance(wooconnect.WebhookStatusTTL)
	ov = e.overview()
	assert.Equal(t, wooconnect.WebhookStateDisabled, ov.Webhook.State)
	assert.Contains(t, ov.Webhook.Summary, "disabled")
	assert.Contains(t, ov.Webhook.Fix, "repair")

	// Orders after the outage are not delivered while the webhook stays disabled.
	late := e.placeOrder(grace, "7.00", woocommerce.OrderCompleted)
	assert.Empty(t, e.orderReceipts(late))

	res, err := e.conn.RepairWebhook(e.ctx, c.ID, "owner")
	require.NoError(t, err)
	assert.Equal(t, c.WebhookID, res.WebhookID)
	assert.Equal(t, len(missed)+1, res.Reconciled.ByOutcome["processed"])
	assert.Equal(t, int64(8*5+7), e.balance(grace.email))
	ov = e.overview()
	assert.Equal(t, wooconnect.WebhookStateActive, ov.Webhook.State, "the repair refreshes the status")
	assert.Empty(t, ov.Webhook.Fix)

	e.placeOrder(grace, "3.00", woocommerce.OrderCompleted) // delivered again
	assert.Equal(t, int64(8*5+7+3), e.balance(grace.email))
	res, err = e.conn.RepairWebhook(e.ctx, c.ID, "owner")
	require.NoError(t, err)
	assert.Zero(t, res.Reconciled.ByOutcome["processed"], "repairing twice awards nothing twice")
	assert.Equal(t, int64(8*5+7+3), e.balance(grace.email))
}
