package rewardpoints_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

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

	res, err := client.AddPoints(ctx, req)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("new total:", res.NewTotal, "replayed:", res.Replayed)

	res, err = client.AddPoints(ctx, req) // a retry: nothing is sent
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

	_, err = client.AddPoints(ctx, req)
	fmt.Println("unknown:", errors.Is(err, rewardpoints.ErrOutcomeUnknown))
	_, err = client.AddPoints(ctx, req)
	fmt.Println("retry refused:", errors.Is(err, rewardpoints.ErrOutcomeUnknown))

	// The operator finds "Review bonus [op:review-77]" in the user's points log.
	fmt.Println("points log:", site.Log()[0].Message)
	if err := client.ResolveUnknown(ctx, "review-77", true); err != nil {
		log.Fatal(err)
	}
	res, err := client.AddPoints(ctx, req)
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
