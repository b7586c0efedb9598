package wooconnect_test

import (
	"testing"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/memstore"
)

// newLoyaltyStore opens the loyalty store of the end-to-end tests.
func newLoyaltyStore(t *testing.T, path string) loyalty.Store {
	t.Helper()
	_ = path
	return memstore.New()
}
