package sitooconnect_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sitooconnect"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
)

func TestCounter_OneBalanceAcrossWebOrderAndCounterSale(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	_, err := e.eng.ProcessOrder(e.ctx, "card", loyalty.OrderEvent{Store: "https://shop.example", OrderID: "1042",
		Status: "completed", Total: dec("40.00"), Currency: "EUR", BillingEmail: "ana@example.org"})
	require.NoError(t, err)

	e.sale(cu, row("25.00"), row("10.00"))
	e.deliver()

	w := e.wallet(cu.CustomerID)
	assert.EqualValues(t, 75, w.Balance, "40 online + 35 at the counter, one balance")
	require.Len(t, w.Channels, 2)
	assert.Equal(t, loyalty.ChannelOnline, w.Channels[0].Channel)
	assert.Equal(t, loyalty.ChannelCounter, w.Channels[1].Channel)
	assert.Equal(t, "sitoo:"+e.sitoo.AccountID+"/1/STORE-7", w.Channels[1].Source)
	found, st, err := e.pos.SearchCustomer(e.ctx, "member_number", cu.MemberNumber)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st)
	require.Len(t, found, 1)
	assert.Contains(t, sectionText(found[0]), "Points=75")
}

func sectionText(cu map[string]any) string {
	var parts []string
	for _, s := range cu["sections"].([]any) {
		for _, v := range s.(map[string]any)["values"].([]any) {
			vm := v.(map[string]any)
			parts = append(parts, vm["title"].(string)+"="+vm["text"].(string))
		}
	}
	return strings.Join(parts, "; ")
}

func tiers(p *loyalty.Program) {
	p.Tiers = loyalty.TierRules{Period: loyalty.PeriodCalendarYear, Levels: []loyalty.Tier{
		{Name: "Silver", Threshold: dec("100"), Multiplier: dec("1.5")},
		{Name: "Gold", Threshold: dec("500"), Multiplier: dec("2")}}}
}

func TestCounter_TierMultiplierOnCounterPurchasesOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, tiers)
	cu := e.member("ana@example.org")
	e.sale(cu, row("120.00")) // reaches Silver
	e.deliver()
	_, err := e.eng.ProcessOrder(e.ctx, "card", loyalty.OrderEvent{Store: "https://shop.example", OrderID: "9",
		Status: "completed", Total: dec("20.00"), Currency: "EUR", BillingEmail: "ana@example.org"})
	require.NoError(t, err)

	e.sale(cu, row("20.00"))
	e.deliver()

	hist, _, err := e.eng.History(e.ctx, "card", cu.CustomerID, loyalty.PageOptions{})
	require.NoError(t, err)
	assert.EqualValues(t, 30, hist[0].Requested, "counter: 20 × Silver 1.5")
	assert.EqualValues(t, 20, hist[1].Requested, "online: no multiplier")
	got, _, _ := e.pos.GetCustomer(e.ctx, cu.CustomerID)
	assert.Equal(t, "Silver", got["status"].(map[string]any)["text"])
	assert.Contains(t, sectionText(got), "Tier=Silver: 170 points earned; 330 points more to Gold")
}

func TestCounter_TierUpgradeAndPeriodEnd(t *testing.T) {
	t.Parallel()
	e := newEnv(t, tiers)
	cu := e.member("ana@example.org")
	e.sale(cu, row("90.00"))
	e.sale(cu, row("20.00"))
	e.deliver()
	require.Equal(t, "Silver", e.wallet(cu.CustomerID).Tier.Tier.Name)
	var upgrade *loyalty.ActivityEntry
	acts, _, err := e.eng.Activity(e.ctx, "card", loyalty.PageOptions{Limit: 100})
	require.NoError(t, err)
	for i := range acts {
		if acts[i].Kind == loyalty.ActivityTierChanged {
			upgrade = &acts[i]
		}
	}
	require.NotNil(t, upgrade)
	assert.Contains(t, upgrade.Message, "from no tier to Silver")

	e.clock.Advance(time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC).Sub(e.clock.Now()))
	assert.Equal(t, "Silver", e.wallet(cu.CustomerID).Tier.Tier.Name, "held through 2027")
	e.clock.Advance(time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC).Sub(e.clock.Now()))
	e.sale(cu, row("10.00"))
	e.deliver()
	assert.Empty(t, e.wallet(cu.CustomerID).Tier.Tier.Name, "nothing earned in 2027: no tier in 2028")
}

