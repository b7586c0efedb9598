package main

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/smtp"
	"strings"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/mail"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
	"github.com/loyalsync/loyalsync/loyalty/wooconnect"
	"github.com/loyalsync/loyalsync/woocommerce"
)

// app is the running server's state.
type app struct {
	cfg   config
	log   *slog.Logger
	woo   *wooconnect.Connector
	store *sqlite.Store

	mu     sync.RWMutex
	connID string // set once connected; read by /overview meanwhile

	recoverAt time.Time // when Recover should run again for a waiting reservation (zero: none)
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// run serves until ctx ends: it listens, then connects (WooCommerce pings the delivery URL
// while creating the webhook), then does the start-up upkeep and the periodic one.
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
	up := make(chan error, 1)
	go func() { up <- a.start(ctx) }()
	select {
	case err := <-served:
		return err
	case err := <-up:
		if err != nil {
			_ = srv.Close()
			return err
		}
	}
	maintained := make(chan struct{})
	go func() { a.maintain(ctx); close(maintained) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdown)
	<-maintained
	return err
}

// setUp opens the store and builds the connector; start does the rest once the endpoint is
// served.
func setUp(ctx context.Context, cfg config, logger *slog.Logger) (*app, error) {
	if cfg.Clock == nil {
		cfg.Clock = systemClock{}
	}
	if cfg.After == nil {
		cfg.After = time.After
	}
	clientOpts := []woocommerce.Option{woocommerce.WithRateLimit(5, 5), woocommerce.WithUserAgent("loyalsync-webhook-server")}
	if cfg.CAFile != "" {
		hc, err := storeHTTPClient(cfg.CAFile)
		if err != nil {
			return nil, err
		}
		clientOpts = append(clientOpts, woocommerce.WithHTTPClient(hc))
	}
	store, err := sqlite.Open(ctx, cfg.DBPath, sqlite.WithLogger(logger))
	if err != nil {
		return nil, err
	}
	a := &app{cfg: cfg, log: logger, store: store}
	conns, err := wooconnect.NewSQLConnectionStore(ctx, store) // its tables, in the same database and writer
	if err != nil {
		a.close()
		return nil, err
	}
	opts := []wooconnect.Option{
		wooconnect.WithEncryptionKey(cfg.EncryptionKey),
		wooconnect.WithWebhookURL(strings.TrimRight(cfg.PublicURL, "/") + "/woocommerce/webhooks"),
		wooconnect.WithBusiness(mail.Business{Name: cfg.BusinessName, Email: cfg.BusinessEmail}),
		wooconnect.WithLogger(logger),
		wooconnect.WithClock(cfg.Clock),
		wooconnect.WithClientOptions(append(clientOpts, cfg.ClientOptions...)...),
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

func (a *app) connectionID() string {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.connID
}

// connect makes sure the program exists in -currency, and connects the store when keys are
// given or finds the program's stored connection otherwise.
func (a *app) connect(ctx context.Context) error {
	eng := a.woo.Engine()
	p, err := eng.Program(ctx, a.cfg.ProgramID)
	switch {
	case errors.Is(err, loyalty.ErrProgramNotFound):
		p = loyalty.DefaultProgram(a.cfg.ProgramID, a.cfg.Currency)
		p.Redemption.Enabled = true
		if _, err := eng.SaveProgram(ctx, p, "webhook-server"); err != nil {
			return err
		}
	case err != nil:
		return err
	case !strings.EqualFold(p.Currency, a.cfg.Currency):
		return fmt.Errorf("refusing to start: -currency is %s but program %q is in %s, and orders in another currency than "+
			"the program's earn nothing; pass -currency %s (or use another -program for a store in %s)",
			a.cfg.Currency, p.ID, p.Currency, p.Currency, a.cfg.Currency)
	}
	id := ""
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
		id = c.ID
	} else if id, err = a.storedConnection(ctx); err != nil {
		return err
	}
	a.mu.Lock()
	a.connID = id
	a.mu.Unlock()
	return nil
}

// storedConnection returns the id of the program's connection that is not disconnected.
func (a *app) storedConnection(ctx context.Context) (string, error) {
	conns, err := a.woo.Connections(ctx, a.cfg.ProgramID)
	if err != nil {
		return "", err
	}
	for _, c := range conns {
		if c.State != wooconnect.StateDisconnected {
			return c.ID, nil
		}
	}
	return "", errors.New("no store connected to the program: pass -store-url with WC_CONSUMER_KEY and WC_CONSUMER_SECRET")
}

func (a *app) routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/woocommerce/webhooks/", http.StripPrefix("/woocommerce/webhooks", a.woo.Handler()))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.HandleFunc("GET /overview", a.overview)
	return mux
}

// overview answers the monitoring view as JSON, without secrets, to the admin token's holder;
// 503 "connecting" until the store is connected.
func (a *app) overview(w http.ResponseWriter, r *http.Request) {
	token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok || subtle.ConstantTimeCompare([]byte(token), []byte(a.cfg.AdminToken)) != 1 {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	id := a.connectionID()
	if id == "" {
		w.Header().Set("Retry-After", "5")
		http.Error(w, "connecting", http.StatusServiceUnavailable)
		return
	}
	ov, err := a.woo.Overview(r.Context(), id, 20)
	if err != nil {
		a.log.ErrorContext(r.Context(), "overview", "err", err)
		http.Error(w, "overview unavailable", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = printJSON(w, ov.Redacted())
}

func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
