package generator_test

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generator"
	"github.com/payhooks/payhooks/schemas"
)

// scaled copies the bundled schema folder n times under new provider
// names (finmo7, rapyd7, …), rewriting $ids and provider names, so the
// generator has n times the work.
func scaled(b *testing.B, n int) fs.FS {
	b.Helper()
	out := fstest.MapFS{}
	require.NoError(b, fs.WalkDir(schemas.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".json") || strings.Contains(p, "/examples/") || strings.Contains(p, "/drift/") {
			return err
		}
		data, err := fs.ReadFile(schemas.FS, p)
		if err != nil {
			return err
		}
		provider, rest, _ := strings.Cut(p, "/")
		for i := 0; i < n; i++ {
			name := fmt.Sprintf("%s%d", provider, i)
			text := strings.ReplaceAll(string(data), "/schemas/"+provider+"/", "/schemas/"+name+"/")
			text = strings.ReplaceAll(text, `"name": "`+provider+`"`, `"name": "`+name+`"`)
			file := rest
			if rest == provider+".json" {
				file = name + ".json"
			}
			out[name+"/"+file] = &fstest.MapFile{Data: []byte(text)}
		}
		return nil
	}))
	return out
}

// BenchmarkGenerate measures generation for the bundled schemas and for
// synthetic sets 10 and 100 times larger; ns/provider staying flat shows
// the cost grows linearly.
func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{1, 10, 100} {
		fsys := scaled(b, n)
		b.Run(fmt.Sprintf("x%d", n), func(b *testing.B) {
			b.ReportAllocs()
			var files int
			for i := 0; i < b.N; i++ {
				out, err := generator.Generate(fsys, generator.Options{})
				if err != nil {
					b.Fatal(err)
				}
				files = len(out)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(4*n), "ns/provider")
			b.ReportMetric(float64(files), "files")
		})
	}
}

// nested is a provider whose one event holds branches copies of objects
// nested depth deep ({"a": {"a": …}}), each level its own Go type.
func nested(depth, branches int) fs.FS {
	var b strings.Builder
	b.WriteString(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "x-payhooks-event": "deep", "$ref": "../deep.json", "properties": {`)
	for branch := 0; branch < branches; branch++ {
		if branch > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"b%d": `, branch)
		for i := 0; i < depth; i++ {
			b.WriteString(`{"type": "object", "properties": {"n": {"type": "integer"}, "a": `)
		}
		b.WriteString(`{"type": "string"}`)
		b.WriteString(strings.Repeat(`}}`, depth))
	}
	b.WriteString(`}}`)
	root := `{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "deep",
	  "x-payhooks-provider": {"discriminator": {"in": "body", "pointer": "/type"}, "delivery_id": "/id", "signature": {"scheme": "ivy"}},
	  "type": "object", "properties": {"id": {"type": "string"}, "type": {"type": "string"}}}`
	return fstest.MapFS{"deep/deep.json": {Data: []byte(root)}, "deep/events/deep.json": {Data: []byte(b.String())}}
}

// BenchmarkGenerateNested measures generation of deep schemas. Up to the
// depth payhooks reads (60 levels here: 123 of JSON), ns/level stays flat as
// the schema widens, so the cost is linear in its size; a schema nested 250
// or 1500 levels deep is refused in microseconds instead of taking seconds
// (0.8 s at 250 levels, 76 s at 1500, before the limit).
func BenchmarkGenerateNested(b *testing.B) {
	for _, tc := range []struct{ depth, branches int }{{60, 1}, {60, 4}, {60, 16}, {250, 1}, {1500, 1}} {
		fsys := nested(tc.depth, tc.branches)
		b.Run(fmt.Sprintf("depth%d_x%d", tc.depth, tc.branches), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				_, err := generator.Generate(fsys, generator.Options{})
				if (err != nil) != (tc.depth > 60) {
					b.Fatalf("depth %d: %v", tc.depth, err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(tc.depth*tc.branches), "ns/level")
		})
	}
}

// A schema nested past compile.MaxSchemaDepth is refused at once, with its
// file and line, and one at the limit generates.
func TestGenerateRefusesDeepSchemas(t *testing.T) {
	_, err := generator.Generate(nested(60, 1), generator.Options{})
	require.NoError(t, err)
	_, err = generator.Generate(nested(1500, 1), generator.Options{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), `load schema "deep/events/deep.json": line 1 is nested more than 128 levels deep`)
}
