package wooconnect

import "errors"

// Errors of the Connector; match them with errors.Is.
var (
	// ErrInvalidStoreURL: the store URL is not an absolute http:// or https:// address.
	ErrInvalidStoreURL = errors.New("wooconnect: invalid store URL")
	// ErrHTTPSRequired: "Store URL must use HTTPS". WooCommerce accepts key authentication only
	// over HTTPS; plain http:// is allowed only with WithInsecureHTTP (OAuth 1.0a, for tests).
	ErrHTTPSRequired = errors.New("wooconnect: store URL must use HTTPS")
	// ErrCannotConnect: "Could not connect to the WooCommerce store". The store did not accept the
	// credentials or could not be reached; the wrapped error (often a *woocommerce.APIError with
	// a Hint) says why.
	ErrCannotConnect = errors.New("wooconnect: could not connect to the WooCommerce store")
	// ErrProgramLinked: the program is already linked to another store. Each store gets its own
	// program (card); disconnect the other store first.
	ErrProgramLinked = errors.New("wooconnect: the program is linked to another store")
	// ErrDisconnected: the connection was disconnected; connect the store again to resume it.
	ErrDisconnected = errors.New("wooconnect: connection is disconnected")
	// ErrPaused: the connection is paused; resume it first. Redemptions refused for this reason
	// also match loyalty.ErrProgramPaused.
	ErrPaused = errors.New("wooconnect: connection is paused")
	// ErrMissingCredentials: the consumer key or secret is empty.
	ErrMissingCredentials = errors.New("wooconnect: consumer key and consumer secret are required")
	// ErrCouponCodeTaken: a redemption's coupon code exists in the store but is not that
	// redemption's coupon to adopt: it lacks the redemption's marker, was used already, or has
	// other terms. It comes wrapped with loyalty.ErrCouponRejected, so the points are given back.
	ErrCouponCodeTaken = errors.New("wooconnect: the coupon code is taken in the store")
	// ErrInvalidMemberRef: what staff entered is not an email address, member code or member
	// number.
	ErrInvalidMemberRef = errors.New("wooconnect: enter the member's email address, member code or member number")
)
