// Package value holds the small value types shared by every loyalsync client: a money type on
// shopspring/decimal that decodes tolerantly from JSON strings and numbers, and timestamp types for
// APIs that send dates without a timezone.
//
// The client packages re-export these types with aliases (woocommerce.Money, sitoo.Money, ...), so
// users never import this internal package.
package value
