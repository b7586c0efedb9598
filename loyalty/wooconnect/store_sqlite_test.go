package wooconnect_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
)

// newLoyaltyStore opens the loyalty store of the end-to-end tests: SQLite in the file at path
// (a new temporary file when path is empty).
func newLoyaltyStore(t testing.TB, path string) *sqlite.Store {
	t.Helper()
	if path == "" {
		path = filepath.Join(t.TempDir(), "loyalty.db")
	}
	s, err := sqlite.Open(t.Context(), path)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}
