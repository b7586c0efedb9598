// Command webhook-server connects a real WooCommerce store to a loyalty card and serves what the
// connection needs: the webhook endpoint WooCommerce delivers order updates to, and a JSON
// overview for monitoring. It keeps the ledger and the connection in one SQLite file, sends
// member emails over SMTP (or logs their metadata), and keeps the connection healthy on its own.
//
//	export LOYALSYNC_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)
//	export LOYALSYNC_ADMIN_TOKEN=some-long-random-string
//	export WC_CONSUMER_KEY=ck_... WC_CONSUMER_SECRET=cs_...
//	go run ./examples/webhook-server -public-url https://loyalty.example.com \
//		-store-url https://shop.example.com -program shop-card -currency EUR
//	go run ./examples/webhook-server status -public-url https://loyalty.example.com
//	go run ./examples/webhook-server disconnect -public-url https://loyalty.example.com
//
// The public URL must reach this server over HTTPS (a reverse proxy terminating TLS is fine):
// WooCommerce delivers to <public-url>/woocommerce/webhooks/<connection id>, signed but in
// clear on plain HTTP, so http:// is accepted only for a loopback address (local testing).
// The webhook handler must be serving before the store is connected, because WooCommerce pings
// the delivery URL while it creates the webhook: the server starts listening first, then
// connects; until then GET /overview answers 503 "connecting". The overview is at GET /overview
// with "Authorization: Bearer <admin token>"; GET /healthz answers 200. Use -ca-file for a store
// whose certificate a private CA signed.
//
// Upkeep, at start-up and every -reconcile interval:
//
//   - the orders WooCommerce failed to deliver are reconciled from the last reconciled point
//     kept in the database, so an outage of any length is caught up on restart; -max-lookback
//     bounds how far back, and a warning names the time range left out;
//   - interrupted redemptions are finished, and those too young to touch are retried as soon as
//     they reach the recover age;
//   - the webhook's status in the store is checked: a webhook WooCommerce disabled during an
//     outage (or that was deleted) is re-activated at start-up, and a warning says what to do
//     otherwise;
//   - receipts and activity older than -retention are pruned, once a day.
//
// The server refuses to start when -currency differs from the existing program's currency:
// orders in another currency than the program's earn nothing, so it would skip every order.
//
// Subcommands: serve (the default) runs the server; status prints the connection and its
// webhook's status as JSON; disconnect deletes the webhook and the stored keys.
package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// config is everything the server reads from flags and the environment.
type config struct {
	Command        string // serve, status or disconnect
	Addr           string
	PublicURL      string
	DBPath         string
	StoreURL       string
	ProgramID      string
	Currency       string
	ConsumerKey    string
	ConsumerSecret string
	EncryptionKey  []byte
	AdminToken     string
	BusinessName   string
	BusinessEmail  string
	SMTPAddr       string
	SMTPUser       string
	SMTPPassword   string
	CAFile         string
	Reconcile      time.Duration
	MaxLookback    time.Duration
	Retention      time.Duration
	InsecureHTTP   bool
	// ClientOptions are passed to the WooCommerce client (tests use them to reach a fake).
	ClientOptions []woocommerce.Option
	// Clock and After drive the server's time (default: the system clock and time.After);
	// tests pass a fake clock shared with the fake store.
	Clock loyalty.Clock
	After func(time.Duration) <-chan time.Time
	// upkept, when set, is called after each periodic upkeep pass (tests wait on it).
	upkept func()
}

// commands are the subcommands; the first is the default.
var commands = []string{"serve", "status", "disconnect"}

