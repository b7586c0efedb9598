package pointsynctest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
)

// Faults are the probabilities (0..1) of what a FaultyTransport does to a request. They are drawn
// in this order and at most one applies; the rest of the time the request goes through untouched.
type Faults struct {
	// Drop loses the request: the server never sees it, the client gets a network error.
	Drop float64
	// Lose delivers the request but loses the response: the client gets a network error.
	Lose float64
	// Status5xx answers 503 without delivering the request.
	Status5xx float64
	// Duplicate delivers the request twice in a row; the client gets the first response.
	Duplicate float64
	// Reorder holds the request back and delivers it after the next request (or at Release); the
	// client gets a network error, as if the response were lost.
	Reorder float64
}

// ErrFault is the network error a FaultyTransport returns for a fault.
var ErrFault = errors.New("pointsynctest: injected network fault")

// FaultyTransport is an http.RoundTripper that injects Faults, drawn from a seeded generator so a
// sequential run is repeatable. Its counters tell what happened. Create it with NewFaultyTransport.
type FaultyTransport struct {
	next http.RoundTripper

	mu     sync.Mutex
	faults Faults
	rng    *rand.Rand
	held   []*http.Request
	counts map[string]int
}

// NewFaultyTransport returns a transport that sends through next (http.DefaultTransport when
// nil), injecting f with the generator seeded by seed.
func NewFaultyTransport(next http.RoundTripper, f Faults, seed uint64) *FaultyTransport {
	if next == nil {
		next = http.DefaultTransport
	}
	return &FaultyTransport{next: next, faults: f, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), counts: map[string]int{}}
}

// SetFaults replaces the fault probabilities, e.g. with Faults{} to heal the network.
func (t *FaultyTransport) SetFaults(f Faults) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.faults = f
}

// Count returns how many requests met the fault ("drop", "lose", "5xx", "duplicate", "reorder"),
// went through untouched ("ok"), or were sent at all ("requests", held deliveries excluded).
func (t *FaultyTransport) Count(what string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.counts[what]
}

func (t *FaultyTransport) draw() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.counts["requests"]++
	x := t.rng.Float64()
	for _, f := range []struct {
		name string
		p    float64
	}{{"drop", t.faults.Drop}, {"lose", t.faults.Lose}, {"5xx", t.faults.Status5xx}, {"duplicate", t.faults.Duplicate}, {"reorder", t.faults.Reorder}} {
		if x < f.p {
			t.counts[f.name]++
			return f.name
		}
		x -= f.p
	}
	t.counts["ok"]++
	return "ok"
}

// RoundTrip implements http.RoundTripper.
func (t *FaultyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	body, err := readBody(req)
	if err != nil {
		return nil, err
	}
	fault := t.draw()
	send := func() (*http.Response, error) { return t.next.RoundTrip(withBody(req, body)) }
	// Requests held back earlier are delivered after this one: they arrive out of order.
	t.mu.Lock()
	earlier := t.held
	t.held = nil
	t.mu.Unlock()
	defer deliver(t.next, earlier)
	switch fault {
	case "drop":
		return nil, ErrFault
	case "lose":
		if resp, err := send(); err == nil {
			drain(resp)
		}
		return nil, ErrFault
	case "5xx":
		return &http.Response{
			StatusCode: http.StatusServiceUnavailable, Status: "503 Service Unavailable", Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
			Header:  http.Header{"Content-Type": {"text/html"}},
			Body:    io.NopCloser(strings.NewReader("<html>503 Service Unavailable</html>")),
			Request: req,
		}, nil
	case "duplicate":
		resp, err := send()
		if err != nil {
			return nil, err
		}
		if dup, err := send(); err == nil {
			drain(dup)
		}
		return resp, nil
	case "reorder":
		held := withBody(req.Clone(context.WithoutCancel(req.Context())), body)
		t.mu.Lock()
		t.held = append(t.held, held)
		t.mu.Unlock()
		return nil, ErrFault
	}
	return send()
}

// Release delivers the requests held back by Reorder now (their responses are discarded).
func (t *FaultyTransport) Release() {
	t.mu.Lock()
	held := t.held
	t.held = nil
	t.mu.Unlock()
	deliver(t.next, held)
}

func deliver(next http.RoundTripper, reqs []*http.Request) {
	for _, r := range reqs {
		if resp, err := next.RoundTrip(r); err == nil {
			drain(resp)
		}
	}
}

func readBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	defer req.Body.Close()
	return io.ReadAll(req.Body)
}

func withBody(req *http.Request, body []byte) *http.Request {
	r := req.Clone(req.Context())
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	return r
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
}
