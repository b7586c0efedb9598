package mail

import (
	"fmt"
	"strings"
	"time"

	"github.com/shopspring/decimal"
	"golang.org/x/text/language"

	"github.com/loyalsync/loyalsync/loyalty"
)

// Languages lists the languages Render writes (BCP 47 base languages); any other language
// falls back to English.
func Languages() []string { return []string{english.tag, swedish.tag} }

// catalog holds one language's email texts. Format verbs are filled in the documented order.
type catalog struct {
	tag                 string
	thousands, decimals string
	point, points       string

	welcomeSubject string // program, points
	earnedSubject  string // points
	couponSubject  string // value, code

	greeting, greetingNoName string // name
	orderEarned              string // order, points
	welcomeBonus             string // bonus points
	balance                  string // points, value
	balanceOnly              string // points
	progress                 string // missing points, their unit, first discount value
	signIn                   string // email
	couponIntro              string // points
	couponCode               string // code
	couponValue              string // value
	couponExpiry             string // date
	couponRules              string // email
	couponSpent              string
	redeemLink               string // url
	linkNote                 string
	openCard                 string // url
	footer                   string // program
	unsubscribe              string // url
}

var english = catalog{
	tag: "en", thousands: ",", decimals: ".", point: "point", points: "points",

	welcomeSubject: "Welcome to %s: you earned %s",
	earnedSubject:  "You earned %s",
	couponSubject:  "Your %s discount code: %s",

	greeting: "Hi %s,", greetingNoName: "Hi,",
	orderEarned:  "Thanks for your order %s. It earned you %s.",
	welcomeBonus: "That includes a welcome bonus of %s.",
	balance:      "You now have %s = %s in store discount",
	balanceOnly:  "You now have %s.",
	progress:     "Only %s more %s until your first %s discount",
	signIn: "Your loyalty account is ready. Sign in with your email address (%s) and a one-time code we send you: " +
		"there is no password to remember.",
	couponIntro:  "You redeemed %s. Here is your store coupon:",
	couponCode:   "Code: %s",
	couponValue:  "Value: %s off your cart",
	couponExpiry: "Valid until: %s",
	couponRules:  "The code works once, only with your email address (%s). Paste it at checkout like any coupon.",
	couponSpent:  "The points were deducted when the coupon was created; a coupon that expires unused does not give them back.",
	redeemLink:   "Redeem my points: %s",
	linkNote:     "This link signs you in without a password and works for 7 days.",
	openCard:     "See my points: %s",
	footer:       "You receive this email about your %s loyalty account.",
	unsubscribe:  "Don't want these emails? Unsubscribe: %s",
}

var swedish = catalog{
	tag: "sv", thousands: "\u00a0", decimals: ",", point: "poäng", points: "poäng",

	welcomeSubject: "Välkommen till %s: du har fått %s",
	earnedSubject:  "Du har fått %s",
	couponSubject:  "Din rabattkod på %s: %s",

	greeting: "Hej %s!", greetingNoName: "Hej!",
	orderEarned:  "Tack för din beställning %s. Den gav dig %s.",
	welcomeBonus: "Det inkluderar en välkomstbonus på %s.",
	balance:      "Du har nu %s = %s i butiksrabatt",
	balanceOnly:  "Du har nu %s.",
	progress:     "Bara %s %s kvar till din första rabatt på %s",
	signIn: "Ditt lojalitetskonto är klart. Logga in med din e-postadress (%s) och en engångskod som vi skickar till dig: " +
		"du behöver inget lösenord.",
	couponIntro:  "Du har löst in %s. Här är din rabattkupong:",
	couponCode:   "Kod: %s",
	couponValue:  "Värde: %s rabatt på varukorgen",
	couponExpiry: "Giltig till och med: %s",
	couponRules:  "Koden kan användas en gång och bara med din e-postadress (%s). Klistra in den i kassan som vilken kupong som helst.",
	couponSpent:  "Poängen drogs när kupongen skapades; en kupong som går ut oanvänd ger inte tillbaka dem.",
	redeemLink:   "Lös in mina poäng: %s",
	linkNote:     "Länken loggar in dig utan lösenord och gäller i 7 dagar.",
	openCard:     "Se mina poäng: %s",
	footer:       "Du får detta e-postmeddelande om ditt lojalitetskonto hos %s.",
	unsubscribe:  "Vill du inte få dessa e-postmeddelanden? Avregistrera dig: %s",
}

// catalogFor returns the catalog of a BCP 47 tag's base language, English by default.
func catalogFor(tag string) *catalog {
	t, err := language.Parse(tag)
	if err == nil {
		if base, _ := t.Base(); base.String() == "sv" {
			return &swedish
		}
	}
	return &english
}

