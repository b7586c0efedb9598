// Package rewardpointstest is an in-memory fake of the welaunch WooCommerce Reward Points
// add-points API (POST /wp-json/wc-reward-points/v1/add-points), for tests of code that uses
// package rewardpoints, in the manner of net/http/httptest.
//
// The fake runs over TLS (httptest.NewTLSServer): use Server.Client, or its Transport, as the
// HTTP client. It keeps users by id with their balances and a points log, and enforces what the
// vendor documents:
//
//   - application passwords (HTTP Basic) honoured over TLS only; 401 rest_forbidden without a
//     logged-in user, 403 rest_forbidden without the manage_woocommerce capability;
//   - 400 invalid_user for a missing, invalid or unknown user_id; 400 invalid_points for points
//     missing or not a positive integer; 400 rest_missing_callback_param without a message;
//   - the message sanitised as sanitize_text_field does (tags and line breaks removed);
//   - 404 rest_no_route for other paths and methods, and for every request while the API is off
//     (SetAPIEnabled(false)).
//
// Faults are injected through Server.Faults (package internal/faults): HTTP statuses, latency,
// dropped connections, and ApplyThenDrop — the points are added, then the response is lost.
package rewardpointstest
