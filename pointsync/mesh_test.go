package pointsync_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/pointsync"
	"github.com/loyalsync/loyalsync/pointsync/pointsynctest"
)

// TestMeshConvergesUnderFaults runs three sites in a full mesh whose networks drop requests, lose
// responses, answer 503, duplicate and reorder deliveries, with one site down for a while. In the
// end every movement is on every site exactly once, nothing was echoed, expirations stayed local,
// and balances agree.
func TestMeshConvergesUnderFaults(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed ", seed), func(t *testing.T) {
			ctx := t.Context()
			clock := pointsynctest.NewClock(pointsynctest.Start)
			faults := pointsynctest.Faults{Drop: 0.05, Lose: 0.05, Status5xx: 0.05, Duplicate: 0.05, Reorder: 0.05}
			var sites []*pointsynctest.Site
			for i, name := range []string{"a", "b", "c"} {
				sites = append(sites, pointsynctest.NewSite(t, name, pointsynctest.SiteConfig{
					Now: clock.Now, Faults: faults, Seed: seed*10 + uint64(i),
					SenderOptions: []pointsync.Option{pointsync.WithBatchSize(7)},
				}))
			}
			pointsynctest.Link(t, sites...)
			rng := rand.New(rand.NewPCG(seed, 99))
			members := []string{"ann@example.com", "bob@example.com", "cy@example.com", "dee@example.com"}
			kinds := []pointsync.Kind{pointsync.KindEarn, pointsync.KindRefund, pointsync.KindRedeem, pointsync.KindAdjust}
			made := 0
			for step := 0; step < 300; step++ {
				s := sites[rng.IntN(len(sites))]
				switch step {
				case 100:
					sites[2].SetDown(true)
				case 200:
					sites[2].SetDown(false)
				}
				if rng.IntN(20) == 0 {
					s.Ledger.Expire(s.Reserve, members[rng.IntN(len(members))], 5)
					continue
				}
				pts := int64(rng.IntN(200) - 60)
				_, err := s.Ledger.Record(ctx, s.Reserve, members[rng.IntN(len(members))], pts, kinds[rng.IntN(len(kinds))], "step")
				require.NoError(t, err)
				made++
				if rng.IntN(10) == 0 { // deliver now and then while movements keep coming
					for _, r := range sites {
						rs, err := r.Store.Remotes(ctx)
						require.NoError(t, err)
						for _, rem := range rs {
							_, _ = r.Sender.DeliverOnce(ctx, rem.SharingKey)
						}
					}
				}
			}
			rounds, err := pointsynctest.Settle(ctx, 200, sites...)
			require.NoError(t, err)
			require.NoError(t, pointsynctest.CheckConverged(sites...))
			for _, s := range sites {
				assert.Len(t, s.Ledger.Keys(), made, "site %s", s.Name)
			}
			var faulted int
			for _, s := range sites {
				for _, f := range []string{"drop", "lose", "5xx", "duplicate", "reorder"} {
					faulted += s.Transport.Count(f)
				}
			}
			assert.Positive(t, faulted, "faults were injected")
			t.Logf("seed %d: %d movements, %d faults, settled in %d rounds", seed, made, faulted, rounds)
		})
	}
}
