package woosync_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/woosync"
)

func TestSettings_Validate(t *testing.T) {
	t.Parallel()
	good := woosync.Settings{Mode: woosync.ModeLive, SiteID: 1,
		Live: woosync.Credentials{APIID: "10020-140", Password: "pw", BaseURL: "https://api.mysitoo.com/v2/accounts/10020"}}
	require.NoError(t, good.Validate())
	for field, change := range map[string]func(s *woosync.Settings){
		"Mode":              func(s *woosync.Settings) { s.Mode = "staging" },
		"Live.APIID":        func(s *woosync.Settings) { s.Live.APIID = "" },
		"Live.Password":     func(s *woosync.Settings) { s.Live.Password = "" },
		"Live.BaseURL":      func(s *woosync.Settings) { s.Live.BaseURL = "ftp://x" },
		"SiteID":            func(s *woosync.Settings) { s.SiteID = 0 },
		"WarehouseID":       func(s *woosync.Settings) { s.WarehouseID = -1 },
		"FetchProducts":     func(s *woosync.Settings) { s.FetchProducts = "some" },
		"ForceInstantStock": func(s *woosync.Settings) { s.ForceInstantStock = true },
	} {
		s := good
		change(&s)
		err := s.Validate()
		var se *woosync.SettingsError
		require.ErrorAs(t, err, &se, field)
		assert.Equal(t, field, se.Field)
		assert.ErrorIs(t, err, woosync.ErrInvalidSettings)
	}
	bad := good
	bad.Live.APIID = "no-dash-number"
	assert.ErrorIs(t, bad.Validate(), woosync.ErrInvalidSettings)
	testOnly := good
	testOnly.Mode, testOnly.Live = woosync.ModeTest, woosync.Credentials{}
	var se *woosync.SettingsError
	require.ErrorAs(t, testOnly.Validate(), &se)
	assert.Equal(t, "Test.APIID", se.Field, "only the active mode's credentials are required")
}

func TestConnect_ChecksSealsAndReadsWarehouseType(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	ch, err := e.syncer.Connect(e.ctx, e.settings())
	require.NoError(t, err)
	assert.Len(t, ch.Warehouses, 2)
	require.Len(t, ch.Sites, 1, "the fake account has site 1")
	assert.Equal(t, int64(1), ch.Sites[0].EshopID)

	rec, err := e.store.LoadSettings(e.ctx)
	require.NoError(t, err)
	assert.Equal(t, sitoo.WarehouseTypeVirtual, rec.Settings.WarehouseType)
	assert.Equal(t, woosync.FetchActive, rec.Settings.FetchProducts, "default filter")
	assert.NotEmpty(t, rec.SealedCredentials)
	assert.False(t, bytes.Contains(rec.SealedCredentials, []byte(e.sitoo.Password)), "credentials sealed")

	e.connect(func(s *woosync.Settings) { s.WarehouseID = e.fifo })
	rec, _ = e.store.LoadSettings(e.ctx)
	assert.False(t, rec.Settings.WarehouseType.IsVirtual())

	client, err := e.syncer.SitooClient(e.ctx)
	require.NoError(t, err)
	_, _, err = client.Site(1).Warehouses.Get(e.ctx, e.fifo)
	require.NoError(t, err, "the stored credentials open and work")

	// Another key cannot open them.
	other, err := woosync.New(e.store, e.wc, woosync.WithEncryptionKey(bytes.Repeat([]byte{9}, woosync.EncryptionKeySize)))
	require.NoError(t, err)
	_, err = other.SitooClient(e.ctx)
	require.Error(t, err)
}

func TestConnect_Refusals(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	s := e.settings()
	s.Test.Password = "wrong"
	_, err := e.syncer.Connect(e.ctx, s)
	require.ErrorIs(t, err, sitoo.ErrUnauthorized)

	s = e.settings()
	s.WarehouseID = 9999
	_, err = e.syncer.Connect(e.ctx, s)
	var se *woosync.SettingsError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "WarehouseID", se.Field)

	s = e.settings()
	s.SiteID = 2
	ch, err := e.syncer.Connect(e.ctx, s)
	require.ErrorIs(t, err, sitoo.ErrNotFound)
	require.Len(t, ch.Sites, 1, "the sites to choose from come back with a wrong site")
	assert.Equal(t, int64(1), ch.Sites[0].EshopID)

	_, err = e.store.LoadSettings(e.ctx)
	require.ErrorIs(t, err, woosync.ErrNotConfigured, "nothing saved after a refusal")
}

