package woorewards_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woorewards"
	"github.com/loyalsync/loyalsync/woorewards/woorewardstest"
)

const (
	apiUser = "api-user"
	apiPass = "abcd efgh ijkl mnop"
	ann     = "ann@example.com"
)

// newFake starts a fake site with an API user holding every permission, a user ann, an active
// pool "default" (rewards 1 and 2, one earning method) and an inactive pool "vip" on its own
// reserve, and returns it with a client that retries fast.
func newFake(t *testing.T) (*woorewardstest.Server, *woorewards.Client) {
	t.Helper()
	srv := woorewardstest.NewServer()
	t.Cleanup(srv.Close)
	srv.AddAppPassword(apiUser, apiPass, woorewardstest.AllPermissions)
	srv.AddUser(ann)
	srv.AddPool(woorewardstest.Pool{ID: "default", Name: "Loyalty", ReserveID: "stars", Active: true})
	srv.AddPool(woorewardstest.Pool{ID: "vip", Name: "VIP club", Active: false})
	srv.AddEarningMethod("default", woorewardstest.EarningMethod{ID: "order", Gain: 10, Title: "Place an order"})
	srv.AddReward("default", woorewardstest.Reward{ID: 1, Cost: 100, Title: "5 € off", Description: "A 5 € coupon"})
	srv.AddReward("default", woorewardstest.Reward{ID: 2, Cost: 500, Title: "Free shipping"})
	srv.AddReward("vip", woorewardstest.Reward{ID: 3, Cost: 10, Title: "VIP gift"})
	return srv, newClient(t, srv, woorewards.AppPassword(apiUser, apiPass))
}

func newClient(t *testing.T, srv *woorewardstest.Server, creds woorewards.Credentials) *woorewards.Client {
	t.Helper()
	c, err := woorewards.NewClient(srv.URL, creds,
		woorewards.WithHTTPClient(srv.Client()),
		woorewards.WithRetry(3, time.Millisecond, 5*time.Millisecond))
	require.NoError(t, err)
	return c
}
