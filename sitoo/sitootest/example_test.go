package sitootest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"time"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
)

func ExampleNewServer() {
	srv := sitootest.NewServer()
	defer srv.Close()
	srv.SeedProducts(1, 2)
	client, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	products, resp, err := client.Site(1).Products.List(context.Background(), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.TotalCount, products[0].SKU, products[1].SKU)
	// Output: 2 SKU-000001 SKU-000002
}

func ExampleServer_Faults() {
	srv := sitootest.NewServer()
	defer srv.Close()
	client, _ := srv.NewClient(sitoo.WithRetry(1, time.Millisecond, time.Millisecond))

	// Two 503s in a row: the GET is retried once, then the error reaches the caller.
	srv.Faults().Add(faults.Rule{Method: http.MethodGet, Path: srv.Path("sites/1/warehouses.json"), Times: 2,
		Status: http.StatusServiceUnavailable, Body: `{"statuscode":503,"errortext":"Service Unavailable"}`})
	_, _, err := client.Site(1).Warehouses.List(context.Background(), nil)
	fmt.Println(errors.Is(err, sitoo.ErrServer), srv.Faults().Injected())
	// Output: true 2
}
