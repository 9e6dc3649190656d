package validate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/bundle"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/validate/input"
)

// benchPayloads is one example per provider, the same bytes for every
// contender.
var benchPayloads = []struct{ provider, event, file string }{
	{"finmo", "CHECKOUT_COMPLETED", "finmo/examples/CHECKOUT_COMPLETED.json"},
	{"rapyd", "PAYMENT_COMPLETED", "rapyd/examples/PAYMENT_COMPLETED.json"},
	{"tazapay", "checkout.paid", "tazapay/examples/checkout.paid.json"},
	{"augustus", "checkout_session_completed", "augustus/examples/checkout_session_completed.json"},
	// Adyen's own document, imported: tagged unions (the bank account
	// identification of sixteen variants) and string lengths.
	{"adyentransfer", "balancePlatform.transfer.updated", "adyentransfer/examples/balancePlatform.transfer.updated.5.json"},
}

// BenchmarkDrift compares, per provider and on the same payload: checking
// the bytes are JSON at all (json.Valid), decoding them (json.Unmarshal into
// any), validating an already-decoded value with santhosh-tekuri/jsonschema
// v5 alone, kin-openapi's own schema validation including its decode
// (Augustus, the OpenAPI provider), and payhooks' full drift check (decode,
// detect, validate, classify, unknown properties). Compare MB/s across
// sub-benchmarks of one run.
func BenchmarkDrift(b *testing.B) {
	v, err := validate.New(schemas.FS)
	require.NoError(b, err)
	ref, err := validate.New(schemas.FS, validate.WithEngine(validate.Reference))
	require.NoError(b, err)
	c, err := compile.NewCompiler(schemas.FS, compile.Options{})
	require.NoError(b, err)
	for _, bp := range benchPayloads {
		body, err := fs.ReadFile(schemas.FS, bp.file)
		require.NoError(b, err)
		ev := v.Catalog().Provider(bp.provider).Event(bp.event)
		schema, err := c.CompileAt(ev.Schema, ev.Pointer)
		require.NoError(b, err)
		run := func(name string, fn func(b *testing.B)) {
			b.Run(bp.provider+"/"+name, func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				fn(b)
			})
		}
		run("json.Valid", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if !json.Valid(body) {
					b.Fatal("invalid")
				}
			}
		})
		run("json.Unmarshal-any", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				var doc any
				if err := json.Unmarshal(body, &doc); err != nil {
					b.Fatal(err)
				}
			}
		})
		run("jsonschema-v5-only", func(b *testing.B) {
			var doc any
			require.NoError(b, json.Unmarshal(body, &doc))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := schema.Validate(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
		{
			kin := kinSchema(b, bp.provider, bp.event)
			run("kin-openapi-with-decode", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					var doc any
					if err := json.Unmarshal(body, &doc); err != nil {
						b.Fatal(err)
					}
					if err := kin.VisitJSON(doc); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		run("payhooks-reference", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if r := ref.Check(validate.Payload{Body: body}); len(r.Findings) != 0 {
					b.Fatal(r.Findings)
				}
			}
		})
		run("payhooks-fast", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if r := v.Check(validate.Payload{Body: body}); len(r.Findings) != 0 {
					b.Fatal(r.Findings)
				}
			}
		})
	}
}

// kinSchema loads a provider's OpenAPI 3.1 document with kin-openapi (the
// exported one for the JSON Schema providers, Augustus's own otherwise)
// and returns an event's request body schema.
func kinSchema(b *testing.B, provider, event string) *openapi3.Schema {
	cat, err := catalog.Load(schemas.FS)
	require.NoError(b, err)
	files, err := bundle.Export(cat, bundle.Options{Version: "bench"})
	require.NoError(b, err)
	doc, err := openapi3.NewLoader().LoadFromData(files[provider+"/openapi.json"])
	require.NoError(b, err)
	require.NoError(b, doc.Validate(context.Background()))
	return doc.Webhooks[event].Post.RequestBody.Value.Content.Get("application/json").Schema.Value
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
	require.NoError(b, fs.WalkDir(schemas.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(p, "/examples/") {
			data, err := fs.ReadFile(schemas.FS, p)
			require.NoError(b, err)
			var buf bytes.Buffer
			require.NoError(b, json.Compact(&buf, data))
			if strings.HasPrefix(p, "augustus/") {
				return nil // Augustus names its event in the request path, which NDJSON lines lack
			}
			lines = append(lines, append(buf.Bytes(), '\n'))
		}
		return err
	}))
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
	amounts := map[string]string{"finmo": "/event_detail/amount", "rapyd": "/data/amount", "tazapay": "/data/amount", "augustus": "/payload/price/total", "adyentransfer": "/data/amount/value"}
	fast, err := validate.New(schemas.FS)
	require.NoError(b, err)
	ref, err := validate.New(schemas.FS, validate.WithEngine(validate.Reference))
	require.NoError(b, err)
	for _, bp := range benchPayloads {
		raw, err := fs.ReadFile(schemas.FS, bp.file)
		require.NoError(b, err)
		clean := quoteAt(b, raw, "")
		drifted := quoteAt(b, raw, amounts[bp.provider])
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
