package woorewards_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/loyalsync/loyalsync/woorewards"
	"github.com/loyalsync/loyalsync/woorewards/woorewardstest"
)

// The client against the fake WooRewards site: list the pools, add points, unlock a reward.
func Example() {
	site := woorewardstest.NewServer()
	defer site.Close()
	site.AddAppPassword("api-user", "abcd efgh ijkl", woorewardstest.AllPermissions)
	site.AddUser("ann@example.com")
	site.AddPool(woorewardstest.Pool{ID: "default", Name: "Loyalty", ReserveID: "stars", Active: true})
	site.AddReward("default", woorewardstest.Reward{ID: 1, Cost: 100, Title: "5 € off"})

	ctx := context.Background()
	client, err := woorewards.NewClient(site.URL, woorewards.AppPassword("api-user", "abcd efgh ijkl"),
		woorewards.WithHTTPClient(site.Client())) // the fake's TLS certificate
	if err != nil {
		log.Fatal(err)
	}

	pools, _, err := client.Pools.List(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, p := range pools {
		fmt.Printf("pool %s %q on reserve %s, active %v\n", p.ID, p.Name, p.ReserveID, p.Active)
	}

	up, _, err := client.Points.Add(ctx, "ann@example.com", "default", 120, "Order #1001")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("balance:", up.Points)

	unlock, _, err := client.Rewards.Unlock(ctx, "default", 1, "ann@example.com")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("unlocked %q, balance: %d\n", unlock.Reward.Title, unlock.Balance.Points)

	_, _, err = client.Rewards.Unlock(ctx, "default", 1, "ann@example.com")
	fmt.Println("again:", errors.Is(err, woorewards.ErrConditionsNotMet))

	_, _, err = client.Points.Get(ctx, "bob@example.com", "default")
	var apiErr *woorewards.APIError
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.StatusCode, apiErr.NotFound, "not found")
	}
	// Output:
	// pool default "Loyalty" on reserve stars, active true
	// balance: 120
	// unlocked "5 € off", balance: 20
	// again: true
	// 404 user not found
}

// Consumer keys of WooCommerce can log in instead of an application password, over HTTPS, when
// "Allow authentication by WooCommerce REST API" is on in WooRewards → System → API.
func ExampleConsumerKey() {
	site := woorewardstest.NewServer()
	defer site.Close()
	site.AddConsumerKey("ck_example", "cs_example", woorewardstest.GeneralRead)
	site.AddPool(woorewardstest.Pool{ID: "default", Active: true})
	site.AddEarningMethod("default", woorewardstest.EarningMethod{ID: "review", Gain: 25, Title: "Product review"})

	client, err := woorewards.NewClient(site.URL, woorewards.ConsumerKey("ck_example", "cs_example"),
		woorewards.WithHTTPClient(site.Client()))
	if err != nil {
		log.Fatal(err)
	}
	methods, _, err := client.Pools.EarningMethods(context.Background(), "default")
	if err != nil {
		log.Fatal(err)
	}
	for _, m := range methods {
		fmt.Printf("%s: %d points\n", m.Title, m.Gain)
	}
	// Output:
	// Product review: 25 points
}

// A route the client does not model, called with the client's credentials, retries and pacing:
// NewRequest takes a path relative to the API base URL, Do decodes the answer.
func ExampleClient_Do() {
	site := woorewardstest.NewServer()
	defer site.Close()
	site.AddAppPassword("api-user", "abcd efgh ijkl", woorewardstest.AllPermissions)
	site.AddBadge(7, "Early bird")

	client, err := woorewards.NewClient(site.URL, woorewards.AppPassword("api-user", "abcd efgh ijkl"),
		woorewards.WithHTTPClient(site.Client()))
	if err != nil {
		log.Fatal(err)
	}
	req, err := client.NewRequest(http.MethodGet, "badge_rarity/7", nil)
	if err != nil {
		log.Fatal(err)
	}
	var rarity struct {
		Rarity string `json:"rarity"`
	}
	resp, err := client.Do(context.Background(), req, &rarity)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, rarity.Rarity)
	// Output:
	// 200 Legendary
}
