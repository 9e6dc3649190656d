package peers

import (
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/go-faster/jx"
	"github.com/mailru/easyjson"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/rounds"
)

// contender is one decoder of a provider's examples: pass decodes each
// once.
type contender struct {
	name string
	pass func() error
}

// contenders are payhooks' Parse (first: the ratios are of it) and, on
// the same payloads, encoding/json into the full peer struct (the
// baseline), easyjson and jx where the struct has them, and encoding/json
// into any.
func (p fullProvider) contenders(tb testing.TB, exs []example) []contender {
	structs := make([]func() any, len(exs))
	for i, ex := range exs {
		structs[i] = p.full[ex.event]
		require.NotNil(tb, structs[i], "%s: no peer struct for event %q", ex.file, ex.event)
	}
	each := func(decode func(i int, ex example) error) func() error {
		return func() error {
			for i, ex := range exs {
				if err := decode(i, ex); err != nil {
					return fmt.Errorf("%s: %w", ex.file, err)
				}
			}
			return nil
		}
	}
	cs := []contender{
		{"payhooks", each(func(_ int, ex example) error { _, err := p.parse(ex.path, ex.body); return err })},
		{"encoding-json", each(func(i int, ex example) error { return json.Unmarshal(ex.body, structs[i]()) })},
	}
	sample := structs[0]()
	if _, ok := sample.(easyjson.Unmarshaler); ok {
		cs = append(cs, contender{"easyjson", each(func(i int, ex example) error {
			return easyjson.Unmarshal(ex.body, structs[i]().(easyjson.Unmarshaler))
		})})
	}
	if _, ok := sample.(jxDecoder); ok {
		cs = append(cs, contender{"jx", each(func(i int, ex example) error {
			d := jx.GetDecoder()
			defer jx.PutDecoder(d)
			d.ResetBytes(ex.body)
			return structs[i]().(jxDecoder).Decode(d)
		})})
	}
	return append(cs, contender{"encoding-json-any", each(func(_ int, ex example) error { var v any; return json.Unmarshal(ex.body, &v) })})
}

// BenchmarkDecode is the fair benchmark: per provider, payhooks' Parse
// and the peers decode every bundled example, each into the full struct
// an OpenAPI generator emits for its event. Each op is one round in which
// every contender, in an order that turns each round, decodes the
// examples for about sliceTime; so a change in the machine's speed falls
// on all of them alike. Reported, as medians over the rounds: MB/s of
// wall time and of process CPU time (getrusage: every thread, so the
// garbage collector's work is counted) per contender, and payhooks'
// speed over each contender's (x-NAME: 1.2 is 20 % faster), by wall and
// by CPU time; B/op is each contender's bytes allocated per pass. ns/op
// is payhooks' wall time per example.
//
//	cd bench/peers && go test -run '^$' -bench Decode -benchtime 20x -count 3
func BenchmarkDecode(b *testing.B) {
	for _, p := range fullProviders() {
		exs := p.examplesOf(b)
		b.Run(p.name, func(b *testing.B) {
			inRounds(b, exs, p.contenders(b, exs))
		})
	}
}

// sliceTime is how long each contender runs in a round: long enough for
// getrusage's accounting, short enough that the machine's speed holds.
const sliceTime = 20 * time.Millisecond

func inRounds(b *testing.B, exs []example, cs []contender) {
	size := 0
	for _, ex := range exs {
		size += len(ex.body)
	}
	passes := make([]int, len(cs))
	for i, c := range cs {
		passes[i] = calibrate(b, c.pass)
	}
	allocated := make([]int64, len(cs))
	for i, c := range cs {
		allocated[i] = bytesPerPass(b, c.pass)
	}
	b.ResetTimer()
	// seconds per pass, by contender and round
	wall, cpu := rounds.Interleave(b.N, len(cs), func(i int) (float64, float64) { return measure(b, cs[i].pass, passes[i]) })
	b.StopTimer()
	b.ReportMetric(rounds.Median(wall[0])/float64(len(exs))*1e9, "ns/op")
	for i, c := range cs {
		b.ReportMetric(float64(size)/rounds.Median(wall[i])/1e6, c.name+"-MB/s")
		b.ReportMetric(float64(size)/rounds.Median(cpu[i])/1e6, c.name+"-cpu-MB/s")
		b.ReportMetric(float64(allocated[i]), c.name+"-B/op")
		if i > 0 {
			b.ReportMetric(rounds.MedianRatio(wall[i], wall[0]), "x-"+c.name)
			b.ReportMetric(rounds.MedianRatio(cpu[i], cpu[0]), "cpu-x-"+c.name)
		}
	}
	if b.N > 1 { // the first run, of one round, only sizes b.N
		b.Log(tableRow(b.Name(), size, cs, wall, cpu, allocated))
	}
}

// tableRow is the README's row for one provider: payhooks' MB/s, each
// contender's MB/s and payhooks' speed over it (wall, then CPU).
func tableRow(name string, size int, cs []contender, wall, cpu [][]float64, allocated []int64) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| %s | %.0f / %.0f | %d B |", strings.TrimPrefix(name, "BenchmarkDecode/"), float64(size)/rounds.Median(wall[0])/1e6, float64(size)/rounds.Median(cpu[0])/1e6, allocated[0])
	for i := 1; i < len(cs); i++ {
		fmt.Fprintf(&b, " %s %.0f / %.0f MB/s, %.2f× / %.2f×, %d B |", cs[i].name, float64(size)/rounds.Median(wall[i])/1e6, float64(size)/rounds.Median(cpu[i])/1e6,
			rounds.MedianRatio(wall[i], wall[0]), rounds.MedianRatio(cpu[i], cpu[0]), allocated[i])
	}
	return b.String()
}

// calibrate returns how many passes take about sliceTime.
func calibrate(b *testing.B, pass func() error) int {
	n := 1
	for {
		start := time.Now()
		for range n {
			if err := pass(); err != nil {
				b.Fatal(err)
			}
		}
		if d := time.Since(start); d >= sliceTime/4 {
			return max(1, int(float64(n)*float64(sliceTime)/float64(d)))
		}
		n *= 2
	}
}

// measure runs n passes and returns the wall and process CPU seconds of
// one.
func measure(b *testing.B, pass func() error, n int) (wall, cpu float64) {
	c0 := rounds.CPUTime()
	start := time.Now()
	for range n {
		if err := pass(); err != nil {
			b.Fatal(err)
		}
	}
	wall = time.Since(start).Seconds()
	cpu = (rounds.CPUTime() - c0).Seconds()
	return wall / float64(n), cpu / float64(n)
}

// bytesPerPass is the bytes a pass allocates, averaged over enough passes
// (50 at least, and 4 MiB allocated) that what a decoder allocates now and
// then for many passes (payhooks' arena chunks and slabs) is spread over
// the passes it serves.
func bytesPerPass(tb testing.TB, pass func() error) int64 {
	require.NoError(tb, pass())
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	n := 0
	for n < 50 || after.TotalAlloc-before.TotalAlloc < 4<<20 {
		for range 50 {
			if err := pass(); err != nil {
				tb.Fatal(err)
			}
		}
		n += 50
		runtime.ReadMemStats(&after)
	}
	return int64(after.TotalAlloc-before.TotalAlloc) / int64(n)
}
