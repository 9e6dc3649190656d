package bundle_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/bundle"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
)

// interopDir holds the npm project of the JavaScript tools; .ci/run
// installs it with npm ci.
var interopDir, _ = filepath.Abs("testdata/interop")

// need finds a tool or, without it, skips the test on a developer's
// machine and fails it in CI, which installs every tool.
func need(t *testing.T, what, how string, found bool) {
	t.Helper()
	if found {
		return
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s is missing in CI: %s", what, how)
	}
	t.Skipf("%s is not installed (%s); CI installs it and runs this test", what, how)
}

func nodeTool(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(interopDir, "node_modules", ".bin", name)
	_, err := os.Stat(p)
	need(t, name, "npm ci --prefix internal/bundle/testdata/interop", err == nil)
	return p
}

// export writes the bundled schemas' bundle into a temporary folder.
func export(t *testing.T, strip bool) string {
	t.Helper()
	cat, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	files, err := bundle.Export(cat, bundle.Options{Version: "test", Strip: strip})
	require.NoError(t, err)
	dir := t.TempDir()
	for name, data := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, data, 0o644))
	}
	return dir
}

type interopCase struct {
	Payload string `json:"payload"`
	Schema  string `json:"schema"`
	valid   bool   // payhooks' verdict
}

// cases pairs every bundled example and drift sample with the exported
// schema of its event (the envelope for an unknown event) and with
// payhooks validate's verdict: valid when no finding is a schema error,
// that is, nothing but unknown properties and unknown events, which the
// open schemas allow.
func cases(t *testing.T) []interopCase {
	t.Helper()
	v, err := validate.New(schemas.FS)
	require.NoError(t, err)
	root, err := filepath.Abs("../../schemas")
	require.NoError(t, err)
	var out []interopCase
	add := func(p *catalog.Provider, file, event string) {
		body, err := fs.ReadFile(schemas.FS, file)
		require.NoError(t, err)
		override := ""
		if p.Discriminator.In == "path" {
			override = p.Name
		}
		r := v.Check(validate.Payload{Body: body, Provider: override, Event: event})
		valid := true
		for _, f := range r.Findings {
			if f.Kind != validate.UnknownProperty && f.Kind != validate.UnknownEvent {
				valid = false
			}
		}
		schema := filepath.ToSlash(filepath.Join(p.Name, "events", event+".json"))
		if p.Event(event) == nil {
			schema = p.Name + "/envelope.json"
		}
		out = append(out, interopCase{Payload: filepath.Join(root, file), Schema: schema, valid: valid})
	}
	for _, p := range v.Catalog().Providers {
		for _, ex := range p.Examples {
			add(p, ex.Path, ex.Event)
		}
		for _, d := range p.Drift {
			add(p, d.Path, d.Expect.Event)
		}
	}
	return out
}

type verdicts struct {
	Compiled int `json:"compiled"`
	Results  []struct {
		Payload string   `json:"payload"`
		Valid   bool     `json:"valid"`
		Errors  []string `json:"errors"`
	} `json:"results"`
}

// agree runs a checker over every case and compares it with payhooks.
func agree(t *testing.T, name string, cmd *exec.Cmd, cs []interopCase) {
	t.Helper()
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); ok {
		t.Fatalf("%s: %v\n%s", name, err, ee.Stderr)
	}
	require.NoError(t, err)
	var v verdicts
	require.NoError(t, json.Unmarshal(out, &v), string(out))
	assert.Equal(t, 27, v.Compiled, "%s compiles every exported schema (24 events, 3 envelopes)", name)
	require.Len(t, v.Results, len(cs))
	invalid := 0
	for i, r := range v.Results {
		assert.Equal(t, cs[i].valid, r.Valid, "%s and payhooks disagree on %s (%s): %v", name, cs[i].Payload, cs[i].Schema, r.Errors)
		if !r.Valid {
			invalid++
		}
	}
	assert.Equal(t, 5, invalid, "%s rejects the five known-drift samples with schema errors", name)
}

