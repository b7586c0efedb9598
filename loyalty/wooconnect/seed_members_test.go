package wooconnect_test

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// Seed 001, "New members from store orders".

// "The account uses the order's billing name and email address."
func TestSeed_NewMembers_AccountUsesBillingNameAndEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(customer{"Grace", "Hopper", "Grace.Hopper@Example.com"}, "10.00", woocommerce.OrderProcessing)
	w := e.wallet("grace.hopper@example.com")
	assert.Equal(t, "Grace Hopper", w.Member.Name)
	assert.Equal(t, "grace.hopper@example.com", w.Member.Email)
	assert.Equal(t, "order:"+e.c.StoreURL, w.Member.Source)
}

// "They sign in with their email address and a one-time code. No password exists or is
// needed" — and "The welcome email explains the points they earned and how to sign in."
func TestSeed_NewMembers_WelcomeEmailExplainsPointsAndSignIn(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withProgram(func(p *loyalty.Program) { p.Earning.WelcomeBonus = 100 }))
	e.connect()
	o := e.placeOrder(ada, "250.00", woocommerce.OrderProcessing)
	mails := e.mail.to(ada.email)
	require.Len(t, mails, 1)
	m := mails[0]
	assert.Equal(t, loyalty.EmailWelcome, m.Kind)
	assert.Equal(t, "Welcome to Corner Café card: you earned 350 points", m.Subject)
	assert.Contains(t, m.Text, "Hi Ada Lovelace,")
	assert.Contains(t, m.Text, "Thanks for your order "+idOf(o)+". It earned you 350 points.")
	assert.Contains(t, m.Text, "That includes a welcome bonus of 100 points.")
	assert.Contains(t, m.Text, "Sign in with your email address (ada@example.com) and a one-time code")
	assert.Contains(t, m.Text, "there is no password")
}

// "Their emails arrive in the language you pick under Customer email language on the Settings
// tab."
func TestSeed_NewMembers_EmailsInProgramLanguage(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withProgram(func(p *loyalty.Program) { p.EmailLanguage = "sv-SE" }))
	e.connect()
	e.placeOrder(ada, "1200.00", woocommerce.OrderProcessing)
	m := e.mail.to(ada.email)[0]
	assert.Equal(t, "sv", m.Language)
	assert.Equal(t, "Välkommen till Corner Café card: du har fått 1\u00a0200 poäng", m.Subject)
	assert.Contains(t, m.Text, "Du har nu 1\u00a0200 poäng = 60,00 i butiksrabatt")
	assert.Contains(t, m.Text, "engångskod")
	assert.Contains(t, m.Text, "Lös in mina poäng: https://wallet.example/redeem?token=")

	// Changing the setting changes the language of the next email.
	p := e.prog
	p.EmailLanguage = "en"
	_, err := e.conn.Engine().SaveProgram(e.ctx, p, "owner")
	require.NoError(t, err)
	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	mails := e.mail.to(ada.email)
	assert.Equal(t, "en", mails[len(mails)-1].Language)
	assert.Equal(t, "You earned 10 points", mails[len(mails)-1].Subject)
}

// "The new member appears in your member list right away, like a customer whose card was
// scanned for the first time."
func TestSeed_NewMembers_AppearInMemberListRightAway(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	e.placeOrder(grace, "10.00", woocommerce.OrderProcessing)
	members, _, err := e.conn.Engine().Members(e.ctx, e.prog.ID, loyalty.PageOptions{})
	require.NoError(t, err)
	require.Len(t, members, 2)
	assert.Equal(t, grace.email, members[0].Member.Email, "newest first")
	assert.Equal(t, ada.email, members[1].Member.Email)
	assert.Positive(t, members[0].Member.Number)
	assert.Len(t, members[0].Member.Code, 8)
}

// "These customers receive loyalty emails about their own activity: the welcome message, points
// received, and coupon codes."
func TestSeed_NewMembers_ReceiveOnlyTheirOwnActivityEmails(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "1100.00", woocommerce.OrderProcessing)
	e.placeOrder(ada, "20.00", woocommerce.OrderProcessing)
	e.placeOrder(grace, "5.00", woocommerce.OrderProcessing)
	_, err := e.conn.Engine().Redeem(e.ctx, loyalty.RedeemRequest{ProgramID: e.prog.ID,
		Member: loyalty.MemberRef{Email: ada.email}, Points: 1000, IdempotencyKey: "r"})
	require.NoError(t, err)

	var kinds []loyalty.EmailKind
	for _, m := range e.mail.to(ada.email) {
		kinds = append(kinds, m.Kind)
		assert.NotContains(t, m.Text, grace.email)
	}
	assert.Equal(t, []loyalty.EmailKind{loyalty.EmailWelcome, loyalty.EmailPointsEarned, loyalty.EmailCouponIssued}, kinds)
	require.Len(t, e.mail.to(grace.email), 1)
	assert.Equal(t, loyalty.EmailWelcome, e.mail.to(grace.email)[0].Kind)
	assert.Len(t, e.mail.all(), 4)
}

// "Every email carries the standard opt-out."
func TestSeed_NewMembers_EveryEmailCarriesOptOut(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "1100.00", woocommerce.OrderProcessing)
	e.placeOrder(ada, "20.00", woocommerce.OrderProcessing)
	_, err := e.conn.Engine().Redeem(e.ctx, loyalty.RedeemRequest{ProgramID: e.prog.ID,
		Member: loyalty.MemberRef{Email: ada.email}, Points: 1000, IdempotencyKey: "r"})
	require.NoError(t, err)
	mails := e.mail.all()
	require.Len(t, mails, 3)
	for _, m := range mails {
		require.NotEmpty(t, m.UnsubscribeURL, m.Kind)
		assert.Contains(t, m.Text, "Unsubscribe: "+m.UnsubscribeURL, m.Kind)
	}
}

// "...and members can switch emails off in their account": through the opt-out link or the
// account setting; no email is sent afterwards, and switching back on restores them.
func TestSeed_NewMembers_SwitchingEmailsOffStopsThem(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	first := e.mail.to(ada.email)[0]
	u, err := url.Parse(first.UnsubscribeURL)
	require.NoError(t, err)
	claims, err := e.conn.Unsubscribe(e.ctx, u.Query().Get("token"))
	require.NoError(t, err)
	assert.Equal(t, first.MemberID, claims.MemberID)

	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	assert.Len(t, e.mail.to(ada.email), 1, "no email after opting out")
	assert.Equal(t, int64(20), e.balance(ada.email), "points still arrive")

	require.NoError(t, e.conn.SetEmailOptOut(e.ctx, e.prog.ID, first.MemberID, false))
	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	assert.Len(t, e.mail.to(ada.email), 2)
}
