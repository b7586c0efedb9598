package woocommercetest

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Delivery is one webhook request the store sent (or tried to send), as a test reads it from
// Server.Deliveries.
type Delivery struct {
	// ID is the X-WC-Webhook-Delivery-ID header; empty for a ping.
	ID string
	// WebhookID is the webhook that sent it.
	WebhookID int64
	// Ping is true for the unsigned "webhook_id=N" request sent when a webhook is created.
	Ping bool
	// Topic, Resource and Event describe the change ("order.updated", "order", "updated"); empty
	// for a ping.
	Topic, Resource, Event string
	// ResourceID is the id of the changed object (0 for a ping).
	ResourceID int64
	// URL is the delivery URL.
	URL string
	// Header holds the request headers sent, Body the exact body bytes (the signature covers them).
	Header http.Header
	Body   []byte
	// StatusCode is the receiver's HTTP status, 0 when the request failed.
	StatusCode int
	// Err describes a transport failure ("" when a response came back).
	Err string
	// Success is true for 200–302, which resets the webhook's failure count.
	Success bool
	// At is when the delivery was sent (server clock).
	At time.Time
}

// event is one change a webhook may be subscribed to.
type event struct {
	resource, event string
	id              int64
}

// events collects the changes of one request or helper call, each (resource, event, id) once.
type events struct {
	list []event
}

func (e *events) add(resource, ev string, id int64) {
	if e == nil {
		return
	}
	x := event{resource, ev, id}
	if !slices.Contains(e.list, x) {
		e.list = append(e.list, x)
	}
}

// job is one queued delivery.
type job struct {
	webhookID       int64
	resource, event string
	arg             int64
}

// jobsFor turns events into deliveries for the webhooks active now. Caller holds s.mu.
func (s *Server) jobsFor(ev *events) []job {
	if ev == nil || len(ev.list) == 0 {
		return nil
	}
	var jobs []job
	hooks := sortedValues(s.st.webhooks)
	for _, e := range ev.list {
		for _, w := range hooks {
			if w.status == "active" && w.topic == e.resource+"."+e.event {
				jobs = append(jobs, job{webhookID: w.id, resource: e.resource, event: e.event, arg: e.id})
			}
		}
	}
	return jobs
}

// dispatcher queues and sends webhook deliveries like Action Scheduler's async queue.
type dispatcher struct {
	s *Server

	mu       sync.Mutex
	queue    []job
	inflight int
	changed  chan struct{} // closed and replaced whenever the queue or in-flight count changes
	log      []Delivery
	seq      int64

	wake   chan struct{}
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed when the worker exits; nil without a worker
}

func newDispatcher(s *Server) *dispatcher {
	ctx, cancel := context.WithCancel(context.Background())
	d := &dispatcher{s: s, changed: make(chan struct{}), wake: make(chan struct{}, 1), ctx: ctx, cancel: cancel}
	if !s.cfg.manual {
		d.done = make(chan struct{})
		go d.worker()
	}
	return d
}

func (d *dispatcher) notifyLocked() {
	close(d.changed)
	d.changed = make(chan struct{})
}

// enqueue adds deliveries; with coalescing, a job whose webhook and resource already wait in the
// queue is dropped (as_next_scheduled_action finds the pending one).
func (d *dispatcher) enqueue(jobs []job) {
	if len(jobs) == 0 {
		return
	}
	d.mu.Lock()
	for _, j := range jobs {
		if d.s.cfg.coalesce && slices.ContainsFunc(d.queue, func(q job) bool { return q.webhookID == j.webhookID && q.arg == j.arg }) {
			continue
		}
		d.queue = append(d.queue, j)
	}
	d.notifyLocked()
	d.mu.Unlock()
	select {
	case d.wake <- struct{}{}:
	default:
	}
}

func (d *dispatcher) take() (job, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.queue) == 0 {
		return job{}, false
	}
	j := d.queue[0]
	d.queue = d.queue[1:]
	d.inflight++
	d.notifyLocked()
	return j, true
}

