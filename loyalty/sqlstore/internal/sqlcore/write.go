package sqlcore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
)

// tx implements loyalty.Tx.
type tx struct {
	readTx
}

var _ loyalty.Tx = (*tx)(nil)

// insertSeq runs an Insert* statement that assigns a Seq. ok is false when a unique key was
// taken (the statement inserted nothing).
func (t *tx) insertSeq(ctx context.Context, what, q string, args ...any) (seq int64, ok bool, err error) {
	if t.done {
		return 0, false, ErrTxDone
	}
	if t.s.d.NextSeq == nil {
		err := t.c.QueryRow(ctx, q, args...).Scan(&seq)
		if errors.Is(err, sql.ErrNoRows) {
			return 0, false, nil
		}
		if err != nil {
			return 0, false, t.s.wrap(what, err)
		}
		return seq, true, nil
	}
	if seq, err = t.s.d.NextSeq(ctx, t.c); err != nil {
		return 0, false, t.s.wrap("next sequence number", err)
	}
	ok, err = t.exec(ctx, what, q, append(args, seq)...)
	return seq, ok, err
}

// exec runs a statement; ok reports whether it changed a row.
func (t *tx) exec(ctx context.Context, what, q string, args ...any) (ok bool, err error) {
	if t.done {
		return false, ErrTxDone
	}
	res, err := t.c.Exec(ctx, q, args...)
	if err != nil {
		return false, t.s.wrap(what, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, t.s.wrap(what, err)
	}
	return n > 0, nil
}

func (t *tx) PutProgram(ctx context.Context, p loyalty.Program) error {
	doc, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("%s store: encode program %q: %w", t.s.d.Name, p.ID, err)
	}
	_, err = t.exec(ctx, "put program", t.s.d.Q.PutProgram, p.ID, string(doc))
	return err
}

func (t *tx) CreateMember(ctx context.Context, m loyalty.Member) (loyalty.Member, error) {
	if t.done {
		return loyalty.Member{}, ErrTxDone
	}
	m.CreatedAt = StoredTime(m.CreatedAt)
	err := t.c.QueryRow(ctx, t.s.d.Q.CreateMember, m.ID, m.Code, m.Email, m.Name, m.Language, m.Source,
		t.s.timeArg(m.CreatedAt)).Scan(&m.Number)
	if errors.Is(err, sql.ErrNoRows) {
		return loyalty.Member{}, t.s.errorf(loyalty.ErrDuplicateKey, "create member %q: the id, email or code %q is taken", m.ID, m.Code)
	}
	if err != nil {
		return loyalty.Member{}, t.s.wrap("create member", err)
	}
	return m, nil
}

func (t *tx) UpdateMemberEmail(ctx context.Context, id, email string) error {
	ok, err := t.exec(ctx, "update member email", t.s.d.Q.UpdateMemberEmail, id, email)
	if err != nil {
		return err
	}
	if !ok {
		return t.s.errorf(loyalty.ErrNotFound, "member %q", id)
	}
	return nil
}

func (t *tx) CreateAccount(ctx context.Context, a loyalty.Account) (loyalty.Account, error) {
	a.JoinedAt, a.UpdatedAt = StoredTime(a.JoinedAt), StoredTime(a.UpdatedAt)
	seq, ok, err := t.insertSeq(ctx, "create account", t.s.d.Q.InsertAccount,
		a.ProgramID, a.MemberID, a.Balance, t.s.timeArg(a.JoinedAt), t.s.timeArg(a.UpdatedAt))
	if err != nil {
		return loyalty.Account{}, err
	}
	if !ok {
		return loyalty.Account{}, t.s.errorf(loyalty.ErrDuplicateKey, "account %q/%q exists", a.ProgramID, a.MemberID)
	}
	a.Seq = seq
	return a, nil
}

