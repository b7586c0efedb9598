package woocommercetest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func dump(a *phpArray) string {
	var b strings.Builder
	b.WriteByte('{')
	for i, k := range a.keys {
		if i > 0 {
			b.WriteByte(',')
		}
		v := a.vals[k]
		if v.arr != nil {
			fmt.Fprintf(&b, "%s:%s", k, dump(v.arr))
		} else {
			fmt.Fprintf(&b, "%s:%q", k, v.str)
		}
	}
	b.WriteByte('}')
	return b.String()
}

func TestParseStrLikePHP(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"a=1&b=2":                   `{a:"1",b:"2"}`,
		"a=1&a=2":                   `{a:"2"}`, // the last one wins
		"a[]=1&a[]=2":               `{a:{0:"1",1:"2"}}`,
		"a%5B%5D=1&a%5B%5D=2":       `{a:{0:"1",1:"2"}}`,
		"a[x][y]=1&a[x][]=2":        `{a:{x:{y:"1",0:"2"}}}`,
		"a+b=c+d&e.f=%20g":          `{a_b:"c d",e_f:" g"}`,
		"k&=v&x=":                   `{k:"",x:""}`,
		"a[=1":                      `{a_:"1"}`,
		"q=%ZZ%41":                  `{q:"%ZZA"}`,
		"a[5]=x&a[]=y":              `{a:{5:"x",6:"y"}}`,
		"oauth_signature=ab+c%2Bd=": `{oauth_signature:"ab c+d="}`,
	} {
		assert.Equal(t, want, dump(parseStr(in)), in)
	}
}

func TestEncoders(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "a%20b%2Bc~%2F%C3%A9", rawURLEncode("a b+c~/é"))
	assert.Equal(t, "a+b%2Bc%7E%2F", phpURLEncode("a b+c~/"))
	assert.Equal(t, "a b+c", phpRawURLDecode("a%20b+c"))
	assert.Equal(t, `{"u":"http:\/\/x\/\u00e9","e":"\ud83d\ude00<&>"}`, string(phpJSON(struct {
		U string `json:"u"`
		E string `json:"e"`
	}{"http://x/é", "😀<&>"})))
}

func TestSignatureBaseString(t *testing.T) {
	t.Parallel()
	params := parseStr("per_page=5&search=a%20b&oauth_consumer_key=ck_1&oauth_nonce=n&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1")
	assert.Equal(t, "GET&http%3A%2F%2Fexample.com%2Fwp-json%2Fwc%2Fv3%2Forders&"+
		"oauth_consumer_key%3Dck_1%26oauth_nonce%3Dn%26oauth_signature_method%3DHMAC-SHA256%26oauth_timestamp%3D1%26per_page%3D5%26search%3Da%2520b",
		signatureBaseString("get", "http://example.com/wp-json/wc/v3/orders", params))

	// Arrays are signed as key[index]=value, double encoded.
	arr := parseStr("include[]=1&include[]=2")
	assert.Equal(t, "GET&x&include%255B0%255D%3D1%26include%255B1%255D%3D2", signatureBaseString("GET", "x", arr))
}

// rfcBase is RFC 5849's base string, computed the textbook way, as an oracle.
func rfcBase(method, uri string, params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return rawURLEncode(keys[i]) < rawURLEncode(keys[j]) })
	pairs := make([]string, len(keys))
	for i, k := range keys {
		pairs[i] = rawURLEncode(k) + "=" + rawURLEncode(params[k])
	}
	return method + "&" + rawURLEncode(uri) + "&" + rawURLEncode(strings.Join(pairs, "&"))
}

