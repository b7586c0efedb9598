// Package sitooconnect is the Sitoo connection of the loyalty engine: the counter channel. It
// makes the service a Sitoo POS's customer register through the CRM SPI v2, and turns the POS's
// receipts, refunds and cancellations (reported through the Events SPI and read back over the
// REST API) into points on the same balance as the webshop (loyalty/wooconnect).
//
// # Pointing a Sitoo account at the service
//
// Mount Connector.Handler under a public HTTPS prefix, e.g. https://loyalty.example.com/sitoo,
// and Connect the program to the account with its REST API ID and password (Backoffice →
// Settings → Sitoo REST API) and two credential pairs of the service's own. Then, in Sitoo:
//
//   - CRM (Backoffice → Settings → POS Settings, CRM API version 2): base URL
//     https://loyalty.example.com/sitoo/<connection id>/crm with the CRM credentials (HTTP
//     Basic). Search types: member_number, email, mobile, personal_id.
//   - Events Subscriptions: "base_url" https://loyalty.example.com/sitoo/<connection id> with
//     the Events credentials (HTTP Basic), order events. Sitoo POSTs to <base_url>/events.
//
// Run Connector.ProcessPending after deliveries (and on a schedule) and Connector.Reconcile
// every few minutes (Connector.Run does both, and forgets seen event ids after
// SeenEventRetention): events are persisted and answered 200 at once, applied later by order
// id, and the poll catches what Sitoo dropped.
//
// # What the counter does
//
//   - Search Customer finds a member by member number (or card code), email, mobile, personal
//     id or customer id and answers 200 [] when nobody matches (and for an unknown key type);
//     Add Customer enrols a member (the first scan of a card) and needs the customer's email
//     (see CustomerInput: without one the POS gets 400 naming the field "email", and nothing
//     is created); the card's sections and status show the balance, its value and the tier;
//     bonus checks (Connector.IssueBonusCheck: points reserved into a check of the card's
//     discount value) are redeemed once with Redeem Items and restored with Undo Redeem,
//     idempotently per (customer, check).
//   - A closed, paid receipt of type Order earns base points × the member's tier multiplier;
//     bookings, parked and unpaid orders never earn, gift-card rows earn nothing. The member is
//     the order's crm-customerid (our member id) or crm-membernumber, else its email (a new
//     member is created), else the receipt is skipped with the reason.
//   - A refund order (creditorderid or pos-originalsales-orderid) takes back the points of the
//     refunded amount of its sale, once per refund order; a cancelled sale is reversed.
//   - Store, staff and register are in the activity log.
//
// # Inferred shapes
//
// Only Search Customer is documented field by field by Sitoo; every other path and body, the
// bonus-check shape and the redeem item types are inferred and live in one table (Routes and
// the wire types in shapes.go) to correct against a Sitoo sandbox. Unknown JSON fields are
// ignored.
//
// Connections, customer profiles, bonus checks, seen event ids and the event queue are kept in
// a ConnectionStore: NewSQLConnectionStore keeps them in the SQL loyalty store's database
// (SQLite or PostgreSQL, migrated as the component "sitooconnect"), NewMemoryConnectionStore in
// memory. Credentials are sealed with AES-256-GCM under WithEncryptionKey.
package sitooconnect
