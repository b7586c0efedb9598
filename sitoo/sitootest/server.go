package sitootest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/sitoo"
)

// Defaults of a new Server.
const (
	DefaultAccountID = "1500"
	DefaultAPIID     = "1500-1"
	DefaultPassword  = "sitootest-password"
)

// Server is an in-memory Sitoo account served over HTTP by an httptest.Server, speaking Sitoo's
// wire format: paths ending in .json below /v2/accounts/{account}, HTTP Basic auth, collection
// envelopes {"totalcount","items"} with start/num/fields/sort, batch envelopes
// [{"statuscode","return"}] for array bodies, and error bodies {"statuscode","errortext"}.
//
// It keeps Sitoo's stock rules: a Virtual warehouse's stock is set absolutely through
// warehouseitems and refuses transactions; other warehouses change stock only through warehouse
// transactions, committed warehouse batches and order deliveries (which create transactions).
// Orders cannot be deleted. An optional token-bucket rate limit answers 429 with Retry-After and
// X-Rate-Limit-* headers, and Faults injects errors, latency and dropped connections.
//
// Create it with NewServer and stop it with Close. It is safe for concurrent use.
type Server struct {
	// URL is the account's base URL, e.g. "http://127.0.0.1:41234/v2/accounts/1500": give it to
	// sitoo.NewClient.
	URL string
	// AccountID, APIID and Password are the account and the credentials the server accepts.
	AccountID, APIID, Password string

	ts     *httptest.Server
	cfg    config
	faults *faults.Injector
	prefix string // "/v2/accounts/{account}/"

	limiter *bucket // nil without WithRateLimit
	routes  []route

	mu    sync.Mutex // guards st and stats
	st    *state
	stats Stats
}

// Option configures a Server.
type Option func(*config)

type config struct {
	accountID, apiID, password string
	now                        func() time.Time
	rate                       float64
	burst                      int
	resetEpoch                 bool
	maxNum                     int
	sites                      []int64
}

// WithCredentials sets the API ID and password the server accepts (default DefaultAPIID and
// DefaultPassword). The account id is the API ID's prefix unless WithAccountID sets it.
func WithCredentials(apiID, password string) Option {
	return func(c *config) { c.apiID, c.password = apiID, password }
}

// WithAccountID sets the account in the URL (default: the API ID's prefix, "1500").
func WithAccountID(id string) Option { return func(c *config) { c.accountID = id } }

// WithSites sets the sites (eshop ids) that exist (default: 1). Others answer 404.
func WithSites(ids ...int64) Option {
	return func(c *config) { c.sites = append([]int64(nil), ids...) }
}

// WithClock makes the server read the time from now: for the dates it sets (datecreated,
// orderdate, ...) and for the rate limiter's token bucket, which refills as this clock advances.
// Give the client the same clock (sitoo.WithClock) and a sleep that advances it
// (sitoo.WithSleep) to test pacing without depending on how fast the machine is. nil keeps the
// real clock.
func WithClock(now func() time.Time) Option {
	return func(c *config) {
		if now != nil {
			c.now = now
		}
	}
}

// WithRateLimit limits requests with a token bucket of burst tokens refilled at perSecond. A
// request finding no token is answered 429 with Retry-After (whole seconds until a token is
// available) and X-Rate-Limit-* headers; every other response carries X-Rate-Limit-Limit
// (burst), X-Rate-Limit-Remaining (whole tokens left) and X-Rate-Limit-Reset (seconds, with
// millisecond precision, until Remaining next grows; 0 when the bucket is full).
func WithRateLimit(perSecond float64, burst int) Option {
	return func(c *config) { c.rate, c.burst = perSecond, burst }
}

// WithResetEpoch sends X-Rate-Limit-Reset as a Unix epoch (seconds, with millisecond precision)
// instead of delay seconds; clients must tell the two apart.
func WithResetEpoch() Option { return func(c *config) { c.resetEpoch = true } }

// WithMaxPageSize caps "num": a larger page size is reduced to n (Sitoo's limit is undocumented;
// by default the fake has none).
func WithMaxPageSize(n int) Option { return func(c *config) { c.maxNum = n } }

