package pointsync_test

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/pointsync"
)

func TestNewLocalSite(t *testing.T) {
	a, err := pointsync.NewLocalSite("https://shop.example/pointsync/")
	require.NoError(t, err)
	require.NoError(t, a.Validate())
	assert.Regexp(t, regexp.MustCompile(`^[0-9a-f]{32}$`), a.SharingKey)
	assert.Len(t, a.Auth, 24)
	assert.Len(t, a.Pass, 43)
	b, err := pointsync.NewLocalSite("https://shop.example/pointsync/")
	require.NoError(t, err)
	assert.NotEqual(t, a.SharingKey, b.SharingKey)
	assert.NotEqual(t, a.Pass, b.Pass)
	for _, bad := range []string{"", "shop.example", "ftp://shop.example", "https://user:pw@shop.example/"} {
		_, err := pointsync.NewLocalSite(bad)
		require.ErrorIs(t, err, pointsync.ErrInvalidArgument, bad)
	}
}

func TestRemoteValidate(t *testing.T) {
	good := pointsync.Remote{SharingKey: "k1", TargetReserve: "pool-1", ObservedReserve: "points", URL: "https://b.example/sync/", Auth: "a", Pass: "p"}
	require.NoError(t, good.Validate())
	cases := map[string]func(*pointsync.Remote){
		"remote.sharing_key":      func(r *pointsync.Remote) { r.SharingKey = "" },
		"remote.target_reserve":   func(r *pointsync.Remote) { r.TargetReserve = "" },
		"remote.observed_reserve": func(r *pointsync.Remote) { r.ObservedReserve = "a\nb" },
		"remote.url":              func(r *pointsync.Remote) { r.URL = "b.example" },
		"remote.kind":             func(r *pointsync.Remote) { r.Kind = "other" },
		"remote.auth":             func(r *pointsync.Remote) { r.Auth = "a:b" },
		"remote.pass":             func(r *pointsync.Remote) { r.Pass = "" },
	}
	for field, edit := range cases {
		t.Run(field, func(t *testing.T) {
			r := good
			edit(&r)
			err := r.Validate()
			require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
			var ve *pointsync.ValidationError
			require.True(t, errors.As(err, &ve))
			assert.Equal(t, field, ve.Field)
		})
	}
	rp := good
	rp.Kind, rp.Auth = pointsync.KindRewardPoints, ""
	require.NoError(t, rp.Validate(), "a Reward Points remote needs only its API key (pass)")
}

func TestAdvancedValidate(t *testing.T) {
	require.NoError(t, pointsync.DefaultAdvanced().Validate())
	bad := pointsync.Advanced{MaxAttempts: 0, Delay: 0, StatsPeriodDays: 0, WarningPeriodDays: -1}
	err := bad.Validate()
	require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
	for _, f := range []string{"max_attempts", "delay", "stats_period_days", "warning_period_days"} {
		assert.Contains(t, err.Error(), "advanced."+f)
	}
	assert.Error(t, pointsync.Advanced{MaxAttempts: 1, Delay: 25 * time.Hour, StatsPeriodDays: 1}.Validate())
}

func TestOptionsAreValidated(t *testing.T) {
	s, err := pointsync.NewMemStore()
	require.NoError(t, err)
	for name, o := range map[string]pointsync.Option{
		"WithBatchSize":     pointsync.WithBatchSize(0),
		"WithWindow":        pointsync.WithWindow(0),
		"WithRetry":         pointsync.WithRetry(-1, 0, 0),
		"WithRateLimit":     pointsync.WithRateLimit(-1, 0),
		"WithHTTPClient":    pointsync.WithHTTPClient(nil),
		"WithLogger":        pointsync.WithLogger(nil),
		"WithLeaseTTL":      pointsync.WithLeaseTTL(0),
		"WithPollInterval":  pointsync.WithPollInterval(0),
		"WithProbeInterval": pointsync.WithProbeInterval(0),
		"WithMaxWait":       pointsync.WithMaxWait(-1),
		"WithDeliverer":     pointsync.WithDeliverer("x", nil),
		"WithReplayGuard":   pointsync.WithReplayGuard(nil),
	} {
		_, err := pointsync.NewSender(s, s, o)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "pointsync: NewSender: "+name, name)
	}
	_, err = pointsync.NewSender(s, s, nil)
	require.NoError(t, err, "a nil option is ignored")
	_, err = pointsync.NewSender(nil, s)
	require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
	_, err = pointsync.NewHandler(s, nil)
	require.ErrorIs(t, err, pointsync.ErrInvalidArgument)
}
