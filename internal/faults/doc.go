// Package faults is the fault injector shared by the loyalsync fake servers (woocommercetest,
// sitootest, woorewardstest). A test scripts rules — per route or global — and the injector applies
// them to matching requests before, or instead of, the fake's own handler:
//
//   - an HTTP status with a body and headers (for example 429 with Retry-After, or a 503);
//   - latency before the request is handled;
//   - a dropped connection (the client sees a network error, nothing was applied);
//   - "applied but response lost": the fake handles the request and changes its state, then the
//     connection is dropped — the case that makes naive retries create two coupons.
package faults
