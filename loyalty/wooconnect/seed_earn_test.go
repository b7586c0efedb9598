package wooconnect_test

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// Seed 001, "How Points Are Earned".

// "When an order reaches the awarding status, the platform matches the customer by the billing
// email address on the order."
func TestSeed_Earning_MatchesCustomerByBillingEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "10.00", woocommerce.OrderCompleted)
	shouty := customer{"ADA", "L.", "ADA@Example.COM"}
	e.placeOrder(shouty, "15.00", woocommerce.OrderCompleted)
	e.placeOrder(grace, "7.00", woocommerce.OrderCompleted)

	assert.Equal(t, int64(25), e.balance(ada.email))
	assert.Equal(t, int64(7), e.balance(grace.email))
	members, _, err := e.conn.Engine().Members(e.ctx, e.prog.ID, loyalty.PageOptions{})
	require.NoError(t, err)
	assert.Len(t, members, 2)
}

// "An existing member gets the points on their balance and a notification email."
func TestSeed_Earning_ExistingMemberGetsPointsAndEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	_, err := e.conn.Engine().Enroll(e.ctx, e.prog.ID, loyalty.NewMember{Email: ada.email, Name: "Ada Lovelace"})
	require.NoError(t, err)
	o := e.placeOrder(ada, "120.00", woocommerce.OrderProcessing)

	assert.Equal(t, int64(120), e.balance(ada.email))
	mails := e.mail.to(ada.email)
	require.Len(t, mails, 1)
	assert.Equal(t, loyalty.EmailPointsEarned, mails[0].Kind)
	assert.Equal(t, "You earned 120 points", mails[0].Subject)
	assert.Contains(t, mails[0].Text, "Thanks for your order "+idOf(o)+". It earned you 120 points.")
}

// "A new customer gets a loyalty account created from their billing details, plus a welcome
// email explaining their points and how to sign in."
func TestSeed_Earning_NewCustomerGetsAccountAndWelcomeEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(grace, "42.00", woocommerce.OrderProcessing)

	w := e.wallet(grace.email)
	assert.Equal(t, "Grace Hopper", w.Member.Name)
	assert.Equal(t, int64(42), w.Balance)
	mails := e.mail.to(grace.email)
	require.Len(t, mails, 1)
	assert.Equal(t, loyalty.EmailWelcome, mails[0].Kind)
	assert.Contains(t, mails[0].Text, "42 points")
	assert.Contains(t, mails[0].Text, "one-time code")
}

// "A guest checkout without an email address earns nothing. The order is skipped and the
// reason is visible on the Activity tab."
func TestSeed_Earning_GuestWithoutEmailSkippedWithReason(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	o := e.placeOrder(guest, "99.00", woocommerce.OrderCompleted)

	rs := e.orderReceipts(o)
	require.NotEmpty(t, rs)
	assert.Equal(t, loyalty.OutcomeSkipped, rs[0].Outcome)
	assert.Contains(t, rs[0].Reason, "without a billing email")
	found := false
	for _, a := range e.activity() {
		if a.OrderID == idOf(o) && a.Kind == loyalty.ActivityOrderSkipped {
			found = true
			assert.Contains(t, a.Message, "without a billing email")
		}
	}
	assert.True(t, found, "the skipped order is on the activity log")
	members, _, err := e.conn.Engine().Members(e.ctx, e.prog.ID, loyalty.PageOptions{})
	require.NoError(t, err)
	assert.Empty(t, members)
	assert.Empty(t, e.mail.all())
}

// "Points follow the linked card's point rules exactly as an in-store purchase would: the
// points-per-amount ratio, rounding, and the minimum and maximum per purchase." Membership
// tier multipliers do not apply to online orders: the engine has none, so an online order
// earns exactly the rules' amount.
func TestSeed_Earning_FollowsCardPointRules(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withProgram(func(p *loyalty.Program) {
		p.Earning.PointsPerUnit = decimal.RequireFromString("0.5")
		p.Earning.Rounding = loyalty.RoundNearest
		p.Earning.MinPoints = 5
		p.Earning.MaxPoints = 100
	}))
	e.connect()
	cases := []struct {
		cust  customer
		total string
		want  int64
	}{
		{customer{"A", "A", "a@example.com"}, "25.00", 13},    // 12.5 rounds half up
		{customer{"B", "B", "b@example.com"}, "24.90", 12},    // 12.45 rounds down
		{customer{"C", "C", "c@example.com"}, "3.00", 5},      // raised to the minimum
		{customer{"D", "D", "d@example.com"}, "1000.00", 100}, // capped at the maximum
	}
	for _, tc := range cases {
		e.placeOrder(tc.cust, tc.total, woocommerce.OrderCompleted)
		assert.Equal(t, tc.want, e.balance(tc.cust.email), tc.total)
		assert.Equal(t, e.prog.PurchasePoints(dec(tc.total)), tc.want, "same rules as an in-store purchase")
	}
}

