package wooconnect_test

import (
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// Seed 001, "The email loop" (and "Email Sender Identity").

func tokenOf(t *testing.T, link string) string {
	t.Helper()
	u, err := url.Parse(link)
	require.NoError(t, err)
	tok := u.Query().Get("token")
	require.NotEmpty(t, tok)
	return tok
}

// "The new balance and its value in store discount, for example "You now have 1,200 points =
// 60.00 in store discount"."
func TestSeed_EmailLoop_BalanceAndValue(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "1000.00", woocommerce.OrderProcessing)
	e.placeOrder(ada, "200.00", woocommerce.OrderProcessing)
	mails := e.mail.to(ada.email)
	require.Len(t, mails, 2)
	assert.Contains(t, mails[0].Text, "You now have 1,000 points = 50.00 in store discount")
	assert.Contains(t, mails[1].Text, "You now have 1,200 points = 60.00 in store discount")
}

// "When the balance is below your minimum, progress toward the first redemption, for example
// "Only 180 more points until your first 50.00 discount"."
func TestSeed_EmailLoop_ProgressBelowMinimum(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "820.00", woocommerce.OrderProcessing)
	m := e.mail.to(ada.email)[0]
	assert.Contains(t, m.Text, "You now have 820 points = 41.00 in store discount")
	assert.Contains(t, m.Text, "Only 180 more points until your first 50.00 discount")

	e.placeOrder(ada, "180.00", woocommerce.OrderProcessing)
	m = e.mail.to(ada.email)[1]
	assert.NotContains(t, m.Text, "more points until", "no progress line at the minimum")
}

// "Every points email from the store carries the loop": a Redeem my points link "that signs the
// member in and lands on the redemption block, no password prompt".
func TestSeed_EmailLoop_RedeemLinkSignsInToRedemptionBlock(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "1100.00", woocommerce.OrderProcessing)
	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	_, err := e.redeem(ada.email, 1000, "k")
	require.NoError(t, err)
	mails := e.mail.to(ada.email)
	require.Len(t, mails, 3)
	for _, m := range mails {
		assert.Contains(t, m.Text, "Redeem my points: "+m.RedeemURL, m.Kind)
		assert.Regexp(t, `^https://wallet\.example/redeem\?token=`, m.RedeemURL)
	}
	in, err := e.conn.SignInWithLink(e.ctx, tokenOf(t, mails[0].RedeemURL))
	require.NoError(t, err)
	assert.Equal(t, ada.email, in.Wallet.Member.Email)
	assert.Equal(t, e.prog.ID, in.Claims.ProgramID)
	assert.Equal(t, int64(110), in.Wallet.Balance, "lands on the redemption block with the current balance")
	assert.Equal(t, int64(1000), in.Wallet.RedeemMin)
}

// "The link expires after seven days; an expired link sends the member to the normal login with
// a friendly note instead of an error": ErrTokenExpired is told apart from a forged link.
func TestSeed_EmailLoop_LinkExpiresAfterSevenDaysDistinguishably(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	tok := tokenOf(t, e.mail.to(ada.email)[0].RedeemURL)

	e.clock.Advance(7*24*time.Hour - time.Minute)
	_, err := e.conn.SignInWithLink(e.ctx, tok)
	require.NoError(t, err, "still valid just before seven days")

	e.clock.Advance(2 * time.Minute)
	in, err := e.conn.SignInWithLink(e.ctx, tok)
	require.ErrorIs(t, err, wooconnect.ErrTokenExpired)
	assert.NotErrorIs(t, err, wooconnect.ErrTokenInvalid)
	assert.NotEmpty(t, in.Claims.MemberID, "the note can greet the member")

	_, err = e.conn.SignInWithLink(e.ctx, tok[:len(tok)-2]+"xx")
	require.ErrorIs(t, err, wooconnect.ErrTokenInvalid)
}

// "The sign-in link grants the same access as an email one-time code. Sensitive account
// actions, like changing the email address or privacy requests, still require fresh
// verification": links are bound to their purpose, so neither link can be used for the other.
func TestSeed_EmailLoop_LinksAreBoundToTheirPurpose(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	m := e.mail.to(ada.email)[0]
	_, err := e.conn.Unsubscribe(e.ctx, tokenOf(t, m.RedeemURL))
	assert.ErrorIs(t, err, wooconnect.ErrTokenInvalid)
	_, err = e.conn.SignInWithLink(e.ctx, tokenOf(t, m.UnsubscribeURL))
	assert.ErrorIs(t, err, wooconnect.ErrTokenInvalid)
}

// Email Sender Identity: "your business name as the sender name and your business email as the
// reply-to address".
func TestSeed_EmailLoop_SenderIsBusinessNameReplyToBusinessEmail(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.connect()
	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	m := e.mail.to(ada.email)[0]
	assert.Equal(t, "Corner Café", m.From.Name)
	assert.Equal(t, "loyalty@platform.example", m.From.Address)
	assert.Equal(t, "hello@corner.example", m.ReplyTo)
	assert.Contains(t, m.Text, "\n-- \nCorner Café\n")
}

// The loop holds without the points discount: no value or progress lines, and the link opens
// the card instead of promising a redemption.
func TestSeed_EmailLoop_DiscountOffShowsBalanceOnly(t *testing.T) {
	t.Parallel()
	e := newEnv(t, withProgram(func(p *loyalty.Program) { p.Redemption.Enabled = false }))
	e.connect()
	e.placeOrder(ada, "10.00", woocommerce.OrderProcessing)
	m := e.mail.to(ada.email)[0]
	assert.Contains(t, m.Text, "You now have 10 points.")
	assert.NotContains(t, m.Text, "store discount")
	assert.Contains(t, m.Text, "See my points: "+m.RedeemURL)
}
