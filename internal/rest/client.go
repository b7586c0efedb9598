package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"github.com/hashicorp/go-retryablehttp"
)

// Client sends requests to one API. It is safe for concurrent use.
type Client struct {
	cfg       Config
	base      *url.URL
	retry     *retryablehttp.Client
	pacer     *pacer
	userAgent string
}

// New returns a Client for cfg. The BaseURL must be absolute (http or https).
func New(cfg Config) (*Client, error) {
	c := cfg.withDefaults()
	base, err := url.Parse(c.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("rest: invalid base URL: %w", err)
	}
	if (base.Scheme != "http" && base.Scheme != "https") || base.Host == "" {
		return nil, fmt.Errorf("rest: base URL %q must be an absolute http or https URL", c.BaseURL)
	}
	base.RawQuery, base.Fragment = "", ""
	if !strings.HasSuffix(base.Path, "/") {
		base.Path += "/"
		if base.RawPath != "" {
			base.RawPath += "/"
		}
	}
	cl := &Client{cfg: c, base: base, pacer: newPacer(c.Rate, c.Burst, c.now, c.sleep)}
	cl.userAgent = userAgent(c.API, c.UserAgent)

	hc := *c.HTTPClient // copy: never modify the caller's client
	inner := hc.Transport
	if inner == nil {
		inner = http.DefaultTransport
	}
	hc.Transport = &attemptTransport{client: cl, next: inner}
	cl.retry = &retryablehttp.Client{
		HTTPClient:   &hc,
		Logger:       nil, // attempts are logged by attemptTransport
		RetryWaitMin: c.RetryWaitMin,
		RetryWaitMax: c.RetryWaitMax,
		RetryMax:     c.RetryMax,
		CheckRetry:   cl.checkRetry,
		// retryablehttp sleeps on a real timer between attempts: it is given no wait, and the
		// wait checkRetry chose is slept in PrepareRetry through Config.sleep.
		Backoff:      func(time.Duration, time.Duration, int, *http.Response) time.Duration { return 0 },
		PrepareRetry: cl.waitBeforeRetry,
		ErrorHandler: retryablehttp.PassthroughErrorHandler,
	}
	return cl, nil
}

func userAgent(api, prefix string) string {
	ua := "loyalsync/" + Version
	if api != "" {
		ua += " (" + api + "; +https://github.com/loyalsync/loyalsync; " + runtime.Version() + ")"
	}
	if prefix != "" {
		ua = prefix + " " + ua
	}
	return ua
}

// BaseURL returns a copy of the URL request paths are resolved against.
func (c *Client) BaseURL() *url.URL {
	u := *c.base
	return &u
}

// Logger returns the client's logger.
func (c *Client) Logger() *slog.Logger { return c.cfg.Logger }

// RateLimit returns the latest rate-limit signals the server sent, and whether any were seen.
func (c *Client) RateLimit() (RateLimit, bool) { return c.pacer.latest() }

// Request describes one API call.
type Request struct {
	// Method is the HTTP method; empty means GET.
	Method string
	// Path is resolved against the base URL. Escape variable segments with [PathEscape] or build the
	// path with [JoinPath].
	Path string
	// Query is a struct with `url` tags (encoded with go-querystring), url.Values, or nil.
	Query any
	// Body is encoded as JSON, unless it is a []byte (sent as is with ContentType) or nil.
	Body any
	// ContentType overrides the Content-Type of a []byte body. Default: application/json.
	ContentType string
	// Header adds request headers.
	Header http.Header

	// RetrySafe marks a POST, PUT, PATCH or DELETE as safe to send again after a network error or a
	// 502/503/504. Such a request may have been applied by the server even though its response was
	// lost, so retrying it blindly can apply it twice (two coupons, points added twice). Mark it safe
	// only when a repeat cannot double-apply: it carries an idempotency key the server honours, or a
	// deterministic identifier the client looks up before trying again. GET, HEAD and OPTIONS are
	// always retried. A 429 is retried for every method, because a rate-limited request is rejected
	// before it is processed.
	RetrySafe bool
}

// Response is a completed HTTP exchange. Its body has been read into Body and closed.
type Response struct {
	*http.Response
	// Body is the raw response body (after BOM stripping).
	Body []byte
	// Attempts is how many times the request was sent.
	Attempts int
}

