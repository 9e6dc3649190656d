package rounds

import (
	"runtime"
	"testing"
	"time"
)

// Interleave runs each of contenders once a round, for n rounds, in an
// order that turns each round (so that no contender always goes first),
// and returns what each run measured: wall and CPU time, by contender, then
// round. run(i) runs contender i once.
func Interleave(n, contenders int, run func(i int) (wall, cpu float64)) (wall, cpu [][]float64) {
	wall, cpu = make([][]float64, contenders), make([][]float64, contenders)
	for round := range n {
		for k := range contenders {
			i := (k + round) % contenders
			w, c := run(i)
			wall[i] = append(wall[i], w)
			cpu[i] = append(cpu[i], c)
		}
	}
	return wall, cpu
}

// InTurns runs b.N ops of each named part, in turns of turn ops: before a
// turn, prepare(from, n) readies every part's n ops and the garbage of that
// is collected, off the clock; then each part runs its n ops (op(part, i),
// i the op's place in the turn), the parts in an order that turns each
// turn, so that the machine's changes of speed fall on all of them alike.
// An op's error ends the benchmark. It returns each part's time in each
// turn.
func InTurns(b *testing.B, turn int, names []string, prepare func(from, n int), op func(part, i int) error) [][]time.Duration {
	b.Helper()
	took := make([][]time.Duration, len(names))
	b.ResetTimer()
	for done := 0; done < b.N; done += turn {
		n := min(turn, b.N-done)
		b.StopTimer()
		prepare(done, n)
		runtime.GC()
		b.StartTimer()
		for j := range names {
			k := (j + done/turn) % len(names)
			start := time.Now()
			for i := range n {
				if err := op(k, i); err != nil {
					b.Fatalf("%s: %v", names[k], err)
				}
			}
			took[k] = append(took[k], time.Since(start))
		}
	}
	b.StopTimer()
	return took
}

// Total is the sum of one part's turns.
func Total(turns []time.Duration) time.Duration {
	var sum time.Duration
	for _, d := range turns {
		sum += d
	}
	return sum
}
