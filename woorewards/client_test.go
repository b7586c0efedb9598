package woorewards_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/woorewards"
	"github.com/loyalsync/loyalsync/woorewards/woorewardstest"
)

func TestNewClientRefusesPlainHTTPAndBadInput(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		url   string
		creds woorewards.Credentials
		want  string
	}{
		"http with app password": {"http://shop.example.com", woorewards.AppPassword("u", "p"), "refusing to send credentials over plain HTTP"},
		"http with consumer key": {"http://shop.example.com", woorewards.ConsumerKey("ck_1", "cs_1"), "refusing to send credentials over plain HTTP"},
		"no credentials":         {"https://shop.example.com", woorewards.Credentials{}, "credentials are required"},
		"empty password":         {"https://shop.example.com", woorewards.AppPassword("u", ""), "incomplete"},
		"relative URL":           {"shop.example.com", woorewards.AppPassword("u", "p"), "absolute https:// URL"},
		"query in URL":           {"https://shop.example.com/?x=1", woorewards.AppPassword("u", "p"), "must not carry"},
		"user info in URL":       {"https://me:pw@shop.example.com", woorewards.AppPassword("u", "p"), "must not carry"},
		"unparsable URL":         {"https://shop.example.com/%zz", woorewards.AppPassword("u", "p"), "invalid site URL"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := woorewards.NewClient(tc.url, tc.creds)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
			assert.ErrorIs(t, err, woorewards.ErrInvalidArgument, "refused client-side")
			assert.True(t, strings.HasPrefix(err.Error(), "woorewards: new client: "), err.Error())
		})
	}
	_, err := woorewards.NewClient("https://shop.example.com", woorewards.AppPassword("u", "p"), woorewards.WithHTTPClient(nil))
	assert.ErrorIs(t, err, woorewards.ErrInvalidArgument)
	_, err = woorewards.NewClient("https://shop.example.com", woorewards.AppPassword("u", "p"), woorewards.WithRateLimit(-1, 1))
	assert.ErrorContains(t, err, "woorewards: WithRateLimit: ")
	assert.ErrorIs(t, err, woorewards.ErrInvalidArgument)
	_, err = woorewards.NewClient("https://shop.example.com", woorewards.AppPassword("u", "p"), woorewards.WithMaxRetryAfter(-time.Second))
	assert.ErrorContains(t, err, "woorewards: WithMaxRetryAfter: ")
	assert.ErrorIs(t, err, woorewards.ErrInvalidArgument)
	_, err = woorewards.NewClient("https://shop.example.com", woorewards.Credentials{})
	assert.ErrorIs(t, err, woorewards.ErrInvalidArgument)
	_, err = woorewards.NewClient("https://shop.example.com", woorewards.AppPassword("u", "p"), nil, woorewards.WithUserAgent("a/1"), nil)
	assert.NoError(t, err, "nil options are ignored")
}

func TestMaxRetryAfterReturnsTheRateLimit(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t)
	c, err := woorewards.NewClient(srv.URL, woorewards.AppPassword(apiUser, apiPass),
		woorewards.WithHTTPClient(srv.Client()), woorewards.WithMaxRetryAfter(time.Second))
	require.NoError(t, err)
	srv.Faults.Add(faults.Rule{Path: woorewardstest.Prefix + "pools", Times: 1, Status: http.StatusTooManyRequests,
		Header: http.Header{"Retry-After": {"3600"}}})
	_, resp, err := c.Pools.List(t.Context())
	require.ErrorIs(t, err, woorewards.ErrRateLimited)
	assert.Equal(t, 1, resp.Attempts, "an hour is longer than the client waits: the 429 is returned")
}

