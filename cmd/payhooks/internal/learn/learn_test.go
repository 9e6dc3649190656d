package learn_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/bundle"
	"github.com/payhooks/payhooks/cmd/payhooks/internal/learn"
	"github.com/payhooks/payhooks/generator"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook/drift"
)

// payload is one input of a learn run.
type payload struct {
	source, provider string
	body             []byte
}

// overlay is fsys with files replaced or added.
func overlay(t testing.TB, fsys fs.FS, changed map[string][]byte) fs.FS {
	t.Helper()
	out := fstest.MapFS{}
	require.NoError(t, fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(fsys, p)
		out[p] = &fstest.MapFile{Data: data}
		return err
	}))
	for p, data := range changed {
		out[p] = &fstest.MapFile{Data: data}
	}
	return out
}

// run learns from the payloads and returns the proposals and the edited
// folder.
func run(t testing.TB, fsys fs.FS, opts learn.Options, inputs []payload) ([]learn.Proposal, fs.FS) {
	t.Helper()
	l, err := learn.New(fsys, opts)
	require.NoError(t, err)
	for _, in := range inputs {
		l.Add(validate.Payload{Source: in.source, Body: in.body, Provider: in.provider})
	}
	proposals, err := l.Proposals()
	require.NoError(t, err)
	changed, err := learn.Apply(fsys, proposals)
	require.NoError(t, err)
	return proposals, overlay(t, fsys, changed)
}

// leaves lists the pointers of a document's scalars, depth first.
func leaves(v any, at string, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(x)) {
			leaves(x[k], jsonpointer.Append(at, k), out)
		}
	case []any:
		for i, item := range x {
			leaves(item, jsonpointer.AppendIndex(at, i), out)
		}
	default:
		*out = append(*out, at)
	}
}

