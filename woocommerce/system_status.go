package woocommerce

import (
	"context"
	"encoding/json"
)

// SystemStatus is the store's environment report (GET /system_status). The sections the report
// grows with each WooCommerce version are kept raw in Extra.
type SystemStatus struct {
	Environment   StatusEnvironment `json:"environment"`
	Database      StatusDatabase    `json:"database"`
	ActivePlugins []StatusPlugin    `json:"active_plugins"`
	Theme         StatusTheme       `json:"theme"`
	Settings      StatusSettings    `json:"settings"`
	Security      StatusSecurity    `json:"security"`
	Pages         []StatusPage      `json:"pages"`
}

// StatusEnvironment is the environment section of the system status.
type StatusEnvironment struct {
	HomeURL                string     `json:"home_url"`
	SiteURL                string     `json:"site_url"`
	Version                string     `json:"version"` // WooCommerce version
	LogDirectory           string     `json:"log_directory"`
	LogDirectoryWritable   bool       `json:"log_directory_writable"`
	WPVersion              string     `json:"wp_version"`
	WPMultisite            bool       `json:"wp_multisite"`
	WPMemoryLimit          int64      `json:"wp_memory_limit"`
	WPDebugMode            bool       `json:"wp_debug_mode"`
	WPCron                 bool       `json:"wp_cron"`
	Language               string     `json:"language"`
	ServerInfo             string     `json:"server_info"`
	PHPVersion             string     `json:"php_version"`
	PHPPostMaxSize         int64      `json:"php_post_max_size"`
	PHPMaxExecutionTime    int64      `json:"php_max_execution_time"`
	PHPMaxInputVars        int64      `json:"php_max_input_vars"`
	CurlVersion            string     `json:"curl_version"`
	SuhosinInstalled       bool       `json:"suhosin_installed"`
	MaxUploadSize          int64      `json:"max_upload_size"`
	MySQLVersion           string     `json:"mysql_version"`
	DefaultTimezone        string     `json:"default_timezone"`
	FsockopenOrCurlEnabled bool       `json:"fsockopen_or_curl_enabled"`
	SoapClientEnabled      bool       `json:"soapclient_enabled"`
	DOMDocumentEnabled     bool       `json:"domdocument_enabled"`
	GzipEnabled            bool       `json:"gzip_enabled"`
	MbstringEnabled        bool       `json:"mbstring_enabled"`
	RemotePostSuccessful   bool       `json:"remote_post_successful"`
	RemotePostResponse     FlexString `json:"remote_post_response"`
	RemoteGetSuccessful    bool       `json:"remote_get_successful"`
	RemoteGetResponse      FlexString `json:"remote_get_response"`
}

// StatusDatabase is the database section of the system status.
type StatusDatabase struct {
	WCDatabaseVersion    string          `json:"wc_database_version"`
	DatabasePrefix       string          `json:"database_prefix"`
	MaxmindGeoIPDatabase string          `json:"maxmind_geoip_database"`
	DatabaseTables       json.RawMessage `json:"database_tables"` // its shape changed across versions
}

// StatusPlugin is an active plugin.
type StatusPlugin struct {
	Plugin  string `json:"plugin"`
	Name    string `json:"name"`
	Version string `json:"version"`
	// VersionLatest is the newest version WordPress knows of; see StatusTheme.VersionLatest.
	VersionLatest    FlexString `json:"version_latest"`
	URL              string     `json:"url"`
	AuthorName       string     `json:"author_name"`
	AuthorURL        string     `json:"author_url"`
	NetworkActivated bool       `json:"network_activated"`
}

// StatusTheme is the active theme.
type StatusTheme struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	// VersionLatest is the newest version WordPress knows of, or "0" when it could not look the
	// theme up (custom, premium and child themes, or no network): WooCommerce then sends the
	// number 0 instead of a string. ParentVersionLatest likewise.
	VersionLatest         FlexString      `json:"version_latest"`
	AuthorURL             string          `json:"author_url"`
	IsChildTheme          bool            `json:"is_child_theme"`
	HasWooCommerceSupport bool            `json:"has_woocommerce_support"`
	HasWooCommerceFile    bool            `json:"has_woocommerce_file"`
	HasOutdatedTemplates  bool            `json:"has_outdated_templates"`
	Overrides             json.RawMessage `json:"overrides"`
	ParentName            string          `json:"parent_name"`
	ParentVersion         string          `json:"parent_version"`
	ParentVersionLatest   FlexString      `json:"parent_version_latest"`
	ParentAuthorURL       string          `json:"parent_author_url"`
}

// StatusSettings is the settings section: the store currency and number formatting.
type StatusSettings struct {
	APIEnabled         bool              `json:"api_enabled"`
	ForceSSL           bool              `json:"force_ssl"`
	Currency           string            `json:"currency"`
	CurrencySymbol     string            `json:"currency_symbol"`
	CurrencyPosition   string            `json:"currency_position"`
	ThousandSeparator  string            `json:"thousand_separator"`
	DecimalSeparator   string            `json:"decimal_separator"`
	NumberOfDecimals   int64             `json:"number_of_decimals"`
	GeolocationEnabled bool              `json:"geolocation_enabled"`
	Taxonomies         map[string]string `json:"taxonomies"`
}

// StatusSecurity is the security section.
type StatusSecurity struct {
	SecureConnection bool `json:"secure_connection"`
	HideErrors       bool `json:"hide_errors"`
}

// StatusPage is one of the WooCommerce pages (shop, cart, checkout, my account).
type StatusPage struct {
	PageName          string  `json:"page_name"`
	PageID            FlexInt `json:"page_id"` // sent as a string
	PageSet           bool    `json:"page_set"`
	PageExists        bool    `json:"page_exists"`
	PageVisible       bool    `json:"page_visible"`
	Shortcode         string  `json:"shortcode"`
	ShortcodeRequired bool    `json:"shortcode_required"`
	ShortcodePresent  bool    `json:"shortcode_present"`
}

// SystemStatusService reads the system status. Create it through NewClient.
type SystemStatusService service

// Get returns the system status report.
//
// WooCommerce REST API: https://woocommerce.github.io/woocommerce-rest-api-docs/#list-all-system-status-items
func (s *SystemStatusService) Get(ctx context.Context) (*SystemStatus, *Response, error) {
	return get[SystemStatus](ctx, s.client, "get system status", "system_status")
}