func writeCases(t *testing.T, cs []interopCase) string {
	t.Helper()
	data, err := json.Marshal(cs)
	require.NoError(t, err)
	p := filepath.Join(t.TempDir(), "cases.json")
	require.NoError(t, os.WriteFile(p, data, 0o644))
	return p
}

func TestAjvAgreesWithPayhooks(t *testing.T) {
	nodeTool(t, "tsc") // the npm project is installed
	node, err := exec.LookPath("node")
	need(t, "node", "install Node.js", err == nil)
	cs := cases(t)
	for _, strip := range []bool{false, true} {
		dir := export(t, strip)
		agree(t, "ajv", exec.Command(node, filepath.Join(interopDir, "ajv-check.mjs"), dir, writeCases(t, cs)), cs)
	}
}

func TestPythonJSONSchemaAgreesWithPayhooks(t *testing.T) {
	python := ""
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if path, err := exec.LookPath(p); err == nil && exec.Command(path, "-c", "import jsonschema").Run() == nil {
			python = path
			break
		}
	}
	need(t, "python3 with jsonschema", "apt-get install python3-jsonschema", python != "")
	cs := cases(t)
	dir := export(t, false)
	agree(t, "python jsonschema", exec.Command(python, filepath.Join(interopDir, "jsonschema-check.py"), dir, writeCases(t, cs)), cs)
}

// json-schema-to-typescript turns every event schema into TypeScript, and
// tsc type-checks a file that uses them.
func TestTypeScriptFromEverySchema(t *testing.T) {
	json2ts, tsc := nodeTool(t, "json2ts"), nodeTool(t, "tsc")
	dir := export(t, false)
	out := t.TempDir()
	var index bundle.Index
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &index))
	n := 0
	for _, p := range index.Providers {
		for _, e := range p.Events {
			target := filepath.Join(out, p.Name, strings.NewReplacer(".", "_").Replace(e.Name)+".ts")
			require.NoError(t, os.MkdirAll(filepath.Dir(target), 0o755))
			cmd := exec.Command(json2ts, "--input", filepath.Join(dir, e.Schema), "--output", target, "--no-additionalProperties=false")
			cmd.Dir = interopDir
			msg, err := cmd.CombinedOutput()
			require.NoError(t, err, "json2ts %s: %s", e.Schema, msg)
			ts, err := os.ReadFile(target)
			require.NoError(t, err)
			assert.Contains(t, string(ts), "export interface", e.Schema)
			n++
		}
	}
	assert.Equal(t, 24, n)
	usage := `import type { FinmoCHECKOUT_COMPLETED } from "./finmo/CHECKOUT_COMPLETED";
import type { TazapayCheckoutPaid } from "./tazapay/checkout_paid";

export function amount(e: FinmoCHECKOUT_COMPLETED): number {
  const d = e.event_detail;
  const ids: string[] = Array.isArray(d.associated_payin_id) ? d.associated_payin_id : Object.values(d.associated_payin_id ?? {});
  return ids.length > 0 ? d.amount : 0;
}

export function minor(e: TazapayCheckoutPaid): number {
  return e.data.amount;
}
`
	require.NoError(t, os.WriteFile(filepath.Join(out, "use.ts"), []byte(usage), 0o644))
	cmd := exec.Command(tsc, "--noEmit", "--strict", "--target", "es2020", "--moduleResolution", "node", filepath.Join(out, "use.ts"))
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "tsc: %s", msg)
}

func TestRedoclyLintsEveryOpenAPIDocument(t *testing.T) {
	redocly := nodeTool(t, "redocly")
	dir := export(t, false)
	for _, p := range []string{"finmo", "rapyd", "tazapay", "augustus"} {
		cmd := exec.Command(redocly, "lint", "--format", "stylish", filepath.Join(dir, p, "openapi.json"))
		cmd.Dir = interopDir
		cmd.Env = append(os.Environ(), "REDOCLY_TELEMETRY=off", "REDOCLY_SUPPRESS_UPDATE_NOTICE=true")
		out, err := cmd.CombinedOutput()
		assert.NoError(t, err, "redocly lint %s:\n%s", p, out)
	}
}