func (t *tx) AppendMovement(ctx context.Context, m loyalty.Movement) (loyalty.Movement, error) {
	if t.done {
		return loyalty.Movement{}, ErrTxDone
	}
	m.CreatedAt = StoredTime(m.CreatedAt)
	old := m.BalanceAfter - m.Applied
	args := []any{m.ProgramID, m.MemberID, m.Key, string(m.Kind), m.Requested, m.Applied, m.BalanceAfter,
		m.Reason, m.Store, m.OrderID, m.RedemptionID, t.s.timeArg(m.CreatedAt), string(m.Channel), m.Source,
		t.s.decimalArg(m.Amount)}
	var (
		seq                int64
		inserted, balanced bool
	)
	if t.s.d.SplitMovement {
		var err error
		if seq, inserted, err = t.insertSeq(ctx, "append movement", t.s.d.Q.InsertMovement, args...); err != nil {
			return loyalty.Movement{}, err
		}
		if inserted {
			if balanced, err = t.exec(ctx, "update balance", t.s.d.Q.UpdateBalance,
				m.ProgramID, m.MemberID, m.BalanceAfter, t.s.timeArg(m.CreatedAt), old); err != nil {
				return loyalty.Movement{}, err
			}
		}
	} else {
		var nseq sql.NullInt64
		var updated int64
		err := t.c.QueryRow(ctx, t.s.d.Q.AppendMovement, append(args, old)...).Scan(&nseq, &updated)
		if err != nil {
			return loyalty.Movement{}, t.s.wrap("append movement", err)
		}
		seq, inserted, balanced = nseq.Int64, nseq.Valid, updated > 0
	}
	if inserted && balanced {
		m.Seq = seq
		return m, nil
	}
	if inserted {
		// The balance is not the old one (or, under READ COMMITTED without row locks, changed
		// after the insert's check): take the movement back, so that a failed AppendMovement
		// leaves nothing, and report the conflict.
		if _, err := t.exec(ctx, "append movement", t.s.d.Q.DeleteMovement, seq); err != nil {
			return loyalty.Movement{}, err
		}
		return loyalty.Movement{}, t.s.errorf(loyalty.ErrConflict, "append movement %q: account %q/%q balance changed from %d",
			m.Key, m.ProgramID, m.MemberID, old)
	}
	return loyalty.Movement{}, t.movementFailure(ctx, m, old)
}

// movementFailure explains why AppendMovement inserted nothing: no account, a balance other
// than old, or a movement with the same key.
func (t *tx) movementFailure(ctx context.Context, m loyalty.Movement, old int64) error {
	var balance int64
	err := t.c.QueryRow(ctx, t.s.d.Q.AccountBalance, m.ProgramID, m.MemberID).Scan(&balance)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return t.s.errorf(loyalty.ErrNotFound, "append movement %q: no account %q/%q", m.Key, m.ProgramID, m.MemberID)
	case err != nil:
		return t.s.wrap("append movement", err)
	case balance != old:
		return t.s.errorf(loyalty.ErrConflict, "append movement %q: account %q/%q balance is %d, not %d",
			m.Key, m.ProgramID, m.MemberID, balance, old)
	}
	return t.s.errorf(loyalty.ErrDuplicateKey, "append movement: program %q already has a movement %q", m.ProgramID, m.Key)
}

func (t *tx) orderArgs(o loyalty.OrderState) []any {
	return []any{o.ProgramID, o.Store, o.OrderID, o.MemberID, string(o.Status), t.s.decimalArg(o.Total), o.Currency,
		o.EarnedPoints, o.WelcomePoints, o.ClawedBack, t.s.decimalArg(o.RefundedTotal), o.Refunded,
		t.s.timeArg(o.AwardedAt), t.s.timeArg(o.UpdatedAt), t.s.decimalArg(o.RefundExempt)}
}

func (t *tx) CreateOrderState(ctx context.Context, o loyalty.OrderState) error {
	ok, err := t.exec(ctx, "create order state", t.s.d.Q.CreateOrderState, t.orderArgs(o)...)
	if err == nil && !ok {
		err = t.s.errorf(loyalty.ErrDuplicateKey, "order %q from %q exists", o.OrderID, o.Store)
	}
	return err
}

func (t *tx) UpdateOrderState(ctx context.Context, o loyalty.OrderState) error {
	ok, err := t.exec(ctx, "update order state", t.s.d.Q.UpdateOrderState, t.orderArgs(o)...)
	if err == nil && !ok {
		err = t.s.errorf(loyalty.ErrNotFound, "order %q from %q", o.OrderID, o.Store)
	}
	return err
}

