// Package adapter holds the plumbing the loyalty engine's store adapters (wooconnect,
// sitooconnect) share, so it is written and tested once.
package adapter
