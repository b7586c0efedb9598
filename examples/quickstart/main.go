// Command quickstart shows loyalsync's whole WooCommerce loop in a few seconds, without network
// access beyond 127.0.0.1: an in-memory WooCommerce store (woocommercetest) is connected to a
// loyalty card kept in an SQLite file, orders placed in the store earn points through its
// webhook, members get their emails, points become a store coupon, and a refund takes points
// back. It prints a transcript of each step.
//
//	go run ./examples/quickstart
package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/mail"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// inbox is the quickstart's email Sender: it keeps the messages so the transcript can show them.
// A real service passes mail.SMTPSender (or its own Sender) instead.
type inbox struct {
	mu   sync.Mutex
	msgs []mail.Message
}

func (b *inbox) Send(_ context.Context, m mail.Message) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.msgs = append(b.msgs, m)
	return nil
}

// take returns the messages received since the last call.
func (b *inbox) take() []mail.Message {
	b.mu.Lock()
	defer b.mu.Unlock()
	out := b.msgs
	b.msgs = nil
	return out
}

// tour holds what every step needs.
type tour struct {
	ctx   context.Context
	w     io.Writer
	shop  *woocommercetest.Server
	admin *woocommerce.Client // the shop owner placing and changing orders
	woo   *wooconnect.Connector
	eng   *loyalty.Engine
	card  loyalty.Program
	conn  wooconnect.Connection
	mail  *inbox
}

