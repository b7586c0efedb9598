package rest

import (
	"net/url"
	"strings"
)

// sensitiveParam reports query parameters whose values never reach a log or an error message.
func sensitiveParam(name string) bool {
	switch strings.ToLower(name) {
	case "consumer_key", "consumer_secret", "oauth_signature", "oauth_consumer_key", "password", "secret",
		"token", "access_token", "api_key", "apikey", "key", "signature", "client_secret":
		return true
	}
	return false
}

// redactedPath returns the URL's path and query with credential values replaced, and no userinfo.
func redactedPath(u *url.URL) string {
	p := u.EscapedPath()
	if u.RawQuery == "" {
		return p
	}
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return p + "?[unparsable query]"
	}
	for k := range q {
		if sensitiveParam(k) {
			q[k] = []string{"REDACTED"}
		}
	}
	return p + "?" + EncodeValues(q)
}
