package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo/woosync"
)

// Run runs every conformance test; open must return a new, empty store for each test.
func Run(t *testing.T, open func(t *testing.T) woosync.Store) {
	t.Helper()
	tests := map[string]func(t *testing.T, s woosync.Store){
		"Settings":        testSettings,
		"Mappings":        testMappings,
		"MappingConflict": testMappingConflict,
		"MappingsOrdered": testMappingsOrdered,
		"ClearMappings":   testClearMappings,
		"Timestamps":      testTimestamps,
		"Runs":            testRuns,
		"Concurrent":      testConcurrent,
	}
	for name, fn := range tests {
		t.Run(name, func(t *testing.T) { fn(t, open(t)) })
	}
}

var at = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

func testSettings(t *testing.T, s woosync.Store) {
	ctx := context.Background()
	_, err := s.LoadSettings(ctx)
	require.ErrorIs(t, err, woosync.ErrNotConfigured)

	rec := woosync.SettingsRecord{
		Settings: woosync.Settings{Mode: woosync.ModeLive, SiteID: 1, WarehouseID: 7, WarehouseType: 20,
			SendChanges: true, FetchProducts: woosync.FetchActivePOS, IgnoreErrors: true,
			Live: woosync.Credentials{APIID: "1-1", Password: "clear"}},
		SealedCredentials: []byte{1, 2, 3},
		Paused:            true,
		UpdatedAt:         at,
	}
	require.NoError(t, s.SaveSettings(ctx, rec))
	got, err := s.LoadSettings(ctx)
	require.NoError(t, err)
	assert.Equal(t, woosync.Credentials{}, got.Settings.Live, "credentials are never stored in clear")
	rec.Settings.Live = woosync.Credentials{}
	assert.Equal(t, rec.Settings, got.Settings)
	assert.Equal(t, rec.SealedCredentials, got.SealedCredentials)
	assert.True(t, got.Paused)
	assert.True(t, at.Equal(got.UpdatedAt))

	rec.SealedCredentials = nil
	require.NoError(t, s.SaveSettings(ctx, rec))
	got, err = s.LoadSettings(ctx)
	require.NoError(t, err)
	assert.Nil(t, got.SealedCredentials)

	require.NoError(t, s.DeleteSettings(ctx))
	_, err = s.LoadSettings(ctx)
	require.ErrorIs(t, err, woosync.ErrNotConfigured)
}

func testMappings(t *testing.T, s woosync.Store) {
	ctx := context.Background()
	m := woosync.Mapping{Kind: woosync.KindVariation, WooID: 11, SitooID: 501, Key: "TS-M",
		WooParentID: 10, SitooParentID: 500, SyncedAt: at}
	require.NoError(t, s.PutMapping(ctx, m))

	got, err := s.MappingByWoo(ctx, woosync.KindVariation, 11)
	require.NoError(t, err)
	assert.Equal(t, m.Key, got.Key)
	assert.Equal(t, m.SitooParentID, got.SitooParentID)
	assert.True(t, at.Equal(got.SyncedAt))
	got, err = s.MappingBySitoo(ctx, woosync.KindVariation, 501)
	require.NoError(t, err)
	assert.Equal(t, int64(11), got.WooID)
	got, err = s.MappingByKey(ctx, woosync.KindVariation, "TS-M")
	require.NoError(t, err)
	assert.Equal(t, int64(11), got.WooID)
	_, err = s.MappingByKey(ctx, woosync.KindVariation, "ts-m")
	require.ErrorIs(t, err, woosync.ErrNoMapping, "keys are case-sensitive (SKUs)")

	_, err = s.MappingByWoo(ctx, woosync.KindProduct, 11)
	require.ErrorIs(t, err, woosync.ErrNoMapping, "kinds are separate")
	_, err = s.MappingBySitoo(ctx, woosync.KindVariation, 999)
	require.ErrorIs(t, err, woosync.ErrNoMapping)

	// Replacing a mapping moves its Sitoo id and key.
	m.SitooID, m.Key = 502, "TS-MED"
	require.NoError(t, s.PutMapping(ctx, m))
	_, err = s.MappingBySitoo(ctx, woosync.KindVariation, 501)
	require.ErrorIs(t, err, woosync.ErrNoMapping, "the old Sitoo id is free again")
	_, err = s.MappingByKey(ctx, woosync.KindVariation, "TS-M")
	require.ErrorIs(t, err, woosync.ErrNoMapping, "the old key is free again")
	got, err = s.MappingByKey(ctx, woosync.KindVariation, "TS-MED")
	require.NoError(t, err)
	assert.Equal(t, int64(502), got.SitooID)
	n, err := s.CountMappings(ctx, woosync.KindVariation)
	require.NoError(t, err)
	assert.Equal(t, 1, n)

	require.NoError(t, s.DeleteMapping(ctx, woosync.KindVariation, 11))
	require.NoError(t, s.DeleteMapping(ctx, woosync.KindVariation, 11), "deleting nothing is fine")
	_, err = s.MappingBySitoo(ctx, woosync.KindVariation, 502)
	require.ErrorIs(t, err, woosync.ErrNoMapping)
	_, err = s.MappingByKey(ctx, woosync.KindVariation, "TS-MED")
	require.ErrorIs(t, err, woosync.ErrNoMapping)
}

