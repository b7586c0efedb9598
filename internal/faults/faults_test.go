package faults

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newServer(t *testing.T) (*httptest.Server, *Injector, *atomic.Int32) {
	t.Helper()
	var in Injector
	var handled atomic.Int32
	srv := httptest.NewServer(in.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		handled.Add(1)
		_, _ = io.WriteString(w, "ok")
	})))
	t.Cleanup(srv.Close)
	return srv, &in, &handled
}

func get(t *testing.T, url string) (int, string, http.Header, error) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0, "", nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b), resp.Header, nil
}

func TestStatusRuleAppliesTimesThenExpires(t *testing.T) {
	t.Parallel()
	srv, in, handled := newServer(t)
	in.Add(Status429(3 * time.Second))
	code, _, h, err := get(t, srv.URL+"/x")
	require.NoError(t, err)
	assert.Equal(t, 429, code)
	assert.Equal(t, "3", h.Get("Retry-After"))
	assert.Equal(t, int32(0), handled.Load())
	in.Reset()
	code, body, _, err := get(t, srv.URL+"/x")
	require.NoError(t, err)
	assert.Equal(t, 200, code)
	assert.Equal(t, "ok", body)
}

func TestRouteMatchingSkipAndTimes(t *testing.T) {
	t.Parallel()
	srv, in, _ := newServer(t)
	in.Add(Rule{Method: "GET", Path: "/wp-json/*", Skip: 1, Times: 2, Status: 503, Body: `{"code":"x"}`})
	codes := []int{}
	for range 4 {
		code, _, _, err := get(t, srv.URL+"/wp-json/wc/v3/orders")
		require.NoError(t, err)
		codes = append(codes, code)
	}
	assert.Equal(t, []int{200, 503, 503, 200}, codes)
	code, _, _, err := get(t, srv.URL+"/other")
	require.NoError(t, err)
	assert.Equal(t, 200, code)
	assert.Equal(t, 2, in.Injected())
}

func TestDropDoesNotApply(t *testing.T) {
	t.Parallel()
	srv, in, handled := newServer(t)
	in.Add(Rule{Drop: true, Times: 1})
	_, _, _, err := get(t, srv.URL+"/x")
	require.Error(t, err)
	assert.Equal(t, int32(0), handled.Load())
}

func TestApplyThenDropAppliesButLosesResponse(t *testing.T) {
	t.Parallel()
	srv, in, handled := newServer(t)
	in.Add(Rule{Method: "POST", ApplyThenDrop: true, Times: 1})
	resp, err := http.Post(srv.URL+"/coupons", "application/json", strings.NewReader("{}"))
	if resp != nil {
		resp.Body.Close()
	}
	require.Error(t, err)
	assert.Equal(t, int32(1), handled.Load())
}

func TestLatency(t *testing.T) {
	t.Parallel()
	srv, in, handled := newServer(t)
	in.Add(Rule{Latency: 20 * time.Millisecond, Times: 1})
	code, _, _, err := get(t, srv.URL+"/x")
	require.NoError(t, err)
	assert.Equal(t, 200, code)
	assert.Equal(t, int32(1), handled.Load())
}
