package main

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/loyalsync/loyalsync/woocommerce"
)

// BenchmarkLoad sends b.N signed order.updated deliveries of new completed orders (one new
// earn each, 50 members) to the running server over HTTP, one at a time and with 8 and 32 in
// flight, checks that every order was awarded exactly once, and reports deliveries per second,
// the process's CPU time per delivery (cpu-ns/delivery) and its resident memory (the fake
// store and the load generator included). On a busy machine the rates scatter; compare the
// CPU time per delivery instead:
//
//	go test -run '^$' -bench Load -benchtime 20000x ./examples/webhook-server
func BenchmarkLoad(b *testing.B) {
	for _, inFlight := range []int{1, 8, 32} {
		b.Run(fmt.Sprintf("in_flight=%d", inFlight), func(b *testing.B) { benchmarkLoad(b, inFlight) })
	}
}

func benchmarkLoad(b *testing.B, inFlight int) {
	r := newRig(b)
	// The server's own logger (text at INFO: a metadata line per member email), into nothing.
	r.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	a := r.serve(r.cfg)
	require.NoError(b, a.start(b.Context()))
	r.flush()
	ov, err := a.woo.Overview(b.Context(), a.connectionID(), 1)
	require.NoError(b, err)
	url, secret := ov.Connection.DeliveryURL, ov.Webhook.Secret
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 64}}

	var next, failed atomic.Int64
	send := func() {
		for {
			n := next.Add(1)
			if n > int64(b.N) {
				return
			}
			body := fmt.Appendf(nil, `{"id":%d,"status":"completed","currency":"EUR","total":"10.00",`+
				`"billing":{"first_name":"Member","last_name":"%d","email":"member%d@example.com"},"refunds":[]}`, 100000+n, n%50, n%50)
			req, _ := http.NewRequestWithContext(b.Context(), http.MethodPost, url, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set(woocommerce.HeaderWebhookTopic, "order.updated")
			req.Header.Set(woocommerce.HeaderWebhookResource, "order")
			req.Header.Set(woocommerce.HeaderWebhookEvent, "updated")
			req.Header.Set(woocommerce.HeaderWebhookSource, r.shop.URL+"/")
			req.Header.Set(woocommerce.HeaderWebhookSignature, woocommerce.Signature(body, secret))
			resp, err := client.Do(req)
			if err != nil || resp.StatusCode != http.StatusOK {
				failed.Add(1)
			}
			if err == nil {
				// Read to the end, so that the connection is kept and reused.
				_, _ = io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU()
	var wg sync.WaitGroup
	for range inFlight {
		wg.Go(send)
	}
	wg.Wait()
	b.StopTimer()
	cpu := processCPU() - cpu0
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
	if cpu > 0 {
		b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/delivery")
	}
	b.ReportMetric(0, "ns/op")
	if rss, hwm := residentMiB(); rss > 0 {
		b.ReportMetric(rss, "MiB-rss")
		b.ReportMetric(hwm, "MiB-peak-rss")
	}
	require.Zero(b, failed.Load(), "every delivery answered 200")
	st, err := a.woo.Engine().DeliveryStats(b.Context(), r.cfg.ProgramID, 24*time.Hour)
	require.NoError(b, err)
	require.Equal(b, b.N, st.Processed, "every order awarded once")
}

// residentMiB reads VmRSS and VmHWM from /proc/self/status (Linux), in MiB.
func residentMiB() (rss, peak float64) {
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0
	}
	for line := range strings.SplitSeq(string(status), "\n") {
		k, v, _ := strings.Cut(line, ":")
		kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
		if err != nil {
			continue
		}
		switch k {
		case "VmRSS":
			rss = kb / 1024
		case "VmHWM":
			peak = kb / 1024
		}
	}
	return rss, peak
}
