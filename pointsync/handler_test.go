package pointsync_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/pointsync/pointsynctest"
)

// pair returns two linked sites a and b sharing clock.
func pair(t *testing.T, clock *pointsynctest.Clock, opts ...pointsync.Option) (a, b *pointsynctest.Site) {
	cfg := pointsynctest.SiteConfig{Now: clock.Now, SenderOptions: opts}
	a = pointsynctest.NewSite(t, "a", cfg)
	b = pointsynctest.NewSite(t, "b", cfg)
	pointsynctest.Link(t, a, b)
	return a, b
}

func testBatch(from *pointsynctest.Site, to *pointsynctest.Site, id string, ms ...pointsync.Movement) []byte {
	if len(ms) == 0 {
		ms = []pointsync.Movement{pointsynctest.Movement("m1", "ann@example.com", 10)}
	}
	body, _ := json.Marshal(pointsync.Batch{Version: pointsync.Version, ID: id, Origin: from.Local.SharingKey, Reserve: to.Reserve, Movements: ms})
	return body
}

// post sends a raw protocol request from a to b, signed as the client would unless changed.
func post(t *testing.T, a, b *pointsynctest.Site, op string, body []byte, at time.Time, change func(*http.Request)) (int, pointsync.ErrorBody) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, b.Local.URL+op, bytes.NewReader(body))
	require.NoError(t, err)
	pointsync.SignRequest(req, a.Local.SharingKey, a.RemoteFor(b), op, body, at)
	if change != nil {
		change(req)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var eb pointsync.ErrorBody
	if resp.StatusCode != http.StatusOK {
		require.NoError(t, json.Unmarshal(data, &eb), "error bodies are JSON: %s", data)
		assert.Equal(t, resp.StatusCode, eb.Status)
		assert.NotEmpty(t, eb.Message)
		assert.Equal(t, "application/json; charset=utf-8", resp.Header.Get("Content-Type"))
	}
	return resp.StatusCode, eb
}

func TestHandlerRefusals(t *testing.T) {
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a, b := pair(t, clock)
	now := clock.Now()
	body := testBatch(a, b, "batch1")
	stranger := pointsynctest.NewSite(t, "stranger", pointsynctest.SiteConfig{Now: clock.Now})

	cases := []struct {
		name   string
		from   *pointsynctest.Site
		body   []byte
		at     time.Time
		change func(*http.Request)
		status int
		code   string
	}{
		{"wrong pass", a, body, now, func(r *http.Request) { r.SetBasicAuth(b.Local.Auth, "wrong") }, 401, pointsync.CodeBadCredentials},
		{"wrong auth", a, body, now, func(r *http.Request) { r.SetBasicAuth("wrong", b.Local.Pass) }, 401, pointsync.CodeBadCredentials},
		{"no credentials", a, body, now, func(r *http.Request) { r.Header.Del("Authorization") }, 401, pointsync.CodeBadCredentials},
		{"signed with a wrong secret", a, body, now, func(r *http.Request) {
			r.Header.Set(pointsync.HeaderSignature, pointsync.Sign("wrong", pointsync.Signed{Time: now, Op: "batches", From: a.Local.SharingKey, To: b.Local.SharingKey, Body: body}))
		}, 401, pointsync.CodeBadSignature},
		{"body changed after signing", a, body, now, func(r *http.Request) {
			r.Body = io.NopCloser(bytes.NewReader(testBatch(a, b, "batch1", pointsynctest.Movement("m1", "ann@example.com", 1000))))
			r.ContentLength = -1
		}, 401, pointsync.CodeBadSignature},
		{"stale timestamp", a, body, now.Add(-6 * time.Minute), nil, 401, pointsync.CodeStaleTimestamp},
		{"timestamp in the future", a, body, now.Add(6 * time.Minute), nil, 401, pointsync.CodeStaleTimestamp},
		{"wrong receiver key", a, body, now, func(r *http.Request) {
			r.Header.Set(pointsync.HeaderTo, "0123")
			r.Header.Set(pointsync.HeaderSignature, pointsync.Sign(b.Local.Pass, pointsync.Signed{Time: now, Op: "batches", From: a.Local.SharingKey, To: "0123", Body: body}))
		}, 403, pointsync.CodeWrongSharingKey},
		{"unknown sender", stranger, testBatch(stranger, b, "batch1"), now, nil, 403, pointsync.CodeUnknownSite},
		{"invalid batch", a, []byte(`{"version":1,"id":"x","origin":"y"}`), now, nil, 400, pointsync.CodeBadRequest},
		{"other version", a, []byte(`{"version":2}`), now, nil, 400, pointsync.CodeUnsupportedVersion},
		{"origin differs from header", a, testBatch(stranger, b, "batch1"), now, nil, 400, pointsync.CodeBadRequest},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			from := c.from
			if from == stranger {
				// The stranger knows b's secrets but b does not list it.
				require.NoError(t, stranger.Store.PutRemote(context.Background(), stranger.RemoteFor(b)))
			}
			status, eb := post(t, from, b, pointsync.OpBatches, c.body, c.at, c.change)
			assert.Equal(t, c.status, status)
			assert.Equal(t, c.code, eb.Code, eb.Message)
		})
	}
	assert.Empty(t, b.Ledger.Entries(), "nothing refused was applied")
}

