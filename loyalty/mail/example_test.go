package mail_test

import (
	"context"
	"fmt"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/mail"
)

// Render writes an engine email; any Sender delivers it (SMTPSender for real mail).
func ExampleRender() {
	p := loyalty.DefaultProgram("card", "SEK")
	p.EmailLanguage = "sv"
	m, err := mail.Render(loyalty.Email{Kind: loyalty.EmailPointsEarned, Program: p, Points: 42, Balance: 1042,
		OrderID: "1001", To: loyalty.Member{ID: "m1", Email: "asa@example.com"}},
		mail.Business{Name: "Hörnan", Email: "hej@hornan.example"},
		mail.Links{Redeem: "https://wallet.example/redeem?token=…", Unsubscribe: "https://wallet.example/unsubscribe?token=…"})
	if err != nil {
		fmt.Println(err)
		return
	}
	var send mail.Sender = mail.SenderFunc(func(_ context.Context, m mail.Message) error {
		fmt.Println(m.Language, m.Subject)
		return nil
	})
	_ = send.Send(context.Background(), m)
	// Output: sv Du har fått 42 poäng
}