// callState is what the retry policy and the transport learn about the call they serve; it travels
// in the request context (one allocation for both).
type callState struct {
	retrySafe bool         // the request may be sent again after a lost response
	attempts  atomic.Int32 // attempts started so far
	processed atomic.Bool  // an attempt may have been processed by the server

	// Set by checkRetry and read by waitBeforeRetry, both on the goroutine running the retries.
	retries int           // retries decided so far
	wait    time.Duration // the wait before the next retry
}

type callStateKey struct{}

func callStateFrom(ctx context.Context) *callState {
	st, _ := ctx.Value(callStateKey{}).(*callState)
	return st
}

// Do sends the request, retrying and pacing as configured, and decodes a 2xx response into out
// (see [Client.DoHTTP] for what out may be). A non-2xx response becomes the API's error (see
// Config.DecodeError); the Response is returned with it whenever one was received.
func (c *Client) Do(ctx context.Context, r *Request, out any) (*Response, error) {
	if ctx == nil {
		return nil, errors.New("rest: nil context")
	}
	if r == nil {
		return nil, errors.New("rest: nil request")
	}
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	u, err := c.resolve(r.Path, r.Query)
	if err != nil {
		return nil, err
	}
	body, contentType, err := encodeBody(r.Body, r.ContentType)
	if err != nil {
		return nil, err
	}
	st := &callState{retrySafe: r.RetrySafe || idempotent(method)}
	ctx = context.WithValue(ctx, callStateKey{}, st)
	var rawBody any
	if body != nil {
		rawBody = body
	}
	req, err := retryablehttp.NewRequestWithContext(ctx, method, u.String(), rawBody)
	if err != nil {
		return nil, fmt.Errorf("rest: build request: %w", err)
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	c.setHeaders(req.Header, contentType)
	return c.send(ctx, st, req, out)
}

// NewRequest builds a request for an endpoint the client does not model, for [Client.DoHTTP].
// path is relative to the base URL and may carry a query ("reports/sales?period=week"); body is
// encoded as JSON unless it is nil or a []byte (sent as is). The request carries the library's
// User-Agent, Accept and Content-Type headers; credentials are added when it is sent. The caller
// may add headers before sending it.
func (c *Client) NewRequest(method, path string, body any) (*http.Request, error) {
	if method == "" {
		method = http.MethodGet
	}
	u, err := c.resolve(path, nil)
	if err != nil {
		return nil, err
	}
	data, contentType, err := encodeBody(body, "")
	if err != nil {
		return nil, err
	}
	var rd io.Reader
	if data != nil {
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, u.String(), rd)
	if err != nil {
		return nil, fmt.Errorf("rest: build request: %w", err)
	}
	c.setHeaders(req.Header, contentType)
	return req, nil
}

// DoHTTP sends req (usually from [Client.NewRequest]) with the client's authentication, retries
// and pacing, under ctx (the request's own context is replaced). The retry policy is the one of
// its method: GET, HEAD and OPTIONS are retried on network errors, 429, 502, 503 and 504; any
// other method only on 429, because it may have been applied although its response was lost.
// Credentials are added only when req goes to the base URL's host.
//
// A 2xx body is decoded as JSON into out when out is not nil, or copied to out when it is an
// io.Writer. A non-2xx response becomes the API's error, returned with the Response.
func (c *Client) DoHTTP(ctx context.Context, req *http.Request, out any) (*Response, error) {
	if ctx == nil {
		return nil, errors.New("rest: nil context")
	}
	if req == nil || req.URL == nil {
		return nil, errors.New("rest: nil request")
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	st := &callState{retrySafe: idempotent(method)}
	ctx = context.WithValue(ctx, callStateKey{}, st)
	rr, err := retryablehttp.FromRequest(req.WithContext(ctx))
	if err != nil {
		return nil, fmt.Errorf("rest: read request body: %w", err)
	}
	if rr.Header.Get("User-Agent") == "" {
		rr.Header = rr.Header.Clone() // WithContext made a shallow copy: never modify the caller's headers
		if rr.Header == nil {
			rr.Header = http.Header{}
		}
		c.setHeaders(rr.Header, "")
	}
	return c.send(ctx, st, rr, out)
}

// RequestOp names a raw request in errors: "GET /wp-json/wc/v3/reports?period=week", its path and
// query with credentials redacted, or "request" when req or its URL is nil. A client's Do wraps
// its errors with it: fmt.Errorf("sitoo: %s: %w", rest.RequestOp(req), err).
func RequestOp(req *http.Request) string {
	if req == nil || req.URL == nil {
		return "request"
	}
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	return method + " " + redactedPath(req.URL)
}

// setHeaders sets the library's User-Agent, a JSON Accept header unless one is set, and the
// Content-Type of a body.
func (c *Client) setHeaders(h http.Header, contentType string) {
	h.Set("User-Agent", c.userAgent)
	if h.Get("Accept") == "" {
		h.Set("Accept", "application/json")
	}
	if contentType != "" {
		h.Set("Content-Type", contentType)
	}
}

// encodeBody renders a request body: nil, []byte as is, anything else as JSON. It returns the
// content type to send (contentType, or JSON's when a body is present and none is given).
func encodeBody(body any, contentType string) ([]byte, string, error) {
	var data []byte
	switch b := body.(type) {
	case nil:
	case []byte:
		data = b
	default:
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(b); err != nil {
			return nil, "", fmt.Errorf("rest: encode request body: %w", err)
		}
		data = bytes.TrimSuffix(buf.Bytes(), []byte{'\n'})
	}
	if data != nil && contentType == "" {
		contentType = "application/json"
	}
	return data, contentType, nil
}

// send runs the retries of one call and turns the outcome into a Response and an error.
func (c *Client) send(ctx context.Context, st *callState, req *retryablehttp.Request, out any) (*Response, error) {
	method, u := req.Method, req.URL
	resp, err := c.retry.Do(req)
	n := int(st.attempts.Load())
	if err != nil {
		if resp != nil { // retryablehttp hands back the last response with a policy error
			resp.Body.Close()
		}
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("rest: %s %s: %w", method, redactedPath(u), ctxErr)
		}
		return nil, c.transportError(st, method, u, unwrapURLError(err))
	}
	defer resp.Body.Close()
	data, err := readBody(resp.Body, c.cfg.MaxResponseBytes)
	if err != nil {
		st.processed.Store(true)
		return nil, c.transportError(st, method, u, err)
	}
	out2 := &Response{Response: resp, Body: data, Attempts: n}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return out2, c.decodeError(resp, data)
	}
	if w, ok := out.(io.Writer); ok {
		if _, err := w.Write(data); err != nil {
			return out2, fmt.Errorf("rest: write response body: %w", err)
		}
		return out2, nil
	}
	if out != nil && len(bytes.TrimSpace(data)) > 0 {
		if err := c.unmarshal(data, out); err != nil {
			return out2, c.NewDecodeError(out2, err)
		}
	}
	return out2, nil
}

