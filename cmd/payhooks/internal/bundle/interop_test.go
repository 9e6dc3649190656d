package bundle_test

import (
	"encoding/json"
	"fmt"
	"io/fs"
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
	"github.com/payhooks/payhooks/cmd/payhooks/internal/importer"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
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

// nodeModule needs an npm package of the interop project that is a library,
// not a command (ajv, ajv-formats).
func nodeModule(t *testing.T, name string) {
	t.Helper()
	_, err := os.Stat(filepath.Join(interopDir, "node_modules", name, "package.json"))
	need(t, name, "npm ci --prefix cmd/payhooks/internal/bundle/testdata/interop", err == nil)
}

func nodeTool(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(interopDir, "node_modules", ".bin", name)
	_, err := os.Stat(p)
	need(t, name, "npm ci --prefix cmd/payhooks/internal/bundle/testdata/interop", err == nil)
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
	valid   bool   // payhooks' verdict at the flavour's fail-on level
}

// payload is one payload every interop test checks, with payhooks' own
// findings.
type payload struct {
	file     string // absolute
	provider *catalog.Provider
	event    string
	findings []drift.Finding
}

// kindVariants are bundled examples changed to give each kind of finding
// (and a few that must stay clean), as in validate's kind tests.
var kindVariants = []struct {
	name, example, from, to string
	kind                    drift.Kind // the finding it must give; "" for none
}{
	{"unknown enum value", "rapyd/examples/PAYMENT_COMPLETED.json", `"status": "CLO"`, `"status": "PEN"`, drift.UnknownEnumValue},
	{"unknown enum value, Tazapay", "tazapay/examples/checkout.paid.json", `"payment_status": "paid"`, `"payment_status": "refunded"`, drift.UnknownEnumValue},
	{"pattern", "rapyd/examples/PAYMENT_COMPLETED.json", `"currency_code": "USD"`, `"currency_code": "usd"`, drift.ConstraintViolation},
	{"format", "rapyd/examples/PAYMENT_COMPLETED.json", `"trigger_operation_id": "11fc3c4a-d938-48aa-b8fd-c00b8f180b7f"`, `"trigger_operation_id": "op_1"`, drift.ConstraintViolation},
	{"a date-time no time.Time holds", "finmo/examples/CHECKOUT_COMPLETED.json", `"created_at": "2022-03-20T13:18:09.035Z"`, `"created_at": "yesterday"`, drift.TypeMismatch},
	{"const", "tazapay/examples/checkout.paid.json", `"object": "event"`, `"object": "evt"`, drift.ConstraintViolation},
	{"unknown property", "rapyd/examples/PAYMENT_COMPLETED.json", `"status": "CLO"`, `"status": "CLO", "risk": {"score": 1}`, drift.UnknownProperty},
	{"unknown event", "rapyd/examples/PAYMENT_COMPLETED.json", `"type": "PAYMENT_COMPLETED"`, `"type": "PAYMENT_DISPUTED"`, drift.UnknownEvent},
	{"type mismatch", "augustus/examples/checkout_session_completed.json", `"total": 1.01`, `"total": "1.01"`, drift.TypeMismatch},
	{"null where not allowed", "rapyd/examples/PAYMENT_COMPLETED.json", `"paid": true`, `"paid": null`, drift.TypeMismatch},
	{"a union no variant fits", "finmo/examples/CHECKOUT_COMPLETED.json", `"associated_payin_id": [`, `"associated_payin_id": "x", "y": [`, drift.TypeMismatch},
	{"a timestamp in no documented shape", "tazapay/examples/checkout.paid.json", `"created_at": "2023-12-25T22:00:01.538212317Z"`, `"created_at": "yesterday"`, drift.TypeMismatch},
	{"missing delivery id", "rapyd/examples/PAYMENT_COMPLETED.json", `"id": "wh_1a2b3c4d5e6f708192a3b4c5d6e7f802",`, ``, drift.MissingRequired},
	{"a null union, as Finmo sends empty fields", "finmo/examples/CHECKOUT_COMPLETED.json", `"associated_payin_id": [`, `"associated_payin_id": null, "y": [`, drift.UnknownProperty},
	{"missing expected", "rapyd/examples/PAYMENT_COMPLETED.json", `"amount": 1099.5,`, ``, drift.MissingExpected},
	{"missing subject", "tazapay/examples/checkout.paid.json", `"data": {`, `"payload": {`, drift.MissingRequired},
	{"a union of closed objects, told apart by their members", "adyentransfer/examples/balancePlatform.transfer.updated.2.json", "\"priority\": \"regular\",\n      \"type\": \"bank\"", `"priority": "regular"`, ""},
	{"a closed object's member closed out", "adyentransfer/examples/balancePlatform.transfer.updated.2.json", `"priority": "regular",`, `"priority": "regular", "bankRef": "x",`, drift.UnknownProperty},
}

// payloads lists every bundled example, every doc sample beside them (the
// seed payloads and known drift) and every kind variant, each with
// payhooks' findings.
func payloads(t *testing.T) []payload {
	t.Helper()
	cat, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	v, err := validate.New(cat)
	require.NoError(t, err)
	root, err := filepath.Abs("../../../../schemas")
	require.NoError(t, err)
	check := func(p *catalog.Provider, body []byte, event string) []drift.Finding {
		override := ""
		if p.Addressing.PathPrefix != "" {
			override = p.Name
		}
		return v.Check(validate.Payload{Body: body, Provider: override, Event: event}).Findings
	}
	var out []payload
	add := func(p *catalog.Provider, file, event string) {
		body, err := fs.ReadFile(schemas.FS, file)
		require.NoError(t, err)
		out = append(out, payload{file: filepath.Join(root, file), provider: p, event: event, findings: check(p, body, event)})
	}
	for _, p := range cat.Providers {
		for _, ex := range p.Examples {
			add(p, ex.Path, ex.Event)
		}
		for _, d := range p.Drift {
			add(p, d.Path, d.Expect.Event)
		}
	}
	dir := t.TempDir()
	for i, kv := range kindVariants {
		body, err := fs.ReadFile(schemas.FS, kv.example)
		require.NoError(t, err)
		changed := strings.Replace(string(body), kv.from, kv.to, 1)
		require.NotEqual(t, string(body), changed, kv.name)
		p := cat.Provider(strings.SplitN(kv.example, "/", 2)[0])
		event := v.Check(validate.Payload{Body: []byte(changed), Provider: p.Name}).Event
		if p.Addressing.PathPrefix != "" {
			event = strings.TrimSuffix(filepath.Base(kv.example), ".json")
		}
		findings := check(p, []byte(changed), event)
		kinds := map[drift.Kind]bool{}
		for _, f := range findings {
			kinds[f.Kind] = true
		}
		if kv.kind == "" {
			require.Empty(t, findings, kv.name)
		} else {
			require.True(t, kinds[kv.kind], "%s gives %s: %+v", kv.name, kv.kind, findings)
		}
		file := filepath.Join(dir, fmt.Sprintf("variant-%02d.json", i))
		require.NoError(t, os.WriteFile(file, []byte(changed), 0o644))
		out = append(out, payload{file: file, provider: p, event: event, findings: findings})
	}
	return out
}

// cases pairs every payload with the exported schema of its event (the
// envelope for an unknown event) in one flavour, and with payhooks'
// verdict at that flavour's level: the default flavour must accept a
// payload exactly when payhooks validate passes it at -fail-on breaking,
// the strict one when it passes at -fail-on warning.
func cases(t *testing.T, strict bool) []interopCase {
	t.Helper()
	failOn := drift.Breaking
	if strict {
		failOn = drift.Warning
	}
	var out []interopCase
	for _, pl := range payloads(t) {
		valid := true
		for _, f := range pl.findings {
			require.NotEqual(t, drift.DuplicateKey, f.Kind, "no JSON Schema can see a duplicate name: %s", pl.file)
			if f.Severity.AtLeast(failOn) {
				valid = false
			}
		}
		schema := filepath.ToSlash(filepath.Join(pl.provider.Name, "events", pl.event+".json"))
		if pl.provider.Event(pl.event) == nil {
			schema = pl.provider.Name + "/envelope.json"
		}
		if strict {
			schema = strings.TrimSuffix(schema, ".json") + ".strict.json"
		}
		out = append(out, interopCase{Payload: pl.file, Schema: schema, valid: valid})
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
	assert.Equal(t, 2*39, v.Compiled, "%s compiles every exported schema (36 events, 3 envelopes) in both flavours", name)
	require.Len(t, v.Results, len(cs))
	invalid := 0
	for i, r := range v.Results {
		assert.Equal(t, cs[i].valid, r.Valid, "%s and payhooks disagree on %s (%s): %v", name, cs[i].Payload, cs[i].Schema, r.Errors)
		if !r.Valid {
			invalid++
		}
	}
	assert.Positive(t, invalid, "%s rejects some payloads", name)
	assert.Less(t, invalid, len(cs), "%s accepts some payloads", name)
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
	node, err := exec.LookPath("node")
	need(t, "node", "install Node.js", err == nil)
	nodeModule(t, "ajv")
	nodeModule(t, "ajv-formats")
	for _, strict := range []bool{false, true} {
		cs := cases(t, strict)
		for _, strip := range []bool{false, true} {
			dir := export(t, strip)
			agree(t, fmt.Sprintf("ajv (strict flavour %v, extensions stripped %v)", strict, strip), exec.Command(node, filepath.Join(interopDir, "ajv-check.mjs"), dir, writeCases(t, cs)), cs)
		}
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
	dir := export(t, false)
	for _, strict := range []bool{false, true} {
		cs := cases(t, strict)
		agree(t, fmt.Sprintf("python jsonschema (strict flavour %v)", strict), exec.Command(python, filepath.Join(interopDir, "jsonschema-check.py"), dir, writeCases(t, cs)), cs)
	}
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
	assert.Equal(t, 36, n)
	usage := `import type { FinmoCHECKOUT_COMPLETED } from "./finmo/CHECKOUT_COMPLETED";
import type { TazapayCheckoutPaid } from "./tazapay/checkout_paid";

export function amount(e: FinmoCHECKOUT_COMPLETED): number {
  const d = e.event_detail;
  const ids: string[] = Array.isArray(d?.associated_payin_id) ? d.associated_payin_id : Object.values(d?.associated_payin_id ?? {});
  return ids.length > 0 ? d?.amount ?? 0 : 0;
}

export function minor(e: TazapayCheckoutPaid): number {
  return e.data?.amount ?? 0;
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

// quicktype (what many TypeScript teams use) turns every event schema of
// the default flavour into TypeScript that tsc --strict compiles, and its
// Convert, which checks the JSON it reads, accepts a payload with an enum
// value the documents do not list, as payhooks does; from the strict
// flavour, it refuses it.
func TestQuicktypeFromEverySchema(t *testing.T) {
	quicktype, tsc := nodeTool(t, "quicktype"), nodeTool(t, "tsc")
	node, err := exec.LookPath("node")
	need(t, "node", "install Node.js", err == nil)
	dir := export(t, false)
	var index bundle.Index
	data, err := os.ReadFile(filepath.Join(dir, "index.json"))
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &index))
	out := t.TempDir()
	var sources []string
	n := 0
	for _, p := range index.Providers {
		for _, strict := range []bool{false, true} {
			args := []string{"--lang", "typescript", "--src-lang", "schema", "--top-level", p.Name, "-o"}
			file := filepath.Join(out, p.Name+".ts")
			if strict {
				file = filepath.Join(out, p.Name+"_strict.ts")
			}
			args = append(args, file)
			for _, e := range p.Events {
				schema := e.Schema
				if strict {
					schema = e.StrictSchema
				} else {
					n++
				}
				args = append(args, filepath.Join(dir, schema))
			}
			cmd := exec.Command(quicktype, args...)
			cmd.Dir = interopDir
			msg, err := cmd.CombinedOutput()
			require.NoError(t, err, "quicktype %s: %s", p.Name, msg)
			sources = append(sources, file)
		}
	}
	assert.Equal(t, 36, n, "every event")
	js := filepath.Join(out, "js")
	cmd := exec.Command(tsc, append([]string{"--strict", "--target", "es2020", "--module", "commonjs", "--outDir", js}, sources...)...)
	msg, err := cmd.CombinedOutput()
	require.NoError(t, err, "tsc --strict: %s", msg)

	body, err := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	require.NoError(t, err)
	unknownStatus := strings.Replace(string(body), `"status": "CLO"`, `"status": "PEN"`, 1)
	payload := filepath.Join(out, "payload.json")
	require.NoError(t, os.WriteFile(payload, []byte(unknownStatus), 0o644))
	convert := func(module string) error {
		script := `const m = require(process.argv[1]); const fs = require("fs");
const e = m.Convert.toRapydPAYMENTCOMPLETED(fs.readFileSync(process.argv[2], "utf8"));
if (e.data.status !== "PEN") throw new Error("status lost: " + e.data.status);`
		return exec.Command(node, "-e", script, filepath.Join(js, module), payload).Run()
	}
	assert.NoError(t, convert("rapyd.js"), "the default flavour's Convert accepts an unknown enum value")
	assert.Error(t, convert("rapyd_strict.js"), "the strict flavour's Convert refuses it")
}

// ajv in its default options (strict mode, which refuses unknown keywords)
// compiles every JSON Schema file exported for every provider, the bundled
// ones, imported ones (Adyen's Accounting v3 document and the importer's
// test documents) and one with a nested subject (nestedSubject): with the keywords index.json lists registered, as the
// README shows, and, exported with -strip-extensions, with none, since
// index.json then lists none and no x- keyword is left in any file.
func TestAjvDefaultStrictCompilesEveryExportedSchema(t *testing.T) {
	node, err := exec.LookPath("node")
	need(t, "node", "install Node.js", err == nil)
	nodeTool(t, "tsc") // the npm project is installed
	fsys := fstest.MapFS{}
	require.NoError(t, fs.WalkDir(schemas.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(schemas.FS, p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	}))
	for doc, name := range map[string]string{
		"../importer/testdata/adyen/BalancePlatformAccountingNotification-v3.json": "adyenaccounting",
		"../importer/testdata/shop31.json":                                         "shop31",
		"../importer/testdata/shop30.yaml":                                         "shop30",
	} {
		data, err := os.ReadFile(doc)
		require.NoError(t, err)
		r, err := importer.Import(data, importer.Options{Name: name, Signature: webhook.Scheme{Name: webhook.SchemeAdyenHMAC}, DeliveryID: webhook.BodyDeliveryID})
		require.NoError(t, err, doc)
		for p, data := range r.Files {
			fsys[p] = &fstest.MapFile{Data: data}
		}
	}
	for p, f := range nestedSubject {
		fsys[p] = f
	}
	cat, err := catalog.Load(fsys)
	require.NoError(t, err)
	require.Len(t, cat.Providers, 11)
	for _, strip := range []bool{false, true} {
		files, err := bundle.Export(cat, bundle.Options{Version: "test", Strip: strip})
		require.NoError(t, err)
		dir := t.TempDir()
		schemaFiles := 0
		for name, data := range files {
			p := filepath.Join(dir, name)
			require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
			require.NoError(t, os.WriteFile(p, data, 0o644))
			if strings.HasSuffix(name, ".json") && name != "index.json" && !strings.HasSuffix(name, "openapi.json") {
				schemaFiles++
			}
			if name == "index.json" {
				continue
			}
			var doc any
			require.NoError(t, json.Unmarshal(data, &doc))
			var keys []string
			keywords(doc, &keys)
			for _, k := range keys {
				switch {
				case strip:
					assert.False(t, strings.HasPrefix(k, "x-"), "%s: -strip-extensions leaves no x- keyword, found %s", name, k)
				case !strings.HasSuffix(name, "openapi.json"):
					assert.False(t, strings.HasPrefix(k, "x-") && !slices.Contains(bundle.Extensions, k) || k == "discriminator",
						"%s: other vendors' keywords and OpenAPI's stay in openapi.json, found %s", name, k)
				}
			}
		}
		cmd := exec.Command(node, filepath.Join(interopDir, "ajv-compile.mjs"), dir)
		out, err := cmd.Output()
		if ee, ok := err.(*exec.ExitError); ok {
			t.Fatalf("ajv, strip %v: %v\n%s", strip, err, ee.Stderr)
		}
		require.NoError(t, err)
		var got struct {
			Compiled   int      `json:"compiled"`
			Extensions []string `json:"extensions"`
		}
		require.NoError(t, json.Unmarshal(out, &got))
		assert.Equal(t, schemaFiles, got.Compiled, "every event schema and envelope, both flavours (strip %v)", strip)
		if strip {
			assert.Empty(t, got.Extensions, "index.extensions with -strip-extensions")
		} else {
			assert.Equal(t, bundle.Extensions, got.Extensions, "index.extensions: payhooks' own keywords only")
		}
	}
}

// keywords lists the keys of a schema document, except the names of
// properties and the values of data keywords.
func keywords(v any, out *[]string) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			*out = append(*out, k)
			switch k {
			case "const", "default", "enum", "example", "examples":
			case "properties", "patternProperties", "$defs", "schemas", "webhooks", "paths":
				if named, ok := child.(map[string]any); ok {
					for _, c := range named {
						keywords(c, out)
					}
				}
			default:
				keywords(child, out)
			}
		}
	case []any:
		for _, c := range x {
			keywords(c, out)
		}
	}
}
