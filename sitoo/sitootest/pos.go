package sitootest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/sitoo"
)

// POS simulates a Sitoo POS register and the Sitoo platform around it, as the CRM SPI v2 and
// Events SPI sheets document them: it calls a CRM (Search Customer, Add Customer, Get, Redeem
// Items, Undo Redeem) with Basic auth and the optional Store-ID, Staff-ID and Register-ID
// headers (URL-encoded); it records closed, paid receipts in the fake account with the crm-*
// additional data, refunds as separate orders with creditorderid and
// pos-originalsales-orderid, and cancellations; and it delivers the order events to an Events
// endpoint in chronological batches of at most 10, with Sitoo's retry rules.
//
// Simplified: time is counted in delivery attempts, not hours. A batch answered 429, 503, 504
// or another 5xx, or not answered, is retried (head-of-line: later events wait) up to
// MaxEventAttempts times and then dropped, as Sitoo drops events after about 24 hours (10
// retries in the first hour, then hourly: 34 attempts); 200 and other 4xx remove it (4xx events
// are lost). Duplicate and DropNext inject the duplicates and losses the sheet warns about;
// Hold delays events (they are delivered after the ones behind them, as a late event looks).
// The CRM paths other than Search Customer are not documented by Sitoo; the POS uses those a
// CRM tells it (CRMPaths).
type POS struct {
	srv    *Server
	client *sitoo.Client
	http   *http.Client

	// CRMURL and EventsURL are the endpoints configured in "Backoffice"; the credential pairs
	// are those Sitoo sends.
	CRMURL, CRMUser, CRMPassword          string
	EventsURL, EventsUser, EventsPassword string
	// StoreID, StaffID and RegisterID are sent as headers and written on receipts.
	StoreID, StaffID, RegisterID string
	// Site is the site (eshop) receipts are recorded on (default 1); Currency their currency.
	Site     int64
	Currency string
	// CRMPaths maps the CRM operations to paths below CRMURL ("{id}" is the customer id).
	CRMPaths map[string]string

	mu        sync.Mutex
	queue     []sitoo.Event
	held      []sitoo.Event
	attempts  int // of the batch at the head of the queue
	nextEvent int
	dupNext   int
	dropNext  int
	stats     POSStats
}

// MaxEventAttempts is how many times Sitoo sends a batch before dropping it (10 in the first
// hour, then one per hour for 23 hours, plus the first).
const MaxEventAttempts = 34

// POSStats counts what the POS delivered.
type POSStats struct {
	// Requests counts event POSTs; Delivered events acknowledged with 200; Retried batch
	// re-sends; Dropped events given up (after MaxEventAttempts, a 4xx or DropNext).
	Requests, Delivered, Retried, Dropped int
}

// NewPOS returns a POS recording receipts in s.
func NewPOS(s *Server) (*POS, error) {
	cl, err := s.NewClient()
	if err != nil {
		return nil, err
	}
	return &POS{srv: s, client: cl, http: &http.Client{}, Site: 1, Currency: "EUR",
		StoreID: "STORE-7", StaffID: "emp-0193", RegisterID: "{8A1F-REG-1}",
		CRMPaths: map[string]string{"get": "/customers/{id}", "redeem": "/customers/{id}/redeem",
			"undo": "/customers/{id}/undo-redeem"}}, nil
}

// CRMCall sends one CRM request and decodes the answer into out (when 2xx and out is not
// nil); it returns the HTTP status.
func (p *POS) CRMCall(ctx context.Context, method, path string, body, out any) (int, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return 0, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.CRMURL+path, rd)
	if err != nil {
		return 0, err
	}
	req.SetBasicAuth(p.CRMUser, p.CRMPassword)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Store-ID", url.QueryEscape(p.StoreID))
	req.Header.Set("Staff-ID", url.QueryEscape(p.StaffID))
	req.Header.Set("Register-ID", url.QueryEscape(p.RegisterID))
	resp, err := p.http.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return resp.StatusCode, err
	}
	if out != nil && resp.StatusCode/100 == 2 {
		if err := json.Unmarshal(b, out); err != nil {
			return resp.StatusCode, fmt.Errorf("sitootest: POS: decode %s %s: %w", method, path, err)
		}
	}
	return resp.StatusCode, nil
}

