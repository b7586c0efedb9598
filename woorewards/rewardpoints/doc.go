// Package rewardpoints is a client for the add-points REST API of "WooCommerce Reward Points" by
// welaunch (POST /wp-json/wc-reward-points/v1/add-points) — a different plugin from WooRewards,
// whose client is the parent package woorewards. The two live together because both are
// WordPress loyalty plugins that sit next to WooCommerce and speak the WordPress REST conventions.
//
//	client, err := rewardpoints.NewClient("https://shop.example.com", "api-admin", "abcd efgh ijkl mnop")
//	res, _, err := client.AddPoints(ctx, rewardpoints.AddRequest{
//		OperationID: "order-1234-review-bonus", UserID: 123, Points: 250, Message: "Thanks for your review",
//	})
//
// The API only adds points (no subtraction, no balance read, no history), identifies users by
// WordPress user id, and needs a user with the manage_woocommerce capability. The client logs in
// with an application password over HTTPS, as the vendor recommends; it refuses http:// URLs.
//
// # Exactly once, as far as it can be known
//
// The vendor's documentation says idempotency is "not built-in" and tells integrators to build
// it client-side with an operation id. AddPoints does that: every add carries the caller's
// operation id, recorded in a Store (MemoryStore by default; WithStore for a durable one) before
// the request is sent and updated with the outcome, so that a retry with the same id returns the
// first result instead of adding again. Where the outcome cannot be known — the response was lost
// after the request left — the client says so (ErrOutcomeUnknown) and refuses to resend until the
// caller resolves the operation with ResolveUnknown. AddPoints documents exactly which cases the
// guarantee covers and which it cannot.
//
// MemoryStore, the default, is bounded: it keeps at most DefaultMaxDone finished operations, each
// for at most DefaultDoneMaxAge (one day), and never evicts a pending one. A retry of an
// operation it has forgotten is sent again; see NewMemoryStore for the options.
//
// # Errors
//
// Every error names the operation that failed ("rewardpoints: add points: …"). A non-2xx
// response is an *APIError; errors.Is matches ErrInvalidUser and ErrInvalidPoints (400
// invalid_user, invalid_points), ErrBadRequest (any 400), ErrUnauthorized (401), ErrForbidden
// (403, no manage_woocommerce), ErrNoRoute and ErrNotFound (404: plugin inactive or API not
// enabled), ErrRateLimited and ErrServer. Requests the server would refuse — a user id or points
// not positive, an empty message — are rejected before anything is sent as a *ParamError
// (ErrInvalidArgument, and ErrInvalidUser or ErrInvalidPoints for those fields). A request that
// got no usable response is a *TransportError (ErrTransport), a 2xx body that is not the
// documented success a *DecodeError (ErrDecode); AddPoints wraps both in an *OutcomeUnknownError
// unless the request certainly never reached the server. The idempotency errors are
// *OutcomeUnknownError (ErrOutcomeUnknown) and *MismatchError (ErrOperationMismatch). The common
// sentinel names are the same in every loyalsync client.
//
// # Options and raw requests
//
// NewClient takes the options every loyalsync client shares — WithHTTPClient, WithLogger,
// WithUserAgent, WithRetry, WithRateLimit, WithMaxRetryAfter, WithClock and WithSleep — and
// WithStore and WithOperationIDInMessage; a nil option is ignored. Client.NewRequest and Client.Do call any
// other WordPress route of the site with the client's credentials, retries and pacing.
package rewardpoints
