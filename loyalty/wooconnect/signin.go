package wooconnect

import (
	"context"
	"fmt"

	"github.com/loyalsync/loyalsync/loyalty"
)

// ActivityEmailOptOut is the activity log kind of a member switching emails off or on.
const ActivityEmailOptOut loyalty.ActivityKind = "email_opt_out"

// SignIn is a member signed in through an email link.
type SignIn struct {
	// Claims are the verified link's claims.
	Claims LinkClaims
	// Wallet is the member's balance and redemption bounds, for the redemption block the link
	// lands on.
	Wallet loyalty.Wallet
}

// SignInWithLink verifies a "Redeem my points" token and signs the member in, with the same
// access an email one-time code gives (sensitive account actions still need fresh
// verification). The sign-in is recorded in the activity log as its own event. An expired link
// returns an error matching ErrTokenExpired: send the member to the normal sign-in with a
// friendly note. Anything else not genuine matches ErrTokenInvalid.
func (c *Connector) SignInWithLink(ctx context.Context, token string) (SignIn, error) {
	claims, err := c.links.Verify(token, PurposeSignIn, c.now())
	if err != nil {
		return SignIn{Claims: claims}, err
	}
	w, err := c.eng.Wallet(ctx, claims.ProgramID, loyalty.MemberRef{ID: claims.MemberID})
	if err != nil {
		return SignIn{Claims: claims}, fmt.Errorf("wooconnect: sign in: %w", err)
	}
	err = c.eng.RecordActivity(ctx, loyalty.ActivityEntry{ProgramID: claims.ProgramID, Kind: loyalty.ActivitySignIn,
		Actor: "member", MemberID: claims.MemberID, Message: "signed in through the email link"})
	if err != nil {
		return SignIn{Claims: claims}, err
	}
	return SignIn{Claims: claims, Wallet: w}, nil
}

// Unsubscribe verifies an opt-out token and switches the member's emails for the program off.
func (c *Connector) Unsubscribe(ctx context.Context, token string) (LinkClaims, error) {
	claims, err := c.links.Verify(token, PurposeUnsubscribe, c.now())
	if err != nil {
		return claims, err
	}
	return claims, c.SetEmailOptOut(ctx, claims.ProgramID, claims.MemberID, true)
}

// SetEmailOptOut switches a member's emails for a program off (true) or back on, as the
// member's account settings do, and records it in the activity log.
func (c *Connector) SetEmailOptOut(ctx context.Context, programID, memberID string, optOut bool) error {
	if err := c.conns.SetEmailOptOut(ctx, programID, memberID, optOut); err != nil {
		return err
	}
	msg := "member switched emails back on"
	if optOut {
		msg = "member switched emails off"
	}
	return c.eng.RecordActivity(ctx, loyalty.ActivityEntry{ProgramID: programID, Kind: ActivityEmailOptOut,
		Actor: "member", MemberID: memberID, Message: msg})
}

// SignInLink returns a fresh "Redeem my points" link for a member, as the emails carry it.
func (c *Connector) SignInLink(programID, memberID string) string {
	return c.link(c.redeemURL, c.links.Sign(PurposeSignIn, programID, memberID, c.now(), SignInLinkValidity))
}
