package wooconnect

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// ConnectRequest asks to connect a WooCommerce store to a loyalty program.
type ConnectRequest struct {
	// ProgramID is the loyalty card orders earn points on. It must exist.
	ProgramID string
	// StoreURL is the store's address, e.g. "https://your-store.com" (https:// is added when
	// no scheme is given).
	StoreURL string
	// ConsumerKey and ConsumerSecret are a WooCommerce REST API key. Read/Write lets the
	// connector register the webhook and create coupons; a read-only key connects with manual
	// webhook set-up instructions (and cannot create coupons).
	ConsumerKey, ConsumerSecret string
	// Actor is recorded in the activity log (default "partner").
	Actor string
}

// Connection is a connection as the partner sees it.
type Connection struct {
	ID        string
	ProgramID string
	StoreURL  string
	State     ConnectionState
	// DeliveryURL is where WooCommerce delivers the webhook.
	DeliveryURL string
	// WebhookID is the id of the webhook registered automatically (0 when Manual is set).
	WebhookID int64
	// Manual holds the manual set-up instructions when the webhook could not be registered
	// automatically; nil otherwise.
	Manual *ManualSetup
	// ConnectedAt, ProcessingSince and LastDeliveryAt: see ConnectionRecord.
	ConnectedAt, ProcessingSince, LastDeliveryAt time.Time
}

// ManualSetup tells the partner how to create the webhook by hand in WordPress admin. It holds
// the webhook secret: show it to the partner, never log it (its LogValue redacts it).
type ManualSetup struct {
	// Reason says why the webhook was not registered automatically.
	Reason string
	// Name, Topic and TopicLabel are what to enter: "Reward Loyalty", "order.updated", shown
	// in WordPress as "Order updated".
	Name, Topic, TopicLabel string
	// DeliveryURL and Secret are the values to paste.
	DeliveryURL, Secret string
	// Steps are the instructions, in order.
	Steps []string
}

// LogValue keeps the secret out of logs.
func (m ManualSetup) LogValue() slog.Value {
	return slog.GroupValue(slog.String("reason", m.Reason), slog.String("delivery_url", m.DeliveryURL),
		slog.String("secret", "[redacted]"))
}

func (c *Connector) manualSetup(rec ConnectionRecord, secret string) *ManualSetup {
	if rec.Disconnected || rec.ManualReason == "" {
		return nil
	}
	u := c.DeliveryURL(rec.ID)
	return &ManualSetup{
		Reason: rec.ManualReason, Name: WebhookName, Topic: WebhookTopic, TopicLabel: "Order updated",
		DeliveryURL: u, Secret: secret,
		Steps: []string{
			"In WordPress admin, go to WooCommerce → Settings → Advanced → Webhooks and click Add webhook",
			`Name it "` + WebhookName + `" and set the status to Active`,
			"Select the topic Order updated",
			"Paste the delivery URL " + u + " and the secret shown here, then save",
			"Do not create extra webhooks for other topics: order updates cover orders and refunds",
		},
	}
}

func (c *Connector) view(rec ConnectionRecord, secret string) Connection {
	return Connection{ID: rec.ID, ProgramID: rec.ProgramID, StoreURL: rec.StoreURL, State: rec.State(),
		DeliveryURL: c.DeliveryURL(rec.ID), WebhookID: rec.WebhookID, Manual: c.manualSetup(rec, secret),
		ConnectedAt: rec.ConnectedAt, ProcessingSince: rec.ProcessingSince, LastDeliveryAt: rec.LastDeliveryAt}
}

// Connection returns a connection.
func (c *Connector) Connection(ctx context.Context, id string) (Connection, error) {
	rec, err := c.conns.Connection(ctx, id)
	if err != nil {
		return Connection{}, err
	}
	return c.view(rec, c.webhookSecret(rec)), nil
}

