// Package woocommercetest is an in-memory WooCommerce store for tests, named like net/http/httptest:
// NewServer starts an httptest server that speaks the WooCommerce REST API v3 (/wp-json/wc/v3) the
// way a real store does, including its rough edges, so that a client or a webhook consumer tested
// against it behaves the same against production.
//
// # What it checks, independently of any client
//
// Requests are verified with the fake's own implementation of WooCommerce's server algorithms, never
// with a client library, so a client bug cannot pass because the fake shares it:
//
//   - Authentication as WC_REST_Authentication does it: HTTP Basic and consumer_key/consumer_secret
//     query parameters only over TLS (WithTLS); over plain HTTP Basic credentials are ignored and the
//     request fails with 401 woocommerce_rest_cannot_view. OAuth 1.0a one-legged signatures (query,
//     form body or Authorization header; HMAC-SHA1 or HMAC-SHA256) are checked against the home URL
//     with PHP's parameter parsing and double encoding, a ±15 minute timestamp window and nonce
//     replay rejection per key. Keys are read, write or read_write (AddKey), and a key whose user lacks
//     the capability gets 403 instead of 401 (AddUnprivilegedKey).
//   - Arguments are validated like WordPress validates them against the controllers' schemas: a JSON
//     number sent for a string field, an unknown status, per_page above 100 all answer 400
//     rest_invalid_param with data.params, before the permission check runs.
//   - Errors have WordPress's shape {"code","message","data":{"status"}} and WooCommerce's codes,
//     in WordPress's order: authentication errors, then the key's read/write permission, then an
//     unknown route (404 rest_no_route), then invalid arguments, then the permission callback (401
//     anonymous, 403 without the capability). Like WooCommerce's item permission callbacks, a
//     missing order, product, coupon or category answers its 404 even to an anonymous caller.
//
// # What it stores
//
// Orders (status transitions with their side effects: paid and completed dates, coupon usage counts,
// stock levels, order notes), refunds (a full refund makes the order refunded; setting an order to
// refunded by hand creates the refund "Order fully refunded."; restocked refund lines leave
// "Item #<id> stock increased from <old> to <new>." notes before the status change note, and
// only lines whose stock was reduced are restocked), products and variations (sharing one id space, with
// manage_stock "parent"), categories, coupons (code lowercased and unique, email restrictions, usage
// limits, expiry, usage count), customers, webhooks (secret write-only), system_status, and the
// tax configuration: the tax rates (GET /taxes) and the prices-include-tax setting (GET
// /settings/tax/woocommerce_prices_include_tax), both read-only and simplified (see below). Lists
// paginate with X-WP-Total, X-WP-TotalPages and one Link header carrying only prev and next joined
// with ", " (other responses carry WordPress's API root link), rebuilt from the request's own query
// after WordPress sanitized it and never from the registered defaults (OAuth parameters included,
// as WordPress does, so a client must not follow them verbatim; include=3,1 comes back as
// include%5B0%5D=3&include%5B1%5D=1, a false boolean is dropped). Batches accept at most 100 items (413 beyond) and
// report failed items in place inside a 200. Dates are site-local "date_*" without a zone next to
// "*_gmt" in UTC (WithTimezone).
//
// # Webhooks
//
// Active webhooks receive signed deliveries on created, updated, deleted and restored of orders,
// products, coupons and customers, with every X-WC-Webhook-* header; order.updated also fires for a
// refund. The payload is the resource as GET returns it when the delivery is sent. A REST-created
// webhook is pinged with an unsigned "webhook_id=N" form post. 200–302 is success; any other outcome
// counts as a failure and the seventh consecutive failure disables the webhook; nothing is
// redelivered. Deliveries are sent by a background worker; FlushWebhooks waits for them,
// WithManualDeliveries holds them until then, and WithCoalescedDeliveries drops a delivery while one
// for the same webhook and resource is still queued, as Action Scheduler does. Deliveries lists them.
//
// # Faults
//
// Faults returns the fault injector the loyalsync fakes share; script it with FaultRule values: per
// route or global status codes, 429 with Retry-After (Status429), latency, dropped connections, and
// "applied but response lost" (ApplyThenDrop), where the change is made and the client sees a
// network error — the case that makes naive retries create two orders.
//
// # Helpers
//
// AddCustomer, AddProduct, AddVariation, AddCategory, AddOrder, AddCoupon and AddWebhook seed the
// store; SetTaxRates and SetPricesIncludeTax set its tax configuration; SetOrderStatus, Refund,
// RefundFully, Trash and Restore act like the admin screens and fire the same webhooks; Order,
// Coupon, Product, Customer and Webhook read the state back.
//
// Where the fake differs from WooCommerce: orders compute no tax (every tax total is zero, whatever
// the tax rates say); the tax routes are read-only (rates and the setting are set with the helpers,
// not over REST), GET /taxes ignores its arguments (paging, the class filter) and returns every
// rate on one page, and woocommerce_prices_include_tax is the only setting served; product and
// variation images are kept as sent and echoed back (nothing is downloaded from src, no media
// attachment, id or name is made, so an unreachable src is not an error); sale dates,
// tags, attributes taxonomies and downloads are not modelled; only the resources above exist;
// batch items are validated against the schema (WooCommerce skips that for batches); deliveries
// use HTTP/1.1 and may go to loopback addresses (WordPress's wp_safe_remote_request refuses them);
// and a delivery queued for a webhook deleted before it is sent is dropped, where WooCommerce
// attempts it and fails. As in WooCommerce, a delivery queued before its webhook was paused is
// still sent.
package woocommercetest
