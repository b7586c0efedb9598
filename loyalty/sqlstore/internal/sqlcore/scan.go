package sqlcore

import (
	"database/sql"
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/loyalsync/loyalsync/loyalty"
)

// Times are stored with microsecond precision: SQLite keeps Unix microseconds in an INTEGER,
// PostgreSQL a timestamptz. NULL is the zero time.

// StoredTime returns t as the store keeps it: UTC, truncated to the microsecond; the zero time
// stays zero.
func StoredTime(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// timeCol scans a stored time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.t = time.Time{}
	case int64:
		*c.t = time.UnixMicro(v).UTC()
	case time.Time:
		*c.t = v.UTC()
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a time", src)
	}
	return nil
}

// decimalCol scans a stored decimal (TEXT in SQLite, NUMERIC in PostgreSQL).
type decimalCol struct{ d *decimal.Decimal }

func (c decimalCol) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	case int64:
		*c.d = decimal.NewFromInt(v)
		return nil
	default:
		return fmt.Errorf("sqlstore: cannot scan %T into a decimal", src)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return fmt.Errorf("sqlstore: stored decimal %q: %w", s, err)
	}
	*c.d = d
	return nil
}

func (s *Store) timeArg(t time.Time) any { return s.d.TimeArg(StoredTime(t)) }

func (s *Store) decimalArg(d decimal.Decimal) any { return s.d.DecimalArg(d.String()) }

type scanner interface{ Scan(dest ...any) error }

func scanMember(r scanner) (m loyalty.Member, err error) {
	err = r.Scan(&m.Number, &m.ID, &m.Code, &m.Email, &m.Name, &m.Language, &m.Source, timeCol{&m.CreatedAt})
	return m, err
}

func accountDest(a *loyalty.Account) []any {
	return []any{&a.Seq, &a.ProgramID, &a.MemberID, &a.Balance, timeCol{&a.JoinedAt}, timeCol{&a.UpdatedAt}}
}

func scanAccount(r scanner) (a loyalty.Account, err error) {
	err = r.Scan(accountDest(&a)...)
	return a, err
}

func scanMembership(r scanner) (ms loyalty.Membership, err error) {
	m := &ms.Member
	dest := append(accountDest(&ms.Account),
		&m.Number, &m.ID, &m.Code, &m.Email, &m.Name, &m.Language, &m.Source, timeCol{&m.CreatedAt})
	err = r.Scan(dest...)
	return ms, err
}

func scanMovement(r scanner) (m loyalty.Movement, err error) {
	var kind, channel string
	err = r.Scan(&m.Seq, &m.ProgramID, &m.MemberID, &m.Key, &kind, &m.Requested, &m.Applied, &m.BalanceAfter,
		&m.Reason, &m.Store, &m.OrderID, &m.RedemptionID, timeCol{&m.CreatedAt}, &channel, &m.Source, decimalCol{&m.Amount})
	m.Kind, m.Channel = loyalty.MovementKind(kind), loyalty.Channel(channel)
	return m, err
}

func scanOrderState(r scanner) (o loyalty.OrderState, err error) {
	var status string
	err = r.Scan(&o.ProgramID, &o.Store, &o.OrderID, &o.MemberID, &status, decimalCol{&o.Total}, &o.Currency,
		&o.EarnedPoints, &o.WelcomePoints, &o.ClawedBack, decimalCol{&o.RefundedTotal}, &o.Refunded,
		timeCol{&o.AwardedAt}, timeCol{&o.UpdatedAt}, decimalCol{&o.RefundExempt})
	o.Status = loyalty.OrderStatus(status)
	return o, err
}

func scanRedemption(r scanner) (x loyalty.Redemption, err error) {
	var state string
	var attempts int64
	err = r.Scan(&x.Seq, &x.ID, &x.ProgramID, &x.MemberID, &x.Email, &x.Points, decimalCol{&x.Value}, &x.Currency,
		&x.Code, &state, &x.CouponID, &x.Failure, &attempts, &x.Actor,
		timeCol{&x.CreatedAt}, timeCol{&x.ExpiresAt}, timeCol{&x.UpdatedAt}, &x.IdempotencyKey)
	x.State, x.Attempts = loyalty.RedemptionState(state), int(attempts)
	return x, err
}

func scanActivity(r scanner) (a loyalty.ActivityEntry, err error) {
	var kind string
	err = r.Scan(&a.Seq, &a.ProgramID, &kind, &a.Actor, &a.Message, &a.MemberID, &a.Store, &a.OrderID,
		&a.RedemptionID, timeCol{&a.At})
	a.Kind = loyalty.ActivityKind(kind)
	return a, err
}

func scanReceipt(r scanner) (x loyalty.Receipt, err error) {
	var outcome string
	var count int64
	err = r.Scan(&x.Seq, &x.ProgramID, &x.Store, &x.OrderID, &x.Status, &outcome, &x.Reason, &x.EmailHash,
		timeCol{&x.ReceivedAt}, &count, timeCol{&x.LastAt})
	x.Outcome, x.Count = loyalty.Outcome(outcome), int(count)
	return x, err
}

// collect reads every row of rows with scan.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		v, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
