package rest

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type listOptions struct {
	Page     int       `url:"page,omitempty"`
	PerPage  int       `url:"per_page,omitempty"`
	Search   string    `url:"search,omitempty"`
	Include  []int     `url:"include,omitempty,comma"`
	Status   []string  `url:"status,omitempty"`
	After    time.Time `url:"after,omitempty"`
	OnlyMine *bool     `url:"only_mine,omitempty"`
}

func TestEncodeQuery(t *testing.T) {
	t.Parallel()
	yes := true
	opts := listOptions{
		Page:     2,
		PerPage:  100,
		Search:   "blue shirt & co+",
		Include:  []int{3, 1, 2},
		Status:   []string{"processing", "on-hold"},
		After:    time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		OnlyMine: &yes,
	}
	values, err := EncodeQuery(&opts)
	require.NoError(t, err)
	assert.Equal(t, url.Values{
		"page":      {"2"},
		"per_page":  {"100"},
		"search":    {"blue shirt & co+"},
		"include":   {"3,1,2"},
		"status":    {"processing", "on-hold"},
		"after":     {"2026-01-02T03:04:05Z"},
		"only_mine": {"true"},
	}, values)
	assert.Equal(t,
		"after=2026-01-02T03%3A04%3A05Z&include=3%2C1%2C2&only_mine=true&page=2&per_page=100&search=blue%20shirt%20%26%20co%2B&status=processing&status=on-hold",
		EncodeValues(values))

	byValue, err := EncodeQuery(opts)
	require.NoError(t, err)
	assert.Equal(t, values, byValue, "a struct value works like a pointer")

	empty, err := EncodeQuery(listOptions{})
	require.NoError(t, err)
	assert.Empty(t, empty, "omitempty fields are left out")

	var nilOpts *listOptions
	got, err := EncodeQuery(nilOpts)
	require.NoError(t, err)
	assert.Nil(t, got, "a nil options pointer means no query")
	got, err = EncodeQuery(nil)
	require.NoError(t, err)
	assert.Nil(t, got)

	raw := url.Values{"a": {"1"}}
	got, err = EncodeQuery(raw)
	require.NoError(t, err)
	assert.Equal(t, raw, got)

	_, err = EncodeQuery(map[string]string{"a": "b"})
	assert.ErrorContains(t, err, "rest: encode query")
}

func TestEncodeValues(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "", EncodeValues(nil))
	assert.Equal(t, "", EncodeValues(url.Values{}))
	assert.Equal(t, "a=1&a=2&b=&z=%20", EncodeValues(url.Values{"z": {" "}, "b": {""}, "a": {"1", "2"}}), "sorted by key, values in order")
	assert.Equal(t, "x%20y=%C3%A9%2F%3F%23%5B%5D", EncodeValues(url.Values{"x y": {"é/?#[]"}}))
	assert.Equal(t, "k=", EncodeValues(url.Values{"k": {""}, "empty": {}}), "a key without values is left out")
}

func TestEscape(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"":                       "",
		"AZaz09-._~":             "AZaz09-._~",
		"a b":                    "a%20b",
		"a+b":                    "a%2Bb",
		"ann@example.com":        "ann%40example.com",
		"50% off/now?":           "50%25%20off%2Fnow%3F",
		"Växjö":                  "V%C3%A4xj%C3%B6",
		"\x00\xff":               "%00%FF",
		"!*'();:@&=+$,/?#[]\"<>": "%21%2A%27%28%29%3B%3A%40%26%3D%2B%24%2C%2F%3F%23%5B%5D%22%3C%3E",
	} {
		assert.Equal(t, want, Escape(in), "%q", in)
		back, err := url.PathUnescape(Escape(in))
		require.NoError(t, err)
		assert.Equal(t, in, back)
	}
}

func TestJoinPath(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "points/a%2Fb%40x.com/7", JoinPath("points", "a/b@x.com", "7"))
	assert.Equal(t, "products/SKU%20%231", JoinPath("products", "SKU #1"))
	assert.Equal(t, "products/%2E%2E/%2E", JoinPath("products", "..", "."), "dot segments cannot climb")
	assert.Equal(t, "products/...", JoinPath("products", "..."), "only exact dot segments are special")
	assert.Equal(t, "orders", JoinPath("orders"))
	assert.Equal(t, "", JoinPath())
}

func TestJoinPathStaysUnderBaseURL(t *testing.T) {
	t.Parallel()
	c, err := New(Config{BaseURL: "https://shop.example/wp-json/wc/v3"})
	require.NoError(t, err)
	for _, hostile := range []string{"..", "../..", "../../wp-admin", "x/../../y", "?page=9", "#frag", "%2e%2e"} {
		u, err := c.resolve(JoinPath("customers", hostile, "points"), nil)
		require.NoError(t, err, hostile)
		assert.Equal(t, "/wp-json/wc/v3/customers/", u.EscapedPath()[:len("/wp-json/wc/v3/customers/")], hostile)
		assert.Empty(t, u.RawQuery, hostile)
		assert.Empty(t, u.Fragment, hostile)
		assert.True(t, len(u.EscapedPath()) > len("/wp-json/wc/v3/customers/points"), hostile)
	}
	u, err := c.resolve(JoinPath("customers", ".."), nil)
	require.NoError(t, err)
	assert.Equal(t, "https://shop.example/wp-json/wc/v3/customers/%2E%2E", u.String())
}
