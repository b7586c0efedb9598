package woosync

import (
	"context"
	"iter"
	"time"
)

// Kind is what a mapping links.
type Kind string

// Mapping kinds. Part 2 (orders, vouchers) uses KindOrder and KindCoupon.
const (
	KindCategory     Kind = "category"     // Woo product category ↔ Sitoo category
	KindProduct      Kind = "product"      // Woo simple or variable product ↔ Sitoo product (main variant)
	KindVariation    Kind = "variation"    // Woo variation ↔ Sitoo variant
	KindManufacturer Kind = "manufacturer" // Woo "manufacturer" attribute term ↔ Sitoo manufacturer
	KindCoupon       Kind = "coupon"       // Woo coupon ↔ Sitoo voucher
	KindOrder        Kind = "order"        // Woo order ↔ Sitoo order
	// KindRestock marks a cancelled Woo order whose FIFO restock was started (SitooID is the
	// Sitoo order); a retry then looks the restock up in Sitoo before moving stock again.
	KindRestock Kind = "restock"
)

// Kinds lists every mapping kind.
var Kinds = []Kind{KindCategory, KindProduct, KindVariation, KindManufacturer, KindCoupon, KindOrder, KindRestock}

// Mapping links one WooCommerce item to one Sitoo item. It is what keeps a sync from creating
// duplicates: an item with a mapping is updated, never created again.
//
// WooID and SitooID are each unique within a kind. A manufacturer has no WooCommerce object of its
// own (it is the value of the products' "manufacturer" attribute): its WooID is its Sitoo id and
// Key its name.
type Mapping struct {
	Kind    Kind
	WooID   int64
	SitooID int64
	// Key is the natural key both sides share: SKU for products and variations, coupon code,
	// category title, manufacturer name, order external id.
	Key string
	// WooParentID and SitooParentID are the parent product of a variation (0 otherwise).
	WooParentID, SitooParentID int64
	// SyncedAt is when the item was last synced (or matched).
	SyncedAt time.Time
}

// Timestamp names used by the operations.
const (
	// TimestampStock is the last Sitoo stock fetch: the next one asks for changes since then.
	TimestampStock = "stock"
	// TimestampManufacturers is the last manufacturers fetch (zero: never, so the first product
	// fetch runs it).
	TimestampManufacturers = "manufacturers"
	// TimestampProducts is the last product reconcile (WooCommerce modified_after).
	TimestampProducts = "products"
	// TimestampOrders is the last order sync (part 2); ResetTimestamps clears it too.
	TimestampOrders = "orders"
)

// SettingsRecord is the saved configuration: the settings without credentials, and both modes'
// credentials sealed (AES-256-GCM, internal/seal) so the store never holds them in clear.
type SettingsRecord struct {
	Settings Settings
	// SealedCredentials holds the test and live Credentials; nil once disconnected.
	SealedCredentials []byte
	// Paused stops triggers and refuses operations until resumed.
	Paused bool
	// UpdatedAt is when the record was last saved.
	UpdatedAt time.Time
}

// Run is one entry of the run log: an operation or full sync and its outcome.
type Run struct {
	ID        int64
	Operation string // a Step, "full sync", "fix sku", ...
	Started   time.Time
	Finished  time.Time
	// Done is the items synced, Skipped those left out on purpose (already in sync, filtered),
	// Failed those with an error.
	Done, Skipped, Failed int
	// Errors holds the first errors (at most MaxRunErrors), as text.
	Errors []string
	// Err is the error that stopped the run, "" when it completed.
	Err string
}

// MaxRunErrors is how many item errors a Run keeps.
const MaxRunErrors = 50

// Store keeps the sync's state: settings, mappings, timestamps and the run log. Implementations
// must be safe for concurrent use. MemoryStore is one; the conformance suite in
// sitoo/woosync/storetest checks any other.
type Store interface {
	// LoadSettings returns the saved settings, or ErrNotConfigured.
	LoadSettings(ctx context.Context) (SettingsRecord, error)
	// SaveSettings replaces the saved settings.
	SaveSettings(ctx context.Context, rec SettingsRecord) error
	// DeleteSettings removes the saved settings (LoadSettings then returns ErrNotConfigured).
	DeleteSettings(ctx context.Context) error

	// PutMapping inserts or replaces the mapping of (m.Kind, m.WooID). It fails with
	// ErrMappingConflict when m.SitooID is mapped to another WooID of that kind.
	PutMapping(ctx context.Context, m Mapping) error
	// MappingByWoo returns the mapping of a WooCommerce id, or ErrNoMapping.
	MappingByWoo(ctx context.Context, kind Kind, wooID int64) (Mapping, error)
	// MappingBySitoo returns the mapping of a Sitoo id, or ErrNoMapping.
	MappingBySitoo(ctx context.Context, kind Kind, sitooID int64) (Mapping, error)
	// MappingByKey returns the mapping of a kind with that Key (SKU, code, ...), or ErrNoMapping.
	// Keys are not unique: with several, any one is returned.
	MappingByKey(ctx context.Context, kind Kind, key string) (Mapping, error)
	// Mappings iterates over a kind's mappings in WooID order.
	Mappings(ctx context.Context, kind Kind) iter.Seq2[Mapping, error]
	// CountMappings returns how many mappings a kind has.
	CountMappings(ctx context.Context, kind Kind) (int, error)
	// DeleteMapping removes the mapping of a WooCommerce id (no error when there is none).
	DeleteMapping(ctx context.Context, kind Kind, wooID int64) error
	// ClearMappings removes every mapping of every kind.
	ClearMappings(ctx context.Context) error

	// Timestamp returns a named sync timestamp, the zero time when unset.
	Timestamp(ctx context.Context, name string) (time.Time, error)
	// SetTimestamp sets a named sync timestamp.
	SetTimestamp(ctx context.Context, name string, t time.Time) error
	// ResetTimestamps clears every sync timestamp.
	ResetTimestamps(ctx context.Context) error

	// AddRun appends a run to the log and returns its id (ids increase).
	AddRun(ctx context.Context, r Run) (int64, error)
	// Runs returns the latest runs, newest first, at most limit (all when limit <= 0).
	Runs(ctx context.Context, limit int) ([]Run, error)
}
