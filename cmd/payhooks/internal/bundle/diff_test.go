package bundle_test

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/bundle"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/schemas"
)

func handMade(version, events, schema string) fstest.MapFS {
	return fstest.MapFS{
		"index.json":            {Data: []byte(`{"version": "` + version + `", "providers": [{"name": "acme", "events": [` + events + `]}]}`)},
		"acme/events/paid.json": {Data: []byte(schema)},
		"acme/events/old.json":  {Data: []byte(`{"type": "object"}`)},
		"acme/events/new.json":  {Data: []byte(`{"type": "object"}`)},
	}
}

// One change of each class between two hand-made bundles.
func TestDiffClassifiesEachChange(t *testing.T) {
	old := handMade("1.0.0", `{"name": "paid", "schema": "acme/events/paid.json"}, {"name": "refunded", "schema": "acme/events/old.json"}`, `{
	  "$defs": {"money": {"type": "number"}},
	  "allOf": [{"$ref": "#/$defs/envelope"}],
	  "type": "object", "required": ["id", "ref"],
	  "properties": {
	    "id": {"type": "string"},
	    "memo": {"type": "string"},
	    "ref": {"type": "string", "x-payhooks-expected": "doc"},
	    "amount": {"$ref": "#/$defs/money"},
	    "legacy_ref": {"type": "string"},
	    "status": {"type": "string", "enum": ["paid", "failed"]},
	    "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
	    "iban": {"type": "string", "pattern": "^[A-Z]{2}[0-9]{2}"},
	    "sent_at": {"type": "string", "format": "date-time"},
	    "items": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}}}},
	    "note": {"type": ["string", "null"]}
	  }}`)
	new := handMade("1.1.0", `{"name": "paid", "schema": "acme/events/paid.json"}, {"name": "disputed", "schema": "acme/events/new.json"}`, `{
	  "type": "object", "required": ["id", "customer", "memo"],
	  "properties": {
	    "id": {"type": "string"},
	    "memo": {"type": "string", "x-payhooks-expected": "doc"},
	    "ref": {"type": "string"},
	    "amount": {"type": "string"},
	    "status": {"type": "string", "enum": ["paid", "failed", "refunded"]},
	    "currency": {"type": "string", "pattern": "^[A-Z]{3,4}$"},
	    "iban": {"type": "string"},
	    "sent_at": {"type": "string"},
	    "items": {"type": "array", "items": {"type": "object", "properties": {"sku": {"type": "string"}, "qty": {"type": "integer"}}}},
	    "note": {"type": "string"},
	    "customer": {"type": "string"},
	    "metadata": {"type": "object"}
	  }}`)
	changes, oi, ni, err := bundle.Diff(old, new)
	require.NoError(t, err)
	var got []string
	for _, c := range changes {
		got = append(got, string(c.Severity)+" "+c.Event+" "+c.Pointer+": "+c.Message)
	}
	assert.Equal(t, []string{
		"breaking paid /amount: no longer accepts number",
		"breaking paid /customer: required property added",
		"breaking paid /legacy_ref: property removed",
		"breaking paid /note: no longer accepts null",
		"breaking refunded : event removed",
		`warning paid /currency: pattern changed from "^[A-Z]{3}$" to "^[A-Z]{3,4}$"`,
		`warning paid /iban: pattern "^[A-Z]{2}[0-9]{2}" dropped`,
		"warning paid /memo: property is now expected (every documented sample shows it)",
		`warning paid /sent_at: format "date-time" dropped`,
		`warning paid /status: new enum value "refunded"`,
		"info disputed : event added",
		"info paid /amount: now also accepts string",
		"info paid /items/*/qty: optional property added",
		"info paid /metadata: optional property added",
		"info paid /ref: property is no longer expected",
	}, got)

	md := bundle.Changelog(changes, oi, ni)
	assert.True(t, strings.HasPrefix(md, "# payhooks schemas 1.0.0 → 1.1.0\n\n## Breaking\n\n- **acme paid** `/amount`: no longer accepts number\n"), md)
	assert.Contains(t, md, "\n## Warning\n")
	assert.Contains(t, md, "\n## Info\n")
}

