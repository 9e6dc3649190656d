package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writeNDJSON writes n payloads, one a line, each from the example with
// edit applied to its decoded copy.
func writeNDJSON(t *testing.T, name, example string, n int, edit func(i int, doc map[string]any)) int64 {
	t.Helper()
	f, err := os.Create(name)
	require.NoError(t, err)
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	for i := range n {
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(example), &doc))
		edit(i, doc)
		line, err := json.Marshal(doc)
		require.NoError(t, err)
		w.Write(append(line, '\n'))
	}
	require.NoError(t, w.Flush())
	info, err := f.Stat()
	require.NoError(t, err)
	return info.Size()
}

// schemas init and learn hold the schemas they build, not the payloads,
// and take time linear in them: init on 20 000 samples (18 MB, each with a
// member no other has) held 307 MB and ran past two minutes (issue 26); learn -out on
// 25 000 payloads with a new key each held 898 MB and took 92 s (every key
// a property, compiled in quadratic time). Keys beyond 256 names at one
// place fold into a map (additionalProperties).
func TestInitAndLearnMemoryAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 55 MB of payloads")
	}
	dir := t.TempDir()
	example := readExample(t, "tazapay/examples/checkout.paid.json")
	samples := filepath.Join(dir, "samples.ndjson")
	size := writeNDJSON(t, samples, example, 20_000, func(i int, doc map[string]any) {
		doc["id"] = fmt.Sprintf("evt_%d", i)
		doc["type"] = []string{"checkout.paid", "checkout.expired", "checkout.created"}[i%3]
		doc[fmt.Sprintf("trace_%d", i)] = i
		doc["data"].(map[string]any)[fmt.Sprintf("order_%d", i)] = map[string]any{"sku": "s", "qty": i}
	})
	out, stderr, code, peak := payhooksMeasured(t, nil, "schemas", "init", "-provider", "acme", "-signature", "ivy", "-out", filepath.Join(dir, "schemas"), samples)
	t.Logf("schemas init on 20000 samples (%d MB): peak resident memory %d MB", size>>20, peak>>20)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, out, "keys, not fields")
	assert.Less(t, peak, int64(64<<20))

	drift := filepath.Join(dir, "drift.ndjson")
	size = writeNDJSON(t, drift, readExample(t, "tazapay/examples/checkout.created.json"), 25_000, func(i int, doc map[string]any) {
		doc["data"].(map[string]any)[fmt.Sprintf("extra_%d", i)] = i
	})
	_, stderr, code, peak = payhooksMeasured(t, nil, "schemas", "learn", "-out", filepath.Join(dir, "learned"), drift)
	t.Logf("schemas learn -out on 25000 payloads with a new key each (%d MB): peak resident memory %d MB", size>>20, peak>>20)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stderr, "1 file changed")
	assert.Less(t, peak, int64(64<<20))
}
