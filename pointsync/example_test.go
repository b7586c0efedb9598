package pointsync_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/pointsync/pointsynctest"
)

// exampleSite is a site as a program sets one up: a store, the protocol handler on an HTTP
// server, a ledger (the loyalty adapter's job; pointsynctest has an in-memory one) and a sender.
type exampleSite struct {
	store  *pointsync.MemStore
	ledger *pointsynctest.Ledger
	sender *pointsync.Sender
	local  pointsync.LocalSite
	srv    *httptest.Server
}

func newExampleSite(reserve string) *exampleSite {
	ctx := context.Background()
	s := &exampleSite{}
	s.store, _ = pointsync.NewMemStore()
	mux := http.NewServeMux()
	s.srv = httptest.NewServer(mux) // a real site serves e.g. https://shop.example/pointsync/
	// Local site information: generated once, kept by the store.
	local, _ := pointsync.NewLocalSite(s.srv.URL + "/pointsync/")
	s.local, _ = s.store.InitLocalSite(ctx, local)
	s.ledger = pointsynctest.NewLedger(s.local.SharingKey, s.store, s.store, nil, reserve)
	h, _ := pointsync.NewHandler(s.store, s.ledger)
	mux.Handle("/pointsync/", h)
	s.sender, _ = pointsync.NewSender(s.store, s.store)
	return s
}

// remoteFor is other as s enters it in its remote sites list.
func (s *exampleSite) remoteFor(other *exampleSite, target, observed string) pointsync.Remote {
	return pointsync.Remote{SharingKey: other.local.SharingKey, TargetReserve: target, ObservedReserve: observed,
		URL: other.local.URL, Auth: other.local.Auth, Pass: other.local.Pass}
}

// Two sites: each serves the protocol, lists the other as a remote, and sends its movements.
func Example() {
	ctx := context.Background()
	a, b := newExampleSite("points-a"), newExampleSite("points-b")
	defer a.srv.Close()
	defer b.srv.Close()

	// Each site adds the other from its local information; saving pings.
	pingErr, _ := a.sender.SaveRemote(ctx, a.remoteFor(b, "points-b", "points-a"))
	fmt.Println("ping before b knows a:", errors.Is(pingErr, pointsync.ErrUnknownSite))
	pingErr, _ = b.sender.SaveRemote(ctx, b.remoteFor(a, "points-a", "points-b"))
	fmt.Println("ping from b:", pingErr)

	// A movement on a is queued for b and delivered (Run does this continuously).
	_, _ = a.ledger.Record(ctx, "points-a", "Ann@Example.com", 120, pointsync.KindEarn, "order 1001")
	n, err := a.sender.Flush(ctx, b.local.SharingKey)
	fmt.Println("delivered:", n, err)
	fmt.Println("balance on b:", b.ledger.Balances(false)["ann@example.com"])
	// Output:
	// ping before b knows a: true
	// ping from b: <nil>
	// delivered: 1 <nil>
	// balance on b: 120
}

// Each wrong setting of a remote gives its own error.
func ExampleClient_Ping() {
	ctx := context.Background()
	a, b := newExampleSite("points-a"), newExampleSite("points-b")
	defer a.srv.Close()
	defer b.srv.Close()
	_ = a.store.PutRemote(ctx, a.remoteFor(b, "points-b", "points-a"))
	_ = b.store.PutRemote(ctx, b.remoteFor(a, "points-a", "points-b"))

	r := a.remoteFor(b, "points-b", "points-a")
	r.Pass = "wrong"
	c, _ := pointsync.NewClient(a.local.SharingKey, r)
	_, _, err := c.Ping(ctx)
	fmt.Println(errors.Is(err, pointsync.ErrBadCredentials))

	r = a.remoteFor(b, "no-such-pool", "points-a")
	c, _ = pointsync.NewClient(a.local.SharingKey, r)
	_, _, err = c.Ping(ctx)
	fmt.Println(errors.Is(err, pointsync.ErrUnknownReserve))
	// Output:
	// true
	// true
}

// A raw call, signed like the protocol's own.
func ExampleClient_Do() {
	ctx := context.Background()
	a, b := newExampleSite("points-a"), newExampleSite("points-b")
	defer a.srv.Close()
	defer b.srv.Close()
	_ = a.store.PutRemote(ctx, a.remoteFor(b, "points-b", "points-a"))
	_ = b.store.PutRemote(ctx, b.remoteFor(a, "points-a", "points-b"))

	c, _ := pointsync.NewClient(a.local.SharingKey, a.remoteFor(b, "points-b", "points-a"))
	req, _ := c.NewRequest(http.MethodPost, "ping", pointsync.PingRequest{Version: pointsync.Version, Reserve: "points-b"})
	var out pointsync.PingResponse
	_, err := c.Do(ctx, req, &out)
	fmt.Println(out.Reserve, err)
	// Output: points-b <nil>
}

func ExampleComputeStatus() {
	adv := pointsync.Advanced{MaxAttempts: 3, Delay: time.Minute, StatsPeriodDays: 7, WarningPeriodDays: 1}
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	fmt.Println(pointsync.ComputeStatus(pointsync.RemoteState{Failures: 3, LastErrorAt: now}, adv, now))
	fmt.Println(pointsync.ComputeStatus(pointsync.RemoteState{LastErrorAt: now.Add(-time.Hour)}, adv, now))
	fmt.Println(pointsync.ComputeStatus(pointsync.RemoteState{LastErrorAt: now.Add(-48 * time.Hour)}, adv, now))
	// Output:
	// error
	// warning
	// green
}