// SearchCustomer calls Search Customer (GET /customers?key_type=&key=) and returns the raw
// customers.
func (p *POS) SearchCustomer(ctx context.Context, keyType, key string) ([]map[string]any, int, error) {
	var out []map[string]any
	st, err := p.CRMCall(ctx, http.MethodGet, "/customers?"+url.Values{"key_type": {keyType}, "key": {key}}.Encode(), nil, &out)
	return out, st, err
}

// AddCustomer calls Add Customer (POST /customers) with the given fields.
func (p *POS) AddCustomer(ctx context.Context, fields map[string]any) (map[string]any, int, error) {
	var out map[string]any
	st, err := p.CRMCall(ctx, http.MethodPost, "/customers", fields, &out)
	return out, st, err
}

func (p *POS) customerPath(op, customerID string) string {
	return string(bytes.ReplaceAll([]byte(p.CRMPaths[op]), []byte("{id}"), []byte(url.PathEscape(customerID))))
}

// GetCustomer calls Get Customer.
func (p *POS) GetCustomer(ctx context.Context, customerID string) (map[string]any, int, error) {
	var out map[string]any
	st, err := p.CRMCall(ctx, http.MethodGet, p.customerPath("get", customerID), nil, &out)
	return out, st, err
}

// RedeemBonusCheck calls Redeem Items for one bonus check; UndoRedeem calls Undo Redeem.
func (p *POS) RedeemBonusCheck(ctx context.Context, customerID, checkID string) (int, error) {
	return p.CRMCall(ctx, http.MethodPost, p.customerPath("redeem", customerID),
		map[string]any{"items": []map[string]string{{"type": "bonus_check", "id": checkID}}}, nil)
}

// UndoRedeem calls Undo Redeem for one bonus check.
func (p *POS) UndoRedeem(ctx context.Context, customerID, checkID string) (int, error) {
	return p.CRMCall(ctx, http.MethodPost, p.customerPath("undo", customerID),
		map[string]any{"items": []map[string]string{{"type": "bonus_check", "id": checkID}}}, nil)
}

// Row is one receipt row: Price is the row's gross total.
type Row struct {
	Name     string
	Price    string
	Quantity int64
	// GiftCard marks a row that sold a gift card (giftcard-cardnumber).
	GiftCard bool
	// BonusCheckID marks a row paid with a bonus check (crm-bonuscheckid).
	BonusCheckID string
}

// Customer names the customer of a receipt as the POS has it after Search/Add Customer.
type Customer struct {
	CustomerID, MemberNumber, Email string
}

// Sale records a closed, paid receipt (ordertype Order) for the customer and queues its
// order event (add, closed). It returns the order id.
func (p *POS) Sale(ctx context.Context, cu Customer, rows ...Row) (int64, error) {
	return p.record(ctx, cu, sitoo.OrderTypeOrder, sitoo.OrderStateClosed, sitoo.PaymentStateSuccessful, nil, rows, nil)
}

// Park records a parked receipt (ordertype POSParked, open): it never earns.
func (p *POS) Park(ctx context.Context, cu Customer, rows ...Row) (int64, error) {
	return p.record(ctx, cu, sitoo.OrderTypePOSParked, sitoo.OrderStateOpen, sitoo.PaymentStateNone, nil, rows, nil)
}

// Record records a receipt of any type and states for the customer (a booking, a closed but
// unpaid receipt, an open one) and queues its order event (add; closed when state is
// Closed). It returns the order id.
func (p *POS) Record(ctx context.Context, cu Customer, typ sitoo.OrderType, state sitoo.OrderState, pay sitoo.PaymentState,
	rows ...Row) (int64, error) {
	return p.record(ctx, cu, typ, state, pay, nil, rows, nil)
}