// WithSleep carries the client's waits: a Retry-After is slept on virtual time, never on a real
// timer.
func TestRetryAfterSleptThroughWithSleep(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t)
	var waits []time.Duration
	sleep := func(ctx context.Context, d time.Duration) error {
		waits = append(waits, d) // the client sleeps on one goroutine per request
		return ctx.Err()
	}
	c, err := woorewards.NewClient(srv.URL, woorewards.AppPassword(apiUser, apiPass), woorewards.WithHTTPClient(srv.Client()),
		woorewards.WithClock(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }), woorewards.WithSleep(sleep))
	require.NoError(t, err)
	srv.Faults.Add(faults.Rule{Path: woorewardstest.Prefix + "pools", Times: 1, Status: http.StatusTooManyRequests,
		Header: http.Header{"Retry-After": {"90"}}})
	_, resp, err := c.Pools.List(t.Context())
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, []time.Duration{90 * time.Second}, waits)
	_, err = woorewards.NewClient(srv.URL, woorewards.AppPassword(apiUser, apiPass), woorewards.WithSleep(nil))
	assert.ErrorIs(t, err, woorewards.ErrInvalidArgument)
	_, err = woorewards.NewClient(srv.URL, woorewards.AppPassword(apiUser, apiPass), woorewards.WithClock(nil))
	assert.ErrorIs(t, err, woorewards.ErrInvalidArgument)
}

func TestDecodeErrorMatchesErrDecode(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.Faults.Add(faults.Rule{Path: woorewardstest.Prefix + "pools", Times: 1, Status: http.StatusOK, Body: `{"id":`})
	_, _, err := c.Pools.List(t.Context())
	require.ErrorIs(t, err, woorewards.ErrDecode)
	assert.NotErrorIs(t, err, woorewards.ErrTransport)
	var de *woorewards.DecodeError
	require.ErrorAs(t, err, &de)
	assert.Equal(t, `{"id":`, string(de.Body))
	assert.Contains(t, err.Error(), "woorewards: list pools: ")
}

func TestBadRequestIsErrBadRequest(t *testing.T) {
	t.Parallel()
	ae := &woorewards.APIError{StatusCode: http.StatusBadRequest, Code: "rest_invalid_param"}
	assert.ErrorIs(t, ae, woorewards.ErrBadRequest)
	assert.NotErrorIs(t, ae, woorewards.ErrInvalidArgument, "the server's refusal is not a client-side one")
	assert.NotErrorIs(t, &woorewards.APIError{StatusCode: http.StatusNotFound}, woorewards.ErrBadRequest)
}

func TestRawRequest(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	req, err := c.NewRequest(http.MethodGet, "badge_rarity/1?context=view", nil)
	require.NoError(t, err)
	var out map[string]any
	resp, err := c.Do(t.Context(), req, &out)
	var ae *woorewards.APIError
	require.ErrorAs(t, err, &ae, "no badge 1 yet: the fake answers 404 through the client's error decoder")
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	assert.ErrorIs(t, err, woorewards.ErrNotFound)

	srv.AddBadge(1, "Early bird")
	req, err = c.NewRequest(http.MethodGet, "badge_rarity/1", nil)
	require.NoError(t, err)
	resp, err = c.Do(t.Context(), req, &out)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, out, "rarity")

	srv.Faults.Add(faults.Rule{Method: http.MethodPut, Times: 1, Status: http.StatusServiceUnavailable})
	req, err = c.NewRequest(http.MethodPut, "points/ann%40example.com/default/5/raw", nil)
	require.NoError(t, err)
	resp, err = c.Do(t.Context(), req, nil)
	require.ErrorIs(t, err, woorewards.ErrServer)
	assert.Equal(t, 1, resp.Attempts, "a raw PUT follows the write retry policy")

	_, err = c.NewRequest(http.MethodGet, "/wp-json/wp/v2/users", nil)
	assert.Error(t, err, "paths are relative to the API base")
}

func TestBaseURLKeepsSubdirectory(t *testing.T) {
	t.Parallel()
	c, err := woorewards.NewClient("https://example.com/shop/", woorewards.AppPassword("u", "p"))
	require.NoError(t, err)
	assert.Equal(t, "https://example.com/shop/wp-json/woorewards/v1/", c.BaseURL().String())
}

func TestPoolsList(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	pools, resp, err := c.Pools.List(t.Context())
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	require.Len(t, pools, 2)
	assert.Equal(t, "default", pools[0].ID)
	assert.Equal(t, "Loyalty", pools[0].Name)
	assert.Equal(t, "stars", pools[0].ReserveID)
	assert.True(t, pools[0].Active)
	assert.Equal(t, "vip", pools[1].ReserveID)
	assert.False(t, pools[1].Active)
	assert.Contains(t, string(pools[0].Raw), `"type":"standard"`, "fields the type does not name are kept in Raw")
}

