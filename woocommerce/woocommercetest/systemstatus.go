package woocommercetest

import (
	"net/http"
	"strconv"
)

// getSystemStatus answers GET /system_status with the parts clients read: environment, database,
// active plugins, theme, settings (currency, decimals...), security and pages.
func (s *Server) getSystemStatus(c *call) (int, any, *wpError) {
	home := s.homeFor(c.tls)
	tz := s.cfg.loc.String()
	return http.StatusOK, map[string]any{
		"environment": map[string]any{
			"home_url": home, "site_url": home, "store_id": "", "version": wcVersion, "wp_version": wpVersion,
			"wp_multisite": false, "wp_memory_limit": 268435456, "wp_debug_mode": false, "wp_cron": true,
			"language": "en_US", "external_object_cache": nil, "server_info": "loyalsync woocommercetest",
			"php_version": "8.2.0", "php_post_max_size": 8388608, "php_max_execution_time": 30,
			"php_max_input_vars": 1000, "curl_version": "8.0.0, OpenSSL/3.0.0", "suhosin_installed": false,
			"max_upload_size": 8388608, "mysql_version": "8.0.36", "mysql_version_string": "8.0.36",
			"default_timezone": "UTC", "fsockopen_or_curl_enabled": true, "soapclient_enabled": true,
			"domdocument_enabled": true, "gzip_enabled": true, "mbstring_enabled": true,
			// WooCommerce sends the response code as $response['response']['code'], a JSON number, when
			// it runs the check, and as a string (or an error message) in other versions and when the
			// result comes from its transient cache. The fake sends one of each, so a client must
			// accept both.
			"remote_post_successful": true, "remote_post_response": "200", "remote_get_successful": true,
			"remote_get_response": 200,
		},
		"database": map[string]any{
			"wc_database_version": wcVersion, "database_prefix": "wp_", "maxmind_geoip_database": "",
			"database_tables": map[string]any{"woocommerce": map[string]bool{"wp_woocommerce_api_keys": true}, "other": map[string]bool{}},
			"database_size":   map[string]any{"data": 1.0, "index": 1.0},
		},
		"active_plugins": []map[string]any{{
			"plugin": "woocommerce/woocommerce.php", "name": "WooCommerce", "version": wcVersion,
			"version_latest": wcVersion, "url": "https://woocommerce.com/", "author_name": "Automattic",
			"author_url": "https://woocommerce.com", "network_activated": false,
		}},
		"inactive_plugins":   []any{},
		"dropins_mu_plugins": map[string]any{"dropins": []any{}, "mu_plugins": []any{}},
		// A child theme, as many shops run. WC_Admin_Status::get_latest_theme_version answers the
		// number 0 when WordPress cannot look a theme up (custom, premium or child themes, or no
		// network, as here), a version string otherwise; parent_* are "" without a parent theme.
		"theme": map[string]any{
			"name": "Storefront Child", "version": "1.0.0", "version_latest": 0, "author_url": "",
			"is_child_theme": true, "is_block_theme": false, "has_woocommerce_support": true,
			"has_woocommerce_file": false, "has_outdated_templates": false, "overrides": []any{},
			"parent_name": "Storefront", "parent_version": "4.6.0", "parent_version_latest": 0,
			"parent_author_url": "https://woocommerce.com/",
		},
		"settings": map[string]any{
			"api_enabled": true, "force_ssl": false, "currency": s.cfg.currency,
			"currency_symbol": currencySymbol(s.cfg.currency), "currency_position": "left",
			"thousand_separator": ",", "decimal_separator": s.cfg.decimalSep,
			"number_of_decimals": s.cfg.decimals, "geolocation_enabled": false,
			"taxonomies":                map[string]string{"external": "external", "grouped": "grouped", "simple": "simple", "variable": "variable"},
			"product_visibility_terms":  map[string]string{"exclude-from-catalog": "exclude-from-catalog", "exclude-from-search": "exclude-from-search", "featured": "featured", "outofstock": "outofstock"},
			"woocommerce_com_connected": "no", "enforce_approved_download_dirs": true, "order_datastore": "Automattic\\WooCommerce\\Internal\\DataStores\\Orders\\OrdersTableDataStore",
			"HPOS_enabled": true, "HPOS_sync_enabled": false, "timezone": tz,
		},
		"security": map[string]any{"secure_connection": c.tls, "hide_errors": true},
		"pages": []map[string]any{
			{"page_name": "Shop base", "page_id": "5", "page_set": true, "page_exists": true, "page_visible": true, "shortcode": "", "block": "", "shortcode_required": false, "shortcode_present": false, "block_present": false, "block_required": false},
			{"page_name": "Cart", "page_id": "6", "page_set": true, "page_exists": true, "page_visible": true, "shortcode": "[woocommerce_cart]", "block": "woocommerce/cart", "shortcode_required": false, "shortcode_present": false, "block_present": true, "block_required": true},
			{"page_name": "Checkout", "page_id": "7", "page_set": true, "page_exists": true, "page_visible": true, "shortcode": "[woocommerce_checkout]", "block": "woocommerce/checkout", "shortcode_required": false, "shortcode_present": false, "block_present": true, "block_required": true},
			{"page_name": "My account", "page_id": "8", "page_set": true, "page_exists": true, "page_visible": true, "shortcode": "[woocommerce_my_account]", "block": "", "shortcode_required": true, "shortcode_present": true, "block_present": false, "block_required": false},
		},
		"post_type_counts": []map[string]any{
			{"type": "product", "count": strconv.Itoa(len(s.st.products))},
			{"type": "shop_coupon", "count": strconv.Itoa(len(s.st.coupons))},
		},
	}, nil
}
