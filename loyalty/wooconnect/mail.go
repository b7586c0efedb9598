package wooconnect

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/mail"
	"net/url"
	"regexp"

	"github.com/loyalsync/loyalsync/loyalty"
)

// Message is a rendered member email.
type Message struct {
	// Kind is the engine's email kind (welcome, points earned, coupon issued).
	Kind loyalty.EmailKind
	// From carries the business name as sender name; ReplyTo the business email.
	From    mail.Address
	ReplyTo string
	// To is the member's address.
	To string
	// Language is the BCP 47 tag the message is written in.
	Language string
	Subject  string
	// Text is the plain-text body.
	Text string
	// RedeemURL is the signed "Redeem my points" link; UnsubscribeURL the opt-out link (also
	// sent as List-Unsubscribe).
	RedeemURL, UnsubscribeURL string
	// ProgramID and MemberID say whom it concerns.
	ProgramID, MemberID string
}

// Sender delivers rendered member emails.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// SenderFunc adapts a function to Sender.
type SenderFunc func(ctx context.Context, m Message) error

// Send calls f.
func (f SenderFunc) Send(ctx context.Context, m Message) error { return f(ctx, m) }

// LogSender "sends" emails by logging them, for development and as the default. Sign-in tokens
// grant access to the member's wallet, so they are masked unless ShowLinks is set.
type LogSender struct {
	Logger *slog.Logger
	// ShowLinks logs the links with their tokens (never in production).
	ShowLinks bool
}

var tokenParam = regexp.MustCompile(`token=[A-Za-z0-9_\-.%]+`)

// Send implements Sender.
func (s *LogSender) Send(ctx context.Context, m Message) error {
	l := s.Logger
	if l == nil {
		l = slog.Default()
	}
	text := m.Text
	if !s.ShowLinks {
		text = tokenParam.ReplaceAllString(text, "token=[redacted]")
	}
	l.InfoContext(ctx, "wooconnect: member email", "kind", m.Kind, "to", m.To, "from", m.From.String(),
		"reply_to", m.ReplyTo, "language", m.Language, "subject", m.Subject, "text", text)
	return nil
}

// SendEmail implements loyalty.Mailer: it renders the engine's email in the program's
// language with the business identity and signed links, and hands it to the Sender. Members
// who switched emails off get nothing.
func (c *Connector) SendEmail(ctx context.Context, e loyalty.Email) error {
	if e.To.Email == "" {
		return nil
	}
	out, err := c.conns.EmailOptOut(ctx, e.Program.ID, e.To.ID)
	if err != nil {
		return fmt.Errorf("wooconnect: email opt-out of %s: %w", e.To.ID, err)
	}
	if out {
		c.log.DebugContext(ctx, "wooconnect: member opted out of emails", "member", e.To.ID, "kind", e.Kind)
		return nil
	}
	m, err := c.RenderEmail(e)
	if err != nil {
		return err
	}
	return c.sender.Send(ctx, m)
}

// RenderEmail renders an engine email as the connector would send it.
func (c *Connector) RenderEmail(e loyalty.Email) (Message, error) {
	now := c.now()
	if e.At.IsZero() {
		e.At = now
	}
	redeem := c.link(c.redeemURL, c.links.Sign(PurposeSignIn, e.Program.ID, e.To.ID, now, SignInLinkValidity))
	unsub := c.link(c.unsubscribeURL, c.links.Sign(PurposeUnsubscribe, e.Program.ID, e.To.ID, now, UnsubscribeLinkValidity))
	lang := e.Language
	if lang == "" {
		lang = e.Program.EmailLanguage
	}
	cat := catalogFor(lang)
	subject, text, err := cat.render(e, c.business, redeem, unsub)
	if err != nil {
		return Message{}, err
	}
	from := c.business.FromAddress
	if from == "" {
		from = c.business.Email
	}
	return Message{Kind: e.Kind, From: mail.Address{Name: c.business.Name, Address: from}, ReplyTo: c.business.Email,
		To: e.To.Email, Language: cat.tag, Subject: subject, Text: text, RedeemURL: redeem, UnsubscribeURL: unsub,
		ProgramID: e.Program.ID, MemberID: e.To.ID}, nil
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

// errUnknownEmail is returned for an email kind the connector cannot render.
var errUnknownEmail = errors.New("wooconnect: unknown email kind")
