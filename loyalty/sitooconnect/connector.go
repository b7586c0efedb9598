package sitooconnect

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/internal/seal"
	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/internal/adapter"
	"github.com/loyalsync/loyalsync/sitoo"
)

// EncryptionKeySize is the length of the key that seals stored credentials (AES-256).
const EncryptionKeySize = seal.KeySize

// Errors of the Connector.
var (
	// ErrDisconnected: the connection was disconnected; connect it again.
	ErrDisconnected = errors.New("sitooconnect: connection is disconnected")
	// ErrPaused: the connection is paused.
	ErrPaused = errors.New("sitooconnect: connection is paused")
	// ErrInvalidConnect: a ConnectRequest is incomplete.
	ErrInvalidConnect = errors.New("sitooconnect: invalid connect request")
	// ErrCredentials: Sitoo refused the API credentials.
	ErrCredentials = errors.New("sitooconnect: Sitoo refused the API credentials")
)

// Connector ties loyalty programs to Sitoo accounts: it serves the CRM SPI v2 and the Events
// SPI for each connection (Handler), applies counter orders to the engine, polls for dropped
// events (Reconcile), issues bonus checks and answers "is it working?" (Overview). It owns a
// loyalty.Engine whose coupon issuer it is (a bonus check is the counter's coupon); a
// wooconnect.Connector may share the same loyalty store, so one program is linked to a
// webshop and to a Sitoo account at once. Safe for concurrent use.
type Connector struct {
	eng        *loyalty.Engine
	conns      ConnectionStore
	seal       *seal.Sealer
	log        *slog.Logger
	clock      loyalty.Clock
	clientOpts []sitoo.Option

	randMu sync.Mutex
	random io.Reader

	connectMu sync.Mutex

	cacheMu sync.Mutex
	cache   map[string]opened // by connection id
}

// opened is a connection's decrypted credentials and clients, cached per sealed blob.
type opened struct {
	sealed string
	creds  credentials
	client *sitoo.Client
	events *sitoo.EventHandler
}

type credentials struct {
	APIID          string `json:"api_id"`
	APIPassword    string `json:"api_password"`
	CRMUsername    string `json:"crm_username"`
	CRMPassword    string `json:"crm_password"`
	EventsUsername string `json:"events_username"`
	EventsPassword string `json:"events_password"`
}

type settings struct {
	adapter.Settings
	clientOpts []sitoo.Option
	engineOpts []loyalty.Option
}

// Option configures a Connector.
type Option func(*settings) error

// WithEncryptionKey sets the 32-byte key that seals the stored credentials. Required; keep it
// outside the database, the same on every instance.
func WithEncryptionKey(key []byte) Option {
	return func(s *settings) error {
		return s.SetEncryptionKey("sitooconnect", key, EncryptionKeySize)
	}
}

// WithLogger sets the logger of the connector and its engine (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		return s.SetLogger("sitooconnect", l)
	}
}

// WithClock sets the clock of the connector and its engine (default: the system clock).
func WithClock(c loyalty.Clock) Option {
	return func(s *settings) error {
		return s.SetClock("sitooconnect", c)
	}
}

// WithRandom sets the entropy source of connection ids and nonces (default crypto/rand).
func WithRandom(r io.Reader) Option {
	return func(s *settings) error {
		return s.SetRandom("sitooconnect", r)
	}
}

// WithClientOptions passes options to every sitoo.Client the connector creates.
func WithClientOptions(opts ...sitoo.Option) Option {
	return func(s *settings) error { s.clientOpts = append(s.clientOpts, opts...); return nil }
}

// WithEngineOptions passes options to the connector's loyalty.Engine; its coupon issuer is
// always the connector.
func WithEngineOptions(opts ...loyalty.Option) Option {
	return func(s *settings) error { s.engineOpts = append(s.engineOpts, opts...); return nil }
}

