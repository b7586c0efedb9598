package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/loyalsync/loyalsync/loyalty/sqlstore/internal/sqlcore"
)

// conn is one SQLite connection with its prepared statements. A pool hands a conn to one
// transaction at a time, so a conn is never used concurrently.
type conn struct {
	c     *sql.Conn
	stmts map[string]*sql.Stmt
}

// stmt returns the prepared statement for q, preparing it on first use. SQLite parses and plans
// a statement when it is prepared, which costs more than running most of ours, so every
// statement is prepared once per connection and reused.
func (c *conn) stmt(q string) (*sql.Stmt, error) {
	if st, ok := c.stmts[q]; ok {
		return st, nil
	}
	st, err := c.c.PrepareContext(context.Background(), q)
	if err != nil {
		return nil, err
	}
	c.stmts[q] = st
	return st, nil
}

// run checks ctx, then returns a context without cancellation for the statement: SQLite
// statements of this store take microseconds, and a cancellable context makes database/sql and
// the driver each start a goroutine per statement to watch it. A cancelled transaction stops at
// its next statement.
func run(ctx context.Context) (context.Context, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}

func (c *conn) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	ctx, err := run(ctx)
	if err != nil {
		return nil, err
	}
	st, err := c.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c *conn) QueryRow(ctx context.Context, q string, args ...any) sqlcore.Row {
	ctx, err := run(ctx)
	if err != nil {
		return errRow{err}
	}
	st, err := c.stmt(q)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

func (c *conn) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	ctx, err := run(ctx)
	if err != nil {
		return nil, err
	}
	st, err := c.stmt(q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

func (c *conn) close() error {
	for _, st := range c.stmts {
		st.Close()
	}
	return c.c.Close()
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// pool is a fixed set of connections handed out one transaction at a time, first come first
// served.
type pool struct {
	conns chan *conn
	all   []*conn
}

func newPool(ctx context.Context, db *sql.DB, n int) (*pool, error) {
	p := &pool{conns: make(chan *conn, n)}
	for range n {
		c, err := db.Conn(ctx)
		if err != nil {
			p.close()
			return nil, err
		}
		cn := &conn{c: c, stmts: map[string]*sql.Stmt{}}
		p.all = append(p.all, cn)
		p.conns <- cn
	}
	return p, nil
}

func (p *pool) get(ctx context.Context) (*conn, error) {
	select {
	case c := <-p.conns:
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (p *pool) put(c *conn) { p.conns <- c }

func (p *pool) close() error {
	var first error
	for _, c := range p.all {
		if err := c.close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// txn is a transaction on a pooled conn, begun and ended with plain statements.
type txn struct {
	*conn
	p    *pool
	done bool
}

func begin(ctx context.Context, p *pool, stmt string) (*txn, error) {
	c, err := p.get(ctx)
	if err != nil {
		return nil, err
	}
	// BEGIN IMMEDIATE may wait for another process's write lock (busy_timeout): it runs under
	// ctx so that a cancellation interrupts the wait.
	st, err := c.stmt(stmt)
	if err == nil {
		_, err = st.ExecContext(ctx)
	}
	if err != nil {
		p.put(c)
		return nil, err
	}
	return &txn{conn: c, p: p}, nil
}

func (t *txn) end(ctx context.Context, stmt string) error {
	if t.done {
		return fmt.Errorf("sqlite store: transaction already ended")
	}
	t.done = true
	st, err := t.stmt(stmt)
	if err == nil {
		_, err = st.ExecContext(context.WithoutCancel(ctx))
	}
	if err != nil && stmt == "COMMIT" {
		// A failed COMMIT may leave the transaction open: end it before the conn is reused.
		if rst, rerr := t.stmt("ROLLBACK"); rerr == nil {
			_, _ = rst.ExecContext(context.WithoutCancel(ctx))
		}
	}
	t.p.put(t.conn)
	return err
}

func (t *txn) Commit(ctx context.Context) error { return t.end(ctx, "COMMIT") }

func (t *txn) Rollback(ctx context.Context) error {
	if t.done {
		return nil
	}
	return t.end(ctx, "ROLLBACK")
}
