// Package storetest is the conformance suite every loyalty.Store backend runs, plus test
// doubles (Clock, CouponIssuer, Mailer, FaultyStore) for engine and adapter tests.
//
// A backend's test calls Run with a constructor of fresh, empty stores:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) loyalty.Store { return memstore.New() })
//	}
//
// The suite checks the Store contract directly (isolation of failed transactions, uniqueness
// of keys, not-found errors, paging order, round trips) and through the engine (concurrent
// deliveries of one order award once, processing then completed awards once, clawbacks stop at
// zero, redemptions interrupted at every step are recovered with coupon and deduction both or
// neither, and a long randomized sequence of events keeps every balance equal to the sum of its
// history and to an independent model).
package storetest
