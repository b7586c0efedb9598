package sqlcore

import (
	"context"
	"database/sql"
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
