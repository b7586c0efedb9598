package sitoo

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"
)

// Sitoo Events SPI: Sitoo POSTs events to an endpoint you run, as a JSON array of up to 10 events
// in chronological order. It waits at most 15 seconds for the answer; 200 removes the events from
// its queue, 429, 503 and 504 make it retry the same request (for about 24 hours, blocking later
// events meanwhile), and other codes drop the events. The same event may arrive more than once.

// MaxEventsPerDelivery is the most events Sitoo sends in one request.
const MaxEventsPerDelivery = 10

// DefaultMaxEventBodyBytes caps the body of one event delivery.
const DefaultMaxEventBodyBytes = 1 << 20

// DefaultEventTimeout is how long the handler lets the callbacks of one delivery run. Sitoo gives
// up on a response after 15 seconds and sends the events again.
const DefaultEventTimeout = 10 * time.Second

// Errors of reading an event delivery.
var (
	ErrEventUnauthorized = errors.New("sitoo: event delivery not authorized")
	ErrEventBodyTooLarge = errors.New("sitoo: event delivery too large")
	ErrTooManyEvents     = errors.New("sitoo: more than 10 events in one delivery")
	ErrInvalidEvents     = errors.New("sitoo: invalid event delivery")
)

// EventType is an event's event_type. It is an open string type: a type Sitoo adds later decodes
// unchanged.
type EventType string

// Event types documented by Sitoo.
const (
	EventTypeOrder                EventType = "order"
	EventTypeOrderDelivery        EventType = "order-delivery"
	EventTypeBooking              EventType = "booking" // data is OrderEventData
	EventTypeShipment             EventType = "shipment"
	EventTypeShipmentV3           EventType = "shipment-v3"
	EventTypeWarehouseTransaction EventType = "warehouse-transaction"
	EventTypeZReport              EventType = "z-report"
	EventTypeStoreZReport         EventType = "store-z-report"
)

// Event is one Sitoo event. The envelope follows Sitoo's Events SPI reference (event_id, event_type,
// event_date, account_id, data); Data is kept raw because its shape depends on the type. Decode it
// with OrderData or OrderDeliveryData, or yourself.
type Event struct {
	ID        string          `json:"event_id"` // a UUID; the key for de-duplication
	Type      EventType       `json:"event_type"`
	Date      UnixTime        `json:"event_date"`
	AccountID int64           `json:"account_id"`
	Data      json.RawMessage `json:"data"`
}

// OrderEventData is the data of an order or booking event.
type OrderEventData struct {
	EshopID     int64 `json:"eshop_id"`
	OrderID     int64 `json:"order_id"`
	WarehouseID int64 `json:"warehouse_id"`
	// OrderEventType is add, update, ready-for-pickup, pickup-rejected or email-receipt.
	OrderEventType string `json:"order_event_type"`
	// OrderStateChanged is the new state (open, closed, cancelled) when the event changed it.
	OrderStateChanged string `json:"order_state_changed"`
}

// OrderData decodes the data of an order or booking event.
func (e *Event) OrderData() (*OrderEventData, error) {
	var d OrderEventData
	if err := e.decodeData(&d, EventTypeOrder, EventTypeBooking); err != nil {
		return nil, err
	}
	return &d, nil
}

// OrderDeliveryEventData holds the ids of an order-delivery event. Its other fields (the delivery
// state and event type) are left in Event.Data.
type OrderDeliveryEventData struct {
	EshopID         int64 `json:"eshop_id"`
	OrderID         int64 `json:"order_id"`
	OrderDeliveryID int64 `json:"order_delivery_id"`
	WarehouseID     int64 `json:"warehouse_id"` // may differ from the order's warehouse
}

// OrderDeliveryData decodes the ids of an order-delivery event.
func (e *Event) OrderDeliveryData() (*OrderDeliveryEventData, error) {
	var d OrderDeliveryEventData
	if err := e.decodeData(&d, EventTypeOrderDelivery); err != nil {
		return nil, err
	}
	return &d, nil
}

