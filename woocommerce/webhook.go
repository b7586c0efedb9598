package woocommerce

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// Headers WooCommerce sets on every webhook delivery.
const (
	HeaderWebhookSource     = "X-WC-Webhook-Source"
	HeaderWebhookTopic      = "X-WC-Webhook-Topic"
	HeaderWebhookResource   = "X-WC-Webhook-Resource"
	HeaderWebhookEvent      = "X-WC-Webhook-Event"
	HeaderWebhookSignature  = "X-WC-Webhook-Signature"
	HeaderWebhookID         = "X-WC-Webhook-ID"
	HeaderWebhookDeliveryID = "X-WC-Webhook-Delivery-ID"
)

// Webhook verification errors. ParseDelivery and the handler wrap them.
var (
	// ErrMissingSignature: the request carries no X-WC-Webhook-Signature (and is not a ping).
	ErrMissingSignature = errors.New("woocommerce: webhook signature missing")
	// ErrInvalidSignature: the signature does not match the body and secret.
	ErrInvalidSignature = errors.New("woocommerce: webhook signature invalid")
	// ErrNoSecret: verification was asked for with an empty secret. An empty secret would make
	// every forged delivery "valid", so it is always refused.
	ErrNoSecret = errors.New("woocommerce: webhook secret must not be empty")
	// ErrInvalidDelivery: a correctly signed delivery whose headers or payload cannot be read.
	ErrInvalidDelivery = errors.New("woocommerce: invalid webhook delivery")
)

