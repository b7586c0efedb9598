package wp

import (
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestScalars(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int64{`5`: 5, `"5"`: 5, `" 7 "`: 7, `"-3"`: -3, `4.0`: 4, `"1e3"`: 1000, `null`: 0, `""`: 0} {
		var n Int
		require.NoError(t, json.Unmarshal([]byte(in), &n), in)
		assert.Equal(t, Int(want), n, in)
	}
	for in, want := range map[string]string{`"a"`: "a", `12`: "12", `"a\"b"`: `a"b`, `"\u00e9t\u00e9"`: "été", `null`: "", `" x "`: "x"} {
		var s String
		require.NoError(t, json.Unmarshal([]byte(in), &s), in)
		assert.Equal(t, String(want), s, in)
	}
	for in, want := range map[string]bool{`true`: true, `"yes"`: true, `"ON"`: true, `1`: true, `"1"`: true, `false`: false, `"no"`: false, `0`: false, `""`: false, `null`: false} {
		var b Bool
		require.NoError(t, json.Unmarshal([]byte(in), &b), in)
		assert.Equal(t, Bool(want), b, in)
	}
	var f Float
	require.NoError(t, json.Unmarshal([]byte(`"12.5"`), &f))
	assert.InDelta(t, 12.5, float64(f), 1e-12)
	for _, bad := range []string{`[1]`, `{"a":1}`, `"x"`, `1.5`, `true`} {
		var n Int
		assert.Error(t, json.Unmarshal([]byte(bad), &n), bad)
	}
}

func TestParseError(t *testing.T) {
	t.Parallel()
	e, ok := ParseError(400, []byte(`{"code":"invalid_user","message":"Invalid user.","data":{"status":400}}`))
	require.True(t, ok)
	assert.Equal(t, "invalid_user", e.Code)
	assert.Equal(t, "Invalid user.", e.Message)
	assert.JSONEq(t, `{"status":400}`, string(e.Data))
	e, ok = ParseError(503, []byte(`<h1>Maintenance</h1>`))
	assert.False(t, ok)
	assert.Equal(t, "Service Unavailable", e.Message)
	_, ok = ParseError(500, []byte(`{"foo":1}`))
	assert.False(t, ok, "a JSON object without code or message is not a WordPress error")
}

func TestSiteBase(t *testing.T) {
	t.Parallel()
	base, err := SiteBase(" https://example.com/shop/ ", "wp-json/a/v1/")
	require.NoError(t, err)
	assert.Equal(t, "https://example.com/shop/wp-json/a/v1/", base)
	_, err = SiteBase("http://example.com", "")
	assert.ErrorContains(t, err, "plain HTTP")
	_, err = SiteBase("ftp://example.com", "")
	assert.Error(t, err)
	_, err = SiteBase("https://example.com#frag", "")
	assert.Error(t, err)
}

func TestSegmentsKeepEscapedSlashes(t *testing.T) {
	t.Parallel()
	r := httptest.NewRequest("GET", "/wp-json/x/v1/points/a%2Fb%40c.com/p%20q/", nil)
	segs, ok := Segments(r, "/wp-json/x/v1/")
	require.True(t, ok)
	assert.Equal(t, []string{"points", "a/b@c.com", "p q"}, segs)
	_, ok = Segments(r, "/other/")
	assert.False(t, ok)
}
