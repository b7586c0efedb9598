package woorewards

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/wp"
)

func TestDecodersAcceptTheFormsPHPSends(t *testing.T) {
	t.Parallel()
	var pools wp.List[Pool]
	require.NoError(t, json.Unmarshal([]byte(`{"3":{"id":3,"name":"A","points":7,"active":"1","extra":{"x":1}},
		"5":{"id":"vip","name":"B","points":"vip","active":"off"}}`), &pools))
	require.Len(t, pools, 2)
	assert.Equal(t, "3", pools[0].ID, "a numeric id becomes a string")
	assert.Equal(t, "7", pools[0].ReserveID)
	assert.True(t, pools[0].Active)
	assert.JSONEq(t, `{"id":3,"name":"A","points":7,"active":"1","extra":{"x":1}}`, string(pools[0].Raw))
	assert.Equal(t, "vip", pools[1].ID, "object members keep document order")
	assert.False(t, pools[1].Active)

	var rewards wp.List[Reward]
	require.NoError(t, json.Unmarshal([]byte(`[{"id":"12","cost":"250","title":"T","description":null}]`), &rewards))
	assert.Equal(t, int64(12), rewards[0].ID)
	assert.Equal(t, int64(250), rewards[0].Cost)
	assert.Empty(t, rewards[0].Description)

	var m EarningMethod
	require.NoError(t, json.Unmarshal([]byte(`{"id":9,"gain":"10.0","title":"T"}`), &m))
	assert.Equal(t, "9", m.ID)
	assert.Equal(t, int64(10), m.Gain)

	var up BalanceUpdate
	require.NoError(t, json.Unmarshal([]byte(`{"id":"default","points":"stars","value":"-15","rewards":"2","new":true}`), &up))
	assert.Equal(t, int64(-15), up.Points)
	assert.Equal(t, int64(2), up.RewardsUnlocked)

	var u Unlock
	require.NoError(t, json.Unmarshal([]byte(`{"points":{"id":"p","points":"r","value":5,"rewards":1},"reward":{"id":1,"cost":10,"title":"t","description":"d"},"coupon":"X"}`), &u))
	assert.Equal(t, int64(5), u.Balance.Points)
	assert.Equal(t, int64(10), u.Reward.Cost)

	var badges wp.List[UserBadge]
	require.NoError(t, json.Unmarshal([]byte(`[{"badge_id":"4","assign_date":"2025-01-02 03:04:05"},
		{"badge_id":5,"assign_date":1735787045},{"badge_id":6,"assign_date":null}]`), &badges))
	assert.Equal(t, time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), badges[0].AssignedAt.In(time.UTC))
	assert.Equal(t, time.Unix(1735787045, 0).UTC(), badges[1].AssignedAt.In(time.FixedZone("x", 3600)), "a Unix time is an exact instant")
	assert.True(t, badges[2].AssignedAt.IsZero())

	var r BadgeRarity
	require.NoError(t, json.Unmarshal([]byte(`{"rarity":"Epic","percentage":"5.5"}`), &r))
	assert.InDelta(t, 5.5, r.Percentage, 1e-12)

	var owners wp.List[wp.Int]
	require.NoError(t, json.Unmarshal([]byte(`["1",2,null]`), &owners))
	assert.Equal(t, wp.List[wp.Int]{1, 2, 0}, owners)
	require.NoError(t, json.Unmarshal([]byte(`null`), &owners))
	assert.NotNil(t, owners)
	assert.Empty(t, owners)
}

