package wooconnect

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/internal/adapter"
	"github.com/loyalsync/loyalsync/loyalty/mail"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// Connector ties loyalty programs to WooCommerce stores. It owns a loyalty.Engine whose coupon
// issuer and mailer it is, keeps its connections in a ConnectionStore, serves the webhook
// endpoint (Handler) and answers the monitoring questions (Overview). It is safe for concurrent
// use; several Connectors (in several processes) may share one loyalty store and one
// ConnectionStore.
type Connector struct {
	eng      *loyalty.Engine
	conns    ConnectionStore
	seal     *sealer
	links    *LinkSigner
	log      *slog.Logger
	clock    loyalty.Clock
	random   io.Reader
	randMu   sync.Mutex
	sender   mail.Sender
	business mail.Business

	webhookURL     string
	redeemURL      string
	unsubscribeURL string
	allowHTTP      bool
	clientOpts     []woocommerce.Option
	maxBody        int64
	bodies         byteBudget  // bytes of delivery bodies being read
	warnings       warnLimiter // failed-delivery warnings per connection

	connectMu sync.Mutex // serialises Connect, Pause, Resume and Disconnect in this process

	clientsMu sync.Mutex
	clients   map[string]cachedClient

	records recordCache // connection records the webhook endpoint read recently

	checks webhookChecks // the webhook status read from each store, for the Overview
}

type cachedClient struct {
	sealed string // the sealed credentials the client was built from
	client *woocommerce.Client
	creds  credentials
}

type settings struct {
	adapter.Settings
	linkKey        []byte
	webhookURL     string
	redeemURL      string
	unsubscribeURL string
	business       mail.Business
	sender         mail.Sender
	allowHTTP      bool
	clientOpts     []woocommerce.Option
	engineOpts     []loyalty.Option
	maxBody        int64
	maxBodyMemory  int64
}

// Option configures a Connector.
type Option func(*settings) error

// WithEncryptionKey sets the 32-byte AES-256 key that encrypts the stored consumer keys,
// consumer secrets and webhook secrets. Required. Keep it outside the database, the same on
// every instance.
func WithEncryptionKey(key []byte) Option {
	return func(s *settings) error {
		return s.SetEncryptionKey("wooconnect", key, EncryptionKeySize)
	}
}

// WithWebhookURL sets the public address where Handler is reachable, e.g.
// "https://loyalty.example.com/woocommerce/webhooks". Each connection's delivery URL is this
// address followed by "/" and the connection id. Required.
func WithWebhookURL(u string) Option {
	return func(s *settings) error {
		p, err := url.Parse(strings.TrimSpace(u))
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.RawQuery != "" {
			return fmt.Errorf("wooconnect: WithWebhookURL: %q is not an absolute http(s) URL without query", u)
		}
		s.webhookURL = strings.TrimRight(p.String(), "/")
		return nil
	}
}

// WithLinkKey sets the key (at least 32 bytes) that signs the "Redeem my points" and opt-out
// links in emails. Default: a key derived from the encryption key.
func WithLinkKey(key []byte) Option {
	return func(s *settings) error {
		if len(key) < MinLinkKeySize {
			return fmt.Errorf("wooconnect: WithLinkKey: need at least %d bytes, got %d", MinLinkKeySize, len(key))
		}
		s.linkKey = append([]byte(nil), key...)
		return nil
	}
}

// WithMemberURLs sets the member-facing pages the email links open: redeem (the card page's
// redemption block, which signs the member in with the token) and unsubscribe. Each link is the
// URL with a "token" query parameter. Default: "/redeem" and "/unsubscribe" on the webhook
// URL's host.
func WithMemberURLs(redeem, unsubscribe string) Option {
	return func(s *settings) error {
		for _, u := range []string{redeem, unsubscribe} {
			if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
				return fmt.Errorf("wooconnect: WithMemberURLs: %q is not an absolute http(s) URL", u)
			}
		}
		s.redeemURL, s.unsubscribeURL = redeem, unsubscribe
		return nil
	}
}

// WithBusiness sets the sender identity of member emails (from Business Settings).
func WithBusiness(b mail.Business) Option {
	return func(s *settings) error {
		if err := b.Validate(); err != nil {
			return fmt.Errorf("wooconnect: WithBusiness: %w", err)
		}
		s.business = b
		return nil
	}
}

