// Package pointsyncconnect binds the loyalty engine to pointsync, so that one points balance is
// kept across several sites (the WooRewards "Points synchronization" add-on's equivalent).
//
// Its parts:
//
//   - Observe wraps the engine's loyalty.Store: every movement the engine appends to an
//     observed program (the observed point reserve of one or more remotes) is queued for those
//     remotes at the end of the same transaction, so a crash between the ledger and the queue
//     loses nothing. Movements applied from sync (keys "sync/...") are never queued (no echo),
//     nor movements that move no points (a debit on an empty balance, a welcome record).
//     The engine has no expiration movements, so none is ever sent.
//   - Ledger implements pointsync.Ledger over the same store: a received movement is applied
//     once per (origin site, origin movement id), as a ledger movement with key
//     "sync/<origin>/<id>", with the points as sent (never floored, so every site holds the same
//     sum). Members are found by normalised email, then member code, and created when unknown
//     the way the engine creates members (loyalty.Engine.EnsureMember): no welcome bonus. A
//     welcome bonus received is also recorded so that this site grants the member none (see
//     Welcome bonus below). Nothing here sends an email: the site where a movement was made
//     mails the member.
//   - SQLStore keeps pointsync's settings and queue in the loyalty store's SQL database (SQLite
//     or PostgreSQL, component "pointsync" of its migrations), and queues movements inside the
//     ledger's own transaction (sqlstore.LedgerTx). On PostgreSQL, leases use FOR UPDATE SKIP
//     LOCKED, so several instances of a site deliver each batch once; it is also the
//     pointsync.ReplayGuard those instances share (pointsync.WithReplayGuard), and the PushLog
//     of WooRewards remotes.
//   - WooRewardsDeliverer pushes movements to a WooRewards site (a remote of kind
//     pointsync.KindWooRewards) through its points add/subtract API, recording each push in a
//     PushLog (SQLStore, or MemPushLog) so that a batch delivered again, after a restart too, does
//     not add a movement twice; its doc says what is guaranteed, what that direction cannot do,
//     and CheckDrift compares balances;
//   - RewardPointsDeliverer adds credits to a "WooCommerce Reward Points" site (a remote of kind
//     pointsync.KindRewardPoints) with its idempotent operation store; that API cannot subtract,
//     read balances or look users up, as its doc says.
//
// # Double spend
//
// The same points spent on two sites at once make the balance negative once both redemptions
// have been synced. Ledger records it in the program's activity log (kind
// ActivityDoubleSpend) on every site where it happens, and the balance stays negative until
// new points bring it back: the engine refuses redemptions above the balance, so none is
// possible meanwhile.
//
// # Welcome bonus
//
// A person gets one welcome bonus across the linked sites, from the site of their first order.
// The engine grants it once per member and program, under the member's welcome key
// (loyalty.WelcomeKey); when Ledger applies another site's welcome bonus, it also writes, under
// that key, a record of 0 points and kind welcome, "Welcome bonus granted on site <origin>
// (<the origin's reason>): none on this site" (loyalty.Engine.NoteWelcomeGranted). The member's
// next order here finds the key taken and earns its purchase points only — the order path reads
// nothing more than before — and the member's history says why. The record moves no points, so
// it is never queued: balances stay the same sum on every site. A refund of the first order on
// the origin still takes its welcome bonus back there, and that refund is synced like any other
// movement; a refund here takes back only the points its order earned.
//
// The rule holds as far as deliveries allow. When the person's first orders on two sites come
// before either site's movements reached the other, both sites grant a welcome bonus: both are
// synced, so every site holds the two of them and the same balance. Nothing is overspent, so
// no double spend is reported, and a drift check (WooRewardsDeliverer.CheckDrift) finds no
// difference either. Instead, each site where a welcome bonus arrives for a member who already
// had one (its own, or another site's record) records it in the program's activity log, kind
// ActivityDoubleWelcome, naming the site and movement. An administrator who wants one bonus to
// stand takes the other back with a manual adjustment, which is synced as well.
//
// # Setup
//
//	q, _ := pointsync.NewMemStore()                 // settings and queue
//	store := pointsyncconnect.Observe(memstore.New(), q, q)
//	engine, _ := loyalty.New(store)
//	ledger, _ := pointsyncconnect.NewLedger(engine)
//	h, _ := pointsync.NewHandler(q, ledger)
//	sender, _ := pointsync.NewSender(q, q)
//
// On SQLite or PostgreSQL, the store is the SQL store and the queue its SQLStore:
//
//	db, _ := sqlite.Open(ctx, "loyalty.db")
//	ps, _ := pointsyncconnect.NewSQLStore(ctx, db)
//	store := pointsyncconnect.Observe(db, ps, ps)
//
// With the in-memory pointsync.MemStore the queue is not part of the ledger's transaction but
// is written at its end, before it commits; nothing can crash in between that would not lose
// the memory store as well.
package pointsyncconnect
