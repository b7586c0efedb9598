package woocommerce

import (
	"context"
	"iter"
	"net/http"
	"strconv"
)

// WebhookStatus is a webhook subscription's status. Only active webhooks deliver; WooCommerce
// sets disabled by itself after repeated delivery failures.
type WebhookStatus string

// Webhook statuses.
const (
	WebhookActive   WebhookStatus = "active"
	WebhookPaused   WebhookStatus = "paused"
	WebhookDisabled WebhookStatus = "disabled"
)

// Webhook is a webhook subscription (GET /webhooks/{id}). Its secret is write-only and never
// returned.
type Webhook struct {
	ID              int64         `json:"id"`
	Name            string        `json:"name"`
	Status          WebhookStatus `json:"status"`
	Topic           string        `json:"topic"`    // e.g. "order.updated"
	Resource        string        `json:"resource"` // e.g. "order"
	Event           string        `json:"event"`    // e.g. "updated"
	Hooks           []string      `json:"hooks"`
	DeliveryURL     string        `json:"delivery_url"`
	DateCreated     LocalTime     `json:"date_created"`
	DateCreatedGMT  UTCTime       `json:"date_created_gmt"`
	DateModified    LocalTime     `json:"date_modified"`
	DateModifiedGMT UTCTime       `json:"date_modified_gmt"`
}

// WebhookRequest creates or updates a webhook subscription. Only the fields that are set are
// sent. Always set a Secret you keep: deliveries are signed with it, and WooCommerce never
// returns it.
type WebhookRequest struct {
	Name        *string        `json:"name,omitempty"`
	Status      *WebhookStatus `json:"status,omitempty"`
	Topic       *string        `json:"topic,omitempty"`
	DeliveryURL *string        `json:"delivery_url,omitempty"`
	Secret      *string        `json:"secret,omitempty"`
}

// WebhookListOptions filters GET /webhooks.
type WebhookListOptions struct {
	ListOptions
	DateFilter
	Search  string  `url:"search,omitempty"`
	Include []int64 `url:"include,omitempty,comma"`
	Exclude []int64 `url:"exclude,omitempty,comma"`
	// Status is all (default), active, paused or disabled.
	Status WebhookStatus `url:"status,omitempty"`
}

// WebhooksService manages webhook subscriptions. Create it through NewClient.
type WebhooksService service

func webhookPath(id int64) string { return "webhooks/" + strconv.FormatInt(id, 10) }

// List returns one page of webhooks.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-webhooks
func (s *WebhooksService) List(ctx context.Context, opts *WebhookListOptions) ([]Webhook, *Response, error) {
	return list[Webhook](ctx, s.client, "list webhooks", "webhooks", pagerOrNil(opts))
}

// All iterates over every webhook matching opts. opts is not modified.
// Pages are fetched by number (offset paging): use StableOrder when the collection may change
// during the walk (see "Walking a changing collection" in the package documentation).
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-webhooks
func (s *WebhooksService) All(ctx context.Context, opts *WebhookListOptions) iter.Seq2[Webhook, error] {
	return all[Webhook](ctx, s.client, "list webhooks", "webhooks", opts, func(x *Webhook) int64 { return x.ID })
}

// Get returns the webhook with this id.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#retrieve-a-webhook
func (s *WebhooksService) Get(ctx context.Context, id int64) (*Webhook, *Response, error) {
	return get[Webhook](ctx, s.client, "get webhook", webhookPath(id))
}

// Create subscribes a delivery URL to a topic. WooCommerce pings the URL once (an unsigned
// webhook_id=N form post, see DeliveryPing). Not retried after a network error or a 5xx, as a lost
// response could create two subscriptions, each delivering every event.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#create-a-webhook
func (s *WebhooksService) Create(ctx context.Context, req *WebhookRequest) (*Webhook, *Response, error) {
	return write[Webhook](ctx, s.client, "create webhook", call{method: http.MethodPost, path: "webhooks", body: req})
}

// Update changes the fields set in req. Repeating it has the same effect, so it is retried.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#update-a-webhook
func (s *WebhooksService) Update(ctx context.Context, id int64, req *WebhookRequest) (*Webhook, *Response, error) {
	return write[Webhook](ctx, s.client, "update webhook", call{method: http.MethodPut, path: webhookPath(id), body: req, retrySafe: true})
}

// Delete deletes the webhook permanently (webhooks cannot be trashed, so force=true is sent).
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#delete-a-webhook
func (s *WebhooksService) Delete(ctx context.Context, id int64) (*Webhook, *Response, error) {
	return del[Webhook](ctx, s.client, "delete webhook", webhookPath(id), true)
}

// Batch creates, updates and deletes webhooks, in requests of at most 100 items.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#batch-update-webhooks
func (s *WebhooksService) Batch(ctx context.Context, b *Batch[WebhookRequest]) (*BatchResult[Webhook], error) {
	return runBatch[Webhook](ctx, s.client, "batch webhooks", "webhooks/batch", b)
}