// WithSender sets how member emails are delivered (default: a [mail.LogSender] on the logger,
// which sends nothing and logs metadata only). Use [mail.SMTPSender] for real mail.
func WithSender(snd mail.Sender) Option {
	return func(s *settings) error {
		if snd == nil {
			return errors.New("wooconnect: WithSender: nil sender")
		}
		s.sender = snd
		return nil
	}
}

// WithLogger sets the logger of the connector and its engine (default: discard). Secrets are
// never logged.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		return s.SetLogger("wooconnect", l)
	}
}

// WithClock sets the clock of the connector and its engine (default: the system clock).
func WithClock(c loyalty.Clock) Option {
	return func(s *settings) error {
		return s.SetClock("wooconnect", c)
	}
}

// WithRandom sets the entropy source for connection ids, webhook secrets and nonces (default
// crypto/rand). Only examples and tests want anything else.
func WithRandom(r io.Reader) Option {
	return func(s *settings) error {
		return s.SetRandom("wooconnect", r)
	}
}

// WithInsecureHTTP allows http:// store URLs, authenticated with OAuth 1.0a as WooCommerce
// requires without TLS. For tests and local development only: real stores must use HTTPS.
func WithInsecureHTTP() Option {
	return func(s *settings) error { s.allowHTTP = true; return nil }
}

// WithClientOptions passes options to every woocommerce.Client the connector creates (an HTTP
// client, retries, a rate limit, query-string authentication...).
func WithClientOptions(opts ...woocommerce.Option) Option {
	return func(s *settings) error { s.clientOpts = append(s.clientOpts, opts...); return nil }
}

// WithEngineOptions passes options to the loyalty.Engine the connector creates (a receipt salt,
// retries...). The coupon issuer and the mailer are always the connector.
func WithEngineOptions(opts ...loyalty.Option) Option {
	return func(s *settings) error { s.engineOpts = append(s.engineOpts, opts...); return nil }
}

// WithMaxWebhookBody sets the largest delivery body Handler reads (default
// DefaultMaxWebhookBody, 1 MiB); larger deliveries get 413 without being read further.
func WithMaxWebhookBody(n int64) Option {
	return func(s *settings) error {
		if n <= 0 {
			return errors.New("wooconnect: WithMaxWebhookBody: must be positive")
		}
		s.maxBody = n
		return nil
	}
}

// WithMaxWebhookMemory bounds the bytes the bodies of all deliveries being read at once may
// hold (default DefaultMaxWebhookMemory, 32 MiB). Each delivery reserves its Content-Length
// (the body limit when it has none) before it is read; one that does not fit is answered 503
// with Retry-After. It must be at least the body limit.
func WithMaxWebhookMemory(n int64) Option {
	return func(s *settings) error {
		if n <= 0 {
			return errors.New("wooconnect: WithMaxWebhookMemory: must be positive")
		}
		s.maxBodyMemory = n
		return nil
	}
}

// New returns a Connector over a loyalty store and a connection store. WithEncryptionKey and
// WithWebhookURL are required.
func New(store loyalty.Store, conns ConnectionStore, opts ...Option) (*Connector, error) {
	if store == nil || conns == nil {
		return nil, errors.New("wooconnect: New: nil loyalty store or connection store")
	}
	st := settings{Settings: adapter.DefaultSettings(),
		maxBody: DefaultMaxWebhookBody, maxBodyMemory: DefaultMaxWebhookMemory}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&st); err != nil {
			return nil, err
		}
	}
	if st.EncKey == nil {
		return nil, errors.New("wooconnect: New: WithEncryptionKey is required")
	}
	if st.webhookURL == "" {
		return nil, errors.New("wooconnect: New: WithWebhookURL is required")
	}
	if st.maxBodyMemory < st.maxBody {
		return nil, fmt.Errorf("wooconnect: New: WithMaxWebhookMemory (%d) is below the body limit (%d)", st.maxBodyMemory, st.maxBody)
	}
	seal, err := newSealer(st.EncKey, st.Random)
	if err != nil {
		return nil, err
	}
	if st.linkKey == nil {
		m := hmac.New(sha256.New, st.EncKey)
		m.Write([]byte("wooconnect/link-key/v1"))
		st.linkKey = m.Sum(nil)
	}
	links, err := NewLinkSigner(st.linkKey)
	if err != nil {
		return nil, err
	}
	if st.redeemURL == "" {
		base, _ := url.Parse(st.webhookURL)
		base.Path, base.RawPath = "", ""
		st.redeemURL, st.unsubscribeURL = base.String()+"/redeem", base.String()+"/unsubscribe"
	}
	if st.sender == nil {
		st.sender = &mail.LogSender{Logger: st.Logger}
	}
	c := &Connector{
		conns: conns, seal: seal, links: links, log: st.Logger, clock: st.Clock, random: st.Random,
		sender: st.sender, business: st.business, webhookURL: st.webhookURL, redeemURL: st.redeemURL,
		unsubscribeURL: st.unsubscribeURL, allowHTTP: st.allowHTTP, clientOpts: st.clientOpts, maxBody: st.maxBody,
		bodies:  byteBudget{max: st.maxBodyMemory},
		clients: map[string]cachedClient{},
	}
	engOpts := append([]loyalty.Option{loyalty.WithClock(st.Clock), loyalty.WithLogger(st.Logger)}, st.engineOpts...)
	engOpts = append(engOpts, loyalty.WithCouponIssuer(c), loyalty.WithMailer(mailerFor(c, store, conns)))
	if c.eng, err = loyalty.New(store, engOpts...); err != nil {
		return nil, err
	}
	return c, nil
}

