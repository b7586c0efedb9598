package loyalty_test

import (
	"context"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/memstore"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
)

const shop = "https://shop.example"

var start = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type harness struct {
	t      *testing.T
	ctx    context.Context
	eng    *loyalty.Engine
	clock  *storetest.Clock
	issuer *storetest.CouponIssuer
	mailer *storetest.Mailer
	prog   loyalty.Program
}

// newHarness returns an engine over a memory store with program "card" in EUR, the points
// discount enabled, changed by edit.
func newHarness(t *testing.T, edit func(p *loyalty.Program)) *harness {
	t.Helper()
	h := &harness{t: t, ctx: t.Context(), clock: storetest.NewClock(start),
		issuer: storetest.NewCouponIssuer(), mailer: &storetest.Mailer{}}
	eng, err := loyalty.New(memstore.New(), loyalty.WithClock(h.clock), loyalty.WithCouponIssuer(h.issuer),
		loyalty.WithMailer(h.mailer), loyalty.WithReceiptSalt([]byte("0123456789abcdef")), loyalty.WithRecoverAfter(0),
		loyalty.WithCodeSecret(codeSecret))
	require.NoError(t, err)
	h.eng = eng
	p := loyalty.DefaultProgram("card", "EUR")
	p.Redemption.Enabled = true
	if edit != nil {
		edit(&p)
	}
	h.prog, err = eng.SaveProgram(h.ctx, p, "owner")
	require.NoError(t, err)
	return h
}

// codeSecret is the installation secret of the harness's engine.
var codeSecret = []byte("harness code secret")

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func order(id, status, total, email string) loyalty.OrderEvent {
	return loyalty.OrderEvent{Store: shop, OrderID: id, Status: status, Total: dec(total), Currency: "EUR",
		BillingName: "Ada Lovelace", BillingEmail: email}
}

func (h *harness) process(ev loyalty.OrderEvent) loyalty.OrderResult {
	h.t.Helper()
	res, err := h.eng.ProcessOrder(h.ctx, h.prog.ID, ev)
	require.NoError(h.t, err)
	return res
}

func (h *harness) wallet(email string) loyalty.Wallet {
	h.t.Helper()
	w, err := h.eng.Wallet(h.ctx, h.prog.ID, loyalty.MemberRef{Email: email})
	require.NoError(h.t, err)
	return w
}

func (h *harness) balance(email string) int64 { return h.wallet(email).Balance }

func (h *harness) history(email string) []loyalty.Movement {
	h.t.Helper()
	w := h.wallet(email)
	var out []loyalty.Movement
	for m, err := range h.eng.AllHistory(h.ctx, h.prog.ID, w.Member.ID) {
		require.NoError(h.t, err)
		out = append(out, m)
	}
	return out
}

func (h *harness) activity() []loyalty.ActivityEntry {
	h.t.Helper()
	as, _, err := h.eng.Activity(h.ctx, h.prog.ID, loyalty.PageOptions{Limit: 1000})
	require.NoError(h.t, err)
	return as
}

// give credits points by adjustment.
func (h *harness) give(email string, points int64, key string) {
	h.t.Helper()
	_, err := h.eng.Enroll(h.ctx, h.prog.ID, loyalty.NewMember{Email: email, Name: "Test"})
	require.NoError(h.t, err)
	_, err = h.eng.Adjust(h.ctx, loyalty.AdjustRequest{ProgramID: h.prog.ID, Member: loyalty.MemberRef{Email: email},
		Points: points, Key: key})
	require.NoError(h.t, err)
}

func sumApplied(ms []loyalty.Movement) int64 {
	var s int64
	for _, m := range ms {
		s += m.Applied
	}
	return s
}