func run(ctx context.Context, w io.Writer) error {
	dir, err := os.MkdirTemp("", "loyalsync-quickstart-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	// The store: an in-memory WooCommerce on 127.0.0.1 selling in EUR. The shop owner has a key
	// of their own to place orders; the partner creates a Read/Write key for the loyalty
	// platform, as the set-up guide says.
	shop := woocommercetest.NewServer(woocommercetest.WithCurrency("EUR"))
	defer shop.Close()
	owner := shop.AddKey(woocommercetest.ReadWrite)
	partnerKey := shop.AddKey(woocommercetest.ReadWrite)
	admin, err := woocommerce.NewClient(shop.URL, owner.ConsumerKey, owner.ConsumerSecret)
	if err != nil {
		return err
	}

	// The loyalty side: an SQLite file for the engine and the connection store, and the
	// public webhook endpoint (here on 127.0.0.1).
	dbPath := filepath.Join(dir, "loyalty.db")
	store, err := sqlite.Open(ctx, dbPath)
	if err != nil {
		return err
	}
	defer store.Close()
	conns, err := wooconnect.NewSQLConnectionStore(ctx, store) // its tables, in the same database
	if err != nil {
		return err
	}
	hooks := httptest.NewUnstartedServer(nil) // its address is known before it starts
	hooksURL := "http://" + hooks.Listener.Addr().String()

	box := &inbox{}
	seed := rand.NewChaCha8([32]byte{'q', 'u', 'i', 'c', 'k'})
	woo, err := wooconnect.New(store, conns,
		wooconnect.WithEncryptionKey([]byte("quickstart-demo-key-32-bytes-!!!")), // from a secret manager in real life
		wooconnect.WithWebhookURL(hooksURL+"/woocommerce/webhooks"),
		wooconnect.WithMemberURLs("https://wallet.example/redeem", "https://wallet.example/unsubscribe"),
		wooconnect.WithBusiness(mail.Business{Name: "Corner Café", Email: "hello@corner.example"}),
		wooconnect.WithSender(box),
		wooconnect.WithRandom(seed),
		wooconnect.WithInsecureHTTP(), // the fake store speaks plain HTTP (OAuth 1.0a); real stores need HTTPS
		wooconnect.WithEngineOptions(loyalty.WithRandom(rand.NewChaCha8([32]byte{'c', 'a', 'r', 'd'}))),
	)
	if err != nil {
		return err
	}
	hooks.Config.Handler = http.StripPrefix("/woocommerce/webhooks", woo.Handler())
	hooks.Start()
	defer hooks.Close()

	t := &tour{ctx: ctx, w: w, shop: shop, admin: admin, woo: woo, eng: woo.Engine(), mail: box}
	steps := []func() error{
		func() error { return t.setUp(dbPath) },
		func() error { return t.connect(partnerKey) },
		t.orders,
		t.emails,
		t.redeem,
		t.refund,
		t.overview,
		t.counter,
		t.pointSync,
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

func (t *tour) section(n int, title string) {
	fmt.Fprintf(t.w, "\n%d. %s\n%s\n", n, title, strings.Repeat("-", len(title)+3))
}

func (t *tour) setUp(dbPath string) error {
	fmt.Fprintln(t.w, "loyalsync quickstart: a WooCommerce store earning points on a loyalty card")
	card := loyalty.DefaultProgram("corner-card", "EUR")
	card.Name = "Corner Café card"
	card.Earning.WelcomeBonus = 100
	card.Redemption.Enabled = true
	var err error
	if t.card, err = t.eng.SaveProgram(t.ctx, card, "owner"); err != nil {
		return err
	}
	t.section(1, "A store and a loyalty card")
	fmt.Fprintf(t.w, "store     %s (an in-memory WooCommerce selling in %s)\n", t.shop.URL, t.card.Currency)
	fmt.Fprintf(t.w, "database  %s (SQLite: the ledger and the connection)\n", filepath.Base(dbPath))
	fmt.Fprintf(t.w, "card      %q: %s point per 1.00 %s, %d welcome points, %s\n", t.card.Name,
		t.card.Earning.PointsPerUnit, t.card.Currency, t.card.Earning.WelcomeBonus, t.card.PreviewLine(t.card.Redemption.MinPoints))
	return nil
}

func (t *tour) connect(key woocommercetest.Key) error {
	t.section(2, "Connect the store (one Read/Write key, one webhook, no plugin)")
	c, err := t.woo.Connect(t.ctx, wooconnect.ConnectRequest{ProgramID: t.card.ID, StoreURL: t.shop.URL,
		ConsumerKey: key.ConsumerKey, ConsumerSecret: key.ConsumerSecret, Actor: "partner"})
	if err != nil {
		return err
	}
	t.conn = c
	if err := t.shop.FlushWebhooks(t.ctx); err != nil { // WooCommerce pings the new webhook
		return err
	}
	ov, err := t.woo.Overview(t.ctx, c.ID, 5)
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "credentials verified and stored encrypted (AES-256-GCM)\n")
	fmt.Fprintf(t.w, "webhook   %s, topic order.updated\n", ov.Webhook.Summary)
	fmt.Fprintf(t.w, "delivers  to %s\n", c.DeliveryURL)
	fmt.Fprintf(t.w, "overview  %s\n", ov.LastDeliveryHint)
	return nil
}

// order places an order with the given lines in the store, pending, and returns it.
func (t *tour) order(first, last, email string, lines map[int64]int64) (*woocommerce.Order, error) {
	pending := woocommerce.OrderPending
	req := &woocommerce.OrderRequest{Status: &pending,
		Billing: &woocommerce.Address{FirstName: first, LastName: last, Email: email}}
	for product, qty := range lines {
		req.LineItems = append(req.LineItems, woocommerce.LineItemRequest{ProductID: product, Quantity: &qty})
	}
	shipping := woocommerce.MustMoney("4.90")
	req.ShippingLines = []woocommerce.ShippingLineRequest{{MethodID: "flat_rate", MethodTitle: "Flat rate", Total: &shipping}}
	o, _, err := t.admin.Orders.Create(t.ctx, req)
	return o, err
}

// move sets an order's status in the store, lets WooCommerce deliver the webhook, and prints
// what the connection did with it.
func (t *tour) move(tw *tabwriter.Writer, o *woocommerce.Order, status woocommerce.OrderStatus, note string) (*woocommerce.Order, error) {
	from := o.Status
	o, _, err := t.admin.Orders.Update(t.ctx, o.ID, &woocommerce.OrderRequest{Status: &status})
	if err != nil {
		return nil, err
	}
	if err := t.shop.FlushWebhooks(t.ctx); err != nil {
		return nil, err
	}
	return o, t.printReceipt(tw, o, fmt.Sprintf("%s → %s", from, status), note)
}

func (t *tour) printReceipt(tw *tabwriter.Writer, o *woocommerce.Order, change, note string) error {
	rs, _, err := t.eng.Receipts(t.ctx, t.card.ID, "", loyalty.PageOptions{Limit: 1})
	if err != nil || len(rs) == 0 {
		return err
	}
	who := strings.TrimSpace(o.Billing.FirstName + " " + o.Billing.LastName)
	if o.Billing.Email == "" {
		who += " (guest, no email)"
	}
	fmt.Fprintf(tw, "order %d\t%s\t%s %s\t%s\t%s\t%s\n", o.ID, who, loyalty.FormatMoney(o.Total.Decimal, o.Currency), o.Currency,
		change, rs[0].Outcome, rs[0].Reason+note)
	return nil
}

func (t *tour) orders() error {
	t.section(3, "Orders arrive through the order.updated webhook")
	var ids []int64
	for _, p := range []struct{ name, price string }{{"Coffee beans 1 kg", "24.00"}, {"Espresso machine", "990.00"}} {
		name, price := p.name, woocommerce.SomeMoney(woocommerce.MustMoney(p.price))
		prod, _, err := t.admin.Products.Create(t.ctx, &woocommerce.ProductRequest{Name: &name, RegularPrice: &price})
		if err != nil {
			return err
		}
		ids = append(ids, prod.ID)
	}
	beans, machine := ids[0], ids[1]
	tw := tabwriter.NewWriter(t.w, 0, 0, 2, ' ', 0)

	// Ada pays: the gateway sets "processing" (points land), then the shop completes it.
	o, err := t.order("Ada", "Lovelace", "ada@example.com", map[int64]int64{beans: 3})
	if err != nil {
		return err
	}
	if o, err = t.move(tw, o, woocommerce.OrderProcessing, ""); err != nil {
		return err
	}
	if _, err = t.move(tw, o, woocommerce.OrderCompleted, ""); err != nil {
		return err
	}
	// WooCommerce (or a proxy) delivers the same webhook twice.
	if err := t.redeliverLast(o); err != nil {
		return err
	}
	if err := t.printReceipt(tw, o, "same delivery again", " (never credited twice)"); err != nil {
		return err
	}
	// Grace pays by bank transfer: on hold, no points yet.
	g, err := t.order("Grace", "Hopper", "grace@example.com", map[int64]int64{beans: 1})
	if err != nil {
		return err
	}
	if _, err = t.move(tw, g, woocommerce.OrderOnHold, ""); err != nil {
		return err
	}
	// A guest checkout without an email address.
	guest, err := t.order("Walk-in", "customer", "", map[int64]int64{beans: 2})
	if err != nil {
		return err
	}
	if _, err = t.move(tw, guest, woocommerce.OrderProcessing, ""); err != nil {
		return err
	}
	// Ada buys the machine.
	m, err := t.order("Ada", "Lovelace", "ada@example.com", map[int64]int64{machine: 1})
	if err != nil {
		return err
	}
	if _, err = t.move(tw, m, woocommerce.OrderCompleted, ""); err != nil {
		return err
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(t.w, "(points are earned on the order total WooCommerce reports, shipping included, rounded down)")
	fmt.Fprintln(t.w)
	return t.printWallet("ada@example.com")
}

// redeliverLast sends the store's last delivery for an order again, byte for byte.
func (t *tour) redeliverLast(o *woocommerce.Order) error {
	ds := t.shop.Deliveries()
	for i := len(ds) - 1; i >= 0; i-- {
		d := ds[i]
		if d.ResourceID != o.ID || d.Ping {
			continue
		}
		req, err := http.NewRequestWithContext(t.ctx, http.MethodPost, d.URL, bytes.NewReader(d.Body))
		if err != nil {
			return err
		}
		req.Header = d.Header.Clone()
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		return resp.Body.Close()
	}
	return fmt.Errorf("no delivery of order %d", o.ID)
}

func (t *tour) printWallet(email string) error {
	wallet, err := t.eng.Wallet(t.ctx, t.card.ID, loyalty.MemberRef{Email: email})
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "%s (member %d, code %s): %s\n", email, wallet.Member.Number, wallet.Member.Code, wallet.BalanceLine)
	for m, err := range t.eng.AllHistory(t.ctx, t.card.ID, wallet.Member.ID) {
		if err != nil {
			return err
		}
		line := fmt.Sprintf("  %+7d  %s", m.Applied, m.Reason)
		if m.Applied != m.Requested {
			line += fmt.Sprintf(" (requested %+d)", m.Requested)
		}
		fmt.Fprintln(t.w, line)
	}
	return nil
}

func (t *tour) emails() error {
	t.section(4, "Emails (in the card's language, from the business, with the Redeem my points link)")
	msgs := t.mail.take()
	for i, m := range msgs {
		fmt.Fprintf(t.w, "to %s  from %q <%s>  reply-to %s\n", m.To, m.From.Name, m.From.Address, m.ReplyTo)
		fmt.Fprintf(t.w, "subject: %s\n", m.Subject)
		if i == 0 {
			for _, line := range strings.Split(strings.TrimRight(m.Text, "\n"), "\n") {
				fmt.Fprintln(t.w, "  | "+shortenLinks(line))
			}
		}
		fmt.Fprintln(t.w)
	}
	// The member clicks the link: signed in without a password, on the redemption block.
	in, err := t.woo.SignInWithLink(t.ctx, tokenOf(msgs[len(msgs)-1].RedeemURL))
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "the link signs %s in (valid until %s): %s, can redeem %s to %s points\n",
		in.Wallet.Member.Email, in.Claims.ExpiresAt.Format(time.DateOnly), in.Wallet.BalanceLine,
		loyalty.FormatPoints(in.Wallet.RedeemMin), loyalty.FormatPoints(in.Wallet.RedeemMax))
	return nil
}

func tokenOf(link string) string {
	_, tok, _ := strings.Cut(link, "token=")
	return tok
}

// shortenLinks keeps the transcript narrow: "token=eyJwIjoic2…".
func shortenLinks(line string) string {
	i := strings.Index(line, "token=")
	if i < 0 || len(line) < i+18 {
		return line
	}
	return line[:i+16] + "…"
}

func (t *tour) redeem() error {
	t.section(5, "Ada turns 1,000 points into a store coupon")
	r, err := t.eng.Redeem(t.ctx, loyalty.RedeemRequest{ProgramID: t.card.ID, Member: loyalty.MemberRef{Email: "ada@example.com"},
		Points: 1000, IdempotencyKey: "card-page-click-1", Actor: "member"})
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "coupon %s worth %s %s, valid until %s (points deducted now)\n", r.Code,
		loyalty.FormatMoney(r.Value, r.Currency), r.Currency, r.ExpiresAt.Format(time.DateOnly))
	cp, _, err := t.admin.Coupons.GetByCode(t.ctx, r.Code)
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "in the store: coupon %d %q, %s %s, usage limit %d (per user %d), only for %s, expires %s\n",
		cp.ID, cp.Code, cp.DiscountType, cp.Amount.StringFixed(2), cp.UsageLimit.Int, cp.UsageLimitPerUser.Int,
		strings.Join(cp.EmailRestrictions, ", "), cp.DateExpiresGMT.Format(time.DateOnly))
	for _, m := range t.mail.take() {
		fmt.Fprintf(t.w, "email to %s: %s\n", m.To, m.Subject)
	}
	return t.printWallet("ada@example.com")
}

