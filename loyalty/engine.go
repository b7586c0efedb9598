package loyalty

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	mrand "math/rand/v2"
	"sync"
	"time"
)

// Clock tells the time. The engine stores every time in UTC.
type Clock interface {
	Now() time.Time
}

// ClockFunc adapts a function to Clock.
type ClockFunc func() time.Time

// Now calls f.
func (f ClockFunc) Now() time.Time { return f() }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Engine applies a loyalty program's rules over a Store: it turns order events into points,
// takes them back on refunds and turns points into coupons. It is safe for concurrent use, and
// several engines (in several processes) may share one Store.
type Engine struct {
	store      Store
	clock      Clock
	issuer     CouponIssuer
	mailer     Mailer
	logger     *slog.Logger
	salt       []byte
	maxRetries int
	recoverAge time.Duration
	pruneBatch int // rows of each kind Prune deletes per transaction

	randMu sync.Mutex
	rand   io.Reader

	// secret is the WithCodeSecret secret; codes derives redemption ids and coupon codes under
	// it, or under the Store's secret, loaded (created there on first use) under codesMu.
	secret  []byte
	codesMu sync.Mutex
	codes   *codeKey
}

// Option configures an Engine.
type Option func(*Engine) error

// WithClock sets the clock (default: the system clock).
func WithClock(c Clock) Option {
	return func(e *Engine) error {
		if c == nil {
			return errors.New("loyalty: WithClock: nil clock")
		}
		e.clock = c
		return nil
	}
}

// WithCouponIssuer sets the issuer that creates coupons for redemptions.
func WithCouponIssuer(ci CouponIssuer) Option {
	return func(e *Engine) error { e.issuer = ci; return nil }
}

// WithMailer sets the mailer told about member emails to send (default: none).
func WithMailer(m Mailer) Option {
	return func(e *Engine) error { e.mailer = m; return nil }
}

// WithLogger sets the logger (default: discard).
func WithLogger(l *slog.Logger) Option {
	return func(e *Engine) error {
		if l == nil {
			return errors.New("loyalty: WithLogger: nil logger")
		}
		e.logger = l
		return nil
	}
}

// WithReceiptSalt sets the secret salt of the email hashes kept in delivery receipts. Use the
// same salt on every engine sharing a Store so hashes stay comparable; at least 16 bytes.
// Without it an engine draws a random salt, so its hashes match only its own.
func WithReceiptSalt(salt []byte) Option {
	return func(e *Engine) error {
		if len(salt) < 16 {
			return errors.New("loyalty: WithReceiptSalt: salt shorter than 16 bytes")
		}
		e.salt = append([]byte(nil), salt...)
		return nil
	}
}

// WithCodeSecret sets the installation secret that redemption ids and coupon codes are
// derived with (at least 16 bytes), so that two installations never derive the same code for
// the same program and idempotency key. Without it the engine uses the secret kept in the
// Store, drawn at random by the first redemption. Every engine sharing a Store must use the
// same secret: give them all the option, or none.
func WithCodeSecret(secret []byte) Option {
	return func(e *Engine) error {
		if len(secret) < 16 {
			return errors.New("loyalty: WithCodeSecret: secret shorter than 16 bytes")
		}
		e.secret = append([]byte(nil), secret...)
		return nil
	}
}

// WithMaxRetries sets how many times a transaction is run again after a conflict (default 20).
func WithMaxRetries(n int) Option {
	return func(e *Engine) error {
		if n < 0 {
			return errors.New("loyalty: WithMaxRetries: negative")
		}
		e.maxRetries = n
		return nil
	}
}

// WithRecoverAfter sets how old a reservation must be before Recover touches it (default one
// minute), so that Recover does not race a Redeem still in flight.
func WithRecoverAfter(d time.Duration) Option {
	return func(e *Engine) error {
		if d < 0 {
			return errors.New("loyalty: WithRecoverAfter: negative")
		}
		e.recoverAge = d
		return nil
	}
}

// WithRandom sets the entropy source of generated ids and member codes (default crypto/rand).
// Tests and examples pass a seeded reader for reproducible output.
func WithRandom(r io.Reader) Option {
	return func(e *Engine) error {
		if r == nil {
			return errors.New("loyalty: WithRandom: nil reader")
		}
		e.rand = r
		return nil
	}
}

// New returns an Engine over store. A nil Option is ignored.
func New(store Store, opts ...Option) (*Engine, error) {
	if store == nil {
		return nil, errors.New("loyalty: New: nil store")
	}
	e := &Engine{
		store:      store,
		clock:      systemClock{},
		logger:     slog.New(slog.DiscardHandler),
		maxRetries: 20,
		recoverAge: time.Minute,
		pruneBatch: 5000,
		rand:       rand.Reader,
	}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(e); err != nil {
			return nil, err
		}
	}
	if e.salt == nil {
		e.salt = make([]byte, 32)
		if _, err := io.ReadFull(rand.Reader, e.salt); err != nil {
			return nil, fmt.Errorf("loyalty: New: draw receipt salt: %w", err)
		}
	}
	return e, nil
}

// Store returns the engine's store.
func (e *Engine) Store() Store { return e.store }

// Clock returns the engine's clock (WithClock, or the system clock).
func (e *Engine) Clock() Clock { return e.clock }

func (e *Engine) now() time.Time { return e.clock.Now().UTC() }

// update runs fn in a read-write transaction, again on conflicts, at most maxRetries+1 times.
// fn must reset whatever results it sets, since it may run more than once.
func (e *Engine) update(ctx context.Context, fn func(Tx) error) error {
	var err error
	for attempt := 0; ; attempt++ {
		err = e.store.Update(ctx, fn)
		if err == nil || !retryable(err) || attempt >= e.maxRetries {
			return err
		}
		e.logger.DebugContext(ctx, "loyalty: transaction conflict, retrying", "attempt", attempt+1, "err", err)
		// Jittered exponential back-off, 0.5 ms doubling up to 50 ms.
		backoff := min(time.Duration(500<<min(attempt, 7))*time.Microsecond, 50*time.Millisecond)
		t := time.NewTimer(backoff/2 + mrand.N(backoff/2+1))
		select {
		case <-ctx.Done():
			t.Stop()
			return errors.Join(err, ctx.Err())
		case <-t.C:
		}
	}
}

// randomID returns prefix followed by 24 hex digits of entropy.
func (e *Engine) randomID(prefix string) (string, error) {
	b, err := e.randomBytes(12)
	if err != nil {
		return "", err
	}
	return prefix + hex.EncodeToString(b), nil
}

func (e *Engine) randomBytes(n int) ([]byte, error) {
	b := make([]byte, n)
	e.randMu.Lock()
	_, err := io.ReadFull(e.rand, b)
	e.randMu.Unlock()
	if err != nil {
		return nil, fmt.Errorf("loyalty: read entropy: %w", err)
	}
	return b, nil
}

// codeAlphabet has 32 symbols without the look-alikes 0/O and 1/I.
const codeAlphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// code8 encodes the first 40 bits of b as 8 symbols of codeAlphabet.
func code8(b []byte) string {
	var v uint64
	for _, x := range b[:5] {
		v = v<<8 | uint64(x)
	}
	out := make([]byte, 8)
	for i := 7; i >= 0; i-- {
		out[i] = codeAlphabet[v&31]
		v >>= 5
	}
	return string(out)
}
