package sitooconnect_test

import (
	"context"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/memstore"
	"github.com/loyalsync/loyalsync/loyalty/sitooconnect"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
)

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

// env is a Sitoo account (fake) with a POS, a connector serving the CRM and Events SPIs on
// 127.0.0.1, and program "card" in EUR linked to the account.
type env struct {
	t     testing.TB
	ctx   context.Context
	clock *storetest.Clock
	sitoo *sitootest.Server
	pos   *sitootest.POS
	conns sitooconnect.ConnectionStore
	con   *sitooconnect.Connector
	eng   *loyalty.Engine
	rec   sitooconnect.ConnectionRecord
	srv   *httptest.Server
}

func newEnv(t testing.TB, edit func(p *loyalty.Program)) *env {
	t.Helper()
	return newEnvOn(t, memstore.New(), sitooconnect.NewMemoryConnectionStore(), edit)
}

// newEnvOn is newEnv over the given loyalty and connection stores.
func newEnvOn(t testing.TB, store loyalty.Store, conns sitooconnect.ConnectionStore, edit func(p *loyalty.Program)) *env {
	t.Helper()
	e := &env{t: t, ctx: t.Context(), clock: storetest.NewClock(start), conns: conns}
	e.sitoo = sitootest.NewServer(sitootest.WithClock(e.clock.Now))
	t.Cleanup(e.sitoo.Close)
	var err error
	e.con, err = sitooconnect.New(store, e.conns, sitooconnect.WithEncryptionKey(make([]byte, 32)),
		sitooconnect.WithClock(e.clock), sitooconnect.WithRandom(rand.NewChaCha8([32]byte{7})),
		sitooconnect.WithClientOptions(sitoo.WithHTTPClient(e.sitoo.Client())),
		sitooconnect.WithEngineOptions(loyalty.WithReceiptSalt([]byte("0123456789abcdef")), loyalty.WithRecoverAfter(0)))
	require.NoError(t, err)
	e.eng = e.con.Engine()
	p := loyalty.DefaultProgram("card", "EUR")
	p.Redemption.Enabled = true
	p.Redemption.MinPoints = 100
	if edit != nil {
		edit(&p)
	}
	_, err = e.eng.SaveProgram(e.ctx, p, "owner")
	require.NoError(t, err)
	e.srv = httptest.NewServer(e.con.Handler())
	t.Cleanup(e.srv.Close)
	acct, err := strconv.ParseInt(e.sitoo.AccountID, 10, 64)
	require.NoError(t, err)
	e.rec, err = e.con.Connect(e.ctx, sitooconnect.ConnectRequest{ProgramID: "card", BaseURL: e.sitoo.URL, AccountID: acct,
		APIID: e.sitoo.APIID, APIPassword: e.sitoo.Password, CRMUsername: "crm-user", CRMPassword: "crm-secret",
		EventsUsername: "events-user", EventsPassword: "events-secret"})
	require.NoError(t, err)
	e.pos, err = sitootest.NewPOS(e.sitoo)
	require.NoError(t, err)
	e.pos.CRMURL, e.pos.CRMUser, e.pos.CRMPassword = e.srv.URL+"/"+e.rec.ID+"/crm", "crm-user", "crm-secret"
	e.pos.EventsURL, e.pos.EventsUser, e.pos.EventsPassword = e.srv.URL+"/"+e.rec.ID+"/events", "events-user", "events-secret"
	return e
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// member enrols a customer at the counter (Add Customer) and returns it as the POS knows it.
func (e *env) member(email string) sitootest.Customer {
	e.t.Helper()
	cu, st, err := e.pos.AddCustomer(e.ctx, map[string]any{"email": email, "name_first": "Ana", "name_last": "Berg",
		"mobile": "+46 70 555 01 23"})
	require.NoError(e.t, err)
	require.Equal(e.t, http.StatusOK, st)
	return sitootest.Customer{CustomerID: cu["customer_id"].(string), MemberNumber: cu["member_number"].(string)}
}

// deliver sends the POS's events and applies them.
func (e *env) deliver() {
	e.t.Helper()
	require.NoError(e.t, e.pos.Deliver(e.ctx))
	rep, err := e.con.ProcessPending(e.ctx, e.rec.ID)
	require.NoError(e.t, err)
	require.Zero(e.t, rep.Failed, "%v", rep.LastError)
}

func (e *env) sale(cu sitootest.Customer, rows ...sitootest.Row) int64 {
	e.t.Helper()
	id, err := e.pos.Sale(e.ctx, cu, rows...)
	require.NoError(e.t, err)
	return id
}

func (e *env) wallet(customerID string) loyalty.Wallet {
	e.t.Helper()
	w, err := e.eng.Wallet(e.ctx, "card", loyalty.MemberRef{ID: customerID})
	require.NoError(e.t, err)
	return w
}

func row(price string) sitootest.Row {
	return sitootest.Row{Name: "Item " + price, Price: price, Quantity: 1}
}

func newServer(t *testing.T, con *sitooconnect.Connector) string {
	srv := httptest.NewServer(con.Handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// reconnect connects the disconnected account again with the same credentials.
func (e *env) reconnect() {
	e.t.Helper()
	_, err := e.con.Connect(e.ctx, sitooconnect.ConnectRequest{ProgramID: "card", BaseURL: e.sitoo.URL, AccountID: e.rec.AccountID,
		APIID: e.sitoo.APIID, APIPassword: e.sitoo.Password, CRMUsername: "crm-user", CRMPassword: "crm-secret",
		EventsUsername: "events-user", EventsPassword: "events-secret"})
	require.NoError(e.t, err)
}