func (c *Client) transportError(st *callState, method string, u *url.URL, err error) *TransportError {
	return &TransportError{Method: method, Path: redactedPath(u), Attempts: int(st.attempts.Load()), Err: err,
		processed: st.processed.Load(), sentinel: c.cfg.ErrTransport}
}

// NewDecodeError reports a 2xx response whose body the client could not use (a client that
// decodes a body itself, e.g. to read a new id, fails with it). It matches Config.ErrDecode.
func (c *Client) NewDecodeError(resp *Response, err error) *DecodeError {
	e := &DecodeError{Body: resp.Body, Err: err, sentinel: c.cfg.ErrDecode}
	if resp.Response != nil {
		e.Status = resp.StatusCode
		if r := resp.Request; r != nil {
			e.Method, e.Path = r.Method, redactedPath(r.URL)
		}
	}
	return e
}

func (c *Client) unmarshal(data []byte, out any) error {
	if c.cfg.Unmarshal != nil {
		return c.cfg.Unmarshal(data, out)
	}
	return json.Unmarshal(data, out)
}

func (c *Client) decodeError(resp *http.Response, body []byte) error {
	if c.cfg.DecodeError != nil {
		if err := c.cfg.DecodeError(resp, body); err != nil {
			return err
		}
	}
	return NewHTTPError(resp, body)
}