func TestPoolsEarningMethods(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	methods, _, err := c.Pools.EarningMethods(t.Context(), "default")
	require.NoError(t, err)
	require.Len(t, methods, 1)
	assert.Equal(t, woorewards.EarningMethod{ID: "order", Gain: 10, Title: "Place an order", Raw: methods[0].Raw}, methods[0])

	_, _, err = c.Pools.EarningMethods(t.Context(), "nope")
	assertNotFound(t, err, woorewards.ErrPoolNotFound, woorewards.ResourcePool)
}

func TestRewardsList(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	rewards, _, err := c.Rewards.List(t.Context(), "default")
	require.NoError(t, err)
	require.Len(t, rewards, 2)
	assert.Equal(t, int64(1), rewards[0].ID)
	assert.Equal(t, int64(100), rewards[0].Cost)
	assert.Equal(t, "5 € off", rewards[0].Title)
	assert.Equal(t, "A 5 € coupon", rewards[0].Description)

	_, _, err = c.Rewards.List(t.Context(), "nope")
	assertNotFound(t, err, woorewards.ErrPoolNotFound, woorewards.ResourcePool)
}

func TestPointsGet(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.SetPoints(ann, "default", 42)
	bal, _, err := c.Points.Get(t.Context(), ann, "default")
	require.NoError(t, err)
	assert.Equal(t, "default", bal.PoolID)
	assert.Equal(t, "stars", bal.ReserveID)
	assert.Equal(t, int64(42), bal.Points)

	bal, _, err = c.Points.Get(t.Context(), "ANN@example.com", "default")
	require.NoError(t, err, "WordPress matches emails case-insensitively")
	assert.Equal(t, int64(42), bal.Points)

	_, _, err = c.Points.Get(t.Context(), "nobody@example.com", "default")
	assertNotFound(t, err, woorewards.ErrUserNotFound, woorewards.ResourceUser)
	_, _, err = c.Points.Get(t.Context(), ann, "nope")
	assertNotFound(t, err, woorewards.ErrPoolNotFound, woorewards.ResourcePool)
}

func TestPoolsSharingAReserveShareBalances(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.AddPool(woorewardstest.Pool{ID: "summer", ReserveID: "stars", Active: true})
	_, _, err := c.Points.Add(t.Context(), ann, "default", 30, "order #1")
	require.NoError(t, err)
	bal, _, err := c.Points.Get(t.Context(), ann, "summer")
	require.NoError(t, err)
	assert.Equal(t, int64(30), bal.Points)
}

func TestPointsAddSubtractAndAdjust(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	up, resp, err := c.Points.Add(t.Context(), ann, "default", 70, "Welcome bonus")
	require.NoError(t, err)
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, int64(70), up.Points)
	assert.Equal(t, "stars", up.ReserveID)
	assert.Zero(t, up.RewardsUnlocked)

	up, _, err = c.Points.Subtract(t.Context(), ann, "default", 20, "Correction")
	require.NoError(t, err)
	assert.Equal(t, int64(50), up.Points)

	up, _, err = c.Points.Adjust(t.Context(), ann, "default", -80, "Refund of order #9")
	require.NoError(t, err)
	assert.Equal(t, int64(-30), up.Points, "WooRewards does not stop a subtraction at zero")

	h := srv.History()
	require.Len(t, h, 3)
	assert.Equal(t, []int64{70, -20, -80}, []int64{h[0].Delta, h[1].Delta, h[2].Delta})
	assert.Equal(t, "Correction", h[1].Reason)

	_, _, err = c.Points.Add(t.Context(), "nobody@example.com", "default", 5, "x")
	assertNotFound(t, err, woorewards.ErrUserNotFound, woorewards.ResourceUser)
	_, _, err = c.Points.Subtract(t.Context(), ann, "nope", 5, "x")
	assertNotFound(t, err, woorewards.ErrPoolNotFound, woorewards.ResourcePool)
}

