package rest

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var (
	errTestTransport = errors.New("test: transport error")
	errTestDecode    = errors.New("test: decode error")
)

func TestNewRequestAndDoHTTP(t *testing.T) {
	t.Parallel()
	var got *http.Request
	var body string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Clone(r.Context())
		b, _ := io.ReadAll(r.Body)
		body = string(b)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"total":"12.50"}`))
	})
	c := newTestClient(t, srv, func(cfg *Config) {
		cfg.Authenticate = func(r *http.Request) error { r.Header.Set("Authorization", "Bearer s3cret"); return nil }
	})

	req, err := c.NewRequest(http.MethodPost, "reports/sales?period=week", map[string]string{"name": "a&b"})
	require.NoError(t, err)
	assert.Empty(t, req.Header.Get("Authorization"), "credentials are added when sending, not before")
	req.Header.Set("X-Extra", "1")
	var out struct{ Total string }
	resp, err := c.DoHTTP(t.Context(), req, &out)
	require.NoError(t, err)
	assert.Equal(t, "12.50", out.Total)
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, `{"total":"12.50"}`, string(resp.Body))

	assert.Equal(t, "/api/v1/reports/sales", got.URL.Path)
	assert.Equal(t, "week", got.URL.Query().Get("period"))
	assert.Equal(t, `{"name":"a&b"}`, body)
	assert.Equal(t, "Bearer s3cret", got.Header.Get("Authorization"))
	assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
	assert.Equal(t, "1", got.Header.Get("X-Extra"))
	assert.True(t, strings.HasPrefix(got.Header.Get("User-Agent"), "loyalsync/"))

	var buf bytes.Buffer
	req, err = c.NewRequest(http.MethodGet, "raw", nil)
	require.NoError(t, err)
	_, err = c.DoHTTP(t.Context(), req, &buf)
	require.NoError(t, err)
	assert.Equal(t, `{"total":"12.50"}`, buf.String(), "an io.Writer receives the raw body")

	_, err = c.NewRequest(http.MethodGet, "/absolute", nil)
	assert.Error(t, err, "paths stay below the base URL")
	_, err = c.DoHTTP(t.Context(), nil, nil)
	assert.Error(t, err)
}

func TestDoHTTPRetriesByMethod(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		method string
		status int
		want   int
	}{
		{http.MethodGet, http.StatusServiceUnavailable, 2},
		{http.MethodPost, http.StatusServiceUnavailable, 1},
		{http.MethodPost, http.StatusTooManyRequests, 2},
	} {
		var hits countingHits
		srv := newServer(t, statusSequence(&hits, tt.status))
		c := newTestClient(t, srv, nil)
		req, err := c.NewRequest(tt.method, "x", []byte(`{"a":1}`))
		require.NoError(t, err)
		_, _ = c.DoHTTP(t.Context(), req, nil)
		assert.Equal(t, tt.want, hits.count(), "%s answered %d", tt.method, tt.status)
		if tt.want == 2 {
			assert.Equal(t, []string{`{"a":1}`, `{"a":1}`}, hits.bodies, "the body is sent again on a retry")
		}
	}
}

func TestErrorsMatchClientSentinels(t *testing.T) {
	t.Parallel()
	var hits countingHits
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.add(r) == 1 {
			conn, _, _ := http.NewResponseController(w).Hijack()
			_ = conn.Close()
			return
		}
		_, _ = w.Write([]byte(`not json`))
	})
	c := newTestClient(t, srv, func(cfg *Config) {
		cfg.RetryMax = -1
		cfg.ErrTransport, cfg.ErrDecode = errTestTransport, errTestDecode
	})
	_, err := c.Do(t.Context(), &Request{Method: http.MethodPost, Path: "x"}, nil)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.ErrorIs(t, err, errTestTransport)
	assert.NotErrorIs(t, err, errTestDecode)
	assert.True(t, te.MayHaveReachedServer(), "the connection was closed after the request was sent")

	var out struct{}
	resp, err := c.Do(t.Context(), &Request{Path: "x"}, &out)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.ErrorIs(t, err, errTestDecode)
	assert.NotErrorIs(t, err, errTestTransport)

	de = c.NewDecodeError(resp, errors.New("no id"))
	assert.ErrorIs(t, de, errTestDecode)
	assert.Equal(t, http.MethodGet, de.Method)
	assert.Equal(t, "/api/v1/x", de.Path)
	assert.Equal(t, http.StatusOK, de.Status)
	assert.Equal(t, "not json", string(de.Body))

	other := newTestClient(t, srv, nil)
	_, err = other.Do(t.Context(), &Request{Path: "x"}, &out)
	require.ErrorAs(t, err, &de)
	assert.NotErrorIs(t, err, errTestDecode, "a client without sentinels matches none")
}

func TestMayHaveReachedServer(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close()) // nothing listens there now: connecting fails

	c, err := New(Config{BaseURL: "http://" + addr + "/", RetryMax: -1})
	require.NoError(t, err)
	_, err = c.Do(t.Context(), &Request{Method: http.MethodPost, Path: "x"}, nil)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.False(t, te.MayHaveReachedServer(), "a refused connection sent nothing")

	c, err = New(Config{BaseURL: "http://127.0.0.1:1/", RetryMax: -1,
		Authenticate: func(*http.Request) error { return errors.New("no token") }})
	require.NoError(t, err)
	_, err = c.Do(t.Context(), &Request{Path: "x"}, nil)
	require.ErrorAs(t, err, &te)
	assert.False(t, te.MayHaveReachedServer(), "a failed authentication hook sent nothing")

	// A 429 then a lost response: the second attempt may have been processed.
	var hits countingHits
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if hits.add(r) == 1 {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		conn, _, _ := http.NewResponseController(w).Hijack()
		_ = conn.Close()
	})
	c = newTestClient(t, srv, nil)
	_, err = c.Do(t.Context(), &Request{Method: http.MethodPost, Path: "x"}, nil)
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 2, te.Attempts)
	assert.True(t, te.MayHaveReachedServer())
}

func TestRateLimitedAttemptsWereNotProcessed(t *testing.T) {
	t.Parallel()
	calls := 0
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		calls++
		if calls == 1 {
			return &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{}, Body: http.NoBody, Request: r}, nil
		}
		return nil, &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")}
	})
	c, err := New(Config{BaseURL: "http://127.0.0.1:1/", RetryMax: 1, RetryWaitMin: 1, RetryWaitMax: 1,
		HTTPClient: &http.Client{Transport: rt}})
	require.NoError(t, err)
	_, err = c.Do(t.Context(), &Request{Method: http.MethodPost, Path: "x"}, nil)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 2, te.Attempts)
	assert.False(t, te.MayHaveReachedServer(), "a 429 is rejected before processing; the retry never connected")
}

func TestRequestOp(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "request", RequestOp(nil))
	req, err := http.NewRequest("", "https://shop.example.com/wp-json/wc/v3/reports?consumer_secret=cs_x&period=week", nil)
	require.NoError(t, err)
	assert.Equal(t, "GET /wp-json/wc/v3/reports?consumer_secret=REDACTED&period=week", RequestOp(req))
}
