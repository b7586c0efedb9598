// Package wp is the WordPress code shared by every client of a WordPress REST API in this module
// — woocommerce, woorewards and woorewards/rewardpoints — and by their fake servers. Clients
// build on it instead of re-implementing it; anything specific to one plugin stays in its client.
//
// What is here:
//
//   - Site URLs and credentials: [SiteBase] turns a site's home URL into the absolute base URL of
//     a REST namespace and refuses plain http:// (WordPress honours application passwords and
//     WooCommerce query-string keys over HTTPS only). [BasicAuth] (application passwords) and
//     [QueryAuth] (consumer_key/consumer_secret in the query) are rest.Config.Authenticate hooks.
//   - Errors: [ParseError] reads the WordPress REST error body {"code","message","data"} into a
//     [RESTError] (falling back to the status text for an HTML page or an empty body);
//     [NoRouteCode] is WordPress's "rest_no_route"; [ErrorString] formats a client's APIError
//     message uniformly as "<status> <code>: <message> (<detail>) — likely cause: <hint>".
//   - Tolerant JSON scalars for the way PHP plugins encode values: [Int], [String], [Bool],
//     [Float], [List] (a PHP array with non-sequential keys, sent as an object), and [Raw] for "data" members.
//   - Fake-server helpers: [WriteJSON], [WriteError], [WriteNoRoute] and [Segments] answer and
//     route the way WordPress does.
//
// Each client keeps its own APIError type, sentinels and hints; they are built from these parts.
package wp
