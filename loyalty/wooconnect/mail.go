package wooconnect

import (
	"context"
	"fmt"
	"net/url"
	"reflect"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/mail"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
)

// SendEmail implements loyalty.Mailer: it renders the engine's email with mail.Render in the
// program's language with the business identity and signed links, and hands it to the Sender.
// Members who switched emails off get nothing: SendEmail reads the opt-out unless the email is
// a welcome or e.Screened says it was read in the transaction that asked for the email.
func (c *Connector) SendEmail(ctx context.Context, e loyalty.Email) error {
	if e.To.Email == "" {
		return nil
	}
	// A welcome email goes to the member the order's own transaction created (a new, random
	// member id), who cannot have switched emails off yet: the opt-out is read for the others,
	// unless the engine had it read in the order's own transaction (Screened).
	if e.Kind != loyalty.EmailWelcome && !e.Screened {
		out, err := c.conns.EmailOptOut(ctx, e.Program.ID, e.To.ID)
		if err != nil {
			return fmt.Errorf("wooconnect: email opt-out of %s: %w", e.To.ID, err)
		}
		if out {
			c.log.DebugContext(ctx, "wooconnect: member opted out of emails", "member", e.To.ID, "kind", e.Kind)
			return nil
		}
	}
	m, err := c.RenderEmail(e)
	if err != nil {
		return err
	}
	return c.sender.Send(ctx, m)
}

// RenderEmail renders an engine email as the connector would send it, with freshly signed
// "Redeem my points" and opt-out links.
func (c *Connector) RenderEmail(e loyalty.Email) (mail.Message, error) {
	now := c.now()
	links := mail.Links{
		Redeem:      c.link(c.redeemURL, c.links.Sign(PurposeSignIn, e.Program.ID, e.To.ID, now, SignInLinkValidity)),
		Unsubscribe: c.link(c.unsubscribeURL, c.links.Sign(PurposeUnsubscribe, e.Program.ID, e.To.ID, now, UnsubscribeLinkValidity)),
	}
	return mail.Render(e, c.business, links)
}

func (c *Connector) link(base, token string) string {
	u, err := url.Parse(base)
	if err != nil {
		return base
	}
	q := u.Query()
	q.Set("token", token)
	u.RawQuery = q.Encode()
	return u.String()
}

// ledgerScreener is the Connector as the engine's Mailer when its connection store is an
// SQLConnectionStore in the loyalty store's own database: it reads a member's email opt-out in
// the ledger transaction that asks for the email (on SQLite the write connection, which has the
// pages at hand), instead of in a read transaction of its own after the commit. An opt-out
// committed before that transaction is honoured, as one committed before SendEmail's own read
// was; the email is still sent after the commit.
type ledgerScreener struct{ *Connector }

// ScreenEmail implements loyalty.EmailScreener.
func (s ledgerScreener) ScreenEmail(ctx context.Context, tx loyalty.Tx, e loyalty.Email) (bool, error) {
	if e.To.Email == "" || e.Kind == loyalty.EmailWelcome {
		return true, nil // SendEmail reads no opt-out for these either
	}
	lt, ok := tx.(sqlstore.LedgerTx)
	if !ok {
		return false, fmt.Errorf("wooconnect: screen email: the ledger's transaction (%T) is not an SQL store's", tx)
	}
	out, err := emailOptOutIn(ctx, lt.SQL(), e.Program.ID, e.To.ID)
	if err != nil {
		return false, fmt.Errorf("wooconnect: email opt-out of %s: %w", e.To.ID, err)
	}
	if out {
		s.log.DebugContext(ctx, "wooconnect: member opted out of emails", "member", e.To.ID, "kind", e.Kind)
	}
	return !out, nil
}

// mailerFor returns what the Connector gives its engine as Mailer: the ledgerScreener when the
// connection store is an SQLConnectionStore over the loyalty store itself, the Connector
// otherwise.
func mailerFor(c *Connector, store loyalty.Store, conns ConnectionStore) loyalty.Mailer {
	sc, ok := conns.(*SQLConnectionStore)
	if !ok || !sameValue(sc.db, store) {
		return c
	}
	return ledgerScreener{Connector: c}
}

// sameValue reports whether a and b hold the same comparable value (the same store pointer).
func sameValue(a, b any) bool {
	if a == nil || b == nil {
		return false
	}
	ta, tb := reflect.TypeOf(a), reflect.TypeOf(b)
	return ta == tb && ta.Comparable() && a == b
}
