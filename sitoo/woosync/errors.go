package woosync

import (
	"errors"
	"fmt"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrInvalidSettings: settings that cannot be used; the error is a *SettingsError naming the
	// field.
	ErrInvalidSettings = errors.New("woosync: invalid settings")
	// ErrNotConfigured: no settings have been saved yet (or they were cleared).
	ErrNotConfigured = errors.New("woosync: not configured")
	// ErrDisconnected: the connection was disconnected; its credentials are gone.
	ErrDisconnected = errors.New("woosync: disconnected")
	// ErrPaused: the sync is paused; triggers are skipped and operations refused until Resume.
	ErrPaused = errors.New("woosync: paused")
	// ErrLiveMode: a test-mode aid (clear all, reset timestamps) was asked for in live mode.
	ErrLiveMode = errors.New("woosync: refused in live mode")
	// ErrNoMapping: the store has no mapping for that id.
	ErrNoMapping = errors.New("woosync: no mapping")
	// ErrMappingConflict: the Sitoo id is already mapped to another WooCommerce item of that kind.
	ErrMappingConflict = errors.New("woosync: Sitoo id already mapped to another item")
	// ErrUnknownStep: a full sync was asked for a step this package does not have.
	ErrUnknownStep = errors.New("woosync: unknown step")
	// ErrRateBudget: CheckRateLimit found too few Sitoo requests left for the next step and the
	// wait until the window resets is longer than the allowed maximum.
	ErrRateBudget = errors.New("woosync: Sitoo rate limit budget too small for the next step")
	// ErrFIFOWarehouse: absolute stock cannot be sent to a FIFO (non-virtual) warehouse unless
	// Settings.ForceInstantStock is on.
	ErrFIFOWarehouse = errors.New("woosync: stock can only be sent to a FIFO warehouse with ForceInstantStock")
	// ErrItem: one item could not be synced (bad SKU, missing image, stock problem). With
	// Settings.IgnoreErrors the run goes on and reports it; the error is an *ItemError.
	ErrItem = errors.New("woosync: item not synced")
)

// SettingsError says which setting is wrong and why. It matches ErrInvalidSettings.
type SettingsError struct {
	Field  string // e.g. "Live.APIID", "WarehouseID"
	Reason string
}

func (e *SettingsError) Error() string {
	return fmt.Sprintf("woosync: invalid settings: %s: %s", e.Field, e.Reason)
}

// Is makes errors.Is(err, ErrInvalidSettings) true.
func (e *SettingsError) Is(target error) bool { return target == ErrInvalidSettings }

// ItemError is one item a step could not sync. It matches ErrItem and unwraps to the cause.
type ItemError struct {
	Step  Step
	Kind  Kind
	WooID int64  // 0 when the item came from Sitoo
	Key   string // SKU, code or title
	Err   error
}

func (e *ItemError) Error() string {
	return fmt.Sprintf("woosync: %s: %s %d (%q): %v", e.Step, e.Kind, e.WooID, e.Key, e.Err)
}

// Is makes errors.Is(err, ErrItem) true.
func (e *ItemError) Is(target error) bool { return target == ErrItem }

// Unwrap returns the cause.
func (e *ItemError) Unwrap() error { return e.Err }

func isNoMapping(err error) bool { return errors.Is(err, ErrNoMapping) }
