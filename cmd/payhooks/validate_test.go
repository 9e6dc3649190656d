package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const examples = "../../schemas"

func TestValidateExitStatus(t *testing.T) {
	dir := t.TempDir()
	extra := writeFile(t, dir, "extra.json", strings.Replace(readExample(t, "rapyd/examples/PAYMENT_COMPLETED.json"), `"type"`, `"livemode": false, "type"`, 1))
	unknownEnum := writeFile(t, dir, "enum.json", strings.Replace(readExample(t, "rapyd/examples/PAYMENT_COMPLETED.json"), `"status": "CLO"`, `"status": "PEN"`, 1))
	cases := []struct {
		name string
		args []string
		code int
	}{
		{"clean examples", []string{"validate", examples + "/finmo/examples", examples + "/rapyd/examples"}, 0},
		{"breaking drift", []string{"validate", examples + "/tazapay/drift"}, 1},
		{"info only passes by default", []string{"validate", extra}, 0},
		{"info fails with -fail-on info", []string{"validate", "-fail-on", "info", extra}, 1},
		{"warning passes by default", []string{"validate", unknownEnum}, 0},
		{"warning fails with -fail-on warning", []string{"validate", "-fail-on", "warning", unknownEnum}, 1},
		{"no paths", []string{"validate"}, 2},
		{"bad flag", []string{"validate", "-nope", extra}, 2},
		{"bad -fail-on", []string{"validate", "-fail-on", "fatal", extra}, 2},
		{"bad -format", []string{"validate", "-format", "xml", extra}, 2},
		{"unknown -provider", []string{"validate", "-provider", "paypal", extra}, 2},
		{"missing path", []string{"validate", filepath.Join(dir, "nope.json")}, 2},
		{"missing path among good ones", []string{"validate", extra, filepath.Join(dir, "nope.json")}, 2},
		{"unknown command", []string{"frobnicate"}, 2},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, code := payhooks(t, "", nil, tc.args...)
			assert.Equal(t, tc.code, code, stderr)
		})
	}
}

func TestValidateReadsStdin(t *testing.T) {
	body := readExample(t, "finmo/examples/CHECKOUT_COMPLETED.json")
	out, _, code := payhooks(t, body, nil, "validate", "-format", "json", "-")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, `"source":"<stdin>","provider":"finmo","event":"CHECKOUT_COMPLETED","findings":[]`)

	ndjson := compact(t, body) + "\n" + `{"event_name": "CHECKOUT_COMPLETED", "event_detail": 5}` + "\n"
	out, _, code = payhooks(t, ndjson, nil, "validate", "-format", "json", "-")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, `"source":"<stdin>","line":2,"provider":"finmo"`)
}

func TestValidateKeepsGoingPastBadInputs(t *testing.T) {
	dir := t.TempDir()
	good := readExample(t, "rapyd/examples/PAYMENT_COMPLETED.json")
	writeFile(t, dir, "a-good.json", good)
	writeFile(t, dir, "b-garbage.json", "\x00\x01\x02\xff binary")
	writeFile(t, dir, "c-deep.json", strings.Repeat("[", 100000)+strings.Repeat("]", 100000))
	writeFile(t, dir, "d-dup.json", strings.Replace(good, `"type": "PAYMENT_COMPLETED"`, `"type": "PAYMENT_COMPLETED", "type": "PAYMENT_FAILED"`, 1))
	writeFile(t, dir, "e-lines.ndjson", compact(t, good)+"\n{oops\n"+compact(t, good)+"\n")
	unreadable := writeFile(t, dir, "f-unreadable.json", good)
	require.NoError(t, os.Chmod(unreadable, 0))
	require.NoError(t, os.Symlink(dir, filepath.Join(dir, "g-loop")))
	writeFile(t, dir, "notes.txt", "not a payload")

	out, stderr, code := payhooks(t, "", nil, "validate", "-format", "json", dir)
	assert.Equal(t, 2, code, "an unreadable path makes the run exit 2")
	var rep struct {
		Results []struct {
			Source   string `json:"source"`
			Line     int    `json:"line"`
			Findings []struct {
				Kind    string `json:"kind"`
				Message string `json:"message"`
			} `json:"findings"`
		} `json:"results"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep), out)
	got := map[string][]string{}
	for _, r := range rep.Results {
		key := filepath.Base(r.Source)
		if r.Line > 0 {
			key += ":" + string(rune('0'+r.Line))
		}
		for _, f := range r.Findings {
			got[key] = append(got[key], f.Kind)
		}
		if len(r.Findings) == 0 {
			got[key] = []string{}
		}
	}
	want := map[string][]string{
		"a-good.json":      {},
		"b-garbage.json":   {"invalid_json"},
		"c-deep.json":      {"invalid_json"},
		"d-dup.json":       {"duplicate_key"},
		"e-lines.ndjson:1": {},
		"e-lines.ndjson:2": {"invalid_json"},
		"e-lines.ndjson:3": {},
	}
	if os.Geteuid() == 0 {
		// root reads a mode-0 file anyway
		want["f-unreadable.json"] = []string{}
	} else {
		assert.Contains(t, stderr, `f-unreadable.json": open`)
	}
	assert.Equal(t, want, got)
	assert.Contains(t, stderr, "directory loop")
}

