package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/capture"
	"github.com/payhooks/payhooks/internal/testonly/s3test"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/dircapture"
	"github.com/payhooks/payhooks/webhook/s3capture"
)

// BenchmarkValidateCaptures validates the same captures (2 000 Rapyd
// deliveries, each its own id) from a folder and from object storage
// (SeaweedFS on loopback, make seaweedfs), end to end as a whole process
// (payhooks validate -format json), taking turns; reported is MB/s of
// capture files by wall time, and s3 over disk.
//
//	go test -run '^$' -bench ValidateCaptures -benchtime 3x ./cmd/payhooks
func BenchmarkValidateCaptures(b *testing.B) {
	srv := s3test.Shared(b)
	bucket := srv.Bucket(b)
	sink, err := s3capture.Open(context.Background(), "s3://"+bucket+"/bench", srv.Config())
	require.NoError(b, err)
	dir := b.TempDir()
	folder, err := dircapture.Open(dir)
	require.NoError(b, err)
	body, err := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	require.NoError(b, err)
	const n = 2000
	var size int64
	var mu sync.Mutex
	ids := make(chan int)
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ids {
				b2, err := webhook.SetString(body, "/id", fmt.Sprintf("wh_bench_%05d", i))
				require.NoError(b, err)
				c := &webhook.Capture{Provider: "rapyd", Event: "PAYMENT_COMPLETED", DeliveryID: fmt.Sprintf("wh_bench_%05d", i), ReceivedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Method: "POST", Path: "/rapyd", Body: b2}
				require.NoError(b, sink.Put(context.Background(), c))
				require.NoError(b, folder.Put(context.Background(), c))
				_, f := capture.Of(c)
				data, err := capture.Encode(f)
				require.NoError(b, err)
				mu.Lock()
				size += int64(len(data))
				mu.Unlock()
			}
		}()
	}
	for i := range n {
		ids <- i
	}
	close(ids)
	wg.Wait()
	env := append(os.Environ(), srv.Env()...)
	var wall [2]time.Duration
	b.ResetTimer()
	for range b.N {
		for i, where := range []string{dir, "s3://" + bucket + "/bench"} {
			w, _, err := timeProcess(env, "validate", "-format", "json", where)
			require.NoError(b, err)
			wall[i] += w
		}
	}
	mbps := func(d time.Duration) float64 { return float64(size) * float64(b.N) / d.Seconds() / 1e6 }
	b.ReportMetric(mbps(wall[0]), "disk-MB/s")
	b.ReportMetric(mbps(wall[1]), "s3-MB/s")
	b.ReportMetric(mbps(wall[1])/mbps(wall[0]), "s3/disk")
	b.ReportMetric(float64(size)/1e6, "MB")
}