// "Points are calculated on the order total as WooCommerce reports it, which includes shipping
// and taxes."
func TestSeed_Earning_TotalIncludesShippingAndTaxes(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	goods, ship := woocommerce.MustMoney("50.00"), woocommerce.MustMoney("7.50")
	status := woocommerce.OrderProcessing
	o, _, err := e.admin.Orders.Create(e.ctx, &woocommerce.OrderRequest{
		Status:        &status,
		Billing:       &woocommerce.Address{FirstName: "Ada", LastName: "Lovelace", Email: ada.email},
		FeeLines:      []woocommerce.FeeLineRequest{{Name: "Goods", Total: &goods, TaxStatus: "none"}},
		ShippingLines: []woocommerce.ShippingLineRequest{{MethodID: "flat_rate", MethodTitle: "Flat rate", Total: &ship}},
	})
	require.NoError(t, err)
	e.flush()
	require.True(t, o.Total.Decimal.Equal(dec("57.50")), "store total %s", o.Total)
	assert.Equal(t, int64(57), e.balance(ada.email))

	// The fake store has no tax engine: check on a WooCommerce payload that the total taken is
	// "total", which includes the taxes, not the net amount.
	var taxed woocommerce.Order
	require.NoError(t, json.Unmarshal([]byte(`{"id":9,"status":"completed","currency":"EUR","total":"121.00",
		"total_tax":"21.00","shipping_total":"10.00","shipping_tax":"2.10","billing":{"email":"ada@example.com"}}`), &taxed))
	assert.True(t, wooconnect.OrderEvent("https://shop.example", &taxed).Total.Equal(dec("121")))
}

// "If the card awards welcome bonus points, the customer's first order on that card awards them
// too, as a separate entry in their history."
func TestSeed_Earning_WelcomeBonusSeparateEntryOnFirstOrder(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withProgram(func(p *loyalty.Program) { p.Earning.WelcomeBonus = 100 }))
	e.connect()
	e.placeOrder(ada, "30.00", woocommerce.OrderCompleted)
	e.placeOrder(ada, "20.00", woocommerce.OrderCompleted)

	h := e.history(ada.email)
	require.Len(t, h, 3)
	kinds := map[loyalty.MovementKind]int{}
	for _, m := range h {
		kinds[m.Kind]++
	}
	assert.Equal(t, map[loyalty.MovementKind]int{loyalty.KindEarn: 2, loyalty.KindWelcome: 1}, kinds)
	assert.Equal(t, int64(150), e.balance(ada.email))
}

// "Processing or completed (default): points arrive as soon as the order reaches "processing"
// or "completed"."
func TestSeed_Earning_DefaultAwardsOnProcessing(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	assert.Equal(t, loyalty.AwardOnProcessingOrCompleted, e.prog.AwardOn)
	o := e.placeOrder(ada, "60.00", woocommerce.OrderPending)
	e.setStatus(o, woocommerce.OrderProcessing)
	assert.Equal(t, int64(60), e.balance(ada.email))
}

// "Completed only: points arrive when the order reaches "completed"."
func TestSeed_Earning_CompletedOnlyWaitsForCompleted(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withProgram(func(p *loyalty.Program) { p.AwardOn = loyalty.AwardOnCompleted }))
	e.connect()
	o := e.placeOrder(ada, "60.00", woocommerce.OrderProcessing)
	rs := e.orderReceipts(o)
	require.NotEmpty(t, rs)
	assert.Equal(t, loyalty.OutcomeIgnored, rs[0].Outcome)
	assert.Contains(t, rs[0].Reason, `"processing"`)
	e.setStatus(o, woocommerce.OrderCompleted)
	assert.Equal(t, int64(60), e.balance(ada.email))
}

// "Every order is processed once. An order that moves from "processing" to "completed" never
// awards twice."
func TestSeed_Earning_ProcessingThenCompletedAwardsOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	o := e.placeOrder(ada, "75.00", woocommerce.OrderProcessing)
	e.setStatus(o, woocommerce.OrderCompleted)
	assert.Equal(t, int64(75), e.balance(ada.email))
	rs := e.orderReceipts(o)
	require.GreaterOrEqual(t, len(rs), 2)
	assert.Equal(t, loyalty.OutcomeDuplicate, rs[0].Outcome)
	assert.Len(t, e.mail.to(ada.email), 1)
}

// "...and a webhook that WooCommerce retries never double-credits": the very same signed
// delivery, sent again (and concurrently), is a duplicate answered 200.
func TestSeed_Earning_RedeliveredWebhookNeverDoubleCredits(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	o := e.placeOrder(ada, "33.00", woocommerce.OrderCompleted)
	replayed := 0
	for _, d := range e.shop.Deliveries() {
		if d.ResourceID == o.ID && !d.Ping {
			replay(t, e, d.URL, d.Header, d.Body, 8)
			replayed++
		}
	}
	require.NotZero(t, replayed)
	assert.Equal(t, int64(33), e.balance(ada.email))
	assert.Len(t, e.history(ada.email), 1)
}

// "Orders in other statuses (pending, on hold, cancelled, failed) award nothing, and the
// Activity tab names the status that was ignored."
func TestSeed_Earning_OtherStatusesAwardNothingAndNameStatus(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	for _, st := range []woocommerce.OrderStatus{woocommerce.OrderPending, woocommerce.OrderOnHold,
		woocommerce.OrderCancelled, woocommerce.OrderFailed} {
		o := e.placeOrder(ada, "50.00", st)
		rs := e.orderReceipts(o)
		require.NotEmpty(t, rs, st)
		assert.Equal(t, loyalty.OutcomeIgnored, rs[0].Outcome, st)
		assert.Contains(t, rs[0].Reason, `"`+string(st)+`"`, st)
		named := false
		for _, a := range e.activity() {
			if a.OrderID == idOf(o) && a.Kind == loyalty.ActivityOrderIgnored {
				named = true
				assert.Contains(t, a.Message, string(st))
			}
		}
		assert.True(t, named, st)
	}
	_, err := e.conn.Engine().Wallet(e.ctx, e.prog.ID, loyalty.MemberRef{Email: ada.email})
	assert.ErrorIs(t, err, loyalty.ErrMemberNotFound)
}
