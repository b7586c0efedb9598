package woosync_test

import (
	"testing"

	"github.com/loyalsync/loyalsync/sitoo/woosync"
	"github.com/loyalsync/loyalsync/sitoo/woosync/storetest"
)

func TestMemoryStore_Conformance(t *testing.T) {
	t.Parallel()
	storetest.Run(t, func(*testing.T) woosync.Store { return woosync.NewMemoryStore() })
}
