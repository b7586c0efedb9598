package sqlite_test

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/internal/sqltest"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
)

func open(t *testing.T) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "loyalty.db"))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}

func TestConformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(t *testing.T) loyalty.Store { return open(t) })
}

func TestCrashDuringRedemption(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "crash.db")
	sqltest.TestCrashDuringRedemption(t, func(t *testing.T) (loyalty.Store, func() error) {
		s, err := sqlite.Open(t.Context(), path)
		require.NoError(t, err)
		return s, s.Close
	})
}

// TestMultiInstance runs two Stores on one file, as two processes would: their write
// transactions meet on SQLite's write lock (BEGIN IMMEDIATE, busy timeout).
func TestMultiInstance(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "shared.db")
	sqltest.TestMultiInstance(t, func(t *testing.T) loyalty.Store {
		s, err := sqlite.Open(t.Context(), path)
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, s.Close()) })
		return s
	}, sqltest.MultiInstance{Orders: 1000, Deliveries: 4, Customers: 100, Workers: 4})
}

// TestCloseWaitsForTransactionsInFlight closes the Store while writers and readers are busy, as
// a service shutting down with webhook deliveries still running does: Close must wait for them
// (the race detector catches a Close that tears connections down underneath), and calls after it
// fail with ErrClosed instead of touching closed connections.
func TestCloseWaitsForTransactionsInFlight(t *testing.T) {
	t.Parallel()
	s, err := sqlite.Open(t.Context(), filepath.Join(t.TempDir(), "close.db"))
	require.NoError(t, err)
	ctx := t.Context()
	require.NoError(t, s.Update(ctx, func(tx loyalty.Tx) error {
		return tx.PutProgram(ctx, loyalty.DefaultProgram("card", "EUR"))
	}))

	started := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 16)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; ; j++ {
				var err error
				if i%2 == 0 {
					err = s.Update(ctx, func(tx loyalty.Tx) error {
						_, err := tx.CreateMember(ctx, loyalty.Member{ID: fmt.Sprintf("m-%d-%d", i, j), Code: fmt.Sprintf("C%dX%d", i, j), Email: fmt.Sprintf("m%d.%d@example.com", i, j)})
						return err
					})
				} else {
					err = s.View(ctx, func(tx loyalty.ReadTx) error {
						_, err := tx.Programs(ctx)
						return err
					})
				}
				if j == 0 && i == 0 {
					close(started)
				}
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	<-started
	require.NoError(t, s.Close())
	wg.Wait()
	close(errs)
	for err := range errs {
		require.ErrorIs(t, err, sqlite.ErrClosed, "work after Close fails with ErrClosed, nothing else")
	}
	require.NoError(t, s.Close(), "a second Close is a no-op")
}
