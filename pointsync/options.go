package pointsync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// Option configures NewClient, NewHandler, NewSender or NewMemStore. Each option says which of
// them it applies to; the others ignore it. A nil Option is ignored. An option given a value it
// cannot use makes the constructor fail with an error that matches ErrInvalidArgument:
// "pointsync: NewClient: WithRetry: …".
type Option func(*config) error

type config struct {
	rest       []rest.Option
	restConfig rest.Config // rest applied
	now        func() time.Time
	sleep      func(ctx context.Context, d time.Duration) error // nil: real timers
	logger     *slog.Logger
	window     time.Duration
	replay     ReplayGuard
	batchSize  int
	leaseTTL   time.Duration
	maxWait    time.Duration
	poll       time.Duration
	probe      time.Duration
	deliver    map[RemoteKind]Deliverer
}

func newConfig(op string, opts []Option) (*config, error) {
	c := &config{
		now:       time.Now,
		window:    DefaultWindow,
		batchSize: DefaultBatchSize,
		leaseTTL:  2 * time.Minute,
		maxWait:   time.Second,
		poll:      time.Second,
		probe:     5 * time.Minute,
		deliver:   map[RemoteKind]Deliverer{},
	}
	if err := rest.ApplyOptions(c, opts); err != nil {
		return nil, fmt.Errorf("pointsync: %s: %w (%w)", op, err, ErrInvalidArgument)
	}
	// The HTTP options are applied (and checked) here, whichever constructor gets them.
	if err := c.restConfig.Apply(c.rest...); err != nil {
		return nil, fmt.Errorf("pointsync: %s: %w (%w)", op, err, ErrInvalidArgument)
	}
	if c.logger == nil {
		c.logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}

// DefaultBatchSize is how many movements a batch carries at most unless WithBatchSize says
// otherwise.
const DefaultBatchSize = 100

// WithClock makes the package read the time from now instead of time.Now: signatures and their
// window (client, handler), queue and status times (MemStore, Sender). nil is an error.
func WithClock(now func() time.Time) Option {
	return func(c *config) error {
		if now == nil {
			return errors.New("WithClock: nil clock")
		}
		c.now = now
		c.rest = append(c.rest, rest.WithClock(now))
		return nil
	}
}

// WithSleep makes the package wait through sleep instead of a real timer: the client's pacing,
// back-off between retries and Retry-After waits (client, Sender), and the Sender's own waits in
// Run (poll and max-wait intervals, Advanced.Delay after a failure, probes of a paused remote).
// sleep returns once d has passed, or ctx.Err() as soon as ctx is done; Run cancels the ctx it
// passes when Notify wakes it. With WithClock it runs the package on virtual time, so tests and
// simulations depend on no machine's speed. nil is an error.
func WithSleep(sleep func(ctx context.Context, d time.Duration) error) Option {
	return func(c *config) error {
		if sleep == nil {
			return errors.New("WithSleep: nil sleep function")
		}
		c.sleep = sleep
		c.rest = append(c.rest, rest.WithSleep(sleep))
		return nil
	}
}

// WithLogger logs to l: one debug record per HTTP attempt (client), refused requests (handler),
// delivery failures and pauses (Sender). nil is an error. Default: nothing is logged.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("WithLogger: nil *slog.Logger")
		}
		c.logger = l
		c.rest = append(c.rest, rest.WithLogger(l))
		return nil
	}
}

// WithHTTPClient sends the client's requests through a copy of hc. nil is an error. Client and
// Sender.
func WithHTTPClient(hc *http.Client) Option {
	return restOption(func() rest.Option { return rest.WithHTTPClient(hc) })
}

// WithUserAgent puts ua in front of the library's User-Agent. Client and Sender.
func WithUserAgent(ua string) Option {
	return restOption(func() rest.Option { return rest.WithUserAgent(ua) })
}

