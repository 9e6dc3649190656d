package infer

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/rounds"
	"github.com/payhooks/payhooks/webhook"
)

// BenchmarkScaffold scaffolds a provider from N and then 4N samples, each
// with a top-level member and a data member no other has (a map's keys),
// as schemas init does (it reads the samples twice): ns/sample stays flat
// from N to 4N (time linear in the samples) and held-KB, the live heap while
// the last sample is read, does not grow (the keys fold into maps; nothing
// holds a sample). Before, init kept every sample (20 000 samples of 18.7 MB
// held 307 MB) and grew a property per key, compiled in quadratic time
// (3 000 samples 7.8 s, 20 000 past 120 s).
// go test -run '^$' -bench Scaffold -benchmem ./cmd/payhooks/internal/infer
func BenchmarkScaffold(b *testing.B) {
	for _, n := range []int{5_000, 20_000} {
		b.Run(fmt.Sprintf("samples=%d", n), func(b *testing.B) {
			var held uint64
			for range b.N {
				b.StopTimer()
				before := rounds.LiveHeap()
				var atEnd uint64
				samples := uniqueKeySamples(n, func() {
					b.StopTimer()
					atEnd = rounds.LiveHeap()
					b.StartTimer()
				})
				b.StartTimer()
				_, err := Scaffold(samples, ProviderOptions{Name: "acme", Signature: webhook.Scheme{Name: "ivy"}})
				require.NoError(b, err)
				held = atEnd - before
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/sample")
			b.ReportMetric(float64(held)/1024, "held-KB")
		})
	}
}
