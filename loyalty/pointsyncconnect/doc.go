// Package pointsyncconnect binds the loyalty engine to pointsync, so that one points balance is
// kept across several sites (the WooRewards "Points synchronization" add-on's equivalent).
//
// Its parts:
//
//   - Observe wraps the engine's loyalty.Store: every movement the engine appends to an
//     observed program (the observed point reserve of one or more remotes) is queued for those
//     remotes at the end of the same transaction, so a crash between the ledger and the queue
//     loses nothing. Movements applied from sync (keys "sync/...") are never queued (no echo).
//     The engine has no expiration movements, so none is ever sent.
//   - Ledger implements pointsync.Ledger over the same store: a received movement is applied
//     once per (origin site, origin movement id), as a ledger movement with key
//     "sync/<origin>/<id>", with the points as sent (never floored, so every site holds the same
//     sum). Members are found by normalised email, then member code, and created when unknown
//     the way the engine creates members (loyalty.Engine.EnsureMember): no welcome bonus.
//     Nothing here sends an email: the site where a movement was made mails the member.
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
