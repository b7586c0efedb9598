package pointsync

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"
)

// LocalSite is everything another site needs to add this one as a remote: generated once
// (NewLocalSite), persisted by SettingsStore.InitLocalSite, and never edited afterwards.
type LocalSite struct {
	// SharingKey identifies this site among its remotes (32 hex characters).
	SharingKey string `json:"sharing_key"`
	// URL is where this site's Handler is served; remotes send to it.
	URL string `json:"url"`
	// Auth and Pass are this site's secrets: remotes send them with every request (Basic
	// authentication), and Pass also keys the HMAC signature of each request.
	Auth string `json:"auth"`
	Pass string `json:"pass"`
}

// NewLocalSite generates the information of a new site served at siteURL, with its secrets from
// crypto/rand. Persist it with SettingsStore.InitLocalSite, which keeps the first one stored.
func NewLocalSite(siteURL string) (LocalSite, error) { return newLocalSite(siteURL, rand.Reader) }

func newLocalSite(siteURL string, r io.Reader) (LocalSite, error) {
	if err := checkURL("local.url", siteURL); err != nil {
		return LocalSite{}, err
	}
	var b [16 + 18 + 32]byte
	if _, err := io.ReadFull(r, b[:]); err != nil {
		return LocalSite{}, fmt.Errorf("pointsync: generate local site secrets: %w", err)
	}
	return LocalSite{
		SharingKey: hex.EncodeToString(b[:16]),
		URL:        siteURL,
		Auth:       base64.RawURLEncoding.EncodeToString(b[16:34]),
		Pass:       base64.RawURLEncoding.EncodeToString(b[34:]),
	}, nil
}

// Validate checks the local site information.
func (l LocalSite) Validate() error {
	return errors.Join(
		checkToken("local.sharing_key", l.SharingKey, maxKeyLen),
		checkURL("local.url", l.URL),
		checkSecret("local.auth", l.Auth),
		checkSecret("local.pass", l.Pass),
	)
}

// RemoteKind says how movements reach a remote site.
type RemoteKind string

// The kinds of remote site.
const (
	// KindLoyalsync is a site that speaks this protocol (a loyalsync service): full mesh, both
	// directions.
	KindLoyalsync RemoteKind = "loyalsync"
	// KindWooRewards is a WordPress site with WooRewards Pro: movements are pushed through its
	// REST points add/subtract into the target pool. Its own movements cannot be read back.
	KindWooRewards RemoteKind = "woorewards"
	// KindRewardPoints is a WordPress site with WooCommerce Reward Points: movements are pushed
	// through its add-points API. Its own movements cannot be read back.
	KindRewardPoints RemoteKind = "rewardpoints"
)

// Valid reports whether k is a known kind.
func (k RemoteKind) Valid() bool {
	switch k {
	case KindLoyalsync, KindWooRewards, KindRewardPoints:
		return true
	}
	return false
}

// Remote is a remote site, as the operator enters it from the remote's local site information.
type Remote struct {
	// SharingKey is the remote's sharing key; it identifies the remote (unique among remotes).
	SharingKey string `json:"sharing_key"`
	// Kind says how movements reach it; empty means KindLoyalsync.
	Kind RemoteKind `json:"kind"`
	// TargetReserve is the point reserve (program, pool) on the remote that receives movements.
	TargetReserve string `json:"target_reserve"`
	// ObservedReserve is the local point reserve whose movements are sent to the remote.
	ObservedReserve string `json:"observed_reserve"`
	// URL is the remote's local URL (for WooRewards and Reward Points, the WordPress site URL).
	URL string `json:"url"`
	// Auth and Pass are the remote's secrets (for WooRewards, an application password's user and
	// password; for Reward Points, the API key in Pass).
	Auth string `json:"auth"`
	Pass string `json:"pass"`
}

// EffectiveKind returns the kind, KindLoyalsync when empty.
func (r Remote) EffectiveKind() RemoteKind {
	if r.Kind == "" {
		return KindLoyalsync
	}
	return r.Kind
}

