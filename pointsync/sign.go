package pointsync

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Request headers of the protocol.
const (
	// HeaderFrom carries the sender's sharing key.
	HeaderFrom = "X-Pointsync-From"
	// HeaderTo carries the sharing key the sender believes the receiver has.
	HeaderTo = "X-Pointsync-To"
	// HeaderSignature carries "t=<unix seconds>,v1=<hex HMAC-SHA256>".
	HeaderSignature = "X-Pointsync-Signature"
)

// Operations, the last path segment of each endpoint below a site's URL; the signature covers
// the operation rather than the path, so a proxy or http.StripPrefix in front of the handler does
// not break it.
const (
	OpBatches = "batches"
	OpPing    = "ping"
)

// DefaultWindow is how far a request's timestamp may be from the receiver's clock, either way.
const DefaultWindow = 5 * time.Minute

// Signed is what a request's signature covers, apart from the key.
type Signed struct {
	// Time is the request's timestamp (whole seconds are signed).
	Time time.Time
	// Op is OpBatches or OpPing.
	Op string
	// From and To are the sender's and the receiver's sharing keys.
	From, To string
	// Body is the request body as sent.
	Body []byte
}

// mac computes HMAC-SHA256 keyed with pass over
// "pointsync/1\n<unix>\n<op>\n<from>\n<to>\n<body>".
func (s Signed) mac(pass string, unix int64) []byte {
	h := hmac.New(sha256.New, []byte(pass))
	fmt.Fprintf(h, "pointsync/%d\n%d\n%s\n%s\n%s\n", Version, unix, s.Op, s.From, s.To)
	h.Write(s.Body)
	return h.Sum(nil)
}

// Sign returns the HeaderSignature value for s, keyed with the receiver's pass.
func Sign(pass string, s Signed) string {
	unix := s.Time.Unix()
	return "t=" + strconv.FormatInt(unix, 10) + ",v1=" + hex.EncodeToString(s.mac(pass, unix))
}

// VerifySignature checks a HeaderSignature value against s (whose Time is ignored: the header's
// timestamp is used) with pass, and that the timestamp is within window of now. It returns an
// error matching ErrBadSignature or ErrStaleTimestamp. Comparisons are constant-time.
func VerifySignature(header, pass string, s Signed, now time.Time, window time.Duration) error {
	unix, sigs, err := ParseSignature(header)
	if err != nil {
		return err
	}
	skew := now.Unix() - unix
	if skew < 0 {
		skew = -skew
	}
	if window <= 0 {
		window = DefaultWindow
	}
	if skew > int64(window/time.Second) {
		return fmt.Errorf("%w: request time %s is %ds away from this site's clock (window %s)",
			ErrStaleTimestamp, time.Unix(unix, 0).UTC().Format(time.RFC3339), skew, window)
	}
	want := s.mac(pass, unix)
	ok := 0
	for _, sig := range sigs { // several v1 values allow a pass to be rotated
		ok |= subtle.ConstantTimeCompare(sig, want)
	}
	if ok != 1 {
		return fmt.Errorf("%w: the signature does not match the request", ErrBadSignature)
	}
	return nil
}

// ParseSignature splits a HeaderSignature value into its timestamp and v1 signatures. Unknown
// schemes are skipped; a missing timestamp or no v1 signature is ErrBadSignature.
func ParseSignature(header string) (unix int64, sigs [][]byte, err error) {
	if len(header) > 1024 {
		return 0, nil, fmt.Errorf("%w: signature header too long", ErrBadSignature)
	}
	haveT := false
	for part := range strings.SplitSeq(header, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			return 0, nil, fmt.Errorf("%w: malformed signature header", ErrBadSignature)
		}
		switch k {
		case "t":
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 || haveT {
				return 0, nil, fmt.Errorf("%w: malformed signature timestamp", ErrBadSignature)
			}
			unix, haveT = n, true
		case "v1":
			sig, err := hex.DecodeString(v)
			if err != nil || len(sig) != sha256.Size {
				return 0, nil, fmt.Errorf("%w: malformed v1 signature", ErrBadSignature)
			}
			if len(sigs) < 4 {
				sigs = append(sigs, sig)
			}
		}
	}
	if !haveT || len(sigs) == 0 {
		return 0, nil, fmt.Errorf("%w: signature header needs t= and v1=", ErrBadSignature)
	}
	return unix, sigs, nil
}

// SignRequest sets the protocol headers of req: the sharing keys, Basic authentication with the
// receiver's auth and pass, and the signature of body at time now.
func SignRequest(req *http.Request, from string, to Remote, op string, body []byte, now time.Time) {
	req.Header.Set(HeaderFrom, from)
	req.Header.Set(HeaderTo, to.SharingKey)
	req.SetBasicAuth(to.Auth, to.Pass)
	req.Header.Set(HeaderSignature, Sign(to.Pass, Signed{Time: now, Op: op, From: from, To: to.SharingKey, Body: body}))
}

// checkBasic compares the request's Basic credentials with the local ones in constant time
// (both comparisons always run).
func checkBasic(r *http.Request, local LocalSite) bool {
	user, pass, ok := basicAuth(r)
	if !ok {
		return false
	}
	u := subtle.ConstantTimeCompare(hashOf(user), hashOf(local.Auth))
	p := subtle.ConstantTimeCompare(hashOf(pass), hashOf(local.Pass))
	return u&p == 1
}

// hashOf makes inputs of different lengths comparable in constant time.
func hashOf(s string) []byte {
	h := sha256.Sum256([]byte(s))
	return h[:]
}

// basicAuth is r.BasicAuth with a size cap.
func basicAuth(r *http.Request) (user, pass string, ok bool) {
	h := r.Header.Get("Authorization")
	if len(h) > 1024 || len(h) < 6 || !strings.EqualFold(h[:6], "basic ") {
		return "", "", false
	}
	raw, err := base64.StdEncoding.DecodeString(h[6:])
	if err != nil {
		return "", "", false
	}
	user, pass, ok = strings.Cut(string(raw), ":")
	return user, pass, ok
}
