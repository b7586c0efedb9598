package wooconnect_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/memstore"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// Connect a store, let an order arrive through its webhook, and read the balance.
func ExampleConnector_Connect() {
	ctx := context.Background()
	shop := woocommercetest.NewServer(woocommercetest.WithCurrency("EUR"))
	defer shop.Close()
	key := shop.AddKey(woocommercetest.ReadWrite)

	hooks := httptest.NewUnstartedServer(nil)
	woo, err := wooconnect.New(memstore.New(), wooconnect.NewMemoryConnectionStore(),
		wooconnect.WithEncryptionKey([]byte("an-example-key-of-32-bytes-long!")),
		wooconnect.WithWebhookURL("http://"+hooks.Listener.Addr().String()+"/hooks"),
		wooconnect.WithInsecureHTTP()) // the fake store speaks http; real stores need https
	if err != nil {
		log.Fatal(err)
	}
	hooks.Config.Handler = http.StripPrefix("/hooks", woo.Handler())
	hooks.Start()
	defer hooks.Close()

	card := loyalty.DefaultProgram("card", "EUR")
	if _, err := woo.Engine().SaveProgram(ctx, card, "owner"); err != nil {
		log.Fatal(err)
	}
	conn, err := woo.Connect(ctx, wooconnect.ConnectRequest{ProgramID: "card", StoreURL: shop.URL,
		ConsumerKey: key.ConsumerKey, ConsumerSecret: key.ConsumerSecret})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("webhook registered:", conn.WebhookID != 0, "manual set-up:", conn.Manual != nil)

	// The shop takes an order; WooCommerce delivers order.updated.
	admin, err := woocommerce.NewClient(shop.URL, key.ConsumerKey, key.ConsumerSecret)
	if err != nil {
		log.Fatal(err)
	}
	total, status := woocommerce.MustMoney("42.50"), woocommerce.OrderProcessing
	if _, _, err := admin.Orders.Create(ctx, &woocommerce.OrderRequest{Status: &status,
		Billing:  &woocommerce.Address{FirstName: "Ada", Email: "ada@example.com"},
		FeeLines: []woocommerce.FeeLineRequest{{Name: "Goods", Total: &total}}}); err != nil {
		log.Fatal(err)
	}
	if err := shop.FlushWebhooks(ctx); err != nil {
		log.Fatal(err)
	}
	balance, err := woo.Engine().Balance(ctx, "card", loyalty.MemberRef{Email: "ada@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("balance:", balance)
	// Output:
	// webhook registered: true manual set-up: false
	// balance: 42
}

// Sign and verify a "Redeem my points" link; an expired link is told apart from a forged one.
func ExampleLinkSigner() {
	signer, err := wooconnect.NewLinkSigner([]byte("a link signing key of 32+ bytes!"))
	if err != nil {
		log.Fatal(err)
	}
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	token := signer.Sign(wooconnect.PurposeSignIn, "card", "mem_1", now, wooconnect.SignInLinkValidity)

	claims, err := signer.Verify(token, wooconnect.PurposeSignIn, now.Add(24*time.Hour))
	fmt.Println(claims.MemberID, err)
	_, err = signer.Verify(token, wooconnect.PurposeSignIn, now.Add(8*24*time.Hour))
	fmt.Println(err)
	_, err = signer.Verify(token+"x", wooconnect.PurposeSignIn, now)
	fmt.Println(err)
	// Output:
	// mem_1 <nil>
	// wooconnect: link expired
	// wooconnect: link invalid
}

// What staff type in the "redeem for a member" field.
func ExampleParseMemberRef() {
	for _, s := range []string{"ada@example.com", "#42", "K7QH2M9P"} {
		refs, err := wooconnect.ParseMemberRef(s)
		fmt.Printf("%+v %v\n", refs, err)
	}
	// Output:
	// [{ID: Number:0 Code: Email:ada@example.com}] <nil>
	// [{ID: Number:42 Code: Email:}] <nil>
	// [{ID: Number:0 Code:K7QH2M9P Email:}] <nil>
}

// After downtime, catch up from the connection's last reconciled point: WooCommerce never
// redelivers, and the point is kept in the connection store, so a restart after any outage
// applies what was missed, once.
func ExampleConnector_ReconcileSinceLast() {
	ctx := context.Background()
	// The store holds its deliveries (the receiver is down), and skips the creation ping.
	shop := woocommercetest.NewServer(woocommercetest.WithCurrency("EUR"), woocommercetest.WithManualDeliveries(),
		woocommercetest.WithoutPing())
	defer shop.Close()
	key := shop.AddKey(woocommercetest.ReadWrite)
	woo, err := wooconnect.New(memstore.New(), wooconnect.NewMemoryConnectionStore(),
		wooconnect.WithEncryptionKey([]byte("an-example-key-of-32-bytes-long!")),
		wooconnect.WithWebhookURL("http://127.0.0.1:1/hooks"), wooconnect.WithInsecureHTTP())
	if err != nil {
		log.Fatal(err)
	}
	if _, err := woo.Engine().SaveProgram(ctx, loyalty.DefaultProgram("card", "EUR"), "owner"); err != nil {
		log.Fatal(err)
	}
	conn, err := woo.Connect(ctx, wooconnect.ConnectRequest{ProgramID: "card", StoreURL: shop.URL,
		ConsumerKey: key.ConsumerKey, ConsumerSecret: key.ConsumerSecret})
	if err != nil {
		log.Fatal(err)
	}
	admin, err := woocommerce.NewClient(shop.URL, key.ConsumerKey, key.ConsumerSecret)
	if err != nil {
		log.Fatal(err)
	}
	total, status := woocommerce.MustMoney("30.00"), woocommerce.OrderCompleted
	if _, _, err := admin.Orders.Create(ctx, &woocommerce.OrderRequest{Status: &status,
		Billing:  &woocommerce.Address{FirstName: "Ada", Email: "ada@example.com"},
		FeeLines: []woocommerce.FeeLineRequest{{Name: "Goods", Total: &total}}}); err != nil {
		log.Fatal(err)
	}

	for range 2 { // at start-up, then periodically
		rep, err := woo.ReconcileSinceLast(ctx, conn.ID, 7*24*time.Hour)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("processed:", rep.ByOutcome[loyalty.OutcomeProcessed], "bounded:", rep.Bounded)
	}
	balance, err := woo.Engine().Balance(ctx, "card", loyalty.MemberRef{Email: "ada@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("balance:", balance)
	// Output:
	// processed: 1 bounded: false
	// processed: 0 bounded: false
	// balance: 30
}
