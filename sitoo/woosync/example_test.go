package woosync_test

import (
	"bytes"
	"context"
	"fmt"
	"log"
	"log/slog"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// Connect a WooCommerce store to a Sitoo account (both fakes here), then send the catalog and
// its stock with a full sync that reports its progress.
func Example() {
	ctx := context.Background()
	shop := woocommercetest.NewServer(woocommercetest.WithoutPing())
	defer shop.Close()
	pos := sitootest.NewServer()
	defer pos.Close()
	web := pos.AddWarehouse(1, sitoo.Warehouse{Name: "Web", WarehouseType: sitoo.WarehouseTypeVirtual})
	_, _ = shop.AddProduct(woocommercetest.Product{Name: "Mug", SKU: "MUG-1", RegularPrice: "12.50", ManageStock: true, StockQuantity: 7})
	_, _, _ = shop.AddVariableProduct(woocommercetest.Product{Name: "Tee", SKU: "TEE"}, "Size", []string{"S", "M"},
		[]woocommercetest.Product{{SKU: "TEE-S", RegularPrice: "20", ManageStock: true, StockQuantity: 2}, {SKU: "TEE-M", RegularPrice: "20"}})

	key := shop.AddKey(woocommercetest.ReadWrite)
	wc, err := woocommerce.NewClient(shop.URL, key.ConsumerKey, key.ConsumerSecret, woocommerce.WithHTTPClient(shop.Client()))
	if err != nil {
		log.Fatal(err)
	}
	syncer, err := woosync.New(woosync.NewMemoryStore(), wc,
		woosync.WithEncryptionKey(bytes.Repeat([]byte{1}, woosync.EncryptionKeySize)), // use a secret key
		woosync.WithLogger(slog.New(slog.DiscardHandler)),
		woosync.WithSitooOptions(sitoo.WithHTTPClient(pos.Client())))
	if err != nil {
		log.Fatal(err)
	}
	_, err = syncer.Connect(ctx, woosync.Settings{
		Mode:        woosync.ModeTest,
		Test:        woosync.Credentials{APIID: pos.APIID, Password: pos.Password, BaseURL: pos.URL},
		SiteID:      1,
		WarehouseID: web,
	})
	if err != nil {
		log.Fatal(err)
	}
	var last woosync.Progress
	rep, err := syncer.FullSync(ctx, []woosync.Step{woosync.StepMatchAll, woosync.StepSendCategories, woosync.StepSendProducts},
		func(p woosync.Progress) {
			if p.Total > 0 && p.Done == p.Total && p != last {
				fmt.Printf("step %d/%d %s: %d/%d\n", p.Index, p.Steps, p.Step, p.Done, p.Total)
			}
			last = p
		})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("sent:", rep.Steps[2].Done, "failed:", rep.Failed())
	fmt.Println("Sitoo stock of TEE-S:", pos.Stock(1, web, "TEE-S").IntPart())
	// Output:
	// step 1/3 match_all: 2/2
	// step 2/3 send_categories: 1/1
	// step 3/3 send_products: 2/2
	// sent: 2 failed: 0
	// Sitoo stock of TEE-S: 2
}