func TestCounter_RefundPartialAndFull(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	saleID := e.sale(cu, row("60.00"), row("40.00"))
	e.deliver()

	_, err := e.pos.Refund(e.ctx, saleID, cu, "RC123", row("40.00"))
	require.NoError(t, err)
	e.deliver()
	assert.EqualValues(t, 60, e.wallet(cu.CustomerID).Balance, "the refunded 40.00 take back 40 points")

	_, err = e.pos.Refund(e.ctx, saleID, cu, "RC123", row("60.00"))
	require.NoError(t, err)
	e.deliver()
	assert.EqualValues(t, 0, e.wallet(cu.CustomerID).Balance)
	hist, _, err := e.eng.History(e.ctx, "card", cu.CustomerID, loyalty.PageOptions{})
	require.NoError(t, err)
	assert.Contains(t, hist[0].Reason, "RC123")
}

func TestCounter_Exchange(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	saleID := e.sale(cu, row("50.00"))
	e.deliver()

	_, err := e.pos.Refund(e.ctx, saleID, cu, "SIZE", row("50.00"))
	require.NoError(t, err)
	e.sale(cu, row("55.00"))
	e.deliver()

	assert.EqualValues(t, 55, e.wallet(cu.CustomerID).Balance)
}

func TestCounter_CancelledSale(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	saleID := e.sale(cu, row("50.00"))
	e.deliver()
	require.EqualValues(t, 50, e.wallet(cu.CustomerID).Balance)

	require.NoError(t, e.pos.Cancel(e.ctx, saleID))
	e.deliver()

	assert.EqualValues(t, 0, e.wallet(cu.CustomerID).Balance)
}

func TestCounter_DuplicateAndOutOfOrderEvents(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	e.pos.Duplicate(5)
	saleID := e.sale(cu, row("80.00"))
	e.pos.Hold() // the sale's event arrives late, after its refund's
	_, err := e.pos.Refund(e.ctx, saleID, cu, "RC1", row("20.00"))
	require.NoError(t, err)
	e.pos.Release()
	for range 12 {
		e.sale(cu, row("1.00"))
	}

	e.deliver()

	assert.EqualValues(t, 80-20+12, e.wallet(cu.CustomerID).Balance, "each sale and refund applied once")
	st := e.pos.Stats()
	assert.Greater(t, st.Requests, 1, "batches of at most 10")
	assert.Equal(t, 14+5, st.Delivered, "14 events and 5 duplicates, all answered 200")
}

func TestCounter_DroppedEventRecoveredByPoll(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	e.pos.DropNext(1)
	e.sale(cu, row("30.00"))
	e.sale(cu, row("5.00"))
	e.deliver()
	require.EqualValues(t, 5, e.wallet(cu.CustomerID).Balance, "the first sale's event was lost")

	rep, err := e.con.Reconcile(e.ctx, e.rec.ID)
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Applied)
	assert.EqualValues(t, 35, e.wallet(cu.CustomerID).Balance)
	again, err := e.con.Reconcile(e.ctx, e.rec.ID)
	require.NoError(t, err)
	assert.Zero(t, again.Applied, "the watermark moved past both")
	assert.EqualValues(t, 35, e.wallet(cu.CustomerID).Balance)
}

