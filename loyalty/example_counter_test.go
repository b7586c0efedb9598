package loyalty_test

import (
	"context"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/loyalty"
)

// A counter sale earns base points × the member's tier multiplier, a webshop order never does;
// a counter refund order takes back the points of the refunded share. One balance covers both.
func ExampleEngine_ProcessCounterRefund() {
	ctx := context.Background()
	eng, err := exampleEngine(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	card, _ := eng.Program(ctx, "card")
	card.Earning.WelcomeBonus = 0
	card.Tiers = loyalty.TierRules{Levels: []loyalty.Tier{
		{Name: "Silver", Threshold: decimal.NewFromInt(100), Multiplier: decimal.RequireFromString("1.5")}}}
	if _, err := eng.SaveProgram(ctx, card, "owner"); err != nil {
		fmt.Println(err)
		return
	}
	order := func(store, id string, ch loyalty.Channel, total string) {
		res, err := eng.ProcessOrder(ctx, "card", loyalty.OrderEvent{Store: store, OrderID: id, Status: "completed",
			Total: decimal.RequireFromString(total), Currency: "EUR", BillingEmail: "ana@example.org", Channel: ch})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Println(res.Movements[0].Reason)
	}
	order("https://shop.example", "1042", loyalty.ChannelOnline, "120.00") // reaches Silver
	order("https://shop.example", "1043", loyalty.ChannelOnline, "40.00")
	order("sitoo:90316", "5001", loyalty.ChannelCounter, "40.00")
	res, err := eng.ProcessCounterRefund(ctx, "card", loyalty.CounterRefund{Store: "sitoo:90316", OrderID: "5001",
		RefundOrderID: "5002", Amount: decimal.RequireFromString("20.00"), Reason: "RC123"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Movements[0].Reason)
	w, _ := eng.Wallet(ctx, "card", loyalty.MemberRef{Email: "ana@example.org"})
	fmt.Println(w.BalanceLine)
	fmt.Println(w.TierLine)
	// Output:
	// Order 1042: 120 points
	// Order 1043: 40 points
	// Counter purchase 5001: 60 points (40 × 1.5 Silver)
	// Counter sale 5001 refunded (20.00), RC123: 30 points taken back
	// You now have 190 points = 9.50 in store discount
	// Silver: 190 points earned
}
