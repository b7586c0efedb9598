package wooconnect

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// Pause keeps the connection but stops processing: webhook deliveries are recorded and skipped,
// and members cannot redeem. Pausing a paused connection does nothing.
func (c *Connector) Pause(ctx context.Context, connectionID, actor string) error {
	return c.setPaused(ctx, connectionID, true, actor)
}

// Resume picks processing back up. Orders placed while paused are not back-filled: Reconcile
// never looks back past the moment of resuming.
func (c *Connector) Resume(ctx context.Context, connectionID, actor string) error {
	return c.setPaused(ctx, connectionID, false, actor)
}

func (c *Connector) setPaused(ctx context.Context, id string, paused bool, actor string) error {
	c.connectMu.Lock()
	defer c.connectMu.Unlock()
	rec, err := c.conns.Connection(ctx, id)
	if err != nil {
		return err
	}
	if rec.Disconnected {
		return fmt.Errorf("%w: %s", ErrDisconnected, rec.StoreURL)
	}
	if rec.Paused != paused {
		now := c.now()
		rec.Paused, rec.UpdatedAt = paused, now
		if !paused {
			rec.ProcessingSince = now
		}
		if err := c.saveConnection(ctx, rec, false); err != nil {
			return err
		}
	}
	if actor == "" {
		actor = "partner"
	}
	// The engine's program flag is what skips deliveries and refuses redemptions; it is set
	// even when the record already agreed, to repair a crash between the two writes.
	return c.eng.SetPaused(ctx, rec.ProgramID, paused, actor)
}

// DisconnectResult says what Disconnect did.
type DisconnectResult struct {
	// WebhookDeleted is set when the webhook was deleted from the store.
	WebhookDeleted bool
	// Warning explains what could not be done in the store (delete the webhook by hand).
	Warning string
	// Reminder is the step only the partner can do: revoke the API key in WordPress admin.
	Reminder string
}

// RevokeReminder is the last step of disconnecting, which only the partner can do.
const RevokeReminder = "Revoke the API key in WordPress admin under WooCommerce → Settings → Advanced → REST API; the platform cannot revoke it for you."

// Disconnect deletes the webhook from the store, deletes the stored API keys and webhook secret,
// and stops everything: deliveries are refused and no coupon can be created. Members keep every
// point. Connecting the same store again later resumes this connection. When the store cannot be
// reached the keys are deleted anyway and the result's Warning says to delete the webhook by
// hand.
func (c *Connector) Disconnect(ctx context.Context, connectionID, actor string) (DisconnectResult, error) {
	c.connectMu.Lock()
	defer c.connectMu.Unlock()
	res := DisconnectResult{Reminder: RevokeReminder}
	rec, err := c.conns.Connection(ctx, connectionID)
	if err != nil {
		return res, err
	}
	if rec.Disconnected {
		return res, nil
	}
	if actor == "" {
		actor = "partner"
	}
	webhook := "no webhook found in the store"
	if client, _, err := c.open(rec); err != nil {
		res.Warning = fmt.Sprintf("the stored keys could not be used (%v): delete the %q webhook in WordPress admin by hand", err, WebhookName)
	} else {
		var deleted []string
		for _, id := range c.webhookIDs(ctx, client, rec) {
			_, _, err := client.Webhooks.Delete(ctx, id)
			if err != nil && !errors.Is(err, woocommerce.ErrNotFound) {
				res.Warning = fmt.Sprintf("webhook %d could not be deleted (%v): delete the %q webhook in WordPress admin by hand", id, err, WebhookName)
				continue
			}
			deleted = append(deleted, strconv.FormatInt(id, 10))
		}
		if len(deleted) > 0 {
			res.WebhookDeleted = res.Warning == ""
			webhook = "webhook " + strings.Join(deleted, ", ") + " deleted"
		}
		if res.Warning != "" {
			webhook = "webhook not deleted"
		}
	}
	rec.Credentials, rec.WebhookID, rec.ManualReason = nil, 0, ""
	rec.Disconnected, rec.UpdatedAt = true, c.now()
	if err := c.saveConnection(ctx, rec, false); err != nil {
		return res, err
	}
	c.forget(rec.ID)
	// A disconnected program refuses redemptions up front instead of reserving points for a
	// coupon no store can take.
	if err := c.eng.SetPaused(ctx, rec.ProgramID, true, actor); err != nil {
		return res, err
	}
	err = c.eng.RecordActivity(ctx, loyalty.ActivityEntry{ProgramID: rec.ProgramID, Kind: loyalty.ActivityDisconnected,
		Actor: actor, Store: rec.StoreURL,
		Message: fmt.Sprintf("disconnected %s: %s, stored API keys deleted; members keep their points", rec.StoreURL, webhook)})
	c.log.InfoContext(ctx, "wooconnect: disconnected", "connection", rec.ID, "program", rec.ProgramID, "store", rec.StoreURL,
		"webhook_deleted", res.WebhookDeleted)
	return res, err
}