func TestCounter_ClosedPaidOnlyAndGiftCardsEarnNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	_, err := e.pos.Park(e.ctx, cu, row("99.00"))
	require.NoError(t, err)
	e.sale(cu, row("20.00"), sitootest.Row{Name: "Gift card", Price: "50.00", Quantity: 1, GiftCard: true})
	e.deliver()

	assert.EqualValues(t, 20, e.wallet(cu.CustomerID).Balance)
	rs, _, err := e.eng.Receipts(e.ctx, "card", loyalty.OutcomeIgnored, loyalty.PageOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, rs)
	assert.Contains(t, rs[0].Reason, "booking or parked")
}

// Only a closed, paid receipt of type Order earns: a booking earns nothing even when closed
// and paid, nor does a closed receipt whose payment is pending or an open one; each is
// recorded with what is missing.
func TestCounter_BookingsUnpaidAndOpenReceiptsEarnNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	for _, r := range []struct {
		typ   sitoo.OrderType
		state sitoo.OrderState
		pay   sitoo.PaymentState
	}{
		{sitoo.OrderTypeBooking, sitoo.OrderStateClosed, sitoo.PaymentStateSuccessful},
		{sitoo.OrderTypeOrder, sitoo.OrderStateClosed, sitoo.PaymentStatePending},
		{sitoo.OrderTypeOrder, sitoo.OrderStateOpen, sitoo.PaymentStateSuccessful},
	} {
		_, err := e.pos.Record(e.ctx, cu, r.typ, r.state, r.pay, row("40.00"))
		require.NoError(t, err)
	}
	e.deliver()

	assert.Zero(t, e.wallet(cu.CustomerID).Balance)
	rs, _, err := e.eng.Receipts(e.ctx, "card", loyalty.OutcomeIgnored, loyalty.PageOptions{Limit: 10})
	require.NoError(t, err)
	var reasons []string
	for _, r := range rs {
		reasons = append(reasons, r.Reason)
	}
	all := strings.Join(reasons, "; ")
	assert.Contains(t, all, "ordertype 100 (booking or parked)")
	assert.Contains(t, all, "paymentstate 10 (not paid)")
	assert.Contains(t, all, "orderstate 0 (not closed)")
}

// The member is the receipt's crm-customerid, else its crm-membernumber; a customer id that
// names no member skips the receipt with the reason (it never falls back to another member).
func TestCounter_MemberByMemberNumberAndUnknownCustomerID(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	e.sale(sitootest.Customer{MemberNumber: cu.MemberNumber}, row("9.00"))
	e.sale(sitootest.Customer{CustomerID: "mem_gone", MemberNumber: cu.MemberNumber}, row("4.00"))
	e.deliver()

	assert.EqualValues(t, 9, e.wallet(cu.CustomerID).Balance, "by member number; the unknown customer id earns nothing")
	rs, _, err := e.eng.Receipts(e.ctx, "card", loyalty.OutcomeSkipped, loyalty.PageOptions{Limit: 10})
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.Contains(t, rs[0].Reason, "no member matches")
}

func TestCounter_MemberByEmailElseSkippedWithReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	e.sale(sitootest.Customer{Email: "walk-in@example.org"}, row("12.00"))
	e.sale(sitootest.Customer{}, row("7.00"))
	e.deliver()

	m, err := e.eng.FindMember(e.ctx, loyalty.MemberRef{Email: "walk-in@example.org"})
	require.NoError(t, err)
	assert.EqualValues(t, 12, e.wallet(m.ID).Balance)
	rs, _, err := e.eng.Receipts(e.ctx, "card", loyalty.OutcomeSkipped, loyalty.PageOptions{})
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.Equal(t, "counter receipt without a member (no customer scanned or added) and without an email earns no points",
		rs[0].Reason, "said in the counter's words, not the webshop's")
}

func TestCounter_StaffStoreAndRegisterInTheActivityLog(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	e.sale(cu, row("10.00"))
	e.deliver()

	ov, err := e.con.Overview(e.ctx, e.rec.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, ov.Processed)
	require.NotEmpty(t, ov.Activity)
	a := ov.Activity[0]
	assert.Equal(t, "emp-0193", a.Actor)
	assert.Contains(t, a.Message, "store STORE-7, register {8A1F-REG-1}, staff emp-0193")
}