func randomText(r *rand.Rand, alphabet []rune, n int) string {
	out := make([]rune, n)
	for i := range out {
		out[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(out)
}

func TestSignatureBaseStringMatchesRFC5849(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(1, 2))
	keyChars := []rune("abcdefghijklmnopqrstuvwxyz_0123456789")
	valChars := []rune("abcXYZ019 +&=%/?~-._*'\"éü€😀\t")
	for range 500 {
		params := map[string]string{}
		var q []string
		for range 1 + r.IntN(6) {
			k := "k" + randomText(r, keyChars, 1+r.IntN(8))
			v := randomText(r, valChars, r.IntN(12))
			if _, dup := params[k]; dup {
				continue
			}
			params[k] = v
			q = append(q, rawURLEncode(k)+"="+rawURLEncode(v))
		}
		got := signatureBaseString("POST", "http://h/p", parseStr(strings.Join(q, "&")))
		require.Equal(t, rfcBase("POST", "http://h/p", params), got, "%v", params)
	}
	// Where PHP differs from RFC 5849: a dot in a name becomes an underscore, so a client signing
	// "a.b" fails against WooCommerce.
	assert.NotEqual(t, rfcBase("GET", "u", map[string]string{"a.b": "1"}), signatureBaseString("GET", "u", parseStr("a.b=1")))
}

func TestParseOAuthHeader(t *testing.T) {
	t.Parallel()
	h := parseOAuthHeader(`OAuth realm="x", oauth_consumer_key="ck_1", oauth_signature="a%2Bb%3D", oauth_nonce=abc, oauth_version="0"`)
	assert.Equal(t, `{oauth_consumer_key:"ck_1",oauth_signature:"a+b=",oauth_nonce:"abc",oauth_version:""}`, dump(h))
	assert.Equal(t, 0, parseOAuthHeader(`Basic abc`).len())
}

func TestNonceQuirk(t *testing.T) {
	t.Parallel()
	now := time.Unix(1_700_000_000, 0)
	s := &Server{cfg: config{now: func() time.Time { return now }}}
	k := &apiKey{nonces: map[int64]string{}}
	ts := fmt.Sprint(now.Unix())
	require.Nil(t, s.checkTimestampAndNonce(k, ts, "A"))
	assert.NotNil(t, s.checkTimestampAndNonce(k, ts, "A"), "a nonce is single-use")
	// WooCommerce keeps one nonce per timestamp: "B" with the same timestamp replaces "A".
	require.Nil(t, s.checkTimestampAndNonce(k, ts, "B"))
	assert.Nil(t, s.checkTimestampAndNonce(k, ts, "A"), "A is forgotten, as in WooCommerce")
	// Nonces older than the window are dropped.
	later := now.Add(20 * time.Minute)
	s.cfg.now = func() time.Time { return later }
	require.Nil(t, s.checkTimestampAndNonce(k, fmt.Sprint(later.Unix()), "C"))
	assert.Len(t, k.nonces, 1)
	assert.NotNil(t, s.checkTimestampAndNonce(k, "not-a-number", "D"))
}

func TestValidateValue(t *testing.T) {
	t.Parallel()
	cases := []struct {
		f        field
		in, norm string
		code     string
	}{
		{str("s"), `"x"`, `"x"`, ""},
		{str("s"), `5`, "", "rest_invalid_type"},
		{str("s"), `null`, "", "rest_invalid_type"},
		{str("s").orNull(), `null`, `null`, ""},
		{integer("i"), `"12"`, `12`, ""},
		{integer("i"), `12.0`, `12`, ""},
		{integer("i"), `12.5`, "", "rest_invalid_type"},
		{integer("i"), `"x"`, "", "rest_invalid_type"},
		{boolean("b"), `"1"`, `true`, ""},
		{boolean("b"), `"no"`, "", "rest_invalid_type"},
		{enum("e", "a", "b"), `"c"`, "", "rest_not_in_enum"},
		{idList("l"), `"1,2 3"`, `[1,2,3]`, ""},
		{idList("l"), `"1,x"`, "", "rest_invalid_type"},
		{arrayOf("l", str("")), `"a,b"`, `["a","b"]`, ""},
		{idList("l"), `[1,"2"]`, `[1,2]`, ""},
		{object("o", str("x")), `[]`, `{}`, ""},
		{object("o", str("x")), `{"x":1}`, "", "rest_invalid_type"},
		{str("d").withFormat("date-time"), `"2024-01-02T03:04:05"`, `"2024-01-02T03:04:05"`, ""},
		{str("d").withFormat("date-time"), `"2024-01-02"`, "", "rest_invalid_date"},
		{str("m").withFormat("email"), `"a@b"`, "", "rest_invalid_email"},
		{str("m").withFormat("email"), `""`, `""`, ""},
		{str("s"), ``, "", "rest_invalid_type"},
	}
	for _, tc := range cases {
		norm, code, _ := validateValue(tc.f.name, tc.f, json.RawMessage(tc.in))
		assert.Equal(t, tc.code, code, "%s %s", tc.f.name, tc.in)
		if tc.code == "" {
			assert.Equal(t, tc.norm, string(norm), "%s %s", tc.f.name, tc.in)
		}
	}
	_, _, msg := validateValue("status", enum("", "a", "b", "c"), json.RawMessage(`"x"`))
	assert.Equal(t, "status is not one of a, b, and c.", msg)
}

func TestFormatDecimal(t *testing.T) {
	t.Parallel()
	dot := &Server{cfg: config{decimalSep: "."}}
	comma := &Server{cfg: config{decimalSep: ","}}
	assert.Equal(t, "12.50", dot.formatDecimal(" 12.50 "))
	assert.Equal(t, "1250", dot.formatDecimal("12,50"), "wc_format_decimal drops what it does not know")
	assert.Equal(t, "1234.56", dot.formatDecimal("1.234.56"))
	assert.Equal(t, "12.50", comma.formatDecimal("12,50"))
	assert.Equal(t, "-3", dot.formatDecimal("-3 €"))
}

func TestParseIDList(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []int64{1, 2, 3, 0}, parseIDList(json.RawMessage(`"1, 2,3 abc 2"`)))
	assert.Equal(t, []int64{4, 5}, parseIDList(json.RawMessage(`[4,"-5"]`)))
}