func (d *dispatcher) finished(rec *Delivery) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.inflight--
	if rec != nil {
		d.log = append(d.log, *rec)
	}
	d.notifyLocked()
}

func (d *dispatcher) record(rec Delivery) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.log = append(d.log, rec)
}

func (d *dispatcher) worker() {
	defer close(d.done)
	for {
		for {
			j, ok := d.take()
			if !ok {
				break
			}
			d.finished(d.s.deliver(d.ctx, j))
		}
		select {
		case <-d.ctx.Done():
			return
		case <-d.wake:
		}
	}
}

// flush delivers the queue in the caller's goroutine with WithManualDeliveries; otherwise it wakes
// the worker and waits, so deliveries keep their order.
func (d *dispatcher) flush(ctx context.Context) error {
	for {
		if d.ctx.Err() != nil {
			return errClosed
		}
		if d.done == nil {
			if j, ok := d.take(); ok {
				d.finished(d.s.deliver(d.ctx, j))
				continue
			}
		} else {
			select {
			case d.wake <- struct{}{}:
			default:
			}
		}
		d.mu.Lock()
		idle := d.inflight == 0 && len(d.queue) == 0
		ch := d.changed
		d.mu.Unlock()
		if idle {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-d.ctx.Done():
			return errClosed
		case <-ch:
		}
	}
}

// errClosed is returned by FlushWebhooks after Close: queued deliveries are dropped.
var errClosed = errors.New("woocommercetest: server closed")

func (d *dispatcher) close() {
	d.cancel()
	if d.done != nil {
		<-d.done
	}
}

// deliveryID is wp_hash(id . time) with a sequence number, so every delivery has a new one.
func (d *dispatcher) deliveryID(webhookID int64, now time.Time) string {
	d.mu.Lock()
	d.seq++
	n := d.seq
	d.mu.Unlock()
	sum := md5.Sum(fmt.Appendf(nil, "%d%d/%d", webhookID, now.Unix(), n))
	return hex.EncodeToString(sum[:])
}

// Deliveries returns every webhook delivery and ping sent so far, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	out := make([]Delivery, len(s.hooks.log))
	for i, d := range s.hooks.log {
		d.Header = d.Header.Clone()
		d.Body = bytes.Clone(d.Body)
		out[i] = d
	}
	return out
}

// PendingDeliveries returns how many deliveries are queued and not yet sent.
func (s *Server) PendingDeliveries() int {
	s.hooks.mu.Lock()
	defer s.hooks.mu.Unlock()
	return len(s.hooks.queue)
}

// The versions the fake reports (a WooCommerce 10 store on WordPress 6.8).
const (
	wcVersion = "10.0.2"
	wpVersion = "6.8.8"
)

// hookUserAgent is WooCommerce's User-Agent for deliveries and pings alike.
const hookUserAgent = "WooCommerce/" + wcVersion + " Hookshot (WordPress/" + wpVersion + ")"

// deliver sends one delivery like WC_Webhook::deliver and updates the webhook's failure count.
func (s *Server) deliver(ctx context.Context, j job) *Delivery {
	s.mu.Lock()
	w := s.st.webhooks[j.webhookID]
	if w == nil {
		s.mu.Unlock()
		return nil
	}
	var payload any = map[string]int64{"id": j.arg}
	if j.event != "deleted" {
		payload = s.payload(j.resource, j.arg, s.cfg.tls)
	}
	body := phpJSON(payload)
	secret := wpSpecialcharsDecode(w.secret)
	url, topic := w.deliveryURL, w.topic
	now := s.now()
	s.mu.Unlock()

	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	rec := &Delivery{
		ID: s.hooks.deliveryID(j.webhookID, now), WebhookID: j.webhookID, Topic: topic, Resource: j.resource,
		Event: j.event, ResourceID: j.arg, URL: url, Body: body, At: now,
	}
	h := http.Header{}
	h["Content-Type"] = []string{"application/json"}
	h["User-Agent"] = []string{hookUserAgent}
	h["X-WC-Webhook-Source"] = []string{s.HomeURL() + "/"}
	h["X-WC-Webhook-Topic"] = []string{topic}
	h["X-WC-Webhook-Resource"] = []string{j.resource}
	h["X-WC-Webhook-Event"] = []string{j.event}
	h["X-WC-Webhook-Signature"] = []string{base64.StdEncoding.EncodeToString(mac.Sum(nil))}
	h["X-WC-Webhook-ID"] = []string{strconv.FormatInt(j.webhookID, 10)}
	h["X-WC-Webhook-Delivery-ID"] = []string{rec.ID}
	rec.Header = h
	s.post(ctx, url, h, body, rec)

	s.mu.Lock()
	if w := s.st.webhooks[j.webhookID]; w != nil {
		if rec.Success {
			w.failureCount = 0
		} else if w.failureCount > maxDeliveryFailures {
			w.status = "disabled"
		} else {
			w.failureCount++
		}
	}
	s.mu.Unlock()
	return rec
}