func (e *Event) decodeData(v any, types ...EventType) error {
	ok := false
	for _, t := range types {
		ok = ok || e.Type == t
	}
	if !ok {
		return fmt.Errorf("%w: event %s has type %q", ErrInvalidEvents, e.ID, e.Type)
	}
	if err := json.Unmarshal(e.Data, v); err != nil {
		return fmt.Errorf("%w: data of event %s: %v", ErrInvalidEvents, e.ID, err)
	}
	return nil
}

// ParseEvents decodes an event delivery body: a JSON array of 1 to 10 events, each with an
// event_id. Anything else is an error wrapping ErrInvalidEvents or ErrTooManyEvents.
func ParseEvents(body []byte) ([]Event, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || body[0] != '[' {
		return nil, fmt.Errorf("%w: body is not a JSON array", ErrInvalidEvents)
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(body, &raw); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidEvents, err)
	}
	if len(raw) > MaxEventsPerDelivery {
		return nil, fmt.Errorf("%w: got %d", ErrTooManyEvents, len(raw))
	}
	if len(raw) == 0 {
		return nil, fmt.Errorf("%w: no events", ErrInvalidEvents)
	}
	events := make([]Event, len(raw))
	for i, r := range raw {
		if err := json.Unmarshal(r, &events[i]); err != nil {
			return nil, fmt.Errorf("%w: event %d: %v", ErrInvalidEvents, i, err)
		}
		if events[i].ID == "" {
			return nil, fmt.Errorf("%w: event %d has no event_id", ErrInvalidEvents, i)
		}
	}
	return events, nil
}

// EventAuth is the HTTP Basic credentials Sitoo sends with event deliveries. Use credentials of
// their own, never the Sitoo API credentials.
type EventAuth struct {
	Username string
	Password string
}

// ReadEvents checks and parses an event delivery: the Basic credentials when auth is non-nil
// (compared in constant time), the body size (at most maxBytes; 0 means
// DefaultMaxEventBodyBytes), then the body with ParseEvents.
func ReadEvents(r *http.Request, auth *EventAuth, maxBytes int64) ([]Event, error) {
	if auth != nil && !checkBasicAuth(r, auth) {
		return nil, ErrEventUnauthorized
	}
	if maxBytes <= 0 {
		maxBytes = DefaultMaxEventBodyBytes
	}
	if r.ContentLength > maxBytes {
		return nil, fmt.Errorf("%w: %d bytes (limit %d)", ErrEventBodyTooLarge, r.ContentLength, maxBytes)
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, maxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: read body: %v", ErrInvalidEvents, err)
	}
	if int64(len(body)) > maxBytes {
		return nil, fmt.Errorf("%w: limit %d bytes", ErrEventBodyTooLarge, maxBytes)
	}
	return ParseEvents(body)
}

func checkBasicAuth(r *http.Request, auth *EventAuth) bool {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return false
	}
	u := subtle.ConstantTimeCompare([]byte(user), []byte(auth.Username))
	p := subtle.ConstantTimeCompare([]byte(pass), []byte(auth.Password))
	return u&p == 1
}

// SeenStore remembers which event ids were processed, so a duplicate delivery is skipped. The
// handler calls Seen before the callback and MarkSeen after it succeeded. Implementations must be
// safe for concurrent use. When several processes share an endpoint, give them a shared store
// (and keep the callback idempotent: a crash between callback and MarkSeen replays the event).
type SeenStore interface {
	Seen(ctx context.Context, eventID string) (bool, error)
	MarkSeen(ctx context.Context, eventID string) error
}

// MemorySeenStore is an in-memory SeenStore holding at most a fixed number of ids, each for a fixed
// time; the oldest id is forgotten first. Sitoo retries for about 24 hours, so a TTL of a day or
// more covers its duplicates.
type MemorySeenStore struct {
	max int
	ttl time.Duration
	now func() time.Time

	mu    sync.Mutex
	seen  map[string]time.Time // id -> when marked
	order []string             // ids in the order first marked; order[head:] are live
	head  int
}