// The counter's whole loop on SQLite: the ledger and the connection store in one database.
func TestCounter_OnSQLite(t *testing.T) {
	t.Parallel()
	db, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "loyalty.db"))
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	conns, err := sitooconnect.NewSQLConnectionStore(t.Context(), db)
	require.NoError(t, err)
	e := newEnvOn(t, db, conns, tiers)
	cu := e.member("ana@example.org")
	e.pos.Duplicate(2)
	saleID := e.sale(cu, row("120.00"))
	e.deliver()
	_, err = e.pos.Refund(e.ctx, saleID, cu, "RC1", row("20.00"))
	require.NoError(t, err)
	e.sale(cu, row("100.00"))
	e.deliver()
	check, err := e.con.IssueBonusCheck(e.ctx, e.rec.ID, loyalty.MemberRef{ID: cu.CustomerID}, 100, "", "k")
	require.NoError(t, err)
	st, err := e.pos.RedeemBonusCheck(e.ctx, cu.CustomerID, check.ID)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, st)

	w := e.wallet(cu.CustomerID)
	assert.EqualValues(t, 120-20+150-100, w.Balance, "the second sale earns 100 × Silver 1.5")
	assert.Equal(t, "Silver", w.Tier.Tier.Name)
	found, _, err := e.pos.SearchCustomer(e.ctx, "mobile", "+46705550123")
	require.NoError(t, err)
	require.Len(t, found, 1)
	assert.Equal(t, true, found[0]["bonus_checks"].([]any)[0].(map[string]any)["redeemed"])
}

func TestRunOnce_AppliesEventsAndPolls(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	e.sale(cu, row("10.00"))
	e.pos.DropNext(1)
	e.sale(cu, row("5.00"))
	require.NoError(t, e.pos.Deliver(e.ctx))

	require.NoError(t, e.con.RunOnce(e.ctx))

	assert.EqualValues(t, 15, e.wallet(cu.CustomerID).Balance)
}

func TestProcessPending_GivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	require.NoError(t, e.conns.EnqueueOrder(e.ctx, sitooconnect.PendingOrder{ConnectionID: e.rec.ID, EventID: "e1",
		EshopID: 1, OrderID: 404404}))

	for i := range sitooconnect.MaxPendingAttempts {
		rep, err := e.con.ProcessPending(e.ctx, e.rec.ID)
		require.NoError(t, err)
		require.Equal(t, 1, rep.Failed, "attempt %d", i+1)
	}

	ps, err := e.conns.PendingOrders(e.ctx, e.rec.ID, 10)
	require.NoError(t, err)
	assert.Empty(t, ps)
	rs, _, err := e.eng.Receipts(e.ctx, "card", loyalty.OutcomeFailed, loyalty.PageOptions{})
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.Contains(t, rs[0].Reason, "given up after 20 attempts")
}

func TestCounter_RefundOfASaleFromBeforeConnectingTakesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	require.NoError(t, e.con.Disconnect(e.ctx, e.rec.ID, "owner"))
	e.pos.DropNext(1) // the sale happens while the account is not connected
	saleID := e.sale(cu, row("50.00"))
	e.clock.Advance(time.Hour)
	e.reconnect()

	_, err := e.pos.Refund(e.ctx, saleID, cu, "RC1", row("20.00"))
	require.NoError(t, err)
	e.deliver()

	assert.EqualValues(t, 0, e.wallet(cu.CustomerID).Balance, "the old sale is not back-filled by its refund")
	rs, _, err := e.eng.Receipts(e.ctx, "card", loyalty.OutcomeIgnored, loyalty.PageOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, rs)
	assert.Contains(t, rs[0].Reason, "has not awarded points")
}

