package woocommercetest

import (
	"net/http"
	"regexp"
	"strconv"
	"strings"
)

// oauthWindow is the ±15 minute timestamp window, and how long a nonce is remembered, in seconds.
const oauthWindow = 15 * 60

// authenticate is WC_REST_Authentication::authenticate: Basic or query-string credentials when the
// request came over TLS, then OAuth 1.0a. It returns the key (nil when anonymous) or the error
// WooCommerce would answer with. get and post are the request's $_GET and $_POST.
func (s *Server) authenticate(r *http.Request, get, post *phpArray) (*apiKey, *wpError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tls := r.TLS != nil
	var authErr *wpError
	if tls {
		key, err := s.basicAuth(r, get)
		if key != nil {
			return key, nil
		}
		authErr = err
	}
	params, missing := oauthParams(get, post, r.Header.Get("Authorization"))
	if params == nil {
		return nil, authErr
	}
	if len(missing) > 0 {
		word := "parameter"
		if len(missing) > 1 {
			word = "parameters"
		}
		return nil, newError(401, "woocommerce_rest_authentication_missing_parameter",
			"Missing OAuth %s %s", word, strings.Join(missing, ", "))
	}
	ck, _ := params.str("oauth_consumer_key")
	key := s.keys[sanitizeTextField(ck)]
	if key == nil {
		return nil, errAuth("Consumer key is invalid.")
	}
	if err := s.checkOAuthSignature(r, key, params); err != nil {
		return nil, err
	}
	ts, _ := params.str("oauth_timestamp")
	nonce, _ := params.str("oauth_nonce")
	if err := s.checkTimestampAndNonce(key, ts, nonce); err != nil {
		return nil, err
	}
	return key, nil
}

// basicAuth is perform_basic_authentication. An unknown key is not an error there: the request
// simply stays anonymous (and later fails with woocommerce_rest_cannot_view).
func (s *Server) basicAuth(r *http.Request, get *phpArray) (*apiKey, *wpError) {
	var ck, cs string
	k, kok := get.get("consumer_key")
	sec, sok := get.get("consumer_secret")
	if !phpEmpty(k, kok) && !phpEmpty(sec, sok) {
		ck, cs = k.str, sec.str
	}
	if ck == "" {
		if u, p, ok := r.BasicAuth(); ok && !phpEmpty(&phpValue{str: u}, true) && !phpEmpty(&phpValue{str: p}, true) {
			ck, cs = u, p
		}
	}
	if phpEmpty(&phpValue{str: ck}, true) || phpEmpty(&phpValue{str: cs}, true) {
		return nil, nil
	}
	key := s.keys[sanitizeTextField(ck)]
	if key == nil {
		return nil, nil
	}
	if !hashEquals(key.ConsumerSecret, cs) {
		return nil, errAuth("Consumer secret is invalid.")
	}
	return key, nil
}

// checkOAuthSignature is check_oauth_signature.
func (s *Server) checkOAuthSignature(r *http.Request, key *apiKey, params *phpArray) *wpError {
	requestPath := r.RequestURI
	if i := strings.IndexByte(requestPath, '?'); i >= 0 {
		requestPath = requestPath[:i]
	}
	if u, err := r.URL.Parse(requestPath); err == nil && u.IsAbs() {
		requestPath = u.EscapedPath() // absolute-form request target
	}
	wpBase := s.homePath + "/"
	requestPath = strings.TrimPrefix(requestPath, wpBase)
	baseURI := s.homeFor(r.TLS != nil) + "/" + strings.TrimLeft(requestPath, "/")

	sig, _ := params.str("oauth_signature")
	sig = phpRawURLDecode(strings.ReplaceAll(sig, " ", "+"))
	p := params.clone()
	p.del("oauth_signature")
	base := signatureBaseString(r.Method, baseURI, p)
	method, _ := params.str("oauth_signature_method")
	want, ok := oauthSignature(rawURLEncode(method), base, key.ConsumerSecret)
	if !ok {
		return errAuth("Invalid signature - signature method is invalid.")
	}
	if !hashEquals(want, sig) {
		return errAuth("Invalid signature - provided signature does not match.")
	}
	return nil
}

// checkTimestampAndNonce is check_oauth_timestamp_and_nonce, including its storage quirk: used
// nonces are kept in a map keyed by timestamp, so a later request with the same timestamp replaces
// the remembered nonce.
func (s *Server) checkTimestampAndNonce(key *apiKey, timestamp, nonce string) *wpError {
	now := s.now().Unix()
	ts, err := strconv.ParseInt(strings.TrimSpace(timestamp), 10, 64)
	if err != nil || ts < now-oauthWindow || ts > now+oauthWindow {
		return errAuth("Invalid timestamp.")
	}
	for _, used := range key.nonces {
		if used == nonce {
			return errAuth("Invalid nonce - nonce has already been used.")
		}
	}
	key.nonces[ts] = nonce
	for t := range key.nonces {
		if t < now-oauthWindow {
			delete(key.nonces, t)
		}
	}
	return nil
}

// checkKeyPermissions is check_permissions, run before the route is even matched.
func checkKeyPermissions(key *apiKey, method string) *wpError {
	p := key.Permissions
	switch method {
	case http.MethodHead, http.MethodGet:
		if p != Read && p != ReadWrite {
			return errAuth("The API key provided does not have read permissions.")
		}
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		if p != Write && p != ReadWrite {
			return errAuth("The API key provided does not have write permissions.")
		}
	case http.MethodOptions:
	default:
		return errAuth("Unknown request method.")
	}
	return nil
}

// sanitizeTextField approximates WordPress's sanitize_text_field (a consumer key, a search): the
// text from the first '<' on is cut (strip_all_tags, simplified), runs of line breaks, tabs and
// spaces become one space, percent-encoded octets are removed and the ends trimmed.
func sanitizeTextField(s string) string {
	if i := strings.IndexByte(s, '<'); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(textWhitespace.ReplaceAllString(s, " "))
	for {
		t := strings.TrimSpace(percentOctet.ReplaceAllString(s, ""))
		if t == s {
			return t
		}
		s = t
	}
}

var (
	textWhitespace = regexp.MustCompile(`[\r\n\t ]+`)
	percentOctet   = regexp.MustCompile(`%[a-fA-F0-9]{2}`)
)