func TestValidateLargePayload(t *testing.T) {
	dir := t.TempDir()
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(readExample(t, "rapyd/examples/PAYMENT_COMPLETED.json")), &doc))
	doc["data"].(map[string]any)["description"] = strings.Repeat("x", 60<<20)
	data, err := json.Marshal(doc)
	require.NoError(t, err)
	p := filepath.Join(dir, "big.json")
	require.NoError(t, os.WriteFile(p, data, 0o644))
	out, stderr, code := payhooks(t, "", nil, "validate", p)
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "1 payload: 1 clean")

	doc["data"].(map[string]any)["description"] = strings.Repeat("x", 100<<20)
	data, err = json.Marshal(doc)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(p, data, 0o644))
	out, stderr, code = payhooks(t, "", nil, "validate", p)
	assert.Equal(t, 1, code, stderr)
	assert.Contains(t, out, "invalid_json           (root): the payload is larger than 64 MiB and was not read")
}

func TestValidateBaseline(t *testing.T) {
	dir := t.TempDir()
	baseline := filepath.Join(dir, "baseline.json")
	drift := examples + "/tazapay/drift"
	_, stderr, code := payhooks(t, "", nil, "validate", "-write-baseline", baseline, drift)
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "wrote 3 accepted findings")

	out, _, code := payhooks(t, "", nil, "validate", "-baseline", baseline, drift)
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "3 baselined")

	// New drift (a new pointer) still fails.
	paid := readExample(t, "tazapay/drift/checkout.paid-old-shape.json")
	writeFile(t, dir, "new.json", strings.Replace(paid, `"reference_id": "55679-7657"`, `"reference_id": 55679`, 1))
	out, _, code = payhooks(t, "", nil, "validate", "-baseline", baseline, filepath.Join(dir, "new.json"))
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "/data/reference_id")
	assert.NotContains(t, out, "/data/amount")

	// A missing expected member, a warning, baselined like any kind: at
	// -fail-on warning it fails until accepted, then it stays quiet.
	payment := readExample(t, "rapyd/examples/PAYMENT_COMPLETED.json")
	noAmount := writeFile(t, dir, "no-amount.json", strings.Replace(payment, `"amount": 1099.5,`, ``, 1))
	out, _, code = payhooks(t, "", nil, "validate", "-fail-on", "warning", noAmount)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "missing_expected")
	expected := filepath.Join(dir, "expected-baseline.json")
	_, stderr, code = payhooks(t, "", nil, "validate", "-write-baseline", expected, noAmount)
	assert.Equal(t, 0, code, stderr)
	out, _, code = payhooks(t, "", nil, "validate", "-fail-on", "warning", "-baseline", expected, noAmount)
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "1 baselined")

	writeFile(t, dir, "broken-baseline.json", `{"version": 2}`)
	_, stderr, code = payhooks(t, "", nil, "validate", "-baseline", filepath.Join(dir, "broken-baseline.json"), drift)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "version 2 is not supported")
}

