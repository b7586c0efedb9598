package loyalty_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
)

// Seed 001, "New members from store orders".

func TestSeed_NewMembers_AccountUsesBillingNameAndEmail(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	ev := order("1", "completed", "10", "Grace.Hopper@Example.com")
	ev.BillingName = "  Grace Hopper "

	res := h.process(ev)

	m := res.Member
	assert.Equal(t, "Grace Hopper", m.Name)
	assert.Equal(t, "grace.hopper@example.com", m.Email)
	assert.Equal(t, "order:"+shop, m.Source)
	assert.Positive(t, m.Number)
	assert.Len(t, m.Code, 8)
	assert.Equal(t, start, m.CreatedAt)
}

func TestSeed_NewMembers_SignInWithEmailAddressNoPassword(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	created := h.process(order("1", "completed", "10", "grace@example.com")).Member

	// Sign-in (the one-time code itself is the adapter's) identifies the member by email alone,
	// whatever its case and spacing: there is no password anywhere in the member record.
	m, err := h.eng.FindMember(h.ctx, loyalty.MemberRef{Email: " GRACE@example.com"})
	require.NoError(t, err)
	assert.Equal(t, created, m)
}

func TestSeed_NewMembers_EmailsArriveInTheCustomerEmailLanguage(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.EmailLanguage = "nl" })
	res := h.process(order("1", "completed", "10", "grace@example.com"))
	assert.Equal(t, "nl", res.Member.Language)
	emails := h.mailer.Emails()
	require.Len(t, emails, 1)
	assert.Equal(t, "nl", emails[0].Language)
}

func TestSeed_NewMembers_WelcomeEmailExplainsPointsEarned(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.Earning.WelcomeBonus = 100 })
	h.process(order("1", "completed", "80", "grace@example.com"))
	emails := h.mailer.Emails()
	require.Len(t, emails, 1)
	e := emails[0]
	assert.Equal(t, loyalty.EmailWelcome, e.Kind)
	assert.Equal(t, "grace@example.com", e.To.Email, "the sign-in identity")
	assert.EqualValues(t, 180, e.Points)
	assert.EqualValues(t, 100, e.WelcomeBonus)
	assert.EqualValues(t, 180, e.Balance)
	assert.Equal(t, "You now have 180 points = 9.00 in store discount", e.BalanceLine)
	assert.Equal(t, "Only 820 more points until your first 50.00 discount", e.ProgressLine)
	assert.Equal(t, "1", e.OrderID)
}

func TestSeed_NewMembers_AppearInTheMemberListRightAway(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	_, err := h.eng.Enroll(h.ctx, "card", loyalty.NewMember{Email: "counter@example.com", Name: "Scanned at the counter"})
	require.NoError(t, err)
	h.process(order("1", "completed", "10", "web@example.com"))

	list, next, err := h.eng.Members(h.ctx, "card", loyalty.PageOptions{})
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Zero(t, next)
	assert.Equal(t, "web@example.com", list[0].Member.Email, "newest first")
	assert.EqualValues(t, 10, list[0].Account.Balance)
	assert.Equal(t, "counter@example.com", list[1].Member.Email, "like a customer whose card was scanned")
}

func TestSeed_NewMembers_ReceiveEmailsAboutTheirOwnActivity(t *testing.T) {
	t.Parallel()
	h := newHarness(t, func(p *loyalty.Program) { p.Redemption.MinPoints = 10 })
	h.process(order("1", "completed", "10", "grace@example.com"))
	h.process(order("2", "completed", "10", "grace@example.com"))
	_, err := h.eng.Redeem(h.ctx, loyalty.RedeemRequest{ProgramID: "card", Member: loyalty.MemberRef{Email: "grace@example.com"}, Points: 10})
	require.NoError(t, err)

	var kinds []loyalty.EmailKind
	for _, e := range h.mailer.Emails() {
		assert.Equal(t, "grace@example.com", e.To.Email)
		kinds = append(kinds, e.Kind)
	}
	assert.Equal(t, []loyalty.EmailKind{loyalty.EmailWelcome, loyalty.EmailPointsEarned, loyalty.EmailCouponIssued}, kinds)
}

func TestMembers_MatchingByEmailCodeOrNumber(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	m := h.process(order("1", "completed", "10", "grace@example.com")).Member
	for _, ref := range []loyalty.MemberRef{{ID: m.ID}, {Email: "GRACE@example.com "}, {Code: " " + m.Code}, {Number: m.Number}} {
		got, err := h.eng.FindMember(h.ctx, ref)
		require.NoError(t, err, "%+v", ref)
		assert.Equal(t, m.ID, got.ID)
	}
	_, err := h.eng.FindMember(h.ctx, loyalty.MemberRef{})
	assert.ErrorIs(t, err, loyalty.ErrInvalid)
}

func TestMembers_EnrollIsIdempotentByEmail(t *testing.T) {
	t.Parallel()
	h := newHarness(t, nil)
	a, err := h.eng.Enroll(h.ctx, "card", loyalty.NewMember{Email: "x@example.com"})
	require.NoError(t, err)
	b, err := h.eng.Enroll(h.ctx, "card", loyalty.NewMember{Email: " X@example.com"})
	require.NoError(t, err)
	assert.Equal(t, a, b)
	_, err = h.eng.Enroll(h.ctx, "card", loyalty.NewMember{Email: "not-an-email"})
	assert.ErrorIs(t, err, loyalty.ErrInvalid)
}
