// Command sitoo-sync runs a full WooCommerce ↔ Sitoo sync (package sitoo/woosync) and shows its
// progress as a bar.
//
// Without flags it is a demo that needs no network beyond 127.0.0.1: it starts an in-memory
// WooCommerce store (woocommercetest) with a catalog of simple and variable products and an
// in-memory Sitoo account (sitootest) with a virtual warehouse, and sends the catalog and its
// stock to Sitoo:
//
//	go run ./examples/sitoo-sync
//	go run ./examples/sitoo-sync -products 2000 -variants 3
//
// Against real servers give both connections (flags or environment):
//
//	WOO_URL=https://shop.example WOO_KEY=ck_... WOO_SECRET=cs_... \
//	SITOO_BASE_URL=https://api.mysitoo.com/v2/accounts/10020 SITOO_API_ID=10020-140 SITOO_PASSWORD=... \
//	SITOO_SYNC_KEY=<64 hex digits> go run ./examples/sitoo-sync -mode test -site 1 -warehouse 3 \
//	    -steps match_all,send_categories,send_products,send_stock
//
// The mappings are kept in memory, so every run of the command starts by matching: keep
// -steps starting with match_all against real servers.
//
// Orders: the steps fetch_orders, fetch_store2door_orders and send_cac_orders (with -cac-method)
// run like the others; -autosync then keeps the scheduler running (-fetch-orders all|store2door
// makes it fetch Sitoo orders), e.g. in the demo:
//
//	go run ./examples/sitoo-sync -steps match_all,send_products,fetch_store2door_orders \
//	    -fetch-orders store2door -autosync
package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "sitoo-sync:", err)
		os.Exit(1)
	}
}

// config is what the flags and environment give.
type config struct {
	wooURL, wooKey, wooSecret      string
	sitooURL, apiID, password      string
	mode                           string
	site, warehouse                int64
	steps                          string
	key                            string
	products, variants             int
	noBar, verbose, ignore, rateOK bool
	orders                         orderFlags
}

func parse(args []string, errOut io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("sitoo-sync", flag.ContinueOnError)
	fs.SetOutput(errOut)
	env := os.Getenv
	fs.StringVar(&c.wooURL, "woo-url", env("WOO_URL"), "WooCommerce store URL (env WOO_URL); empty: demo with fakes")
	fs.StringVar(&c.wooKey, "woo-key", env("WOO_KEY"), "WooCommerce consumer key (env WOO_KEY)")
	fs.StringVar(&c.wooSecret, "woo-secret", env("WOO_SECRET"), "WooCommerce consumer secret (env WOO_SECRET)")
	fs.StringVar(&c.sitooURL, "sitoo-url", env("SITOO_BASE_URL"), "Sitoo base URL with the account (env SITOO_BASE_URL)")
	fs.StringVar(&c.apiID, "sitoo-api-id", env("SITOO_API_ID"), "Sitoo API ID (env SITOO_API_ID)")
	fs.StringVar(&c.password, "sitoo-password", env("SITOO_PASSWORD"), "Sitoo API password (env SITOO_PASSWORD)")
	fs.StringVar(&c.mode, "mode", "test", "test or live: which Sitoo credentials the settings hold")
	fs.Int64Var(&c.site, "site", 1, "Sitoo site (eshop id)")
	fs.Int64Var(&c.warehouse, "warehouse", 0, "Sitoo warehouse for stock (demo: its virtual warehouse)")
	fs.StringVar(&c.steps, "steps", "match_all,send_categories,send_products,send_stock", "steps in order, comma-separated")
	fs.StringVar(&c.key, "key", env("SITOO_SYNC_KEY"), "64 hex digits sealing the stored credentials (env SITOO_SYNC_KEY; default: random per run)")
	fs.IntVar(&c.products, "products", 300, "demo: WooCommerce products to create")
	fs.IntVar(&c.variants, "variants", 3, "demo: variations per product (0: simple products)")
	fs.BoolVar(&c.noBar, "no-progress", false, "print one line per step instead of a progress bar")
	fs.BoolVar(&c.verbose, "v", false, "log every step (slog) to stderr")
	fs.BoolVar(&c.ignore, "ignore-errors", true, "skip and report items that cannot be synced")
	fs.BoolVar(&c.rateOK, "check-rate-limit", true, "wait for Sitoo's rate-limit window before each step")
	c.orders.register(fs)
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if c.wooURL != "" && (c.sitooURL == "" || c.apiID == "" || c.password == "" || c.wooKey == "" || c.wooSecret == "") {
		return nil, errors.New("against real servers give -woo-url, -woo-key, -woo-secret, -sitoo-url, -sitoo-api-id and -sitoo-password")
	}
	if c.products < 0 || c.variants < 0 {
		return nil, errors.New("-products and -variants must not be negative")
	}
	return c, nil
}

