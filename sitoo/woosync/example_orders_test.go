package woosync_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// Autosync on the two fakes: the scheduler fetches the new Sitoo orders into WooCommerce every
// 15 minutes (every minute in test mode), by the clock it is given.
func ExampleScheduler() {
	ctx := context.Background()
	wooSrv := woocommercetest.NewServer(woocommercetest.WithoutPing())
	defer wooSrv.Close()
	sitooSrv := sitootest.NewServer()
	defer sitooSrv.Close()
	key := wooSrv.AddKey(woocommercetest.ReadWrite)
	wc, _ := woocommerce.NewClient(wooSrv.URL, key.ConsumerKey, key.ConsumerSecret, woocommerce.WithHTTPClient(wooSrv.Client()))

	now := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	syncer, err := woosync.New(woosync.NewMemoryStore(), wc,
		woosync.WithEncryptionKey(bytes.Repeat([]byte{1}, woosync.EncryptionKeySize)),
		woosync.WithClock(func() time.Time { return now }),
		woosync.WithLogger(slog.New(slog.DiscardHandler)),
		woosync.WithSitooOptions(sitoo.WithHTTPClient(sitooSrv.Client())))
	if err != nil {
		panic(err)
	}
	set := woosync.Settings{Mode: woosync.ModeTest, SiteID: 1,
		Test: woosync.Credentials{APIID: sitooSrv.APIID, Password: sitooSrv.Password, BaseURL: sitooSrv.URL}}
	set.Autosync, set.AutoFetchOrders = true, woosync.OrdersStore2Door
	if _, err := syncer.Connect(ctx, set); err != nil {
		panic(err)
	}
	sitooSrv.AddOrder(1, sitoo.Order{OrderItems: []sitoo.OrderItem{{ProductName: "Sofa", Quantity: 1}}})

	sched, err := woosync.NewScheduler(syncer)
	if err != nil {
		panic(err)
	}
	for range 2 {
		results, err := sched.Tick(ctx)
		if err != nil {
			panic(err)
		}
		for _, r := range results {
			fmt.Printf("%s: %d fetched, err %v\n", r.Task, r.Report.Steps[0].Done, r.Err)
		}
		now = now.Add(woosync.TestModeInterval)
	}
	// Output:
	// orders: 1 fetched, err <nil>
	// orders: 0 fetched, err <nil>
}
