package stripebench

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/bundle"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/importer"
	"github.com/payhooks/payhooks/webhook"
)

// A real provider change: the document stripe-mock v0.162.0 embeds (API
// version 2022-11-15, no event tags: its events come from v0.203.0's with
// -events-from, those whose resources it describes) against v0.203.0's,
// exported and compared as payhooks schemas export and diff do. The counts
// by class are the README's; the changelog is written to
// .docs/stripe-changelog.md.
func TestChangelogFromV0162(t *testing.T) {
	older, err := os.ReadFile(olderFile)
	require.NoError(t, err, "make stripe-import writes it")
	newer, err := os.ReadFile(specFile)
	require.NoError(t, err)
	r, err := importer.Import(older, importer.Options{Name: "stripe", Signature: webhook.Scheme{Name: webhook.SchemeStripe}, EventsFrom: newer})
	require.NoError(t, err)
	assert.Contains(t, r.Notes, "events: taken from the other document (this one tags none): 254 of 303, those whose resources this document describes")
	oldFS := fstest.MapFS{}
	for name, data := range r.Files {
		oldFS[name] = &fstest.MapFile{Data: data}
	}
	export := func(fsys fstest.MapFS) fstest.MapFS {
		cat, err := catalog.Load(fsys)
		require.NoError(t, err)
		files, err := bundle.Export(cat, bundle.Options{})
		require.NoError(t, err)
		out := fstest.MapFS{}
		for name, data := range files {
			out[name] = &fstest.MapFile{Data: data}
		}
		return out
	}
	newFS := fstest.MapFS{"stripe/openapi.json": &fstest.MapFile{Data: must(os.ReadFile(filepath.Join(schemaDir, "stripe", "openapi.json")))}}
	changes, oi, ni, err := bundle.Diff(export(oldFS), export(newFS))
	require.NoError(t, err)
	bySeverity, byMessage := map[string]int{}, map[string]int{}
	for _, c := range changes {
		bySeverity[c.Severity]++
		if c.Message == "event added" {
			byMessage[c.Message]++
		}
	}
	t.Logf("%d changes: %v; %d events added", len(changes), bySeverity, byMessage["event added"])
	assert.Equal(t, map[string]int{"breaking": 86062, "warning": 84182, "info": 77744}, bySeverity, "the counts the README gives")
	assert.Equal(t, 49, byMessage["event added"])
	assert.Contains(t, changes, bundle.Change{Severity: "breaking", Provider: "stripe", Event: "payment_intent.succeeded", Pointer: "/data/object/customer/discount/coupon", Message: "property removed"})
	require.NoError(t, os.WriteFile(".docs/stripe-changelog.md", []byte(bundle.Changelog(changes, oi, ni)), 0o644))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