// Engine returns the connector's loyalty engine: programs, wallets, history, member
// redemptions and Recover.
func (c *Connector) Engine() *loyalty.Engine { return c.eng }

// DeliveryURL returns the webhook delivery URL of a connection.
func (c *Connector) DeliveryURL(connectionID string) string {
	return c.webhookURL + "/" + url.PathEscape(connectionID)
}

func (c *Connector) now() time.Time { return c.clock.Now().UTC() }

func (c *Connector) randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	c.randMu.Lock()
	_, err := io.ReadFull(c.random, b)
	c.randMu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("wooconnect: read entropy: %w", err)
	}
	return b, nil
}

func (c *Connector) newConnectionID() (string, error) {
	b, err := c.randomBytes(12)
	if err != nil {
		return "", err
	}
	return "wc_" + hex.EncodeToString(b), nil
}

// newWebhookSecret returns 32 random bytes in base64url: no characters WordPress would
// entity-encode.
func (c *Connector) newWebhookSecret() (string, error) {
	b, err := c.randomBytes(32)
	if err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// newClient builds a client for a store with the given credentials.
func (c *Connector) newClient(storeURL string, cr credentials) (*woocommerce.Client, error) {
	return woocommerce.NewClient(storeURL, cr.ConsumerKey, cr.ConsumerSecret, c.clientOpts...)
}

// open returns the decrypted credentials of an active or paused connection and a client for
// them, cached per connection and credentials.
func (c *Connector) open(rec ConnectionRecord) (*woocommerce.Client, credentials, error) {
	if rec.Disconnected || len(rec.Credentials) == 0 {
		return nil, credentials{}, fmt.Errorf("%w: %s", ErrDisconnected, rec.StoreURL)
	}
	key := string(rec.Credentials)
	c.clientsMu.Lock()
	cached, ok := c.clients[rec.ID]
	c.clientsMu.Unlock()
	if ok && cached.sealed == key {
		return cached.client, cached.creds, nil
	}
	cr, err := c.seal.open(&rec)
	if err != nil {
		return nil, credentials{}, fmt.Errorf("wooconnect: connection %s: %w", rec.ID, err)
	}
	cl, err := c.newClient(rec.StoreURL, cr)
	if err != nil {
		return nil, credentials{}, err
	}
	c.clientsMu.Lock()
	c.clients[rec.ID] = cachedClient{sealed: key, client: cl, creds: cr}
	c.clientsMu.Unlock()
	return cl, cr, nil
}

// forget drops the cached client of a connection.
func (c *Connector) forget(id string) {
	c.clientsMu.Lock()
	delete(c.clients, id)
	c.clientsMu.Unlock()
}

// activeConnection returns the program's connection that is not disconnected.
func (c *Connector) activeConnection(ctx context.Context, programID string) (ConnectionRecord, error) {
	recs, err := c.conns.Connections(ctx, programID)
	if err != nil {
		return ConnectionRecord{}, err
	}
	for _, r := range recs {
		if !r.Disconnected {
			return r, nil
		}
	}
	return ConnectionRecord{}, fmt.Errorf("%w: program %q has no connected store", ErrConnectionNotFound, programID)
}

// statusOf returns the HTTP status of a WooCommerce API error (0 for other errors).
func statusOf(err error) int {
	var ae *woocommerce.APIError
	if errors.As(err, &ae) {
		return ae.StatusCode
	}
	return 0
}
