// Package loyalty is the loyalty engine: it turns store orders into points, takes them back on
// refunds and turns points into single-use store coupons, over a pluggable transactional Store.
//
// The package knows no HTTP and no vendor API. Adapters translate WooCommerce webhooks, Sitoo
// POS receipts or points-sync messages into its types (OrderEvent, MemberRef, AdjustRequest) and
// implement its small interfaces (CouponIssuer, Mailer, Clock). Stores implement Store:
// loyalty/memstore keeps everything in memory, SQL backends live in their own packages, and
// loyalty/storetest is the conformance suite every backend runs.
//
// # Programs
//
// A Program is a loyalty card: points per currency unit with rounding and per-purchase bounds,
// a welcome bonus, the order status that awards (processing or completed, or completed only),
// a partial refund policy and the points discount (discount per point, minimum and maximum
// points, coupon prefix and validity). Zero-valued settings take the documented defaults
// (Program.WithDefaults); Program.Validate reports bounds violations as *ValidationError.
//
// # The ledger
//
// A balance is the sum of immutable movements. Every movement has a deterministic idempotency
// key derived from its cause ("earn/<store>/<order>", "welcome/<member>",
// "refund/<store>/<order>", "redeem/<id>", "redeem/<id>/release", "adjust/<key>"), unique per
// program, so retried, duplicated and concurrent deliveries, and several engines sharing a
// Store, never apply an effect twice. "Already applied" is success (OutcomeDuplicate), not an
// error. A debit never takes a balance below zero: the movement keeps the full Requested amount
// while Applied stops at zero.
//
// # Earning and refunds
//
// Engine.ProcessOrder takes each delivery of an order's current state. An awarding status
// earns once per (program, store, order) whatever the status path; members are matched by
// normalised billing email (or a MemberRef) and created from the billing name and email; the
// first order of a member on a program also earns the welcome bonus, as its own movement.
// Status "refunded" takes back everything the order awarded and the order never awards again.
// Other statuses, currency mismatches and guests without email change nothing and say why, in
// the result, the delivery receipt and the activity log.
//
// # Channels, tiers and counter refunds
//
// Every purchase movement records its Channel (ChannelOnline, ChannelCounter), its Source
// (store URL, or a Sitoo account, site and store) and the money Amount behind it; the wallet
// sums them per channel over one balance. Program.Tiers defines membership tiers (name,
// threshold, multiplier) over a qualifying measure (points earned or amount spent) and period
// (lifetime, calendar year, rolling 12 months); a member's tier is recomputed from the ledger
// whenever earnings or refunds change the measure, and changes go to the activity log. Counter
// purchases earn base points × the tier multiplier; online orders never do.
// Engine.ProcessCounterRefund applies a counter refund order (taking back the refunded share,
// never more than the sale awarded, once per refund order) or a sale's cancellation.
//
// # Redemption
//
// Engine.Redeem reserves the points, asks the CouponIssuer for a coupon with a code derived
// from the redemption id ("POINTS-AB12CD34"), and confirms. A crash or failure between the
// steps leaves a reservation that a retry or Engine.Recover completes or releases, so the
// coupon and the deduction exist both or neither; Recover reports the reservations too young
// to touch and when each becomes due. An idempotency key is bound to the member and points it
// was first used with (an *IdempotencyError otherwise), and ids and codes are derived under a
// per-installation secret (WithCodeSecret, or one kept in the Store), so two installations
// never derive the same code.
//
// Partial refunds take no points back by default and say so in the result; with
// PartialRefundsProportional they take back the refunded share, never for refunds made before
// the policy was switched on.
//
// # Read side
//
// Engine.Wallet, Engine.History, Engine.Members, Engine.Activity, Engine.Receipts and
// Engine.DeliveryStats answer the member's and the merchant's questions (failed deliveries an
// adapter reports are aggregated per store, reason and minute; Engine.Prune deletes receipts
// and activity older than a retention, 90 days by default); Program.PreviewLine,
// Program.BalanceLine and Program.ProgressLine format the lines the card page and the emails
// show, per currency.
package loyalty
