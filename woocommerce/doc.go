// Package woocommerce is a client for the WooCommerce REST API v3 (/wp-json/wc/v3/) and a
// receiver for WooCommerce webhooks.
//
//	client, err := woocommerce.NewClient("https://shop.example.com", "ck_...", "cs_...",
//		woocommerce.WithRateLimit(5, 5))
//	for order, err := range client.Orders.All(ctx, &woocommerce.OrderListOptions{
//		Status: []woocommerce.OrderStatus{woocommerce.OrderCompleted},
//	}) {
//		...
//	}
//
// Services hang off the Client (Orders, OrderNotes, Refunds, Products, Variations, Categories,
// Coupons, Customers, Webhooks, SystemStatus) and share one transport. Every call takes a
// context first.
//
// # Authentication
//
// NewClient authenticates the way WooCommerce's server decides: over https:// with HTTP Basic
// (consumer key and secret), or with consumer_key/consumer_secret query parameters when
// WithQueryStringAuth is given (for servers that strip the Authorization header); over plain
// http:// with one-legged OAuth 1.0a, HMAC-SHA256 by default, signed afresh on every attempt.
// Basic or query-string credentials over http:// are refused by NewClient, because WooCommerce
// would silently ignore them and answer a misleading 401. When WooCommerce still answers 401, the
// *APIError's Hint explains the likely cause for the method in use.
//
// The OAuth timestamp always comes from the system clock: dghubble/oauth1 (v0.7.3) reads
// time.Now in its unexported signer and offers no way to inject a clock (only the nonce source,
// Config.Noncer, is replaceable): WithClock and WithSleep govern the client's waits (pacing,
// back-off, Retry-After), not the OAuth timestamp. WooCommerce rejects a timestamp more than 15
// minutes off the server's clock; the 401's Hint says so.
//
// # Pagination
//
// List returns one page and a *Response with Total, TotalPages, NextPage and PrevPage read from
// X-WP-Total, X-WP-TotalPages and the Link header (WooCommerce only sends rel="next" and
// rel="prev"). All returns an iter.Seq2 that fetches pages lazily until there is no next page;
// when the headers are missing the collection is taken to be a single page. PerPage above 100 is
// rejected before sending (ErrInvalidArgument). Date filters (DateFilter) are sent in UTC with
// dates_are_gmt=true, truncated to the second, and are exclusive.
//
// # Walking a changing collection
//
// WooCommerce pages by offset: page n is "skip (n-1)·per_page objects of the sorted result". When
// the result changes during a walk, the objects behind the walk's position shift. With the default
// order (newest first), an object created meanwhile pushes every object one place down and the
// walk yields one of them twice. StableOrder (ascending by id) avoids this for new objects, which
// sort last, and All then never yields an id twice, even when an older object enters the result
// meanwhile (say, modified after ModifiedAfter). What no order can avoid: an object that leaves
// the result behind the walk's position (deleted, or no longer matching a status filter) pulls
// the rest one place up, and the walk misses one object. Walks that must see everything therefore
// filter on something that only grows (ModifiedAfter) and repeat from where they started until a
// walk finds nothing new, or apply the result idempotently and repeat periodically.
//
// # Retries
//
// Reads are retried on network errors and on 429, 502, 503 and 504 with exponential back-off,
// honouring Retry-After. A write is retried only when repeating it cannot apply it twice: updates
// by id (PUT) and deletes by id, creates of objects WooCommerce keeps unique (a coupon code, a
// customer email, a product or variation SKU, a category name) where a repeat fails with
// ErrAlreadyExists instead of creating a duplicate, and nothing else. Orders, refunds, notes,
// webhooks and batches are never retried after their request may have reached the server.
//
// # Types
//
// Money is a decimal (never float64) that decodes from JSON strings, numbers and "". Dates are
// pairs: DateX (LocalTime, the site's wall clock without a zone) and DateXGMT (UTCTime). Nullable
// integers are NullInt; manage_stock is ManageStock (true, false or "parent"); meta_data values keep
// their raw JSON. Statuses are open string types with constants for the known values. Amounts in
// requests are written with the store's decimals (WithPriceDecimals), since WooCommerce keeps them
// as sent; a coupon's expiry is set with ExpiresAt and removed with NeverExpires.
//
// # Errors
//
// Every error names the operation ("woocommerce: create coupon: ..."). A non-2xx response is an
// *APIError (status, code, message, data.params, raw body, and a Hint for authentication
// failures); errors.Is matches it against ErrBadRequest, ErrUnauthorized, ErrKeyPermission,
// ErrForbidden, ErrNotFound, ErrRateLimited, ErrServer, ErrAlreadyExists and the other sentinels.
// Arguments refused before sending match ErrInvalidArgument (*ParamError); no usable response,
// ErrTransport (*TransportError, with Attempts and MayHaveReachedServer); a 2xx body that does not
// decode, ErrDecode (*DecodeError). Batch methods split work into requests of at most 100 items
// and report the items WooCommerce refused (while answering 200) as a *BatchError next to the
// successful ones.
//
// # Raw calls
//
// NewRequest and Do reach endpoints the client does not model (reports, settings, taxes, ...)
// with the same credentials, retries and pacing. The options common to every loyalsync client
// (WithHTTPClient, WithLogger, WithUserAgent, WithRetry, WithRateLimit, WithMaxRetryAfter) behave
// the same in each; a nil Option is ignored.
//
// # Webhooks
//
// NewWebhookHandler returns an http.Handler that verifies X-WC-Webhook-Signature (HMAC-SHA256 of
// the raw body, compared in constant time), decodes the delivery into a *Delivery (Order, Product,
// Coupon or Customer; only an id for deletions; action payloads) and calls your function.
// ParseDelivery and VerifySignature do the same without HTTP. The unsigned creation ping
// (webhook_id=N) is recognised as DeliveryPing. WooCommerce never retries a failed delivery, and
// the delivery id changes on every delivery: deduplicate on the payload, not on the delivery id.
package woocommerce
