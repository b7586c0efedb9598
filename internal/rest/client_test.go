package rest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewRejectsBadBaseURL(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"", "::", "/wp-json/wc/v3", "ftp://example.com", "http://", "example.com"} {
		_, err := New(Config{BaseURL: base})
		assert.Error(t, err, "base %q", base)
	}
}

func TestBaseURLKeepsPathAsPrefix(t *testing.T) {
	t.Parallel()
	c, err := New(Config{BaseURL: "https://shop.example/wp-json/wc/v3?x=1#frag"})
	require.NoError(t, err)
	u := c.BaseURL()
	assert.Equal(t, "https://shop.example/wp-json/wc/v3/", u.String())
	u.Path = "/changed/" // a copy: the client keeps its own
	assert.Equal(t, "https://shop.example/wp-json/wc/v3/", c.BaseURL().String())
}

func TestDoDecodesJSONAndResolvesPath(t *testing.T) {
	t.Parallel()
	var gotPath, gotQuery, gotAccept string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		gotPath, gotQuery, gotAccept = r.URL.Path, r.URL.RawQuery, r.Header.Get("Accept")
		_, _ = w.Write([]byte(`{"id":7,"name":"Blue shirt"}`))
	})
	c := newTestClient(t, srv, nil)
	var out struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
	}
	resp, err := c.Do(t.Context(), &Request{Path: JoinPath("products", "7"), Query: url.Values{"context": {"view"}}}, &out)
	require.NoError(t, err)
	assert.Equal(t, 7, out.ID)
	assert.Equal(t, "Blue shirt", out.Name)
	assert.Equal(t, "/api/v1/products/7", gotPath)
	assert.Equal(t, "context=view", gotQuery)
	assert.Equal(t, "application/json", gotAccept)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, 1, resp.Attempts)
	assert.JSONEq(t, `{"id":7,"name":"Blue shirt"}`, string(resp.Body))
}

func TestDoRejectsBadArguments(t *testing.T) {
	t.Parallel()
	var hits countingHits
	srv := newServer(t, statusSequence(&hits))
	c := newTestClient(t, srv, nil)

	//lint:ignore SA1012 checking that a nil context is refused
	_, err := c.Do(nil, &Request{Path: "x"}, nil) //nolint:staticcheck
	assert.ErrorContains(t, err, "nil context")
	_, err = c.Do(t.Context(), nil, nil)
	assert.ErrorContains(t, err, "nil request")
	for _, p := range []string{"/absolute", "http://evil.example/x", "products/../../admin", "..", "a/../b?x=1", "%zz"} {
		_, err = c.Do(t.Context(), &Request{Path: p}, nil)
		assert.Error(t, err, "path %q", p)
	}
	_, err = c.Do(t.Context(), &Request{Path: "x", Query: 42}, nil)
	assert.ErrorContains(t, err, "encode query")
	_, err = c.Do(t.Context(), &Request{Method: "POST", Path: "x", Body: make(chan int)}, nil)
	assert.ErrorContains(t, err, "encode request body")
	_, err = c.Do(t.Context(), &Request{Method: "BAD METHOD", Path: "x"}, nil)
	assert.ErrorContains(t, err, "build request")
	assert.Zero(t, hits.count(), "no bad request may reach the server")
}

func TestDoMergesQueryInPathWithOptions(t *testing.T) {
	t.Parallel()
	var gotQuery string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { gotQuery = r.URL.RawQuery })
	c := newTestClient(t, srv, nil)
	opts := struct {
		Search string `url:"search,omitempty"`
		Status string `url:"status,omitempty"`
	}{Search: "blue shirt", Status: "a+b"}
	_, err := c.Do(t.Context(), &Request{Path: "orders?status=processing", Query: &opts}, nil)
	require.NoError(t, err)
	assert.Equal(t, "search=blue%20shirt&status=processing&status=a%2Bb", gotQuery)
}

