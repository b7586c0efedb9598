// Package storetest is the conformance suite for woosync.Store implementations. Every store
// (memory, SQL) runs it from its own tests:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) woosync.Store { return woosync.NewMemoryStore() })
//	}
package storetest
