package wp

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// SiteBase parses a WordPress site URL (the home URL, e.g. "https://shop.example.com" or
// "https://example.com/shop") and returns the absolute base URL of apiPath below it.
// The site must be https: both plugins' credentials (application passwords, WooCommerce keys in
// the query string) are only honoured, and only safe, over TLS. Errors carry no package prefix
// and no sentinel: the client's constructor wraps them with both, e.g.
// fmt.Errorf("woorewards: new client: %w (%w)", err, ErrInvalidArgument).
func SiteBase(siteURL, apiPath string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(siteURL))
	if err != nil {
		return "", fmt.Errorf("invalid site URL: %w", err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("site URL %q must be an absolute https:// URL", siteURL)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("site URL %q must not carry a query, fragment or user info", siteURL)
	}
	if u.Scheme != "https" {
		return "", fmt.Errorf("refusing to send credentials over plain HTTP to %q: "+
			"WordPress only accepts application passwords and WooCommerce query-string keys over HTTPS, "+
			"and they would travel in clear text; use the site's https:// URL", siteURL)
	}
	return strings.TrimSuffix(u.String(), "/") + "/" + apiPath, nil
}

// BasicAuth returns an authenticate hook sending HTTP Basic credentials (a WordPress
// application password). The HTTP core adds credentials only for the base URL's host and never
// over a redirect down to plain HTTP.
func BasicAuth(user, password string) func(*http.Request) error {
	return func(r *http.Request) error {
		r.SetBasicAuth(user, password)
		return nil
	}
}

// QueryAuth returns an authenticate hook adding consumer_key and consumer_secret to the query
// string (WooCommerce REST API keys). encode renders the query.
func QueryAuth(key, secret string, encode func(url.Values) string) func(*http.Request) error {
	return func(r *http.Request) error {
		q := r.URL.Query()
		q.Set("consumer_key", key)
		q.Set("consumer_secret", secret)
		r.URL.RawQuery = encode(q)
		return nil
	}
}
