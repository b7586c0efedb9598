package woorewardstest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woorewards/woorewardstest"
)

func do(t *testing.T, srv *woorewardstest.Server, method, path string, basic bool) (int, string) {
	t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, srv.URL+woorewardstest.Prefix+path, nil)
	require.NoError(t, err)
	if basic {
		req.SetBasicAuth("u", "p w")
	}
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var body struct {
		Code string `json:"code"`
	}
	_ = json.Unmarshal(data, &body)
	return resp.StatusCode, body.Code
}

func TestFakeRoutingAndPermissions(t *testing.T) {
	t.Parallel()
	srv := woorewardstest.NewServer()
	defer srv.Close()
	srv.AddAppPassword("u", "pw", woorewardstest.AllPermissions) // spaces in the password are optional
	srv.AddUser("a@example.com")
	srv.AddPool(woorewardstest.Pool{ID: "p", Active: true})

	for name, tc := range map[string]struct {
		method, path string
		basic        bool
		status       int
		code         string
	}{
		"anonymous read":         {"GET", "pools", false, 401, "rest_forbidden"},
		"unknown route first":    {"GET", "nope", false, 404, "rest_no_route"},
		"wrong method":           {"POST", "pools", true, 404, "rest_no_route"},
		"amount not a number":    {"PUT", "points/a@example.com/p/ten/why", true, 404, "rest_no_route"},
		"amount with plus":       {"PUT", "points/a@example.com/p/+5/why", true, 404, "rest_no_route"},
		"no reason segment":      {"PUT", "points/a@example.com/p/5", true, 404, "rest_no_route"},
		"reward id not a number": {"PUT", "pools/p/rewards/x/unlock/a@example.com", true, 404, "rest_no_route"},
		"subtract":               {"PUT", "points/a@example.com/p/-5/why", true, 200, ""},
		"read":                   {"GET", "points/a@example.com/p", true, 200, ""},
	} {
		status, code := do(t, srv, tc.method, tc.path, tc.basic)
		assert.Equal(t, tc.status, status, name)
		assert.Equal(t, tc.code, code, name)
	}
	assert.Equal(t, int64(-5), srv.Points("a@example.com", "p"))
}

func TestFakeSeedHelpers(t *testing.T) {
	t.Parallel()
	srv := woorewardstest.NewServer()
	defer srv.Close()
	id := srv.AddUser("A@example.com")
	assert.Equal(t, id, srv.AddUser("a@EXAMPLE.com"), "emails are matched case-insensitively")
	srv.AddPool(woorewardstest.Pool{ID: "p"})
	assert.Panics(t, func() { srv.AddPool(woorewardstest.Pool{ID: "p"}) })
	assert.Panics(t, func() { srv.AddPool(woorewardstest.Pool{}) })
	assert.Panics(t, func() { srv.AddReward("nope", woorewardstest.Reward{ID: 1}) })
	assert.Panics(t, func() { srv.AddReward("p", woorewardstest.Reward{ID: 0}) })
	srv.AddReward("p", woorewardstest.Reward{ID: 1})
	assert.Panics(t, func() { srv.AddReward("p", woorewardstest.Reward{ID: 1}) })
	assert.Panics(t, func() { srv.SetPoints("nobody@example.com", "p", 1) })
	assert.Panics(t, func() { srv.AddBadge(0, "x") })
	assert.Panics(t, func() { srv.GrantBadge("a@example.com", 9, srv.Certificate().NotBefore) })
	srv.SetPoints("a@example.com", "p", 7)
	assert.Equal(t, int64(7), srv.Points("A@EXAMPLE.COM", "p"))
	assert.Empty(t, srv.History(), "seeding is not a movement")
}

func TestFakeRarityLevels(t *testing.T) {
	t.Parallel()
	srv := woorewardstest.NewServer()
	defer srv.Close()
	srv.AddAppPassword("u", "p w", woorewardstest.GeneralRead)
	srv.AddUser("a@example.com")
	srv.AddUser("b@example.com")
	srv.AddBadge(1, "B")
	srv.GrantBadge("a@example.com", 1, srv.Certificate().NotBefore)
	srv.SetRarityLevels([]woorewardstest.RarityLevel{{"Common", 100}, {"Half", 50}})
	req, err := http.NewRequestWithContext(context.Background(), http.MethodGet, srv.URL+woorewardstest.Prefix+"badge_rarity/1", nil)
	require.NoError(t, err)
	req.SetBasicAuth("u", "pw")
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var got map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&got))
	assert.Equal(t, map[string]any{"rarity": "Half", "percentage": 50.0}, got, "levels are tried from the rarest")
}
