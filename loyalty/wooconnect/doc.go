// Package wooconnect connects loyalty programs to WooCommerce stores the way seed 001 describes
// it: one REST API key, one order.updated webhook, no WordPress plugin. Orders placed in the
// store earn points, refunds take them back, and members turn points into single-use store
// coupons.
//
// The name says what it is: the WooCommerce connection of the loyalty engine. It is the only
// package that knows both sides: it translates woocommerce types into the engine's own
// ([loyalty.OrderEvent], [loyalty.Coupon]) and implements the engine's [loyalty.CouponIssuer]
// and [loyalty.Mailer], so the engine stays free of vendor code. Member emails are written and
// delivered by package [mail], which every channel shares.
//
// # Setting up
//
//	loyaltyStore, err := sqlite.Open(ctx, "loyalty.db")
//	conns, err := wooconnect.NewSQLConnectionStore(ctx, loyaltyStore) // or NewMemoryConnectionStore()
//	woo, err := wooconnect.New(loyaltyStore, conns,
//		wooconnect.WithEncryptionKey(key32),                          // from your secret manager
//		wooconnect.WithWebhookURL("https://loyalty.example.com/woocommerce/webhooks"),
//		wooconnect.WithBusiness(mail.Business{Name: "Corner Café", Email: "hello@corner.example"}),
//		wooconnect.WithSender(&mail.SMTPSender{Addr: "smtp.example.com:587", Auth: auth}))
//	http.Handle("/woocommerce/webhooks/", http.StripPrefix("/woocommerce/webhooks", woo.Handler()))
//	go http.ListenAndServe(":8080", nil) // serving before Connect: WooCommerce pings the URL
//	conn, err := woo.Connect(ctx, wooconnect.ConnectRequest{ProgramID: "card",
//		StoreURL: "https://your-store.com", ConsumerKey: "ck_…", ConsumerSecret: "cs_…"})
//
// The Connector owns its [loyalty.Engine] ([Connector.Engine] returns it): the connector is the
// engine's coupon issuer and mailer. The handler must be serving at the webhook URL before
// [Connector.Connect] runs, because WooCommerce pings the delivery URL while it creates the
// webhook.
//
// # Connections
//
// Connect verifies the key with a cheap read, keeps the consumer key, consumer secret and a
// generated webhook secret sealed with AES-256-GCM (the associated data binds each blob to its
// connection, program and store), and registers one order.updated webhook. A read-only key still
// connects; the Connection then carries ManualSetup instructions (delivery URL, secret, topic
// Order updated). Keys are accepted over HTTPS only, as WooCommerce accepts them; WithInsecureHTTP
// allows OAuth 1.0a over http:// for tests. There is one connection per program and store URL,
// and a program is linked to one store at a time: connecting the same store again resumes the
// same connection (same id and delivery URL) and updates or adopts its webhook rather than
// creating another.
//
// Pause and Resume stop and restart processing (deliveries are recorded and skipped, redemptions
// refused; nothing from the paused period is back-filled). Disconnect deletes the webhook from
// the store and the stored keys; members keep every point.
//
// # Deliveries
//
// [Connector.Handler] verifies X-WC-Webhook-Signature with the connection's secret, answers the
// creation ping, and hands orders (status, total, currency, billing name and email, refunded
// total) to [loyalty.Engine.ProcessOrder]. Bodies are limited to [DefaultMaxWebhookBody] (1 MiB;
// real orders are a few KB) and all bodies being read at once to [DefaultMaxWebhookMemory]
// (503 beyond). Every delivery gets a receipt; a signature mismatch is answered 401 and its
// receipt says to recreate the webhook with the secret shown in the Overview (a flood of them is
// aggregated into one receipt, and warned about once a minute). Duplicate, ignored and skipped
// deliveries answer 200 so WooCommerce never disables the webhook over them; engine failures
// answer 500.
//
// WooCommerce never redelivers, so reconcile: [Connector.Reconcile] walks the orders modified
// at or after a time (inclusive, in a stable order) and applies each idempotently;
// [Connector.ReconcileSinceLast] starts from the connection's last reconciled point, kept in the
// ConnectionStore, so a process that was down for any length of time catches up.
//
// # Coupons and emails
//
// [Connector.IssueCoupon] creates the redemption's fixed_cart coupon (deterministic code, usage
// limit 1 and 1 per user, restricted to the member's email, expiring when the redemption does,
// marked with the redemption id in meta_data) and never creates two: after a timeout or a lost
// response it looks the coupon up by code and adopts it only when it carries the marker, is
// unused and has the same terms (ErrCouponCodeTaken otherwise). [Connector.RedeemForMember]
// redeems on a member's behalf by email, member code or member number.
//
// [Connector.SendEmail] renders the engine's emails (welcome, points earned, coupon issued) with
// [mail.Render] in the program's language (English or Swedish), from the business name with the
// business email as reply-to, each with a signed "Redeem my points" link (HMAC-SHA256,
// purpose-bound, valid seven days; [Connector.SignInWithLink] tells an expired link,
// ErrTokenExpired, from a forged one) and an opt-out link. A [mail.Sender] delivers them:
// [mail.LogSender] (the default, metadata only) or [mail.SMTPSender]. Link signing stays in
// this package, next to SignInWithLink that verifies the links; the mail package receives
// finished URLs. The stored keys are sealed with the integration packages' shared AES-256-GCM
// sealing. A member who opted out gets no email: when the ConnectionStore is an
// SQLConnectionStore over the loyalty store itself, the opt-out of an order's points email is
// read in the order's own ledger transaction ([loyalty.EmailScreener]); otherwise SendEmail
// reads it before sending. A welcome email reads none (its member is new).
//
// # Monitoring
//
// [Connector.Overview] returns the webhook status as the store reports it (read at most every
// [WebhookStatusTTL]; a webhook WooCommerce disabled after failed deliveries is shown with the
// fix), the last delivery (or a hint to place a test order), the 24-hour
// processed/ignored/failed counts, the latest failure with a hint, recent receipts and the
// activity log. [Connector.CheckWebhook] returns the webhook part alone, and
// [Connector.RepairWebhook] re-activates the webhook and reconciles from shortly before the last
// good delivery. Nothing logged by the package contains a key, a secret or a sign-in token.
package wooconnect
