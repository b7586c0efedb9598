package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/internal/sqltest"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
)

var errRefused = errors.New("refused")

// TestGroupCommitIsolatesMembers runs many concurrent transactions, so that they share
// commits, of which some fail and some panic: exactly the others' writes remain.
func TestGroupCommitIsolatesMembers(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx := t.Context()
	require.NoError(t, s.Update(ctx, func(tx loyalty.Tx) error {
		return tx.PutProgram(ctx, loyalty.DefaultProgram("card", "EUR"))
	}))
	const n = 300
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			defer func() {
				if p := recover(); p != nil && i%7 != 3 {
					t.Errorf("transaction %d panicked: %v", i, p)
				}
			}()
			err := s.Update(ctx, func(tx loyalty.Tx) error {
				if err := tx.AppendReceipt(ctx, loyalty.Receipt{ProgramID: "card", OrderID: fmt.Sprint(i),
					Outcome: loyalty.OutcomeProcessed, ReceivedAt: time.Now()}); err != nil {
					return err
				}
				if _, err := tx.CreateMember(ctx, loyalty.Member{ID: fmt.Sprint("m", i), Code: fmt.Sprint("C", i),
					Email: fmt.Sprintf("m%d@example.com", i)}); err != nil {
					return err
				}
				switch i % 7 {
				case 2:
					return errRefused
				case 3:
					panic("member transaction panics")
				}
				return nil
			})
			switch i % 7 {
			case 2:
				assert.ErrorIs(t, err, errRefused)
			case 3:
				t.Errorf("transaction %d: the panic did not propagate", i)
			default:
				assert.NoError(t, err)
			}
		})
	}
	wg.Wait()
	require.NoError(t, s.View(ctx, func(tx loyalty.ReadTx) error {
		rs, err := tx.Receipts(ctx, "card", "", loyalty.Page{Limit: 1000})
		require.NoError(t, err)
		want := 0
		for i := range n {
			_, err := tx.Member(ctx, fmt.Sprint("m", i))
			if i%7 == 2 || i%7 == 3 {
				assert.ErrorIs(t, err, loyalty.ErrNotFound, "failed transaction %d left a member", i)
			} else {
				assert.NoError(t, err, "committed transaction %d lost its member", i)
				want++
			}
		}
		assert.Len(t, rs, want)
		for i := 1; i < len(rs); i++ {
			assert.Greater(t, rs[i-1].Seq, rs[i].Seq)
		}
		return nil
	}))
}

// TestTwoStoresShareTheWriteLock checks that a second Store (another process) waiting longer
// than its busy timeout for the file's write lock gets loyalty.ErrConflict, and succeeds once
// the lock is free.
func TestTwoStoresShareTheWriteLock(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "shared.db")
	ctx := t.Context()
	a, err := sqlite.Open(ctx, path)
	require.NoError(t, err)
	defer a.Close()
	b, err := sqlite.Open(ctx, path, sqlite.WithBusyTimeout(250*time.Millisecond))
	require.NoError(t, err)
	defer b.Close()

	holding, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		done <- a.Update(ctx, func(tx loyalty.Tx) error {
			if err := tx.PutProgram(ctx, loyalty.DefaultProgram("a", "EUR")); err != nil {
				return err
			}
			close(holding)
			<-release
			return nil
		})
	}()
	<-holding
	put := func(tx loyalty.Tx) error { return tx.PutProgram(ctx, loyalty.DefaultProgram("b", "EUR")) }
	err = b.Update(ctx, put)
	require.ErrorIs(t, err, loyalty.ErrConflict)
	close(release)
	require.NoError(t, <-done)
	require.NoError(t, b.Update(ctx, put))
	require.NoError(t, a.View(ctx, func(tx loyalty.ReadTx) error {
		ps, err := tx.Programs(ctx)
		require.NoError(t, err)
		assert.Len(t, ps, 2)
		return nil
	}))
}

// TestOpenMigratesOnce opens one new file from several stores at once.
func TestOpenMigratesOnce(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "new.db")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			s, err := sqlite.Open(t.Context(), path)
			if assert.NoError(t, err) {
				assert.NoError(t, s.Close())
			}
		})
	}
	wg.Wait()
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	defer db.Close()
	var n, versions int
	require.NoError(t, db.QueryRow("SELECT count(*), count(DISTINCT version) FROM loyalty_schema_migrations").Scan(&n, &versions))
	assert.Equal(t, versions, n, "each migration recorded once")
	assert.Positive(t, n)
}

func TestOpenRefusesANewerSchema(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "newer.db")
	s, err := sqlite.Open(t.Context(), path)
	require.NoError(t, err)
	require.NoError(t, s.Close())
	db, err := sql.Open("sqlite", path)
	require.NoError(t, err)
	_, err = db.Exec("INSERT INTO loyalty_schema_migrations (version, name) VALUES (999999, 'future')")
	require.NoError(t, err)
	require.NoError(t, db.Close())
	_, err = sqlite.Open(t.Context(), path)
	assert.ErrorIs(t, err, sqlite.ErrSchemaTooNew)
}

func TestOpenRefusesBadPathsAndOptions(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	for _, path := range []string{"", ":memory:", "file::memory:?cache=shared", "x.db?_pragma=foo"} {
		_, err := sqlite.Open(ctx, path)
		assert.Error(t, err, path)
	}
	dir := t.TempDir()
	for _, opt := range []sqlite.Option{sqlite.WithReaders(0), sqlite.WithBusyTimeout(-time.Second),
		sqlite.WithSynchronous("OFF"), sqlite.WithLogger(nil)} {
		_, err := sqlite.Open(ctx, filepath.Join(dir, "x.db"), opt)
		assert.Error(t, err)
	}
}

func TestCancelledContext(t *testing.T) {
	t.Parallel()
	s := open(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	assert.ErrorIs(t, s.Update(ctx, func(loyalty.Tx) error { return nil }), context.Canceled)
	assert.ErrorIs(t, s.View(ctx, func(loyalty.ReadTx) error { return nil }), context.Canceled)
	// A transaction whose context ends midway stops at its next statement and leaves nothing.
	ctx, cancel = context.WithCancel(t.Context())
	err := s.Update(ctx, func(tx loyalty.Tx) error {
		if err := tx.PutProgram(ctx, loyalty.DefaultProgram("card", "EUR")); err != nil {
			return err
		}
		cancel()
		return tx.PutProgram(ctx, loyalty.DefaultProgram("other", "EUR"))
	})
	assert.ErrorIs(t, err, context.Canceled)
	require.NoError(t, s.View(t.Context(), func(tx loyalty.ReadTx) error {
		_, err := tx.Program(t.Context(), "card")
		assert.ErrorIs(t, err, loyalty.ErrNotFound)
		return nil
	}))
}

func TestFailedWritesLeaveNothing(t *testing.T) {
	t.Parallel()
	sqltest.TestFailedWritesLeaveNothing(t, open(t))
}
