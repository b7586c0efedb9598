package sqlite_test

import (
	"path/filepath"
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
