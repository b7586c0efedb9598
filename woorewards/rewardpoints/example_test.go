package rewardpoints_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"

	"github.com/loyalsync/loyalsync/internal/faults"
	"github.com/loyalsync/loyalsync/woorewards/rewardpoints"
	"github.com/loyalsync/loyalsync/woorewards/rewardpoints/rewardpointstest"
)

// Add points once per operation id, even when the caller retries.
func Example() {
	site := rewardpointstest.NewServer()
	defer site.Close()
	site.AddAppPassword("shop-manager", "abcd efgh ijkl", true)
	site.AddUser(123, 1170)

	client, err := rewardpoints.NewClient(site.URL, "shop-manager", "abcd efgh ijkl",
		rewardpoints.WithHTTPClient(site.Client())) // the fake's TLS certificate
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	req := rewardpoints.AddRequest{OperationID: "order-1001-bonus", UserID: 123, Points: 250, Message: "Spring bonus"}

	res, _, err := client.AddPoints(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("new total:", res.NewTotal, "replayed:", res.Replayed)

	res, _, err = client.AddPoints(ctx, req) // a retry: nothing is sent
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("new total:", res.NewTotal, "replayed:", res.Replayed)
	fmt.Println("adds on the server:", len(site.Log()))
	// Output:
	// new total: 1420 replayed: false
	// new total: 1420 replayed: true
	// adds on the server: 1
}

// When the response is lost after the server added the points, the client does not guess: it
// reports the outcome as unknown and refuses to resend until the operation is resolved.
func ExampleClient_ResolveUnknown() {
	site := rewardpointstest.NewServer()
	defer site.Close()
	site.AddAppPassword("shop-manager", "pw", true)
	site.AddUser(123, 0)
	site.Faults.Add(faults.Rule{Method: http.MethodPost, Times: 1, ApplyThenDrop: true})

	client, err := rewardpoints.NewClient(site.URL, "shop-manager", "pw",
		rewardpoints.WithHTTPClient(site.Client()), rewardpoints.WithOperationIDInMessage())
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	req := rewardpoints.AddRequest{OperationID: "review-77", UserID: 123, Points: 50, Message: "Review bonus"}

	_, _, err = client.AddPoints(ctx, req)
	fmt.Println("unknown:", errors.Is(err, rewardpoints.ErrOutcomeUnknown))
	_, _, err = client.AddPoints(ctx, req)
	fmt.Println("retry refused:", errors.Is(err, rewardpoints.ErrOutcomeUnknown))

	// The operator finds "Review bonus [op:review-77]" in the user's points log.
	fmt.Println("points log:", site.Log()[0].Message)
	if err := client.ResolveUnknown(ctx, "review-77", true); err != nil {
		log.Fatal(err)
	}
	res, _, err := client.AddPoints(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	total, _ := site.Points(123)
	fmt.Println("replayed:", res.Replayed, "balance:", total)
	// Output:
	// unknown: true
	// retry refused: true
	// points log: Review bonus [op:review-77]
	// replayed: true balance: 50
}

// The add-points API identifies users by WordPress user id only. A WordPress route the client does
// not model — here the core users route, to find the id of an email — is called with NewRequest
// and Do, with the client's application password, retries and pacing. (A test server stands in
// for the site's WordPress core API.)
func ExampleClient_Do() {
	site := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if user, _, ok := r.BasicAuth(); !ok || user != "shop-manager" || r.URL.Path != "/wp-json/wp/v2/users" {
			http.Error(w, `{"code":"rest_forbidden","message":"Sorry."}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `[{"id":123,"name":"Ann","search":%q}]`, r.URL.Query().Get("search"))
	}))
	defer site.Close()

	client, err := rewardpoints.NewClient(site.URL, "shop-manager", "abcd efgh ijkl",
		rewardpoints.WithHTTPClient(site.Client()))
	if err != nil {
		log.Fatal(err)
	}
	req, err := client.NewRequest(http.MethodGet, "wp-json/wp/v2/users?context=edit&search="+url.QueryEscape("ann@example.com"), nil)
	if err != nil {
		log.Fatal(err)
	}
	var users []struct {
		ID     int64  `json:"id"`
		Search string `json:"search"`
	}
	if _, err := client.Do(context.Background(), req, &users); err != nil {
		log.Fatal(err)
	}
	fmt.Println(users[0].ID, users[0].Search)
	// Output:
	// 123 ann@example.com
}