func TestValidateCaptureFileUsesItsPath(t *testing.T) {
	dir := t.TempDir()
	body := readExample(t, "augustus/examples/checkout_session_expired.json")
	body = strings.Replace(body, `"type": "checkout_session_expired",`, "", 1)
	capture, err := json.Marshal(map[string]any{
		"received_at": "2026-11-21T10:00:00Z", "method": "POST",
		"path":    "/api/service/webhook-event/checkout_session_expired",
		"headers": map[string][]string{"X-Ivy-Signature": {"REDACTED"}},
		"body":    body,
	})
	require.NoError(t, err)
	writeFile(t, dir, "augustus-1.capture.json", string(capture))
	out, _, code := payhooks(t, "", nil, "validate", dir)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "augustus checkout_session_expired")
	assert.Contains(t, out, `/type: required property "type" is missing`)
}

func TestValidateColour(t *testing.T) {
	out, _, _ := payhooks(t, "", nil, "validate", examples+"/tazapay/drift")
	assert.NotContains(t, out, "\x1b[", "not a terminal: no colour")
	out, _, _ = payhooks(t, "", nil, "validate", "-color", "always", examples+"/tazapay/drift")
	assert.Contains(t, out, "\x1b[31mbreaking", "-color always, into a pipe too")
	_, stderr, code := payhooks(t, "", nil, "validate", "-color", "sometimes", examples)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "-color: want auto, always or never")
}

func readExample(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(examples, name))
	require.NoError(t, err)
	return string(data)
}

func compact(t *testing.T, s string) string {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal([]byte(s), &v))
	out, err := json.Marshal(v)
	require.NoError(t, err)
	return string(out)
}

// The fast engine changes nothing in the report.
func TestValidateEnginesGiveTheSameReport(t *testing.T) {
	args := []string{"validate", "-format", "json", "-workers", "1"}
	for _, p := range []string{"finmo", "rapyd", "tazapay", "augustus"} {
		args = append(args, examples+"/"+p+"/examples")
		if p != "finmo" {
			args = append(args, examples+"/"+p+"/drift")
		}
	}
	fast, _, codeFast := payhooks(t, "", nil, args...)
	ref, _, codeRef := payhooks(t, "", nil, append([]string{"validate", "-engine", "reference"}, args[1:]...)...)
	assert.Equal(t, codeRef, codeFast)
	assert.Equal(t, ref, fast)
	assert.Contains(t, fast, `"with_findings":3`)
	_, stderr, code := payhooks(t, "", nil, "validate", "-engine", "turbo", examples)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "unknown engine")
}

// validate's findings speak the library's terms; the CLI adds which flag
// would help, once per run, on stderr, and only when that flag was not given.
func TestValidateHintsAtItsFlags(t *testing.T) {
	out, stderr, code := payhooks(t, `{"x":1}`+"\n", nil, "validate", "-")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, out, "cannot tell which provider sent this payload")
	assert.NotContains(t, out, "-provider")
	assert.Contains(t, stderr, "1 payload matched no provider; pass -provider to name it")

	_, stderr, code = payhooks(t, `{"x":1}`+"\n", nil, "validate", "-provider", "finmo", "-")
	assert.Equal(t, 1, code, stderr)
	assert.NotContains(t, stderr, "pass -provider")
	assert.Contains(t, stderr, "1 payload named no event; pass -event to name it")

	_, stderr, _ = payhooks(t, `{"x":1}`+"\n", nil, "validate", "-provider", "finmo", "-event", "CHECKOUT_COMPLETED", "-")
	assert.NotContains(t, stderr, "pass -")
}

// A path that cannot be read is not "ok": the summary says the run is
// incomplete, as its exit status does.
func TestValidateUnreadablePathIsNotOK(t *testing.T) {
	examples := filepath.Join("..", "..", "schemas", "rapyd", "examples")
	stdout, stderr, code := payhooks(t, "", nil, "validate", "nonexist.json", examples)
	assert.Equal(t, exitCantRun, code)
	assert.Contains(t, stderr, `read "nonexist.json"`)
	assert.Contains(t, stdout, "8 payloads: 8 clean, 0 with findings (breaking 0, warning 0, info 0), 1 unreadable; fail-on breaking: incomplete\n")
	assert.NotContains(t, stdout, ": ok")
}
