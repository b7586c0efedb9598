// Package pointsync keeps one points balance across several sites: every points movement made on
// one site is sent to every other, the way the WooRewards "Points synchronization" add-on does,
// with nothing lost, nothing doubled and every request authenticated.
//
// It is a leaf: the wire types, signing, the http.Handler, the client, the queue and the status
// logic, over small interfaces. The binding to the loyalty engine (queueing a movement in the
// transaction that appends it, applying received movements, the SQL stores, WooRewards and
// Reward Points remotes) lives in an adapter under loyalty/.
//
// # Local site information
//
// Each site has local information, generated once by NewLocalSite and kept by
// SettingsStore.InitLocalSite, never edited afterwards:
//
//   - Sharing key: the site's unique id, which other sites enter in their remote sites list;
//   - Local URL: where this site serves Handler, the "URL" other sites enter;
//   - Secret auth and secret pass: what other sites send to be let in.
//
// Each synced site must be entered in the remote sites list of every other (a full mesh).
//
// # Remote sites
//
// A Remote is entered from the remote's local information: its sharing key, the target point
// reserve (the program or pool on the remote that receives movements), the observed point reserve
// (the local reserve whose movements are sent), and the API settings: URL, auth and pass. Saving a
// remote (Sender.SaveRemote) pings it and reports a precise error — ErrUnreachable,
// ErrBadCredentials, ErrWrongSharingKey, ErrUnknownSite (the remote has not entered this site),
// ErrUnknownReserve — while the remote is saved anyway and its status shows the problem.
//
// # Advanced settings
//
// Advanced holds MaxAttempts (failed deliveries in a row before a remote shows as failed), Delay
// (the wait between two attempts), StatsPeriodDays (errors older than this are ignored) and
// WarningPeriodDays (days after the last error before the status turns green again).
//
// # Status
//
// ComputeStatus gives each remote StatusGreen, StatusWarning or StatusError from its RemoteState
// and the advanced settings. After MaxAttempts failures a remote shows StatusError and automatic
// delivery pauses, but its queue is kept: it resumes when a ping succeeds (Run pings a paused
// remote every WithProbeInterval) or on Sender.RetryNow. Nothing queued is ever dropped, except
// when the operator deletes the remote.
//
// # What is synced
//
// Every movement of an observed reserve, manual additions and subtractions included, except
// expirations (each site expires points by its own rules) and movements that came from
// synchronisation themselves (no echo). A movement carries the points applied on its origin, not
// the amount its cause asked for, so local rules are decided once; members are found by
// normalised email and member code, never by a site's local id. Movements applied from sync must
// not send the member an email: mails are sent by the site where the movement was made.
//
// # Delivery
//
// The adapter queues each movement for every remote observing its reserve (EnqueueForRemotes) in
// the same transaction that appends it to the ledger. Sender.Run leases batches of up to
// WithBatchSize movements from the Queue and sends them; delivery is at least once, and the
// receiving Ledger applies each (origin, movement id) once, so duplicates and reordering are
// harmless. Several instances of one site may run a Sender on one shared Queue: leases hand each
// batch to one of them.
//
// # Serving
//
// Mount the Handler at the local URL; it answers POST <url>/batches and POST <url>/ping and looks
// only at the last path segment, so any prefix works:
//
//	h, err := pointsync.NewHandler(store, ledger)
//	mux.Handle("/pointsync/", h) // local URL https://shop.example/pointsync/
//	sender, err := pointsync.NewSender(store, queue)
//	go sender.Run(ctx)
//
// # For the loyalty adapter
//
// The engine binding implements, over its own stores:
//
//   - Ledger: ApplyRemote (idempotent by origin and movement id, no echo, no email, members found
//     or created by identity) and HasReserve;
//   - Queue and SettingsStore in SQLite and PostgreSQL, passing pointsynctest.RunQueue and
//     RunSettingsStore; an Enqueuer on the ledger's transaction, so that EnqueueForRemotes
//     queues a movement in the transaction that appends it; Lease skips rows leased by other
//     instances (FOR UPDATE SKIP LOCKED);
//   - a shared ReplayGuard (passing pointsynctest.RunReplayGuard) when several instances serve
//     one site, given to NewHandler with WithReplayGuard;
//   - Deliverers for KindWooRewards and KindRewardPoints remotes, given to NewSender with
//     WithDeliverer.
//
// # Security
//
// Every request carries the sender's and the receiver's sharing keys (HeaderFrom, HeaderTo), the
// receiver's auth and pass as HTTP Basic authentication (compared in constant time), and an
// HMAC-SHA256 signature keyed with the pass over the timestamp, the operation, both keys and the
// body (HeaderSignature). The handler refuses wrong credentials, bad signatures, timestamps
// outside WithWindow and replayed batch ids with 401, a wrong or unknown sharing key with 403, and
// answers every error with a JSON ErrorBody. Serve it over HTTPS.
package pointsync
