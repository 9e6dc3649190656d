package infer

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/require"
)

// FuzzInfer: from any two JSON samples (split at a NUL byte), the schema
// inferred compiles and accepts both, formats asserted; merging the nodes
// of each sample gives the schema of both added to one.
func FuzzInfer(f *testing.F) {
	for _, seed := range []string{
		`{"id": "a", "n": 1, "at": "2024-01-02T03:04:05Z", "tags": ["x"]}` + "\x00" + `{"id": "b", "n": 2.5, "at": null, "extra": {"k": true}}`,
		`[1, "two", null, {"three": 3}]` + "\x00" + `"550e8400-e29b-41d4-a716-446655440000"`,
		`1700000000` + "\x00" + `1700000000123`,
		`"a@b.co"` + "\x00" + `"https://example.com/x"`,
		`"2023-12-25 21:59:59"` + "\x00" + `{}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, b, _ := bytes.Cut(data, []byte{0})
		var samples []any
		for _, raw := range [][]byte{a, b} {
			dec := json.NewDecoder(bytes.NewReader(raw))
			dec.UseNumber()
			var v any
			if dec.Decode(&v) != nil || dec.More() {
				return
			}
			samples = append(samples, v)
		}
		whole, left, right := New(), New(), New()
		for _, v := range samples {
			whole.Add(v)
		}
		left.Add(samples[0])
		right.Add(samples[1])
		left.Merge(right)
		schema, err := Indent(whole.Schema())
		require.NoError(t, err)
		merged, err := Indent(left.Schema())
		require.NoError(t, err)
		require.Equal(t, string(schema), string(merged), "Merge is Add of both")

		c := jsonschema.NewCompiler()
		c.Draft = jsonschema.Draft2020
		c.AssertFormat = true
		require.NoError(t, c.AddResource("s.json", bytes.NewReader(schema)))
		compiled, err := c.Compile("s.json")
		require.NoError(t, err, "%s", schema)
		for _, v := range samples {
			require.NoError(t, compiled.Validate(v), "the schema refuses its sample\n%s", schema)
		}
	})
}
