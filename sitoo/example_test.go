package sitoo_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
)

// A test and a live installation are two Sitoo accounts with their own credentials and unrelated
// ids: configure two clients and pick one.
func ExampleNewClient_testAndLive() {
	clients := map[string]*sitoo.Client{}
	for mode, cfg := range map[string]struct{ host, apiID, password string }{
		"live": {sitoo.ProductionHost, "10020-140", "live-password"},
		"test": {sitoo.SandboxHost, "91622-3", "test-password"},
	} {
		acct, err := sitoo.AccountIDFromAPIID(cfg.apiID)
		if err != nil {
			log.Fatal(err)
		}
		c, err := sitoo.NewClient(sitoo.AccountURL(cfg.host, acct), cfg.apiID, cfg.password)
		if err != nil {
			log.Fatal(err)
		}
		clients[mode] = c
		fmt.Println(mode, sitoo.AccountURL(cfg.host, acct))
	}
	client := clients["test"]
	_ = client.Site(1) // the webshop's eshop id
	// Unordered output:
	// live https://api.mysitoo.com/v2/accounts/10020
	// test https://api-sandbox.mysitoo.com/v2/accounts/91622
}

func ExampleProductsService_All() {
	srv := sitootest.NewServer()
	defer srv.Close()
	srv.SeedProducts(1, 3)
	client, err := sitoo.NewClient(srv.URL, srv.APIID, srv.Password)
	if err != nil {
		log.Fatal(err)
	}

	opts := &sitoo.ProductListOptions{ListOptions: sitoo.ListOptions{Num: 2, Fields: []string{"productid", "sku", "moneyprice"}}}
	for p, err := range client.Site(1).Products.All(context.Background(), opts) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(p.SKU, p.MoneyPrice)
	}
	// Output:
	// SKU-000001 10.00
	// SKU-000002 11.00
	// SKU-000003 12.00
}

func ExampleProductsService_Update() {
	srv := sitootest.NewServer()
	defer srv.Close()
	client, _ := srv.NewClient()
	ctx := context.Background()
	products := client.Site(1).Products

	id, _, err := products.Create(ctx, &sitoo.ProductRequest{SKU: sitoo.Ptr("Q100"), Title: sitoo.Ptr("Box"), MoneyPrice: sitoo.Ptr(sitoo.MustMoney("99"))})
	if err != nil {
		log.Fatal(err)
	}
	// Only the fields set are sent: the title stays.
	if _, err := products.Update(ctx, id, &sitoo.ProductRequest{MoneyPrice: sitoo.Ptr(sitoo.MustMoney("89.50"))}); err != nil {
		log.Fatal(err)
	}
	p, _, _ := products.Get(ctx, id)
	fmt.Println(p.Title, p.MoneyPrice)
	// Output: Box 89.50
}

func ExampleWarehouseTransactionsService_Add() {
	srv := sitootest.NewServer()
	defer srv.Close()
	srv.SeedProducts(1, 1)
	store := srv.AddWarehouse(1, sitoo.Warehouse{Name: "Store"})
	web := srv.AddWarehouse(1, sitoo.Warehouse{Name: "Web", WarehouseType: sitoo.WarehouseTypeVirtual})
	client, _ := srv.NewClient()
	ctx := context.Background()
	site := client.Site(1)

	// A FIFO warehouse changes stock through transactions: signed deltas.
	rs, _, err := site.WarehouseTransactions.Add(ctx, []sitoo.WarehouseTransactionRequest{{
		WarehouseID: store, TransactionType: sitoo.TransactionTypeMoveIn, Description: "Delivery",
		Items: []sitoo.TransactionItem{{SKU: "SKU-000001", DecimalQuantity: sitoo.MustDecimal("12")}},
	}})
	if err == nil {
		err = rs.Err()
	}
	fmt.Println(err, srv.Stock(1, store, "SKU-000001"))

	// A Virtual warehouse takes absolute stock levels, and no transactions.
	_, _, err = site.WarehouseTransactions.Add(ctx, []sitoo.WarehouseTransactionRequest{{
		WarehouseID: web, TransactionType: sitoo.TransactionTypeMoveIn,
		Items: []sitoo.TransactionItem{{SKU: "SKU-000001", DecimalQuantity: sitoo.MustDecimal("1")}},
	}})
	fmt.Println(errors.Is(err, sitoo.ErrVirtualWarehouse))
	_, _, _ = site.WarehouseItems.Set(ctx, web, []sitoo.WarehouseItemRequest{{SKU: "SKU-000001", DecimalTotal: sitoo.Ptr(sitoo.MustDecimal("7"))}})
	fmt.Println(srv.Stock(1, web, "SKU-000001"))
	// Output:
	// <nil> 12.000
	// true
	// 7.000
}

func ExampleWarehouseBatchesService_Apply() {
	srv := sitootest.NewServer()
	defer srv.Close()
	srv.SeedProducts(1, 2)
	store := srv.AddWarehouse(1, sitoo.Warehouse{Name: "Store"})
	srv.SetStock(1, store, "SKU-000001", sitoo.MustDecimal("10"))
	client, _ := srv.NewClient()

	// A stock count: create the batch, add the counted items, commit (state 10 → 20).
	_, _, err := client.Site(1).WarehouseBatches.Apply(context.Background(), store,
		&sitoo.WarehouseBatchRequest{TransactionType: sitoo.TransactionTypeStocktaking, Comment: sitoo.Ptr("Monthly count")},
		[]sitoo.WarehouseBatchItemRequest{
			{SKU: "SKU-000001", DecimalQuantity: sitoo.MustDecimal("9")},
			{SKU: "SKU-000002", DecimalQuantity: sitoo.MustDecimal("3")},
		})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(srv.Stock(1, store, "SKU-000001"), srv.Stock(1, store, "SKU-000002"))
	// Output: 9.000 3.000
}