// Defaults of NewMemorySeenStore.
const (
	DefaultSeenStoreSize = 100_000
	DefaultSeenStoreTTL  = 48 * time.Hour
)

// NewMemorySeenStore returns a store of at most maxEntries ids kept for ttl each (0 selects
// DefaultSeenStoreSize and DefaultSeenStoreTTL).
func NewMemorySeenStore(maxEntries int, ttl time.Duration) *MemorySeenStore {
	if maxEntries <= 0 {
		maxEntries = DefaultSeenStoreSize
	}
	if ttl <= 0 {
		ttl = DefaultSeenStoreTTL
	}
	return &MemorySeenStore{max: maxEntries, ttl: ttl, now: time.Now, seen: make(map[string]time.Time)}
}

// Seen reports whether id was marked within the TTL.
func (m *MemorySeenStore) Seen(_ context.Context, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	at, ok := m.seen[id]
	return ok && m.now().Sub(at) < m.ttl, nil
}

// MarkSeen records id, forgetting expired ids and, beyond the size limit, the oldest.
func (m *MemorySeenStore) MarkSeen(_ context.Context, id string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	m.evict(now)
	if _, ok := m.seen[id]; !ok {
		m.order = append(m.order, id)
	}
	m.seen[id] = now
	return nil
}

// evict forgets ids from the oldest on while they are expired or the store is full.
func (m *MemorySeenStore) evict(now time.Time) {
	for m.head < len(m.order) {
		id := m.order[m.head]
		at, ok := m.seen[id]
		if ok && now.Sub(at) < m.ttl && len(m.seen) < m.max {
			break
		}
		delete(m.seen, id)
		m.order[m.head] = ""
		m.head++
	}
	if m.head > 0 && m.head >= len(m.order)/2 {
		m.order = append(m.order[:0], m.order[m.head:]...)
		m.head = 0
	}
}

// Len returns how many ids the store holds.
func (m *MemorySeenStore) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.seen)
}

// EventFunc processes one event. Return nil once the event is handled (or deliberately ignored);
// an error makes the handler answer 503, so Sitoo sends the delivery again later.
type EventFunc func(ctx context.Context, ev Event) error

// EventHandler is an http.Handler for Sitoo event deliveries. For each delivery it checks the
// Basic credentials (if configured), reads at most the size limit, parses the events and calls
// the callback for each event in order, skipping events already seen. It answers:
//
//   - 200 when every event was handled or already seen;
//   - 503 when a callback failed or timed out, or the seen-store failed: Sitoo retries, and the
//     events handled before the failure are skipped then;
//   - 401, 405, 413 or 400 for a delivery that can never succeed (Sitoo drops it).
//
// Sitoo waits 15 seconds at most, so the callbacks of one delivery get DefaultEventTimeout in all
// (see WithEventTimeout). Keep the callback fast: record the event (or enqueue work) and return;
// do slow work elsewhere.
type EventHandler struct {
	fn       EventFunc
	auth     *EventAuth
	seen     SeenStore
	maxBytes int64
	timeout  time.Duration
	logger   *slog.Logger

	mu       sync.Mutex
	inFlight map[string]bool
}

// EventOption configures an EventHandler.
type EventOption func(*EventHandler)

// WithEventAuth requires these Basic credentials on every delivery.
func WithEventAuth(username, password string) EventOption {
	return func(h *EventHandler) { h.auth = &EventAuth{Username: username, Password: password} }
}

// WithSeenStore sets the store of processed event ids (default: NewMemorySeenStore(0, 0)).
func WithSeenStore(s SeenStore) EventOption { return func(h *EventHandler) { h.seen = s } }

// WithMaxEventBodyBytes caps a delivery's body (default DefaultMaxEventBodyBytes).
func WithMaxEventBodyBytes(n int64) EventOption { return func(h *EventHandler) { h.maxBytes = n } }

