package rewardpoints

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/internal/rest"
	"github.com/loyalsync/loyalsync/internal/wp"
)

// Route is the add-points route below the site URL.
const Route = "wp-json/wc-reward-points/v1/add-points"

// Client adds points through the add-points API of one WordPress site. Create it with NewClient;
// it is safe for concurrent use.
type Client struct {
	rest    *rest.Client
	store   Store
	tagOpID bool
	now     func() time.Time

	mu       sync.Mutex
	inflight map[string]chan struct{} // operations being sent by this client
}

// NewClient returns a client for the WordPress site at siteURL (its home URL, e.g.
// "https://shop.example.com"), logging in as a user with the manage_woocommerce capability
// through an application password (HTTP Basic), as the vendor recommends for server-to-server
// calls. The URL must be https://: WordPress accepts application passwords over HTTPS only, and
// they would travel in clear text. Operations are remembered in a MemoryStore unless WithStore
// says otherwise.
func NewClient(siteURL, username, appPassword string, opts ...Option) (*Client, error) {
	if username == "" || appPassword == "" {
		return nil, errors.New("rewardpoints: user name and application password are required")
	}
	base, err := wp.SiteBase("rewardpoints", siteURL, "")
	if err != nil {
		return nil, err
	}
	var cfg config
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	rc := rest.Config{
		BaseURL:      base,
		API:          "wc-reward-points",
		Authenticate: wp.BasicAuth(username, appPassword),
		DecodeError: func(resp *http.Response, body []byte) error {
			return newAPIError(resp.StatusCode, body)
		},
	}
	if err := rc.Apply(cfg.rest...); err != nil {
		return nil, fmt.Errorf("rewardpoints: %w", err)
	}
	r, err := rest.New(rc)
	if err != nil {
		return nil, fmt.Errorf("rewardpoints: %w", err)
	}
	c := &Client{rest: r, store: cfg.store, tagOpID: cfg.tagOpID, now: time.Now, inflight: map[string]chan struct{}{}}
	if c.store == nil {
		c.store = NewMemoryStore()
	}
	return c, nil
}

// URL returns the absolute URL of the add-points route.
func (c *Client) URL() *url.URL {
	u := c.rest.BaseURL()
	return u.JoinPath(Route)
}

// Store returns the client's operation store.
func (c *Client) Store() Store { return c.store }

// Option configures a Client. NewClient returns the first error an option reports.
type Option func(*config) error

type config struct {
	rest    []rest.Option
	store   Store
	tagOpID bool
}

// WithStore remembers operations in s instead of a MemoryStore. Use a durable store shared by
// every process that adds points for the same operations; see Store.
func WithStore(s Store) Option {
	return func(c *config) error {
		if s == nil {
			return errors.New("rewardpoints: WithStore: nil Store")
		}
		c.store = s
		return nil
	}
}

// WithOperationIDInMessage appends " [op:<operation id>]" to the message sent, so that the
// operation can be found in the user's points log when its outcome must be checked by hand.
// The message is shown in the points log, which customers may see.
func WithOperationIDInMessage() Option {
	return func(c *config) error {
		c.tagOpID = true
		return nil
	}
}

// WithHTTPClient sends requests through a copy of hc (its Transport, Timeout and TLS settings are
// kept; hc itself is never modified). nil is an error.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return errors.New("rewardpoints: WithHTTPClient: nil *http.Client")
		}
		c.rest = append(c.rest, rest.WithHTTPClient(hc))
		return nil
	}
}

// WithLogger logs one debug record per HTTP attempt, with credentials redacted, and a warning for
// every operation whose outcome becomes unknown. Default: nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("rewardpoints: WithLogger: nil *slog.Logger")
		}
		c.rest = append(c.rest, rest.WithLogger(l))
		return nil
	}
}

// WithUserAgent puts ua in front of the library's own User-Agent product token.
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		c.rest = append(c.rest, rest.WithUserAgent(ua))
		return nil
	}
}

// WithRetry sets how often a request answered with 429 is retried (0 disables retries) and the
// back-off bounds. Nothing else is retried automatically: see AddPoints.
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return func(c *config) error {
		c.rest = append(c.rest, rest.WithRetry(maxRetries, waitMin, waitMax))
		return nil
	}
}

// WithRateLimit paces requests client-side to perSecond on average, with bursts of up to burst.
// perSecond 0 removes the limit (the default).
func WithRateLimit(perSecond float64, burst int) Option {
	return func(c *config) error {
		c.rest = append(c.rest, rest.WithRateLimit(perSecond, burst))
		return nil
	}
}
