// Package woosync syncs a WooCommerce store with a Sitoo POS account: categories, products,
// variations, images, manufacturers and stock (seed 004, the WooCommerce Sitoo integration, part
// 1; orders, click & collect, vouchers and the scheduler are part 2 and slot in as more Steps).
//
// The plugin the seed documents lives inside WordPress; this package talks to both systems over
// their REST APIs with the woocommerce and sitoo clients. Where the plugin hooks WordPress, the
// Syncer takes WooCommerce webhooks (product.created, product.updated, order.updated) and a
// periodic reconcile by modified_after, so a lost webhook is caught up.
//
// # Settings and connection
//
// Settings hold the mode (test or live, each with its own API ID, password and base URL), the
// Sitoo site and the warehouse WooCommerce syncs stock with, and the options of the seed.
// Syncer.Connect validates them (a *SettingsError names the field), checks them against Sitoo,
// reads the warehouse's type (Virtual or FIFO) and saves them with both modes' credentials sealed
// (AES-256-GCM, the same sealing as loyalty/wooconnect). Pause, Resume, Disconnect and Overview
// complete the shape every integration package has.
//
// # Mappings and crash safety
//
// A Mapping links a WooCommerce id to a Sitoo id (categories, products, variations↔variants,
// manufacturers, coupons↔vouchers, orders); it is what prevents duplicates. Creating an item and
// recording its mapping are two systems and cannot be one transaction, so before creating an item
// that has no mapping the Syncer looks it up by its key on the other side (SKU for products and
// variations, title under the same parent for categories, code for coupons): an item created just
// before a crash is then found and mapped, never created twice.
//
// The Store keeps settings, mappings, sync timestamps and the run log. MemoryStore is the
// in-memory Store; sitoo/woosync/storetest is the conformance suite any other Store must pass.
//
// # Operations
//
// Every operation is a Step, callable alone with Syncer.Run or in a caller-chosen order with
// Syncer.FullSync, which reports progress (items done and total per step) to a callback and to
// slog, and honours the full-sync options: exclude external products, ignore errors (skip and
// report items with an undefined SKU, a missing image or a stock problem), and check Sitoo's
// X-Rate-Limit-Remaining before each step, waiting for the window to reset rather than failing
// halfway. Every run is recorded in the run log (Store.Runs).
package woosync
