// Package woorewards is a client for the REST API of WooRewards Pro (Long Watch Studio), the
// WordPress loyalty plugin, under /wp-json/woorewards/v1.
//
// Only WooRewards Pro has the REST API (the free MyRewards does not), and it is off by default:
// turn it on in WooRewards → System → API ("Enable REST API"), grant the API user the permissions
// it needs (general reading, user reading, user writing), and keep permalinks other than "Plain".
// A missing API answers every route with 404 rest_no_route, reported as ErrNoRoute.
//
//	client, err := woorewards.NewClient("https://shop.example.com",
//		woorewards.AppPassword("api-user", "abcd efgh ijkl mnop qrst uvwx"))
//	pools, _, err := client.Pools.List(ctx)
//	bal, _, err := client.Points.Add(ctx, "ann@example.com", pools[0].ID, 50, "Welcome bonus")
//
// # Authentication
//
// WooRewards answers only requests of a logged-in WordPress user. The client logs in with a
// WordPress application password (AppPassword, HTTP Basic) or a WooCommerce REST API key
// (ConsumerKey, sent as consumer_key/consumer_secret query parameters, which needs "Allow
// authentication by WooCommerce REST API" in WooRewards → System → API). Both work over HTTPS
// only: NewClient refuses an http:// site URL rather than send credentials in clear text, and
// credentials never follow a redirect to another host or down to plain HTTP. A 401 or 403
// carries a Hint with the likely cause.
//
// # Pools, reserves and users
//
// A pool ("points and rewards system") has a string id, rewards, and ways to earn points; its
// balances live in a points reserve that several pools may share. Users are identified by email.
// Emails, pool ids and reasons are sent as escaped path segments, so no value can change the route.
//
// # Decoding
//
// The API documents each object as containing "at least" some fields. Decoders ignore unknown
// fields (each type keeps the object as sent in Raw), accept ids as strings or numbers, counts as
// numbers or numeric strings, booleans in the forms WordPress stores, and lists sent as JSON
// objects (PHP's form of an array with gaps in its keys).
//
// # Errors
//
// Every error names the operation that failed ("woorewards: unlock reward 1 of pool \"default\"
// for \"ann@example.com\": 409 …"). A non-2xx response is an *APIError; errors.Is matches the
// sentinels: ErrUserNotFound, ErrPoolNotFound, ErrRewardNotFound, ErrBadgeNotFound (each also
// ErrNotFound), ErrNoRoute, ErrPoolInactive (410), ErrConditionsNotMet (409), ErrBadRequest
// (400), ErrUnauthorized, ErrForbidden, ErrRateLimited and ErrServer. Which resource a 404 is
// about comes from the route when it can miss only one, else from the error's code or message;
// APIError.NotFound says what was found out. Arguments the server could never accept are
// rejected before sending as a *ParamError (ErrInvalidArgument). A request that got no usable
// response is a *TransportError (ErrTransport): its Attempts and MayHaveReachedServer tell
// whether a change may have been applied. A 2xx body that cannot be decoded is a *DecodeError
// (ErrDecode). The sentinel names are the same in every loyalsync client.
//
// # Options and raw requests
//
// NewClient takes the options every loyalsync client shares — WithHTTPClient, WithLogger,
// WithUserAgent, WithRetry, WithRateLimit, WithMaxRetryAfter, and WithClock with WithSleep for
// running its waits on virtual time — with the same names and validation; a nil option is ignored. Client.NewRequest and Client.Do call a route the client
// does not model with the client's credentials, retries and pacing.
//
// # Retries
//
// Reads are retried with back-off on network errors, 429, 502, 503 and 504. Point changes
// (Points.Add, Subtract, Adjust) and Rewards.Unlock are retried only on 429, which the server
// sends before doing anything: WooRewards takes no idempotency key, so after a network error or a
// 5xx the change may or may not have been applied, and sending it again could apply it twice. The
// error is returned instead, and the caller decides (reading the balance first). For a points
// ledger that is exactly-once across sites, use the loyalty engine and its points-sync protocol;
// the welaunch add-points API has a client with client-side idempotency in package rewardpoints.
package woorewards
