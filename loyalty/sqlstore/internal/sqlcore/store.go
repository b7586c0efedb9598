// Package sqlcore implements loyalty.Store over database/sql for the SQL backends in
// loyalty/sqlstore: the transaction plumbing, every read and write of the Store contract, the
// mapping of rows to loyalty types and the migration runner. A backend supplies a Dialect (its
// SQL texts, error mapping and value encodings) and a Backend (how it begins transactions).
package sqlcore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore"
)

// Conn runs statements inside one transaction.
type Conn = sqlstore.Tx

// Row is the result of Conn.QueryRow; Scan returns sql.ErrNoRows when there was no row.
type Row = sqlstore.Row

// Txn is a transaction a Backend began.
type Txn interface {
	Conn
	Commit(ctx context.Context) error
	Rollback(ctx context.Context) error
}

// Backend begins transactions.
type Backend interface {
	// BeginWrite begins a read-write transaction.
	BeginWrite(ctx context.Context) (Txn, error)
	// BeginRead begins a read-only transaction that sees one consistent snapshot.
	BeginRead(ctx context.Context) (Txn, error)
}

// Dialect is what differs between databases.
type Dialect struct {
	// Name prefixes error messages ("sqlite", "postgres").
	Name string
	// Q holds the SQL texts.
	Q *Queries
	// MapError turns a driver error into one wrapping loyalty.ErrConflict,
	// loyalty.ErrDuplicateKey or loyalty.ErrNotFound when it means that, and returns it
	// unchanged otherwise.
	MapError func(err error) error
	// TimeArg encodes a time for a statement argument; the zero time must become NULL.
	TimeArg func(t time.Time) any
	// DecimalArg encodes a decimal string for a statement argument.
	DecimalArg func(s string) any
	// NextSeq, when set, returns the next Seq value inside the write transaction c; the store
	// then passes Seq as the last argument of the Insert* statements. When nil, the database
	// assigns Seq and the Insert* statements return it.
	NextSeq func(ctx context.Context, c Conn) (int64, error)
	// SplitMovement makes AppendMovement run Q.InsertMovement and then Q.UpdateBalance
	// instead of the single statement Q.AppendMovement.
	SplitMovement bool
}

// Store is a loyalty.Store over a Backend.
type Store struct {
	b Backend
	d *Dialect

	programsMu sync.Mutex
	programs   map[string]loyalty.Program // decoded programs by JSON document
}

// New returns a Store.
func New(b Backend, d *Dialect) *Store {
	return &Store{b: b, d: d, programs: map[string]loyalty.Program{}}
}

var _ loyalty.Store = (*Store)(nil)

// Update runs fn in a read-write transaction; see loyalty.Store.
func (s *Store) Update(ctx context.Context, fn func(loyalty.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	txn, err := s.b.BeginWrite(ctx)
	if err != nil {
		return s.wrap("begin", err)
	}
	t := &tx{readTx: readTx{s: s, c: txn, write: true}}
	return s.run(ctx, txn, &t.done, func() error { return fn(t) })
}

// View runs fn in a read-only transaction; see loyalty.Store.
func (s *Store) View(ctx context.Context, fn func(loyalty.ReadTx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	txn, err := s.b.BeginRead(ctx)
	if err != nil {
		return s.wrap("begin", err)
	}
	t := &readTx{s: s, c: txn}
	return s.run(ctx, txn, &t.done, func() error { return fn(t) })
}

// Write runs fn in a read-write transaction of the Backend, for an adapter's own tables; see
// sqlstore.Shared.
func (s *Store) Write(ctx context.Context, fn func(sqlstore.Tx) error) error {
	return s.shared(ctx, s.b.BeginWrite, fn)
}

// Read runs fn in a read-only transaction of the Backend; see sqlstore.Shared.
func (s *Store) Read(ctx context.Context, fn func(sqlstore.Tx) error) error {
	return s.shared(ctx, s.b.BeginRead, fn)
}

func (s *Store) shared(ctx context.Context, begin func(context.Context) (Txn, error), fn func(sqlstore.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	txn, err := begin(ctx)
	if err != nil {
		return s.wrap("begin", err)
	}
	t := &mappedTx{c: txn, mapError: s.d.MapError}
	return s.run(ctx, txn, &t.done, func() error { return fn(t) })
}

// run calls fn, then commits, or rolls back when fn fails or panics; then it sets *done.
func (s *Store) run(ctx context.Context, txn Txn, done *bool, fn func() error) (err error) {
	committed := false
	defer func() {
		*done = true
		if !committed {
			// A rollback error changes nothing for the caller: the transaction is void.
			_ = txn.Rollback(context.WithoutCancel(ctx))
		}
	}()
	if err := fn(); err != nil {
		return err
	}
	committed = true
	if err := txn.Commit(ctx); err != nil {
		return s.wrap("commit", err)
	}
	return nil
}

// wrap maps a driver error and names the operation.
func (s *Store) wrap(op string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s store: %s: %w", s.d.Name, op, s.d.MapError(err))
}

// errorf returns an error naming the operation and wrapping sentinel.
func (s *Store) errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%s store: %s: %w", s.d.Name, fmt.Sprintf(format, args...), sentinel)
}

// ErrTxDone is returned by methods of a transaction used after its function returned.
var ErrTxDone = errors.New("sqlstore: transaction used after it ended")