func TestDoEncodesJSONBody(t *testing.T) {
	t.Parallel()
	var gotBody, gotType, gotMethod string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody, gotType, gotMethod = string(b), r.Header.Get("Content-Type"), r.Method
		w.WriteHeader(http.StatusCreated)
		_, _ = w.Write([]byte(`{"id":1}`))
	})
	c := newTestClient(t, srv, nil)
	body := map[string]string{"code": "<LOYAL-10>", "amount": "10.00"}
	var out struct{ ID int }
	resp, err := c.Do(t.Context(), &Request{Method: http.MethodPost, Path: "coupons", Body: body}, &out)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, 1, out.ID)
	assert.Equal(t, "POST", gotMethod)
	assert.Equal(t, "application/json", gotType)
	assert.Equal(t, `{"amount":"10.00","code":"<LOYAL-10>"}`, gotBody, "no HTML escaping, no trailing newline")
}

func TestDoSendsRawBodyAndHeaders(t *testing.T) {
	t.Parallel()
	var gotBody, gotType, gotAccept, gotKey string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		gotBody, gotType = string(b), r.Header.Get("Content-Type")
		gotAccept, gotKey = r.Header.Get("Accept"), r.Header.Get("Idempotency-Key")
		w.WriteHeader(http.StatusNoContent)
	})
	c := newTestClient(t, srv, nil)
	var out map[string]any
	resp, err := c.Do(t.Context(), &Request{
		Method:      http.MethodPut,
		Path:        "form",
		Body:        []byte("a=1&b=2"),
		ContentType: "application/x-www-form-urlencoded",
		Header:      http.Header{"Accept": {"text/plain"}, "Idempotency-Key": {"k-1"}},
	}, &out)
	require.NoError(t, err, "an empty 204 body is not decoded")
	assert.Nil(t, out)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
	assert.Equal(t, "a=1&b=2", gotBody)
	assert.Equal(t, "application/x-www-form-urlencoded", gotType)
	assert.Equal(t, "text/plain", gotAccept)
	assert.Equal(t, "k-1", gotKey)
}

func TestDoStripsBOM(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/api/v1/fail" {
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte("\xef\xbb\xbf{\"code\":\"bad\"}"))
			return
		}
		_, _ = w.Write([]byte("\xef\xbb\xbf{\"a\":\"b\"}"))
	})
	c := newTestClient(t, srv, nil)
	var out map[string]string
	resp, err := c.Do(t.Context(), &Request{Path: "ok"}, &out)
	require.NoError(t, err)
	assert.Equal(t, map[string]string{"a": "b"}, out)
	assert.Equal(t, `{"a":"b"}`, string(resp.Body))

	_, err = c.Do(t.Context(), &Request{Path: "fail"}, nil)
	var he *HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, `{"code":"bad"}`, string(he.Body), "error bodies are stripped too")

	assert.Equal(t, []byte("x"), StripBOM([]byte("\xef\xbb\xbfx")))
	assert.Equal(t, []byte("\xef\xbbx"), StripBOM([]byte("\xef\xbbx")), "only a whole BOM is removed")
	assert.Empty(t, StripBOM(nil))
}

func TestDoCapsResponseSize(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := 16
		if r.URL.Path == "/api/v1/big" {
			n = 17
		}
		_, _ = w.Write([]byte(`"` + strings.Repeat("x", n-2) + `"`))
	})
	c := newTestClient(t, srv, func(cfg *Config) { cfg.MaxResponseBytes = 16 })

	var s string
	_, err := c.Do(t.Context(), &Request{Path: "exact"}, &s)
	require.NoError(t, err, "a body of exactly the limit is accepted")
	assert.Len(t, s, 14)

	resp, err := c.Do(t.Context(), &Request{Path: "big"}, &s)
	require.ErrorIs(t, err, ErrResponseTooLarge)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "/api/v1/big", te.Path)
	assert.Nil(t, resp)
}