func TestPathSegmentsAreEscaped(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	odd := "a+b/c?d#e@example.com"
	srv.AddUser(odd)
	srv.AddPool(woorewardstest.Pool{ID: "pool/../x y", Active: true})
	reason := "Order #12/3 — 50% off? ünïcode & more"
	up, _, err := c.Points.Add(t.Context(), odd, "pool/../x y", 9, reason)
	require.NoError(t, err)
	assert.Equal(t, int64(9), up.Points)
	h := srv.History()
	require.Len(t, h, 1)
	assert.Equal(t, reason, h[0].Reason)
	assert.Equal(t, odd, h[0].Email)

	// The wire form: each value is one escaped segment and the amount keeps its minus sign.
	var got string
	rec := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = r.URL.EscapedPath()
		_, _ = w.Write([]byte(`{"id":"p","points":"p","value":1,"rewards":0}`))
	}))
	defer rec.Close()
	c2, err := woorewards.NewClient(rec.URL, woorewards.AppPassword("u", "p"), woorewards.WithHTTPClient(rec.Client()))
	require.NoError(t, err)
	_, _, err = c2.Points.Subtract(t.Context(), "a/b@x.com", "p", 5, "a b/c")
	require.NoError(t, err)
	assert.Equal(t, "/wp-json/woorewards/v1/points/a%2Fb%40x.com/p/-5/a%20b%2Fc", got)
}

func TestPointsParamErrorsSendNothing(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()
	for name, call := range map[string]func() error{
		"zero adjust":     func() error { _, _, err := c.Points.Adjust(ctx, ann, "default", 0, "x"); return err },
		"negative add":    func() error { _, _, err := c.Points.Add(ctx, ann, "default", -5, "x"); return err },
		"zero subtract":   func() error { _, _, err := c.Points.Subtract(ctx, ann, "default", 0, "x"); return err },
		"empty reason":    func() error { _, _, err := c.Points.Add(ctx, ann, "default", 5, " "); return err },
		"empty email":     func() error { _, _, err := c.Points.Get(ctx, "", "default"); return err },
		"not an email":    func() error { _, _, err := c.Points.Get(ctx, "ann", "default"); return err },
		"control char":    func() error { _, _, err := c.Points.Add(ctx, ann, "default", 5, "a\nb"); return err },
		"empty pool":      func() error { _, _, err := c.Rewards.List(ctx, ""); return err },
		"empty pool (2)":  func() error { _, _, err := c.Pools.EarningMethods(ctx, ""); return err },
		"reward id 0":     func() error { _, _, err := c.Rewards.Unlock(ctx, "default", 0, ann); return err },
		"badge id 0":      func() error { _, _, err := c.Badges.Owners(ctx, 0); return err },
		"badge id -1":     func() error { _, _, err := c.Badges.Rarity(ctx, -1); return err },
		"badges no email": func() error { _, _, err := c.Badges.ListForUser(ctx, ""); return err },
	} {
		err := call()
		require.Error(t, err, name)
		assert.ErrorIs(t, err, woorewards.ErrInvalidArgument, name)
		var pe *woorewards.ParamError
		assert.True(t, errors.As(err, &pe), name)
	}
	assert.Empty(t, srv.History())
	assert.Zero(t, srv.Faults.Injected())
}

func TestAddCanUnlockRewardsAutomatically(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.AddPool(woorewardstest.Pool{ID: "auto", Active: true, AutoUnlock: true})
	srv.AddReward("auto", woorewardstest.Reward{ID: 7, Cost: 50, Title: "Mug"})
	up, _, err := c.Points.Add(t.Context(), ann, "auto", 120, "Big order")
	require.NoError(t, err)
	assert.Equal(t, int64(2), up.RewardsUnlocked)
	assert.Equal(t, int64(20), up.Points, "the unlocked rewards' cost is consumed at once")
	assert.Len(t, srv.Unlocked(), 2)
}

