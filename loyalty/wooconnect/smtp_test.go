package wooconnect_test

import (
	"bufio"
	"context"
	"io"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty/mail"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// smtpServer is a tiny SMTP server on 127.0.0.1 that accepts every message.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	msgs []smtpMessage
	wg   sync.WaitGroup
}

type smtpMessage struct {
	from string
	rcpt []string
	data string
}

func startSMTP(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	s := &smtpServer{ln: ln}
	s.wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() { s.serve(c) })
		}
	})
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

func (s *smtpServer) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(c)
	say := func(line string) { _, _ = io.WriteString(c, line+"\r\n") }
	say("220 127.0.0.1 ESMTP test")
	var m smtpMessage
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250-127.0.0.1")
			say("250 8BITMIME")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			from, _, _ := strings.Cut(strings.TrimSpace(line)[10:], " ") // drop parameters like BODY=8BITMIME
			m = smtpMessage{from: strings.Trim(from, "<>")}
			say("250 OK")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			m.rcpt = append(m.rcpt, strings.Trim(strings.TrimSpace(line)[8:], "<>"))
			say("250 OK")
		case cmd == "DATA":
			say("354 go ahead")
			var b strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				b.WriteString(strings.TrimPrefix(l, "."))
			}
			m.data = b.String()
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			say("250 queued")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 OK")
		}
	}
}

func (s *smtpServer) messages() []smtpMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]smtpMessage(nil), s.msgs...)
}

// The SMTP sender delivers a rendered email with the business identity, a UTF-8 subject and
// body, and the one-click opt-out headers.
func TestSMTPSender_DeliversWelcomeEmail(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t)
	sender := &mail.SMTPSender{Addr: srv.ln.Addr().String()}
	e := newEnv(t, withConnector(wooconnect.WithSender(sender)))
	e.connect()
	e.placeOrder(customer{"Åsa", "Öberg", "asa@example.com"}, "120.00", woocommerce.OrderProcessing)

	msgs := srv.messages()
	require.Len(t, msgs, 1)
	assert.Equal(t, "loyalty@platform.example", msgs[0].from)
	assert.Equal(t, []string{"asa@example.com"}, msgs[0].rcpt)
	parsed, err := netmail.ReadMessage(strings.NewReader(msgs[0].data))
	require.NoError(t, err)
	from, err := netmail.ParseAddress(parsed.Header.Get("From"))
	require.NoError(t, err)
	assert.Equal(t, "Corner Café", from.Name)
	assert.Equal(t, "<hello@corner.example>", parsed.Header.Get("Reply-To"))
	subject, err := new(mime.WordDecoder).DecodeHeader(parsed.Header.Get("Subject"))
	require.NoError(t, err)
	assert.Equal(t, "Welcome to Corner Café card: you earned 120 points", subject)
	assert.Regexp(t, `^<https://wallet\.example/unsubscribe\?token=`, parsed.Header.Get("List-Unsubscribe"))
	assert.Equal(t, "List-Unsubscribe=One-Click", parsed.Header.Get("List-Unsubscribe-Post"))
	body, err := io.ReadAll(quotedprintable.NewReader(parsed.Body))
	require.NoError(t, err)
	assert.Contains(t, string(body), "Hi Åsa Öberg,")
	assert.Contains(t, string(body), "Redeem my points: https://wallet.example/redeem?token=")
}

// A dead server is an error the engine logs; the points are awarded anyway.
func TestSMTPSender_ServerDownDoesNotLosePoints(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	ln.Close()
	sender := &mail.SMTPSender{Addr: addr, Timeout: time.Second}
	err = sender.Send(context.Background(), mail.Message{From: netmail.Address{Address: "a@b.example"}, To: "c@d.example"})
	require.Error(t, err)

	e := newEnv(t, withConnector(wooconnect.WithSender(sender)))
	e.connect()
	e.placeOrder(ada, "12.00", woocommerce.OrderProcessing)
	assert.Equal(t, int64(12), e.balance(ada.email))
	assert.Contains(t, e.logs.String(), "send member email")
}
