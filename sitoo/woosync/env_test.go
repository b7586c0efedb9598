package woosync_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/woocommerce"
	"github.com/loyalsync/loyalsync/woocommerce/woocommercetest"
)

// env is a WooCommerce fake, a Sitoo fake and a Syncer between them.
type env struct {
	t       testing.TB
	ctx     context.Context
	woo     *woocommercetest.Server
	sitoo   *sitootest.Server
	wc      *woocommerce.Client
	store   *woosync.MemoryStore
	syncer  *woosync.Syncer
	virtual int64 // a Virtual warehouse of site 1
	fifo    int64 // a FIFO warehouse of site 1
}

var testKey = bytes.Repeat([]byte{7}, woosync.EncryptionKeySize)

type envOption struct {
	sitoo  []sitootest.Option
	syncer []woosync.Option
	woo    []woocommercetest.Option
	// wooTransport wraps the WooCommerce client's transport (to count requests).
	wooTransport func(http.RoundTripper) http.RoundTripper
}

func newEnv(t testing.TB, o envOption) *env {
	t.Helper()
	e := &env{t: t, ctx: context.Background()}
	e.woo = woocommercetest.NewServer(append([]woocommercetest.Option{woocommercetest.WithoutPing()}, o.woo...)...)
	t.Cleanup(e.woo.Close)
	e.sitoo = sitootest.NewServer(o.sitoo...)
	t.Cleanup(e.sitoo.Close)
	key := e.woo.AddKey(woocommercetest.ReadWrite)
	var err error
	hc := e.woo.Client()
	if o.wooTransport != nil {
		hc = &http.Client{Transport: o.wooTransport(hc.Transport)}
	}
	e.wc, err = woocommerce.NewClient(e.woo.URL, key.ConsumerKey, key.ConsumerSecret,
		woocommerce.WithHTTPClient(hc), woocommerce.WithRetry(0, time.Millisecond, time.Millisecond))
	require.NoError(t, err)
	e.virtual = e.sitoo.AddWarehouse(1, sitoo.Warehouse{Name: "Web", WarehouseType: sitoo.WarehouseTypeVirtual})
	e.fifo = e.sitoo.AddWarehouse(1, sitoo.Warehouse{Name: "Store"})
	e.store = woosync.NewMemoryStore()
	opts := append([]woosync.Option{woosync.WithEncryptionKey(testKey), woosync.WithLogger(slog.New(slog.DiscardHandler)),
		woosync.WithSitooOptions(sitoo.WithHTTPClient(e.sitoo.Client()))}, o.syncer...)
	e.syncer, err = woosync.New(e.store, e.wc, opts...)
	require.NoError(t, err)
	return e
}

// settings are valid test-mode settings for the Sitoo fake, stock in the Virtual warehouse.
func (e *env) settings() woosync.Settings {
	return woosync.Settings{
		Mode:        woosync.ModeTest,
		Test:        woosync.Credentials{APIID: e.sitoo.APIID, Password: e.sitoo.Password, BaseURL: e.sitoo.URL},
		SiteID:      1,
		WarehouseID: e.virtual,
	}
}

// connect saves settings (with changes applied) and fails the test on error.
func (e *env) connect(change func(*woosync.Settings)) {
	e.t.Helper()
	s := e.settings()
	if change != nil {
		change(&s)
	}
	_, err := e.syncer.Connect(e.ctx, s)
	require.NoError(e.t, err)
}

// stock is a SKU's stock in the Virtual warehouse.
func (e *env) stock(sku string) int64 { return e.sitoo.Stock(1, e.virtual, sku).IntPart() }