func TestRewardsUnlock(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.SetPoints(ann, "default", 150)
	srv.SetPoints(ann, "vip", 1000)
	ctx := t.Context()

	u, _, err := c.Rewards.Unlock(ctx, "default", 1, ann)
	require.NoError(t, err)
	assert.Equal(t, int64(50), u.Balance.Points)
	assert.Equal(t, "default", u.Balance.PoolID)
	assert.Equal(t, "stars", u.Balance.ReserveID)
	assert.Equal(t, int64(1), u.Balance.RewardsUnlocked)
	assert.Equal(t, int64(1), u.Reward.ID)
	assert.Equal(t, int64(100), u.Reward.Cost)
	assert.Equal(t, "5 € off", u.Reward.Title)
	assert.Equal(t, []woorewardstest.UnlockedReward{{Email: ann, PoolID: "default", RewardID: 1}}, srv.Unlocked())

	_, _, err = c.Rewards.Unlock(ctx, "default", 1, "nobody@example.com")
	assertNotFound(t, err, woorewards.ErrUserNotFound, woorewards.ResourceUser)
	_, _, err = c.Rewards.Unlock(ctx, "nope", 1, ann)
	assertNotFound(t, err, woorewards.ErrPoolNotFound, woorewards.ResourcePool)
	_, _, err = c.Rewards.Unlock(ctx, "default", 99, ann)
	assertNotFound(t, err, woorewards.ErrRewardNotFound, woorewards.ResourceReward)

	_, _, err = c.Rewards.Unlock(ctx, "vip", 3, ann)
	require.ErrorIs(t, err, woorewards.ErrPoolInactive)
	assert.NotErrorIs(t, err, woorewards.ErrNotFound)
	assert.Equal(t, http.StatusGone, apiError(t, err).StatusCode)

	_, _, err = c.Rewards.Unlock(ctx, "default", 2, ann) // costs 500, ann has 50
	require.ErrorIs(t, err, woorewards.ErrConditionsNotMet)
	assert.Equal(t, http.StatusConflict, apiError(t, err).StatusCode)
	assert.Equal(t, int64(50), srv.Points(ann, "default"), "a refused unlock spends nothing")
	assert.Len(t, srv.Unlocked(), 1)
}

func TestBadges(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	bob := "bob@example.com"
	bobID := srv.AddUser(bob)
	annID := srv.AddUser(ann)
	for i := range 8 {
		srv.AddUser(strings.Repeat("x", i+1) + "@example.com")
	}
	srv.AddBadge(11, "Early bird")
	srv.AddBadge(12, "Reviewer")
	at := time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)
	srv.GrantBadge(ann, 11, at)
	srv.GrantBadge(bob, 11, at.Add(time.Hour))
	srv.GrantBadge(ann, 12, at.Add(2*time.Hour))
	ctx := t.Context()

	badges, _, err := c.Badges.ListForUser(ctx, ann)
	require.NoError(t, err)
	require.Len(t, badges, 2)
	assert.Equal(t, int64(11), badges[0].BadgeID)
	assert.Equal(t, at, badges[0].AssignedAt.In(time.UTC))
	assert.Equal(t, int64(12), badges[1].BadgeID)
	_, _, err = c.Badges.ListForUser(ctx, "nobody@example.com")
	assertNotFound(t, err, woorewards.ErrUserNotFound, woorewards.ResourceUser)

	owners, _, err := c.Badges.Owners(ctx, 11)
	require.NoError(t, err)
	assert.ElementsMatch(t, []int64{annID, bobID}, owners)
	_, _, err = c.Badges.Owners(ctx, 99)
	assertNotFound(t, err, woorewards.ErrBadgeNotFound, woorewards.ResourceBadge)

	r, _, err := c.Badges.Rarity(ctx, 12) // 1 owner of 10 users = 10% → Rare (≤ 15%)
	require.NoError(t, err)
	assert.Equal(t, "Rare", r.Rarity)
	assert.InDelta(t, 15.0, r.Percentage, 1e-9)
	r, _, err = c.Badges.Rarity(ctx, 11) // 20% → Uncommon (≤ 35%)
	require.NoError(t, err)
	assert.Equal(t, "Uncommon", r.Rarity)
	_, _, err = c.Badges.Rarity(ctx, 99)
	assertNotFound(t, err, woorewards.ErrBadgeNotFound, woorewards.ResourceBadge)
}