func TestHandlerReplayedBatch(t *testing.T) {
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a, b := pair(t, clock)
	body := testBatch(a, b, "batch1")
	status, _ := post(t, a, b, pointsync.OpBatches, body, clock.Now(), nil)
	require.Equal(t, http.StatusOK, status)
	clock.Advance(time.Second)
	// The same batch, even freshly signed, is a replay.
	status, eb := post(t, a, b, pointsync.OpBatches, body, clock.Now(), nil)
	assert.Equal(t, http.StatusUnauthorized, status)
	assert.Equal(t, pointsync.CodeReplayed, eb.Code)
	// Another batch id with the same movement is accepted, and the ledger counts a duplicate.
	status, _ = post(t, a, b, pointsync.OpBatches, testBatch(a, b, "batch2"), clock.Now(), nil)
	assert.Equal(t, http.StatusOK, status)
	assert.Len(t, b.Ledger.Entries(), 1)
}

func TestHandlerUnknownReserveAndEndpoints(t *testing.T) {
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a, b := pair(t, clock)
	body, _ := json.Marshal(pointsync.Batch{Version: 1, ID: "b1", Origin: a.Local.SharingKey, Reserve: "nope",
		Movements: []pointsync.Movement{pointsynctest.Movement("m1", "ann@example.com", 1)}})
	status, eb := post(t, a, b, pointsync.OpBatches, body, clock.Now(), nil)
	assert.Equal(t, http.StatusNotFound, status)
	assert.Equal(t, pointsync.CodeUnknownReserve, eb.Code)
	// The failed batch id is not remembered: fixed and sent again, it is applied.
	status, _ = post(t, a, b, pointsync.OpBatches, testBatch(a, b, "b1"), clock.Now(), nil)
	assert.Equal(t, http.StatusOK, status)

	resp, err := http.Get(b.Local.URL + "batches")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
	resp, err = http.Post(b.Local.URL+"other", "application/json", nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

// blockingLedger holds ApplyRemote until released, to catch a batch in flight.
type blockingLedger struct {
	*pointsynctest.Ledger
	entered chan struct{}
	release chan struct{}
	once    sync.Once
}

func (l *blockingLedger) ApplyRemote(ctx context.Context, in pointsync.Incoming) (pointsync.Applied, error) {
	l.once.Do(func() {
		close(l.entered)
		<-l.release
	})
	return l.Ledger.ApplyRemote(ctx, in)
}

func TestHandlerBatchInProgress(t *testing.T) {
	clock := pointsynctest.NewClock(pointsynctest.Start)
	a, b := pair(t, clock)
	bl := &blockingLedger{Ledger: b.Ledger, entered: make(chan struct{}), release: make(chan struct{})}
	h, err := pointsync.NewHandler(b.Store, bl, pointsync.WithClock(clock.Now))
	require.NoError(t, err)
	body := testBatch(a, b, "batch1")
	send := func() *httptest.ResponseRecorder {
		req, _ := http.NewRequest(http.MethodPost, "http://b/sync/batches", bytes.NewReader(body))
		pointsync.SignRequest(req, a.Local.SharingKey, a.RemoteFor(b), "batches", body, clock.Now())
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	done := make(chan *httptest.ResponseRecorder)
	go func() { done <- send() }()
	<-bl.entered
	second := send()
	assert.Equal(t, http.StatusConflict, second.Code)
	assert.Contains(t, second.Body.String(), pointsync.CodeInProgress)
	close(bl.release)
	assert.Equal(t, http.StatusOK, (<-done).Code)
}

func TestMemReplayGuardConformance(t *testing.T) {
	pointsynctest.RunReplayGuard(t, func(t *testing.T, now func() time.Time) pointsync.ReplayGuard {
		return pointsync.NewMemReplayGuard(now)
	})
}

func TestMemReplayGuardPrunes(t *testing.T) {
	ctx := t.Context()
	clock := pointsynctest.NewClock(pointsynctest.Start)
	g := pointsync.NewMemReplayGuard(clock.Now)
	until := clock.Now().Add(10 * time.Minute)
	for i := 0; i < 5000; i++ {
		_, err := g.Begin(ctx, "o", fmt.Sprint("x", i), until)
		require.NoError(t, err)
	}
	clock.Advance(10 * time.Minute)
	for i := 0; i < 3500; i++ { // the guard prunes when its size doubles
		_, err := g.Begin(ctx, "o", fmt.Sprint("y", i), clock.Now().Add(10*time.Minute))
		require.NoError(t, err)
	}
	assert.Less(t, g.Len(), 5000, "expired ids are pruned")
}
