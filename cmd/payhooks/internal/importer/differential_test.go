package importer_test

import (
	"bytes"
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

	"github.com/payhooks/payhooks/cmd/payhooks/internal/importer"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
)

// python finds python3 with jsonschema, or skips the test on a developer's
// machine without it (CI installs it and fails instead).
func python(t *testing.T) string {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil || exec.Command(python, "-c", "import jsonschema").Run() != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("python3 with jsonschema is missing in CI: apt-get install python3-jsonschema")
		}
		t.Skip("python3 with jsonschema is not installed; CI installs it and runs this test")
	}
	return python
}

// A payload payhooks refuses, as the document would: a finding at warning
// or above, or a member a closed object of the document closes out (an
// info finding, since payhooks reads such objects as open, but the
// document refuses it). An open object's undeclared member is refused by
// neither.
func refuses(findings []drift.Finding) bool {
	for _, f := range findings {
		if f.Severity.AtLeast(drift.Warning) || strings.Contains(f.Message, "which closes the object") {
			return true
		}
	}
	return false
}

// For every bundled OpenAPI provider (the three Adyen documents as
// imported, Augustus's own document) and Adyen's Accounting v3 document
// imported here, payhooks' verdict (both engines) on every example, doc
// sample and systematic mutant of them (each member dropped, set to null,
// to another JSON type, a string to an undocumented value, an unknown
// member added) equals Python jsonschema's on the provider's original
// document. The discriminator is never dropped, nor the body replaced:
// payhooks reads the event's name as structural, where Adyen's transfer
// documents neither require it nor say the body is an object.
func TestVerdictsMatchPythonOnTheOriginalDocuments(t *testing.T) {
	py := python(t)
	accounting, err := os.ReadFile(filepath.Join("testdata", "adyen", "BalancePlatformAccountingNotification-v3.json"))
	require.NoError(t, err)
	r, err := importer.Import(accounting, importer.Options{Name: "adyenaccounting", Signature: webhook.Scheme{Name: webhook.SchemeAdyenHMAC}, DeliveryID: webhook.BodyDeliveryID})
	require.NoError(t, err)
	imported := fstest.MapFS{}
	for name, data := range r.Files {
		imported[name] = &fstest.MapFile{Data: data}
	}
	for _, tc := range []struct {
		provider, original string
		fsys               fs.FS
	}{
		{"adyentokenization", "testdata/adyen/TokenizationNotification-v1.json", schemas.FS},
		{"adyenpayment", "testdata/adyen/BalancePlatformPaymentNotification-v1.json", schemas.FS},
		{"adyentransfer", "testdata/adyen/BalancePlatformTransferNotification-v4.json", schemas.FS},
		{"adyenaccounting", "testdata/adyen/BalancePlatformAccountingNotification-v3.json", imported},
		{"augustus", "../../../../schemas/augustus/openapi.json", schemas.FS},
	} {
		t.Run(tc.provider, func(t *testing.T) {
			cat, err := catalog.Load(tc.fsys)
			require.NoError(t, err)
			fast, err := validate.New(cat)
			require.NoError(t, err)
			reference, err := validate.New(tc.fsys, validate.WithEngine(validate.Reference))
			require.NoError(t, err)
			p := cat.Provider(tc.provider)
			require.NotNil(t, p)
			type sample struct{ path, event string }
			var samples []sample
			for _, ex := range p.Examples {
				samples = append(samples, sample{ex.Path, ex.Event})
			}
			for _, d := range p.Drift {
				samples = append(samples, sample{d.Path, d.Expect.Event})
			}
			require.NotEmpty(t, samples)

			type pcase struct {
				Webhook string `json:"webhook"`
				Payload any    `json:"payload"`
			}
			var cases []pcase
			var refused []bool
			var names []string
			seen := map[string]bool{}
			for _, s := range samples {
				body, err := fs.ReadFile(tc.fsys, s.path)
				require.NoError(t, err)
				doc := decode(t, body)
				for _, m := range append([]mutant{{"as it is", doc}}, mutants(doc, p)...) {
					data, err := json.Marshal(m.doc)
					require.NoError(t, err)
					key := s.path + " " + m.name
					if seen[key] {
						continue
					}
					seen[key] = true
					payload := validate.Payload{Source: s.path + " " + m.name, Body: data, Provider: p.Name}
					if p.Addressing.PathPrefix != "" {
						payload.Path = p.Addressing.PathPrefix + s.event
					}
					f, ref := fast.Check(payload), reference.Check(payload)
					require.Equal(t, keys(ref.Findings), keys(f.Findings), "%s: the engines disagree", payload.Source)
					webhook := s.event
					if p.Event(ref.Event) != nil {
						webhook = ref.Event
					}
					cases = append(cases, pcase{webhook, json.RawMessage(data)})
					refused = append(refused, refuses(ref.Findings))
					names = append(names, fmt.Sprintf("%s (%s): %+v", payload.Source, webhook, ref.Findings))
				}
			}
			file := filepath.Join(t.TempDir(), "cases.json")
			data, err := json.Marshal(cases)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(file, data, 0o644))
			out, err := exec.Command(py, filepath.Join("testdata", "adyen", "differential.py"), tc.original, file).Output()
			if ee, ok := err.(*exec.ExitError); ok {
				t.Fatalf("differential.py: %v\n%s", err, ee.Stderr)
			}
			require.NoError(t, err)
			var valid []bool
			require.NoError(t, json.Unmarshal(out, &valid))
			require.Len(t, valid, len(cases))
			disagree := 0
			for i := range cases {
				if valid[i] == refused[i] {
					disagree++
					if disagree <= 20 {
						t.Errorf("python jsonschema says valid=%v on the original document, payhooks refuses=%v: %s", valid[i], refused[i], names[i])
					}
				}
			}
			assert.Zero(t, disagree, "of %d payloads", len(cases))
			assert.Contains(t, refused, true)
			assert.Contains(t, refused, false)
			t.Logf("%s: %d payloads (%d samples and their mutants), python jsonschema and payhooks agree on every one", tc.provider, len(cases), len(samples))
		})
	}
}