func TestDoDecodeErrorKeepsBody(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(`{"id": "not a number"}`))
	})
	c := newTestClient(t, srv, nil)
	var out struct {
		ID int `json:"id"`
	}
	resp, err := c.Do(t.Context(), &Request{Path: "p", Query: url.Values{"consumer_secret": {"cs_1"}}}, &out)
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, http.StatusOK, de.Status)
	assert.Equal(t, `{"id": "not a number"}`, string(de.Body))
	assert.Equal(t, "GET", de.Method)
	assert.NotContains(t, de.Error(), "cs_1")
	var ute *json.UnmarshalTypeError
	assert.ErrorAs(t, err, &ute, "the json error is wrapped")
	require.NotNil(t, resp, "the response is returned with a decode error")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestDoUsesCustomUnmarshal(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(`{"a":1}`)) })
	var calls atomic.Int32
	c := newTestClient(t, srv, func(cfg *Config) {
		cfg.Unmarshal = func(data []byte, v any) error {
			calls.Add(1)
			return json.Unmarshal(data, v)
		}
	})
	var out map[string]int
	_, err := c.Do(t.Context(), &Request{Path: "p"}, &out)
	require.NoError(t, err)
	assert.Equal(t, 1, out["a"])
	assert.Equal(t, int32(1), calls.Load())
}

// apiError stands for a client's own typed error.
type apiError struct {
	Status  int
	Code    string `json:"code"`
	Message string `json:"message"`
}

func (e *apiError) Error() string { return fmt.Sprintf("api: %d %s: %s", e.Status, e.Code, e.Message) }

func TestDecodeErrorHook(t *testing.T) {
	t.Parallel()
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		if r.URL.Path == "/api/v1/plain" {
			_, _ = w.Write([]byte("no such route"))
			return
		}
		_, _ = w.Write([]byte(`{"code":"woocommerce_rest_invalid_id","message":"Invalid ID."}`))
	})
	var gotBody []byte
	c := newTestClient(t, srv, func(cfg *Config) {
		cfg.DecodeError = func(resp *http.Response, body []byte) error {
			gotBody = body
			e := &apiError{Status: resp.StatusCode}
			if json.Unmarshal(body, e) != nil {
				return nil // not this API's error shape: fall back to *HTTPError
			}
			return e
		}
	})

	resp, err := c.Do(t.Context(), &Request{Path: "orders/1"}, nil)
	var ae *apiError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, http.StatusNotFound, ae.Status)
	assert.Equal(t, "woocommerce_rest_invalid_id", ae.Code)
	assert.Equal(t, "Invalid ID.", ae.Message)
	assert.JSONEq(t, `{"code":"woocommerce_rest_invalid_id","message":"Invalid ID."}`, string(gotBody))
	require.NotNil(t, resp, "the response comes back with the error")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.Equal(t, gotBody, resp.Body)

	_, err = c.Do(t.Context(), &Request{Path: "plain"}, nil)
	var he *HTTPError
	require.ErrorAs(t, err, &he, "a hook returning nil falls back to *HTTPError")
	assert.Equal(t, "no such route", string(he.Body))
}

func TestDefaultHTTPError(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("e", 300)
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-9")
		switch r.URL.Path {
		case "/api/v1/long":
			w.WriteHeader(http.StatusBadRequest)
			_, _ = w.Write([]byte(long))
		case "/api/v1/empty":
			w.WriteHeader(http.StatusForbidden)
		default:
			w.WriteHeader(http.StatusConflict)
			_, _ = w.Write([]byte(`{"raw":"body"}`))
		}
	})
	c := newTestClient(t, srv, nil)

	_, err := c.Do(t.Context(), &Request{Path: "x"}, nil)
	var he *HTTPError
	require.ErrorAs(t, err, &he)
	assert.Equal(t, http.StatusConflict, he.StatusCode)
	assert.Equal(t, "409 Conflict", he.Status)
	assert.Equal(t, "req-9", he.Header.Get("X-Request-Id"))
	assert.Equal(t, `{"raw":"body"}`, string(he.Body))
	assert.Equal(t, `http status 409: {"raw":"body"}`, he.Error())

	_, err = c.Do(t.Context(), &Request{Path: "long"}, nil)
	require.ErrorAs(t, err, &he)
	assert.Equal(t, long, string(he.Body), "the whole raw body is kept")
	assert.Equal(t, "http status 400: "+long[:200], he.Error(), "the message is cut")

	_, err = c.Do(t.Context(), &Request{Path: "empty"}, nil)
	require.ErrorAs(t, err, &he)
	assert.Equal(t, "http status 403", he.Error())
}

