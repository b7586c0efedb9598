package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// orderFlags are the order, click & collect and autosync options.
type orderFlags struct {
	autosync                          bool
	ticks                             int
	fetchOrders, cacMethod, cacStatus string
	demoOrders                        int
}

func (o *orderFlags) register(fs *flag.FlagSet) {
	fs.BoolVar(&o.autosync, "autosync", false, "after the steps, run the autosync scheduler (stock every 3 min, others every 15; test mode every minute) until interrupted")
	fs.IntVar(&o.ticks, "autosync-ticks", 0, "with -autosync: stop after this many scheduler ticks, 20 s apart (0: until interrupted)")
	fs.StringVar(&o.fetchOrders, "fetch-orders", "", `autosync fetches Sitoo orders: "all" or "store2door" (steps: fetch_orders, fetch_store2door_orders)`)
	fs.StringVar(&o.cacMethod, "cac-method", "", "shipping method id of Click and Collect orders, e.g. local_pickup (step: send_cac_orders)")
	fs.StringVar(&o.cacStatus, "cac-statuses", "processing", "WooCommerce statuses on which CAC orders go to Sitoo, comma-separated")
	fs.IntVar(&o.demoOrders, "orders", 20, "demo: Sitoo orders to create (nothing delivered: Store2Door)")
}

// apply copies the flags into the settings.
func (o *orderFlags) apply(set *woosync.Settings) {
	set.Autosync = o.autosync
	set.AutoFetchOrders = woosync.OrderFetch(o.fetchOrders)
	set.CACMethodID = o.cacMethod
	for _, s := range strings.Split(o.cacStatus, ",") {
		if s = strings.TrimSpace(s); s != "" && o.cacMethod != "" {
			set.CACStatuses = append(set.CACStatuses, woocommerce.OrderStatus(s))
		}
	}
}

// seedOrders creates n Sitoo orders in the demo account, each with one row of a demo SKU.
func seedOrders(st *sitootest.Server, site int64, n int) {
	for i := range n {
		st.AddOrder(site, sitoo.Order{Email: fmt.Sprintf("customer%d@example.com", i), NameFirst: "Demo",
			OrderItems: []sitoo.OrderItem{{ProductName: "Product 0", SKU: "P00000", Quantity: 1, MoneyItemTotalNet: sitoo.MustMoney("15.92")}}})
	}
}

// autosync runs the scheduler: ticks times 20 s apart, or until ctx ends when ticks is 0.
func autosync(ctx context.Context, syncer *woosync.Syncer, ticks int, out io.Writer) error {
	sched, err := woosync.NewScheduler(syncer)
	if err != nil {
		return err
	}
	if ticks == 0 {
		fmt.Fprintln(out, "autosync: running until interrupted")
		return ignoreCancel(sched.Run(ctx))
	}
	for i := range ticks {
		if i > 0 {
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(20 * time.Second):
			}
		}
		results, err := sched.Tick(ctx)
		if err != nil {
			return ignoreCancel(err)
		}
		for _, r := range results {
			switch {
			case r.Busy:
				fmt.Fprintf(out, "autosync %-9s busy elsewhere\n", r.Task)
			case r.Err != nil:
				fmt.Fprintf(out, "autosync %-9s failed: %v\n", r.Task, r.Err)
			default:
				done, skipped := 0, 0
				for _, s := range r.Report.Steps {
					done, skipped = done+s.Done, skipped+s.Skipped
				}
				fmt.Fprintf(out, "autosync %-9s done %6d  skipped %6d  failed %4d\n", r.Task, done, skipped, r.Report.Failed())
			}
		}
	}
	return nil
}

func ignoreCancel(err error) error {
	if errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
