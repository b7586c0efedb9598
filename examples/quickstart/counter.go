package main

import (
	"fmt"
	"net/http/httptest"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sitooconnect"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
)

// counter is the counter section: the same card linked to a Sitoo account (an in-memory
// sitootest account and POS). Ada's card is scanned at the counter, the purchase earns with her
// tier's multiplier on the one balance she has from the webshop, and she spends a bonus check
// at the counter.
func (t *tour) counter() error {
	t.section(8, "The counter: a Sitoo POS on the same card")
	card := t.card
	card.Tiers = loyalty.TierRules{Measure: loyalty.MeasurePointsEarned, Period: loyalty.PeriodCalendarYear,
		Levels: []loyalty.Tier{
			{Name: "Silver", Threshold: decimal.NewFromInt(50), Multiplier: decimal.RequireFromString("1.5")},
			{Name: "Gold", Threshold: decimal.NewFromInt(2000), Multiplier: decimal.NewFromInt(2)},
		}}
	var err error
	if t.card, err = t.eng.SaveProgram(t.ctx, card, "owner"); err != nil {
		return err
	}
	fmt.Fprintln(t.w, "tiers     Silver from 50 points earned this year (×1.5 at the counter), Gold from 2,000 (×2)")

	account := sitootest.NewServer()
	defer account.Close()
	db, ok := t.eng.Store().(sqlstore.Shared)
	if !ok {
		return fmt.Errorf("the loyalty store %T is not a SQL store", t.eng.Store())
	}
	conns, err := sitooconnect.NewSQLConnectionStore(t.ctx, db) // its tables, in the same SQLite file
	if err != nil {
		return err
	}
	con, err := sitooconnect.New(t.eng.Store(), conns,
		sitooconnect.WithEncryptionKey([]byte("quickstart-sitoo-key-32-bytes-!!")),
		sitooconnect.WithClientOptions(sitoo.WithHTTPClient(account.Client())))
	if err != nil {
		return err
	}
	spi := httptest.NewServer(con.Handler()) // mounted at https://loyalty.example.com/sitoo in real life
	defer spi.Close()
	acct, err := strconv.ParseInt(account.AccountID, 10, 64)
	if err != nil {
		return err
	}
	rec, err := con.Connect(t.ctx, sitooconnect.ConnectRequest{ProgramID: t.card.ID, BaseURL: account.URL, AccountID: acct,
		APIID: account.APIID, APIPassword: account.Password, CRMUsername: "pos-crm", CRMPassword: "crm-secret-from-vault",
		EventsUsername: "pos-events", EventsPassword: "events-secret-from-vault", Actor: "partner"})
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "sitoo     account %d: CRM base URL <public>/%s/crm, Events base_url <public>/%s\n", acct, rec.ID, rec.ID)

	pos, err := sitootest.NewPOS(account)
	if err != nil {
		return err
	}
	pos.CRMURL, pos.CRMUser, pos.CRMPassword = spi.URL+"/"+rec.ID+"/crm", "pos-crm", "crm-secret-from-vault"
	pos.EventsURL, pos.EventsUser, pos.EventsPassword = spi.URL+"/"+rec.ID+"/events", "pos-events", "events-secret-from-vault"

	ada, err := t.eng.FindMember(t.ctx, loyalty.MemberRef{Email: "ada@example.com"})
	if err != nil {
		return err
	}
	showCard := func(what string, cu map[string]any) {
		fmt.Fprintf(t.w, "%s: %s %s, member %s, status %v\n", what, cu["name_first"], cu["name_last"], cu["member_number"],
			cu["status"].(map[string]any)["text"])
		for _, s := range cu["sections"].([]any) {
			for _, v := range s.(map[string]any)["values"].([]any) {
				vm := v.(map[string]any)
				fmt.Fprintf(t.w, "  %-6s %s\n", vm["title"], vm["text"])
			}
		}
		for _, b := range cu["bonus_checks"].([]any) {
			bm := b.(map[string]any)
			fmt.Fprintf(t.w, "  bonus check %s: %s %s, redeemed %v\n", bm["bonus_check_id"], bm["value"], bm["currency"], bm["redeemed"])
		}
	}
	found, _, err := pos.SearchCustomer(t.ctx, sitooconnect.KeyMemberNumber, ada.Code) // the card is scanned
	if err != nil || len(found) != 1 {
		return fmt.Errorf("search customer: %v (%d found)", err, len(found))
	}
	showCard("card scanned", found[0])

	customer := sitootest.Customer{CustomerID: ada.ID, MemberNumber: strconv.FormatInt(ada.Number, 10)}
	if _, err := pos.Sale(t.ctx, customer, sitootest.Row{Name: "Coffee beans", Price: "600.00", Quantity: 1},
		sitootest.Row{Name: "Milk jug", Price: "100.00", Quantity: 1}); err != nil {
		return err
	}
	if err := pos.Deliver(t.ctx); err != nil { // Sitoo's order event, answered 200 at once
		return err
	}
	if _, err := con.ProcessPending(t.ctx, rec.ID); err != nil { // read over REST and applied
		return err
	}
	w, err := t.eng.Wallet(t.ctx, t.card.ID, loyalty.MemberRef{ID: ada.ID})
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "one balance: %s\n", w.BalanceLine)
	for _, ch := range w.Channels {
		fmt.Fprintf(t.w, "  %-7s %-38s %+6d points\n", ch.Channel, ch.Source, ch.Earned)
	}
	hist, _, err := t.eng.History(t.ctx, t.card.ID, ada.ID, loyalty.PageOptions{Limit: 1})
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "  newest: %s\n", hist[0].Reason)

	check, err := con.IssueBonusCheck(t.ctx, rec.ID, loyalty.MemberRef{ID: ada.ID}, 1000, pos.StaffID, "quickstart-check")
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "bonus check %s issued: 1,000 points → %s %s\n", check.ID, check.Value.StringFixed(2), check.Currency)
	if _, err := pos.RedeemBonusCheck(t.ctx, ada.ID, check.ID); err != nil { // spent at the counter
		return err
	}
	cu, _, err := pos.GetCustomer(t.ctx, ada.ID)
	if err != nil {
		return err
	}
	showCard("after paying with it", cu)
	ov, err := con.Overview(t.ctx, rec.ID)
	if err != nil {
		return err
	}
	fmt.Fprintf(t.w, "counter overview: %s, %d processed, %d pending, activity:\n", ov.State, ov.Processed, ov.Pending)
	for _, a := range ov.Activity[:3] {
		fmt.Fprintf(t.w, "  %-19s %-8s %s\n", a.Kind, a.Actor, a.Message)
	}
	return nil
}
