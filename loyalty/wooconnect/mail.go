package wooconnect

import (
	"context"
	"fmt"
	"net/url"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/mail"
)

// SendEmail implements loyalty.Mailer: it renders the engine's email with mail.Render in the
// program's language with the business identity and signed links, and hands it to the Sender.
// Members who switched emails off get nothing.
func (c *Connector) SendEmail(ctx context.Context, e loyalty.Email) error {
	if e.To.Email == "" {
		return nil
	}
	// A welcome email goes to the member the order's own transaction created (a new, random
	// member id), who cannot have switched emails off yet: the opt-out is read for the others.
	if e.Kind != loyalty.EmailWelcome {
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
