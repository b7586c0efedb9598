package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/loyalsync/loyalsync/loyalty/sqlstore/internal/sqlcore"
)

// conn is one SQLite connection with its prepared statements. It is used by one transaction
// at a time.
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

// statementContext checks ctx, then returns a context without cancellation for one statement:
// the statements of this store take microseconds, and a cancellable context makes
// database/sql and the driver each start a goroutine per statement to watch it. A cancelled
// transaction stops at its next statement.
func statementContext(ctx context.Context) (context.Context, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return context.WithoutCancel(ctx), nil
}

// prepared returns the statement for q and the context to run it under.
func (c *conn) prepared(ctx context.Context, q string) (context.Context, *sql.Stmt, error) {
	ctx, err := statementContext(ctx)
	if err != nil {
		return nil, nil, err
	}
	st, err := c.stmt(q)
	return ctx, st, err
}

func (c *conn) Query(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	ctx, st, err := c.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.QueryContext(ctx, args...)
}

func (c *conn) QueryRow(ctx context.Context, q string, args ...any) sqlcore.Row {
	ctx, st, err := c.prepared(ctx, q)
	if err != nil {
		return errRow{err}
	}
	return st.QueryRowContext(ctx, args...)
}

func (c *conn) Exec(ctx context.Context, q string, args ...any) (sql.Result, error) {
	ctx, st, err := c.prepared(ctx, q)
	if err != nil {
		return nil, err
	}
	return st.ExecContext(ctx, args...)
}

// run executes a statement without arguments, such as BEGIN or COMMIT, under ctx.
func (c *conn) run(ctx context.Context, q string) error {
	st, err := c.stmt(q)
	if err != nil {
		return err
	}
	_, err = st.ExecContext(ctx)
	return err
}

func (c *conn) close() error {
	for _, st := range c.stmts {
		st.Close()
	}
	return c.c.Close()
}

type errRow struct{ err error }

func (r errRow) Scan(...any) error { return r.err }

// openConns takes n connections from db for the store's own use. Opening a connection runs
// the pragmas of the data source name, and SQLite answers SQLITE_BUSY to some of them without
// consulting the busy handler: while the last connection of another Store or process is
// closing (it checkpoints and removes the write-ahead log under an exclusive lock) or while
// one recovers the log after a crash. Those windows are short, so a busy connect is tried again
// with growing pauses for up to wait in all, as the busy timeout would have waited.
func openConns(ctx context.Context, db *sql.DB, n int, wait time.Duration) ([]*conn, error) {
	var out []*conn
	for range n {
		c, err := connect(ctx, db, wait)
		if err != nil {
			closeConns(out)
			return nil, err
		}
		out = append(out, &conn{c: c, stmts: map[string]*sql.Stmt{}})
	}
	return out, nil
}

// connect opens one connection, retrying SQLITE_BUSY until the pauses add up to wait.
func connect(ctx context.Context, db *sql.DB, wait time.Duration) (*sql.Conn, error) {
	pause := time.Millisecond
	for {
		c, err := db.Conn(ctx)
		if err == nil || !isBusy(err) || wait <= 0 {
			return c, err
		}
		pause = min(pause, wait)
		t := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil, errors.Join(err, ctx.Err())
		case <-t.C:
		}
		wait -= pause
		pause = min(2*pause, 100*time.Millisecond)
	}
}

func closeConns(cs []*conn) error {
	var errs []error
	for _, c := range cs {
		errs = append(errs, c.close())
	}
	return errors.Join(errs...)
}

// readers hands the read-only connections to one View at a time each, first come first
// served.
type readers struct {
	free chan *conn
}

func newReaders(cs []*conn) *readers {
	r := &readers{free: make(chan *conn, len(cs))}
	for _, c := range cs {
		r.free <- c
	}
	return r
}

// begin starts a read transaction: its snapshot is taken at its first read.
func (r *readers) begin(ctx context.Context) (*readTxn, error) {
	var c *conn
	select {
	case c = <-r.free:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if err := c.run(ctx, "BEGIN"); err != nil {
		r.free <- c
		return nil, err
	}
	return &readTxn{conn: c, r: r}, nil
}

// readTxn is a read transaction on a reader connection.
type readTxn struct {
	*conn
	r    *readers
	done bool
}

func (t *readTxn) end(ctx context.Context) error {
	if t.done {
		return nil
	}
	t.done = true
	err := t.run(context.WithoutCancel(ctx), "COMMIT")
	t.r.free <- t.conn
	return err
}

func (t *readTxn) Commit(ctx context.Context) error   { return t.end(ctx) }
func (t *readTxn) Rollback(ctx context.Context) error { return t.end(ctx) }
