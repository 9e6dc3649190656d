package generator_test

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generator"
	"github.com/payhooks/payhooks/schemas"
)

// scaled copies the bundled schema folder n times under new provider
// names (finmo7, rapyd7, …), rewriting $ids and provider names, so the
// generator has n times the work.
func scaled(b *testing.B, n int) fs.FS {
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