// WithEventTimeout sets how long the callbacks of one delivery may run (default
// DefaultEventTimeout). Keep it under Sitoo's 15 seconds.
func WithEventTimeout(d time.Duration) EventOption { return func(h *EventHandler) { h.timeout = d } }

// WithEventLogger logs rejected deliveries and failed callbacks (default: discard).
func WithEventLogger(l *slog.Logger) EventOption { return func(h *EventHandler) { h.logger = l } }

// NewEventHandler returns a handler calling fn for each new event.
func NewEventHandler(fn EventFunc, opts ...EventOption) (*EventHandler, error) {
	if fn == nil {
		return nil, invalidArg("nil event callback")
	}
	h := &EventHandler{fn: fn, maxBytes: DefaultMaxEventBodyBytes, timeout: DefaultEventTimeout, inFlight: map[string]bool{}}
	for _, o := range opts {
		if o != nil {
			o(h)
		}
	}
	if h.seen == nil {
		h.seen = NewMemorySeenStore(0, 0)
	}
	if h.logger == nil {
		h.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if h.timeout <= 0 || h.maxBytes <= 0 {
		return nil, invalidArg("event timeout and body limit must be positive")
	}
	return h, nil
}

// ServeHTTP handles one delivery.
func (h *EventHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	events, err := ReadEvents(r, h.auth, h.maxBytes)
	if err != nil {
		status := http.StatusBadRequest
		switch {
		case errors.Is(err, ErrEventUnauthorized):
			status = http.StatusUnauthorized
			w.Header().Set("WWW-Authenticate", `Basic realm="sitoo-events"`)
		case errors.Is(err, ErrEventBodyTooLarge):
			status = http.StatusRequestEntityTooLarge
		}
		h.logger.LogAttrs(r.Context(), slog.LevelWarn, "sitoo event delivery rejected",
			slog.Int("status", status), slog.String("error", err.Error()))
		http.Error(w, http.StatusText(status), status)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.timeout)
	defer cancel()
	if err := h.process(ctx, events); err != nil {
		h.logger.LogAttrs(r.Context(), slog.LevelWarn, "sitoo event delivery failed; Sitoo will retry",
			slog.String("error", err.Error()))
		w.Header().Set("Retry-After", "60")
		http.Error(w, http.StatusText(http.StatusServiceUnavailable), http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// process handles the events in order and stops at the first failure.
func (h *EventHandler) process(ctx context.Context, events []Event) error {
	for _, ev := range events {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("event %s not processed: %w", ev.ID, err)
		}
		if !h.claim(ev.ID) {
			return fmt.Errorf("event %s is being processed by another delivery", ev.ID)
		}
		err := h.processOne(ctx, ev)
		h.release(ev.ID)
		if err != nil {
			return err
		}
	}
	return nil
}

func (h *EventHandler) processOne(ctx context.Context, ev Event) error {
	seen, err := h.seen.Seen(ctx, ev.ID)
	if err != nil {
		return fmt.Errorf("seen-store: %w", err)
	}
	if seen {
		return nil
	}
	if err := h.fn(ctx, ev); err != nil {
		return fmt.Errorf("event %s (%s): %w", ev.ID, ev.Type, err)
	}
	// The event is handled: record it even if the delivery's time ran out meanwhile.
	if err := h.seen.MarkSeen(context.WithoutCancel(ctx), ev.ID); err != nil {
		// The event was handled; a duplicate may be processed again, which the callback tolerates.
		h.logger.LogAttrs(ctx, slog.LevelWarn, "sitoo event handled but not marked seen",
			slog.String("event_id", ev.ID), slog.String("error", err.Error()))
	}
	return nil
}

// claim marks an event as being processed in this process, so that a duplicate delivered while
// the first is still running (Sitoo resends after 15 s) is answered 503 instead of run twice.
func (h *EventHandler) claim(id string) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.inFlight[id] {
		return false
	}
	h.inFlight[id] = true
	return true
}

func (h *EventHandler) release(id string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	delete(h.inFlight, id)
}
