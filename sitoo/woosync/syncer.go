package woosync

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/internal/seal"
	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// EncryptionKeySize is the length of the key that seals stored credentials (AES-256).
const EncryptionKeySize = seal.KeySize

// Syncer syncs one WooCommerce store with one Sitoo account: the catalog (categories, products,
// variations, images, manufacturers) and stock, by operation or as a full sync, and from
// WooCommerce webhooks. Create it with New; it is safe for concurrent use, but runs one operation
// at a time.
type Syncer struct {
	store  Store
	woo    *woocommerce.Client
	sealer *seal.Sealer
	logger *slog.Logger
	now    func() time.Time
	sleep  func(ctx context.Context, d time.Duration) error
	fetch  ImageFetcher

	sitooOpts []sitoo.Option
	maxWait   time.Duration

	runMu sync.Mutex // one operation at a time

	mu       sync.Mutex
	client   *sitoo.Client // for the saved settings; nil until first needed
	clientOf []byte        // the sealed credentials client was built from
}

// ImageFetcher downloads an image file (a WooCommerce image src) to send it to Sitoo.
type ImageFetcher func(ctx context.Context, url string) ([]byte, error)

// Option configures a Syncer. A nil Option is ignored.
type Option func(*Syncer) error

// WithEncryptionKey sets the EncryptionKeySize-byte key that seals stored credentials. Required.
func WithEncryptionKey(key []byte) Option {
	return func(s *Syncer) error {
		sl, err := seal.New(key, nil)
		if err != nil {
			return fmt.Errorf("woosync: encryption key: %w", err)
		}
		s.sealer = sl
		return nil
	}
}

// WithLogger sets the logger (default: slog.Default()).
func WithLogger(l *slog.Logger) Option {
	return func(s *Syncer) error {
		if l == nil {
			return errors.New("woosync: nil logger")
		}
		s.logger = l
		return nil
	}
}

// WithClock sets the clock used for timestamps, the run log and the rate-limit waits of
// CheckRateLimit (default time.Now). A replaced clock should also be the Sitoo client's
// (WithSitooOptions(sitoo.WithClock(now))): the window's reset time is read on that clock.
func WithClock(now func() time.Time) Option {
	return func(s *Syncer) error {
		if now == nil {
			return errors.New("woosync: nil clock")
		}
		s.now = now
		return nil
	}
}

// WithSleep replaces how the Syncer waits for a rate-limit window (default: a timer that stops
// when ctx ends). Tests use it to count waits.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(s *Syncer) error {
		if sleep == nil {
			return errors.New("woosync: nil sleep")
		}
		s.sleep = sleep
		return nil
	}
}

// WithMaxRateWait caps how long CheckRateLimit waits for Sitoo's window to reset before a step
// (default 10 minutes); a longer wait fails with ErrRateBudget before the step starts.
func WithMaxRateWait(d time.Duration) Option {
	return func(s *Syncer) error {
		if d <= 0 {
			return errors.New("woosync: max rate wait must be positive")
		}
		s.maxWait = d
		return nil
	}
}

// WithSitooOptions passes options to the Sitoo client the Syncer builds from the settings
// (WithHTTPClient, WithRateLimit, WithLogger, ...).
func WithSitooOptions(opts ...sitoo.Option) Option {
	return func(s *Syncer) error {
		s.sitooOpts = append(s.sitooOpts, opts...)
		return nil
	}
}

// WithImageFetcher sets how image files are downloaded for Sitoo (default: a GET with
// http.DefaultClient that accepts only a 200).
func WithImageFetcher(f ImageFetcher) Option {
	return func(s *Syncer) error {
		if f == nil {
			return errors.New("woosync: nil image fetcher")
		}
		s.fetch = f
		return nil
	}
}

// New returns a Syncer keeping its state in store and talking to WooCommerce through woo.
func New(store Store, woo *woocommerce.Client, opts ...Option) (*Syncer, error) {
	if store == nil || woo == nil {
		return nil, errors.New("woosync: a store and a WooCommerce client are required")
	}
	s := &Syncer{store: store, woo: woo, logger: slog.Default(), now: time.Now, sleep: sleepCtx,
		fetch: httpFetch(http.DefaultClient), maxWait: 10 * time.Minute}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(s); err != nil {
			return nil, err
		}
	}
	if s.sealer == nil {
		return nil, errors.New("woosync: WithEncryptionKey is required")
	}
	return s, nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func httpFetch(hc *http.Client) ImageFetcher {
	return func(ctx context.Context, url string) ([]byte, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return nil, err
		}
		resp, err := hc.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return nil, fmt.Errorf("GET %s: %s", url, resp.Status)
		}
		return io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	}
}

func (s *Syncer) clock() time.Time { return s.now().UTC() }

// credentialsAD binds sealed credentials to this package and format.
var credentialsAD = []byte("woosync/credentials/v1")

type sealedCredentials struct {
	Test Credentials `json:"test"`
	Live Credentials `json:"live"`
}

func (s *Syncer) sealCredentials(set *Settings) ([]byte, error) {
	plain, err := json.Marshal(sealedCredentials{Test: set.Test, Live: set.Live})
	if err != nil {
		return nil, err
	}
	blob, err := s.sealer.Seal(plain, credentialsAD)
	if err != nil {
		return nil, fmt.Errorf("woosync: %w", err)
	}
	return blob, nil
}

// settings loads the saved settings with their credentials opened.
func (s *Syncer) settings(ctx context.Context) (SettingsRecord, error) {
	rec, err := s.store.LoadSettings(ctx)
	if err != nil {
		return rec, err
	}
	if rec.SealedCredentials == nil {
		return rec, ErrDisconnected
	}
	plain, err := s.sealer.Open(rec.SealedCredentials, credentialsAD)
	if err != nil {
		return rec, fmt.Errorf("woosync: stored credentials: %w", err)
	}
	var c sealedCredentials
	if err := json.Unmarshal(plain, &c); err != nil {
		return rec, fmt.Errorf("woosync: stored credentials: %w", err)
	}
	rec.Settings.Test, rec.Settings.Live = c.Test, c.Live
	return rec, nil
}

func (s *Syncer) newSitoo(set *Settings) (*sitoo.Client, error) {
	c := set.Active()
	return sitoo.NewClient(c.BaseURL, c.APIID, c.Password, s.sitooOpts...)
}

// sitooClient returns the Sitoo client for the saved settings, building it once per credentials.
func (s *Syncer) sitooClient(rec *SettingsRecord) (*sitoo.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.client != nil && string(s.clientOf) == string(rec.SealedCredentials) {
		return s.client, nil
	}
	c, err := s.newSitoo(&rec.Settings)
	if err != nil {
		return nil, fmt.Errorf("woosync: %w", err)
	}
	s.client, s.clientOf = c, rec.SealedCredentials
	return c, nil
}

// SitooClient returns the Sitoo client of the saved settings (for the mode in use).
func (s *Syncer) SitooClient(ctx context.Context) (*sitoo.Client, error) {
	rec, err := s.settings(ctx)
	if err != nil {
		return nil, err
	}
	return s.sitooClient(&rec)
}