func (c *Client) resolve(path string, q any) (*url.URL, error) {
	if strings.HasPrefix(path, "/") || strings.Contains(path, "://") || hasDotDotSegment(path) {
		return nil, fmt.Errorf("rest: path %q must be relative to the base URL, without '..' segments", path)
	}
	ref, err := url.Parse(path)
	if err != nil {
		return nil, fmt.Errorf("rest: invalid path %q: %w", path, err)
	}
	u := c.base.ResolveReference(ref)
	values, err := EncodeQuery(q)
	if err != nil {
		return nil, err
	}
	if len(values) > 0 {
		existing := u.Query()
		for k, vs := range values {
			existing[k] = append(existing[k], vs...)
		}
		u.RawQuery = EncodeValues(existing)
	}
	return u, nil
}

// readBody reads at most limit bytes, failing with ErrResponseTooLarge beyond, and strips a UTF-8 BOM.
func readBody(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read response body: %w", err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%w (limit %d bytes)", ErrResponseTooLarge, limit)
	}
	return StripBOM(data), nil
}

// StripBOM removes a leading UTF-8 byte order mark, which some WordPress hosts prepend to JSON.
func StripBOM(b []byte) []byte {
	return bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
		return true
	}
	return false
}

func unwrapURLError(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err // the URL may carry credentials; the caller adds a redacted path
	}
	return err
}

// attemptTransport carries one attempt: it waits for the pacer, authenticates, sends, logs and
// records the server's rate-limit signals.
type attemptTransport struct {
	client *Client
	next   http.RoundTripper
}

// RoundTrip sends one attempt (or one redirect hop of it).
func (t *attemptTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	c := t.client
	ctx := req.Context()
	attempt := 1
	if st := callStateFrom(ctx); st != nil {
		if req.Response == nil { // a redirect hop (Response set) belongs to the current attempt
			st.attempts.Add(1)
		}
		attempt = int(st.attempts.Load())
	}
	if err := c.pacer.wait(ctx); err != nil {
		return nil, err
	}
	if c.cfg.Authenticate != nil && c.sameOrigin(req.URL) {
		req = req.Clone(ctx) // a RoundTripper must not modify the request it was given
		if err := c.cfg.Authenticate(req); err != nil {
			return nil, &authError{err: err}
		}
	}
	start := c.cfg.now()
	resp, err := t.next.RoundTrip(req)
	if st := callStateFrom(ctx); st != nil && ((err != nil && !notSent(err)) || (err == nil && resp.StatusCode != http.StatusTooManyRequests)) {
		st.processed.Store(true)
	}
	if c.cfg.Logger.Enabled(ctx, slog.LevelDebug) { // skip building the record when nobody reads it
		c.logAttempt(ctx, req, attempt, c.cfg.now().Sub(start), resp, err)
	}
	if err != nil {
		return nil, err
	}
	if rl, ok := c.cfg.RateLimitFromHeaders(resp.Header, c.cfg.now()); ok {
		c.pacer.observe(rl)
	}
	return resp, nil
}

var _ http.RoundTripper = (*attemptTransport)(nil)

// logAttempt writes one debug record for an attempt, with credentials redacted from the path.
func (c *Client) logAttempt(ctx context.Context, req *http.Request, attempt int, elapsed time.Duration, resp *http.Response, err error) {
	attrs := []slog.Attr{
		slog.String("api", c.cfg.API),
		slog.String("method", req.Method),
		slog.String("path", redactedPath(req.URL)),
		slog.Int("attempt", attempt),
		slog.Duration("duration", elapsed),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Error()))
		c.cfg.Logger.LogAttrs(ctx, slog.LevelDebug, "http request failed", attrs...)
		return
	}
	attrs = append(attrs, slog.Int("status", resp.StatusCode))
	c.cfg.Logger.LogAttrs(ctx, slog.LevelDebug, "http request", attrs...)
}

// sameOrigin reports whether u is on the base URL's host, over the same scheme or upgraded to https.
// Credentials are added only there, so a redirect to another host, or from https down to http,
// never carries them.
func (c *Client) sameOrigin(u *url.URL) bool {
	if !strings.EqualFold(u.Host, c.base.Host) {
		return false
	}
	return u.Scheme == c.base.Scheme || u.Scheme == "https"
}

// authError is a failure of Config.Authenticate. It is permanent: the request is not retried.
type authError struct{ err error }

// Error reports the failure with its cause.
func (e *authError) Error() string { return "authenticate: " + e.err.Error() }

// Unwrap returns the error Authenticate returned.
func (e *authError) Unwrap() error { return e.err }

// sleepCtx waits d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
