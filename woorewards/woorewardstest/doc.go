// Package woorewardstest is an in-memory fake of the WooRewards Pro REST API, for tests of code
// that uses package woorewards, in the manner of net/http/httptest.
//
// The fake runs over TLS (httptest.NewTLSServer): use Server.Client, or its Transport, as the
// HTTP client. It keeps users (by email), pools, their earning methods and rewards, balances per
// points reserve, unlocked rewards and badges; answers in the API's wire format and the WordPress
// REST error format; and enforces what the documentation says:
//
//   - 404 rest_no_route for an unknown route, a wrong method, or every route while the API is
//     switched off (SetAPIEnabled(false));
//   - authentication by application password (HTTP Basic) or WooCommerce key and secret in the
//     query string, each honoured over TLS only, as WordPress does; 401 without a logged-in user,
//     403 without the route's permission (general reading, user reading, user writing);
//   - 404 for an unknown user email, pool, reward or badge; 410 when unlocking a reward of an
//     inactive pool; 409 when the user has too few points for it.
//
// The documentation names no error codes, so the codes in the fake's error bodies
// (woorewards_user_not_found, …) are its own; the client does not depend on them.
//
// Faults are injected through Server.Faults (package internal/faults): HTTP statuses, latency,
// dropped connections, and ApplyThenDrop — the change is applied, then the response is lost.
//
// The seed methods (AddUser, AddPool, …) panic on inconsistent input, such as a reward for an
// unknown pool: they are for test set-up, where that is a bug in the test.
package woorewardstest
