package wooconnect_test

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// countingConns counts the connection records read from a ConnectionStore.
type countingConns struct {
	wooconnect.ConnectionStore
	reads *atomic.Int64
}

func (c countingConns) Connection(ctx context.Context, id string) (wooconnect.ConnectionRecord, error) {
	c.reads.Add(1)
	return c.ConnectionStore.Connection(ctx, id)
}

// The webhook endpoint reads a connection's record at most once a second while deliveries come
// in. A change made through the same Connector takes effect at once; one made by another
// instance sharing the stores within that second (a disconnection is enforced by the engine
// meanwhile), or at once when it changed the webhook secret.
func TestHandler_ReadsTheConnectionRecordOncePerSecond(t *testing.T) {
	t.Parallel()
	var reads atomic.Int64
	e := newEnv(t, withConnStore(func(s wooconnect.ConnectionStore) wooconnect.ConnectionStore {
		return countingConns{ConnectionStore: s, reads: &reads}
	}))
	c := e.connect()
	secret := e.overview().Webhook.Secret
	e.clock.Freeze()
	h := e.conn.Handler()
	path := "/" + c.ID
	next := 1000
	deliver := func(secret string) (int, string) {
		t.Helper()
		next++
		body := fmt.Appendf(nil, `{"id":%d,"status":"completed","currency":"EUR","total":"10.00","billing":{"first_name":"Ada","email":"ada@example.com"}}`, next)
		rr := post(t, h, path, body, secret, nil)
		return rr.Code, rr.Body.String()
	}

	reads.Store(0)
	for range 5 {
		code, body := deliver(secret)
		require.Equal(t, http.StatusOK, code, body)
		require.Contains(t, body, `"processed"`)
	}
	assert.EqualValues(t, 1, reads.Load(), "five deliveries within a second read the record once")
	e.clock.Advance(time.Second)
	code, _ := deliver(secret)
	require.Equal(t, http.StatusOK, code)
	assert.EqualValues(t, 2, reads.Load(), "and again a second later")

	// Disconnecting through this Connector takes effect at once (the clock stands still).
	_, err := e.conn.Disconnect(e.ctx, c.ID, "owner")
	require.NoError(t, err)
	code, _ = deliver(secret)
	assert.Equal(t, http.StatusGone, code)
	c = e.connect() // a new secret
	secret2 := e.overview().Webhook.Secret
	require.NotEqual(t, secret, secret2)
	code, body := deliver(secret2)
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"processed"`)

	// Another instance over the same stores disconnects and connects again: the record this
	// one holds has the old secret, so the first delivery signed with the new one makes it read
	// the record again, and it is accepted.
	other, err := wooconnect.New(e.conn.Engine().Store(), e.conns,
		wooconnect.WithEncryptionKey(testKey), wooconnect.WithWebhookURL(e.hooks.URL+"/woocommerce/webhooks"),
		wooconnect.WithClock(e.clock), wooconnect.WithInsecureHTTP(),
		wooconnect.WithClientOptions(woocommerce.WithHTTPClient(e.shop.Client())),
		wooconnect.WithEngineOptions(loyalty.WithReceiptSalt([]byte("0123456789abcdef"))))
	require.NoError(t, err)
	_, err = other.Disconnect(e.ctx, c.ID, "owner")
	require.NoError(t, err)
	_, err = other.Connect(e.ctx, wooconnect.ConnectRequest{ProgramID: e.prog.ID, StoreURL: e.shop.URL,
		ConsumerKey: e.key.ConsumerKey, ConsumerSecret: e.key.ConsumerSecret})
	require.NoError(t, err)
	e.flush()
	secret3 := e.overview().Webhook.Secret
	require.NotEqual(t, secret2, secret3)
	before := reads.Load()
	code, body = deliver(secret3)
	require.Equal(t, http.StatusOK, code, body)
	require.Contains(t, body, `"processed"`)
	assert.EqualValues(t, 1, reads.Load()-before, "one read for the changed secret")
	code, _ = deliver(secret2)
	assert.Equal(t, http.StatusUnauthorized, code, "the old secret is refused")

	// Another instance disconnects: within the second this one still holds the connected
	// record, but the engine skips the delivery (the program is paused); then it answers 410.
	balance := e.balance(ada.email)
	_, err = other.Disconnect(e.ctx, c.ID, "owner")
	require.NoError(t, err)
	code, body = deliver(secret3)
	require.Equal(t, http.StatusOK, code, body)
	assert.Contains(t, body, `"skipped"`)
	assert.Equal(t, balance, e.balance(ada.email), "nothing earned after the disconnection")
	e.clock.Advance(time.Second)
	code, _ = deliver(secret3)
	assert.Equal(t, http.StatusGone, code)
}
