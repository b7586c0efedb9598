package sqlcore

import (
	"context"
	"database/sql"

	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
)

// mappedTx is the sqlstore.Tx given to an adapter: it maps driver errors to the loyalty
// sentinels and refuses to run once its transaction has ended.
type mappedTx struct {
	c        Conn
	mapError func(error) error
	done     bool
}

func (t *mappedTx) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	if t.done {
		return nil, ErrTxDone
	}
	r, err := t.c.Exec(ctx, q, args...)
	if err != nil {
		return nil, t.mapError(err)
	}
	return r, nil
}

func (t *mappedTx) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	if t.done {
		return nil, ErrTxDone
	}
	rows, err := t.c.Query(ctx, q, args...)
	if err != nil {
		return nil, t.mapError(err)
	}
	return rows, nil
}

func (t *mappedTx) QueryRow(ctx context.Context, q string, args ...any) Row {
	if t.done {
		return errRow{ErrTxDone}
	}
	return mappedRow{t.c.QueryRow(ctx, q, args...), t.mapError}
}

type mappedRow struct {
	r        Row
	mapError func(error) error
}

func (r mappedRow) Scan(dest ...any) error {
	if err := r.r.Scan(dest...); err != nil {
		return r.mapError(err)
	}
	return nil
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// SQL returns the read-write transaction as a sqlstore.Tx, so that an adapter writes its own
// tables in the transaction that changes the ledger; see sqlstore.LedgerTx.
func (t *tx) SQL() sqlstore.Tx { return &ledgerSQL{t: t} }

// ledgerSQL is a ledger transaction seen as a sqlstore.Tx: valid while the transaction is.
type ledgerSQL struct{ t *tx }

func (l *ledgerSQL) mapped() *mappedTx {
	return &mappedTx{c: l.t.c, mapError: l.t.s.d.MapError, done: l.t.done}
}

func (l *ledgerSQL) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return l.mapped().Exec(ctx, q, args...)
}

func (l *ledgerSQL) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return l.mapped().Query(ctx, q, args...)
}

func (l *ledgerSQL) QueryRow(ctx context.Context, q string, args ...any) sqlstore.Row {
	return l.mapped().QueryRow(ctx, q, args...)
}
