package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
)

// Open a store in a file, run the engine on it, and read the points back.
func Example() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "loyalsync-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)

	store, err := sqlite.Open(ctx, filepath.Join(dir, "loyalty.db"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	engine, err := loyalty.New(store)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := engine.SaveProgram(ctx, loyalty.DefaultProgram("card", "EUR"), "admin"); err != nil {
		log.Fatal(err)
	}
	order := loyalty.OrderEvent{Store: "https://shop.example", OrderID: "1042", Status: "completed",
		Total: decimal.RequireFromString("80.00"), Currency: "EUR", BillingName: "Ada", BillingEmail: "ada@example.com"}
	for range 2 { // a redelivered webhook awards nothing more
		res, err := engine.ProcessOrder(ctx, "card", order)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(res.Outcome, res.Reason)
	}
	balance, err := engine.Balance(ctx, "card", loyalty.MemberRef{Email: "ada@example.com"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("balance:", balance)
	// Output:
	// processed awarded 80 points
	// duplicate already processed: the order awarded 80 points
	// balance: 80
}
