// Package sitoo is a client for the Sitoo REST API v2, the POS behind a merchant's store
// counters, and a receiver for Sitoo's event callbacks (the Events SPI).
//
// # Connecting
//
// Sitoo authenticates with HTTP Basic: the API ID and password created in Backoffice under
// Settings → Sitoo REST API (admin rights and the API extension needed; requests must come from an
// allowed IP address). The base URL includes the account and differs per account location, so it
// is configured, never derived; AccountIDFromAPIID and AccountURL help build it:
//
//	acct, _ := sitoo.AccountIDFromAPIID("10020-140") // "10020"
//	client, err := sitoo.NewClient(sitoo.AccountURL(sitoo.ProductionHost, acct), "10020-140", password)
//
// A test installation is a separate account (often on SandboxHost) with unrelated ids: a test and
// a live mode are simply two clients.
//
// Most resources belong to a site, the integer eshop id (usually 1): client.Site(1).Products,
// client.Site(1).Orders, ... Orders across all sites are listed with client.Orders.
//
// # Lists and paging
//
// Collections come in an envelope {"totalcount": N, "items": [...]} paged with start/num. Each
// service has List (one page, with the total count in Response.TotalCount) and All (an
// iter.Seq2 over every item, one page in memory at a time, ceil(N/num) requests). Options structs
// embed ListOptions (Start, Num, Fields, Sort) and add each resource's filters. Num defaults to
// the client's page size, 100 (WithPageSize); Sitoo's maximum is not documented.
//
// # Values
//
// Sitoo sends dates as Unix seconds (UnixTime), money as strings with 2 decimals (Money) and
// quantities as strings with 3 decimals (Decimal); VAT rates are JSON numbers (Percent). All are
// exact decimals, never float64. Encoding a Money or Decimal with more decimals than Sitoo accepts
// fails with a *PrecisionError instead of rounding. States and types (OrderState, PaymentState,
// OrderType, WarehouseType, TransactionType, ...) are open integer types with constants for the
// values Sitoo documents; undocumented values pass through unchanged.
//
// Request types (ProductRequest, OrderRequest, ...) use pointers for optional fields (see Ptr), so
// an update sends only what you set: Sitoo's PUT on one object is a partial update. The exception
// is ProductVariants.Replace: PUT productvariants replaces the whole variant set. Orders cannot be
// deleted; cancel them with OrdersService.Cancel.
//
// # Batches
//
// Several endpoints take arrays and answer one {"statuscode", "return"} per item. The batch
// methods split long inputs (WithBatchSize, default 100; warehouse transactions at Sitoo's limit
// of 1000 items) and return BatchResults, one per item in input order, where a failed item carries
// an *ItemError. BatchResults.Err joins the item errors.
//
// # Stock
//
// A Virtual warehouse (WarehouseTypeVirtual) has its stock set absolutely with WarehouseItems.Set
// and accepts no transactions. Other (FIFO) warehouses change stock only through warehouse
// transactions (WarehouseTransactions.Add, a signed delta per SKU), warehouse batches (create,
// add items, Commit: state 10 → 20) and order deliveries. The client refuses the wrong kind of
// operation before sending it, with a *WarehouseTypeError (ErrVirtualWarehouse or
// ErrNotVirtualWarehouse). It learns a warehouse's type from every warehouse it reads, and fetches
// it once when it has not seen the warehouse yet.
//
// # Responses and errors
//
// Every call returns a *Response whenever Sitoo answered, also together with an error: the
// *http.Response (body read and closed), the raw Body, the number of Attempts and, for lists, the
// envelope's TotalCount. Get returns (*T, *Response, error), Create (int64, *Response, error) since
// Sitoo answers an add with the new id only, Update and Delete (*Response, error), and the batch
// methods (BatchResults, *Response, error) with the last request's Response.
//
// Every error names its operation ("sitoo: update product 42: ..."). A non-2xx response is an
// *APIError carrying Sitoo's {"statuscode", "errortext"}. Match the common cases with errors.Is:
// ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrRateLimited, ErrServer;
// ErrTransport for a request that got no response (a *TransportError, which says how many attempts
// were made), ErrDecode for a 2xx body that could not be decoded (a *DecodeError). Arguments the
// client refuses before sending anything wrap ErrInvalidArgument.
//
// # Raw requests
//
// An endpoint or field the library does not model (stores, sales taxes, custom attributes, ...) is
// reachable with Client.NewRequest and Client.Do, which add the credentials, retries and pacing
// of the other calls. Each service method's documentation links Sitoo's reference for its
// endpoint (https://developer.sitoo.com/api-reference/).
//
// # Options
//
// The common options have the same names and meaning in every loyalsync client: WithHTTPClient,
// WithLogger, WithUserAgent, WithRetry, WithRateLimit, WithMaxRetryAfter, WithClock and WithSleep;
// WithPageSize and WithBatchSize are Sitoo's own. Nil options are ignored; an option given a
// value it cannot use makes NewClient fail with ErrInvalidArgument. WithClock and WithSleep (with
// sitootest.WithClock on the fake) put the client on virtual time, so tests drive pacing and
// retries without depending on the machine's speed.
//
// # Rate limits
//
// Sitoo answers 429 Too Many Requests when a client goes too fast; it does not document its
// limits or header names. The client retries a 429 (for every method: a rate-limited request was
// not processed), waiting as the server says: Retry-After, else X-Rate-Limit-Reset, which may be
// delay seconds or a Unix epoch (told apart by magnitude). It reads X-Rate-Limit-Limit and
// X-Rate-Limit-Remaining from every response, slows down as the remaining budget shrinks, pauses
// until the reset when it reaches zero, and exposes the latest values through Client.RateLimit, so
// a caller can check the budget before a full sync. WithRateLimit adds a client-side limit.
//
// Writes that are not idempotent (adds, transactions, deliveries) are not retried after a network
// error, since they may have been applied; see OrdersService.Create for how orders with an
// ExternalID are made safe to retry.
//
// # Events
//
// EventHandler is an http.Handler for Sitoo's event deliveries (the Events SPI): JSON arrays of up
// to 10 events, to be answered within 15 seconds, with duplicates possible. Sitoo can send Basic
// credentials of their own with each delivery, and the handler requires them: NewEventHandler
// fails without WithEventAuth, unless WithInsecureNoEventAuth opts out (for tests). It verifies and
// parses a delivery (ReadEvents, ParseEvents), skips events it has seen (SeenStore; in memory and
// bounded by default), hands the others to your callback, and answers 503 when the callback fails
// so that Sitoo retries.
//
// The fake server in package sitootest speaks the same wire format for tests.
package sitoo