// Refund records a refund of a sale as its own closed order: the rows are returned (given
// with positive prices; the order carries them negative), creditorderid and
// pos-originalsales-orderid point to the sale, and reason codes are set. It queues its event.
func (p *POS) Refund(ctx context.Context, saleID int64, cu Customer, reason string, rows ...Row) (int64, error) {
	neg := make([]Row, len(rows))
	for i, r := range rows {
		d, err := decimal.NewFromString(r.Price)
		if err != nil {
			return 0, err
		}
		r.Price, r.Quantity = d.Neg().StringFixed(2), -max(r.Quantity, 1)
		neg[i] = r
	}
	extra := map[string]string{"pos-originalsales-orderid": strconv.FormatInt(saleID, 10),
		sitoo.AdditionalDataRefundReasonCode: reason, sitoo.AdditionalDataRefundReasonComment: "returned at the counter"}
	return p.record(ctx, cu, sitoo.OrderTypeOrder, sitoo.OrderStateClosed, sitoo.PaymentStateSuccessful, &saleID, neg, extra)
}

// Cancel cancels an order (orderstate Cancelled) and queues its event (update, cancelled).
func (p *POS) Cancel(ctx context.Context, orderID int64) error {
	state := sitoo.OrderStateCancelled
	if _, err := p.client.Site(p.Site).Orders.Update(ctx, orderID, &sitoo.OrderRequest{OrderStateID: &state}); err != nil {
		return err
	}
	p.queueEvent(orderID, "update", "cancelled")
	return nil
}

func (p *POS) record(ctx context.Context, cu Customer, typ sitoo.OrderType, state sitoo.OrderState, pay sitoo.PaymentState,
	credit *int64, rows []Row, extra map[string]string) (int64, error) {
	ad := map[string]string{sitoo.AdditionalDataStoreExternalID: p.StoreID, "pos-staff-externalid": p.StaffID,
		"store-name": "Store " + p.StoreID}
	if cu.CustomerID != "" {
		ad[sitoo.AdditionalDataCRMCustomerID] = cu.CustomerID
	}
	if cu.MemberNumber != "" {
		ad[sitoo.AdditionalDataCRMMemberNumber] = cu.MemberNumber
	}
	for k, v := range extra {
		ad[k] = v
	}
	req := &sitoo.OrderRequest{OrderTypeID: &typ, OrderStateID: &state, PaymentStateID: &pay, CreditOrderID: credit,
		CurrencyCode: &p.Currency, AdditionalData: ad}
	if cu.Email != "" {
		req.Email = &cu.Email
	}
	for _, r := range rows {
		price, err := sitoo.NewMoney(r.Price)
		if err != nil {
			return 0, err
		}
		it := sitoo.OrderItemRequest{ProductName: r.Name, Quantity: max(r.Quantity, 1), MoneyRowPrice: &price}
		if r.Quantity < 0 {
			it.Quantity = r.Quantity
		}
		if r.GiftCard || r.BonusCheckID != "" {
			it.AdditionalData = map[string]string{}
			if r.GiftCard {
				it.AdditionalData["giftcard-cardnumber"] = "GC-" + r.Name
			}
			if r.BonusCheckID != "" {
				it.AdditionalData["crm-bonuscheckid"] = r.BonusCheckID
			}
		}
		req.OrderItems = append(req.OrderItems, it)
	}
	id, _, err := p.client.Site(p.Site).Orders.Create(ctx, req)
	if err != nil {
		return 0, err
	}
	p.srv.mu.Lock()
	if o, ok := p.srv.st.orders.get(id); ok {
		o.RegisterID, o.UserIDStaff = p.RegisterID, p.StaffID
		o.AdditionalData[sitoo.AdditionalDataPOSReceiptID] = fmt.Sprintf("SII%018d", id)
	}
	p.srv.mu.Unlock()
	changed := ""
	if state == sitoo.OrderStateClosed {
		changed = "closed"
	}
	p.queueEvent(id, "add", changed)
	return id, nil
}

