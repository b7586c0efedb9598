package sqlcore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
)

// readTx implements loyalty.ReadTx.
type readTx struct {
	s     *Store
	c     Conn
	write bool // a read-write transaction: the ForUpdate variants apply
	done  bool
}

var _ loyalty.ReadTx = (*readTx)(nil)

// one runs a single-row query and scans it; no row gives an error wrapping
// loyalty.ErrNotFound that names what.
func one[T any](ctx context.Context, t *readTx, what string, scan func(scanner) (T, error), q string, args ...any) (T, error) {
	var zero T
	if t.done {
		return zero, ErrTxDone
	}
	v, err := scan(t.c.QueryRow(ctx, q, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return zero, t.s.errorf(loyalty.ErrNotFound, "%s", what)
	}
	if err != nil {
		return zero, t.s.wrap(what, err)
	}
	return v, nil
}

// list runs a query and scans every row.
func list[T any](ctx context.Context, t *readTx, what string, scan func(scanner) (T, error), q string, args ...any) ([]T, error) {
	if t.done {
		return nil, ErrTxDone
	}
	rows, err := t.c.Query(ctx, q, args...)
	if err != nil {
		return nil, t.s.wrap(what, err)
	}
	out, err := collect(rows, scan)
	if err != nil {
		return nil, t.s.wrap(what, err)
	}
	return out, nil
}

// pageArgs returns the Before cursor and limit of p as query arguments.
func pageArgs(p loyalty.Page) (before int64, limit int64) {
	before, limit = p.Before, int64(p.Limit)
	if before <= 0 {
		before = math.MaxInt64
	}
	if limit <= 0 {
		limit = 50
	}
	return before, limit
}

// scanProgram returns a function that scans a program's JSON document and decodes it, or
// takes the decoded program from the Store's cache when the document is unchanged: every
// order event reads its program, and decoding JSON costs more than the read.
func (s *Store) scanProgram(r scanner) (loyalty.Program, error) {
	var doc string
	if err := r.Scan(&doc); err != nil {
		return loyalty.Program{}, err
	}
	s.programsMu.Lock()
	c, ok := s.programs[doc]
	s.programsMu.Unlock()
	if ok {
		return c, nil
	}
	var p loyalty.Program
	if err := json.Unmarshal([]byte(doc), &p); err != nil {
		return p, fmt.Errorf("sqlstore: stored program: %w", err)
	}
	s.programsMu.Lock()
	if len(s.programs) >= maxCachedPrograms {
		clear(s.programs)
	}
	s.programs[doc] = p
	s.programsMu.Unlock()
	return p, nil
}

// maxCachedPrograms bounds the decoded program cache.
const maxCachedPrograms = 256

func (t *readTx) Program(ctx context.Context, id string) (loyalty.Program, error) {
	return one(ctx, t, fmt.Sprintf("program %q", id), t.s.scanProgram, t.s.d.Q.Program, id)
}

func (t *readTx) Programs(ctx context.Context) ([]loyalty.Program, error) {
	return list(ctx, t, "programs", t.s.scanProgram, t.s.d.Q.Programs)
}

func (t *readTx) Member(ctx context.Context, id string) (loyalty.Member, error) {
	return one(ctx, t, fmt.Sprintf("member %q", id), scanMember, t.s.d.Q.Member, id)
}

func (t *readTx) MemberByEmail(ctx context.Context, email string) (loyalty.Member, error) {
	return one(ctx, t, "member with email (redacted)", scanMember, t.s.d.Q.MemberByEmail, email)
}

func (t *readTx) MemberByCode(ctx context.Context, code string) (loyalty.Member, error) {
	return one(ctx, t, fmt.Sprintf("member with code %q", code), scanMember, t.s.d.Q.MemberByCode, code)
}

func (t *readTx) MemberByNumber(ctx context.Context, number int64) (loyalty.Member, error) {
	return one(ctx, t, fmt.Sprintf("member number %d", number), scanMember, t.s.d.Q.MemberByNumber, number)
}

func (t *readTx) Account(ctx context.Context, programID, memberID string) (loyalty.Account, error) {
	q := t.s.d.Q.Account
	if t.write {
		q = t.s.d.Q.AccountForUpdate
	}
	return one(ctx, t, fmt.Sprintf("account %q/%q", programID, memberID), scanAccount, q, programID, memberID)
}

func (t *readTx) Memberships(ctx context.Context, programID string, p loyalty.Page) ([]loyalty.Membership, error) {
	before, limit := pageArgs(p)
	return list(ctx, t, "memberships", scanMembership, t.s.d.Q.Memberships, programID, before, limit)
}

func (t *readTx) Movement(ctx context.Context, programID, key string) (loyalty.Movement, error) {
	return one(ctx, t, fmt.Sprintf("movement %q", key), scanMovement, t.s.d.Q.Movement, programID, key)
}

func (t *readTx) Movements(ctx context.Context, programID, memberID string, p loyalty.Page) ([]loyalty.Movement, error) {
	before, limit := pageArgs(p)
	return list(ctx, t, "movements", scanMovement, t.s.d.Q.Movements, programID, memberID, before, limit)
}

func (t *readTx) OrderState(ctx context.Context, programID, store, orderID string) (loyalty.OrderState, error) {
	q := t.s.d.Q.OrderState
	if t.write {
		q = t.s.d.Q.OrderStateForUpdate
	}
	return one(ctx, t, fmt.Sprintf("order %q from %q", orderID, store), scanOrderState, q, programID, store, orderID)
}

func (t *readTx) Redemption(ctx context.Context, id string) (loyalty.Redemption, error) {
	q := t.s.d.Q.Redemption
	if t.write {
		q = t.s.d.Q.RedemptionForUpdate
	}
	return one(ctx, t, fmt.Sprintf("redemption %q", id), scanRedemption, q, id)
}

func (t *readTx) RedemptionByCode(ctx context.Context, code string) (loyalty.Redemption, error) {
	q := t.s.d.Q.RedemptionByCode
	if t.write {
		q = t.s.d.Q.RedemptionByCodeForUpdate
	}
	return one(ctx, t, fmt.Sprintf("redemption with code %q", code), scanRedemption, q, code)
}

func (t *readTx) RedemptionByKey(ctx context.Context, programID, key string) (loyalty.Redemption, error) {
	return one(ctx, t, fmt.Sprintf("redemption with idempotency key %q", key), scanRedemption, t.s.d.Q.RedemptionByKey, programID, key)
}

func (t *readTx) LatestReceipt(ctx context.Context, programID, store string, outcome loyalty.Outcome) (loyalty.Receipt, error) {
	return one(ctx, t, fmt.Sprintf("%s receipt from %q", outcome, store), scanReceipt, t.s.d.Q.LatestReceipt,
		programID, store, string(outcome))
}

func (t *readTx) Setting(ctx context.Context, name string) ([]byte, error) {
	return one(ctx, t, fmt.Sprintf("setting %q", name), func(r scanner) (v []byte, err error) {
		err = r.Scan(&v)
		return v, err
	}, t.s.d.Q.Setting, name)
}

func (t *readTx) ReservedRedemptions(ctx context.Context, createdBefore time.Time, afterSeq int64, limit int) ([]loyalty.Redemption, error) {
	if createdBefore.IsZero() || limit <= 0 {
		return []loyalty.Redemption{}, nil
	}
	return list(ctx, t, "reserved redemptions", scanRedemption, t.s.d.Q.ReservedRedemptions,
		t.s.timeArg(createdBefore), afterSeq, int64(limit))
}

func (t *readTx) Activity(ctx context.Context, programID string, p loyalty.Page) ([]loyalty.ActivityEntry, error) {
	before, limit := pageArgs(p)
	return list(ctx, t, "activity", scanActivity, t.s.d.Q.Activity, programID, before, limit)
}

func (t *readTx) Receipts(ctx context.Context, programID string, outcome loyalty.Outcome, p loyalty.Page) ([]loyalty.Receipt, error) {
	before, limit := pageArgs(p)
	if outcome == "" {
		return list(ctx, t, "receipts", scanReceipt, t.s.d.Q.Receipts, programID, before, limit)
	}
	return list(ctx, t, "receipts", scanReceipt, t.s.d.Q.ReceiptsByOutcome, programID, string(outcome), before, limit)
}

type outcomeCount struct {
	outcome string
	n       int64
}

func (t *readTx) CountReceipts(ctx context.Context, programID string, since time.Time) (loyalty.ReceiptCounts, error) {
	if since.IsZero() {
		since = time.Date(1, 1, 1, 0, 0, 0, 1000, time.UTC) // every receipt; the zero time encodes NULL
	}
	rows, err := list(ctx, t, "count receipts", func(r scanner) (c outcomeCount, err error) {
		err = r.Scan(&c.outcome, &c.n)
		return c, err
	}, t.s.d.Q.CountReceipts, programID, t.s.timeArg(since))
	if err != nil {
		return nil, err
	}
	counts := loyalty.ReceiptCounts{}
	for _, c := range rows {
		counts[loyalty.Outcome(c.outcome)] = int(c.n)
	}
	return counts, nil
}
