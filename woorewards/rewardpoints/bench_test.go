package rewardpoints_test

import (
	"fmt"
	"testing"

	"github.com/loyalsync/loyalsync/woorewards/rewardpoints"
	"github.com/loyalsync/loyalsync/woorewards/rewardpoints/rewardpointstest"
)

func benchClient(b *testing.B) (*rewardpointstest.Server, *rewardpoints.Client) {
	srv := rewardpointstest.NewServer()
	b.Cleanup(srv.Close)
	srv.AddAppPassword(admin, adminPW, true)
	srv.AddUser(customer, 0)
	c, err := rewardpoints.NewClient(srv.URL, admin, adminPW, rewardpoints.WithHTTPClient(srv.Client()))
	if err != nil {
		b.Fatal(err)
	}
	return srv, c
}

// BenchmarkAddPoints is one new add: store the operation, POST over TLS to the local fake, record
// the result.
func BenchmarkAddPoints(b *testing.B) {
	_, c := benchClient(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		if _, _, err := c.AddPoints(b.Context(), req(fmt.Sprint("op-", i), 1)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAddPointsReplay is a retry of a done operation: answered from the store, nothing sent.
func BenchmarkAddPointsReplay(b *testing.B) {
	_, c := benchClient(b)
	if _, _, err := c.AddPoints(b.Context(), req("op", 1)); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if res, _, err := c.AddPoints(b.Context(), req("op", 1)); err != nil || !res.Replayed {
			b.Fatal(err)
		}
	}
}
