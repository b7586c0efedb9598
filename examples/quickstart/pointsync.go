package main

import (
	"fmt"
	"net/http/httptest"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/memstore"
	"github.com/loyalsync/loyalsync/loyalty/pointsyncconnect"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
	"github.com/loyalsync/loyalsync/pointsync"
)

// syncSite is one site of the points synchronisation: an engine whose store is observed, its
// pointsync settings and queue, the protocol handler and a sender.
type syncSite struct {
	eng *loyalty.Engine
	ps  interface {
		pointsync.SettingsStore
		pointsync.Queue
	}
	local  pointsync.LocalSite
	sender *pointsync.Sender
	close  func()
}

func (t *tour) newSyncSite(store loyalty.Store, ps interface {
	pointsync.SettingsStore
	pointsync.Queue
}) (*syncSite, error) {
	observed := pointsyncconnect.Observe(store, ps, ps) // movements queued in their own transaction
	eng, err := loyalty.New(observed)
	if err != nil {
		return nil, err
	}
	ledger, err := pointsyncconnect.NewLedger(eng)
	if err != nil {
		return nil, err
	}
	h, err := pointsync.NewHandler(ps, ledger)
	if err != nil {
		return nil, err
	}
	srv := httptest.NewServer(h) // https://shop.example/pointsync/ in real life
	local, err := pointsync.NewLocalSite(srv.URL + "/pointsync/")
	if err == nil {
		local, err = ps.InitLocalSite(t.ctx, local)
	}
	var sender *pointsync.Sender
	if err == nil {
		sender, err = pointsync.NewSender(ps, ps)
	}
	if err != nil {
		srv.Close()
		return nil, err
	}
	return &syncSite{eng: eng, ps: ps, local: local, sender: sender, close: srv.Close}, nil
}

// remoteFor is other as s enters it in its remote sites list.
func (s *syncSite) remoteFor(other *syncSite, reserve string) pointsync.Remote {
	return pointsync.Remote{SharingKey: other.local.SharingKey, Kind: pointsync.KindLoyalsync,
		TargetReserve: reserve, ObservedReserve: reserve,
		URL: other.local.URL, Auth: other.local.Auth, Pass: other.local.Pass}
}

// pointSync is the points synchronisation section: a second loyalsync site (another country's
// shop, in memory here) is linked to this one, and an order on one shows on the other.
func (t *tour) pointSync() error {
	t.section(9, "A second site on the same balance (points synchronisation)")
	db, ok := t.eng.Store().(sqlstore.Shared)
	if !ok {
		return fmt.Errorf("the loyalty store %T is not a SQL store", t.eng.Store())
	}
	settings, err := pointsyncconnect.NewSQLStore(t.ctx, db) // its tables, in the same SQLite file
	if err != nil {
		return err
	}
	here, err := t.newSyncSite(t.eng.Store(), settings)
	if err != nil {
		return err
	}
	defer here.close()
	mem, err := pointsync.NewMemStore()
	if err != nil {
		return err
	}
	store2 := memstore.New()
	there, err := t.newSyncSite(store2, mem)
	if err != nil {
		return err
	}
	defer there.close()
	if _, err := there.eng.SaveProgram(t.ctx, t.card, "owner"); err != nil {
		return err
	}

	// Each site enters the other's local information, then pings it.
	for _, p := range [][2]*syncSite{{here, there}, {there, here}} {
		if err := p[0].ps.PutRemote(t.ctx, p[0].remoteFor(p[1], t.card.ID)); err != nil {
			return err
		}
	}
	for _, p := range [][2]*syncSite{{here, there}, {there, here}} {
		fmt.Fprintf(t.w, "linked    %s → %s: ping %s\n", p[0].local.URL, p[1].local.URL,
			okOr(p[0].sender.Ping(t.ctx, p[1].local.SharingKey)))
	}

	res, err := there.eng.ProcessOrder(t.ctx, t.card.ID, loyalty.OrderEvent{Store: "https://shop.example.de",
		OrderID: "DE-7", Status: "completed", Total: decimal.NewFromInt(40), Currency: "EUR",
		BillingName: "Grace Hopper", BillingEmail: "grace@example.com"})
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "order DE-7 on the second site: %s, %d movement(s) for Grace\n", res.Outcome, len(res.Movements))
	n, err := there.sender.Flush(t.ctx, here.local.SharingKey)
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "synced    %d movement(s) to this site\n", n)
	for _, s := range []struct {
		name string
		site *syncSite
	}{{"this site", here}, {"second site", there}} {
		b, err := s.site.eng.Balance(t.ctx, t.card.ID, loyalty.MemberRef{Email: "grace@example.com"})
		if err != nil {
			return err
		}
		fmt.Fprintf(t.w, "balance   %-11s Grace has %d points\n", s.name, b)
	}
	return nil
}

func okOr(err error) string {
	if err != nil {
		return err.Error()
	}
	return "ok"
}
