package sitoo_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
)

const orderEvent = `{"event_id":"5e9fd002119a4c5fb4de5ccb9d0b90ea","event_type":"order","event_date":1611138542,"account_id":1500,
	"data":{"eshop_id":1,"order_id":12345,"order_event_type":"update","order_state_changed":"closed"}}`

func events(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf(`{"event_id":"ev-%d","event_type":"order-delivery","event_date":1611138542,"account_id":1500,
			"data":{"eshop_id":1,"order_id":7,"order_delivery_id":%d,"warehouse_id":3}}`, i, 100+i)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func post(t *testing.T, h http.Handler, body string, auth ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/sitoo/events", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if len(auth) == 2 {
		req.SetBasicAuth(auth[0], auth[1])
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

func TestParseEvents(t *testing.T) {
	t.Parallel()
	evs, err := sitoo.ParseEvents([]byte("[" + orderEvent + "]"))
	require.NoError(t, err)
	require.Len(t, evs, 1)
	ev := evs[0]
	assert.Equal(t, "5e9fd002119a4c5fb4de5ccb9d0b90ea", ev.ID)
	assert.Equal(t, sitoo.EventTypeOrder, ev.Type)
	assert.Equal(t, int64(1611138542), ev.Date.Unix())
	assert.Equal(t, int64(1500), ev.AccountID)
	od, err := ev.OrderData()
	require.NoError(t, err)
	assert.Equal(t, int64(12345), od.OrderID)
	assert.Equal(t, "closed", od.OrderStateChanged)
	_, err = ev.OrderDeliveryData()
	require.ErrorIs(t, err, sitoo.ErrInvalidEvents, "wrong type")

	evs, err = sitoo.ParseEvents([]byte(events(10)))
	require.NoError(t, err)
	dd, err := evs[9].OrderDeliveryData()
	require.NoError(t, err)
	assert.Equal(t, int64(109), dd.OrderDeliveryID)

	_, err = sitoo.ParseEvents([]byte(events(11)))
	require.ErrorIs(t, err, sitoo.ErrTooManyEvents)
	for _, bad := range []string{``, `{}`, `[]`, `[{"event_type":"order"}]`, `[1]`, `[{"event_id":"a","event_date":"x"}]`, `[`} {
		_, err := sitoo.ParseEvents([]byte(bad))
		assert.ErrorIs(t, err, sitoo.ErrInvalidEvents, bad)
	}
}

func TestEventHandlerDeliversDedupesAndRetries(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var got []string
	fail := map[string]bool{"ev-3": true}
	h, err := sitoo.NewEventHandler(func(_ context.Context, ev sitoo.Event) error {
		mu.Lock()
		defer mu.Unlock()
		if fail[ev.ID] {
			return errors.New("database down")
		}
		got = append(got, ev.ID)
		return nil
	}, sitoo.WithEventAuth("sitoo-hook", "hook-secret"))
	require.NoError(t, err)

	// ev-3 fails: 503, so Sitoo retries the delivery; ev-0..2 are done, ev-4 not attempted.
	w := post(t, h, events(5), "sitoo-hook", "hook-secret")
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Equal(t, []string{"ev-0", "ev-1", "ev-2"}, got)

	// The retry skips what was handled.
	mu.Lock()
	delete(fail, "ev-3")
	mu.Unlock()
	w = post(t, h, events(5), "sitoo-hook", "hook-secret")
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Equal(t, []string{"ev-0", "ev-1", "ev-2", "ev-3", "ev-4"}, got)

	// A duplicate delivery is acknowledged and not handed on again.
	w = post(t, h, events(5), "sitoo-hook", "hook-secret")
	assert.Equal(t, http.StatusOK, w.Code)
	assert.Len(t, got, 5)
}

func TestEventHandlerRejects(t *testing.T) {
	t.Parallel()
	called := false
	h, err := sitoo.NewEventHandler(func(context.Context, sitoo.Event) error { called = true; return nil },
		sitoo.WithEventAuth("u", "p"), sitoo.WithMaxEventBodyBytes(2048))
	require.NoError(t, err)

	assert.Equal(t, http.StatusUnauthorized, post(t, h, events(1)).Code)
	assert.Equal(t, http.StatusUnauthorized, post(t, h, events(1), "u", "wrong").Code)
	w := post(t, h, events(1), "U", "p")
	assert.Equal(t, http.StatusUnauthorized, w.Code)
	assert.NotEmpty(t, w.Header().Get("WWW-Authenticate"))
	assert.Equal(t, http.StatusBadRequest, post(t, h, events(11), "u", "p").Code, "more than 10 events")
	assert.Equal(t, http.StatusBadRequest, post(t, h, `{"event_id":"x"}`, "u", "p").Code)
	assert.Equal(t, http.StatusRequestEntityTooLarge, post(t, h, "["+strings.Repeat(" ", 4096)+"]", "u", "p").Code)

	req := httptest.NewRequest(http.MethodGet, "/", nil)
	w = httptest.NewRecorder()
	h.ServeHTTP(w, req)
	assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
	assert.False(t, called)

	_, err = sitoo.NewEventHandler(nil, sitoo.WithEventAuth("u", "p"))
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
}

// TestEventHandlerRequiresCredentials: a handler without credentials would accept events from
// anyone who can reach it, so building one needs WithEventAuth or an explicit, insecure opt-out.
func TestEventHandlerRequiresCredentials(t *testing.T) {
	t.Parallel()
	ok := func(context.Context, sitoo.Event) error { return nil }

	_, err := sitoo.NewEventHandler(ok)
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
	assert.Contains(t, err.Error(), "sitoo: new event handler: ")
	assert.Contains(t, err.Error(), "WithEventAuth")
	_, err = sitoo.NewEventHandler(ok, nil, nil)
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument, "nil options are ignored, not taken as an opt-out")
	_, err = sitoo.NewEventHandler(ok, sitoo.WithEventAuth("u", "p"), sitoo.WithInsecureNoEventAuth())
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument, "contradictory")

	h, err := sitoo.NewEventHandler(ok, sitoo.WithInsecureNoEventAuth())
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, post(t, h, events(1)).Code, "explicitly insecure: no credentials needed")

	// ReadEvents, the building block, refuses to run without credentials too.
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(events(1)))
	_, err = sitoo.ReadEvents(req, nil, 0)
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
	_, err = sitoo.ReadEvents(req, &sitoo.EventAuth{Username: "u"}, 0)
	require.ErrorIs(t, err, sitoo.ErrInvalidArgument)
	req.SetBasicAuth("u", "p")
	evs, err := sitoo.ReadEvents(req, &sitoo.EventAuth{Username: "u", Password: "p"}, 0)
	require.NoError(t, err)
	assert.Len(t, evs, 1)
}

