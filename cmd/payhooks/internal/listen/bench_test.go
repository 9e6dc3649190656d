package listen_test

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/listen"
	"github.com/payhooks/payhooks/internal/testonly/s3test"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/s3capture"
)

// BenchmarkListen measures the listen receiver on loopback, fsync on, next
// to a bare handler that reads the body and writes nothing, with the same
// client (32 connections) and the same signed Rapyd deliveries, each a new
// delivery id; listen-guarded adds the connection guard listen serves
// behind (guard.go), and listen-s3 captures to SeaweedFS (required
// mode, on loopback) instead of the folder. Metrics: deliveries/s and p99
// latency.
func BenchmarkListen(b *testing.B) {
	for k, v := range secrets {
		b.Setenv(k, v)
	}
	mux := benchListener(b, nil)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	})
	body, err := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	require.NoError(b, err)
	signer, err := webhook.NewSigner(webhook.Scheme{Name: webhook.SchemeRapyd}, webhook.SecretsFromEnv("rapyd"), webhook.VerifyOptions{})
	require.NoError(b, err)
	cases := []struct {
		name  string
		h     http.Handler
		guard bool
	}{{"bare-handler", bare, false}, {"listen-fsync", mux, false}, {"listen-fsync-guarded", mux, true}}
	// Required capture to object storage, beside the folder, when SeaweedFS
	// is built (make seaweedfs).
	if bin, err := s3test.Binary(); err == nil && fileExists(bin) {
		srv := s3test.Shared(b)
		sink, err := s3capture.Open(context.Background(), "s3://"+srv.Bucket(b)+"/bench", srv.Config())
		require.NoError(b, err)
		toStore := benchListener(b, sink)
		cases = append(cases, struct {
			name  string
			h     http.Handler
			guard bool
		}{"listen-s3", toStore, false})
	} else {
		b.Log("SeaweedFS is not built (make seaweedfs): no listen-s3 case")
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			srv := httptest.NewUnstartedServer(c.h)
			if c.guard {
				g := listen.NewConnGuard()
				srv.Listener, srv.Config.ConnState = g.Listener(srv.Listener), g.ConnState
			}
			srv.Start()
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 32}}
			url := srv.URL + "/rapyd"
			// Signed deliveries with fresh ids are built outside the timer, a
			// batch at a time, so memory stays bounded.
			const batch = 4096
			reqs := make([][]byte, batch)
			heads := make([]http.Header, batch)
			build := func(from int) {
				for j := range reqs {
					reqs[j], err = webhook.SetString(body, "/id", c.name+"-"+strconv.Itoa(from+j)+"-"+strconv.FormatInt(time.Now().UnixNano(), 36))
					require.NoError(b, err)
					heads[j] = http.Header{}
					require.NoError(b, signer.Sign(heads[j], url, reqs[j]))
				}
			}
			latencies := make([]time.Duration, 0, b.N)
			var mu sync.Mutex
			b.ResetTimer()
			var elapsed time.Duration
			for done := 0; done < b.N; done += batch {
				b.StopTimer()
				build(done)
				n := min(batch, b.N-done)
				jobs := make(chan int)
				var wg sync.WaitGroup
				b.StartTimer()
				start := time.Now()
				for w := 0; w < 32; w++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for i := range jobs {
							req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(reqs[i]))
							req.Header = heads[i]
							t0 := time.Now()
							resp, err := client.Do(req)
							if err != nil {
								b.Error(err)
								continue
							}
							io.Copy(io.Discard, resp.Body)
							resp.Body.Close()
							d := time.Since(t0)
							mu.Lock()
							latencies = append(latencies, d)
							mu.Unlock()
							if resp.StatusCode != http.StatusOK {
								b.Errorf("status %d", resp.StatusCode)
							}
						}
					}()
				}
				for i := 0; i < n; i++ {
					jobs <- i
				}
				close(jobs)
				wg.Wait()
				elapsed += time.Since(start)
			}
			b.StopTimer()
			sort.Slice(latencies, func(i, j int) bool { return latencies[i] < latencies[j] })
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "deliveries/s")
			b.ReportMetric(float64(latencies[len(latencies)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// benchListener is listen's receiver printing nothing, capturing to sink
// (nil: a folder).
func benchListener(b *testing.B, sink webhook.CaptureSink) http.Handler {
	b.Helper()
	cfg := config(b, io.Discard)
	if sink != nil {
		cfg.Sink = sink
	}
	mux, _, err := listen.New(cfg)
	require.NoError(b, err)
	return mux
}