func TestCounter_RefundOfASaleFromAPausedPeriodTakesNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	require.NoError(t, e.con.Pause(e.ctx, e.rec.ID, "owner"))
	saleID := e.sale(cu, row("50.00"))
	e.deliver() // recorded and dropped while paused
	e.clock.Advance(time.Hour)
	require.NoError(t, e.con.Resume(e.ctx, e.rec.ID, "owner"))

	_, err := e.pos.Refund(e.ctx, saleID, cu, "RC1", row("20.00"))
	require.NoError(t, err)
	e.deliver()

	assert.EqualValues(t, 0, e.wallet(cu.CustomerID).Balance)
}

func TestCounter_LateEventOfASaleFromBeforeConnectingEarnsNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	require.NoError(t, e.con.Disconnect(e.ctx, e.rec.ID, "owner"))
	e.sale(cu, row("50.00"))
	e.pos.Hold() // the sale's event is delayed until after the account is connected again
	e.clock.Advance(time.Hour)
	e.reconnect()
	e.pos.Release()
	e.deliver()

	assert.EqualValues(t, 0, e.wallet(cu.CustomerID).Balance, "a sale from before connecting never back-fills")
	rs, _, err := e.eng.Receipts(e.ctx, "card", loyalty.OutcomeIgnored, loyalty.PageOptions{})
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.Contains(t, rs[0].Reason, "before processing started")
}

func TestCounter_LateEventOfASaleFromAPausedPeriodEarnsNothing(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	require.NoError(t, e.con.Pause(e.ctx, e.rec.ID, "owner"))
	e.sale(cu, row("50.00"))
	e.pos.Hold()
	e.clock.Advance(time.Hour)
	require.NoError(t, e.con.Resume(e.ctx, e.rec.ID, "owner"))
	e.sale(cu, row("30.00")) // made after resuming: earns
	e.pos.Release()          // the paused-period event arrives late, behind the new one
	e.deliver()

	assert.EqualValues(t, 30, e.wallet(cu.CustomerID).Balance, "only the sale made since resuming earns")
}

// Seen event ids are kept for SeenEventRetention on the connector's clock, then RunOnce
// forgets them; an event Sitoo delivers again after that is queued again and its order still
// applies once.
func TestRunOnce_ForgetsOldSeenEventsAndARedeliveryAppliesOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, nil)
	cu := e.member("ana@example.org")
	saleID := e.sale(cu, row("10.00"))
	e.deliver()
	eventID := fmt.Sprintf("%032x", 1) // the POS's first event
	seen := func() bool {
		ok, err := e.conns.EventSeen(e.ctx, e.rec.ID, eventID)
		require.NoError(t, err)
		return ok
	}
	require.True(t, seen())
	e.clock.Advance(sitooconnect.SeenEventRetention - time.Minute)
	require.NoError(t, e.con.RunOnce(e.ctx))
	assert.True(t, seen(), "kept for the retention")
	e.clock.Advance(2 * time.Minute)
	require.NoError(t, e.con.RunOnce(e.ctx))
	assert.False(t, seen(), "forgotten after it")

	data, err := json.Marshal(sitoo.OrderEventData{EshopID: 1, OrderID: saleID, OrderEventType: "add", OrderStateChanged: "closed"})
	require.NoError(t, err)
	body, err := json.Marshal([]sitoo.Event{{ID: eventID, Type: sitoo.EventTypeOrder, Date: sitoo.NewUnixTime(e.clock.Now()),
		AccountID: e.rec.AccountID, Data: data}})
	require.NoError(t, err)
	req, err := http.NewRequestWithContext(e.ctx, http.MethodPost, e.pos.EventsURL, bytes.NewReader(body))
	require.NoError(t, err)
	req.SetBasicAuth(e.pos.EventsUser, e.pos.EventsPassword)
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.True(t, seen(), "marked again")
	rep, err := e.con.ProcessPending(e.ctx, e.rec.ID)
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Applied, "queued again")
	assert.EqualValues(t, 10, e.wallet(cu.CustomerID).Balance, "the order applies once")
}
