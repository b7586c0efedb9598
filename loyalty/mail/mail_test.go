package mail_test

import (
	"bytes"
	"context"
	"log/slog"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/mail"
)

func welcome(t *testing.T) mail.Message {
	t.Helper()
	p := loyalty.DefaultProgram("card", "EUR")
	p.Name = "Corner Café card"
	p.Redemption.Enabled = true
	m, err := mail.Render(loyalty.Email{Kind: loyalty.EmailWelcome, Program: p, Points: 120, Balance: 120, OrderID: "7",
		To: loyalty.Member{ID: "m1", Name: "Ada Lovelace", Email: "Ada@Example.com"}},
		mail.Business{Name: "Corner Café", Email: "hello@corner.example"},
		mail.Links{Redeem: "https://w.example/redeem?token=abcdefghijkl", Unsubscribe: "https://w.example/unsubscribe?token=mnopqrstu"})
	require.NoError(t, err)
	return m
}

func TestRender_Welcome(t *testing.T) {
	t.Parallel()
	m := welcome(t)
	assert.Equal(t, "Welcome to Corner Café card: you earned 120 points", m.Subject)
	assert.Equal(t, "hello@corner.example", m.From.Address)
	assert.Contains(t, m.Text, "Hi Ada Lovelace,")
	assert.Contains(t, m.Text, "Redeem my points: https://w.example/redeem?token=abcdefghijkl")
	assert.Equal(t, "en", m.Language)

	_, err := mail.Render(loyalty.Email{Kind: "postcard"}, mail.Business{}, mail.Links{})
	assert.ErrorIs(t, err, mail.ErrUnknownEmail)
}

// By default LogSender logs metadata only; Bodies adds the text with the tokens masked.
func TestLogSender_MetadataUnlessBodiesAsked(t *testing.T) {
	t.Parallel()
	m := welcome(t)
	var buf bytes.Buffer
	s := &mail.LogSender{Logger: slog.New(slog.NewTextHandler(&buf, nil))}
	require.NoError(t, s.Send(context.Background(), m))
	line := buf.String()
	for _, personal := range []string{"Ada", "Example.com", "120 points", "token"} {
		assert.NotContains(t, line, personal)
	}
	assert.Contains(t, line, "kind=welcome")
	assert.Contains(t, line, "to_hash="+s.RecipientHash(" ada@example.COM"), "the hash ignores case and spaces")
	assert.Contains(t, line, "size=")

	keyed := &mail.LogSender{HashKey: []byte("k")}
	assert.NotEqual(t, s.RecipientHash(m.To), keyed.RecipientHash(m.To))

	buf.Reset()
	s.Bodies = true
	require.NoError(t, s.Send(context.Background(), m))
	assert.Contains(t, buf.String(), "Hi Ada Lovelace")
	assert.Contains(t, buf.String(), "token=[redacted]")
	assert.NotContains(t, buf.String(), "abcdefghijkl")
}
