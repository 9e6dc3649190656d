package validate_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/corpus"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/validate/input"
)

// benchPayloads is one example per provider, the same bytes for every
// contender, with the pointer of an amount BenchmarkBreakingDrift quotes.
var benchPayloads = []struct{ provider, event, file, amount string }{
	{"finmo", "CHECKOUT_COMPLETED", "finmo/examples/CHECKOUT_COMPLETED.json", "/event_detail/amount"},
	{"rapyd", "PAYMENT_COMPLETED", "rapyd/examples/PAYMENT_COMPLETED.json", "/data/amount"},
	{"tazapay", "checkout.paid", "tazapay/examples/checkout.paid.json", "/data/amount"},
	{"augustus", "checkout_session_completed", "augustus/examples/checkout_session_completed.json", "/payload/price/total"},
	{"adyentransfer", "balancePlatform.transfer.updated", "adyentransfer/examples/balancePlatform.transfer.updated.5.json", "/data/amount/value"},
}

// BenchmarkStream validates a mixed NDJSON stream of every bundled example
// (PAYHOOKS_BENCH_STREAM_MB megabytes, default 16; the README's figure is
// 1024) through Run, on every core, with each engine.
func BenchmarkStream(b *testing.B) {
	size := 16
	if s := os.Getenv("PAYHOOKS_BENCH_STREAM_MB"); s != "" {
		n, err := strconv.Atoi(s)
		require.NoError(b, err)
		size = n
	}
	var lines [][]byte
	for _, c := range corpus.Payloads(b, corpus.Examples) {
		if strings.HasPrefix(c.Path, "augustus/") {
			continue // Augustus names its event in the request path, which NDJSON lines lack
		}
		var buf bytes.Buffer
		require.NoError(b, json.Compact(&buf, c.Data))
		lines = append(lines, append(buf.Bytes(), '\n'))
	}
	total := int64(size) << 20
	for _, engine := range []struct {
		name string
		e    validate.Engine
	}{{"fast", validate.Fast}, {"reference", validate.Reference}} {
		b.Run(engine.name, func(b *testing.B) {
			v, err := validate.New(schemas.FS, validate.WithEngine(engine.e))
			require.NoError(b, err)
			b.SetBytes(total)
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				payloads := 0
				err := input.Run(v, []string{"-"}, &cycleReader{lines: lines, left: total}, input.RunOptions{}, func(r validate.Result) error {
					payloads++
					if len(r.Findings) > 0 {
						return fmt.Errorf("line %d: %v", r.Line, r.Findings)
					}
					return nil
				})
				require.NoError(b, err)
				b.ReportMetric(float64(payloads), "payloads")
			}
		})
	}
}

// cycleReader repeats lines until about left bytes are read (it finishes
// the line it is in), without holding the stream in memory.
type cycleReader struct {
	lines [][]byte
	next  int
	cur   []byte
	left  int64
}

func (c *cycleReader) Read(p []byte) (int, error) {
	if c.left <= 0 && len(c.cur) == 0 {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && (c.left > 0 || len(c.cur) > 0) {
		if len(c.cur) == 0 {
			c.cur = c.lines[c.next%len(c.lines)]
			c.next++
		}
		k := copy(p[n:], c.cur)
		c.cur = c.cur[k:]
		n += k
		c.left -= int64(k)
	}
	return n, nil
}

// BenchmarkAdditiveDrift measures a Rapyd payload with an unknown property
// and an unknown enum value, which the fast engine classifies itself, next
// to the reference engine.
func BenchmarkAdditiveDrift(b *testing.B) {
	body, err := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	require.NoError(b, err)
	drifted := []byte(strings.Replace(string(body), `"status": "CLO"`, `"status": "PEN", "risk": {"score": 1}`, 1))
	for _, engine := range []struct {
		name string
		e    validate.Engine
	}{{"fast", validate.Fast}, {"reference", validate.Reference}} {
		v, err := validate.New(schemas.FS, validate.WithEngine(engine.e))
		require.NoError(b, err)
		b.Run(engine.name, func(b *testing.B) {
			b.SetBytes(int64(len(drifted)))
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if r := v.Check(validate.Payload{Body: drifted}); len(r.Findings) != 2 {
					b.Fatal(r.Findings)
				}
			}
		})
	}
}

// BenchmarkBreakingDrift checks, per provider, the example as is and with
// one amount quoted ("6700" where a number is declared: a breaking
// type_mismatch a provider may make in every delivery), with the fast
// engine, which classifies it itself, and the reference engine. Both
// bodies are re-encoded alike, so the MB/s compare. The target:
// fast/type-mismatch at least half of fast/clean.
func BenchmarkBreakingDrift(b *testing.B) {
	fast, err := validate.New(schemas.FS)
	require.NoError(b, err)
	ref, err := validate.New(schemas.FS, validate.WithEngine(validate.Reference))
	require.NoError(b, err)
	for _, bp := range benchPayloads {
		raw, err := fs.ReadFile(schemas.FS, bp.file)
		require.NoError(b, err)
		clean := quoteAt(b, raw, "")
		drifted := quoteAt(b, raw, bp.amount)
		for _, c := range []struct {
			name     string
			v        *validate.Validator
			body     []byte
			findings int
		}{
			{"fast/clean", fast, clean, 0}, {"fast/type-mismatch", fast, drifted, 1},
			{"reference/clean", ref, clean, 0}, {"reference/type-mismatch", ref, drifted, 1},
		} {
			p := validate.Payload{Body: c.body, Provider: bp.provider, Event: bp.event}
			b.Run(bp.provider+"/"+c.name, func(b *testing.B) {
				b.SetBytes(int64(len(c.body)))
				b.ReportAllocs()
				for i := 0; i < b.N; i++ {
					if r := c.v.Check(p); len(r.Findings) != c.findings {
						b.Fatal(r.Findings)
					}
				}
			})
		}
	}
}

// quoteAt re-encodes a JSON object with the number at ptr (object members
// only; "" for none) turned into a string of its digits.
func quoteAt(b *testing.B, body []byte, ptr string) []byte {
	b.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc map[string]any
	require.NoError(b, dec.Decode(&doc))
	if ptr != "" {
		tokens := strings.Split(ptr[1:], "/")
		obj := doc
		for _, tok := range tokens[:len(tokens)-1] {
			obj = obj[tok].(map[string]any)
		}
		last := tokens[len(tokens)-1]
		obj[last] = obj[last].(json.Number).String()
	}
	out, err := json.Marshal(doc)
	require.NoError(b, err)
	return out
}
