package mail

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"regexp"
	"strings"
)

// LogSender "sends" emails by logging them, for development and as a default. By default it
// logs metadata only — the template (kind), a hash of the recipient, the language, the program,
// the member id and the body size — never the address, the name, the balance or the text, so the
// log holds no personal data. Bodies logs the subject and text as well (development only);
// sign-in tokens grant access to the member's wallet, so they stay masked unless ShowLinks is
// set too.
type LogSender struct {
	Logger *slog.Logger
	// Bodies logs the recipient address, subject and text too (never in production).
	Bodies bool
	// ShowLinks logs the links with their tokens when Bodies is set (never in production).
	ShowLinks bool
	// HashKey keys the recipient hash (HMAC-SHA256), so that the hash cannot be matched against
	// a list of addresses without it. Default: unkeyed SHA-256, which still lets the operator
	// correlate lines of one recipient.
	HashKey []byte
}

var tokenParam = regexp.MustCompile(`token=[A-Za-z0-9_\-.%]+`)

// Send implements Sender.
func (s *LogSender) Send(ctx context.Context, m Message) error {
	l := s.Logger
	if l == nil {
		l = slog.Default()
	}
	attrs := []any{"kind", m.Kind, "to_hash", s.RecipientHash(m.To), "language", m.Language,
		"program", m.ProgramID, "member", m.MemberID, "size", len(m.Subject) + len(m.Text)}
	if s.Bodies {
		text, subject := m.Text, m.Subject
		if !s.ShowLinks {
			text = tokenParam.ReplaceAllString(text, "token=[redacted]")
		}
		attrs = append(attrs, "to", m.To, "from", m.From.String(), "reply_to", m.ReplyTo, "subject", subject, "text", text)
	}
	l.InfoContext(ctx, "mail: member email", attrs...)
	return nil
}

// RecipientHash returns the hash LogSender logs for an address (case and surrounding spaces
// ignored): 16 hex digits.
func (s *LogSender) RecipientHash(addr string) string {
	addr = strings.ToLower(strings.TrimSpace(addr))
	var sum []byte
	if len(s.HashKey) > 0 {
		m := hmac.New(sha256.New, s.HashKey)
		m.Write([]byte(addr))
		sum = m.Sum(nil)
	} else {
		h := sha256.Sum256([]byte(addr))
		sum = h[:]
	}
	return hex.EncodeToString(sum[:8])
}
