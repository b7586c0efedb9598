package woosync

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/loyalsync/loyalsync/sitoo"
)

// Choices is what can be chosen for the mode just saved: the account's sites (Settings.SiteID is
// a site's EshopID) and the chosen site's warehouses.
type Choices struct {
	Sites      []sitoo.SiteInfo
	Warehouses []sitoo.Warehouse
}

// Connect validates the settings, checks them against Sitoo (the credentials work, the site
// exists, the warehouse is one of the site's), reads the warehouse's type into
// Settings.WarehouseType, and saves them with the credentials sealed. It returns the sites and
// the site's warehouses that can be chosen; when only the site is wrong, the sites come back with
// the error so one can be picked. A WarehouseID of 0 saves the connection without stock sync; choose one
// from Choices and Connect again. Saving keeps the pause state and every mapping.
func (s *Syncer) Connect(ctx context.Context, set Settings) (Choices, error) {
	if set.FetchProducts == "" {
		set.FetchProducts = defaultProductFilter
	}
	if err := set.Validate(); err != nil {
		return Choices{}, err
	}
	client, err := s.newSitoo(&set)
	if err != nil {
		return Choices{}, &SettingsError{Field: string(set.Mode), Reason: err.Error()}
	}
	var ch Choices
	for site, err := range client.Sites.All(ctx, nil) {
		if err != nil {
			return Choices{}, fmt.Errorf("woosync: connect: check the %s credentials: %w", set.Mode, err)
		}
		ch.Sites = append(ch.Sites, site)
	}
	for w, err := range client.Site(set.SiteID).Warehouses.All(ctx, nil) {
		if err != nil {
			return Choices{Sites: ch.Sites}, fmt.Errorf("woosync: connect: check the %s credentials and site %d: %w", set.Mode, set.SiteID, err)
		}
		ch.Warehouses = append(ch.Warehouses, w)
	}
	set.WarehouseType = 0
	if set.WarehouseID != 0 {
		found := false
		for _, w := range ch.Warehouses {
			if w.WarehouseID == set.WarehouseID {
				set.WarehouseType, found = w.WarehouseType, true
			}
		}
		if !found {
			return ch, &SettingsError{Field: "WarehouseID", Reason: fmt.Sprintf("site %d has no warehouse %d", set.SiteID, set.WarehouseID)}
		}
	}
	sealed, err := s.sealCredentials(&set)
	if err != nil {
		return ch, err
	}
	rec := SettingsRecord{Settings: set, SealedCredentials: sealed, UpdatedAt: s.clock()}
	if old, err := s.store.LoadSettings(ctx); err == nil {
		rec.Paused = old.Paused
	} else if !errors.Is(err, ErrNotConfigured) {
		return ch, err
	}
	if err := s.store.SaveSettings(ctx, rec); err != nil {
		return ch, fmt.Errorf("woosync: save settings: %w", err)
	}
	s.logger.InfoContext(ctx, "woosync: connected", "mode", set.Mode, "site", set.SiteID,
		"warehouse", set.WarehouseID, "virtual", set.virtual())
	return ch, nil
}

// Pause stops triggers and refuses operations until Resume. Mappings and settings stay.
func (s *Syncer) Pause(ctx context.Context) error { return s.setPaused(ctx, true) }

// Resume undoes Pause. Run a reconcile (ReconcileProducts) afterwards to catch up.
func (s *Syncer) Resume(ctx context.Context) error { return s.setPaused(ctx, false) }

func (s *Syncer) setPaused(ctx context.Context, paused bool) error {
	rec, err := s.store.LoadSettings(ctx)
	if err != nil {
		return err
	}
	rec.Paused, rec.UpdatedAt = paused, s.clock()
	return s.store.SaveSettings(ctx, rec)
}

// Disconnect forgets the Sitoo credentials. Settings (without credentials) and mappings stay, so
// connecting again goes on where the sync stopped.
func (s *Syncer) Disconnect(ctx context.Context) error {
	rec, err := s.store.LoadSettings(ctx)
	if err != nil {
		return err
	}
	rec.SealedCredentials, rec.UpdatedAt = nil, s.clock()
	s.mu.Lock()
	s.client, s.clientOf = nil, nil
	s.mu.Unlock()
	return s.store.SaveSettings(ctx, rec)
}

// State is where the sync stands.
type State string

// States.
const (
	StateNotConfigured State = "not_configured"
	StateActive        State = "active"
	StatePaused        State = "paused"
	StateDisconnected  State = "disconnected"
)

// Overview is what a settings page shows: state, settings (without credentials), how much is
// mapped, the sync timestamps and the latest runs.
type Overview struct {
	State      State
	Settings   Settings // Test and Live are empty
	Mappings   map[Kind]int
	Timestamps map[string]time.Time
	Runs       []Run
}

// Overview returns the current overview with up to runs runs of the log.
func (s *Syncer) Overview(ctx context.Context, runs int) (Overview, error) {
	o := Overview{State: StateNotConfigured, Mappings: map[Kind]int{}, Timestamps: map[string]time.Time{}}
	rec, err := s.store.LoadSettings(ctx)
	switch {
	case err == nil:
		o.Settings = rec.Settings
		o.Settings.Test, o.Settings.Live = Credentials{}, Credentials{}
		switch {
		case rec.SealedCredentials == nil:
			o.State = StateDisconnected
		case rec.Paused:
			o.State = StatePaused
		default:
			o.State = StateActive
		}
	case !errors.Is(err, ErrNotConfigured):
		return o, err
	}
	for _, k := range Kinds {
		if o.Mappings[k], err = s.store.CountMappings(ctx, k); err != nil {
			return o, err
		}
	}
	for _, name := range []string{TimestampStock, TimestampManufacturers, TimestampProducts, TimestampOrders} {
		t, err := s.store.Timestamp(ctx, name)
		if err != nil {
			return o, err
		}
		if !t.IsZero() {
			o.Timestamps[name] = t
		}
	}
	o.Runs, err = s.store.Runs(ctx, runs)
	return o, err
}

// ClearAll erases every mapping and timestamp and sets the settings back to their defaults,
// keeping only the mode and its credentials (the seed's "Clear All"). Test mode only: in live
// mode it returns ErrLiveMode and changes nothing.
func (s *Syncer) ClearAll(ctx context.Context) error {
	rec, err := s.testModeRecord(ctx)
	if err != nil {
		return err
	}
	if err := s.store.ClearMappings(ctx); err != nil {
		return err
	}
	if err := s.store.ResetTimestamps(ctx); err != nil {
		return err
	}
	rec.Settings = Settings{Mode: ModeTest, SiteID: rec.Settings.SiteID, FetchProducts: defaultProductFilter}
	rec.Paused, rec.UpdatedAt = false, s.clock()
	s.logger.InfoContext(ctx, "woosync: cleared all mappings, timestamps and settings (test mode)")
	return s.store.SaveSettings(ctx, rec)
}

// ResetTimestamps clears the sync timestamps, so the next stock and order syncs start from the
// beginning (the seed's "Reset timestamp"). Test mode only: in live mode it returns ErrLiveMode.
func (s *Syncer) ResetTimestamps(ctx context.Context) error {
	if _, err := s.testModeRecord(ctx); err != nil {
		return err
	}
	return s.store.ResetTimestamps(ctx)
}

func (s *Syncer) testModeRecord(ctx context.Context) (SettingsRecord, error) {
	rec, err := s.store.LoadSettings(ctx)
	if err != nil {
		return rec, err
	}
	if rec.Settings.Mode != ModeTest {
		return rec, ErrLiveMode
	}
	return rec, nil
}