func decode(t *testing.T, body []byte) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	require.NoError(t, dec.Decode(&v))
	return v
}

func keys(fs []drift.Finding) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = string(f.Kind) + " " + string(f.Severity) + " " + f.Pointer
	}
	return out
}

type mutant struct {
	name string
	doc  any
}

// mutants changes a payload in every place, one change at a time; the name
// says where (array positions as *) and how, so one change is tried once
// per sample however many items of a list repeat it.
func mutants(doc any, p *catalog.Provider) []mutant {
	var out []mutant
	var walk func(v any, ptr, pattern string)
	walk = func(v any, ptr, pattern string) {
		replace := func(how string, with any) {
			out = append(out, mutant{pattern + " " + how, setAt(doc, ptr, with, false)})
		}
		switch x := v.(type) {
		case map[string]any:
			if ptr != "" { // a body that is no object names no event: structural
				replace("to a string", "x")
			}
			out = append(out, mutant{pattern + " an unknown member", setAt(doc, jsonpointer.Append(ptr, "zzUnknown"), json.Number("1"), false)})
			for _, k := range slices.Sorted(maps.Keys(x)) {
				child := jsonpointer.Append(ptr, k)
				if child != p.Addressing.EventPointer {
					out = append(out, mutant{pattern + "/" + k + " dropped", setAt(doc, child, nil, true)})
				}
				walk(x[k], child, pattern+"/"+k)
			}
		case []any:
			replace("to an object", map[string]any{})
			for i, item := range x {
				walk(item, jsonpointer.AppendIndex(ptr, i), pattern+"/*")
			}
		case string:
			replace("to a number", json.Number("7"))
			replace("to an undocumented string", "zz")
		case json.Number:
			replace("to a string", "7")
		case bool:
			replace("to a string", "true")
		}
		if v != nil && ptr != "" {
			replace("to null", nil)
		}
	}
	walk(doc, "", "")
	return out
}

// setAt returns a copy of doc with the value at ptr replaced (or removed).
func setAt(doc any, ptr string, value any, remove bool) any {
	if ptr == "" {
		return value
	}
	tokens := strings.Split(ptr[1:], "/")
	var set func(v any, i int) any
	set = func(v any, i int) any {
		tok := jsonpointer.Unescape(tokens[i])
		switch x := v.(type) {
		case map[string]any:
			out := make(map[string]any, len(x)+1)
			for k, c := range x {
				out[k] = c
			}
			switch {
			case i < len(tokens)-1:
				out[tok] = set(x[tok], i+1)
			case remove:
				delete(out, tok)
			default:
				out[tok] = value
			}
			return out
		case []any:
			out := slices.Clone(x)
			var n int
			fmt.Sscanf(tok, "%d", &n)
			if i < len(tokens)-1 {
				out[n] = set(x[n], i+1)
			} else {
				out[n] = value
			}
			return out
		}
		return v
	}
	return set(doc, 0)
}
