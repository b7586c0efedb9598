package pointsync_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/pointsync/pointsynctest"
)

func TestMemStoreSettingsConformance(t *testing.T) {
	pointsynctest.RunSettingsStore(t, func(t *testing.T) pointsync.SettingsStore {
		s, err := pointsync.NewMemStore()
		require.NoError(t, err)
		return s
	})
}

func TestMemStoreQueueConformance(t *testing.T) {
	pointsynctest.RunQueue(t, func(t *testing.T, now func() time.Time) pointsync.Queue {
		s, err := pointsync.NewMemStore(pointsync.WithClock(now))
		require.NoError(t, err)
		return s
	})
}
