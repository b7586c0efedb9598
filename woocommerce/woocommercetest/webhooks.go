package woocommercetest

import (
	"crypto/rand"
	"math/big"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

type webhook struct {
	id                int64
	name              string
	status            string
	topic             string
	deliveryURL       string
	secret            string
	created, modified time.Time
	failureCount      int
	pendingDelivery   bool
}

func (w *webhook) sortKey() sortKey {
	return sortKey{id: w.id, created: w.created, modified: w.modified, title: w.name}
}

func webhookFields() []field {
	return []field{str("name"), enum("status", "active", "paused", "disabled"), str("topic"), str("delivery_url"), str("secret")}
}

func (s *Server) webhookHandlers() handlers {
	return handlers{
		listSpec: listSpec{
			orderby: []string{"date", "id", "title"}, defOrderby: "date",
			extra: []field{enum("status", "all", "active", "paused", "disabled")},
		},
		fields: webhookFields(),
		list:   s.listWebhooks, create: s.createWebhook, get: s.getWebhook, update: s.updateWebhook, del: s.deleteWebhook,
	}
}

// validTopic is wc_is_webhook_valid_topic.
func validTopic(topic string) bool {
	if strings.HasPrefix(topic, "action.") {
		a := strings.TrimPrefix(topic, "action.")
		switch a {
		case "woocommerce_login_credentials", "woocommerce_product_csv_importer_check_import_file_path", "woocommerce_webhook_should_deliver":
			return false
		}
		return strings.HasPrefix(a, "woocommerce_") || strings.HasPrefix(a, "wc_")
	}
	resource, event, ok := strings.Cut(topic, ".")
	if !ok {
		return false
	}
	switch resource {
	case "coupon", "customer", "order", "product":
	default:
		return false
	}
	switch event {
	case "created", "updated", "deleted", "restored":
		return true
	}
	return false
}

// topicHooks is what WC_Webhook::get_hooks reports for a topic.
func topicHooks(topic string) []string {
	resource, event, _ := strings.Cut(topic, ".")
	if resource == "action" {
		return []string{event}
	}
	switch event {
	case "deleted":
		if resource == "customer" {
			return []string{"delete_user"}
		}
		return []string{"wp_trash_post"}
	case "restored":
		return []string{"untrashed_post"}
	}
	switch topic {
	case "coupon.created":
		return []string{"woocommerce_process_shop_coupon_meta", "woocommerce_new_coupon"}
	case "coupon.updated":
		return []string{"woocommerce_process_shop_coupon_meta", "woocommerce_update_coupon"}
	case "customer.created":
		return []string{"user_register", "woocommerce_created_customer", "woocommerce_new_customer"}
	case "customer.updated":
		return []string{"profile_update", "woocommerce_update_customer"}
	case "order.created":
		return []string{"woocommerce_new_order"}
	case "order.updated":
		return []string{"woocommerce_update_order", "woocommerce_order_refunded"}
	case "product.created":
		return []string{"woocommerce_process_product_meta", "woocommerce_new_product", "woocommerce_new_product_variation"}
	case "product.updated":
		return []string{"woocommerce_process_product_meta", "woocommerce_update_product", "woocommerce_update_product_variation"}
	}
	return []string{}
}

// validDeliveryURL is wc_is_valid_url: http or https with a host.
func validDeliveryURL(u string) bool {
	p, err := url.Parse(u)
	return err == nil && (p.Scheme == "http" || p.Scheme == "https") && p.Host != ""
}

// wpGeneratePassword is wp_generate_password(50, true, true), the default secret.
func wpGeneratePassword(n int) string {
	const chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_ []{}<>~`+=,.;:/?|"
	b := make([]byte, n)
	for i := range b {
		k, _ := rand.Int(rand.Reader, big.NewInt(int64(len(chars))))
		b[i] = chars[k.Int64()]
	}
	return string(b)
}

type webhookInput struct {
	Name        *string `json:"name"`
	Status      *string `json:"status"`
	Topic       *string `json:"topic"`
	DeliveryURL *string `json:"delivery_url"`
	Secret      *string `json:"secret"`
}

func (s *Server) applyWebhook(w *webhook, in *webhookInput, creating bool) *wpError {
	if in.Topic != nil || creating {
		topic := ""
		if in.Topic != nil {
			topic = strings.ToLower(*in.Topic)
		}
		if topic == "" || !validTopic(topic) {
			return newError(400, "woocommerce_rest_shop_webhook_invalid_topic", "Webhook topic is required and must be valid.")
		}
		w.topic = topic
	}
	if in.DeliveryURL != nil || creating {
		u := ""
		if in.DeliveryURL != nil {
			u = *in.DeliveryURL
		}
		if u == "" || !validDeliveryURL(u) {
			return newError(400, "woocommerce_rest_shop_webhook_invalid_delivery_url",
				"Webhook delivery URL must be a valid URL starting with http:// or https://.")
		}
		w.deliveryURL = u
	}
	if in.Name != nil {
		w.name = *in.Name
	}
	if in.Status != nil {
		w.status = *in.Status
	}
	if in.Secret != nil {
		w.secret = *in.Secret
	}
	if !creating {
		w.modified = s.now()
	}
	s.st.webhooks[w.id] = w
	return nil
}

func (s *Server) listWebhooks(c *call) (int, any, *wpError) {
	q := c.list
	status := "all"
	if q.has("status") {
		status = q.str("status")
	}
	var items []*webhook
	for _, w := range sortedValues(s.st.webhooks) {
		if status != "all" && w.status != status {
			continue
		}
		if q.search != "" && !containsFold(w.name, q.search) {
			continue
		}
		if !q.keep(w.sortKey()) {
			continue
		}
		items = append(items, w)
	}
	sortItems(q, items, (*webhook).sortKey)
	out := []any{}
	for _, w := range page(c, items) {
		out = append(out, s.renderWebhook(c.tls, w))
	}
	return http.StatusOK, out, nil
}

func (s *Server) getWebhook(c *call) (int, any, *wpError) {
	w := s.st.webhooks[c.idArg()]
	if w == nil {
		return 0, nil, errInvalidID("shop_webhook", 404)
	}
	return http.StatusOK, s.renderWebhook(c.tls, w), nil
}

func (s *Server) createWebhook(c *call) (int, any, *wpError) {
	if c.rawID() {
		return 0, nil, errExists("shop_webhook")
	}
	var in webhookInput
	_ = decodeInto(c.in, &in)
	now := s.now()
	// A new webhook has never been modified: WooCommerce answers date_modified null.
	w := &webhook{id: s.st.nextWebhook, status: "active", created: now, pendingDelivery: true,
		name: "Webhook created on " + now.In(s.cfg.loc).Format("Jan 02, 2006 @ 03:04 PM"), secret: wpGeneratePassword(50)}
	if err := s.applyWebhook(w, &in, true); err != nil {
		return 0, nil, err
	}
	s.st.newWebhook()
	if s.cfg.pingOnCreate {
		id, u := w.id, w.deliveryURL
		c.later(func() { s.ping(s.hooks.ctx, id, u) })
	}
	return c.created("webhooks/"+strconv.FormatInt(w.id, 10), s.renderWebhook(c.tls, w))
}

func (s *Server) updateWebhook(c *call) (int, any, *wpError) {
	w := s.st.webhooks[c.idArg()]
	if w == nil {
		return 0, nil, errInvalidID("shop_webhook", 400)
	}
	var in webhookInput
	_ = decodeInto(c.in, &in)
	cp := *w
	if err := s.applyWebhook(&cp, &in, false); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, s.renderWebhook(c.tls, &cp), nil
}

func (s *Server) deleteWebhook(c *call) (int, any, *wpError) {
	w := s.st.webhooks[c.idArg()]
	if w == nil {
		return 0, nil, errInvalidID("shop_webhook", 404)
	}
	if !c.force {
		return 0, nil, newError(501, "woocommerce_rest_trash_not_supported", "Webhooks do not support trashing.")
	}
	body := s.renderWebhook(c.tls, w)
	delete(s.st.webhooks, w.id)
	return http.StatusOK, body, nil
}

type webhookJSON struct {
	ID              int64    `json:"id"`
	Name            string   `json:"name"`
	Status          string   `json:"status"`
	Topic           string   `json:"topic"`
	Resource        string   `json:"resource"`
	Event           string   `json:"event"`
	Hooks           []string `json:"hooks"`
	DeliveryURL     string   `json:"delivery_url"`
	DateCreated     *string  `json:"date_created"`
	DateCreatedGMT  *string  `json:"date_created_gmt"`
	DateModified    *string  `json:"date_modified"`
	DateModifiedGMT *string  `json:"date_modified_gmt"`
	Links           links    `json:"_links"`
}

// renderWebhook never includes the secret: it is write-only.
func (s *Server) renderWebhook(tls bool, w *webhook) webhookJSON {
	resource, event, _ := strings.Cut(w.topic, ".")
	id := strconv.FormatInt(w.id, 10)
	return webhookJSON{ID: w.id, Name: w.name, Status: w.status, Topic: w.topic, Resource: resource, Event: event,
		Hooks: topicHooks(w.topic), DeliveryURL: w.deliveryURL, DateCreated: s.localDate(w.created),
		DateCreatedGMT: gmtDate(w.created), DateModified: s.localDate(w.modified), DateModifiedGMT: gmtDate(w.modified),
		Links: s.links(tls, "webhooks/"+id, "webhooks")}
}
