package sitooconnect

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/sitoo"
)

// receiveEvent is the Events SPI callback: it persists an order event and returns, so the
// delivery is answered 200 fast; a failure to persist is answered 503 by the sitoo handler, so
// Sitoo retries. Other event types are acknowledged and dropped.
func (c *Connector) receiveEvent(ctx context.Context, connID string, ev sitoo.Event) error {
	rec, err := c.conns.Connection(ctx, connID)
	if err != nil {
		return err
	}
	if err := c.conns.RecordEvent(ctx, connID, c.now().Truncate(1e9)); err != nil {
		return err
	}
	if ev.Type != sitoo.EventTypeOrder {
		return nil
	}
	d, err := ev.OrderData()
	if err != nil || d.OrderID <= 0 {
		c.log.WarnContext(ctx, "sitooconnect: unreadable order event dropped", "connection", connID, "event", ev.ID, "err", err)
		return nil
	}
	if rec.Paused {
		c.log.InfoContext(ctx, "sitooconnect: order event dropped while paused", "connection", connID, "order", d.OrderID)
		return nil
	}
	return c.conns.EnqueueOrder(ctx, PendingOrder{ConnectionID: connID, EventID: ev.ID, EshopID: d.EshopID,
		OrderID: d.OrderID, StateChanged: d.OrderStateChanged, ReceivedAt: c.now()})
}

// MaxPendingAttempts is how many times ProcessPending tries one order event before it records
// a failed receipt and drops it.
const MaxPendingAttempts = 20

// ProcessReport says what ProcessPending or Reconcile did.
type ProcessReport struct {
	// Applied counts orders handed to the engine (whatever the outcome); Failed those left for
	// a retry, with the last error.
	Applied, Failed int
	LastError       error
}