func TestConsumerKeyAuth(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t)
	srv.AddConsumerKey("ck_good", "cs_good", readOnly)
	c := newClient(t, srv, woorewards.ConsumerKey("ck_good", "cs_good"))
	pools, _, err := c.Pools.List(t.Context())
	require.NoError(t, err)
	assert.Len(t, pools, 2)

	bad := newClient(t, srv, woorewards.ConsumerKey("ck_good", "cs_wrong"))
	_, _, err = bad.Pools.List(t.Context())
	require.ErrorIs(t, err, woorewards.ErrUnauthorized)
	ae := apiError(t, err)
	assert.Equal(t, "woocommerce_rest_authentication_error", ae.Code)
	assert.Contains(t, ae.Hint, "Allow authentication by WooCommerce REST API")
	assert.NotContains(t, err.Error(), "cs_wrong")
}

const readOnly = woorewardstest.GeneralRead

func TestAuthErrors(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t)
	srv.AddAppPassword("reader", "pw", woorewardstest.GeneralRead)
	ctx := t.Context()

	wrong := newClient(t, srv, woorewards.AppPassword(apiUser, "wrong"))
	_, _, err := wrong.Pools.List(ctx)
	require.ErrorIs(t, err, woorewards.ErrUnauthorized)
	ae := apiError(t, err)
	assert.Equal(t, "incorrect_password", ae.Code)
	assert.Contains(t, ae.Hint, "application password")

	unknown := newClient(t, srv, woorewards.AppPassword("ghost", "pw"))
	_, _, err = unknown.Pools.List(ctx)
	require.ErrorIs(t, err, woorewards.ErrUnauthorized)

	reader := newClient(t, srv, woorewards.AppPassword("reader", "pw"))
	_, _, err = reader.Pools.List(ctx)
	require.NoError(t, err)
	_, _, err = reader.Points.Get(ctx, ann, "default")
	require.ErrorIs(t, err, woorewards.ErrForbidden)
	assert.Contains(t, apiError(t, err).Hint, "permission")
	_, _, err = reader.Points.Add(ctx, ann, "default", 5, "x")
	require.ErrorIs(t, err, woorewards.ErrForbidden)
	_, _, err = reader.Badges.Owners(ctx, 1)
	require.ErrorIs(t, err, woorewards.ErrForbidden)
	assert.Empty(t, srv.History())
}

func TestFakeIgnoresCredentialsWithoutTLS(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t)
	plain := httptest.NewServer(srv.Config.Handler) // the same site, served without TLS
	defer plain.Close()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, plain.URL+woorewardstest.Prefix+"pools", nil)
	require.NoError(t, err)
	req.SetBasicAuth(apiUser, apiPass)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "WordPress disables application passwords without HTTPS")

	resp, err = plain.Client().Get(plain.URL + woorewardstest.Prefix + "pools?consumer_key=ck&consumer_secret=cs")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
}

func TestAPIDisabledIsErrNoRoute(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	srv.SetAPIEnabled(false)
	_, _, err := c.Pools.List(t.Context())
	require.ErrorIs(t, err, woorewards.ErrNoRoute)
	assert.NotErrorIs(t, err, woorewards.ErrNotFound)
	ae := apiError(t, err)
	assert.Equal(t, woorewards.ResourceUnknown, ae.NotFound)
	assert.Contains(t, ae.Hint, "Enable REST API")
	_, _, err = c.Points.Get(t.Context(), ann, "default")
	require.ErrorIs(t, err, woorewards.ErrNoRoute)
	assert.NotErrorIs(t, err, woorewards.ErrUserNotFound)
}