func (p *POS) queueEvent(orderID int64, typ, changed string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.nextEvent++
	data, _ := json.Marshal(sitoo.OrderEventData{EshopID: p.Site, OrderID: orderID, OrderEventType: typ, OrderStateChanged: changed})
	acct, _ := strconv.ParseInt(p.srv.AccountID, 10, 64)
	p.queue = append(p.queue, sitoo.Event{ID: fmt.Sprintf("%032x", p.nextEvent), Type: sitoo.EventTypeOrder,
		Date: sitoo.NewUnixTime(p.srv.now()), AccountID: acct, Data: data})
}

// Duplicate makes the next n queued events be sent twice (the copy in the next batch).
func (p *POS) Duplicate(n int) { p.mu.Lock(); p.dupNext += n; p.mu.Unlock() }

// DropNext makes Sitoo lose the next n events without sending them (as after its retry
// window): only a reconciliation poll can find their orders.
func (p *POS) DropNext(n int) { p.mu.Lock(); p.dropNext += n; p.mu.Unlock() }

// Hold takes the queued events out of the queue; Release puts them back behind the events
// queued since, so they arrive late and out of order.
func (p *POS) Hold() { p.mu.Lock(); p.held, p.queue = append(p.held, p.queue...), nil; p.mu.Unlock() }

// Release queues the held events after the current ones.
func (p *POS) Release() {
	p.mu.Lock()
	p.queue, p.held = append(p.queue, p.held...), nil
	p.mu.Unlock()
}

// Pending returns the number of queued events.
func (p *POS) Pending() int { p.mu.Lock(); defer p.mu.Unlock(); return len(p.queue) }

// Stats returns the delivery counts.
func (p *POS) Stats() POSStats { p.mu.Lock(); defer p.mu.Unlock(); return p.stats }

// DeliverOnce sends the batch at the head of the queue (at most 10 events, chronological) and
// applies Sitoo's rules to the answer. It returns the HTTP status (0 when no answer).
func (p *POS) DeliverOnce(ctx context.Context) (int, error) {
	p.mu.Lock()
	for p.dropNext > 0 && len(p.queue) > 0 {
		p.queue, p.dropNext = p.queue[1:], p.dropNext-1
		p.stats.Dropped++
	}
	n := min(len(p.queue), 10)
	batch := append([]sitoo.Event(nil), p.queue[:n]...)
	if p.attempts == 0 && p.dupNext > 0 {
		// The duplicates of this batch's first events ride in the next batch.
		d := min(p.dupNext, n)
		p.dupNext -= d
		p.queue = append(append(append([]sitoo.Event(nil), p.queue[:n]...), batch[:d]...), p.queue[n:]...)
	}
	p.mu.Unlock()
	if n == 0 {
		return 0, nil
	}
	body, err := json.Marshal(batch)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, p.EventsURL, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.SetBasicAuth(p.EventsUser, p.EventsPassword)
	req.Header.Set("Content-Type", "application/json")
	status := 0
	resp, err := p.http.Do(req)
	if err == nil {
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		status = resp.StatusCode
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stats.Requests++
	p.attempts++
	switch {
	case status == http.StatusOK:
		p.stats.Delivered += n
	case status >= 400 && status < 500 && status != http.StatusTooManyRequests:
		p.stats.Dropped += n
	case p.attempts >= MaxEventAttempts:
		p.stats.Dropped += n
	default:
		p.stats.Retried++
		return status, nil
	}
	p.queue, p.attempts = p.queue[n:], 0
	return status, nil
}

// Deliver sends batches until the queue is empty or a batch is waiting for a retry.
func (p *POS) Deliver(ctx context.Context) error {
	for p.Pending() > 0 {
		st, err := p.DeliverOnce(ctx)
		if err != nil {
			return err
		}
		p.mu.Lock()
		waiting := p.attempts > 0
		p.mu.Unlock()
		if waiting {
			return fmt.Errorf("sitootest: POS: event batch answered %d, Sitoo will retry", st)
		}
	}
	return nil
}