func TestEventOptionsValidate(t *testing.T) {
	t.Parallel()
	ok := func(context.Context, sitoo.Event) error { return nil }
	for name, opt := range map[string]sitoo.EventOption{
		"empty username":     sitoo.WithEventAuth("", "p"),
		"empty password":     sitoo.WithEventAuth("u", ""),
		"colon in username":  sitoo.WithEventAuth("a:b", "p"),
		"nil seen store":     sitoo.WithSeenStore(nil),
		"zero body limit":    sitoo.WithMaxEventBodyBytes(0),
		"negative timeout":   sitoo.WithEventTimeout(-time.Second),
		"zero timeout":       sitoo.WithEventTimeout(0),
		"timeout past Sitoo": sitoo.WithEventTimeout(sitoo.MaxEventTimeout),
		"nil logger":         sitoo.WithEventLogger(nil),
		"nil clock":          sitoo.WithEventClock(nil),
	} {
		_, err := sitoo.NewEventHandler(ok, sitoo.WithEventAuth("u", "p"), opt)
		assert.ErrorIs(t, err, sitoo.ErrInvalidArgument, name)
	}
}

// TestEventHandlerClockExpiresSeenIDs: the default seen-store forgets an id after its TTL on the
// handler's clock, so a redelivery two days later is handed on again.
func TestEventHandlerClockExpiresSeenIDs(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	calls := 0
	h, err := sitoo.NewEventHandler(func(context.Context, sitoo.Event) error { calls++; return nil },
		sitoo.WithEventAuth("u", "p"), sitoo.WithEventClock(clock))
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, post(t, h, events(1), "u", "p").Code)
	require.Equal(t, http.StatusOK, post(t, h, events(1), "u", "p").Code)
	assert.Equal(t, 1, calls, "a duplicate within the TTL is skipped")
	mu.Lock()
	now = now.Add(sitoo.DefaultSeenStoreTTL)
	mu.Unlock()
	require.Equal(t, http.StatusOK, post(t, h, events(1), "u", "p").Code)
	assert.Equal(t, 2, calls, "after the TTL the id is forgotten")
}