// Validate checks the remote's settings; every problem is a *ValidationError.
func (r Remote) Validate() error {
	errs := []error{
		checkToken("remote.sharing_key", r.SharingKey, maxKeyLen),
		checkText("remote.target_reserve", r.TargetReserve, maxKeyLen, true),
		checkText("remote.observed_reserve", r.ObservedReserve, maxKeyLen, true),
		checkURL("remote.url", r.URL),
	}
	if !r.EffectiveKind().Valid() {
		errs = append(errs, invalid("remote.kind", "%q is not loyalsync, woorewards or rewardpoints", r.Kind))
	}
	if r.EffectiveKind() != KindRewardPoints {
		errs = append(errs, checkSecret("remote.auth", r.Auth))
	}
	errs = append(errs, checkSecret("remote.pass", r.Pass))
	return errors.Join(errs...)
}

// Advanced holds the advanced settings of synchronisation, shared by every remote.
type Advanced struct {
	// MaxAttempts is how many failed deliveries in a row make a remote show as failed (StatusError).
	// Automatic deliveries then pause, but the queue is kept: they resume when a ping succeeds or
	// the operator retries.
	MaxAttempts int `json:"max_attempts"`
	// Delay is the wait between two attempts after a failure.
	Delay time.Duration `json:"delay"`
	// StatsPeriodDays is the period covered by statistics: errors older than this are ignored by
	// the status.
	StatsPeriodDays int `json:"stats_period_days"`
	// WarningPeriodDays is how many days after its last error a remote shows StatusWarning before
	// it turns green again.
	WarningPeriodDays int `json:"warning_period_days"`
}

// DefaultAdvanced returns the default advanced settings: 5 attempts, 60 s between them, 7 days
// of statistics, 1 day of warning.
func DefaultAdvanced() Advanced {
	return Advanced{MaxAttempts: 5, Delay: time.Minute, StatsPeriodDays: 7, WarningPeriodDays: 1}
}

// Validate checks the ranges: MaxAttempts 1..1000, Delay over 0 and at most 24 h, StatsPeriodDays
// 1..3650, WarningPeriodDays 0..3650.
func (a Advanced) Validate() error {
	var errs []error
	if a.MaxAttempts < 1 || a.MaxAttempts > 1000 {
		errs = append(errs, invalid("advanced.max_attempts", "is %d, must be between 1 and 1000", a.MaxAttempts))
	}
	if a.Delay <= 0 || a.Delay > 24*time.Hour {
		errs = append(errs, invalid("advanced.delay", "is %s, must be over 0 and at most 24h", a.Delay))
	}
	if a.StatsPeriodDays < 1 || a.StatsPeriodDays > 3650 {
		errs = append(errs, invalid("advanced.stats_period_days", "is %d, must be between 1 and 3650", a.StatsPeriodDays))
	}
	if a.WarningPeriodDays < 0 || a.WarningPeriodDays > 3650 {
		errs = append(errs, invalid("advanced.warning_period_days", "is %d, must be between 0 and 3650", a.WarningPeriodDays))
	}
	return errors.Join(errs...)
}

func checkURL(field, s string) error {
	u, err := url.Parse(s)
	if s == "" {
		return invalid(field, "is required")
	}
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return invalid(field, "must be an absolute http or https URL")
	}
	if u.User != nil {
		return invalid(field, "must not carry credentials")
	}
	return nil
}

func checkSecret(field, s string) error {
	if s == "" {
		return invalid(field, "is required")
	}
	if len(s) > 256 {
		return invalid(field, "is longer than 256 bytes")
	}
	for _, r := range s {
		if r <= 0x20 || r == 0x7f || r == ':' && strings.HasSuffix(field, ".auth") {
			return invalid(field, "contains spaces, control characters or, in auth, a colon")
		}
	}
	return nil
}