// Connections lists the connections of a program ("" for all).
func (c *Connector) Connections(ctx context.Context, programID string) ([]Connection, error) {
	recs, err := c.conns.Connections(ctx, programID)
	if err != nil {
		return nil, err
	}
	out := make([]Connection, len(recs))
	for i, r := range recs {
		out[i] = c.view(r, c.webhookSecret(r))
	}
	return out, nil
}

// webhookSecret returns the connection's webhook secret, "" when it has none or it does not
// decrypt.
func (c *Connector) webhookSecret(rec ConnectionRecord) string {
	if rec.Disconnected || len(rec.Credentials) == 0 {
		return ""
	}
	cr, err := c.seal.open(&rec)
	if err != nil {
		return ""
	}
	return cr.WebhookSecret
}

// Connect verifies the credentials against the store, stores them encrypted and registers one
// order.updated webhook with a generated secret. A read-only key still connects: the result's
// Manual holds the instructions to create the webhook by hand.
//
// There is one connection per program and store URL: connecting the same store again (new
// keys, after a disconnect) resumes that connection, keeps its id and delivery URL, and updates
// its webhook rather than creating a second one. A program is linked to at most one store at a
// time (ErrProgramLinked). Connect leaves a paused connection paused.
func (c *Connector) Connect(ctx context.Context, req ConnectRequest) (Connection, error) {
	storeURL, cr, err := c.checkRequest(req)
	if err != nil {
		return Connection{}, err
	}
	actor := cmp.Or(req.Actor, "partner")
	prog, err := c.eng.Program(ctx, req.ProgramID)
	if err != nil {
		return Connection{}, fmt.Errorf("wooconnect: connect: %w", err)
	}

	c.connectMu.Lock()
	defer c.connectMu.Unlock()
	rec, exists, err := c.findConnection(ctx, prog.ID, storeURL)
	if err != nil {
		return Connection{}, err
	}
	client, latest, err := c.verifyKey(ctx, storeURL, cr)
	if err != nil {
		return Connection{}, err
	}
	if rec, cr, err = c.prepareRecord(rec, exists, prog.ID, storeURL, cr); err != nil {
		return Connection{}, err
	}
	if rec, err = c.saveAndRegister(ctx, rec, exists, client, cr.WebhookSecret); err != nil {
		return Connection{}, err
	}
	if err := c.eng.SetPaused(ctx, prog.ID, rec.Paused, actor); err != nil {
		return Connection{}, err
	}
	if err := c.recordConnected(ctx, prog, rec, exists, latest, actor); err != nil {
		return Connection{}, err
	}
	return c.view(rec, cr.WebhookSecret), nil
}

// checkRequest normalises the store URL and the key of a ConnectRequest.
func (c *Connector) checkRequest(req ConnectRequest) (string, credentials, error) {
	storeURL, err := NormalizeStoreURL(req.StoreURL)
	if err != nil {
		return "", credentials{}, err
	}
	if strings.HasPrefix(storeURL, "http://") && !c.allowHTTP {
		return "", credentials{}, fmt.Errorf("%w: %s (the WooCommerce REST API accepts key authentication only over HTTPS)", ErrHTTPSRequired, storeURL)
	}
	cr := credentials{ConsumerKey: strings.TrimSpace(req.ConsumerKey), ConsumerSecret: strings.TrimSpace(req.ConsumerSecret)}
	if cr.ConsumerKey == "" || cr.ConsumerSecret == "" {
		return "", credentials{}, ErrMissingCredentials
	}
	return storeURL, cr, nil
}

// findConnection returns the program's connection to storeURL when there is one, and refuses
// a program linked to another store.
func (c *Connector) findConnection(ctx context.Context, programID, storeURL string) (ConnectionRecord, bool, error) {
	others, err := c.conns.Connections(ctx, programID)
	if err != nil {
		return ConnectionRecord{}, false, err
	}
	var (
		rec    ConnectionRecord
		exists bool
	)
	for _, o := range others {
		switch {
		case o.StoreURL == storeURL:
			rec, exists = o, true
		case !o.Disconnected:
			return ConnectionRecord{}, false, fmt.Errorf("%w: program %q is connected to %s", ErrProgramLinked, programID, o.StoreURL)
		}
	}
	return rec, exists, nil
}

