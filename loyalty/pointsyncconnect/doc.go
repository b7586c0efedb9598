// Package pointsyncconnect binds the loyalty engine to pointsync, so that one points balance is
// kept across several sites (the WooRewards "Points synchronization" add-on's equivalent).
//
// Two parts:
//
//   - Observe wraps the engine's loyalty.Store: every movement the engine appends to an
//     observed program (the observed point reserve of one or more remotes) is queued for those
//     remotes at the end of the same transaction, so a crash between the ledger and the queue
//     loses nothing. Movements applied from sync (keys "sync/...") are never queued (no echo).
//     The engine has no expiration movements, so none is ever sent.
//   - Ledger implements pointsync.Ledger over the same store: a received movement is applied
//     once per (origin site, origin movement id), as a ledger movement with key
//     "sync/<origin>/<id>", with the points as sent (never floored, so every site holds the same
//     sum). Members are found by normalised email, then member code, and created when unknown.
//     Nothing here sends an email: the site where a movement was made mails the member.
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
//	h, _ := pointsync.NewHandler(q, pointsyncconnect.NewLedger(store))
//	sender, _ := pointsync.NewSender(q, q)
//
// With the in-memory pointsync.MemStore the queue is not part of the ledger's transaction but
// is written at its end, before it commits; nothing can crash in between that would not lose
// the memory store as well.
package pointsyncconnect