// NewServer starts a fake Sitoo account. Close it when done (t.Cleanup(srv.Close)).
func NewServer(opts ...Option) *Server {
	cfg := config{apiID: DefaultAPIID, password: DefaultPassword, now: time.Now, sites: []int64{1}}
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	if cfg.accountID == "" {
		cfg.accountID = DefaultAccountID
		if acct, err := sitoo.AccountIDFromAPIID(cfg.apiID); err == nil {
			cfg.accountID = acct
		}
	}
	s := &Server{
		AccountID: cfg.accountID, APIID: cfg.apiID, Password: cfg.password,
		cfg: cfg, faults: &faults.Injector{}, prefix: "/v2/accounts/" + cfg.accountID + "/",
	}
	if cfg.rate > 0 && cfg.burst > 0 {
		s.limiter = newBucket(cfg.rate, cfg.burst, cfg.now)
	}
	s.st = newState(cfg.sites)
	s.routes = routes(s)
	s.ts = httptest.NewServer(s.faults.Wrap(http.HandlerFunc(s.serve)))
	s.URL = s.ts.URL + strings.TrimSuffix(s.prefix, "/")
	return s
}

// Close shuts the server down.
func (s *Server) Close() { s.ts.Close() }

// Client returns an *http.Client for the server.
func (s *Server) Client() *http.Client { return s.ts.Client() }

// Faults returns the server's fault injector. Rules apply before rate limiting and
// authentication, to paths as the client sends them, e.g.
// "/v2/accounts/1500/sites/1/products.json" or "/v2/accounts/1500/sites/1/orders*".
func (s *Server) Faults() *faults.Injector { return s.faults }

// NewClient returns a sitoo.Client for this server with its credentials.
func (s *Server) NewClient(opts ...sitoo.Option) (*sitoo.Client, error) {
	return sitoo.NewClient(s.URL, s.APIID, s.Password, append([]sitoo.Option{sitoo.WithHTTPClient(s.Client())}, opts...)...)
}

// Path returns the URL path of an endpoint below the account, e.g. Path("sites/1/products.json"),
// for fault rules.
func (s *Server) Path(rel string) string { return s.prefix + strings.TrimPrefix(rel, "/") }

// Stats counts the requests the server saw (after fault injection).
type Stats struct {
	// Requests is every request that reached the server.
	Requests int
	// RateLimited is the requests answered 429 by the rate limiter.
	RateLimited int
	// Unauthorized is the requests answered 401.
	Unauthorized int
}

// Stats returns the request counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// ResetStats zeroes the request counters and the rate limiter's accounting.
func (s *Server) ResetStats() {
	s.mu.Lock()
	s.stats = Stats{}
	s.mu.Unlock()
	if s.limiter != nil {
		s.limiter.resetStats()
	}
}

// RateLimitStats returns the rate limiter's accounting (zero without WithRateLimit).
func (s *Server) RateLimitStats() RateLimitStats {
	if s.limiter == nil {
		return RateLimitStats{}
	}
	return s.limiter.snapshot()
}

func (s *Server) now() time.Time { return s.cfg.now().UTC().Truncate(time.Second) }

// serve is the server's handler: rate limit, authentication, routing.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.stats.Requests++
	s.mu.Unlock()
	if s.limiter != nil {
		ok, h := s.limiter.take(s.cfg.resetEpoch)
		for k, v := range h {
			w.Header()[k] = v
		}
		if !ok {
			s.mu.Lock()
			s.stats.RateLimited++
			s.mu.Unlock()
			writeError(w, http.StatusTooManyRequests, "Too Many Requests")
			return
		}
	}
	if user, pass, ok := r.BasicAuth(); !ok || user != s.APIID || pass != s.Password {
		s.mu.Lock()
		s.stats.Unauthorized++
		s.mu.Unlock()
		writeError(w, http.StatusUnauthorized, "Unauthorized. Authorization failed.")
		return
	}
	rel, ok := strings.CutPrefix(r.URL.Path, s.prefix)
	if !ok {
		writeError(w, http.StatusNotFound, "Resource not found. The url is invalid.")
		return
	}
	rel, ok = strings.CutSuffix(rel, ".json")
	if !ok || rel == "" {
		writeError(w, http.StatusNotFound, "Resource not found. The url is invalid.")
		return
	}
	s.route(w, r, strings.Split(rel, "/"))
}
