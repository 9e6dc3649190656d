package learn_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/learn"
	"github.com/payhooks/payhooks/internal/testonly/corpus"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// goldenInputs are the bundled drift samples and testdata/drift, in path
// order.
func goldenInputs(t *testing.T) []payload {
	t.Helper()
	var out []payload
	for _, c := range corpus.Payloads(t, corpus.Drift) {
		out = append(out, payload{source: "schemas/" + c.Path, body: c.Data})
	}
	files, err := filepath.Glob("testdata/drift/*.json")
	require.NoError(t, err)
	for _, f := range files {
		body, err := os.ReadFile(f)
		require.NoError(t, err)
		out = append(out, payload{source: filepath.ToSlash(f), body: body})
	}
	return out
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	file := filepath.Join("testdata", "golden", name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(file), 0o755))
		require.NoError(t, os.WriteFile(file, got, 0o644))
	}
	want, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got), "%s differs (go test ./cmd/payhooks/internal/learn -update, then review)", file)
}

func report(t *testing.T, opts learn.Options) learn.Report {
	t.Helper()
	l, err := learn.New(schemas.FS, opts)
	require.NoError(t, err)
	for _, in := range goldenInputs(t) {
		l.Add(validate.Payload{Source: in.source, Body: in.body})
	}
	proposals, err := l.Proposals()
	require.NoError(t, err)
	return learn.NewReport(l, proposals)
}

// The review a person reads and the patches a tool applies, from the same
// run.
func TestReportGolden(t *testing.T) {
	r := report(t, learn.Options{MinCount: 2})
	var text, patch bytes.Buffer
	require.NoError(t, r.WriteText(&text))
	require.NoError(t, r.WritePatch(&patch))
	golden(t, "review.txt", text.Bytes())
	// Values inside arrays are read too (they once were not, and the
	// inferred schema was {}).
	assert.Contains(t, text.String(), `fee_share {"type":"integer"}`)
	golden(t, "patch.json", patch.Bytes())
	assert.Positive(t, r.Summary.BelowMinCount, "-min-count 2 holds some back")
	assert.Positive(t, r.Summary.Applied)

	relaxed := report(t, learn.Options{Relax: true})
	patch.Reset()
	require.NoError(t, relaxed.WritePatch(&patch))
	golden(t, "patch-relax.json", patch.Bytes())
}

// The JSON report is valid against the schema in the repository.
func TestReportJSONMatchesItsSchema(t *testing.T) {
	c := jsonschema.NewCompiler()
	c.Draft = jsonschema.Draft2020
	require.NoError(t, c.AddResource("report.schema.json", bytes.NewReader(learn.ReportSchema)))
	schema, err := c.Compile("report.schema.json")
	require.NoError(t, err)
	for _, opts := range []learn.Options{{}, {MinCount: 2, Relax: true}} {
		var buf bytes.Buffer
		require.NoError(t, report(t, opts).WriteJSON(&buf))
		var doc any
		require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
		assert.NoError(t, schema.Validate(doc))
	}
	l, err := learn.New(schemas.FS, learn.Options{})
	require.NoError(t, err)
	l.Add(validate.Payload{Source: "bad.json", Body: []byte(`{"type": `)})
	var empty bytes.Buffer
	require.NoError(t, learn.NewReport(l, nil).WriteJSON(&empty))
	var doc any
	require.NoError(t, json.Unmarshal(empty.Bytes(), &doc))
	assert.NoError(t, schema.Validate(doc), "a run with nothing to learn")
	assert.Contains(t, empty.String(), `"first_unlearnable": {
    "source": "bad.json"
  }`)
}
