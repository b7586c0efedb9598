package pointsync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/internal/rest"
)

// Client speaks the protocol to one remote site of kind KindLoyalsync, on the shared HTTP core
// (retries with back-off, pacing, logging). It is safe for concurrent use.
type Client struct {
	rest   *rest.Client
	from   string
	remote Remote
	now    func() time.Time
}

// Response is the HTTP response of a call.
type Response struct {
	*http.Response
	// Body is the raw response body.
	Body []byte
	// Attempts is how many times the request was sent (retries included).
	Attempts int
}

// NewClient returns a client that sends as the local site with sharing key from to remote.
// Options: WithHTTPClient, WithLogger, WithUserAgent, WithRetry, WithRateLimit,
// WithMaxRetryAfter, WithClock, WithSleep; nil options are ignored. A key, remote or option value
// the client cannot use makes NewClient fail with an error that matches ErrInvalidArgument.
func NewClient(from string, remote Remote, opts ...Option) (*Client, error) {
	if err := checkToken("from", from, maxKeyLen); err != nil {
		return nil, err
	}
	if err := remote.Validate(); err != nil {
		return nil, err
	}
	if remote.EffectiveKind() != KindLoyalsync {
		return nil, invalid("remote.kind", "is %q; the protocol client speaks only to loyalsync sites", remote.Kind)
	}
	cfg, err := newConfig("NewClient", opts)
	if err != nil {
		return nil, err
	}
	c := &Client{from: from, remote: remote, now: cfg.now}
	rc := cfg.restConfig
	rc.BaseURL, rc.API, rc.ErrTransport, rc.ErrDecode = remote.URL, "pointsync", ErrTransport, ErrDecode
	rc.Authenticate = c.authenticate
	rc.DecodeError = func(resp *http.Response, body []byte) error { return newAPIError(resp, body) }
	rcl, err := rest.New(rc)
	if err != nil {
		return nil, fmt.Errorf("pointsync: NewClient: %w", err)
	}
	c.rest = rcl
	return c, nil
}

// authenticate signs each attempt afresh, so a retry carries a timestamp inside the window.
func (c *Client) authenticate(req *http.Request) error {
	var body []byte
	if req.GetBody != nil {
		rc, err := req.GetBody()
		if err != nil {
			return err
		}
		body, err = io.ReadAll(rc)
		rc.Close()
		if err != nil {
			return err
		}
	}
	SignRequest(req, c.from, c.remote, path.Base(req.URL.Path), body, c.now())
	return nil
}

// Remote returns the remote site the client speaks to.
func (c *Client) Remote() Remote { return c.remote }

// Ping checks the remote's settings: it answers only when the URL, auth, pass, sharing key, this
// site's sharing key on the remote and the target reserve are all right. Each wrong setting has
// its own error: ErrUnreachable, ErrBadCredentials, ErrWrongSharingKey, ErrUnknownSite,
// ErrUnknownReserve (and ErrStaleTimestamp when the clocks disagree).
func (c *Client) Ping(ctx context.Context) (*PingResponse, *Response, error) {
	var out PingResponse
	resp, err := c.do(ctx, "ping", OpPing, PingRequest{Version: Version, Reserve: c.remote.TargetReserve}, &out)
	if err != nil {
		return nil, resp, err
	}
	if out.SharingKey != c.remote.SharingKey {
		return nil, resp, fmt.Errorf("pointsync: ping %s: %w: it answered as %q", c.remote.URL, ErrWrongSharingKey, out.SharingKey)
	}
	return &out, resp, nil
}

// Send delivers a batch. It is safe to send a batch again: the remote applies each movement once,
// and answers ErrReplayed for a batch id it has already applied (so the batch was delivered).
func (c *Client) Send(ctx context.Context, b *Batch) (*Result, *Response, error) {
	if err := b.Validate(); err != nil {
		return nil, nil, err
	}
	if b.Origin != c.from {
		return nil, nil, invalid("batch.origin", "is %q, the client sends as %q", b.Origin, c.from)
	}
	var out Result
	resp, err := c.do(ctx, "send batch "+b.ID, OpBatches, b, &out)
	if err != nil {
		return nil, resp, err
	}
	return &out, resp, nil
}

