// Package woosync syncs a WooCommerce store with a Sitoo POS account: categories, products,
// variations, images, manufacturers and stock, orders, click & collect, vouchers and the autosync
// scheduler (seed 004, the WooCommerce Sitoo integration).
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
// The Store keeps settings, mappings, sync timestamps and the run log. MemoryStore keeps them in
// memory; SQLStore in the loyalty SQL store's database (SQLite or PostgreSQL, loyalty/sqlstore's
// shared writer and migrator, component "woosync"). sitoo/woosync/storetest is the conformance
// suite both pass.
//
// # Operations
//
// Every operation is a Step, callable alone with Syncer.Run or in a caller-chosen order with
// Syncer.FullSync, which reports progress (items done and total per step) to a callback and to
// slog, and honours the full-sync options: exclude external products, ignore errors (skip and
// report items with an undefined SKU, a missing image or a stock problem), and check Sitoo's
// X-Rate-Limit-Remaining before each step, waiting for the window to reset rather than failing
// halfway. Every run is recorded in the run log (Store.Runs).
//
// Images go one way, WooCommerce to Sitoo (send, resync images), with names made valid on the
// way (FixImages reports them). StepFetchProducts does not fetch images, unlike the plugin: Sitoo's
// API documents no address to download an image's file from (only its relative resourceid).
//
// # Orders, click & collect, vouchers and autosync
//
// Sitoo orders come to WooCommerce with StepFetchOrders (every order) or StepFetchStore2Door
// (only orders with items not fully delivered: each order's deliveries are read and compared
// per order item). Each run reads the orders after a watermark (the last order id and date,
// TimestampOrdersID and TimestampOrders), a page at a time, and creates the new ones with one
// WooCommerce batch per page. A fetched order carries MetaSitooOrderID and MetaCreatedVia =
// CreatedViaSitoo (WooCommerce itself always says created_via "rest-api"), so analytics plugins
// can leave it out; a fetch that stopped between create and mapping is recovered from the
// WooCommerce orders created since TimestampOrdersPending, never created twice.
//
// WooCommerce orders go to Sitoo through Syncer.SyncOrder or HandleOrder (on order.updated) and
// StepSendCACOrders: Click and Collect orders in the chosen statuses, and, for FIFO stock
// through orders, processing orders (delivered from the warehouse: stock goes down) and
// cancelled ones (cancelled in Sitoo, delivered stock moved back in). The Sitoo external id
// "woo-<id>" makes every send safe to repeat. Scheduler runs the autosync tasks under leases
// (MemoryLeases, or SQLLeases in the loyalty SQL database for several processes).
//
// # The seed's settings page, option by option
//
// Every option of the plugin's settings page (WooCommerce → Settings → Sitoo), in the seed's
// order, and its Go name.
//
//	API ID, API Password, Base URL                        Settings.Test / Settings.Live (Credentials)
//	Mode                                                  Settings.Mode (ModeTest, ModeLive)
//	Sitoo API Endpoint                                    Settings.SiteID (Choices.Sites from Connect)
//	WooCommerce Warehouse                                 Settings.WarehouseID (Choices.Warehouses);
//	                                                      Connect reads Settings.WarehouseType
//	(save options to connect)                             Syncer.Connect
//	Autosync Cron                                         Settings.Autosync, Scheduler
//	  (stock 3 min, others 15 min, test mode 1 min)       StockInterval, TaskInterval, TestModeInterval
//	Match down all products, categories, and coupons      Settings.AutoMatch (TaskMatch runs StepMatchAll)
//	Fetch stock changes from Sitoo                        Settings.AutoFetchStock (TaskStock)
//	Fetch all orders from Sitoo                           Settings.AutoFetchOrders = OrdersAll; StepFetchOrders
//	Fetch only Store2Door orders from Sitoo               Settings.AutoFetchOrders = OrdersStore2Door; StepFetchStore2Door
//	Woo status for newly fetched regular Sitoo order      Settings.RegularOrderStatus (default completed)
//	Woo status for newly fetched Store2Door order         Settings.Store2DoorOrderStatus (default processing)
//	Prevent sending fetched orders to Google Analytics    MetaCreatedVia = CreatedViaSitoo on every fetched order
//	Send product stock changes to Sitoo                   Settings.SendStockChanges: at once to a Virtual
//	                                                      warehouse, through orders to a FIFO one
//	  (lost webhooks, with SendChanges too)               TaskReconcile runs StepReconcileProducts
//	Force instant stock changes to non-virtual warehouse  Settings.ForceInstantStock (FIFOWarning)
//	Send changes on synced products and categories        Settings.SendChanges; Syncer.Handler / HandleDelivery,
//	                                                      Syncer.SyncCategory (no category webhook)
//	Send all CAC orders to Sitoo when the status is...    Settings.CACMethodID, Settings.CACStatuses; SyncOrder
//	Set order status on CAC orders in Sitoo               Settings.CACOrderClosed (open when false)
//	Fetch products from Sitoo                             Settings.FetchProducts (FetchAll, FetchActive,
//	                                                      FetchActivePOS, FetchActiveWebshop, FetchInactive,
//	                                                      FetchInactivePOS, FetchInactiveWebshop)
//	Send all applied coupons to Sitoo as vouchers         Settings.SendCoupons
//	Send order shipping as order rows to Sitoo            Settings.ShippingAsRows
//	Send product prices including VAT to Sitoo            Settings.PricesIncludeVAT (order rows, product prices)
//	Deliver order after the synchronization to Sitoo      Settings.DeliverAfterSync
//	Complete Sync (order of selection = of execution)     Syncer.FullSync(ctx, steps, progress)
//	  Match all / categories / products / vouchers        StepMatchAll, StepMatchCategories, StepMatchProducts,
//	                                                      StepMatchVouchers
//	  Fetch all manufacturers from Sitoo                  StepFetchManufacturers
//	  Fetch all unmatched categories from Sitoo           StepFetchCategories
//	  Send all unmatched (products and) categories        StepSendCategories
//	  Resync all matched categories                       StepResyncCategories
//	  Fetch all unmatched products and categories         StepFetchProducts (no images: see Operations)
//	  Send all unmatched products and categories          StepSendProducts
//	  Re-sync all matched parental products               StepResyncParents
//	  Re-sync all matched variations                      StepResyncVariations
//	  Re-sync all matched product images                  StepResyncImages
//	  Fetch down / send up all matched products stock     StepFetchStock, StepSendStock
//	  (stock changes since the last sync)                 StepFetchStockChanges
//	  Fetch all orders / only Store2Door orders           StepFetchOrders, StepFetchStore2Door
//	  Send CAC orders to Sitoo                            StepSendCACOrders
//	Exclude external products from sync to Sitoo          Settings.ExcludeExternal
//	Ignore any errors in sending products to Sitoo        Settings.IgnoreErrors (Report, ItemError)
//	Check remaining requests x-rate header                Settings.CheckRateLimit (WithMaxRateWait, ErrRateBudget)
//	Full Sync                                             Syncer.FullSync
//	Clear All (test mode)                                 Syncer.ClearAll (keeps mode, credentials and site)
//	Reset timestamp (test mode)                           Syncer.ResetTimestamps (every sync timestamp,
//	                                                      not only the orders')
//	Fix SKU                                               Syncer.FixSKU (prefix, dry run or apply)
//	Fix Images                                            Syncer.FixImages (dry run or apply)
//	Enable logs                                           WithLogger (log/slog)
//	Logs link                                             Syncer.Runs, Syncer.Overview (the run log)
package woosync