// maxDeliveryFailures is woocommerce_max_webhook_delivery_failures' default. A webhook is disabled
// when a delivery fails while the count already exceeds it: the 7th consecutive failure.
const maxDeliveryFailures = 5

// ping sends deliver_ping's unsigned form post, with the deliveries' User-Agent, and logs it; only
// a 200 clears pending_delivery.
func (s *Server) ping(ctx context.Context, webhookID int64, url string) {
	body := []byte("webhook_id=" + strconv.FormatInt(webhookID, 10))
	h := http.Header{}
	h["Content-Type"] = []string{"application/x-www-form-urlencoded; charset=UTF-8"}
	h["User-Agent"] = []string{hookUserAgent}
	rec := &Delivery{WebhookID: webhookID, Ping: true, URL: url, Header: h, Body: body, At: s.now()}
	s.post(ctx, url, h, body, rec)
	s.mu.Lock()
	if w := s.st.webhooks[webhookID]; w != nil && rec.StatusCode == http.StatusOK {
		w.pendingDelivery = false
	}
	s.mu.Unlock()
	s.hooks.record(*rec)
}

// post sends body and fills in the outcome: 200–302 is success.
func (s *Server) post(ctx context.Context, url string, h http.Header, body []byte, rec *Delivery) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		rec.Err = err.Error()
		return
	}
	req.Header = h.Clone()
	resp, err := s.cfg.hookClient.Do(req)
	if err != nil {
		rec.Err = err.Error()
		return
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<20))
	_ = resp.Body.Close()
	rec.StatusCode = resp.StatusCode
	rec.Success = resp.StatusCode >= 200 && resp.StatusCode < 303
}

// wpSpecialcharsDecode is wp_specialchars_decode($s, ENT_QUOTES), which WooCommerce applies to the
// secret before signing.
func wpSpecialcharsDecode(s string) string {
	if !strings.Contains(s, "&") {
		return s
	}
	return strings.NewReplacer(
		"&#039;", "'", "&#x27;", "'", "&quot;", `"`, "&#034;", `"`, "&#x22;", `"`,
		"&lt;", "<", "&#060;", "<", "&gt;", ">", "&#062;", ">", "&amp;", "&", "&#038;", "&", "&#x26;", "&",
	).Replace(s)
}

// payload is the body of a delivery: the resource as GET /wc/v3/{resource}s/{id} returns it now,
// or the REST error that GET would give.
func (s *Server) payload(resource string, id int64, tls bool) any {
	c := &call{s: s, tls: tls, query: newPHPArray(), body: map[string]json.RawMessage{}, header: http.Header{}}
	var body any
	var err *wpError
	switch resource {
	case "order":
		c.route, c.ids = "orders/#", []int64{id}
		_, body, err = s.getOrder(c)
	case "product":
		c.route, c.ids = "products/#", []int64{id}
		_, body, err = s.getProduct(c)
	case "coupon":
		c.route, c.ids = "coupons/#", []int64{id}
		_, body, err = s.getCoupon(c)
	case "customer":
		c.route, c.ids = "customers/#", []int64{id}
		_, body, err = s.getCustomer(c)
	}
	if err != nil {
		return err
	}
	return body
}