func (t *tx) CreateRedemption(ctx context.Context, r loyalty.Redemption) (loyalty.Redemption, error) {
	r.CreatedAt, r.ExpiresAt, r.UpdatedAt = StoredTime(r.CreatedAt), StoredTime(r.ExpiresAt), StoredTime(r.UpdatedAt)
	seq, ok, err := t.insertSeq(ctx, "create redemption", t.s.d.Q.InsertRedemption,
		r.ID, r.ProgramID, r.MemberID, r.Email, r.Points, t.s.decimalArg(r.Value), r.Currency, r.Code, string(r.State),
		r.CouponID, r.Failure, int64(r.Attempts), r.Actor,
		t.s.timeArg(r.CreatedAt), t.s.timeArg(r.ExpiresAt), t.s.timeArg(r.UpdatedAt), r.IdempotencyKey)
	if err != nil {
		return loyalty.Redemption{}, err
	}
	if !ok {
		return loyalty.Redemption{}, t.s.errorf(loyalty.ErrDuplicateKey, "redemption %q, coupon code %q or idempotency key %q exists",
			r.ID, r.Code, r.IdempotencyKey)
	}
	r.Seq = seq
	return r, nil
}

func (t *tx) UpdateRedemption(ctx context.Context, r loyalty.Redemption, from loyalty.RedemptionState) error {
	ok, err := t.exec(ctx, "update redemption", t.s.d.Q.UpdateRedemption,
		r.ID, string(from), r.ProgramID, r.MemberID, r.Email, r.Points, t.s.decimalArg(r.Value), r.Currency,
		string(r.State), r.CouponID, r.Failure, int64(r.Attempts), r.Actor,
		t.s.timeArg(r.CreatedAt), t.s.timeArg(r.ExpiresAt), t.s.timeArg(r.UpdatedAt))
	if err != nil || ok {
		return err
	}
	var state string
	err = t.c.QueryRow(ctx, t.s.d.Q.RedemptionState, r.ID).Scan(&state)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return t.s.errorf(loyalty.ErrNotFound, "redemption %q", r.ID)
	case err != nil:
		return t.s.wrap("update redemption", err)
	}
	return t.s.errorf(loyalty.ErrConflict, "redemption %q is %s, not %s", r.ID, state, from)
}

func (t *tx) AppendActivity(ctx context.Context, a loyalty.ActivityEntry) error {
	seq, ok, err := t.insertSeq(ctx, "append activity", t.s.d.Q.InsertActivity,
		a.ProgramID, string(a.Kind), a.Actor, a.Message, a.MemberID, a.Store, a.OrderID, a.RedemptionID, t.s.timeArg(a.At))
	if err == nil && !ok {
		err = fmt.Errorf("%s store: append activity: Seq %d is taken", t.s.d.Name, seq)
	}
	return err
}

func (t *tx) AppendReceipt(ctx context.Context, r loyalty.Receipt) error {
	seq, ok, err := t.insertSeq(ctx, "append receipt", t.s.d.Q.InsertReceipt,
		r.ProgramID, r.Store, r.OrderID, r.Status, string(r.Outcome), r.Reason, r.EmailHash, t.s.timeArg(r.ReceivedAt),
		int64(max(r.Count, 1)), t.s.timeArg(r.LastAt))
	if err == nil && !ok {
		err = fmt.Errorf("%s store: append receipt: Seq %d is taken", t.s.d.Name, seq)
	}
	return err
}

func (t *tx) AddReceiptCount(ctx context.Context, seq int64, n int, at time.Time) error {
	ok, err := t.exec(ctx, "add receipt count", t.s.d.Q.AddReceiptCount, seq, int64(n), t.s.timeArg(at))
	if err == nil && !ok {
		err = t.s.errorf(loyalty.ErrNotFound, "receipt %d", seq)
	}
	return err
}

func (t *tx) Prune(ctx context.Context, programID string, before time.Time, limit int) (loyalty.PruneCounts, error) {
	var c loyalty.PruneCounts
	for _, step := range []struct {
		q string
		n *int
	}{{t.s.d.Q.PruneReceipts, &c.Receipts}, {t.s.d.Q.PruneActivity, &c.Activity}} {
		if t.done {
			return c, ErrTxDone
		}
		res, err := t.c.Exec(ctx, step.q, programID, t.s.timeArg(before), int64(limit))
		if err != nil {
			return c, t.s.wrap("prune", err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return c, t.s.wrap("prune", err)
		}
		*step.n = int(n)
	}
	return c, nil
}

func (t *tx) CreateSetting(ctx context.Context, name string, value []byte) error {
	ok, err := t.exec(ctx, "create setting", t.s.d.Q.CreateSetting, name, value)
	if err == nil && !ok {
		err = t.s.errorf(loyalty.ErrDuplicateKey, "setting %q exists", name)
	}
	return err
}