// localize swaps loyalty's "1,234.50" separators for the language's.
func (c *catalog) localize(s string) string {
	if c.thousands == "," && c.decimals == "." {
		return s
	}
	return strings.NewReplacer(",", c.thousands, ".", c.decimals).Replace(s)
}

// pts formats a points amount with its unit: "1,200 points", "1 point", "1 200 poäng".
func (c *catalog) pts(n int64) string { return c.num(n) + " " + c.unit(n) }

// num formats a points amount: "1,200", "1 200".
func (c *catalog) num(n int64) string { return c.localize(loyalty.FormatPoints(n)) }

// unit is "point" or "points" for n.
func (c *catalog) unit(n int64) string {
	if n == 1 || n == -1 {
		return c.point
	}
	return c.points
}

// money formats an amount with the currency code: "60.00 EUR", "60,00 SEK".
func (c *catalog) money(amount decimal.Decimal, currency string) string {
	return c.localize(loyalty.FormatMoney(amount, currency)) + " " + currency
}

// render writes the subject and plain-text body of an engine email.
func (c *catalog) render(e loyalty.Email, b Business, redeemURL, unsubscribeURL string) (subject, text string, err error) {
	p := e.Program.WithDefaults()
	programName := p.Name
	if programName == "" {
		programName = b.Name
	}
	if programName == "" {
		programName = p.ID
	}
	var lines []string
	add := func(format string, args ...any) { lines = append(lines, fmt.Sprintf(format, args...)) }
	blank := func() { lines = append(lines, "") }

	if name := strings.TrimSpace(e.To.Name); name != "" {
		add(c.greeting, name)
	} else {
		lines = append(lines, c.greetingNoName)
	}
	blank()
	switch e.Kind {
	case loyalty.EmailWelcome, loyalty.EmailPointsEarned:
		subject = fmt.Sprintf(c.earnedSubject, c.pts(e.Points))
		if e.Kind == loyalty.EmailWelcome {
			subject = fmt.Sprintf(c.welcomeSubject, programName, c.pts(e.Points))
		}
		add(c.orderEarned, e.OrderID, c.pts(e.Points))
		if e.WelcomeBonus > 0 {
			add(c.welcomeBonus, c.pts(e.WelcomeBonus))
		}
		c.balanceLines(&lines, p, e.Balance)
		if e.Kind == loyalty.EmailWelcome {
			blank()
			add(c.signIn, e.To.Email)
		}
	case loyalty.EmailCouponIssued:
		r := e.Redemption
		if r == nil {
			return "", "", fmt.Errorf("%w: coupon email without a redemption", ErrUnknownEmail)
		}
		value := c.money(r.Value, r.Currency)
		subject = fmt.Sprintf(c.couponSubject, value, r.Code)
		add(c.couponIntro, c.pts(r.Points))
		blank()
		add(c.couponCode, r.Code)
		add(c.couponValue, value)
		add(c.couponExpiry, r.ExpiresAt.UTC().Format(time.DateOnly))
		blank()
		add(c.couponRules, e.To.Email)
		lines = append(lines, c.couponSpent)
		c.balanceLines(&lines, p, e.Balance)
	default:
		return "", "", fmt.Errorf("%w: %q", ErrUnknownEmail, e.Kind)
	}
	blank()
	if p.Redemption.Enabled {
		add(c.redeemLink, redeemURL)
	} else {
		add(c.openCard, redeemURL)
	}
	lines = append(lines, c.linkNote)
	blank()
	lines = append(lines, "-- ")
	if b.Name != "" {
		lines = append(lines, b.Name)
	}
	add(c.footer, programName)
	add(c.unsubscribe, unsubscribeURL)
	return subject, strings.Join(lines, "\n") + "\n", nil
}

// balanceLines adds the new balance with its value and, below the minimum, the progress toward
// the first redemption.
func (c *catalog) balanceLines(lines *[]string, p loyalty.Program, balance int64) {
	r := p.Redemption
	if !r.Enabled {
		*lines = append(*lines, fmt.Sprintf(c.balanceOnly, c.pts(balance)))
		return
	}
	*lines = append(*lines, fmt.Sprintf(c.balance, c.pts(balance), c.localize(loyalty.FormatMoney(p.PointsValue(balance), p.Currency))))
	if balance < r.MinPoints {
		missing := r.MinPoints - max(balance, 0)
		*lines = append(*lines, fmt.Sprintf(c.progress, c.num(missing), c.unit(missing),
			c.localize(loyalty.FormatMoney(p.PointsValue(r.MinPoints), p.Currency))))
	}
}
