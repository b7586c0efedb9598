package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/memstore"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
)

// exampleEngine returns an engine over a memory store with reproducible ids and time, and a
// program "card" in EUR with a welcome bonus and the points discount on.
func exampleEngine(issuer loyalty.CouponIssuer) (*loyalty.Engine, error) {
	eng, err := loyalty.New(memstore.New(),
		loyalty.WithClock(storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))),
		loyalty.WithRandom(rand.NewChaCha8([32]byte{1})),
		loyalty.WithCodeSecret([]byte("example installation secret")),
		loyalty.WithCouponIssuer(issuer))
	if err != nil {
		return nil, err
	}
	card := loyalty.DefaultProgram("card", "EUR")
	card.Earning.WelcomeBonus = 100
	card.Redemption.Enabled = true
	_, err = eng.SaveProgram(context.Background(), card, "owner")
	return eng, err
}

// Orders earn points once, whatever the status path and however often they are delivered.
func ExampleEngine_ProcessOrder() {
	ctx := context.Background()
	eng, err := exampleEngine(nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	deliver := func(status string) {
		res, err := eng.ProcessOrder(ctx, "card", loyalty.OrderEvent{
			Store: "https://shop.example", OrderID: "1042", Status: status,
			Total: decimal.RequireFromString("123.45"), Currency: "EUR",
			BillingName: "Ada Lovelace", BillingEmail: "Ada@Example.com",
		})
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-10s %-9s %s\n", status, res.Outcome, res.Reason)
	}
	deliver("pending")
	deliver("processing")
	deliver("completed") // the same order again: awarded already
	deliver("refunded")

	w, err := eng.Wallet(ctx, "card", loyalty.MemberRef{Email: "ada@example.com"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("balance:", w.Balance)
	for m, err := range eng.AllHistory(ctx, "card", w.Member.ID) {
		if err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%-8s %5d  %s\n", m.Kind, m.Applied, m.Reason)
	}
	// Output:
	// pending    ignored   status "pending" does not award points
	// processing processed awarded 123 points and a 100 points welcome bonus
	// completed  duplicate already processed: the order awarded 223 points
	// refunded   processed full refund: took back 223 points
	// balance: 0
	// refund    -223  Order 1042 refunded: 223 points taken back
	// welcome    100  Welcome bonus with order 1042
	// earn       123  Order 1042: 123 points
}

// Redeeming turns points into a single-use coupon created by the CouponIssuer.
func ExampleEngine_Redeem() {
	ctx := context.Background()
	issuer := loyalty.CouponIssuerFunc(func(_ context.Context, c loyalty.Coupon) (string, error) {
		// An adapter creates the coupon in the store here, idempotently by c.Code.
		fmt.Printf("create coupon %s: %s %s off, once, for %s, until %s\n",
			c.Code, c.Amount.StringFixed(2), c.Currency, c.Email, c.ExpiresAt.Format(time.DateOnly))
		return "wc-coupon-1", nil
	})
	eng, err := exampleEngine(issuer)
	if err != nil {
		fmt.Println(err)
		return
	}
	_, err = eng.ProcessOrder(ctx, "card", loyalty.OrderEvent{
		Store: "https://shop.example", OrderID: "1043", Status: "completed",
		Total: decimal.RequireFromString("1180"), Currency: "EUR", BillingEmail: "grace@example.com",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	w, _ := eng.Wallet(ctx, "card", loyalty.MemberRef{Email: "grace@example.com"})
	fmt.Println(w.BalanceLine)

	r, err := eng.Redeem(ctx, loyalty.RedeemRequest{ProgramID: "card",
		Member: loyalty.MemberRef{Email: "grace@example.com"}, Points: 1000, IdempotencyKey: "click-7f3a"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.State, r.Code, r.Value.StringFixed(2), r.ExpiresAt.Format(time.DateOnly))

	_, err = eng.Redeem(ctx, loyalty.RedeemRequest{ProgramID: "card",
		Member: loyalty.MemberRef{Email: "grace@example.com"}, Points: 1000})
	fmt.Println(err)

	w, _ = eng.Wallet(ctx, "card", loyalty.MemberRef{Email: "grace@example.com"})
	fmt.Println(w.ProgressLine)
	// Output:
	// You now have 1,280 points = 64.00 in store discount
	// create coupon POINTS-ATKBANW5: 50.00 EUR off, once, for grace@example.com, until 2026-03-09
	// issued POINTS-ATKBANW5 50.00 2026-03-09
	// loyalty: redeem: not enough points (requested 1000 points; balance 280, minimum 1000, maximum none)
	// Only 720 more points until your first 50.00 discount
}

// The live preview of the points discount settings.
func ExampleProgram_PreviewLine() {
	card := loyalty.DefaultProgram("card", "EUR")
	fmt.Println(card.PreviewLine(1000))
	card.Redemption.DiscountPerPoint = decimal.RequireFromString("0.0125")
	fmt.Println(card.PreviewLine(2500))
	fmt.Println(loyalty.DefaultProgram("card", "JPY").PreviewLine(1000))
	// Output:
	// 1,000 points = 50.00 store discount
	// 2,500 points = 31.25 store discount
	// 1,000 points = 50 store discount
}

// Recover finishes redemptions a crash or a store outage left with their points reserved and
// no coupon; reservations younger than the recover age are reported, to retry when due.
func ExampleEngine_Recover() {
	ctx := context.Background()
	storeDown := true
	issuer := loyalty.CouponIssuerFunc(func(_ context.Context, c loyalty.Coupon) (string, error) {
		if storeDown {
			return "", fmt.Errorf("store unreachable")
		}
		fmt.Println("create coupon", c.Code)
		return "wc-coupon-1", nil
	})
	clock := storetest.NewClock(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	eng, err := loyalty.New(memstore.New(), loyalty.WithClock(clock), loyalty.WithRandom(rand.NewChaCha8([32]byte{1})),
		loyalty.WithCodeSecret([]byte("example installation secret")), loyalty.WithCouponIssuer(issuer))
	if err != nil {
		fmt.Println(err)
		return
	}
	card := loyalty.DefaultProgram("card", "EUR")
	card.Redemption.Enabled = true
	if _, err := eng.SaveProgram(ctx, card, "owner"); err != nil {
		fmt.Println(err)
		return
	}
	if _, err := eng.Enroll(ctx, "card", loyalty.NewMember{Email: "grace@example.com"}); err != nil {
		fmt.Println(err)
		return
	}
	_, _ = eng.Adjust(ctx, loyalty.AdjustRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "grace@example.com"},
		Points: 1000, Key: "gift", Reason: "gift"})
	_, err = eng.Redeem(ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "grace@example.com"}, Points: 1000})
	fmt.Println(errors.Is(err, loyalty.ErrRedemptionPending))

	// At start-up, right after: the reservation is too young to touch.
	rep, _ := eng.Recover(ctx)
	fmt.Println(len(rep.Waiting), "waiting until", rep.NextAt.Format(time.TimeOnly))

	// When it is due, with the store back.
	storeDown = false
	clock.Advance(time.Minute)
	rep, _ = eng.Recover(ctx)
	fmt.Println(rep.Issued, "issued,", len(rep.Waiting), "waiting")
	// Output:
	// true
	// 1 waiting until 09:01:00
	// create coupon POINTS-ZE2EZTCU
	// 1 issued, 0 waiting
}