// WithRetry sets how often one request is retried inside one delivery attempt (on network
// errors, 429, 502, 503, 504; batches are safe to send again) and the back-off bounds. 0 disables
// these retries; the Sender's own attempts (Advanced.MaxAttempts, Delay) come on top. Client and
// Sender.
func WithRetry(maxRetries int, waitMin, waitMax time.Duration) Option {
	return restOption(func() rest.Option { return rest.WithRetry(maxRetries, waitMin, waitMax) })
}

// WithRateLimit paces requests to each remote to perSecond on average with bursts of burst.
// Client and Sender.
func WithRateLimit(perSecond float64, burst int) Option {
	return restOption(func() rest.Option { return rest.WithRateLimit(perSecond, burst) })
}

// WithMaxRetryAfter sets the longest Retry-After a request sleeps through. Client and Sender.
func WithMaxRetryAfter(d time.Duration) Option {
	return restOption(func() rest.Option { return rest.WithMaxRetryAfter(d) })
}

// restOption makes a fresh rest.Option each time the Option is applied: the Sender applies the
// same options to a client per remote, and a rest.Option may not be applied twice (rest.WithRetry
// changes its captured argument).
func restOption(mk func() rest.Option) Option {
	return func(c *config) error {
		c.rest = append(c.rest, mk())
		return nil
	}
}

// WithWindow sets how far a request's timestamp may be from the handler's clock (default
// DefaultWindow, 5 minutes). Handler.
func WithWindow(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Second || d > time.Hour {
			return fmt.Errorf("WithWindow: %s must be between 1s and 1h", d)
		}
		c.window = d
		return nil
	}
}

// WithReplayGuard makes the handler remember batch ids in g instead of in its own memory; give
// every instance of a site the same shared guard. Handler.
func WithReplayGuard(g ReplayGuard) Option {
	return func(c *config) error {
		if g == nil {
			return errors.New("WithReplayGuard: nil guard")
		}
		c.replay = g
		return nil
	}
}

// WithBatchSize sets the most movements per batch, 1..MaxBatchMovements (default 100). Sender.
func WithBatchSize(n int) Option {
	return func(c *config) error {
		if n < 1 || n > MaxBatchMovements {
			return fmt.Errorf("WithBatchSize: %d must be between 1 and %d", n, MaxBatchMovements)
		}
		c.batchSize = n
		return nil
	}
}

// WithMaxWait sets how long Run lets a partial batch wait for more movements before sending it
// (default 1 s): a full batch goes at once. Sender.
func WithMaxWait(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 {
			return fmt.Errorf("WithMaxWait: %s is negative", d)
		}
		c.maxWait = d
		return nil
	}
}

// WithPollInterval sets how often Run looks at the queues and settings without a Notify
// (default 1 s). Sender.
func WithPollInterval(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("WithPollInterval: %s must be positive", d)
		}
		c.poll = d
		return nil
	}
}

// WithProbeInterval sets how often Run pings a paused remote (StatusError) to find out whether it
// answers again (default 5 minutes). Sender.
func WithProbeInterval(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("WithProbeInterval: %s must be positive", d)
		}
		c.probe = d
		return nil
	}
}

// WithLeaseTTL sets how long a leased batch is held for one delivery before other instances may
// take it (default 2 minutes); a delivery still running at 90 % of it is cut off and counts as
// failed. Sender.
func WithLeaseTTL(d time.Duration) Option {
	return func(c *config) error {
		if d < time.Second {
			return fmt.Errorf("WithLeaseTTL: %s is shorter than 1s", d)
		}
		c.leaseTTL = d
		return nil
	}
}

// WithDeliverer makes the Sender deliver to remotes of kind k through d, e.g. the loyalty
// adapter's WooRewards and Reward Points deliverers. KindLoyalsync remotes use the protocol
// client unless replaced. Sender.
func WithDeliverer(k RemoteKind, d Deliverer) Option {
	return func(c *config) error {
		if !k.Valid() || d == nil {
			return fmt.Errorf("WithDeliverer: kind %q and a non-nil deliverer are required", k)
		}
		c.deliver[k] = d
		return nil
	}
}
