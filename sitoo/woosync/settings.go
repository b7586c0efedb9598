package woosync

import (
	"net/url"
	"strings"

	"github.com/loyalsync/loyalsync/sitoo"
)

// Mode selects which credentials (and so which Sitoo account) are used. A Sitoo test account is
// separate from the live one, with unrelated ids.
type Mode string

// Modes.
const (
	ModeTest Mode = "test"
	ModeLive Mode = "live"
)

// Credentials are one mode's Sitoo API access: the API ID and password made in Backoffice
// (Settings → Sitoo REST API) and the base URL shown when the password was made, e.g.
// "https://api.mysitoo.com/v2/accounts/10020".
type Credentials struct {
	APIID    string `json:"api_id"`
	Password string `json:"password"`
	BaseURL  string `json:"base_url"`
}

// ProductFilter selects which Sitoo products a fetch takes (the seed's "Fetch products from
// Sitoo"). Sitoo's flags: activepos (shown in the POS) and active (shown in the webshop).
type ProductFilter string

// Product filters.
const (
	FetchAll             ProductFilter = "all"              // every product, inactive included
	FetchActive          ProductFilter = "active"           // active in the POS or the webshop
	FetchActivePOS       ProductFilter = "active_pos"       // active in the POS
	FetchActiveWebshop   ProductFilter = "active_webshop"   // active in the webshop
	FetchInactive        ProductFilter = "inactive"         // inactive in both
	FetchInactivePOS     ProductFilter = "inactive_pos"     // inactive in the POS
	FetchInactiveWebshop ProductFilter = "inactive_webshop" // inactive in the webshop
	defaultProductFilter               = FetchActive
)

// keeps reports whether a Sitoo product passes the filter.
func (f ProductFilter) keeps(p *sitoo.Product) bool {
	switch f {
	case FetchAll:
		return true
	case FetchActivePOS:
		return p.ActivePOS
	case FetchActiveWebshop:
		return p.Active
	case FetchInactive:
		return !p.ActivePOS && !p.Active
	case FetchInactivePOS:
		return !p.ActivePOS
	case FetchInactiveWebshop:
		return !p.Active
	}
	return p.ActivePOS || p.Active // FetchActive
}

// includesInactive reports whether the Sitoo list must ask for products inactive in both POS
// and webshop (Sitoo leaves them out by default).
func (f ProductFilter) includesInactive() bool {
	return f == FetchAll || f == FetchInactive || f == FetchInactivePOS || f == FetchInactiveWebshop
}

func (f ProductFilter) valid() bool {
	switch f {
	case "", FetchAll, FetchActive, FetchActivePOS, FetchActiveWebshop, FetchInactive, FetchInactivePOS, FetchInactiveWebshop:
		return true
	}
	return false
}

// Settings are the sync's options (WooCommerce → Settings → Sitoo in the plugin). Save them with
// Syncer.Connect, which checks them against Sitoo first. Credentials are kept sealed in the Store.
type Settings struct {
	// Mode picks Test or Live credentials.
	Mode Mode `json:"mode"`
	// Test and Live are each mode's credentials; only the active mode's are required.
	Test Credentials `json:"-"`
	Live Credentials `json:"-"`
	// SiteID is the Sitoo site (eshop id, the seed's "Sitoo API endpoint") synced to and from.
	SiteID int64 `json:"site_id"`
	// WarehouseID is the Sitoo warehouse WooCommerce syncs stock with. Connect reads its type.
	WarehouseID int64 `json:"warehouse_id"`
	// WarehouseType is the warehouse's type as Connect read it from Sitoo: Virtual warehouses take
	// absolute stock, FIFO ones only stock changes.
	WarehouseType sitoo.WarehouseType `json:"warehouse_type"`

	// SendStockChanges sends WooCommerce stock changes to Sitoo (trigger): at once for a Virtual
	// warehouse; for a FIFO one through orders (part 2) unless ForceInstantStock.
	SendStockChanges bool `json:"send_stock_changes"`
	// ForceInstantStock sends stock to a FIFO warehouse at once, through warehouse batches.
	// Warning (from the seed): this overrides any stock-taking or delivery session open in Sitoo
	// and may damage Sitoo stock. Not recommended in live mode.
	ForceInstantStock bool `json:"force_instant_stock"`
	// SendChanges sends changes of already synced products, variations, categories (SyncCategory)
	// and coupons (their vouchers) to Sitoo as they happen (trigger).
	SendChanges bool `json:"send_changes"`
	// FetchProducts selects the Sitoo products a fetch takes (default FetchActive).
	FetchProducts ProductFilter `json:"fetch_products"`

	// ExcludeExternal leaves WooCommerce external products out of every sync to Sitoo.
	ExcludeExternal bool `json:"exclude_external"`
	// IgnoreErrors makes a sync skip (and report) items it cannot sync — undefined SKU, missing
	// image, stock problem — instead of stopping at the first.
	IgnoreErrors bool `json:"ignore_errors"`
	// CheckRateLimit makes a full sync compare Sitoo's X-Rate-Limit-Remaining with the requests
	// the next step needs and wait for the window to reset instead of failing halfway.
	CheckRateLimit bool `json:"check_rate_limit"`

	// OrderSettings are the order, click & collect, voucher and autosync options (part 2).
	OrderSettings
}

// Active returns the credentials of the current mode.
func (s *Settings) Active() Credentials {
	if s.Mode == ModeLive {
		return s.Live
	}
	return s.Test
}

// Validate checks the settings without contacting Sitoo. The error is a *SettingsError.
func (s *Settings) Validate() error {
	if s.Mode != ModeTest && s.Mode != ModeLive {
		return &SettingsError{Field: "Mode", Reason: `must be "test" or "live"`}
	}
	field := "Test"
	if s.Mode == ModeLive {
		field = "Live"
	}
	c := s.Active()
	switch {
	case strings.TrimSpace(c.APIID) == "":
		return &SettingsError{Field: field + ".APIID", Reason: "required"}
	case c.Password == "":
		return &SettingsError{Field: field + ".Password", Reason: "required"}
	}
	if _, err := sitoo.AccountIDFromAPIID(c.APIID); err != nil {
		return &SettingsError{Field: field + ".APIID", Reason: `must look like "{account}-{n}"`}
	}
	u, err := url.Parse(c.BaseURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return &SettingsError{Field: field + ".BaseURL", Reason: "must be an http(s) URL"}
	}
	if s.SiteID <= 0 {
		return &SettingsError{Field: "SiteID", Reason: "must be a Sitoo site (eshop) id, 1 or more"}
	}
	if s.WarehouseID < 0 {
		return &SettingsError{Field: "WarehouseID", Reason: "must not be negative"}
	}
	if !s.FetchProducts.valid() {
		return &SettingsError{Field: "FetchProducts", Reason: "unknown filter " + string(s.FetchProducts)}
	}
	if s.ForceInstantStock && s.WarehouseID == 0 {
		return &SettingsError{Field: "ForceInstantStock", Reason: "needs a WarehouseID"}
	}
	return s.validateOrders()
}

// virtual reports whether stock is set absolutely (Virtual warehouse).
func (s *Settings) virtual() bool { return s.WarehouseType.IsVirtual() }