func TestUserAgent(t *testing.T) {
	t.Parallel()
	var got atomic.Value
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) { got.Store(r.Header.Get("User-Agent")) })

	c := newTestClient(t, srv, func(cfg *Config) { cfg.UserAgent = "shop-sync/2.0" })
	_, err := c.Do(t.Context(), &Request{Path: "x", Header: http.Header{"User-Agent": {"spoofed"}}}, nil)
	require.NoError(t, err)
	want := "shop-sync/2.0 loyalsync/" + Version + " (test; +https://github.com/loyalsync/loyalsync; " + runtime.Version() + ")"
	assert.Equal(t, want, got.Load())

	c = newTestClient(t, srv, func(cfg *Config) { cfg.API = "" })
	_, err = c.Do(t.Context(), &Request{Path: "x"}, nil)
	require.NoError(t, err)
	assert.Equal(t, "loyalsync/"+Version, got.Load())
}

func TestAuthenticateOncePerAttempt(t *testing.T) {
	t.Parallel()
	var hits countingHits
	var authHeaders []string
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		authHeaders = append(authHeaders, r.Header.Get("Authorization"))
		statusSequence(&hits, 503, 502)(w, r)
	})
	var calls atomic.Int32
	c := newTestClient(t, srv, func(cfg *Config) {
		cfg.Authenticate = func(r *http.Request) error {
			n := calls.Add(1)
			r.Header.Set("Authorization", fmt.Sprintf("Signed nonce-%d", n))
			return nil
		}
	})
	resp, err := c.Do(t.Context(), &Request{Path: "x"}, nil)
	require.NoError(t, err)
	assert.Equal(t, 3, resp.Attempts)
	assert.Equal(t, int32(3), calls.Load(), "one call per attempt")
	assert.Equal(t, []string{"Signed nonce-1", "Signed nonce-2", "Signed nonce-3"}, authHeaders, "fresh credentials on every attempt")
}

func TestAuthenticateErrorIsNotRetried(t *testing.T) {
	t.Parallel()
	var hits countingHits
	srv := newServer(t, statusSequence(&hits))
	errNoKey := errors.New("no key configured")
	var calls atomic.Int32
	c := newTestClient(t, srv, func(cfg *Config) {
		cfg.Authenticate = func(*http.Request) error {
			calls.Add(1)
			return errNoKey
		}
	})
	_, err := c.Do(t.Context(), &Request{Path: "x"}, nil)
	require.ErrorIs(t, err, errNoKey)
	var te *TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 1, te.Attempts)
	assert.Equal(t, int32(1), calls.Load())
	assert.Zero(t, hits.count())
	assert.Contains(t, err.Error(), "authenticate: no key configured")
}