func TestDecodersRejectWhatTheyCannotRepresent(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		into any
		json string
	}{
		"fractional cost":  {new(Reward), `{"id":1,"cost":2.5}`},
		"text cost":        {new(Reward), `{"id":1,"cost":"a lot"}`},
		"huge value":       {new(Balance), `{"value":1e30}`},
		"object as id":     {new(Pool), `{"id":{"a":1}}`},
		"bool as id":       {new(Pool), `{"id":true}`},
		"odd boolean":      {new(Pool), `{"id":"a","active":"maybe"}`},
		"bad date":         {new(UserBadge), `{"badge_id":1,"assign_date":"yesterday"}`},
		"bad date number":  {new(UserBadge), `{"badge_id":1,"assign_date":1.5}`},
		"string as list":   {new(wp.List[Pool]), `"pools"`},
		"bad percentage":   {new(BadgeRarity), `{"percentage":"NaN"}`},
		"array as balance": {new(Balance), `[1]`},
	} {
		err := json.Unmarshal([]byte(tc.json), tc.into)
		assert.Error(t, err, name)
	}
}

func TestWhichNotFound(t *testing.T) {
	t.Parallel()
	all := []Resource{ResourceUser, ResourcePool, ResourceReward}
	for _, tc := range []struct {
		code, message string
		candidates    []Resource
		want          Resource
	}{
		{"anything", "", []Resource{ResourcePool}, ResourcePool},
		{"rest_no_route", "No route", []Resource{ResourcePool}, ResourceUnknown},
		{"woorewards_user_not_found", "", all, ResourceUser},
		{"lws_woorewards_unknown_reward", "", all, ResourceReward},
		{"not_found", "Unknown points and rewards system", all, ResourcePool},
		{"not_found", "Loyalty system 'x' not found", all, ResourcePool},
		{"not_found", "Reward 7 not found in pool default", all, ResourceReward},
		{"not_found", "No user with this email", all, ResourceUser},
		{"", "Not Found", all, ResourceUnknown},
		{"", "badge missing", all, ResourceUnknown},
		{"", "Unknown badge", []Resource{ResourceBadge, ResourceUser}, ResourceBadge},
	} {
		assert.Equal(t, tc.want, whichNotFound(tc.code, tc.message, tc.candidates), "%q %q", tc.code, tc.message)
	}
}

func TestAPIErrorFromNonWordPressBody(t *testing.T) {
	t.Parallel()
	e := newAPIError(502, []byte("<html>Bad gateway</html>"), authAppPassword)
	assert.Equal(t, "Bad Gateway", e.Message)
	assert.Empty(t, e.Code)
	assert.ErrorIs(t, e, ErrServer)
	assert.Equal(t, "502: Bad Gateway", e.Error())

	e = newAPIError(404, []byte("\xef\xbb\xbf{\"code\":\"x\",\"message\":\"gone\",\"data\":{\"status\":404}}"), authConsumerKey)
	assert.Equal(t, "x", e.Code, "a UTF-8 BOM before the JSON is ignored")
	assert.JSONEq(t, `{"status":404}`, string(e.Data))
	assert.ErrorIs(t, e, ErrNotFound)
	assert.NotErrorIs(t, e, ErrUserNotFound)
}

func FuzzDecoders(f *testing.F) {
	for _, s := range []string{
		`[{"id":1,"name":"a","points":"b","active":true}]`,
		`{"1":{"id":"x"}}`,
		`{"id":"p","points":"r","value":"5","rewards":1}`,
		`{"points":{"value":1},"reward":{"id":"2","cost":3}}`,
		`[{"badge_id":1,"assign_date":"2024-01-01 00:00:00"}]`,
		`{"rarity":"Rare","percentage":"15"}`,
		`["1",2]`, `null`, `"x"`, `{}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_ = json.Unmarshal(data, new(wp.List[Pool]))
		_ = json.Unmarshal(data, new(wp.List[EarningMethod]))
		_ = json.Unmarshal(data, new(wp.List[Reward]))
		_ = json.Unmarshal(data, new(wp.List[UserBadge]))
		_ = json.Unmarshal(data, new(wp.List[wp.Int]))
		_ = json.Unmarshal(data, new(Unlock))
		_ = json.Unmarshal(data, new(BadgeRarity))
		e := newAPIError(404, data, authAppPassword)
		e.NotFound = whichNotFound(e.Code, e.Message, []Resource{ResourceUser, ResourcePool, ResourceReward})
		_ = e.Error()
	})
}
