package pointsynctest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyalsync/loyalsync/pointsync"
)

// Site is one site of a test mesh: a MemStore for settings and queue, a Ledger, the protocol
// Handler on an httptest server under /sync/, and a Sender whose requests go through a
// FaultyTransport.
type Site struct {
	// Name is the site's name in messages.
	Name string
	// Local is the site's local information; its URL is the httptest server's /sync/.
	Local pointsync.LocalSite
	// Reserve is the site's only point reserve, "pool-<name>".
	Reserve string
	// Store holds the settings and the queue.
	Store *pointsync.MemStore
	// Ledger is the site's ledger.
	Ledger *Ledger
	// Handler serves the protocol.
	Handler *pointsync.Handler
	// Server serves Handler.
	Server *httptest.Server
	// Sender delivers the site's queue.
	Sender *pointsync.Sender
	// Transport carries the Sender's requests.
	Transport *FaultyTransport

	batches atomic.Int64
	pings   atomic.Int64
	down    atomic.Bool
}

// SiteConfig configures NewSite.
type SiteConfig struct {
	// Now is the clock of every part of the site (time.Now when nil).
	Now func() time.Time
	// Faults and Seed configure the site's outgoing FaultyTransport.
	Faults Faults
	Seed   uint64
	// SenderOptions are added to the Sender's options (after the site's own: the transport,
	// WithClock, and no retries inside a delivery).
	SenderOptions []pointsync.Option
	// HandlerOptions are added to the Handler's options (after WithClock).
	HandlerOptions []pointsync.Option
}

// NewSite starts a site; its server is closed when the test ends.
func NewSite(t testing.TB, name string, cfg SiteConfig) *Site {
	t.Helper()
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	s := &Site{Name: name, Reserve: "pool-" + name}
	var err error
	if s.Store, err = pointsync.NewMemStore(pointsync.WithClock(now)); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if s.down.Load() {
			panic(http.ErrAbortHandler) // the connection closes without an answer
		}
		switch {
		case r.URL.Path == "/sync/batches":
			s.batches.Add(1)
		case r.URL.Path == "/sync/ping":
			s.pings.Add(1)
		}
		mux.ServeHTTP(w, r)
	}))
	t.Cleanup(s.Server.Close)
	local, err := pointsync.NewLocalSite(s.Server.URL + "/sync/")
	if err != nil {
		t.Fatal(err)
	}
	if s.Local, err = s.Store.InitLocalSite(context.Background(), local); err != nil {
		t.Fatal(err)
	}
	s.Ledger = NewLedger(s.Local.SharingKey, s.Store, s.Store, now, s.Reserve)
	hopts := append([]pointsync.Option{pointsync.WithClock(now)}, cfg.HandlerOptions...)
	if s.Handler, err = pointsync.NewHandler(s.Store, s.Ledger, hopts...); err != nil {
		t.Fatal(err)
	}
	mux.Handle("/sync/", s.Handler)
	s.Transport = NewFaultyTransport(s.Server.Client().Transport, cfg.Faults, cfg.Seed)
	sopts := append([]pointsync.Option{
		pointsync.WithHTTPClient(&http.Client{Transport: s.Transport, Timeout: 30 * time.Second}),
		pointsync.WithClock(now),
		pointsync.WithRetry(0, 0, 0),
	}, cfg.SenderOptions...)
	if s.Sender, err = pointsync.NewSender(s.Store, s.Store, sopts...); err != nil {
		t.Fatal(err)
	}
	return s
}

// RemoteFor returns other as this site enters it: other's sharing key, URL and secrets, other's
// reserve as the target and this site's reserve as the observed one.
func (s *Site) RemoteFor(other *Site) pointsync.Remote {
	return pointsync.Remote{SharingKey: other.Local.SharingKey, Kind: pointsync.KindLoyalsync,
		TargetReserve: other.Reserve, ObservedReserve: s.Reserve,
		URL: other.Local.URL, Auth: other.Local.Auth, Pass: other.Local.Pass}
}

