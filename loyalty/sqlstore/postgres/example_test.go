package postgres_test

import (
	"context"
	"log"
	"os"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/postgres"
)

// Several engine instances open the same database; each has its own connection pool.
func Example() {
	ctx := context.Background()
	store, err := postgres.Open(ctx, os.Getenv("DATABASE_URL"), postgres.WithSchema("loyalty"), postgres.WithMaxConns(8))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	engine, err := loyalty.New(store, loyalty.WithReceiptSalt([]byte(os.Getenv("LOYALTY_RECEIPT_SALT"))))
	if err != nil {
		log.Fatal(err)
	}
	// At start-up, finish redemptions an earlier instance left halfway.
	if _, err := engine.Recover(ctx); err != nil {
		log.Print(err)
	}
}