// verifyKey checks the key with a cheap read, which also returns the latest order (for the
// currency check).
func (c *Connector) verifyKey(ctx context.Context, storeURL string, cr credentials) (*woocommerce.Client, []woocommerce.Order, error) {
	client, err := c.newClient(storeURL, cr)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrCannotConnect, err)
	}
	latest, _, err := client.Orders.List(ctx, &woocommerce.OrderListOptions{ListOptions: woocommerce.ListOptions{PerPage: 1}})
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %w", ErrCannotConnect, err)
	}
	return client, latest, nil
}

// prepareRecord fills the record to save: a new id for a new connection, the webhook secret
// (kept from a connected record, which a hand-made webhook may use; new otherwise), the times of
// a (re)connection and the sealed credentials.
func (c *Connector) prepareRecord(rec ConnectionRecord, exists bool, programID, storeURL string, cr credentials) (ConnectionRecord, credentials, error) {
	now := c.now()
	if exists && !rec.Disconnected {
		if old, err := c.seal.open(&rec); err == nil {
			cr.WebhookSecret = old.WebhookSecret
		}
	}
	if cr.WebhookSecret == "" {
		secret, err := c.newWebhookSecret()
		if err != nil {
			return rec, cr, err
		}
		cr.WebhookSecret = secret
	}
	if !exists {
		id, err := c.newConnectionID()
		if err != nil {
			return rec, cr, err
		}
		rec = ConnectionRecord{ID: id, ProgramID: programID, StoreURL: storeURL}
	}
	if !exists || rec.Disconnected {
		rec.Disconnected = false
		rec.ConnectedAt, rec.ProcessingSince = now, now
	}
	sealed, err := c.seal.seal(&rec, cr)
	if err != nil {
		return rec, cr, err
	}
	rec.Credentials, rec.UpdatedAt = sealed, now
	return rec, cr, nil
}

// saveAndRegister saves the keys and the secret, then makes sure the webhook exists and saves
// its id. The record is saved first because WooCommerce pings the delivery URL while creating
// the webhook, and deliveries may follow at once.
func (c *Connector) saveAndRegister(ctx context.Context, rec ConnectionRecord, exists bool, client *woocommerce.Client, secret string) (ConnectionRecord, error) {
	var err error
	if !exists {
		rec.ManualReason = "the webhook is being registered"
	}
	err = c.saveConnection(ctx, rec, !exists)
	if err != nil {
		return rec, err
	}
	rec.WebhookID, rec.ManualReason = c.ensureWebhook(ctx, client, rec, secret)
	if err := c.saveConnection(ctx, rec, false); err != nil {
		return rec, err
	}
	c.forget(rec.ID)
	c.forgetWebhookState(rec.ID)
	return rec, nil
}

// recordConnected writes the activity entry and the log line of a (re)connection, with a
// warning when the store's latest order is in another currency than the card.
func (c *Connector) recordConnected(ctx context.Context, prog loyalty.Program, rec ConnectionRecord, exists bool, latest []woocommerce.Order, actor string) error {
	verb := "connected"
	if exists {
		verb = "reconnected"
	}
	msg := fmt.Sprintf("%s %s: webhook %d registered automatically", verb, rec.StoreURL, rec.WebhookID)
	if rec.WebhookID == 0 {
		msg = fmt.Sprintf("%s %s: manual webhook set-up required (%s)", verb, rec.StoreURL, rec.ManualReason)
	}
	if len(latest) > 0 && !strings.EqualFold(latest[0].Currency, prog.Currency) {
		msg += fmt.Sprintf("; warning: the store's latest order is in %s but the card is in %s, and orders in another currency earn nothing",
			latest[0].Currency, prog.Currency)
		c.log.WarnContext(ctx, "wooconnect: store and card currencies differ", "store_currency", latest[0].Currency,
			"card_currency", prog.Currency, "connection", rec.ID)
	}
	if err := c.eng.RecordActivity(ctx, loyalty.ActivityEntry{ProgramID: prog.ID, Kind: loyalty.ActivityConnected,
		Actor: actor, Store: rec.StoreURL, Message: msg}); err != nil {
		return err
	}
	c.log.InfoContext(ctx, "wooconnect: "+verb, "connection", rec.ID, "program", prog.ID, "store", rec.StoreURL,
		"webhook_id", rec.WebhookID, "manual", rec.WebhookID == 0)
	return nil
}

