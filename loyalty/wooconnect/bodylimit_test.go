package wooconnect_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// By default a body over 1 MiB is refused with 413 before it is read whole (issue 12.10).
func TestHandler_DefaultBodyLimitIsOneMiB(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	secret := e.overview().Webhook.Secret
	body := append([]byte(`{"id":1,"customer_note":"`), bytes.Repeat([]byte("x"), wooconnect.DefaultMaxWebhookBody)...)
	body = append(body, `"}`...)
	rr := post(t, e.conn.Handler(), "/"+c.ID, body, secret, nil)
	assert.Equal(t, http.StatusRequestEntityTooLarge, rr.Code)
	assert.Equal(t, 1<<20, wooconnect.DefaultMaxWebhookBody)
}

// stalledBody is a request body that signals its first Read and then waits to be released.
type stalledBody struct {
	started chan struct{}
	release chan struct{}
	once    sync.Once
	r       io.Reader
}

func (b *stalledBody) Read(p []byte) (int, error) {
	b.once.Do(func() { close(b.started); <-b.release })
	return b.r.Read(p)
}

func (b *stalledBody) Close() error { return nil }

// The bodies being read at once hold at most the memory budget: a delivery that does not fit
// is answered 503 with Retry-After without being read; once the others finish it fits again.
func TestHandler_InFlightBodiesAreBounded(t *testing.T) {
	t.Parallel()
	const limit = 32 << 10
	e := newEnv(t, withConnector(wooconnect.WithMaxWebhookBody(limit), wooconnect.WithMaxWebhookMemory(2*limit)))
	c := e.connect()
	h, path := e.conn.Handler(), "/"+c.ID
	release := make(chan struct{})
	var wg sync.WaitGroup
	codes := make([]int, 2)
	for i := range 2 {
		body := &stalledBody{started: make(chan struct{}), release: release, r: bytes.NewReader(make([]byte, limit))}
		req := httptest.NewRequest(http.MethodPost, path, body)
		req.ContentLength = limit
		req.Header.Set(woocommerce.HeaderWebhookTopic, "order.updated")
		wg.Go(func() {
			rr := httptest.NewRecorder()
			h.ServeHTTP(rr, req)
			codes[i] = rr.Code
		})
		<-body.started
	}
	rr := post(t, h, path, []byte(`{"id":1}`), "x", nil)
	assert.Equal(t, http.StatusServiceUnavailable, rr.Code, "the budget is spent by the two stalled bodies")
	assert.Equal(t, "1", rr.Header().Get("Retry-After"))
	close(release)
	wg.Wait()
	assert.Equal(t, []int{http.StatusUnauthorized, http.StatusUnauthorized}, codes, "read, then refused as unsigned")
	rr = post(t, h, path, []byte(`{"id":1}`), "x", nil)
	assert.Equal(t, http.StatusUnauthorized, rr.Code, "the budget is back")

	_, err := wooconnect.New(newLoyaltyStore(t, ""), wooconnect.NewMemoryConnectionStore(), wooconnect.WithEncryptionKey(testKey),
		wooconnect.WithWebhookURL("https://x.example/hooks"), wooconnect.WithMaxWebhookMemory(limit-1))
	require.ErrorContains(t, err, "WithMaxWebhookMemory")
}

// A flood of forged deliveries leaves one aggregated receipt and one warning per minute, not
// one of each per request (issue 12.10).
func TestHandler_ForgedDeliveriesAreAggregated(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.connect()
	h, path := e.conn.Handler(), "/"+c.ID
	for range 200 {
		rr := post(t, h, path, []byte(`{"id":1}`), "forged", nil)
		require.Equal(t, http.StatusUnauthorized, rr.Code)
	}
	failed := e.receiptsOutcome("failed")
	require.Len(t, failed, 1)
	assert.Equal(t, 200, failed[0].Count)
	assert.Equal(t, 1, strings.Count(e.logs.String(), "delivery failed"), "one warning per connection per minute")

	e.clock.Advance(time.Minute)
	post(t, h, path, []byte(`{"id":1}`), "forged", nil)
	logs := e.logs.String()
	assert.Equal(t, 2, strings.Count(logs, "delivery failed"))
	assert.Contains(t, logs, `"similar_warnings_held_back":199`)
}
