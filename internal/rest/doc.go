// Package rest is the one HTTP core every loyalsync client is built on. No client writes its own
// retry, pacing, query encoding or error decoding: they configure a rest.Client and describe their
// requests.
//
// What the core does for every request:
//
//   - Retries with exponential back-off and jitter (hashicorp/go-retryablehttp) on network errors and
//     on 429, 502, 503 and 504, honouring Retry-After (seconds or HTTP-date) and any reset header a
//     client knows how to read. A request that is not idempotent (POST, PUT, PATCH, DELETE) is retried
//     only when the caller marks it RetrySafe; see [Request.RetrySafe] for why.
//   - Paces requests client-side with a token bucket (golang.org/x/time/rate), and slows down further
//     when the server says how many requests remain in its window.
//   - Encodes option structs into the query string with go-querystring (`url:"..."` tags, including
//     `url:"include,comma"` lists), escaping spaces as %20.
//   - Encodes JSON bodies, decodes JSON responses (stripping a UTF-8 BOM, capping the size), keeps
//     the raw body of failed responses, and hands them to the API's own error decoder.
//   - Logs each attempt through log/slog with credentials redacted, and sends a User-Agent that
//     names the library and its version.
//
// [Pages] turns a "fetch one page" function into a lazy iter.Seq2.
//
// # Conventions for clients
//
// Every client (sitoo, woocommerce, woorewards, woorewards/rewardpoints) is wired the same way, so
// that the four read as one family.
//
// Options. A client declares `type Option func(*options) error` over its own unexported settings,
// which hold a []rest.Option. The common options are defined once here, with their validation and
// docs — [WithHTTPClient], [WithLogger], [WithUserAgent], [WithRetry], [WithRateLimit],
// [WithMaxRetryAfter], [WithClock] and its companion [WithSleep] — and the client exposes each under the same name as a one-line
// wrapper (its doc comment may add what is specific to the API):
//
//	func WithLogger(l *slog.Logger) Option { return restOption(rest.WithLogger(l)) }
//
//	func restOption(r rest.Option) Option {
//		return func(o *options) error { o.rest = append(o.rest, r); return nil }
//	}
//
// A client that reads time itself (operation stores, de-duplication windows) keeps the function
// in its own settings too and passes it on with rest.WithClock. Client-specific options
// (WithPageSize, WithStore, ...) stay in the client and validate their arguments. The constructor
// applies its options with [ApplyOptions] (nil options are skipped, in every client), then
// rest.Config.Apply(o.rest...), and prefixes any error with the package: "sitoo: WithRetry: ...".
//
// Errors. The constructor sets rest.Config.ErrTransport and ErrDecode to the client's own
// sentinels, so that errors.Is(err, client.ErrTransport) matches every [TransportError] and
// errors.Is(err, client.ErrDecode) every [DecodeError] the client returns; a client that decodes a
// body itself reports failure with [Client.NewDecodeError]. The client exports the types as aliases
// so callers can read Attempts and [TransportError.MayHaveReachedServer]:
//
//	// ErrTransport: no usable HTTP response (matches *TransportError).
//	ErrTransport = errors.New("sitoo: transport error")
//	// ErrDecode: a 2xx body that could not be decoded (matches *DecodeError).
//	ErrDecode = errors.New("sitoo: decode error")
//
//	type TransportError = rest.TransportError
//	type DecodeError = rest.DecodeError
//
// Sentinel names are the same in every client: ErrInvalidArgument (refused client-side, nothing
// sent), ErrBadRequest (400), ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited,
// ErrServer (5xx), ErrTransport, ErrDecode; API-specific ones are added beside them. Config
// .DecodeError turns a non-2xx response into the client's *APIError, whose Is method maps statuses
// to these sentinels. Every error a service method returns names the operation:
// fmt.Errorf("sitoo: update product %d: %w", id, err); a raw call names its request with
// [RequestOp].
//
// Responses. A client's Response is struct{ *http.Response; Body []byte; Attempts int; <its
// pagination fields> }, built from a [Response] — never embedding it.
//
// Raw calls. Each client exposes the core's raw plumbing under go-github's names, with an Example:
//
//	// NewRequest builds a request for an endpoint the client does not model; path is relative to
//	// the API base URL and may carry a query.
//	func (c *Client) NewRequest(method, path string, body any) (*http.Request, error) {
//		req, err := c.rc.NewRequest(method, path, body)
//		if err != nil {
//			return nil, fmt.Errorf("sitoo: new request: %w", err)
//		}
//		return req, nil
//	}
//
//	// Do sends req with the client's credentials, retries and pacing and decodes a 2xx JSON body
//	// into out (an io.Writer receives the raw body).
//	func (c *Client) Do(ctx context.Context, req *http.Request, out any) (*Response, error) {
//		rr, err := c.rc.DoHTTP(ctx, req, out)
//		if err != nil {
//			err = fmt.Errorf("sitoo: %s: %w", rest.RequestOp(req), err)
//		}
//		return newResponse(rr), err // newResponse(nil) is nil
//	}
//
// [Client.DoHTTP] adds credentials only for the base URL's host and applies the retry policy of
// the request's method: GET, HEAD and OPTIONS are retried on network errors and 429/502/503/504,
// every other method only on 429, because it may have been applied although its response was lost.
//
// Clocks. A leaf package that reads time takes WithClock(now func() time.Time); a client that
// exposes WithClock exposes WithSleep(sleep func(ctx context.Context, d time.Duration) error)
// beside it, through which every wait of the core goes (pacing, retry back-off, Retry-After).
// Tests inject a clock that advances only in that sleep and assert on counts and on the waits
// chosen, never on elapsed time.
package rest
