package validate_test

import (
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/race"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook/drift"
)

// nestedArrays puts depth nested arrays at a member of a bundled example.
func nestedArrays(t testing.TB, example, ptr string, depth int) []byte {
	t.Helper()
	body := mutate(t.(*testing.T), example, set(ptr, "HOLE"))
	return []byte(strings.Replace(string(body), `"HOLE"`, strings.Repeat("[", depth)+strings.Repeat("]", depth), 1))
}

// allocatedPerByte is what one Check allocates, per byte of the payload.
func allocatedPerByte(v *validate.Validator, p validate.Payload) (float64, validate.Result) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := v.Check(p)
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(len(p.Body)), r
}

// Memory per payload grows with its size, not with the square of its
// nesting: 9 990 nested arrays in 20 KB cost 105 MB when every level built
// its pointer, and a schema that recurs (a tree of arrays) took minutes
// and gigabytes to follow that deep. Past ReferenceMaxDepth such a payload
// is reported, not followed.
func TestDeepPayloadsCostLinearMemory(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector adds allocations of its own")
	}
	bundled, err := validate.New(schemas.FS)
	require.NoError(t, err)
	trees := fstest.MapFS{
		"acme/acme.json":        {Data: []byte(provider)},
		"acme/events/paid.json": event(`"$ref": "../acme.json", "properties": {"tree": {"$ref": "#/$defs/tree"}}, "$defs": {"tree": {"type": "array", "items": {"$ref": "#/$defs/tree"}}}`),
	}
	recursive, err := validate.New(trees)
	require.NoError(t, err)
	recursiveReference, err := validate.New(trees, validate.WithEngine(validate.Reference))
	require.NoError(t, err)
	tree := func(depth int) []byte {
		return []byte(`{"id": "1", "type": "paid", "tree": ` + strings.Repeat("[", depth) + `1` + strings.Repeat("]", depth) + `}`)
	}
	for _, tc := range []struct {
		name string
		v    *validate.Validator
		body func(depth int) []byte
		want map[int]drift.Finding
	}{
		{"where an object is declared", bundled, func(depth int) []byte {
			return nestedArrays(t, "tazapay/examples/checkout.paid.json", "/data/metadata", depth)
		}, map[int]drift.Finding{
			100:  {Pointer: "/data/metadata", Kind: drift.TypeMismatch},
			127:  {Pointer: "/data/metadata", Kind: drift.TypeMismatch},
			9990: {Pointer: "/data/metadata", Kind: drift.TypeMismatch},
		}},
		{"where the schema recurs, fast engine", recursive, tree, map[int]drift.Finding{
			100:  {Pointer: "/tree" + strings.Repeat("/0", 100), Kind: drift.TypeMismatch},
			127:  {Pointer: "/tree" + strings.Repeat("/0", 127), Kind: drift.TypeMismatch},
			9990: {Pointer: "/tree" + strings.Repeat("/0", 9990), Kind: drift.TypeMismatch},
		}},
		{"where the schema recurs, reference engine", recursiveReference, tree, map[int]drift.Finding{
			100:  {Pointer: "/tree" + strings.Repeat("/0", 100), Kind: drift.TypeMismatch},
			127:  {Pointer: "/tree" + strings.Repeat("/0", 127), Kind: drift.TypeMismatch},
			9990: {Pointer: "/tree" + strings.Repeat("/0", validate.ReferenceMaxDepth-1), Kind: drift.PayloadTooLarge},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, depth := range []int{100, 127, 9990} {
				body := tc.body(depth)
				cost, r := allocatedPerByte(tc.v, validate.Payload{Source: "deep.json", Body: body})
				require.Len(t, r.Findings, 1, "%+v", r.Findings)
				assert.Equal(t, tc.want[depth].Pointer, r.Findings[0].Pointer)
				assert.Equal(t, tc.want[depth].Kind, r.Findings[0].Kind, r.Findings[0].Message)
				t.Logf("depth %d: %d bytes, %.0f bytes allocated per byte", depth, len(body), cost)
				if depth > validate.ReferenceMaxDepth {
					assert.Less(t, cost, 1000.0, "bytes allocated per byte at depth %d", depth)
				}
			}
		})
	}
}

// A number of a million digits is reported as out of range, reading it
// once: math/big took seconds (and gigabytes) over one, with or without
// an exponent, in the engine's range check and in the engine itself.
func TestLongNumbersCostLinearMemory(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector adds allocations of its own")
	}
	for _, engine := range []validate.Engine{validate.Fast, validate.Reference} {
		v, err := validate.New(schemas.FS, validate.WithEngine(engine))
		require.NoError(t, err)
		for _, number := range []string{
			"1" + strings.Repeat("7", 1<<20),         // where an integer is declared
			"1" + strings.Repeat("7", 1<<20) + "e-3", // an integer to the engine, had it read it
			"1e999999",                               // a short number math/big raises to a million
		} {
			body := mutate(t, "tazapay/examples/checkout.paid.json", set("/data/amount", "HOLE"))
			body = []byte(strings.Replace(string(body), `"HOLE"`, number, 1))
			cost, r := allocatedPerByte(v, validate.Payload{Source: "long.json", Body: body})
			require.Len(t, r.Findings, 1, "%+v", r.Findings)
			assert.Equal(t, "/data/amount", r.Findings[0].Pointer)
			assert.Equal(t, drift.InvalidJSON, r.Findings[0].Kind)
			assert.Contains(t, r.Findings[0].Message, "is out of the range payhooks can check")
			assert.Less(t, cost, 100.0, "bytes allocated per byte, %.20s…", number)
		}
	}
}

// BenchmarkNesting checks payloads nested 100, 1 000 and 9 990 arrays deep
// where an object is declared (so both engines look), and where a schema
// recurs (the reference engine follows it ReferenceMaxDepth levels):
// bytes allocated per payload byte stay flat as the nesting grows, where
// they grew with the depth (105 MB for 20 KB at 9 990).
func BenchmarkNesting(b *testing.B) {
	bundled, err := validate.New(schemas.FS)
	require.NoError(b, err)
	recursive, err := validate.New(fstest.MapFS{
		"acme/acme.json":        {Data: []byte(provider)},
		"acme/events/paid.json": event(`"$ref": "../acme.json", "properties": {"tree": {"$ref": "#/$defs/tree"}}, "$defs": {"tree": {"type": "array", "items": {"$ref": "#/$defs/tree"}}}`),
	}, validate.WithEngine(validate.Reference))
	require.NoError(b, err)
	example := string(mutate(&testing.T{}, "tazapay/examples/checkout.paid.json", set("/data/metadata", "HOLE")))
	for _, depth := range []int{100, 2500, 5000, 9990} {
		for _, tc := range []struct {
			name string
			v    *validate.Validator
			body []byte
		}{
			{"declared-object", bundled, []byte(strings.Replace(example, `"HOLE"`, strings.Repeat("[", depth)+strings.Repeat("]", depth), 1))},
			{"recursive-schema", recursive, []byte(`{"id": "1", "type": "paid", "tree": ` + strings.Repeat("[", depth) + `1` + strings.Repeat("]", depth) + `}`)},
		} {
			b.Run(fmt.Sprintf("%s/depth%d", tc.name, depth), func(b *testing.B) {
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				for range b.N {
					tc.v.Check(validate.Payload{Body: tc.body})
				}
				runtime.ReadMemStats(&after)
				b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/float64(b.N)/float64(len(tc.body)), "B/payload-byte")
			})
		}
	}
}