func parseConfig(args []string, getenv func(string) string) (config, error) {
	c := config{Command: commands[0]}
	if len(args) > 0 {
		for _, cmd := range commands {
			if args[0] == cmd {
				c.Command, args = cmd, args[1:]
			}
		}
	}
	fs := flag.NewFlagSet("webhook-server "+c.Command, flag.ContinueOnError)
	fs.StringVar(&c.Addr, "addr", ":8080", "listen address")
	fs.StringVar(&c.PublicURL, "public-url", "", "public base URL of this server, https:// (http:// only on loopback); required")
	fs.StringVar(&c.DBPath, "db", "loyalty.db", "SQLite database file")
	fs.StringVar(&c.StoreURL, "store-url", "", "WooCommerce store URL to connect (optional when already connected)")
	fs.StringVar(&c.ProgramID, "program", "shop-card", "loyalty program (card) id; created with defaults when missing")
	fs.StringVar(&c.Currency, "currency", "EUR", "program currency, the store's currency (must match an existing program's)")
	fs.StringVar(&c.BusinessName, "business-name", "", "sender name of member emails")
	fs.StringVar(&c.BusinessEmail, "business-email", "", "reply-to address of member emails")
	fs.StringVar(&c.SMTPAddr, "smtp", "", "SMTP server host:port (default: log emails' metadata instead of sending)")
	fs.StringVar(&c.CAFile, "ca-file", "", "PEM file of extra CA certificates to trust for the store (a private CA)")
	fs.DurationVar(&c.Reconcile, "reconcile", 15*time.Minute, "how often to reconcile orders, recover redemptions and check the webhook (0: at start-up only)")
	fs.DurationVar(&c.MaxLookback, "max-lookback", 7*24*time.Hour, "how far back a reconciliation may go after downtime (0: no bound)")
	fs.DurationVar(&c.Retention, "retention", loyalty.DefaultRetention, "how long delivery receipts and the activity log are kept (pruned daily)")
	fs.BoolVar(&c.InsecureHTTP, "insecure-http", false, "allow an http:// store URL (OAuth 1.0a; development only)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q (subcommands: serve, status, disconnect)", fs.Arg(0))
	}
	c.ConsumerKey, c.ConsumerSecret = getenv("WC_CONSUMER_KEY"), getenv("WC_CONSUMER_SECRET")
	c.AdminToken = getenv("LOYALSYNC_ADMIN_TOKEN")
	c.SMTPUser, c.SMTPPassword = getenv("SMTP_USER"), getenv("SMTP_PASSWORD")
	key, err := base64.StdEncoding.DecodeString(getenv("LOYALSYNC_ENCRYPTION_KEY"))
	switch {
	case err != nil || len(key) != wooconnect.EncryptionKeySize:
		return c, errors.New("LOYALSYNC_ENCRYPTION_KEY must hold 32 bytes in base64 (head -c 32 /dev/urandom | base64)")
	case c.PublicURL == "":
		return c, errors.New("-public-url is required")
	case c.Command == "serve" && len(c.AdminToken) < 16:
		return c, errors.New("LOYALSYNC_ADMIN_TOKEN must be at least 16 characters")
	}
	if err := checkPublicURL(c.PublicURL); err != nil {
		return c, err
	}
	c.EncryptionKey = key
	return c, nil
}

// checkPublicURL accepts https://, and http:// only for a loopback host: WooCommerce would
// deliver order data (names, emails, totals) in clear to any other.
func checkPublicURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("-public-url %q: want an absolute https:// URL", raw)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return fmt.Errorf("-public-url %q: http:// is allowed only on loopback (localhost, 127.0.0.1, ::1) for local testing; "+
			"WooCommerce would send order data in clear: use https://, e.g. behind a TLS-terminating proxy", raw)
	}
	return nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// storeHTTPClient returns the HTTP client for the store: the system's roots plus the CA file.
func storeHTTPClient(caFile string) (*http.Client, error) {
	pemBytes, err := os.ReadFile(caFile)
	if err != nil {
		return nil, fmt.Errorf("-ca-file: %w", err)
	}
	pool, err := x509.SystemCertPool()
	if err != nil {
		pool = x509.NewCertPool()
	}
	if !pool.AppendCertsFromPEM(pemBytes) {
		return nil, fmt.Errorf("-ca-file %s: no PEM certificate found", caFile)
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: tr, Timeout: time.Minute}, nil
}

func main() {
	logger := slog.New(slog.NewTextHandler(os.Stderr, nil))
	cfg, err := parseConfig(os.Args[1:], os.Getenv)
	if err != nil {
		fmt.Fprintln(os.Stderr, "webhook-server:", err)
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	switch cfg.Command {
	case "status", "disconnect":
		err = runCommand(ctx, cfg, logger, os.Stdout)
	default:
		err = run(ctx, cfg, logger)
	}
	if err != nil {
		logger.Error("webhook-server "+cfg.Command+" failed", "err", err)
		os.Exit(1)
	}
}

// runCommand runs the status or disconnect subcommand on the stored connection, printing the
// result as JSON.
func runCommand(ctx context.Context, cfg config, logger *slog.Logger, out io.Writer) error {
	a, err := setUp(ctx, cfg, logger)
	if err != nil {
		return err
	}
	defer a.close()
	id, err := a.storedConnection(ctx)
	if err != nil {
		return err
	}
	if cfg.Command == "disconnect" {
		res, err := a.woo.Disconnect(ctx, id, "webhook-server")
		if err != nil {
			return err
		}
		return printJSON(out, res)
	}
	conn, err := a.woo.Connection(ctx, id)
	if err != nil {
		return err
	}
	wh, err := a.woo.CheckWebhook(ctx, id)
	if err != nil {
		return err
	}
	conn.Manual = nil // holds the webhook secret
	return printJSON(out, struct {
		Connection wooconnect.Connection    `json:"connection"`
		Webhook    wooconnect.WebhookStatus `json:"webhook"`
	}{conn, wh})
}
