package rest

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestSmokeRetryThenSuccess(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) < 3 {
			w.WriteHeader(503)
			return
		}
		w.Write([]byte("\xef\xbb\xbf{\"a\":\"b c\"}"))
	}))
	defer srv.Close()
	c, err := New(Config{BaseURL: srv.URL + "/wp-json/wc/v3", API: "test", RetryWaitMin: time.Millisecond, RetryWaitMax: 2 * time.Millisecond})
	require.NoError(t, err)
	var out map[string]string
	resp, err := c.Do(context.Background(), &Request{Path: "orders", Query: struct {
		S string `url:"search"`
		I []int  `url:"include,comma"`
	}{"a b", []int{1, 2}}}, &out)
	require.NoError(t, err)
	require.Equal(t, 3, resp.Attempts)
	require.Equal(t, "b c", out["a"])
	require.Equal(t, "/wp-json/wc/v3/orders", resp.Request.URL.Path)
	require.Equal(t, "include=1%2C2&search=a%20b", resp.Request.URL.RawQuery)
}