func TestCredentialsStayOnTheBaseHost(t *testing.T) {
	t.Parallel()
	var elsewhereAuth atomic.Value
	elsewhere := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		elsewhereAuth.Store(r.Header.Get("Authorization") + "|" + r.URL.RawQuery)
		_, _ = w.Write([]byte(`{}`))
	})
	var homeAuth atomic.Value
	home := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		homeAuth.Store(r.Header.Get("Authorization"))
		http.Redirect(w, r, elsewhere.URL+"/moved", http.StatusFound)
	})
	var calls atomic.Int32
	c := newTestClient(t, home, func(cfg *Config) {
		cfg.Authenticate = func(r *http.Request) error {
			calls.Add(1)
			r.Header.Set("Authorization", "Basic c2VjcmV0")
			q := r.URL.Query()
			q.Set("consumer_secret", "cs_secret")
			r.URL.RawQuery = q.Encode()
			return nil
		}
	})
	resp, err := c.Do(t.Context(), &Request{Path: "x"}, nil)
	require.NoError(t, err)
	assert.Equal(t, "Basic c2VjcmV0", homeAuth.Load())
	assert.Equal(t, "|", elsewhereAuth.Load(), "no credentials for another host")
	assert.Equal(t, int32(1), calls.Load())
	assert.Equal(t, 1, resp.Attempts, "a redirect hop is part of the same attempt")

	u := func(s string) *url.URL { v, _ := url.Parse(s); return v }
	https, err := New(Config{BaseURL: "https://shop.example/wp-json"})
	require.NoError(t, err)
	assert.True(t, https.sameOrigin(u("https://SHOP.example/x")))
	assert.False(t, https.sameOrigin(u("http://shop.example/x")), "never downgrade to http")
	assert.False(t, https.sameOrigin(u("https://shop.example:8443/x")))
	plain, err := New(Config{BaseURL: "http://shop.example/wp-json"})
	require.NoError(t, err)
	assert.True(t, plain.sameOrigin(u("https://shop.example/x")), "an upgrade to https keeps them")
}

// countingTransport counts round trips and passes them on.
type countingTransport struct {
	n    atomic.Int32
	next http.RoundTripper
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.next.RoundTrip(r)
}

func TestCallersHTTPClientIsNotModified(t *testing.T) {
	t.Parallel()
	var hits countingHits
	srv := newServer(t, statusSequence(&hits, 503))
	rt := &countingTransport{next: http.DefaultTransport}
	hc := &http.Client{Transport: rt, Timeout: 7 * time.Second}
	c := newTestClient(t, srv, func(cfg *Config) { require.NoError(t, cfg.Apply(WithHTTPClient(hc))) })

	resp, err := c.Do(t.Context(), &Request{Path: "x"}, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, int32(2), rt.n.Load(), "attempts go through the caller's transport")
	assert.Same(t, rt, hc.Transport, "the caller's client keeps its transport")
	assert.Equal(t, 7*time.Second, hc.Timeout)
	assert.Nil(t, hc.CheckRedirect)
	assert.Nil(t, hc.Jar)
}

func TestDefaultsAndAccessors(t *testing.T) {
	t.Parallel()
	c, err := New(Config{BaseURL: "http://127.0.0.1:1/"})
	require.NoError(t, err)
	assert.Equal(t, DefaultRetryMax, c.cfg.RetryMax)
	assert.Equal(t, DefaultRetryWaitMin, c.cfg.RetryWaitMin)
	assert.Equal(t, DefaultRetryWaitMax, c.cfg.RetryWaitMax)
	assert.Equal(t, DefaultMaxRetryAfter, c.cfg.MaxRetryAfter)
	assert.Equal(t, int64(DefaultMaxResponseBytes), c.cfg.MaxResponseBytes)
	assert.Equal(t, DefaultTimeout, c.cfg.HTTPClient.Timeout)
	assert.NotNil(t, c.Logger())
	_, seen := c.RateLimit()
	assert.False(t, seen)

	c, err = New(Config{BaseURL: "http://127.0.0.1:1/", RetryMax: -1, RetryWaitMin: time.Second, RetryWaitMax: time.Millisecond})
	require.NoError(t, err)
	assert.Zero(t, c.cfg.RetryMax, "negative disables retries")
	assert.Equal(t, time.Second, c.cfg.RetryWaitMax, "max is raised to min")
}