// SetDown makes the site's server close every connection without an answer (down) or serve
// again.
func (s *Site) SetDown(down bool) { s.down.Store(down) }

// Batches returns how many batch requests reached the site's server (down or not).
func (s *Site) Batches() int64 { return s.batches.Load() }

// Pings returns how many pings reached the site's server.
func (s *Site) Pings() int64 { return s.pings.Load() }

// Link adds every site as a remote of every other (a full mesh), without pinging.
func Link(t testing.TB, sites ...*Site) {
	t.Helper()
	for _, a := range sites {
		for _, b := range sites {
			if a != b {
				if err := a.Store.PutRemote(context.Background(), a.RemoteFor(b)); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
}

// Settle delivers every site's queue to every remote, in rounds, resuming paused remotes and
// releasing held requests, until no queue has anything left or maxRounds pass. Deliveries run one
// at a time, so a run with seeded faults is repeatable. It returns the number of rounds, or an
// error when queues are still pending after maxRounds.
func Settle(ctx context.Context, maxRounds int, sites ...*Site) (int, error) {
	for round := 1; round <= maxRounds; round++ {
		pending := 0
		for _, s := range sites {
			remotes, err := s.Store.Remotes(ctx)
			if err != nil {
				return round, err
			}
			for _, r := range remotes {
				_, _ = s.Sender.Flush(ctx, r.SharingKey) // failures are recorded and retried next round
				st, err := s.Store.State(ctx, r.SharingKey)
				if err != nil {
					return round, err
				}
				pending += st.Pending
				if st.Failures > 0 {
					if err := s.Sender.RetryNow(ctx, r.SharingKey); err != nil {
						return round, err
					}
				}
			}
			s.Transport.Release()
		}
		if pending == 0 {
			return round, nil
		}
		if err := ctx.Err(); err != nil {
			return round, err
		}
	}
	return maxRounds, fmt.Errorf("pointsynctest: queues still pending after %d rounds", maxRounds)
}

// CheckConverged verifies that every site holds every local movement of every site exactly once
// (expirations aside, which stay local), that each synced movement is the one its origin made
// (nothing was echoed: a site never sends on a movement it received), and that every member has
// the same balance on every site.
func CheckConverged(sites ...*Site) error {
	var errs []error
	made := map[string]pointsync.Movement{} // "origin/id" → the movement as its origin made it
	for _, s := range sites {
		for _, e := range s.Ledger.Entries() {
			if !e.Synced && !e.Expiry {
				made[s.Local.SharingKey+"/"+e.Movement.ID] = e.Movement
			}
		}
	}
	want := slices.Sorted(maps.Keys(made))
	for _, s := range sites {
		for _, e := range s.Ledger.Entries() {
			if !e.Synced {
				continue
			}
			m, ok := made[e.Origin+"/"+e.Movement.ID]
			if !ok || !m.Time.Equal(e.Movement.Time) || m.Points != e.Movement.Points || m.Member != e.Movement.Member {
				errs = append(errs, fmt.Errorf("site %s: received %s/%s, which its origin did not make (an echo?)", s.Name, e.Origin, e.Movement.ID))
			}
		}
		if got := s.Ledger.Keys(); !slices.Equal(got, want) {
			errs = append(errs, fmt.Errorf("site %s holds %d movements (%d distinct), the mesh made %d",
				s.Name, len(got), len(slices.Compact(slices.Clone(got))), len(want)))
		}
	}
	if len(sites) > 0 {
		first := sites[0].Ledger.Balances(false)
		for _, s := range sites[1:] {
			if bal := s.Ledger.Balances(false); !maps.Equal(bal, first) {
				errs = append(errs, fmt.Errorf("balances differ between %s and %s", sites[0].Name, s.Name))
			}
		}
	}
	return errors.Join(errs...)
}