func ExampleOrdersService_Create() {
	srv := sitootest.NewServer()
	defer srv.Close()
	client, _ := srv.NewClient()
	ctx := context.Background()
	orders := client.Site(1).Orders

	id, _, err := orders.Create(ctx, &sitoo.OrderRequest{
		OrderTypeID:    sitoo.Ptr(sitoo.OrderTypeOrder),
		ExternalID:     sitoo.Ptr("WOO-1001"), // unique: makes the create safe to retry
		PaymentStateID: sitoo.Ptr(sitoo.PaymentStateSuccessful),
		Email:          sitoo.Ptr("kim@example.com"),
		OrderItems: []sitoo.OrderItemRequest{
			{ProductName: "Wool Throw", SKU: "LS-1", Quantity: 2, MoneyRowPrice: sitoo.Ptr(sitoo.MustMoney("250")), VATValue: sitoo.Ptr(sitoo.PercentFromInt(25))},
		},
		AdditionalData: map[string]string{sitoo.AdditionalDataCRMCustomerID: "C-42"},
	})
	if err != nil {
		log.Fatal(err)
	}
	// Orders cannot be deleted: cancel them.
	if _, err := orders.Cancel(ctx, id); err != nil {
		log.Fatal(err)
	}
	o, _, _ := orders.Get(ctx, id)
	fmt.Println(o.MoneyTotalNet, o.MoneyTotalVAT, o.MoneyTotalGrossAll, o.OrderStateID == sitoo.OrderStateCancelled)
	// Output: 200.00 50.00 250.00 true
}

func ExampleBatchResults_Err() {
	srv := sitootest.NewServer()
	defer srv.Close()
	client, _ := srv.NewClient()

	rs, _, err := client.Site(1).Manufacturers.BatchCreate(context.Background(), []sitoo.ManufacturerRequest{
		{Name: sitoo.Ptr("Nordic Wool")}, {Name: sitoo.Ptr("Linen & Co"), Email: sitoo.Ptr("sales@example.com")},
	})
	if err != nil {
		log.Fatal(err) // the request as a whole failed
	}
	if err := rs.Err(); err != nil {
		log.Fatal(err) // some items failed: each is an *ItemError
	}
	for _, r := range rs {
		fmt.Println(r.Index, r.StatusCode, r.ID > 0)
	}
	// Output:
	// 0 200 true
	// 1 200 true
}

// Do calls endpoints and fields the library does not model, with the client's credentials,
// retries and pacing.
func ExampleClient_Do() {
	srv := sitootest.NewServer()
	defer srv.Close()
	srv.SeedProducts(1, 3)
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}

	req, err := client.NewRequest(http.MethodGet, "sites/1/products.json?fields=productid,sku&num=2", nil)
	if err != nil {
		log.Fatal(err)
	}
	var page struct {
		TotalCount int `json:"totalcount"`
		Items      []struct {
			ProductID int64  `json:"productid"`
			SKU       string `json:"sku"`
		} `json:"items"`
	}
	resp, err := client.Do(context.Background(), req, &page)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, page.TotalCount, page.Items[0].SKU, page.Items[1].SKU)

	req, _ = client.NewRequest(http.MethodGet, "sites/1/products/999.json", nil)
	_, err = client.Do(context.Background(), req, nil)
	fmt.Println(errors.Is(err, sitoo.ErrNotFound))
	// Output:
	// 200 3 SKU-000001 SKU-000002
	// true
}

func ExampleClient_RateLimit() {
	srv := sitootest.NewServer(sitootest.WithRateLimit(10, 100))
	defer srv.Close()
	client, _ := srv.NewClient()
	ctx := context.Background()

	if _, _, err := client.Site(1).Warehouses.List(ctx, nil); err != nil {
		log.Fatal(err)
	}
	// Check the budget before starting a full sync.
	if rl, ok := client.RateLimit(); ok && rl.Remaining < 50 {
		fmt.Println("postpone the full sync")
	} else {
		fmt.Println("budget:", rl.Remaining, "of", rl.Limit)
	}
	// Output: budget: 99 of 100
}

func ExampleNewEventHandler() {
	h, err := sitoo.NewEventHandler(func(ctx context.Context, ev sitoo.Event) error {
		// Keep it fast (Sitoo waits 15 s at most): record the event or queue the work.
		if ev.Type == sitoo.EventTypeOrder {
			d, err := ev.OrderData()
			if err != nil {
				return nil // malformed data will not get better on a retry: skip it
			}
			fmt.Println("order", d.OrderID, d.OrderEventType, d.OrderStateChanged)
		}
		return nil // an error would answer 503 and make Sitoo retry
	}, sitoo.WithEventAuth("sitoo-events", "a-secret-of-its-own"))
	if err != nil {
		log.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	body := `[{"event_id":"5e9fd002119a4c5fb4de5ccb9d0b90ea","event_type":"order","event_date":1611138542,"account_id":1500,
		"data":{"eshop_id":1,"order_id":12345,"order_event_type":"update","order_state_changed":"closed"}}]`
	for range 2 { // Sitoo may deliver the same event twice
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.SetBasicAuth("sitoo-events", "a-secret-of-its-own")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	// Output:
	// order 12345 update closed
	// 200
	// 200
}