// oauthRequest builds a request to srv signed with the fake's own algorithm, for the fuzz target.
func signWithFake(query, uri, secret string) string {
	base := signatureBaseString("GET", uri, parseStr(query))
	mac := hmac.New(sha256.New, []byte(secret+"&"))
	mac.Write([]byte(base))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

func FuzzParseStr(f *testing.F) {
	for _, s := range []string{"a=1", "a[]=1&a[x][]=2", "%5B%5D=1", "a[b=c", "&&=&", "a.b+c=d%"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a := parseStr(s)
		for _, k := range a.keys {
			if k == "" || strings.ContainsAny(k, ". ") {
				t.Fatalf("top-level key %q survived parse_str", k)
			}
		}
		_ = buildQuery(a)
		_ = signatureBaseString("GET", "http://h/", a)
	})
}

func FuzzParseOAuthHeader(f *testing.F) {
	f.Add(`OAuth oauth_consumer_key="ck", oauth_signature="a%2Bb"`)
	f.Add(`OAuth oauth_x=,oauth_y="`)
	f.Fuzz(func(t *testing.T, h string) {
		p := parseOAuthHeader(h)
		for _, k := range p.keys {
			if !strings.HasPrefix(k, "oauth_") {
				t.Fatalf("non-oauth key %q", k)
			}
		}
	})
}

// FuzzSignatureCheck signs arbitrary query strings with the textbook RFC 5849 algorithm and
// checks that the fake's verification accepts exactly the right signature.
func FuzzSignatureCheck(f *testing.F) {
	f.Add("per_page", "5", "search", "a b+c", "cs_secret")
	f.Add("k", "é😀", "z", "&=%", "")
	f.Fuzz(func(t *testing.T, k1, v1, k2, v2, secret string) {
		params := map[string]string{}
		var q []string
		for _, kv := range [][2]string{{k1, v1}, {k2, v2}} {
			k := "p" + strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_' {
					return r
				}
				return -1
			}, kv[0])
			if _, dup := params[k]; dup {
				continue
			}
			params[k] = kv[1]
			q = append(q, rawURLEncode(k)+"="+rawURLEncode(kv[1]))
		}
		query := strings.Join(q, "&")
		want := rfcBase("GET", "http://h/wp-json/wc/v3/orders", params)
		mac := hmac.New(sha256.New, []byte(secret+"&"))
		mac.Write([]byte(want))
		sig := base64.StdEncoding.EncodeToString(mac.Sum(nil))
		got := signWithFake(query, "http://h/wp-json/wc/v3/orders", secret)
		if !hashEquals(got, sig) {
			t.Fatalf("fake rejects a correct signature for %q", query)
		}
		bad := []byte(sig)
		bad[0] ^= 1
		if hashEquals(got, string(bad)) {
			t.Fatal("fake accepts a tampered signature")
		}
	})
}

func BenchmarkOAuthVerification(b *testing.B) {
	s := NewServer()
	defer s.Close()
	key := s.AddKey(ReadWrite)
	k := s.keys[key.ConsumerKey]
	query := "per_page=100&page=3&status=processing%2Ccompleted&oauth_consumer_key=" + key.ConsumerKey +
		"&oauth_nonce=abc&oauth_signature_method=HMAC-SHA256&oauth_timestamp=1700000000&oauth_version=1.0"
	uri := s.homeFor(false) + "/wp-json/wc/v3/orders"
	sig := signWithFake(query, uri, key.ConsumerSecret)
	req := httptest.NewRequest("GET", "/wp-json/wc/v3/orders?"+query+"&oauth_signature="+rawURLEncode(sig), nil)
	b.ReportAllocs()
	for b.Loop() {
		get := parseStr(req.URL.RawQuery)
		params, _ := oauthParams(get, newPHPArray(), "")
		if err := s.checkOAuthSignature(req, k, params); err != nil {
			b.Fatal(err)
		}
	}
}