// New returns a Connector over a loyalty store and a connection store; WithEncryptionKey is
// required. Nil options are ignored.
func New(store loyalty.Store, conns ConnectionStore, opts ...Option) (*Connector, error) {
	if store == nil || conns == nil {
		return nil, errors.New("sitooconnect: New: nil loyalty store or connection store")
	}
	st := settings{Settings: adapter.DefaultSettings()}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&st); err != nil {
			return nil, err
		}
	}
	if st.EncKey == nil {
		return nil, errors.New("sitooconnect: New: WithEncryptionKey is required")
	}
	sl, err := seal.New(st.EncKey, st.Random)
	if err != nil {
		return nil, fmt.Errorf("sitooconnect: %w", err)
	}
	c := &Connector{conns: conns, seal: sl, log: st.Logger, clock: st.Clock, random: st.Random,
		clientOpts: st.clientOpts, cache: map[string]opened{}}
	engOpts := append([]loyalty.Option{loyalty.WithClock(st.Clock), loyalty.WithLogger(st.Logger)}, st.engineOpts...)
	engOpts = append(engOpts, loyalty.WithCouponIssuer(c))
	if c.eng, err = loyalty.New(store, engOpts...); err != nil {
		return nil, err
	}
	return c, nil
}

// Engine returns the connector's loyalty engine.
func (c *Connector) Engine() *loyalty.Engine { return c.eng }

func (c *Connector) now() time.Time { return c.clock.Now().UTC() }

func (c *Connector) newID() (string, error) {
	b := make([]byte, 12)
	c.randMu.Lock()
	_, err := io.ReadFull(c.random, b)
	c.randMu.Unlock()
	if err != nil {
		return "", fmt.Errorf("sitooconnect: read entropy: %w", err)
	}
	return "st_" + hex.EncodeToString(b), nil
}

func sealAD(rec ConnectionRecord) []byte {
	return []byte("sitooconnect/v1\x00" + rec.ID + "\x00" + rec.ProgramID + "\x00" + strconv.FormatInt(rec.AccountID, 10))
}

func (c *Connector) sealCreds(rec ConnectionRecord, cr credentials) ([]byte, error) {
	b, err := json.Marshal(cr)
	if err != nil {
		return nil, err
	}
	return c.seal.Seal(b, sealAD(rec))
}

// open returns the decrypted credentials and clients of a live connection, cached per sealed
// blob.
func (c *Connector) open(rec ConnectionRecord) (opened, error) {
	if rec.Disconnected || len(rec.Credentials) == 0 {
		return opened{}, fmt.Errorf("%w: account %d", ErrDisconnected, rec.AccountID)
	}
	key := string(rec.Credentials)
	c.cacheMu.Lock()
	o, ok := c.cache[rec.ID]
	c.cacheMu.Unlock()
	if ok && o.sealed == key {
		return o, nil
	}
	plain, err := c.seal.Open(rec.Credentials, sealAD(rec))
	if err != nil {
		return opened{}, fmt.Errorf("sitooconnect: connection %s: %w", rec.ID, err)
	}
	o = opened{sealed: key}
	if err := json.Unmarshal(plain, &o.creds); err != nil {
		return opened{}, fmt.Errorf("sitooconnect: connection %s: credentials: %w", rec.ID, err)
	}
	if o.client, err = sitoo.NewClient(rec.BaseURL, o.creds.APIID, o.creds.APIPassword, c.clientOpts...); err != nil {
		return opened{}, err
	}
	connID := rec.ID
	if o.events, err = sitoo.NewEventHandler(func(ctx context.Context, ev sitoo.Event) error {
		return c.receiveEvent(ctx, connID, ev)
	}, sitoo.WithEventAuth(o.creds.EventsUsername, o.creds.EventsPassword), sitoo.WithSeenStore(seenStore{c.conns, connID, c.now}),
		sitoo.WithEventLogger(c.log)); err != nil {
		return opened{}, err
	}
	c.cacheMu.Lock()
	c.cache[rec.ID] = o
	c.cacheMu.Unlock()
	return o, nil
}

func (c *Connector) forget(id string) {
	c.cacheMu.Lock()
	delete(c.cache, id)
	c.cacheMu.Unlock()
}

// storeKey is the OrderEvent.Store of an account's orders: Sitoo order ids are unique per
// account.
func storeKey(accountID int64) string { return "sitoo:" + strconv.FormatInt(accountID, 10) }

// seenStore keeps the Events SPI's processed event ids in the ConnectionStore, marked on the
// connector's clock.
type seenStore struct {
	conns ConnectionStore
	id    string
	now   func() time.Time
}

func (s seenStore) Seen(ctx context.Context, eventID string) (bool, error) {
	return s.conns.EventSeen(ctx, s.id, eventID)
}

func (s seenStore) MarkSeen(ctx context.Context, eventID string) error {
	_, err := s.conns.MarkEventSeen(ctx, s.id, eventID, s.now())
	return err
}
