package woocommercetest

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"hash"
	"regexp"
	"slices"
	"strings"
)

// This file is WooCommerce's server side of OAuth 1.0a (WC_REST_Authentication), written from its
// algorithm and not from any client library, so that a client bug cannot pass because the fake
// shares it.

// oauthRequiredParams are the parameters get_oauth_parameters insists on, in its order.
var oauthRequiredParams = [...]string{
	"oauth_consumer_key", "oauth_timestamp", "oauth_nonce", "oauth_signature", "oauth_signature_method",
}

// oauthHeaderParam is parse_header's regular expression, including its odd "(:?" group.
var oauthHeaderParam = regexp.MustCompile(`(oauth_[a-z_-]*)=(:?"([^"]*)"|([^,]*))`)

// parseOAuthHeader parses "Authorization: OAuth k="v", ..." into urldecoded parameters.
func parseOAuthHeader(header string) *phpArray {
	out := newPHPArray()
	header = strings.TrimSpace(header)
	if !strings.HasPrefix(header, "OAuth ") {
		return out
	}
	for _, m := range oauthHeaderParam.FindAllStringSubmatch(header, -1) {
		v := m[3]
		if v == "" || v == "0" { // PHP's empty() treats "0" as empty too
			v = m[4]
		}
		out.set(m[1], &phpValue{str: phpURLDecode(v)})
	}
	out.del("realm")
	return out
}

// phpEmpty is PHP's empty() for a request parameter.
func phpEmpty(v *phpValue, ok bool) bool {
	if !ok || v == nil {
		return true
	}
	if v.arr != nil {
		return v.arr.len() == 0
	}
	return v.str == "" || v.str == "0"
}

// oauthParams merges $_GET, $_POST and the Authorization header like get_oauth_parameters. It
// returns nil params when no OAuth parameter is present, and the names of the missing ones when
// only some are.
func oauthParams(get, post *phpArray, authorization string) (params *phpArray, missing []string) {
	params = get.merge(post)
	if h := parseOAuthHeader(authorization); h.len() > 0 {
		params = params.merge(h)
	}
	haveOne := false
	for _, name := range oauthRequiredParams {
		v, ok := params.get(name)
		if phpEmpty(v, ok) {
			missing = append(missing, name)
		} else {
			haveOne = true
		}
	}
	if !haveOne {
		return nil, nil
	}
	return params, missing
}

// signatureBaseString builds check_oauth_signature's string to sign. baseURI is
// home_url(request path) with the scheme of the request; params must not contain oauth_signature.
func signatureBaseString(method, baseURI string, params *phpArray) string {
	keys := slices.Clone(params.keys)
	slices.SortStableFunc(keys, strings.Compare) // uksort($params, 'strcmp')
	pairs := make([]string, 0, len(keys))
	for _, k := range keys {
		pairs = appendSignaturePairs(pairs, rawURLEncode(k), params.vals[k])
	}
	return strings.ToUpper(method) + "&" + rawURLEncode(baseURI) + "&" + strings.Join(pairs, "%26")
}

// appendSignaturePairs is normalize_parameters followed by join_with_equals_sign: the key is
// already encoded; values are rawurlencoded, nested keys are not, and each "k=v" is encoded again.
func appendSignaturePairs(pairs []string, key string, v *phpValue) []string {
	if v.arr == nil {
		return append(pairs, rawURLEncode(key+"="+rawURLEncode(v.str)))
	}
	for _, sub := range v.arr.keys {
		pairs = appendSignaturePairs(pairs, key+"%5B"+sub+"%5D", v.arr.vals[sub])
	}
	return pairs
}

// oauthSignature computes base64(HMAC(base, secret + "&")); ok is false for an unsupported method.
func oauthSignature(method, base, consumerSecret string) (string, bool) {
	var h func() hash.Hash
	switch method {
	case "HMAC-SHA1":
		h = sha1.New
	case "HMAC-SHA256":
		h = sha256.New
	default:
		return "", false
	}
	mac := hmac.New(h, []byte(consumerSecret+"&"))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil)), true
}

// hashEquals is PHP's hash_equals: constant time for equal lengths.
func hashEquals(known, user string) bool {
	return subtle.ConstantTimeCompare([]byte(known), []byte(user)) == 1
}
