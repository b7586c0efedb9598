// Package sitootest is an in-memory Sitoo REST API v2 account on an httptest.Server, for testing
// code that uses package sitoo without the network.
//
//	srv := sitootest.NewServer()
//	defer srv.Close()
//	srv.SeedProducts(1, 3)
//	client, _ := srv.NewClient()
//	products, _, _ := client.Site(1).Products.List(ctx, nil)
//
// It speaks the same wire format as Sitoo (see Server) and keeps its rules where the tests of this
// module depend on them: Basic auth, .json paths, envelopes and batch envelopes, error bodies,
// partial updates, variant-set replacement, stock by warehouse type, externalid uniqueness, no
// order deletion, deliveries that move stock. Where Sitoo's behaviour is undocumented the fake
// makes a plain choice and says so in the doc comment of the handler concerned.
//
// WithRateLimit adds a token bucket answering 429 with Retry-After and X-Rate-Limit-* headers; it
// refills on the server's clock, which WithClock replaces (share it with the client's
// sitoo.WithClock, and advance it in sitoo.WithSleep, so that a test of pacing depends on no
// machine's speed). Faults returns the shared fault injector (internal/faults) for 5xx, 429,
// latency and dropped connections.
//
// # Where it is simplified
//
// Product images keep only their metadata (resourceid, mimetype, file size, and the dimensions
// when the data decodes as an image): the file itself is neither kept nor served, and resourceid
// is not checked (Sitoo's naming rules are undocumented). The plain resources (categories,
// manufacturers, product groups, price lists, vouchers, warehouses) list in id order with start,
// num and fields only: their sort and filter parameters are ignored, and voucher codes are not
// checked for uniqueness. Products, orders and warehouse transactions sort by id only (ascending
// or descending). GET /sites.json lists the sites given to WithSites with made-up GUIDs and
// addresses: only eshopid is meaningful. A warehouse added without a type gets 10, presumed FIFO.
// The rate limit is a token bucket, not Sitoo's own (undocumented) algorithm; only its headers
// follow Sitoo's.
package sitootest