// ProcessPending applies the connection's persisted order events, oldest first: it reads each
// order over REST and applies it exactly once per order id. An order that cannot be read or
// applied (Sitoo or the store unavailable) stays queued for the next call. Run it right after
// deliveries and on a schedule.
func (c *Connector) ProcessPending(ctx context.Context, connectionID string) (ProcessReport, error) {
	var rep ProcessReport
	rec, err := c.conns.Connection(ctx, connectionID)
	if err != nil {
		return rep, err
	}
	o, err := c.open(rec)
	if err != nil {
		return rep, err
	}
	ps, err := c.conns.PendingOrders(ctx, rec.ID, 1000)
	if err != nil {
		return rep, err
	}
	for _, p := range ps {
		if err := c.applyOrderID(ctx, rec, o.client, p.EshopID, p.OrderID); err != nil {
			rep.Failed++
			rep.LastError = err
			p.Attempts++
			p.LastError = err.Error()
			if p.Attempts >= MaxPendingAttempts {
				// Given up: a failed receipt says so, and the poll has already moved past it or
				// will try the order once more.
				if err := c.eng.RecordDeliveryFailure(ctx, rec.ProgramID, loyalty.DeliveryFailure{
					Store: storeKey(rec.AccountID), OrderID: strconv.FormatInt(p.OrderID, 10), Status: "sitoo order event",
					Reason: fmt.Sprintf("given up after %d attempts: %s", p.Attempts, p.LastError)}); err != nil {
					return rep, err
				}
				if err := c.conns.DeletePending(ctx, rec.ID, p.EventID); err != nil {
					return rep, err
				}
				continue
			}
			if err := c.conns.UpdatePending(ctx, p); err != nil {
				return rep, err
			}
			continue
		}
		rep.Applied++
		if err := c.conns.DeletePending(ctx, rec.ID, p.EventID); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// Reconcile polls the account's orders above the watermark, oldest first, and applies each,
// catching the events Sitoo dropped (after its 24-hour retry window, or on codes it does not
// retry). Applying is idempotent per order id, so running it again, or alongside events, is
// harmless. It stops at the first order it cannot apply and keeps the watermark below it.
func (c *Connector) Reconcile(ctx context.Context, connectionID string) (ProcessReport, error) {
	var rep ProcessReport
	rec, err := c.conns.Connection(ctx, connectionID)
	if err != nil {
		return rep, err
	}
	if rec.Paused {
		return rep, fmt.Errorf("%w: account %d", ErrPaused, rec.AccountID)
	}
	o, err := c.open(rec)
	if err != nil {
		return rep, err
	}
	opts := &sitoo.OrderListOptions{ListOptions: sitoo.ListOptions{Sort: "orderid"}, OrderIDFrom: rec.Watermark + 1}
	for ord, err := range o.client.Orders.All(ctx, opts) {
		if err != nil {
			return rep, fmt.Errorf("sitooconnect: reconcile: %w", err)
		}
		if err := c.applyOrderID(ctx, rec, o.client, ord.EshopID, ord.OrderID); err != nil {
			rep.Failed++
			rep.LastError = err
			return rep, nil
		}
		rep.Applied++
		if err := c.conns.SetWatermark(ctx, rec.ID, ord.OrderID); err != nil {
			return rep, err
		}
	}
	return rep, nil
}

// applyOrderID reads an order over REST and applies it.
func (c *Connector) applyOrderID(ctx context.Context, rec ConnectionRecord, client *sitoo.Client, eshopID, orderID int64) error {
	ord, _, err := client.Site(eshopID).Orders.Get(ctx, orderID)
	if err != nil {
		return fmt.Errorf("sitooconnect: read order %d: %w", orderID, err)
	}
	return c.applyOrder(ctx, rec, client, ord)
}

// applyOrder applies one Sitoo order: a refund order (creditorderid or
// pos-originalsales-orderid) takes back points of its sale, applied first when needed; a
// cancelled order reverses its sale; a closed, paid sale awards; anything else is recorded
// with its reason. Staff, store and register go to the activity log.
func (c *Connector) applyOrder(ctx context.Context, rec ConnectionRecord, client *sitoo.Client, ord *sitoo.Order) error {
	store := storeKey(rec.AccountID)
	src := source(rec.AccountID, ord)
	orderID := strconv.FormatInt(ord.OrderID, 10)
	if orig := originalOrderID(ord); orig != 0 {
		return c.applyRefund(ctx, rec, client, ord, orig)
	}
	if ord.OrderStateID == sitoo.OrderStateCancelled {
		res, err := c.eng.ProcessCounterRefund(ctx, rec.ProgramID, loyalty.CounterRefund{Store: store, OrderID: orderID,
			Source: src, Actor: staff(ord), Reason: "cancelled in Sitoo"})
		if err != nil {
			return err
		}
		return c.note(ctx, rec, ord, "cancellation", res)
	}
	status := saleStatus(ord)
	if !processedSince(rec, ord) {
		// A sale made before connecting, or while paused, whose event (or poll) arrives late:
		// it never earns, as its refund never takes back (see applyRefund).
		status = fmt.Sprintf("sitoo sale dated %s, before processing started at %s",
			ord.OrderDate.Time.UTC().Format(time.RFC3339), rec.ProcessingSince.UTC().Truncate(time.Second).Format(time.RFC3339))
	}
	ev := loyalty.OrderEvent{Store: store, OrderID: orderID, Status: status, Total: earningTotal(ord),
		Currency: ord.CurrencyCode, BillingName: strings.TrimSpace(ord.NameFirst + " " + ord.NameLast),
		Channel: loyalty.ChannelCounter, Source: src, Member: memberRef(ord)}
	if ev.Member.IsZero() {
		ev.BillingEmail = ord.Email
	}
	res, err := c.eng.ProcessOrder(ctx, rec.ProgramID, ev)
	if err != nil {
		return err
	}
	return c.note(ctx, rec, ord, "sale", res)
}

func (c *Connector) applyRefund(ctx context.Context, rec ConnectionRecord, client *sitoo.Client, ord *sitoo.Order, orig int64) error {
	store := storeKey(rec.AccountID)
	// A refund can be read before its sale was applied (a dropped or late event): apply the
	// sale first; it is idempotent. A sale made before processing started (before connecting,
	// or while paused) never earns, so it is not applied now either.
	sale, _, err := client.Site(ord.EshopID).Orders.Get(ctx, orig)
	switch {
	case errors.Is(err, sitoo.ErrNotFound):
	case err != nil:
		return fmt.Errorf("sitooconnect: read order %d: %w", orig, err)
	case processedSince(rec, sale):
		if err := c.applyOrder(ctx, rec, client, sale); err != nil {
			return err
		}
	}
	if ord.OrderStateID != sitoo.OrderStateClosed {
		c.log.InfoContext(ctx, "sitooconnect: refund order not closed yet", "order", ord.OrderID)
		return nil
	}
	amount := earningTotal(ord).Neg()
	if !amount.IsPositive() {
		c.log.InfoContext(ctx, "sitooconnect: refund order returns nothing that earned points", "order", ord.OrderID)
		return nil
	}
	reason := ord.AdditionalData[sitoo.AdditionalDataRefundReasonCode]
	if cm := ord.AdditionalData[sitoo.AdditionalDataRefundReasonComment]; cm != "" {
		reason = strings.TrimSpace(reason + " " + cm)
	}
	res, err := c.eng.ProcessCounterRefund(ctx, rec.ProgramID, loyalty.CounterRefund{Store: store,
		OrderID: strconv.FormatInt(orig, 10), RefundOrderID: strconv.FormatInt(ord.OrderID, 10),
		Amount: amount, Currency: ord.CurrencyCode, Source: source(rec.AccountID, ord),
		Reason: reason, Actor: staff(ord)})
	if err != nil {
		return err
	}
	return c.note(ctx, rec, ord, "refund", res)
}

// processedSince reports whether the order was made since processing last started (connect
// or resume); Sitoo order dates have whole seconds.
func processedSince(rec ConnectionRecord, ord *sitoo.Order) bool {
	return !ord.OrderDate.Time.Before(rec.ProcessingSince.Truncate(time.Second))
}

// note records who did what at which counter.
func (c *Connector) note(ctx context.Context, rec ConnectionRecord, ord *sitoo.Order, what string, res loyalty.OrderResult) error {
	if res.Outcome == loyalty.OutcomeDuplicate {
		return nil
	}
	ad := ord.AdditionalData
	msg := fmt.Sprintf("counter %s %d at store %s, register %s, staff %s: %s: %s", what, ord.OrderID,
		orDash(ad[sitoo.AdditionalDataStoreExternalID]), orDash(ord.RegisterID), orDash(staff(ord)), res.Outcome, res.Reason)
	return c.eng.RecordActivity(ctx, loyalty.ActivityEntry{ProgramID: rec.ProgramID, Kind: "counter_" + loyalty.ActivityKind(what),
		Actor: actorOr(staff(ord), "pos"), MemberID: res.Member.ID, Store: storeKey(rec.AccountID),
		OrderID: strconv.FormatInt(ord.OrderID, 10), Message: msg})
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// staff is the order's staff user: pos-staff-externalid, else userid_staff.
func staff(ord *sitoo.Order) string {
	if s := ord.AdditionalData["pos-staff-externalid"]; s != "" {
		return s
	}
	return ord.UserIDStaff
}

// source is "sitoo:<account>/<site>/<store external id>".
func source(accountID int64, ord *sitoo.Order) string {
	return fmt.Sprintf("%s/%d/%s", storeKey(accountID), ord.EshopID, ord.AdditionalData[sitoo.AdditionalDataStoreExternalID])
}

// originalOrderID is the sale a refund order returns: creditorderid, else
// pos-originalsales-orderid; 0 for a sale.
func originalOrderID(ord *sitoo.Order) int64 {
	if ord.CreditOrderID != nil && *ord.CreditOrderID > 0 {
		return *ord.CreditOrderID
	}
	if v, err := strconv.ParseInt(ord.AdditionalData["pos-originalsales-orderid"], 10, 64); err == nil && v > 0 {
		return v
	}
	return 0
}

// saleStatus maps a sale to the engine's statuses: only a closed, paid order of type Order
// awards; the others name what is missing.
func saleStatus(ord *sitoo.Order) string {
	switch {
	case ord.OrderTypeID != sitoo.OrderTypeOrder:
		return fmt.Sprintf("sitoo ordertype %d (booking or parked)", ord.OrderTypeID)
	case ord.OrderStateID != sitoo.OrderStateClosed:
		return fmt.Sprintf("sitoo orderstate %d (not closed)", ord.OrderStateID)
	case ord.PaymentStateID != sitoo.PaymentStateSuccessful:
		return fmt.Sprintf("sitoo paymentstate %d (not paid)", ord.PaymentStateID)
	}
	return string(loyalty.StatusCompleted)
}

// memberRef identifies the member from crm-customerid (our member id) or crm-membernumber.
func memberRef(ord *sitoo.Order) loyalty.MemberRef {
	ad := ord.AdditionalData
	if id := strings.TrimSpace(ad[sitoo.AdditionalDataCRMCustomerID]); id != "" {
		return loyalty.MemberRef{ID: id}
	}
	if n, err := strconv.ParseInt(strings.TrimSpace(ad[sitoo.AdditionalDataCRMMemberNumber]), 10, 64); err == nil && n > 0 {
		return loyalty.MemberRef{Number: n}
	}
	return loyalty.MemberRef{}
}

// earningTotal is the order's grand total less the rows that sold gift cards (which earn
// nothing); negative on refunds.
func earningTotal(ord *sitoo.Order) decimal.Decimal {
	total := ord.MoneyTotalGrossAll.Decimal
	for _, it := range ord.OrderItems {
		if it.AdditionalData["giftcard-cardnumber"] != "" {
			total = total.Sub(it.MoneyItemTotalNet.Decimal.Add(it.MoneyItemTotalVAT.Decimal))
		}
	}
	return total
}