func TestPauseResumeDisconnectOverview(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	o, err := e.syncer.Overview(e.ctx, 5)
	require.NoError(t, err)
	assert.Equal(t, woosync.StateNotConfigured, o.State)
	require.ErrorIs(t, e.syncer.Pause(e.ctx), woosync.ErrNotConfigured)

	e.connect(nil)
	require.NoError(t, e.store.PutMapping(e.ctx, woosync.Mapping{Kind: woosync.KindProduct, WooID: 1, SitooID: 2}))
	o, err = e.syncer.Overview(e.ctx, 5)
	require.NoError(t, err)
	assert.Equal(t, woosync.StateActive, o.State)
	assert.Equal(t, 1, o.Mappings[woosync.KindProduct])
	assert.Empty(t, o.Settings.Test.Password, "no credentials in the overview")

	require.NoError(t, e.syncer.Pause(e.ctx))
	o, _ = e.syncer.Overview(e.ctx, 5)
	assert.Equal(t, woosync.StatePaused, o.State)
	e.connect(nil)
	o, _ = e.syncer.Overview(e.ctx, 5)
	assert.Equal(t, woosync.StatePaused, o.State, "saving settings keeps the pause")
	require.NoError(t, e.syncer.Resume(e.ctx))
	o, _ = e.syncer.Overview(e.ctx, 5)
	assert.Equal(t, woosync.StateActive, o.State)

	require.NoError(t, e.syncer.Disconnect(e.ctx))
	o, _ = e.syncer.Overview(e.ctx, 5)
	assert.Equal(t, woosync.StateDisconnected, o.State)
	assert.Equal(t, 1, o.Mappings[woosync.KindProduct], "mappings stay")
	_, err = e.syncer.SitooClient(e.ctx)
	require.ErrorIs(t, err, woosync.ErrDisconnected)
}

func TestTestModeAids(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOption{})
	e.connect(func(s *woosync.Settings) { s.SendChanges, s.IgnoreErrors = true, true })
	require.NoError(t, e.store.PutMapping(e.ctx, woosync.Mapping{Kind: woosync.KindCategory, WooID: 1, SitooID: 2}))
	require.NoError(t, e.store.SetTimestamp(e.ctx, woosync.TimestampOrders, e.woo.Now()))

	require.NoError(t, e.syncer.ResetTimestamps(e.ctx))
	ts, _ := e.store.Timestamp(e.ctx, woosync.TimestampOrders)
	assert.True(t, ts.IsZero())

	require.NoError(t, e.syncer.ClearAll(e.ctx))
	n, _ := e.store.CountMappings(e.ctx, woosync.KindCategory)
	assert.Zero(t, n)
	rec, err := e.store.LoadSettings(e.ctx)
	require.NoError(t, err)
	assert.False(t, rec.Settings.SendChanges || rec.Settings.IgnoreErrors, "options back to defaults")
	_, err = e.syncer.SitooClient(e.ctx)
	require.NoError(t, err, "still connected in test mode")

	// Live mode refuses both and changes nothing.
	live := e.settings()
	live.Mode, live.Live = woosync.ModeLive, live.Test
	_, err = e.syncer.Connect(e.ctx, live)
	require.NoError(t, err)
	require.NoError(t, e.store.PutMapping(e.ctx, woosync.Mapping{Kind: woosync.KindCategory, WooID: 1, SitooID: 2}))
	require.ErrorIs(t, e.syncer.ClearAll(e.ctx), woosync.ErrLiveMode)
	require.ErrorIs(t, e.syncer.ResetTimestamps(e.ctx), woosync.ErrLiveMode)
	n, _ = e.store.CountMappings(e.ctx, woosync.KindCategory)
	assert.Equal(t, 1, n)
	assert.True(t, errors.Is(e.syncer.ClearAll(e.ctx), woosync.ErrLiveMode))
}