// Signature returns the X-WC-Webhook-Signature WooCommerce computes for body: the base64 HMAC-SHA256
// of the raw body keyed with the secret. Useful to test your own handlers.
func Signature(body []byte, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// VerifySignature checks a delivery's X-WC-Webhook-Signature against the raw request body, in
// constant time. secret is the webhook's secret as entered in WooCommerce; WooCommerce signs with
// the secret after decoding HTML entities (wp_specialchars_decode), so a secret copied from the
// database with "&amp;" in it is accepted too. An empty secret is refused with ErrNoSecret.
func VerifySignature(body []byte, signature, secret string) error {
	if secret == "" {
		return ErrNoSecret
	}
	signature = strings.TrimSpace(signature)
	if signature == "" {
		return ErrMissingSignature
	}
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil || len(got) != sha256.Size {
		return ErrInvalidSignature
	}
	if checkMAC(body, got, secret) {
		return nil
	}
	if decoded := decodeHTMLSpecialChars(secret); decoded != secret && checkMAC(body, got, decoded) {
		return nil
	}
	return ErrInvalidSignature
}

func checkMAC(body, got []byte, secret string) bool {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(mac.Sum(nil), got)
}

// decodeHTMLSpecialChars is wp_specialchars_decode with ENT_QUOTES for the five entities it handles.
func decodeHTMLSpecialChars(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#039;", "'", "&#39;", "'", "&#x27;", "'").Replace(s)
}

// DeliveryKind tells what a webhook request carries.
type DeliveryKind int

// Delivery kinds.
const (
	// DeliveryPing is the unsigned "webhook_id=N" form post WooCommerce sends once when a webhook is
	// created through the REST API. It has no X-WC-* headers and no signature, so anyone can send
	// one: never act on it beyond answering 200.
	DeliveryPing DeliveryKind = iota + 1
	// DeliveryResource is a created, updated or restored resource; the payload is the full object.
	DeliveryResource
	// DeliveryDeleted is a deleted resource; the payload is only {"id": N}.
	DeliveryDeleted
	// DeliveryAction is an action.* topic; the payload is {"action": ..., "arg": ...}.
	DeliveryAction
)

// String returns "ping", "resource", "deleted" or "action".
func (k DeliveryKind) String() string {
	switch k {
	case DeliveryPing:
		return "ping"
	case DeliveryResource:
		return "resource"
	case DeliveryDeleted:
		return "deleted"
	case DeliveryAction:
		return "action"
	}
	return "unknown"
}

// Delivery is one webhook request, verified and decoded.
//
// Deduplicate on what the payload says, never on DeliveryID: WooCommerce derives it from the
// webhook id and the time of delivery, so the same change delivered twice has two ids. Use, for
// example, (Topic, ResourceID, the resource's date_modified_gmt), and remember that WooCommerce
// coalesces queued deliveries and sends the state at delivery time, not at the time of the event.
type Delivery struct {
	Kind DeliveryKind
	// Topic is "<resource>.<event>" (order.created, product.updated, action.woocommerce_...).
	Topic      string
	Resource   string // order, product, coupon, customer, action
	Event      string // created, updated, deleted, restored, or the action name
	WebhookID  int64
	DeliveryID string // changes on every delivery; see the type's documentation
	// Source is the site's home URL as WooCommerce sends it (X-WC-Webhook-Source).
	Source string
	// ResourceID is the id of the object the delivery is about (0 for pings and actions).
	ResourceID int64
	// Payload is the raw body as signed.
	Payload []byte

	// Exactly one of these is set for a DeliveryResource, according to Resource; all are nil for
	// resources this package does not model (Payload has the data).
	Order    *Order
	Product  *Product // variations arrive as products of type "variation"
	Coupon   *Coupon
	Customer *Customer
	// Action is set for a DeliveryAction.
	Action *ActionPayload
}

// ActionPayload is the body of an action.* delivery: the action hook's name and its first argument.
type ActionPayload struct {
	Action string          `json:"action"`
	Arg    json.RawMessage `json:"arg"`
}

// IsPing reports whether the request is WooCommerce's creation ping: no X-WC-Webhook-* signature or
// topic, and a form body of exactly webhook_id=<positive integer>. It returns the webhook id.
func IsPing(header http.Header, body []byte) (int64, bool) {
	if header.Get(HeaderWebhookSignature) != "" || header.Get(HeaderWebhookTopic) != "" {
		return 0, false
	}
	if len(body) > 64 {
		return 0, false
	}
	v, err := url.ParseQuery(strings.TrimSpace(string(body)))
	if err != nil || len(v) != 1 || len(v["webhook_id"]) != 1 {
		return 0, false
	}
	id, err := strconv.ParseInt(v.Get("webhook_id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, false
	}
	return id, true
}

// ParseDelivery verifies a webhook request (its headers and raw body) with the webhook's secret and
// decodes it. The creation ping is recognised and returned as a DeliveryPing without verification
// (it carries no signature). Anything else without a valid signature fails with ErrMissingSignature
// or ErrInvalidSignature; a signed request that cannot be decoded fails with ErrInvalidDelivery.
func ParseDelivery(header http.Header, body []byte, secret string) (*Delivery, error) {
	if secret == "" {
		return nil, ErrNoSecret
	}
	if id, ok := IsPing(header, body); ok {
		return &Delivery{Kind: DeliveryPing, WebhookID: id, Payload: body}, nil
	}
	if err := VerifySignature(body, header.Get(HeaderWebhookSignature), secret); err != nil {
		return nil, err
	}
	return decodeDelivery(header, body)
}

// decodeDelivery decodes a delivery whose signature has been checked.
func decodeDelivery(header http.Header, body []byte) (*Delivery, error) {
	d := &Delivery{
		Topic:      strings.TrimSpace(header.Get(HeaderWebhookTopic)),
		Resource:   strings.TrimSpace(header.Get(HeaderWebhookResource)),
		Event:      strings.TrimSpace(header.Get(HeaderWebhookEvent)),
		DeliveryID: strings.TrimSpace(header.Get(HeaderWebhookDeliveryID)),
		Source:     strings.TrimSpace(header.Get(HeaderWebhookSource)),
		Payload:    body,
	}
	if v := strings.TrimSpace(header.Get(HeaderWebhookID)); v != "" {
		id, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return nil, fmt.Errorf("%w: %s %q", ErrInvalidDelivery, HeaderWebhookID, v)
		}
		d.WebhookID = id
	}
	// The topic header is authoritative; resource and event are derived from it when missing.
	if res, ev, ok := strings.Cut(d.Topic, "."); ok {
		if d.Resource == "" {
			d.Resource = res
		}
		if d.Event == "" {
			d.Event = ev
		}
	}
	if d.Resource == "" || d.Event == "" {
		return nil, fmt.Errorf("%w: no topic", ErrInvalidDelivery)
	}
	payload := bytes.TrimSpace(body)
	if len(payload) == 0 || payload[0] != '{' {
		return nil, fmt.Errorf("%w: payload is not a JSON object", ErrInvalidDelivery)
	}
	var err error
	switch {
	case d.Resource == "action":
		d.Kind = DeliveryAction
		d.Action = new(ActionPayload)
		err = json.Unmarshal(payload, d.Action)
	case d.Event == "deleted":
		d.Kind = DeliveryDeleted
		var p struct {
			ID FlexInt `json:"id"`
		}
		err = json.Unmarshal(payload, &p)
		d.ResourceID = int64(p.ID)
	default:
		d.Kind = DeliveryResource
		err = d.decodeResource(payload)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %s payload: %w", ErrInvalidDelivery, d.Topic, err)
	}
	return d, nil
}

func (d *Delivery) decodeResource(payload []byte) error {
	var err error
	switch d.Resource {
	case "order":
		d.Order = new(Order)
		err = unmarshalJSON(payload, d.Order)
		d.ResourceID = d.Order.ID
	case "product":
		d.Product = new(Product)
		err = unmarshalJSON(payload, d.Product)
		d.ResourceID = d.Product.ID
	case "coupon":
		d.Coupon = new(Coupon)
		err = unmarshalJSON(payload, d.Coupon)
		d.ResourceID = d.Coupon.ID
	case "customer":
		d.Customer = new(Customer)
		err = unmarshalJSON(payload, d.Customer)
		d.ResourceID = d.Customer.ID
	default:
		var p struct {
			ID FlexInt `json:"id"`
		}
		err = json.Unmarshal(payload, &p)
		d.ResourceID = int64(p.ID)
	}
	return err
}
