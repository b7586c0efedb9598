// Package mail writes and delivers the loyalty engine's member emails (welcome, points earned,
// coupon issued) for every channel: the WooCommerce connection today, the counter channel next.
//
// Render turns a loyalty.Email into a Message in the program's language (English or Swedish),
// from the business name with the business email as reply-to, with the "Redeem my points" and
// opt-out links the caller signed. A Sender delivers it: SMTPSender over SMTP, LogSender to a
// log (development; metadata only unless asked for bodies), or any SenderFunc.
//
// The package knows no vendor and no HTTP: channels decide where the links point and when an
// email is sent (member opt-outs, for instance, are kept by the channel).
package mail
