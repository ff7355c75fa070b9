package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/manifestctl/manifestctl/internal/sandbox"
)

// latencyTransport adds a fixed network latency to every request, as a
// remote Procore would.
type latencyTransport struct {
	d    time.Duration
	next http.RoundTripper
}

func (t *latencyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	tm := time.NewTimer(t.d)
	select {
	case <-tm.C:
	case <-r.Context().Done():
		tm.Stop()
		return nil, r.Context().Err()
	}
	return t.next.RoundTrip(r)
}

// Audit benchmark settings (issue 12): 500 permitted projects, 20 ms per
// request.
const (
	benchProjects = 500
	benchLatency  = 20 * time.Millisecond
)

// benchLimit is the rate limit of the limited case: 300 requests in any
// 30 seconds for the company.
var benchLimit = sandbox.RateLimit{Limit: 300, WindowSeconds: 30}

// limitAllows is the shortest time in which n API calls can finish under
// limit at concurrency c and a latency per call: every window but the last
// is waited out, and the calls of the last go c at a time.
func limitAllows(n int, limit sandbox.RateLimit, c int, latency time.Duration) time.Duration {
	windows := (n + limit.Limit - 1) / limit.Limit
	rest := n - (windows-1)*limit.Limit
	return time.Duration(windows-1)*time.Duration(limit.WindowSeconds)*time.Second +
		time.Duration((rest+c-1)/c)*latency
}

// BenchmarkAudit audits 500 projects of one company through the command,
// against the fake on loopback with 20 ms of latency per request:
// --concurrency 1, --concurrency 8, and --concurrency 8 under a rate limit.
// It reports the requests sent and the floor DESIGN allows (they must be
// equal), and for the limited case the time the limit itself allows.
// bench/run.sh turns the results into ratios in bench/RESULTS.md.
func BenchmarkAudit(b *testing.B) {
	cases := []struct {
		name        string
		concurrency string
		limit       *sandbox.RateLimit
	}{
		{"concurrency=1", "1", nil},
		{"concurrency=8", "8", nil},
		{"concurrency=8/ratelimit", "8", &benchLimit},
	}
	for _, bc := range cases {
		b.Run(bc.name, func(b *testing.B) {
			var requests int64
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				sc := scenario(clean(10, benchProjects))
				if bc.limit != nil {
					sc.Companies[0].RateLimit = bc.limit
				}
				sb := startSandbox(b, sc, nil)
				base := http.DefaultTransport.(*http.Transport).Clone()
				base.MaxIdleConnsPerHost = 16
				tr := &latencyTransport{d: benchLatency, next: base}
				b.StartTimer()
				r := runCLI(b, context.Background(), creds(), tr, auditArgs(sb, "--company-id", "10", "--concurrency", bc.concurrency)...)
				b.StopTimer()
				if r.code != exitOK || r.report == nil || len(r.report.Errors) != 0 {
					b.Fatalf("exit %d\n%s", r.code, r.stderr)
				}
				requests = r.report.Requests
				base.CloseIdleConnections()
				b.StartTimer()
			}
			pages := (benchProjects + 99) / 100
			b.ReportMetric(float64(requests), "requests/op")
			b.ReportMetric(float64(floor(1, pages, benchProjects, false)), "floor/op")
			if bc.limit != nil {
				apiCalls := 1 + pages + benchProjects
				b.ReportMetric(limitAllows(apiCalls, *bc.limit, 8, benchLatency).Seconds(), "limit-s/op")
			}
		})
	}
}
