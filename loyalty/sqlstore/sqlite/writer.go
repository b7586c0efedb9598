package sqlite

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
)

// writer runs the read-write transactions of a Store on its one write connection, with group
// commit: transactions that queue while another runs join its SQLite transaction, each inside
// a SAVEPOINT, and the last of the group commits once for all. A transaction whose function
// fails or panics rolls back to its savepoint, so nothing it wrote remains, and the others of
// the group are unaffected; when the group's COMMIT fails, every transaction of the group
// reports that error (and the engine runs them again). A group never waits for more members:
// it commits as soon as nobody is queued, so a lone writer pays nothing for the grouping.
//
// The group shares the cost of a commit (the file locks, the write-ahead log frames of the
// pages several transactions touch, a checkpoint now and then) among its members.
type writer struct {
	// turn holds the write connection while no transaction runs on it.
	turn chan *conn
	// queued counts transactions waiting for the turn.
	queued atomic.Int32
	// maxGroup bounds the transactions of one group, and so the latency a group adds.
	maxGroup int
	// group is the open SQLite transaction, if any. Only the holder of the turn touches it,
	// and the fields below.
	group *group
	// lastSeq is the highest Seq committed through this writer, valid while the database's
	// data_version is seqVersion (no other connection has committed since).
	lastSeq, seqVersion int64
	seqValid            bool
}

// group is one SQLite transaction shared by several store transactions.
type group struct {
	done    chan struct{} // closed when the group committed or failed
	err     error         // the COMMIT error, set before done is closed
	members int           // store transactions run in it so far
	seqNext int64         // next Seq to hand out; 0 until the first is needed
}

func newWriter(c *conn, maxGroup int) *writer {
	w := &writer{turn: make(chan *conn, 1), maxGroup: maxGroup}
	w.turn <- c
	return w
}

// begin waits for the turn, joins the open group or opens one with BEGIN IMMEDIATE, and starts
// a savepoint for the new member (the first member of a group needs none: its rollback is the
// group's).
func (w *writer) begin(ctx context.Context) (*writeTxn, error) {
	w.queued.Add(1)
	c := <-w.turn // not cancellable: whoever holds the turn must settle the open group
	w.queued.Add(-1)
	t := &writeTxn{conn: c, w: w}
	if err := ctx.Err(); err != nil {
		t.release(ctx)
		return nil, err
	}
	if w.group == nil {
		// BEGIN IMMEDIATE may wait for another process's write lock (busy_timeout): it runs
		// under ctx so that a cancellation interrupts the wait.
		if err := c.run(ctx, "BEGIN IMMEDIATE"); err != nil {
			w.turn <- c
			return nil, err
		}
		w.group = &group{done: make(chan struct{})}
	} else {
		if err := c.run(context.WithoutCancel(ctx), "SAVEPOINT member"); err != nil {
			t.release(ctx)
			return nil, err
		}
		t.savepoint = true
	}
	t.g = w.group
	t.g.members++
	return t, nil
}

// writeTxn is one store transaction inside a group.
type writeTxn struct {
	*conn
	w         *writer
	g         *group
	savepoint bool
	ended     bool
}

// nextSeq returns the next Seq of the group: the first one is one above the highest Seq in
// the database, read under the write lock, so Seq increases in commit order across every
// process sharing the file. The highest Seq is remembered between groups while no other
// connection writes to the database, which PRAGMA data_version tells.
func (t *writeTxn) nextSeq(ctx context.Context) (int64, error) {
	if g, w := t.g, t.w; g.seqNext == 0 {
		var version int64
		if err := t.QueryRow(ctx, "PRAGMA data_version").Scan(&version); err != nil {
			return 0, err
		}
		if !w.seqValid || version != w.seqVersion {
			if err := t.QueryRow(ctx, lastSeq).Scan(&w.lastSeq); err != nil {
				return 0, err
			}
			w.seqVersion, w.seqValid = version, true
		}
		g.seqNext = w.lastSeq + 1
	}
	t.g.seqNext++
	return t.g.seqNext - 1, nil
}

// lastSeq is the highest Seq in the store: each table's largest rowid, found at the end of its
// b-tree.
const lastSeq = `SELECT max(
	coalesce((SELECT max(seq) FROM loyalty_account), 0),
	coalesce((SELECT max(seq) FROM loyalty_movement), 0),
	coalesce((SELECT max(seq) FROM loyalty_redemption), 0),
	coalesce((SELECT max(seq) FROM loyalty_activity), 0),
	coalesce((SELECT max(seq) FROM loyalty_receipt), 0))`

// Commit keeps the member's writes in the group, settles the group and waits for its COMMIT.
func (t *writeTxn) Commit(ctx context.Context) error {
	if t.ended {
		return errors.New("sqlite store: transaction already ended")
	}
	t.ended = true
	g := t.g
	if t.savepoint {
		if err := t.run(context.WithoutCancel(ctx), "RELEASE member"); err != nil {
			t.fail(ctx, err)
		}
	}
	t.release(ctx)
	<-g.done
	return g.err
}

// Rollback discards the member's writes, then settles the group.
func (t *writeTxn) Rollback(ctx context.Context) error {
	if t.ended {
		return nil
	}
	t.ended = true
	ctx = context.WithoutCancel(ctx)
	g := t.g
	g.members--
	var err error
	switch {
	case !t.savepoint:
		// The group's first member: nobody else has joined yet (they would have found the
		// turn taken), so its rollback is the group's.
		err = t.run(ctx, "ROLLBACK")
		g.err = fmt.Errorf("sqlite store: group rolled back") // no member is left to see it
		close(g.done)
		t.w.group = nil
	default:
		if err = t.run(ctx, "ROLLBACK TO member"); err == nil {
			err = t.run(ctx, "RELEASE member")
		}
		if err != nil {
			t.fail(ctx, err)
		}
	}
	t.release(ctx)
	return err
}

// fail ends the group after a savepoint could not be released or rolled back: SQLite may have
// rolled the whole transaction back already, so every member fails.
func (t *writeTxn) fail(ctx context.Context, cause error) {
	g := t.g
	_ = t.run(context.WithoutCancel(ctx), "ROLLBACK") // may fail: no transaction is active
	g.err = fmt.Errorf("sqlite store: group transaction failed: %w", cause)
	close(g.done)
	t.w.group = nil
}

// release commits the open group unless more transactions are queued to join it (and it is
// not full), then hands the turn on.
func (t *writeTxn) release(ctx context.Context) {
	w := t.w
	if g := w.group; g != nil && (w.queued.Load() == 0 || g.members >= w.maxGroup) {
		w.group = nil
		if g.members == 0 {
			g.err = t.run(context.WithoutCancel(ctx), "ROLLBACK")
		} else if g.err = t.run(context.WithoutCancel(ctx), "COMMIT"); g.err != nil {
			// A failed COMMIT may leave the transaction open: end it before the next group.
			_ = t.run(context.WithoutCancel(ctx), "ROLLBACK")
		} else if g.seqNext != 0 {
			w.lastSeq = g.seqNext - 1
		}
		close(g.done)
	}
	w.turn <- t.conn
}
