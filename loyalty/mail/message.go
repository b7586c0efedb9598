package mail

import (
	"context"
	"errors"
	"net/mail"
	"strings"

	"github.com/loyalsync/loyalsync/loyalty"
)

// Message is a rendered member email.
type Message struct {
	// Kind is the engine's email kind (welcome, points earned, coupon issued): the template.
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

// Business is the merchant's identity in member emails: Name is the sender name and Email the
// reply-to address.
type Business struct {
	Name  string
	Email string
	// FromAddress is the address emails are sent from (a domain the mail relay may send for).
	// Default: Email.
	FromAddress string
}

// Validate refuses line breaks, which would let a business name inject mail headers.
func (b Business) Validate() error {
	if strings.ContainsAny(b.Name+b.Email+b.FromAddress, "\r\n") {
		return errors.New("mail: line breaks in the business identity")
	}
	return nil
}

// Links are the member links an email carries, signed by the channel: Redeem opens the card
// page's redemption block (signing the member in), Unsubscribe switches the emails off.
type Links struct {
	Redeem, Unsubscribe string
}

// ErrUnknownEmail is returned by Render for an email kind it has no template for (or a coupon
// email without its redemption).
var ErrUnknownEmail = errors.New("mail: unknown email kind")

// Render writes an engine email as a Message: the template of its kind in its language (the
// program's email language when the email names none), from the business, with the links.
func Render(e loyalty.Email, b Business, links Links) (Message, error) {
	lang := e.Language
	if lang == "" {
		lang = e.Program.EmailLanguage
	}
	cat := catalogFor(lang)
	subject, text, err := cat.render(e, b, links.Redeem, links.Unsubscribe)
	if err != nil {
		return Message{}, err
	}
	from := b.FromAddress
	if from == "" {
		from = b.Email
	}
	return Message{Kind: e.Kind, From: mail.Address{Name: b.Name, Address: from}, ReplyTo: b.Email,
		To: e.To.Email, Language: cat.tag, Subject: subject, Text: text, RedeemURL: links.Redeem,
		UnsubscribeURL: links.Unsubscribe, ProgramID: e.Program.ID, MemberID: e.To.ID}, nil
}
