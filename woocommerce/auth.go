package woocommerce

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/dghubble/oauth1"

	"github.com/loyalsync/loyalsync/internal/rest"
	"github.com/loyalsync/loyalsync/internal/wp"
)

// authMethod is how requests are authenticated; it also tailors the hint of a 401.
type authMethod int

const (
	authBasic authMethod = iota
	authQueryString
	authOAuth1
)

func (a authMethod) String() string {
	switch a {
	case authQueryString:
		return "query-string"
	case authOAuth1:
		return "oauth1"
	}
	return "basic"
}

// configureAuth chooses the authentication WooCommerce expects for the URL scheme (spec: Basic or
// query-string credentials only under is_ssl(), OAuth 1.0a otherwise) and installs it in rc.
func configureAuth(rc *rest.Config, cfg *config, scheme, key, secret string, out *authMethod) error {
	if scheme == "http" {
		if cfg.queryStringAuth {
			return errors.New("query-string credentials are only accepted over HTTPS; " +
				"WooCommerce would ignore them on an http:// store URL (use https://, or drop WithQueryStringAuth to sign with OAuth 1.0a)")
		}
		*out = authOAuth1
		rc.Authenticate = oauthSigner(key, secret, cfg.oauthMethod)
		return nil
	}
	if cfg.queryStringAuth {
		*out = authQueryString
		rc.Authenticate = wp.QueryAuth(key, secret, rest.EncodeValues)
		return nil
	}
	*out = authBasic
	rc.Authenticate = wp.BasicAuth(key, secret)
	return nil
}

// oauthSigner returns a Config.Authenticate that signs a request with OAuth 1.0a, one-legged
// (empty token), as WooCommerce's check_oauth_signature verifies it: the query parameters are
// signed, a JSON body is not, and the key is secret + "&". The core calls Authenticate once per
// attempt, so a retry gets a fresh nonce and timestamp (WooCommerce rejects a reused nonce), and
// only for the store's own host, so a redirect elsewhere carries no signature.
//
// dghubble/oauth1 signs in a RoundTripper; here its Transport wraps one that sends nothing and
// hands the signed Authorization header back.
func oauthSigner(key, secret string, method OAuthSignatureMethod) func(*http.Request) error {
	cfg := oauth1.NewConfig(key, secret)
	if method == OAuthHMACSHA1 {
		cfg.Signer = &oauth1.HMACSigner{ConsumerSecret: secret}
	} else {
		cfg.Signer = &oauth1.HMAC256Signer{ConsumerSecret: secret}
	}
	// oauth1 takes the wrapped transport from the context value oauth1.HTTPClient.
	ctx := context.WithValue(context.Background(), oauth1.HTTPClient, &http.Client{Transport: returnAuthorization{}})
	signer := oauth1.NewClient(ctx, cfg, oauth1.NewToken("", "")).Transport
	return func(r *http.Request) error {
		resp, err := signer.RoundTrip(r)
		if err != nil {
			return fmt.Errorf("oauth1 signature: %w", err)
		}
		r.Header.Set("Authorization", resp.Header.Get("Authorization"))
		return nil
	}
}

// returnAuthorization is a RoundTripper that sends nothing: it answers with the request's
// Authorization header.
type returnAuthorization struct{}

func (returnAuthorization) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Authorization": r.Header.Values("Authorization")},
		Body: http.NoBody, Request: r}, nil
}

// authHint explains the likely cause of a WooCommerce authentication failure for the way the
// client authenticated. It returns "" when it has nothing useful to add.
func authHint(a authMethod, status int, code, message string) string {
	if status != http.StatusUnauthorized {
		return ""
	}
	switch code {
	case "woocommerce_rest_cannot_view", "woocommerce_rest_cannot_create", "woocommerce_rest_cannot_edit",
		"woocommerce_rest_cannot_delete", "woocommerce_rest_cannot_batch":
		// The request arrived anonymous: WooCommerce did not accept the credentials as a user.
		switch a {
		case authBasic:
			return "WooCommerce treated the request as anonymous. Most likely the consumer key is unknown to this store " +
				"(with Basic or query-string credentials WooCommerce ignores an unknown key instead of rejecting it): check " +
				"the key and that it was created on this site. Otherwise the web server strips the Authorization header " +
				"(common with Apache and PHP as CGI/FastCGI: use WithQueryStringAuth), or WordPress does not consider the " +
				"request HTTPS (a TLS-terminating proxy it does not trust), in which case it only accepts OAuth 1.0a"
		case authQueryString:
			return "WooCommerce treated the request as anonymous. Most likely the consumer key is unknown to this store " +
				"(WooCommerce ignores an unknown key instead of rejecting it): check the key and that it was created on this " +
				"site. Otherwise WordPress does not consider the request HTTPS (a TLS-terminating proxy it does not trust), " +
				"and then only accepts OAuth 1.0a"
		default:
			return "WooCommerce did not see the OAuth parameters: check that the store URL is the site's home URL " +
				"and that nothing strips the Authorization header"
		}
	case "woocommerce_rest_authentication_error":
		switch {
		case strings.Contains(message, "Consumer key is invalid"):
			return "the consumer key is unknown to this store: check the key and that it was created on this site"
		case strings.Contains(message, "Consumer secret is invalid"):
			return "the consumer secret does not match the key"
		case strings.Contains(message, "Invalid signature"):
			return "the consumer secret is most likely wrong (WooCommerce reports a wrong secret as a signature " +
				"mismatch under OAuth). Otherwise the store URL is not exactly the site's home URL (scheme, www., " +
				"sub-directory), or a plugin rewrites the request URL"
		case strings.Contains(message, "timestamp"):
			return "the server rejected the OAuth timestamp: the clocks of client and server differ by more than 15 minutes"
		case strings.Contains(message, "nonce"):
			return "the server saw this OAuth nonce before (a replayed request)"
		case isKeyPermission(status, code, message):
			return "the API key's permission does not allow this request (ErrKeyPermission): writes need a key with " +
				"Write or Read/Write permission, reads one with Read or Read/Write; edit the key under WooCommerce > " +
				"Settings > Advanced > REST API"
		}
		return "check the consumer key and secret"
	}
	return ""
}