func (t *tour) refund() error {
	t.section(6, "The espresso machine comes back: a full refund")
	var machineOrder *woocommerce.Order
	for o, err := range t.admin.Orders.All(t.ctx, &woocommerce.OrderListOptions{Status: []woocommerce.OrderStatus{woocommerce.OrderCompleted}}) {
		if err != nil {
			return err
		}
		if o.Total.GreaterThan(decimal.NewFromInt(500)) {
			machineOrder = &o
		}
	}
	if machineOrder == nil {
		return fmt.Errorf("the machine order is missing")
	}
	amount := woocommerce.Money{Decimal: machineOrder.Total.Decimal}
	if _, _, err := t.admin.Refunds.Create(t.ctx, machineOrder.ID, &woocommerce.RefundRequest{Amount: &amount,
		Reason: "returned", APIRefund: false}); err != nil {
		return err
	}
	if err := t.shop.FlushWebhooks(t.ctx); err != nil {
		return err
	}
	rs, _, err := t.eng.Receipts(t.ctx, t.card.ID, "", loyalty.PageOptions{Limit: 1})
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "order %d refunded in the store → %s: %s\n", machineOrder.ID, rs[0].Outcome, rs[0].Reason)
	return t.printWallet("ada@example.com")
}

func (t *tour) overview() error {
	t.section(7, "Overview: is it working?")
	ov, err := t.woo.Overview(t.ctx, t.conn.ID, 8)
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "connection   %s, %s\n", ov.Connection.State, ov.Webhook.Summary)
	fmt.Fprintf(t.w, "last webhook %s\n", ov.LastDeliveryAt.Format(time.TimeOnly+" MST"))
	fmt.Fprintf(t.w, "last 24 h    %d processed, %d ignored, %d failed\n", ov.Processed, ov.Ignored, ov.Failed)
	if ov.LastFailure != nil {
		fmt.Fprintf(t.w, "last failure %s (%s)\n", ov.LastFailure.Reason, ov.LastFailure.Hint)
	}
	fmt.Fprintln(t.w, "recent deliveries:")
	for _, r := range ov.Receipts {
		fmt.Fprintf(t.w, "  order %-4s %-11s %-9s %s\n", r.OrderID, r.Status, r.Outcome, r.Reason)
	}
	fmt.Fprintln(t.w, "activity log:")
	for _, a := range ov.Activity {
		fmt.Fprintf(t.w, "  %-19s %-8s %s\n", a.Kind, a.Actor, shortenLinks(a.Message))
	}
	fmt.Fprintln(t.w, "\nDone. Read loyalty/wooconnect's documentation to run this against a real store (examples/webhook-server).")
	return nil
}