// set returns doc with the value at ptr replaced (or, with drop, removed).
func set(t testing.TB, body []byte, ptr string, value any, drop bool) []byte {
	t.Helper()
	var doc any
	require.NoError(t, json.Unmarshal(body, &doc))
	tokens := strings.Split(ptr, "/")[1:]
	node := doc
	for _, tok := range tokens[:len(tokens)-1] {
		next, _ := jsonpointer.Get(node, "/"+tok)
		node = next
	}
	last := jsonpointer.Unescape(tokens[len(tokens)-1])
	switch x := node.(type) {
	case map[string]any:
		if drop {
			delete(x, last)
		} else {
			x[last] = value
		}
	case []any:
		var i int
		fmt.Sscan(last, &i)
		x[i] = value
	}
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

// onlyKind reports whether a result's findings are all of kind, and some.
func onlyKind(r validate.Result, kind drift.Kind) bool {
	if len(r.Findings) == 0 {
		return false
	}
	for _, f := range r.Findings {
		if f.Kind != kind {
			return false
		}
	}
	return true
}

// synthetic makes drifting payloads from a provider's first example: a new
// optional object, a new enum value, a quoted number, a null, a dropped
// required member, a new event; each kept only when the validator sees it
// as the one kind of drift it is meant to be.
func synthetic(t testing.TB, v *validate.Validator, p *catalog.Provider) []payload {
	t.Helper()
	ex := p.Examples[0]
	body, err := fs.ReadFile(schemas.FS, ex.Path)
	require.NoError(t, err)
	var doc any
	require.NoError(t, json.Unmarshal(body, &doc))
	var ptrs []string
	leaves(doc, "", &ptrs)
	check := func(b []byte) validate.Result { return v.Check(validate.Payload{Body: b, Provider: p.Name}) }
	var out []payload
	add := func(what string, b []byte) {
		out = append(out, payload{source: fmt.Sprintf("synthetic/%s/%s.json", p.Name, what), provider: p.Name, body: b})
	}
	add("new-object", set(t, body, "/learned_object", map[string]any{"id": "lo_1", "count": 2, "at": "2024-05-01T10:00:00Z"}, false))
	// A new property seen with two types: a union the generator makes.
	add("mixed-1", set(t, body, "/learned_mixed", 7, false))
	add("mixed-2", set(t, body, "/learned_mixed", "seven", false))
	found := map[string]bool{}
	for _, ptr := range ptrs {
		value, _ := jsonpointer.Get(doc, ptr)
		try := func(what string, b []byte, kind drift.Kind) {
			if !found[what] && onlyKind(check(b), kind) {
				found[what] = true
				add(what, b)
			}
		}
		switch value.(type) {
		case string:
			try("enum-value", set(t, body, ptr, "LEARNED_VALUE", false), drift.UnknownEnumValue)
		case float64:
			try("quoted-number", set(t, body, ptr, fmt.Sprint(value), false), drift.TypeMismatch)
		}
		try("null", set(t, body, ptr, nil, false), drift.TypeMismatch)
		try("dropped", set(t, body, ptr, nil, true), drift.MissingRequired)
		try("dropped-expected", set(t, body, ptr, nil, true), drift.MissingExpected)
	}
	if name, ok := jsonpointer.TopLevel(p.Addressing.EventPointer); ok && p.Addressing.PathPrefix == "" {
		for i := range 2 {
			b := set(t, body, "/"+name, "learned."+p.Name, false)
			add(fmt.Sprintf("new-event-%d", i), b)
		}
	}
	return out
}

// After learning from every provider's drift samples and synthetic drift,
// the payloads validate clean (but for what is left for review by hand),
// every bundled example keeps its result, the new folder generates Go
// that compiles, and learning again changes nothing.
func TestLearnMakesDriftClean(t *testing.T) {
	bundled, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	before, err := validate.New(bundled)
	require.NoError(t, err)
	var inputs []payload
	for _, p := range bundled.Providers {
		for _, d := range p.Drift {
			body, err := fs.ReadFile(schemas.FS, d.Path)
			require.NoError(t, err)
			inputs = append(inputs, payload{d.Path, p.Name, body})
		}
		inputs = append(inputs, synthetic(t, before, p)...)
	}
	kinds := map[drift.Kind]int{}
	for _, in := range inputs {
		for _, f := range before.Check(validate.Payload{Source: in.source, Body: in.body, Provider: in.provider}).Findings {
			kinds[f.Kind]++
		}
	}
	for _, k := range []drift.Kind{drift.UnknownProperty, drift.UnknownEnumValue, drift.TypeMismatch, drift.MissingRequired, drift.MissingExpected, drift.UnknownEvent} {
		assert.Positive(t, kinds[k], "the inputs drift with %s", k)
	}

	proposals, learned := run(t, schemas.FS, learn.Options{}, inputs)
	review := map[string]bool{}
	for _, p := range proposals {
		if !p.Applied {
			for _, e := range p.Events {
				review[p.Provider+" "+e+" "+string(p.Kind)+" "+p.Pointer] = true
			}
		}
	}
	after, err := validate.New(learned)
	require.NoError(t, err)
	for _, in := range inputs {
		r := after.Check(validate.Payload{Source: in.source, Body: in.body, Provider: in.provider})
		for _, f := range r.Findings {
			key := r.Provider + " " + r.Event + " " + string(f.Kind) + " " + learn.Place(in.body, f.Pointer)
			assert.True(t, review[key], "%s: %s %s %s remains after learning", in.source, f.Kind, f.Pointer, f.Message)
		}
	}
	for _, p := range bundled.Providers {
		var paths []string
		for _, ex := range p.Examples {
			paths = append(paths, ex.Path)
		}
		for _, d := range p.Drift {
			paths = append(paths, d.Path)
		}
		for _, path := range paths {
			body, err := fs.ReadFile(schemas.FS, path)
			require.NoError(t, err)
			old := before.Check(validate.Payload{Source: path, Body: body})
			if len(old.Findings) > 0 {
				continue // drift samples: what they had is what was learned
			}
			assert.Equal(t, old, after.Check(validate.Payload{Source: path, Body: body}), "%s keeps its result", path)
		}
	}

	again, _ := run(t, learned, learn.Options{}, inputs)
	for _, p := range again {
		assert.False(t, p.Applied, "learning twice changes nothing: %+v", p)
	}

	files, err := generator.Generate(learned, generator.Options{})
	require.NoError(t, err)
	compiles(t, files)
}

// compiles writes generated packages inside the module (under testdata,
// which ./... skips) and vets them.
func compiles(t *testing.T, files map[string][]byte) {
	t.Helper()
	dir, err := os.MkdirTemp("testdata", "generated-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir) })
	for name, data := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, data, 0o644))
	}
	out, err := exec.Command("go", "vet", "./"+filepath.ToSlash(dir)+"/...").CombinedOutput()
	require.NoError(t, err, "the learned schemas generate Go that compiles:\n%s", out)
}

// Each applied proposal is, to consumers of the exported schemas, what
// payhooks schemas diff says of it: the same class and words.
func TestProposalsReadAsSchemasDiff(t *testing.T) {
	inputs := goldenInputs(t)
	proposals, learned := run(t, schemas.FS, learn.Options{Relax: true}, inputs)
	export := func(fsys fs.FS) fs.FS {
		cat, err := catalog.Load(fsys)
		require.NoError(t, err)
		files, err := bundle.Export(cat, bundle.Options{Version: "1"})
		require.NoError(t, err)
		out := fstest.MapFS{}
		for name, data := range files {
			out[name] = &fstest.MapFile{Data: data}
		}
		return out
	}
	changes, _, _, err := bundle.Diff(export(schemas.FS), export(learned))
	require.NoError(t, err)
	said := map[string]bool{}
	for _, c := range changes {
		said[string(c.Severity)+" "+c.Provider+" "+c.Message] = true
	}
	applied := 0
	for _, p := range proposals {
		if !p.Applied {
			continue
		}
		applied++
		if strings.Contains(p.Consumers, "schemas diff does not compare") {
			continue
		}
		for _, words := range strings.Split(p.Consumers, "; ") {
			found := false
			for key := range said {
				if strings.HasPrefix(key, string(p.Severity)+" "+p.Provider+" ") && strings.Contains(key, strings.SplitN(words, " \"", 2)[0]) {
					found = true
				}
			}
			assert.True(t, found, "%s %s %s: schemas diff says nothing like %s %q; it says %v", p.Provider, p.Kind, p.Pointer, p.Severity, words, slices.Sorted(maps.Keys(said)))
		}
	}
	assert.Positive(t, applied)
}

