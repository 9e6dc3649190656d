// Package rounds holds what the benchmarks that interleave their
// contenders share (bench/peers' decoders, the CLI's whole-process start-up
// and stream, the handler's parts, Stripe beside stripe-go): on a shared
// machine whose speed changes by half within minutes, each contender runs
// once a round (Interleave) or a turn of ops (InTurns), and what is
// reported is the median over the rounds, of speeds and of per-round
// ratios, by wall time and by the process's CPU time. It also holds the
// one reading of the live heap that memory benchmarks and tests share.
package rounds

import (
	"runtime"
	"slices"
	"time"

	"github.com/payhooks/payhooks/internal/testonly/posix"
)

// Median is the median of xs.
func Median(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// MedianRatio is the median over the rounds of num[r]/den[r].
func MedianRatio(num, den []float64) float64 {
	r := make([]float64, len(num))
	for i := range num {
		r[i] = num[i] / den[i]
	}
	return Median(r)
}

// CPUTime is the CPU time of this whole process so far, user and system,
// every thread: the garbage collector's work included (0 where the system
// does not say).
func CPUTime() time.Duration { return posix.CPUTime() }

// LiveHeap is the heap in use after a collection: what the program holds.
func LiveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}