func (c *Client) do(ctx context.Context, what, op string, body, out any) (*Response, error) {
	rr, err := c.rest.Do(ctx, &rest.Request{Method: http.MethodPost, Path: op, Body: body, RetrySafe: true}, out)
	if err != nil {
		err = fmt.Errorf("pointsync: %s %s: %w", what, c.remote.URL, classify(err))
	}
	return newResponse(rr), err
}

// NewRequest builds a request for an endpoint the client does not model; path is relative to the
// remote's URL and may carry a query. It is signed when sent with Do.
func (c *Client) NewRequest(method, path string, body any) (*http.Request, error) {
	req, err := c.rest.NewRequest(method, path, body)
	if err != nil {
		return nil, fmt.Errorf("pointsync: new request: %w", err)
	}
	return req, nil
}

// Do sends req signed as the protocol requires (the operation signed is the last segment of its
// path), with the client's retries and pacing, and decodes a 2xx JSON body into out.
func (c *Client) Do(ctx context.Context, req *http.Request, out any) (*Response, error) {
	rr, err := c.rest.DoHTTP(ctx, req, out)
	if err != nil {
		err = fmt.Errorf("pointsync: %s: %w", rest.RequestOp(req), classify(err))
	}
	return newResponse(rr), err
}

func newResponse(rr *rest.Response) *Response {
	if rr == nil {
		return nil
	}
	return &Response{Response: rr.Response, Body: rr.Body, Attempts: rr.Attempts}
}

// Deliverer delivers batches to one kind of remote site. The Sender uses the protocol client for
// KindLoyalsync remotes; the loyalty adapter provides the deliverers of KindWooRewards and
// KindRewardPoints (WithDeliverer).
type Deliverer interface {
	// Ping checks the remote's settings; its error says which one is wrong.
	Ping(ctx context.Context, local LocalSite, r Remote) error
	// Deliver sends the batch. nil means every movement is applied on the remote (now or
	// before). An error matching ErrReplayed means the remote had already applied this batch id.
	Deliver(ctx context.Context, local LocalSite, r Remote, b *Batch) error
}

// protocolDeliverer delivers with a Client per (local key, remote settings), kept while the
// settings stay the same so that pacing and connections carry over between batches.
type protocolDeliverer struct {
	opts []Option

	mu      sync.Mutex
	clients map[clientKey]*Client
}

type clientKey struct {
	from   string
	remote Remote
}

func newProtocolDeliverer(opts []Option) *protocolDeliverer {
	return &protocolDeliverer{opts: opts, clients: map[clientKey]*Client{}}
}

func (d *protocolDeliverer) client(local LocalSite, r Remote) (*Client, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k := clientKey{local.SharingKey, r}
	if c := d.clients[k]; c != nil {
		return c, nil
	}
	for old := range d.clients { // settings changed: forget the clients of the old ones
		if old.remote.SharingKey == r.SharingKey {
			delete(d.clients, old)
		}
	}
	c, err := NewClient(local.SharingKey, r, d.opts...)
	if err != nil {
		return nil, err
	}
	d.clients[k] = c
	return c, nil
}

// Ping implements Deliverer.
func (d *protocolDeliverer) Ping(ctx context.Context, local LocalSite, r Remote) error {
	c, err := d.client(local, r)
	if err != nil {
		return err
	}
	_, _, err = c.Ping(ctx)
	return err
}

// Deliver implements Deliverer.
func (d *protocolDeliverer) Deliver(ctx context.Context, local LocalSite, r Remote, b *Batch) error {
	c, err := d.client(local, r)
	if err != nil {
		return err
	}
	_, _, err = c.Send(ctx, b)
	return err
}

// delivered reports whether a delivery error still means the batch is applied on the remote.
func delivered(err error) bool { return err == nil || errors.Is(err, ErrReplayed) }