func testMappingConflict(t *testing.T, s woosync.Store) {
	ctx := context.Background()
	require.NoError(t, s.PutMapping(ctx, woosync.Mapping{Kind: woosync.KindProduct, WooID: 1, SitooID: 100, Key: "A"}))
	err := s.PutMapping(ctx, woosync.Mapping{Kind: woosync.KindProduct, WooID: 2, SitooID: 100, Key: "B"})
	require.ErrorIs(t, err, woosync.ErrMappingConflict)
	_, err = s.MappingByWoo(ctx, woosync.KindProduct, 2)
	require.ErrorIs(t, err, woosync.ErrNoMapping, "a refused mapping leaves nothing")
	require.NoError(t, s.PutMapping(ctx, woosync.Mapping{Kind: woosync.KindCategory, WooID: 2, SitooID: 100}),
		"the same Sitoo id in another kind is fine")
}

func testMappingsOrdered(t *testing.T, s woosync.Store) {
	ctx := context.Background()
	for _, id := range []int64{30, 10, 20} {
		require.NoError(t, s.PutMapping(ctx, woosync.Mapping{Kind: woosync.KindCoupon, WooID: id, SitooID: id * 2, Key: fmt.Sprint(id)}))
	}
	var ids []int64
	for m, err := range s.Mappings(ctx, woosync.KindCoupon) {
		require.NoError(t, err)
		ids = append(ids, m.WooID)
	}
	assert.Equal(t, []int64{10, 20, 30}, ids)
	for range s.Mappings(ctx, woosync.KindCoupon) {
		break // stopping early must be safe
	}
	for _, err := range s.Mappings(ctx, woosync.KindOrder) {
		require.NoError(t, err)
		t.Fatal("no orders mapped")
	}
}

func testClearMappings(t *testing.T, s woosync.Store) {
	ctx := context.Background()
	for i, k := range woosync.Kinds {
		require.NoError(t, s.PutMapping(ctx, woosync.Mapping{Kind: k, WooID: int64(i + 1), SitooID: int64(i + 1)}))
	}
	require.NoError(t, s.ClearMappings(ctx))
	for _, k := range woosync.Kinds {
		n, err := s.CountMappings(ctx, k)
		require.NoError(t, err)
		assert.Zero(t, n, k)
	}
	require.NoError(t, s.PutMapping(ctx, woosync.Mapping{Kind: woosync.KindProduct, WooID: 1, SitooID: 1}), "usable after clearing")
}

func testTimestamps(t *testing.T, s woosync.Store) {
	ctx := context.Background()
	got, err := s.Timestamp(ctx, woosync.TimestampStock)
	require.NoError(t, err)
	assert.True(t, got.IsZero())
	local := at.In(time.FixedZone("CET", 3600))
	require.NoError(t, s.SetTimestamp(ctx, woosync.TimestampStock, local))
	require.NoError(t, s.SetTimestamp(ctx, woosync.TimestampOrders, at.Add(time.Hour)))
	got, err = s.Timestamp(ctx, woosync.TimestampStock)
	require.NoError(t, err)
	assert.True(t, at.Equal(got))
	assert.Equal(t, time.UTC, got.Location(), "times come back in UTC")
	require.NoError(t, s.ResetTimestamps(ctx))
	for _, name := range []string{woosync.TimestampStock, woosync.TimestampOrders} {
		got, err = s.Timestamp(ctx, name)
		require.NoError(t, err)
		assert.True(t, got.IsZero(), name)
	}
}

func testRuns(t *testing.T, s woosync.Store) {
	ctx := context.Background()
	runs, err := s.Runs(ctx, 10)
	require.NoError(t, err)
	assert.Empty(t, runs)
	var ids []int64
	for i := range 3 {
		id, err := s.AddRun(ctx, woosync.Run{Operation: fmt.Sprint("op", i), Started: at, Finished: at.Add(time.Second),
			Done: i, Failed: 1, Errors: []string{"boom"}, Err: ""})
		require.NoError(t, err)
		ids = append(ids, id)
	}
	assert.Less(t, ids[0], ids[1])
	assert.Less(t, ids[1], ids[2])
	runs, err = s.Runs(ctx, 2)
	require.NoError(t, err)
	require.Len(t, runs, 2)
	assert.Equal(t, "op2", runs[0].Operation, "newest first")
	assert.Equal(t, ids[2], runs[0].ID)
	assert.Equal(t, []string{"boom"}, runs[0].Errors)
	assert.True(t, at.Add(time.Second).Equal(runs[0].Finished))
	runs, err = s.Runs(ctx, 0)
	require.NoError(t, err)
	assert.Len(t, runs, 3)
}

func testConcurrent(t *testing.T, s woosync.Store) {
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 200)
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.PutMapping(ctx, woosync.Mapping{Kind: woosync.KindProduct, WooID: int64(i), SitooID: int64(i) + 1000}); err != nil {
				errs <- err
			}
			// Everybody tries to claim Sitoo id 1: exactly one wins.
			err := s.PutMapping(ctx, woosync.Mapping{Kind: woosync.KindVariation, WooID: int64(i), SitooID: 1})
			if err != nil && !errors.Is(err, woosync.ErrMappingConflict) {
				errs <- err
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	n, err := s.CountMappings(ctx, woosync.KindProduct)
	require.NoError(t, err)
	assert.Equal(t, 100, n)
	n, err = s.CountMappings(ctx, woosync.KindVariation)
	require.NoError(t, err)
	assert.Equal(t, 1, n)
}