func TestDiffOfABundleWithItselfIsEmpty(t *testing.T) {
	cat, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	files, err := bundle.Export(cat, bundle.Options{Version: "1"})
	require.NoError(t, err)
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	changes, oi, ni, err := bundle.Diff(fsys, fsys)
	require.NoError(t, err)
	assert.Empty(t, changes)
	assert.Equal(t, "# payhooks schemas 1 → 1\n\nNo changes.\n", bundle.Changelog(changes, oi, ni))
}

func TestExportIsDeterministicAndSelfContained(t *testing.T) {
	cat, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	a, err := bundle.Export(cat, bundle.Options{Version: "1"})
	require.NoError(t, err)
	b, err := bundle.Export(cat, bundle.Options{Version: "1"})
	require.NoError(t, err)
	assert.Equal(t, a, b)
	for name, data := range a {
		for _, ref := range refsIn(string(data)) {
			assert.True(t, strings.HasPrefix(ref, "#"), "%s: $ref %q must resolve inside the file", name, ref)
		}
	}
	assert.Contains(t, string(a["index.json"]), `"schema": "finmo/events/CHECKOUT_COMPLETED.json"`)
	stripped, err := bundle.Export(cat, bundle.Options{Version: "1", Strip: true})
	require.NoError(t, err)
	for name, data := range stripped {
		assert.NotContains(t, string(data), "x-payhooks-", name)
	}
}

func refsIn(s string) []string {
	var out []string
	for {
		i := strings.Index(s, `"$ref": "`)
		if i < 0 {
			return out
		}
		s = s[i+len(`"$ref": "`):]
		out = append(out, s[:strings.IndexByte(s, '"')])
	}
}

// Names, pointers and versions come from the bundles: the changelog
// escapes them, so none starts a line or drives a terminal.
func TestChangelogEscapesWhatTheBundlesSay(t *testing.T) {
	out := bundle.Changelog([]bundle.Change{{Severity: "info", Provider: "acme", Event: "evil\x1b[2J\n- **forged**\u202e", Pointer: "/a\nb", Message: "optional property added"}},
		bundle.Index{Version: "1\n# forged"}, bundle.Index{Version: "2"})
	assert.Equal(t, "# payhooks schemas 1\\n# forged → 2\n\n## Info\n\n- **acme evil\\x1b[2J\\n- **forged**\\u202e** `/a\\nb`: optional property added\n", out)
}

// A definition reached by many paths (Stripe's customer, through every
// expandable field of every resource) is compared once per event, at the
// shortest path to it: here 2^24 paths lead to one changed leaf, which the
// diff reports once. Compared path by path, the diff of Stripe's documents
// grew past 21 GB.
func TestDiffComparesASharedDefinitionOnce(t *testing.T) {
	bundleOf := func(leafType string) fstest.MapFS {
		var defs []string
		const depth = 24
		for i := range depth {
			defs = append(defs, fmt.Sprintf(`"d%d": {"type": "object", "properties": {"a": {"$ref": "#/$defs/d%d"}, "b": {"$ref": "#/$defs/d%d"}}}`, i, i+1, i+1))
		}
		defs = append(defs, fmt.Sprintf(`"d%d": {"type": "object", "properties": {"leaf": {"type": %q}}}`, depth, leafType))
		return handMade("1", `{"name": "paid", "schema": "acme/events/paid.json"}`, `{"$defs": {`+strings.Join(defs, ", ")+`}, "$ref": "#/$defs/d0"}`)
	}
	changes, _, _, err := bundle.Diff(bundleOf("string"), bundleOf("integer"))
	require.NoError(t, err)
	var messages []string
	for _, c := range changes {
		messages = append(messages, string(c.Severity)+" "+c.Pointer+": "+c.Message)
	}
	path := strings.Repeat("/a", 24) + "/leaf"
	assert.Equal(t, []string{"breaking " + path + ": no longer accepts string", "info " + path + ": now also accepts integer"}, messages)
}