// Array positions are merged; a member named with digits is not one.
func TestPlace(t *testing.T) {
	body := []byte(`{"items": [{"x": 1}, {"x": 2}], "00": {"1": [[5]]}}`)
	assert.Equal(t, "/items/*/x", learn.Place(body, "/items/1/x"))
	assert.Equal(t, "/00/1/*/*", learn.Place(body, "/00/1/0/0"))
	assert.Equal(t, "/00", learn.Place(body, "/00"))
	assert.Equal(t, "", learn.Place(body, ""))
}

// A new event whose name cannot name a file as it is (CON, a:b, one that
// folds onto an existing file's name) gets a schema file with a portable,
// hashed name; the folder compiles, and generates Go that compiles.
func TestLearnNamesNewEventFilesPortably(t *testing.T) {
	body, err := fs.ReadFile(schemas.FS, "tazapay/examples/checkout.paid.json")
	require.NoError(t, err)
	var inputs []payload
	for _, event := range []string{"CON", "a:b", "payment_windows", "x.linux", "~"} {
		inputs = append(inputs, payload{"synthetic/" + event, "tazapay", set(t, body, "/type", event, false)})
	}
	proposals, learned := run(t, schemas.FS, learn.Options{}, inputs)
	var files []string
	for _, p := range proposals {
		require.True(t, p.Applied, "%s: %s", p.Events, p.Review)
		require.Len(t, p.Edits, 1)
		files = append(files, p.Edits[0].File)
		assert.NoError(t, catalog.PortablePath(p.Edits[0].File))
	}
	assert.Contains(t, files, "tazapay/events/payment_windows.json", "a plain name stays")
	assert.Contains(t, files, "tazapay/events/con~"+catalog.HashedBase("CON")[len("con~"):]+".json")
	after, err := validate.New(learned)
	require.NoError(t, err)
	for _, in := range inputs {
		assert.Empty(t, after.Check(validate.Payload{Source: in.source, Body: in.body, Provider: in.provider}).Findings, in.source)
	}
	generated, err := generator.Generate(learned, generator.Options{Providers: []string{"tazapay"}})
	require.NoError(t, err)
	compiles(t, generated)

	// checkout.paid.json is there: another case of its name is hashed.
	proposals, _ = run(t, schemas.FS, learn.Options{}, []payload{{"synthetic/case", "tazapay", set(t, body, "/type", "Checkout.Paid", false)}})
	require.Len(t, proposals, 1)
	assert.Equal(t, "tazapay/events/"+catalog.HashedBase("Checkout.Paid")+".json", proposals[0].Edits[0].File)
}

// Drift the generated types read without loss (a quoted amount) is for
// review, never an edit that turns the field into a union; a value they
// cannot read ("abc" where an integer is declared) still widens the type.
func TestLosslessDriftIsReviewedNotWidened(t *testing.T) {
	body, err := fs.ReadFile(schemas.FS, "tazapay/examples/checkout.paid.json")
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(body, &doc))
	withAmount := func(v any) []byte {
		doc["data"].(map[string]any)["amount"] = v
		out, err := json.Marshal(doc)
		require.NoError(t, err)
		return out
	}
	for _, tc := range []struct {
		amounts []any
		review  bool
	}{
		{[]any{"6700"}, true},
		{[]any{"6700", "12", "6700.0"}, true},
		{[]any{"6700", "abc"}, false},
		{[]any{"67.5"}, false}, // not a whole number: no integer holds it
	} {
		var inputs []payload
		for i, a := range tc.amounts {
			inputs = append(inputs, payload{source: fmt.Sprintf("p%d.json", i), body: withAmount(a)})
		}
		proposals, _ := run(t, schemas.FS, learn.Options{MinCount: 1}, inputs)
		var amount *learn.Proposal
		for i := range proposals {
			if proposals[i].Pointer == "/data/amount" {
				amount = &proposals[i]
			}
		}
		require.NotNil(t, amount, "%v", tc.amounts)
		if tc.review {
			assert.False(t, amount.Applied, "%v", tc.amounts)
			assert.Empty(t, amount.Edits, "%v", tc.amounts)
			assert.Contains(t, amount.Review, "as the declared integer without loss")
		} else {
			assert.True(t, amount.Applied, "%v", tc.amounts)
			assert.Contains(t, amount.Change, "widen the type to also accept string")
		}
	}
}