func run(ctx context.Context, args []string, out, errOut io.Writer) error {
	c, err := parse(args, errOut)
	if err != nil {
		return err
	}
	key := make([]byte, woosync.EncryptionKeySize)
	if c.key != "" {
		if key, err = hex.DecodeString(c.key); err != nil || len(key) != woosync.EncryptionKeySize {
			return errors.New("-key must be 64 hex digits")
		}
	} else if _, err := rand.Read(key); err != nil {
		return err
	}
	logger := slog.New(slog.DiscardHandler)
	if c.verbose {
		logger = slog.New(slog.NewTextHandler(errOut, nil))
	}

	var wooOpts []woocommerce.Option
	var sitooOpts []sitoo.Option
	if c.wooURL == "" {
		fmt.Fprintf(out, "demo: %d WooCommerce products × %d variations → Sitoo (in-memory fakes)\n", c.products, c.variants)
		woo := woocommercetest.NewServer(woocommercetest.WithoutPing())
		defer woo.Close()
		st := sitootest.NewServer()
		defer st.Close()
		k := woo.AddKey(woocommercetest.ReadWrite)
		c.wooURL, c.wooKey, c.wooSecret = woo.URL, k.ConsumerKey, k.ConsumerSecret
		c.sitooURL, c.apiID, c.password = st.URL, st.APIID, st.Password
		c.warehouse = st.AddWarehouse(c.site, sitoo.Warehouse{Name: "Webshop", WarehouseType: sitoo.WarehouseTypeVirtual})
		if err := seed(woo, c.products, c.variants); err != nil {
			return err
		}
		seedOrders(st, c.site, c.orders.demoOrders)
		wooOpts = append(wooOpts, woocommerce.WithHTTPClient(woo.Client()))
		sitooOpts = append(sitooOpts, sitoo.WithHTTPClient(st.Client()))
	}
	wc, err := woocommerce.NewClient(c.wooURL, c.wooKey, c.wooSecret, append(wooOpts, woocommerce.WithLogger(logger))...)
	if err != nil {
		return err
	}
	syncer, err := woosync.New(woosync.NewMemoryStore(), wc, woosync.WithEncryptionKey(key), woosync.WithLogger(logger),
		woosync.WithSitooOptions(append(sitooOpts, sitoo.WithLogger(logger))...))
	if err != nil {
		return err
	}
	creds := woosync.Credentials{APIID: c.apiID, Password: c.password, BaseURL: c.sitooURL}
	set := woosync.Settings{Mode: woosync.Mode(c.mode), SiteID: c.site, WarehouseID: c.warehouse,
		IgnoreErrors: c.ignore, CheckRateLimit: c.rateOK}
	c.orders.apply(&set)
	if set.Mode == woosync.ModeLive {
		set.Live = creds
	} else {
		set.Test = creds
	}
	if _, err := syncer.Connect(ctx, set); err != nil {
		return err
	}
	var steps []woosync.Step
	for _, s := range strings.Split(c.steps, ",") {
		if s = strings.TrimSpace(s); s != "" {
			steps = append(steps, woosync.Step(s))
		}
	}
	bar := newBar(out, !c.noBar)
	rep, err := syncer.FullSync(ctx, steps, bar.update)
	bar.finish()
	if rep != nil {
		for _, s := range rep.Steps {
			fmt.Fprintf(out, "%-22s done %6d  skipped %6d  failed %4d\n", s.Step, s.Done, s.Skipped, s.Failed)
			for i, e := range s.Errors {
				if i == 5 {
					fmt.Fprintf(out, "  ... %d more\n", len(s.Errors)-5)
					break
				}
				fmt.Fprintln(out, "  "+e.Error())
			}
		}
	}
	if err != nil {
		return err
	}
	o, err := syncer.Overview(ctx, 0)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "mapped: %d categories, %d products, %d variations\n",
		o.Mappings[woosync.KindCategory], o.Mappings[woosync.KindProduct], o.Mappings[woosync.KindVariation])
	if c.orders.autosync {
		return autosync(ctx, syncer, c.orders.ticks, out)
	}
	return nil
}

// seed fills the demo store: n products in two categories, variable ones with variants sizes.
func seed(woo *woocommercetest.Server, n, variants int) error {
	cats := make([]int64, 2)
	for i, name := range []string{"Clothes", "Home"} {
		id, err := woo.AddCategory(name, 0)
		if err != nil {
			return err
		}
		cats[i] = id
	}
	sizes := []string{"XS", "S", "M", "L", "XL", "XXL"}
	for i := range n {
		p := woocommercetest.Product{Name: fmt.Sprintf("Product %d", i), SKU: fmt.Sprintf("P%05d", i), RegularPrice: "19.90",
			ManageStock: true, StockQuantity: int64(i % 20), CategoryIDs: []int64{cats[i%2]}}
		if variants == 0 {
			if _, err := woo.AddProduct(p); err != nil {
				return err
			}
			continue
		}
		p.ManageStock = false
		opts := make([]string, variants)
		vars := make([]woocommercetest.Product, variants)
		for k := range variants {
			opts[k] = sizes[k%len(sizes)]
			if k >= len(sizes) {
				opts[k] += fmt.Sprint(k)
			}
			vars[k] = woocommercetest.Product{SKU: fmt.Sprintf("%s-%s", p.SKU, opts[k]), RegularPrice: "19.90", ManageStock: true, StockQuantity: int64(k + 1)}
		}
		if _, _, err := woo.AddVariableProduct(p, "Size", opts, vars); err != nil {
			return err
		}
	}
	return nil
}