func TestReadsAreRetriedWritesAreNot(t *testing.T) {
	t.Parallel()
	srv, c := newFake(t)
	ctx := t.Context()

	srv.Faults.Add(faults.Rule{Method: http.MethodGet, Path: woorewardstest.Prefix + "pools", Times: 1, Status: http.StatusServiceUnavailable})
	_, resp, err := c.Pools.List(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)

	// net/http itself may resend a GET once on a reused connection; two drops need our retry.
	srv.Faults.Add(faults.Rule{Method: http.MethodGet, Path: woorewardstest.Prefix + "points/*", Times: 2, Drop: true})
	_, resp, err = c.Points.Get(ctx, ann, "default")
	require.NoError(t, err)
	assert.GreaterOrEqual(t, resp.Attempts, 2)

	srv.Faults.Add(faults.Rule{Method: http.MethodPut, Path: woorewardstest.Prefix + "points/*", Times: 1, Status: http.StatusBadGateway})
	_, resp, err = c.Points.Add(ctx, ann, "default", 10, "x")
	require.ErrorIs(t, err, woorewards.ErrServer)
	assert.Equal(t, 1, resp.Attempts, "a PUT is not sent again after a 502")
	assert.Empty(t, srv.History())

	// Applied, then the response is lost: the client must not send it again.
	srv.Faults.Add(faults.Rule{Method: http.MethodPut, Path: woorewardstest.Prefix + "points/*", Times: 1, ApplyThenDrop: true})
	_, _, err = c.Points.Add(ctx, ann, "default", 10, "lost response")
	require.ErrorIs(t, err, woorewards.ErrTransport)
	var te *woorewards.TransportError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, 1, te.Attempts)
	assert.True(t, te.MayHaveReachedServer(), "the request left: it may have been applied")
	assert.Contains(t, err.Error(), "woorewards: adjust points of")
	assert.Len(t, srv.History(), 1, "applied once, not retried")
	assert.Equal(t, int64(10), srv.Points(ann, "default"))

	srv.SetPoints(ann, "default", 200)
	srv.Faults.Add(faults.Rule{Method: http.MethodPut, Path: woorewardstest.Prefix + "pools/*", Times: 1, ApplyThenDrop: true})
	_, _, err = c.Rewards.Unlock(ctx, "default", 1, ann)
	require.Error(t, err)
	assert.Len(t, srv.Unlocked(), 1, "an unlock whose response was lost is not sent again")

	// A 429 is sent before anything is applied, so writes are retried on it.
	srv.Faults.Add(faults.Rule{Method: http.MethodPut, Path: woorewardstest.Prefix + "points/*", Times: 1, Status: 429, Header: http.Header{"Retry-After": {"0"}}})
	up, resp, err := c.Points.Add(ctx, ann, "default", 1, "after 429")
	require.NoError(t, err)
	assert.Equal(t, 2, resp.Attempts)
	assert.Equal(t, int64(101), up.Points)
}

func TestCredentialsAreNotLogged(t *testing.T) {
	t.Parallel()
	srv, _ := newFake(t)
	srv.AddConsumerKey("ck_secretkey", "cs_topsecret", woorewardstest.AllPermissions)
	var logs bytes.Buffer
	c, err := woorewards.NewClient(srv.URL, woorewards.ConsumerKey("ck_secretkey", "cs_topsecret"),
		woorewards.WithHTTPClient(srv.Client()),
		woorewards.WithRetry(0, 0, 0),
		woorewards.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	require.NoError(t, err)
	_, _, err = c.Pools.List(t.Context())
	require.NoError(t, err)
	srv.Faults.Add(faults.Rule{Drop: true})
	_, _, err = c.Pools.List(t.Context())
	require.Error(t, err)
	srv.Faults.Reset()
	assert.NotContains(t, err.Error(), "cs_topsecret")
	assert.NotEmpty(t, logs.String())
	assert.NotContains(t, logs.String(), "cs_topsecret")
	assert.NotContains(t, logs.String(), "ck_secretkey")
}

func TestCanceledContext(t *testing.T) {
	t.Parallel()
	_, c := newFake(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, _, err := c.Pools.List(ctx)
	require.ErrorIs(t, err, context.Canceled)
}

func assertNotFound(t *testing.T, err error, sentinel error, which woorewards.Resource) {
	t.Helper()
	require.ErrorIs(t, err, sentinel)
	require.ErrorIs(t, err, woorewards.ErrNotFound)
	assert.NotErrorIs(t, err, woorewards.ErrNoRoute)
	ae := apiError(t, err)
	assert.Equal(t, http.StatusNotFound, ae.StatusCode)
	assert.Equal(t, which, ae.NotFound)
	assert.Contains(t, ae.Error(), string(which)+" not found")
}

func apiError(t *testing.T, err error) *woorewards.APIError {
	t.Helper()
	var ae *woorewards.APIError
	require.True(t, errors.As(err, &ae), "want *APIError, got %T: %v", err, err)
	return ae
}
