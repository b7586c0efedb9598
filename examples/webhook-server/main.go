// Command webhook-server connects a real WooCommerce store to a loyalty card and serves what the
// connection needs: the webhook endpoint WooCommerce delivers order updates to, and a JSON
// overview for monitoring. It keeps the ledger and the connection in one SQLite file, reconciles
// orders and finishes interrupted redemptions periodically, and sends member emails over SMTP (or
// logs them).
//
//	export LOYALSYNC_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64)
//	export LOYALSYNC_ADMIN_TOKEN=some-long-random-string
//	export WC_CONSUMER_KEY=ck_... WC_CONSUMER_SECRET=cs_...
//	go run ./examples/webhook-server -public-url https://loyalty.example.com \
//		-store-url https://shop.example.com -program shop-card -currency EUR
//
// The public URL must reach this server over HTTPS (a reverse proxy terminating TLS is fine):
// WooCommerce delivers to <public-url>/woocommerce/webhooks/<connection id>. The overview is at
// GET /overview with "Authorization: Bearer <admin token>"; GET /healthz answers 200.
package main

import (
	"context"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/smtp"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/mail"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// config is everything the server reads from flags and the environment.
type config struct {
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
	Reconcile      time.Duration
	InsecureHTTP   bool
	// ClientOptions are passed to the WooCommerce client (tests use them to reach a fake).
	ClientOptions []woocommerce.Option
}

func parseConfig(args []string, getenv func(string) string) (config, error) {
	var c config
	fs := flag.NewFlagSet("webhook-server", flag.ContinueOnError)
	fs.StringVar(&c.Addr, "addr", ":8080", "listen address")
	fs.StringVar(&c.PublicURL, "public-url", "", "public HTTPS base URL of this server (required)")
	fs.StringVar(&c.DBPath, "db", "loyalty.db", "SQLite database file")
	fs.StringVar(&c.StoreURL, "store-url", "", "WooCommerce store URL to connect (optional when already connected)")
	fs.StringVar(&c.ProgramID, "program", "shop-card", "loyalty program (card) id; created with defaults when missing")
	fs.StringVar(&c.Currency, "currency", "EUR", "program currency, the store's currency")
	fs.StringVar(&c.BusinessName, "business-name", "", "sender name of member emails")
	fs.StringVar(&c.BusinessEmail, "business-email", "", "reply-to address of member emails")
	fs.StringVar(&c.SMTPAddr, "smtp", "", "SMTP server host:port (default: log emails instead of sending)")
	fs.DurationVar(&c.Reconcile, "reconcile", 15*time.Minute, "how often to reconcile orders and recover redemptions (0: never)")
	fs.BoolVar(&c.InsecureHTTP, "insecure-http", false, "allow an http:// store URL (OAuth 1.0a; development only)")
	if err := fs.Parse(args); err != nil {
		return c, err
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
	case len(c.AdminToken) < 16:
		return c, errors.New("LOYALSYNC_ADMIN_TOKEN must be at least 16 characters")
	}
	c.EncryptionKey = key
	return c, nil
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
	if err := run(ctx, cfg, logger); err != nil {
		logger.Error("webhook-server stopped", "err", err)
		os.Exit(1)
	}
}

// app is the running server's state.
type app struct {
	cfg    config
	log    *slog.Logger
	woo    *wooconnect.Connector
	store  *sqlite.Store
	connID string
}

func run(ctx context.Context, cfg config, logger *slog.Logger) error {
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	a, err := setUp(ctx, cfg, logger)
	if err != nil {
		ln.Close()
		return err
	}
	defer a.close()
	srv := &http.Server{Handler: a.routes(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	logger.Info("serving", "addr", ln.Addr().String(), "webhooks", cfg.PublicURL+"/woocommerce/webhooks/")
	// Connect once the endpoint answers: WooCommerce pings it while creating the webhook.
	if err := a.connect(ctx); err != nil {
		_ = srv.Close()
		return err
	}
	go a.maintain(ctx)
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}

// setUp opens the stores and builds the connector; connect does the rest once the endpoint is
// served.
func setUp(ctx context.Context, cfg config, logger *slog.Logger) (*app, error) {
	store, err := sqlite.Open(ctx, cfg.DBPath, sqlite.WithLogger(logger))
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: logger, store: store}
	conns, err := wooconnect.NewSQLConnectionStore(ctx, store) // its tables, in the same database
	if err != nil {
		a.close()
		return nil, err
	}
	opts := []wooconnect.Option{
		wooconnect.WithEncryptionKey(cfg.EncryptionKey),
		wooconnect.WithWebhookURL(strings.TrimRight(cfg.PublicURL, "/") + "/woocommerce/webhooks"),
		wooconnect.WithBusiness(mail.Business{Name: cfg.BusinessName, Email: cfg.BusinessEmail}),
		wooconnect.WithLogger(logger),
		wooconnect.WithClientOptions(append([]woocommerce.Option{woocommerce.WithRateLimit(5, 5),
			woocommerce.WithUserAgent("loyalsync-webhook-server")}, cfg.ClientOptions...)...),
	}
	if cfg.SMTPAddr != "" {
		s := &mail.SMTPSender{Addr: cfg.SMTPAddr}
		if cfg.SMTPUser != "" {
			host, _, _ := net.SplitHostPort(cfg.SMTPAddr)
			s.Auth = smtp.PlainAuth("", cfg.SMTPUser, cfg.SMTPPassword, host)
		}
		opts = append(opts, wooconnect.WithSender(s))
	}
	if cfg.InsecureHTTP {
		opts = append(opts, wooconnect.WithInsecureHTTP())
	}
	if a.woo, err = wooconnect.New(store, conns, opts...); err != nil {
		a.close()
		return nil, err
	}
	return a, nil
}

func (a *app) close() {
	a.store.Close()
}

// connect makes sure the program exists, and connects the store when keys are given or finds
// the program's stored connection otherwise.
func (a *app) connect(ctx context.Context) error {
	eng := a.woo.Engine()
	if _, err := eng.Program(ctx, a.cfg.ProgramID); errors.Is(err, loyalty.ErrProgramNotFound) {
		p := loyalty.DefaultProgram(a.cfg.ProgramID, a.cfg.Currency)
		p.Redemption.Enabled = true
		if _, err := eng.SaveProgram(ctx, p, "webhook-server"); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	if a.cfg.StoreURL != "" && a.cfg.ConsumerKey != "" {
		c, err := a.woo.Connect(ctx, wooconnect.ConnectRequest{ProgramID: a.cfg.ProgramID, StoreURL: a.cfg.StoreURL,
			ConsumerKey: a.cfg.ConsumerKey, ConsumerSecret: a.cfg.ConsumerSecret, Actor: "webhook-server"})
		if err != nil {
			return err
		}
		if c.Manual != nil {
			a.log.Warn("create the webhook by hand", "instructions", strings.Join(c.Manual.Steps, "; "),
				"reason", c.Manual.Reason)
		}
		a.connID = c.ID
		return nil
	}
	conns, err := a.woo.Connections(ctx, a.cfg.ProgramID)
	if err != nil {
		return err
	}
	for _, c := range conns {
		if c.State != wooconnect.StateDisconnected {
			a.connID = c.ID
			return nil
		}
	}
	return errors.New("no store connected to the program: pass -store-url with WC_CONSUMER_KEY and WC_CONSUMER_SECRET")
}

func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/woocommerce/webhooks/", http.StripPrefix("/woocommerce/webhooks", a.woo.Handler()))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("GET /overview", a.overview)
	return mux
}

// overview answers the monitoring view as JSON, without secrets, to the admin token's holder.
func (a *app) overview(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(a.cfg.AdminToken)) != 1 {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	ov, err := a.woo.Overview(r.Context(), a.connID, 20)
	if err != nil {
		a.log.ErrorContext(r.Context(), "overview", "err", err)
		http.Error(w, "overview unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(ov.Redacted())
}

// maintain reconciles orders WooCommerce failed to deliver and finishes interrupted
// redemptions, every cfg.Reconcile.
func (a *app) maintain(ctx context.Context) {
	if a.cfg.Reconcile <= 0 {
		return
	}
	since := time.Now().Add(-a.cfg.Reconcile)
	tick := time.NewTicker(a.cfg.Reconcile)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
		started := time.Now()
		rep, err := a.woo.Reconcile(ctx, a.connID, since.Add(-time.Minute))
		if err != nil {
			a.log.WarnContext(ctx, "reconcile", "err", err)
		} else {
			since = started
			a.log.InfoContext(ctx, "reconciled", "orders", rep.Orders, "unchanged", rep.Unchanged, "outcomes", rep.ByOutcome)
		}
		if rec, err := a.woo.Engine().Recover(ctx); err != nil {
			a.log.WarnContext(ctx, "recover redemptions", "err", err)
		} else if rec.Issued+rec.Released+rec.Pending > 0 {
			a.log.InfoContext(ctx, "recovered redemptions", "issued", rec.Issued, "released", rec.Released, "pending", rec.Pending)
		}
	}
}
