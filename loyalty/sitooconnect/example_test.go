package sitooconnect_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strconv"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/memstore"
	"github.com/loyalsync/loyalsync/loyalty/sitooconnect"
	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
)

// A Sitoo account linked to a loyalty card: the POS adds a customer through the CRM SPI,
// records a sale, Sitoo delivers the order event, and the points are on the card.
func ExampleConnector() {
	ctx := context.Background()
	account := sitootest.NewServer() // a fake Sitoo account; use the real base URL in production
	defer account.Close()
	con, err := sitooconnect.New(memstore.New(), sitooconnect.NewMemoryConnectionStore(),
		sitooconnect.WithEncryptionKey([]byte("example-key-32-bytes-long-000000")),
		sitooconnect.WithClientOptions(sitoo.WithHTTPClient(account.Client())))
	if err != nil {
		fmt.Println(err)
		return
	}
	if _, err := con.Engine().SaveProgram(ctx, loyalty.DefaultProgram("card", "EUR"), "owner"); err != nil {
		fmt.Println(err)
		return
	}
	spi := httptest.NewServer(con.Handler()) // mount under your public HTTPS prefix
	defer spi.Close()
	acct, _ := strconv.ParseInt(account.AccountID, 10, 64)
	rec, err := con.Connect(ctx, sitooconnect.ConnectRequest{ProgramID: "card", BaseURL: account.URL, AccountID: acct,
		APIID: account.APIID, APIPassword: account.Password, CRMUsername: "crm", CRMPassword: "crm-secret",
		EventsUsername: "events", EventsPassword: "events-secret"})
	if err != nil {
		fmt.Println(err)
		return
	}

	pos, _ := sitootest.NewPOS(account)
	pos.CRMURL, pos.CRMUser, pos.CRMPassword = spi.URL+"/"+rec.ID+"/crm", "crm", "crm-secret"
	pos.EventsURL, pos.EventsUser, pos.EventsPassword = spi.URL+"/"+rec.ID+"/events", "events", "events-secret"
	cu, _, err := pos.AddCustomer(ctx, map[string]any{"email": "ana@example.org", "name_first": "Ana", "name_last": "Berg"})
	if err != nil {
		fmt.Println(err)
		return
	}
	customer := sitootest.Customer{CustomerID: cu["customer_id"].(string)}
	if _, err := pos.Sale(ctx, customer, sitootest.Row{Name: "Scarf", Price: "49.90", Quantity: 1}); err != nil {
		fmt.Println(err)
		return
	}
	if err := pos.Deliver(ctx); err != nil { // Sitoo posts the order event; it is persisted
		fmt.Println(err)
		return
	}
	if _, err := con.ProcessPending(ctx, rec.ID); err != nil { // read over REST and applied
		fmt.Println(err)
		return
	}
	found, _, _ := pos.SearchCustomer(ctx, sitooconnect.KeyEmail, "ana@example.org")
	card := found[0]["sections"].([]any)[0].(map[string]any)["values"].([]any)
	fmt.Println(found[0]["name_first"], found[0]["name_last"], "-", card[0].(map[string]any)["text"], "points")
	// Output: Ana Berg - 49 points
}
