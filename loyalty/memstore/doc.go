// Package memstore is an in-memory loyalty.Store for tests, demos and single-process use.
//
// Transactions are serialised by one mutex (read-only views share it), and every write of a
// transaction is recorded in an undo log, so a transaction whose function returns an error or
// panics leaves no trace. Nothing is persisted: a process restart loses everything.
package memstore
