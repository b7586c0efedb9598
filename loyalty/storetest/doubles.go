package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
)

// Clock is a settable loyalty.Clock for tests. It is safe for concurrent use.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock returns a Clock set to t.
func NewClock(t time.Time) *Clock { return &Clock{now: t.UTC()} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// Fault says how the CouponIssuer fails one call.
type Fault int

// Faults.
const (
	// NoFault lets the call succeed.
	NoFault Fault = iota
	// FailBefore returns a transient error without creating the coupon (a timeout before the
	// store saw the request, a crash before the call).
	FailBefore
	// FailAfter creates the coupon, then returns a transient error (the answer was lost).
	FailAfter
	// Reject returns an error wrapping loyalty.ErrCouponRejected without creating the coupon.
	Reject
)

// ErrInjected is the transient error the CouponIssuer returns for FailBefore and FailAfter.
var ErrInjected = errors.New("storetest: injected coupon failure")

// CouponIssuer is an in-memory loyalty.CouponIssuer that keeps coupons by code, is idempotent
// by code as the contract demands, and fails calls on demand. It is safe for concurrent use.
type CouponIssuer struct {
	mu      sync.Mutex
	coupons map[string]loyalty.Coupon
	ids     map[string]string
	faults  []Fault
	calls   int
}

// NewCouponIssuer returns an empty CouponIssuer.
func NewCouponIssuer() *CouponIssuer {
	return &CouponIssuer{coupons: map[string]loyalty.Coupon{}, ids: map[string]string{}}
}

// FailNext queues faults for the next calls, one per call, in order.
func (ci *CouponIssuer) FailNext(faults ...Fault) {
	ci.mu.Lock()
	ci.faults = append(ci.faults, faults...)
	ci.mu.Unlock()
}

// IssueCoupon implements loyalty.CouponIssuer.
func (ci *CouponIssuer) IssueCoupon(_ context.Context, c loyalty.Coupon) (string, error) {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	ci.calls++
	fault := NoFault
	if len(ci.faults) > 0 {
		fault, ci.faults = ci.faults[0], ci.faults[1:]
	}
	if id, ok := ci.ids[c.Code]; ok {
		if old := ci.coupons[c.Code]; !old.Amount.Equal(c.Amount) || old.Email != c.Email {
			return "", fmt.Errorf("%w: code %s exists with other terms", loyalty.ErrCouponRejected, c.Code)
		}
		return id, nil
	}
	switch fault {
	case FailBefore:
		return "", ErrInjected
	case Reject:
		return "", fmt.Errorf("%w: injected rejection", loyalty.ErrCouponRejected)
	}
	id := fmt.Sprintf("coupon-%d", len(ci.coupons)+1)
	ci.coupons[c.Code], ci.ids[c.Code] = c, id
	if fault == FailAfter {
		return "", ErrInjected
	}
	return id, nil
}

// Coupon returns the coupon created with code.
func (ci *CouponIssuer) Coupon(code string) (loyalty.Coupon, bool) {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	c, ok := ci.coupons[code]
	return c, ok
}

// Len returns the number of coupons created.
func (ci *CouponIssuer) Len() int {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	return len(ci.coupons)
}

// Calls returns the number of IssueCoupon calls.
func (ci *CouponIssuer) Calls() int {
	ci.mu.Lock()
	defer ci.mu.Unlock()
	return ci.calls
}

// Mailer records the emails the engine asks for. It is safe for concurrent use.
type Mailer struct {
	mu     sync.Mutex
	emails []loyalty.Email
}

// SendEmail implements loyalty.Mailer.
func (m *Mailer) SendEmail(_ context.Context, e loyalty.Email) error {
	m.mu.Lock()
	m.emails = append(m.emails, e)
	m.mu.Unlock()
	return nil
}

// Emails returns the recorded emails, oldest first.
func (m *Mailer) Emails() []loyalty.Email {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]loyalty.Email(nil), m.emails...)
}

// FaultyStore wraps a loyalty.Store and fails chosen Update calls (a crash or an outage between
// two steps): when FailUpdate returns true for the n-th Update (counting from 1), that Update
// returns ErrStoreDown without running fn. It is safe for concurrent use.
type FaultyStore struct {
	loyalty.Store

	mu         sync.Mutex
	n          int
	failUpdate func(n int) bool
}

// ErrStoreDown is the error a FaultyStore returns for failed calls.
var ErrStoreDown = errors.New("storetest: store unavailable (injected)")

// NewFaultyStore wraps s.
func NewFaultyStore(s loyalty.Store) *FaultyStore { return &FaultyStore{Store: s} }

// FailUpdates sets which Update calls fail, counted from the next one (n = 1); nil fails none.
func (f *FaultyStore) FailUpdates(fail func(n int) bool) {
	f.mu.Lock()
	f.n, f.failUpdate = 0, fail
	f.mu.Unlock()
}

// Update implements loyalty.Store.
func (f *FaultyStore) Update(ctx context.Context, fn func(loyalty.Tx) error) error {
	f.mu.Lock()
	f.n++
	fail := f.failUpdate != nil && f.failUpdate(f.n)
	f.mu.Unlock()
	if fail {
		return ErrStoreDown
	}
	return f.Store.Update(ctx, fn)
}
