// Package pointsynctest helps test code built on pointsync, and the stores that implement its
// interfaces:
//
//   - RunSettingsStore, RunQueue and RunReplayGuard are conformance suites: every implementation
//     of pointsync.SettingsStore, pointsync.Queue and pointsync.ReplayGuard (the memory ones in
//     pointsync, the SQL ones of the loyalty adapter) runs the same tests.
//   - Ledger is an in-memory pointsync.Ledger with the properties the loyalty adapter must have
//     (idempotent by origin and movement id, no echo, local movements queued atomically).
//   - NewSite starts a whole site on httptest (store, ledger, handler, sender); Link makes a full
//     mesh, Settle delivers every queue, CheckConverged verifies that every site holds every
//     movement once and the same balances.
//   - FaultyTransport drops requests, loses responses, answers 503, duplicates and reorders
//     deliveries, from a seeded generator so that a sequential run is repeatable.
//   - Clock is a settable clock for pointsync.WithClock.
//
// Simplified on purpose: the Ledger sums points without the engine's floor at zero and knows no
// members beyond their email; sites run in one process and share nothing but HTTP.
package pointsynctest
