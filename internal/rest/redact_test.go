package rest

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// syncBuffer is a bytes.Buffer safe for the concurrent writes of a slog handler.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// wooAuth adds WooCommerce-style query-string credentials, as a client's Authenticate does.
func wooAuth(r *http.Request) error {
	q := r.URL.Query()
	q.Set("consumer_key", "ck_live_key")
	q.Set("consumer_secret", "cs_live_secret")
	r.URL.RawQuery = q.Encode()
	return nil
}

func TestLogsRedactCredentials(t *testing.T) {
	t.Parallel()
	var hits countingHits
	srv := newServer(t, statusSequence(&hits, 503))
	var logs syncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newTestClient(t, srv, func(cfg *Config) {
		cfg.API = "woocommerce"
		cfg.Logger = logger
		cfg.Authenticate = wooAuth
	})
	_, err := c.Do(t.Context(), &Request{Path: "orders", Query: url.Values{"password": {"pw_hunter2"}, "page": {"2"}}}, nil)
	require.NoError(t, err)

	out := logs.String()
	for _, secret := range []string{"cs_live_secret", "ck_live_key", "pw_hunter2"} {
		assert.NotContains(t, out, secret)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	require.Len(t, lines, 2, "one record per attempt")
	for i, line := range lines {
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec))
		assert.Equal(t, "DEBUG", rec["level"])
		assert.Equal(t, "http request", rec["msg"])
		assert.Equal(t, "woocommerce", rec["api"])
		assert.Equal(t, "GET", rec["method"])
		assert.Equal(t, "/api/v1/orders?consumer_key=REDACTED&consumer_secret=REDACTED&page=2&password=REDACTED", rec["path"])
		assert.EqualValues(t, i+1, rec["attempt"])
		assert.EqualValues(t, []int{503, 200}[i], rec["status"])
		assert.Contains(t, rec, "duration")
	}
}

func TestFailedAttemptLogsAndErrorsRedactCredentials(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(http.ResponseWriter, *http.Request) {})
	addr := srv.URL
	srv.Close() // nothing listens there any more: connection refused

	var logs syncBuffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	u, err := url.Parse(addr)
	require.NoError(t, err)
	u.User = url.UserPassword("admin", "pw_in_userinfo")
	c, err := New(Config{BaseURL: u.String() + "/wp-json", Logger: logger, Authenticate: wooAuth, RetryMax: -1})
	require.NoError(t, err)

	_, err = c.Do(t.Context(), &Request{Path: "orders", Query: url.Values{"token": {"tok_abc"}}}, nil)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	msg := err.Error()
	for _, secret := range []string{"cs_live_secret", "ck_live_key", "tok_abc", "pw_in_userinfo"} {
		assert.NotContains(t, msg, secret)
		assert.NotContains(t, logs.String(), secret)
	}
	assert.Equal(t, "/wp-json/orders?token=REDACTED", te.Path)
	assert.Contains(t, logs.String(), "http request failed")
	assert.Contains(t, logs.String(), "error=")
}

func TestRedactedPath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"https://u:p@h/a%20b": "/a%20b",
		"https://h/x?oauth_signature=abc&OAuth_Consumer_Key=k&q=1":                                 "/x?OAuth_Consumer_Key=REDACTED&oauth_signature=REDACTED&q=1",
		"https://h/x?api_key=1&apikey=2&key=3&signature=4&secret=5&client_secret=6&access_token=7": "/x?access_token=REDACTED&api_key=REDACTED&apikey=REDACTED&client_secret=REDACTED&key=REDACTED&secret=REDACTED&signature=REDACTED",
		"https://h/x?consumer_secret=%zz":                                                          "/x?[unparsable query]",
	} {
		u, err := url.Parse(in)
		require.NoError(t, err)
		assert.Equal(t, want, redactedPath(u), in)
	}
}