func TestOptions(t *testing.T) {
	t.Parallel()
	var cfg Config
	require.NoError(t, cfg.Apply(
		nil,
		WithUserAgent("app/1"),
		WithRetry(3, time.Second, 5*time.Second),
		WithRateLimit(2.5, 3),
		WithMaxRetryAfter(time.Minute),
		WithLogger(discardLogger()),
	))
	assert.Equal(t, "app/1", cfg.UserAgent)
	assert.Equal(t, 3, cfg.RetryMax)
	assert.Equal(t, time.Second, cfg.RetryWaitMin)
	assert.Equal(t, 5*time.Second, cfg.RetryWaitMax)
	assert.InDelta(t, 2.5, float64(cfg.Rate), 0)
	assert.Equal(t, 3, cfg.Burst)
	assert.Equal(t, time.Minute, cfg.MaxRetryAfter)
	assert.NotNil(t, cfg.Logger)

	require.NoError(t, cfg.Apply(WithRetry(0, 0, 0)))
	assert.Equal(t, -1, cfg.RetryMax, "0 retries is stored as 'disabled'")
	require.NoError(t, cfg.Apply(WithRateLimit(0, 0)))
	assert.Zero(t, cfg.Rate)

	for name, o := range map[string]Option{
		"nil client":        WithHTTPClient(nil),
		"nil logger":        WithLogger(nil),
		"negative retries":  WithRetry(-1, 0, 0),
		"negative wait":     WithRetry(1, -time.Second, time.Second),
		"max below min":     WithRetry(1, time.Second, time.Millisecond),
		"negative rate":     WithRateLimit(-1, 1),
		"negative burst":    WithRateLimit(1, -1),
		"rate, no burst":    WithRateLimit(1, 0),
		"negative maxAfter": WithMaxRetryAfter(-time.Second),
		"infinite rate":     WithRateLimit(math.Inf(1), 1),
		"NaN rate":          WithRateLimit(math.NaN(), 1),
		"nil clock":         WithClock(nil),
		"nil sleep":         WithSleep(nil),
		"newline in UA":     WithUserAgent("app/1\r\nX-Evil: 1"),
	} {
		before := cfg
		err := cfg.Apply(WithUserAgent("changed-first"), o, WithUserAgent("never"))
		assert.Error(t, err, name)
		assert.Equal(t, "changed-first", cfg.UserAgent, "%s: options apply in order and stop at the error", name)
		cfg = before
	}

	err := cfg.Apply(WithRetry(-1, 0, 0))
	assert.ErrorContains(t, err, "WithRetry: ", "the error names the option; the client adds its package")
}

type testOptions struct{ n int }

func TestApplyOptionsSkipsNil(t *testing.T) {
	t.Parallel()
	type opt func(*testOptions) error
	add := func(d int) opt { return func(o *testOptions) error { o.n += d; return nil } }
	fail := opt(func(*testOptions) error { return errors.New("bad") })

	var o testOptions
	require.NoError(t, ApplyOptions(&o, []opt{add(1), nil, add(2)}))
	assert.Equal(t, 3, o.n)
	assert.EqualError(t, ApplyOptions(&o, []opt{add(10), fail, add(100)}), "bad")
	assert.Equal(t, 13, o.n, "options apply in order and stop at the first error")
}

func TestWithClockIsUsedForRetryAfterDates(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	var cfg Config
	require.NoError(t, cfg.Apply(WithClock(func() time.Time { return now })))
	c, err := New(Config{BaseURL: "http://127.0.0.1:1/", now: cfg.now})
	require.NoError(t, err)
	resp := &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{
		"Retry-After": {now.Add(90 * time.Second).Format(http.TimeFormat)},
	}}
	wait, ok := c.serverWait(resp)
	require.True(t, ok)
	assert.Equal(t, 90*time.Second, wait, "the date is read against the injected clock, not the machine's")
}
