package sitoo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
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

// MaxEventTimeout is how long Sitoo waits for the answer to a delivery; WithEventTimeout must be
// shorter.
const MaxEventTimeout = 15 * time.Second

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
// their own, never the Sitoo API credentials. Both fields are required.
type EventAuth struct {
	Username string
	Password string
}

// validate refuses missing or unusable credentials.
func (a *EventAuth) validate() error {
	switch {
	case a == nil || a.Username == "" || a.Password == "":
		return invalidArg("event credentials need a username and a password")
	case strings.Contains(a.Username, ":"):
		return invalidArg("an HTTP Basic username cannot contain ':'")
	}
	return nil
}

// ReadEvents checks and parses an event delivery: the Basic credentials (compared in constant
// time), the body size (at most maxBytes; 0 means DefaultMaxEventBodyBytes), then the body with
// ParseEvents. auth is required: nil or empty credentials are refused with ErrInvalidArgument
// before anything is read. A caller that authenticates deliveries in some other way reads the body
// itself and calls ParseEvents.
func ReadEvents(r *http.Request, auth *EventAuth, maxBytes int64) ([]Event, error) {
	if err := auth.validate(); err != nil {
		return nil, wrapErr("read events", err)
	}
	return readEvents(r, auth, maxBytes)
}

// readEvents is ReadEvents where a nil auth skips the credential check (WithInsecureNoEventAuth).
func readEvents(r *http.Request, auth *EventAuth, maxBytes int64) ([]Event, error) {
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

// checkBasicAuth compares the request's Basic credentials with auth in constant time. Both sides
// are hashed first, so neither the content nor the length of the expected values leaks through
// timing.
func checkBasicAuth(r *http.Request, auth *EventAuth) bool {
	user, pass, ok := r.BasicAuth()
	if !ok {
		return false
	}
	u := constantTimeEqual(user, auth.Username)
	p := constantTimeEqual(pass, auth.Password)
	return u&p == 1
}

func constantTimeEqual(got, want string) int {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:])
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
//
// Its memory is bounded by the number of ids: about 115 bytes per 32-character event id
// (measured), so some 12 MB at DefaultSeenStoreSize. It forgets everything on restart and is not shared between
// processes; give the handler a SeenStore of your own (WithSeenStore) for either.
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
// DefaultSeenStoreSize and DefaultSeenStoreTTL). now is the clock the TTL is measured on; nil
// means time.Now.
func NewMemorySeenStore(maxEntries int, ttl time.Duration, now func() time.Time) *MemorySeenStore {
	if maxEntries <= 0 {
		maxEntries = DefaultSeenStoreSize
	}
	if ttl <= 0 {
		ttl = DefaultSeenStoreTTL
	}
	if now == nil {
		now = time.Now
	}
	return &MemorySeenStore{max: maxEntries, ttl: ttl, now: now, seen: make(map[string]time.Time)}
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
// Basic credentials, reads at most the size limit, parses the events and calls the callback for
// each event in order, skipping events already seen. It answers:
//
//   - 200 when every event was handled or already seen;
//   - 503 when a callback failed or timed out, or the seen-store failed: Sitoo retries, and the
//     events handled before the failure are skipped then;
//   - 401, 405, 413 or 400 for a delivery that can never succeed (Sitoo drops it).
//
// Sitoo waits 15 seconds at most, so the callbacks of one delivery get DefaultEventTimeout in all
// (see WithEventTimeout). Keep the callback fast: record the event (or enqueue work) and return;
// do slow work elsewhere.
//
// Sitoo Events SPI docs: https://developer.sitoo.com/spi-events/overview
type EventHandler struct {
	fn       EventFunc
	auth     *EventAuth // nil only with WithInsecureNoEventAuth
	seen     SeenStore
	maxBytes int64
	timeout  time.Duration
	logger   *slog.Logger

	mu       sync.Mutex
	inFlight map[string]bool
}

// EventOption configures an EventHandler. An option given a value it cannot use makes
// NewEventHandler fail with ErrInvalidArgument.
type EventOption func(*eventOptions) error

type eventOptions struct {
	auth     *EventAuth
	insecure bool
	seen     SeenStore
	maxBytes int64
	timeout  time.Duration
	logger   *slog.Logger
	now      func() time.Time
}

// WithEventAuth requires these Basic credentials on every delivery (compared in constant time).
// Both must be non-empty. Configure the same pair for the event subscription in Sitoo.
func WithEventAuth(username, password string) EventOption {
	return func(o *eventOptions) error {
		a := &EventAuth{Username: username, Password: password}
		if err := a.validate(); err != nil {
			return err
		}
		o.auth = a
		return nil
	}
}

// WithInsecureNoEventAuth makes the handler accept deliveries without credentials. It is meant
// for tests and local experiments only: anyone who can reach the endpoint can then post events.
// NewEventHandler refuses to build a handler with neither this nor WithEventAuth.
func WithInsecureNoEventAuth() EventOption {
	return func(o *eventOptions) error {
		o.insecure = true
		return nil
	}
}

// WithSeenStore sets the store of processed event ids (default: a MemorySeenStore with the
// default bounds).
func WithSeenStore(s SeenStore) EventOption {
	return func(o *eventOptions) error {
		if s == nil {
			return invalidArg("nil SeenStore")
		}
		o.seen = s
		return nil
	}
}

// WithMaxEventBodyBytes caps a delivery's body (default DefaultMaxEventBodyBytes); n must be
// positive.
func WithMaxEventBodyBytes(n int64) EventOption {
	return func(o *eventOptions) error {
		if n <= 0 {
			return invalidArg("event body limit must be positive, got %d", n)
		}
		o.maxBytes = n
		return nil
	}
}

// WithEventTimeout sets how long the callbacks of one delivery may run (default
// DefaultEventTimeout). It must be positive and shorter than MaxEventTimeout, Sitoo's 15 seconds.
func WithEventTimeout(d time.Duration) EventOption {
	return func(o *eventOptions) error {
		if d <= 0 || d >= MaxEventTimeout {
			return invalidArg("event timeout must be between 0 and %s, got %s", MaxEventTimeout, d)
		}
		o.timeout = d
		return nil
	}
}

// WithEventLogger logs rejected deliveries and failed callbacks (default: discard).
func WithEventLogger(l *slog.Logger) EventOption {
	return func(o *eventOptions) error {
		if l == nil {
			return invalidArg("nil *slog.Logger; use a discarding handler instead")
		}
		o.logger = l
		return nil
	}
}

// WithEventClock sets the clock of the default seen-store, on which processed event ids expire
// (default time.Now). A store given with WithSeenStore keeps its own clock.
func WithEventClock(now func() time.Time) EventOption {
	return func(o *eventOptions) error {
		if now == nil {
			return invalidArg("nil clock")
		}
		o.now = now
		return nil
	}
}

// NewEventHandler returns a handler calling fn for each new event. It requires credentials
// (WithEventAuth) unless WithInsecureNoEventAuth says otherwise; nil options are ignored.
func NewEventHandler(fn EventFunc, opts ...EventOption) (*EventHandler, error) {
	if fn == nil {
		return nil, wrapErr("new event handler", invalidArg("nil event callback"))
	}
	o := eventOptions{maxBytes: DefaultMaxEventBodyBytes, timeout: DefaultEventTimeout}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(&o); err != nil {
			return nil, wrapErr("new event handler", err)
		}
	}
	switch {
	case o.auth == nil && !o.insecure:
		return nil, wrapErr("new event handler", invalidArg("credentials required: use WithEventAuth (WithInsecureNoEventAuth only in tests)"))
	case o.auth != nil && o.insecure:
		return nil, wrapErr("new event handler", invalidArg("WithEventAuth and WithInsecureNoEventAuth contradict each other"))
	}
	if o.seen == nil {
		o.seen = NewMemorySeenStore(0, 0, o.now)
	}
	if o.logger == nil {
		o.logger = slog.New(slog.DiscardHandler)
	}
	return &EventHandler{fn: fn, auth: o.auth, seen: o.seen, maxBytes: o.maxBytes, timeout: o.timeout, logger: o.logger,
		inFlight: map[string]bool{}}, nil
}

// ServeHTTP handles one delivery.
func (h *EventHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	events, err := readEvents(r, h.auth, h.maxBytes)
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