// ensureWebhook makes sure exactly one order.updated webhook with our delivery URL and secret
// exists in the store. It updates the known webhook or one found by delivery URL (a create whose
// response was lost, an earlier connection), deletes duplicates, and creates one only when none
// exists. It returns the webhook id, or 0 and the reason the partner must set it up by hand.
func (c *Connector) ensureWebhook(ctx context.Context, client *woocommerce.Client, rec ConnectionRecord, secret string) (int64, string) {
	deliveryURL := c.DeliveryURL(rec.ID)
	name, topic, active := WebhookName, WebhookTopic, woocommerce.WebhookActive
	req := &woocommerce.WebhookRequest{Name: &name, Topic: &topic, Status: &active, DeliveryURL: &deliveryURL, Secret: &secret}

	candidates := c.webhookIDs(ctx, client, rec)
	for len(candidates) > 0 {
		id := candidates[0]
		candidates = candidates[1:]
		wh, _, err := client.Webhooks.Update(ctx, id, req)
		switch {
		case err == nil:
			c.deleteWebhooks(ctx, client, rec, candidates)
			return wh.ID, ""
		case !errors.Is(err, woocommerce.ErrNotFound):
			return 0, manualReason(err)
		}
	}
	wh, _, err := client.Webhooks.Create(ctx, req)
	if err != nil {
		return 0, manualReason(err)
	}
	return wh.ID, ""
}

// webhookIDs returns the connection's known webhook id, then the ids of every other webhook in
// the store that delivers to its URL.
func (c *Connector) webhookIDs(ctx context.Context, client *woocommerce.Client, rec ConnectionRecord) []int64 {
	var ids []int64
	if rec.WebhookID != 0 {
		ids = append(ids, rec.WebhookID)
	}
	deliveryURL := c.DeliveryURL(rec.ID)
	for wh, err := range client.Webhooks.All(ctx, &woocommerce.WebhookListOptions{ListOptions: woocommerce.ListOptions{PerPage: 100}}) {
		if err != nil {
			c.log.WarnContext(ctx, "wooconnect: list webhooks", "connection", rec.ID, "err", err)
			break
		}
		if wh.DeliveryURL == deliveryURL && wh.ID != rec.WebhookID {
			ids = append(ids, wh.ID)
		}
	}
	return ids
}

func (c *Connector) deleteWebhooks(ctx context.Context, client *woocommerce.Client, rec ConnectionRecord, ids []int64) {
	for _, id := range ids {
		if _, _, err := client.Webhooks.Delete(ctx, id); err != nil && !errors.Is(err, woocommerce.ErrNotFound) {
			c.log.WarnContext(ctx, "wooconnect: delete duplicate webhook", "connection", rec.ID, "webhook_id", id, "err", err)
		}
	}
}

// manualReason explains a failed webhook registration to the partner.
func manualReason(err error) string {
	if errors.Is(err, woocommerce.ErrUnauthorized) || errors.Is(err, woocommerce.ErrForbidden) {
		return "the API key cannot create webhooks (it is read-only): create the webhook by hand, or reconnect with a Read/Write key"
	}
	return fmt.Sprintf("the webhook could not be registered automatically (%v): connect again to retry, or create it by hand", err)
}
