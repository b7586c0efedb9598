package sitooconnect_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/loyalsync/loyalsync/loyalty"
	"github.com/loyalsync/loyalsync/loyalty/sitooconnect"
	"github.com/loyalsync/loyalsync/loyalty/sqlstore/sqlite"
	"github.com/loyalsync/loyalsync/loyalty/storetest"
	"github.com/loyalsync/loyalsync/sitoo"
	"github.com/loyalsync/loyalsync/sitoo/sitootest"
)

// benchMembers is the member count of the Search Customer benchmark.
const benchMembers = 100_000

// benchEnv is a connector over a SQLite loyalty store holding benchMembers members of program
// "card", linked to a fake Sitoo account; it is built once per process.
type benchEnv struct {
	con     *sitooconnect.Connector
	handler http.Handler
	rec     sitooconnect.ConnectionRecord
	sitoo   *sitootest.Server
	numbers []int64
}

var (
	benchOnce sync.Once
	benchE    *benchEnv
	benchErr  error
)

func seedMembers(ctx context.Context, s loyalty.Store, n int) ([]int64, error) {
	numbers := make([]int64, 0, n)
	for base := 0; base < n; base += 2000 {
		err := s.Update(ctx, func(tx loyalty.Tx) error {
			for i := base; i < min(base+2000, n); i++ {
				m, err := tx.CreateMember(ctx, loyalty.Member{ID: fmt.Sprintf("mem_%08d", i), Code: fmt.Sprintf("C%07d", i),
					Email: fmt.Sprintf("m%d@example.org", i), Name: "Member " + strconv.Itoa(i), Language: "en",
					Source: "bench", CreatedAt: start})
				if err != nil {
					return err
				}
				if _, err := tx.CreateAccount(ctx, loyalty.Account{ProgramID: "card", MemberID: m.ID, Balance: 0,
					JoinedAt: start, UpdatedAt: start}); err != nil {
					return err
				}
				numbers = append(numbers, m.Number)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	return numbers, nil
}

func newBenchEnv(dir string) (*benchEnv, error) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "bench.db"))
	if err != nil {
		return nil, err
	}
	e := &benchEnv{sitoo: sitootest.NewServer()}
	clock := storetest.NewClock(start)
	e.con, err = sitooconnect.New(store, sitooconnect.NewMemoryConnectionStore(),
		sitooconnect.WithEncryptionKey(make([]byte, 32)), sitooconnect.WithClock(clock),
		sitooconnect.WithClientOptions(sitoo.WithHTTPClient(e.sitoo.Client())))
	if err != nil {
		return nil, err
	}
	p := loyalty.DefaultProgram("card", "EUR")
	p.Redemption.Enabled = true
	p.Tiers = loyalty.TierRules{Levels: []loyalty.Tier{{Name: "Silver", Threshold: dec("100"), Multiplier: dec("1.5")}}}
	if _, err := e.con.Engine().SaveProgram(ctx, p, "bench"); err != nil {
		return nil, err
	}
	if e.numbers, err = seedMembers(ctx, store, benchMembers); err != nil {
		return nil, err
	}
	acct, _ := strconv.ParseInt(e.sitoo.AccountID, 10, 64)
	e.rec, err = e.con.Connect(ctx, sitooconnect.ConnectRequest{ProgramID: "card", BaseURL: e.sitoo.URL, AccountID: acct,
		APIID: e.sitoo.APIID, APIPassword: e.sitoo.Password, CRMUsername: "crm", CRMPassword: "crm-secret",
		EventsUsername: "ev", EventsPassword: "ev-secret"})
	e.handler = e.con.Handler()
	return e, err
}

// BenchmarkSearchCustomer measures Search Customer by member number through the CRM handler
// (Basic auth, member lookup, wallet with tier and channels, profile, bonus checks, JSON) with
// 100,000 members in SQLite, and reports the p50 and p99 latency of the calls.
func BenchmarkSearchCustomer(b *testing.B) {
	benchOnce.Do(func() { benchE, benchErr = newBenchEnv(b.TempDir()) })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	e := benchE
	rng := rand.New(rand.NewPCG(1, 2))
	durations := make([]time.Duration, 0, b.N)
	path := "/" + e.rec.ID + "/crm/customers?key_type=member_number&key="
	b.ReportAllocs()
	for b.Loop() {
		n := e.numbers[rng.IntN(len(e.numbers))]
		req := httptest.NewRequest(http.MethodGet, path+strconv.FormatInt(n, 10), nil)
		req.SetBasicAuth("crm", "crm-secret")
		req.Header.Set("Store-ID", "STORE-7")
		w := httptest.NewRecorder()
		t0 := time.Now()
		e.handler.ServeHTTP(w, req)
		durations = append(durations, time.Since(t0))
		if w.Code != http.StatusOK || w.Body.Len() < 100 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
	slices.Sort(durations)
	b.ReportMetric(float64(durations[len(durations)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds()), "p99-µs")
}

// BenchmarkIngestOrderEvents measures the counter's order ingest end to end: the POS records a
// closed, paid receipt in the fake account, its event is delivered (batches of 10, auth,
// persisted, 200) and ProcessPending reads the order over REST and applies it (SQLite, 100,000
// members). It reports events/s.
func BenchmarkIngestOrderEvents(b *testing.B) {
	benchOnce.Do(func() { benchE, benchErr = newBenchEnv(b.TempDir()) })
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	e := benchE
	ctx := context.Background()
	pos, err := sitootest.NewPOS(e.sitoo)
	if err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(e.handler)
	defer srv.Close()
	pos.EventsURL, pos.EventsUser, pos.EventsPassword = srv.URL+"/"+e.rec.ID+"/events", "ev", "ev-secret"
	rng := rand.New(rand.NewPCG(3, 4))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cu := sitootest.Customer{MemberNumber: strconv.FormatInt(e.numbers[rng.IntN(len(e.numbers))], 10)}
		if _, err := pos.Sale(ctx, cu, sitootest.Row{Name: "Item", Price: "59.90", Quantity: 1}); err != nil {
			b.Fatal(err)
		}
		if pos.Pending() >= 10 || i == b.N-1 {
			if err := pos.Deliver(ctx); err != nil {
				b.Fatal(err)
			}
			rep, err := e.con.ProcessPending(ctx, e.rec.ID)
			if err != nil || rep.Failed > 0 {
				b.Fatal(err, rep.LastError)
			}
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