func TestEventHandlerTimeoutAnswers503(t *testing.T) {
	t.Parallel()
	h, err := sitoo.NewEventHandler(func(ctx context.Context, ev sitoo.Event) error {
		<-ctx.Done() // a callback that respects the delivery's deadline
		return ctx.Err()
	}, sitoo.WithEventTimeout(10*time.Millisecond), sitoo.WithInsecureNoEventAuth())
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, post(t, h, events(2)).Code)
}

// failingStore is a SeenStore that fails.
type failingStore struct{}

func (failingStore) Seen(context.Context, string) (bool, error) {
	return false, errors.New("redis down")
}
func (failingStore) MarkSeen(context.Context, string) error { return nil }

func TestEventHandlerSeenStoreFailure(t *testing.T) {
	t.Parallel()
	called := false
	h, err := sitoo.NewEventHandler(func(context.Context, sitoo.Event) error { called = true; return nil },
		sitoo.WithSeenStore(failingStore{}), sitoo.WithInsecureNoEventAuth())
	require.NoError(t, err)
	assert.Equal(t, http.StatusServiceUnavailable, post(t, h, events(1)).Code)
	assert.False(t, called, "without knowing whether it is a duplicate the event is not handed on")
}

func TestEventHandlerConcurrentDuplicate(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	started := make(chan struct{})
	var calls int
	var mu sync.Mutex
	h, err := sitoo.NewEventHandler(func(ctx context.Context, ev sitoo.Event) error {
		mu.Lock()
		calls++
		first := calls == 1
		mu.Unlock()
		if first {
			close(started)
			<-release
		}
		return nil
	}, sitoo.WithInsecureNoEventAuth())
	require.NoError(t, err)
	done := make(chan int)
	go func() { done <- post(t, h, events(1)).Code }()
	<-started
	// Sitoo resends while the first delivery still runs: the copy is told to come back later.
	assert.Equal(t, http.StatusServiceUnavailable, post(t, h, events(1)).Code)
	close(release)
	assert.Equal(t, http.StatusOK, <-done)
	assert.Equal(t, http.StatusOK, post(t, h, events(1)).Code)
	mu.Lock()
	assert.Equal(t, 1, calls)
	mu.Unlock()
}

func TestMemorySeenStoreBounds(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	s := sitoo.NewMemorySeenStore(3, time.Hour, nil)
	for _, id := range []string{"a", "b", "c", "d"} {
		require.NoError(t, s.MarkSeen(ctx, id))
	}
	assert.Equal(t, 3, s.Len(), "bounded")
	seen, err := s.Seen(ctx, "a")
	require.NoError(t, err)
	assert.False(t, seen, "the oldest id was forgotten")
	for _, id := range []string{"b", "c", "d"} {
		seen, _ := s.Seen(ctx, id)
		assert.True(t, seen, id)
	}
	for i := range 1000 {
		require.NoError(t, s.MarkSeen(ctx, fmt.Sprint(i)))
	}
	assert.Equal(t, 3, s.Len())
}
