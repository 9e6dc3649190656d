package report_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/validate/input"
	"github.com/payhooks/payhooks/validate/report"
	"github.com/payhooks/payhooks/webhook/drift"
)

// render validates the bundled examples and drift samples, plus an
// unreadable path, and renders them in format.
func render(t *testing.T, format string) (string, report.Summary) {
	t.Helper()
	v, err := validate.New(schemas.FS)
	require.NoError(t, err)
	var out bytes.Buffer
	rep, err := report.New(format, &out, report.Options{Version: "test", FailOn: drift.Breaking})
	require.NoError(t, err)
	tally := report.NewTally(drift.Breaking)
	dir := t.TempDir()
	ndjson := filepath.Join(dir, "mixed.ndjson")
	require.NoError(t, os.WriteFile(ndjson, []byte("{\"type\":\"PAYMENT_FAILED\"}\nnot json\n\n{}\n"), 0o644))
	paths := []string{"../../schemas/finmo/examples", "../../schemas/tazapay/drift", ndjson, filepath.Join(dir, "missing.json")}
	require.NoError(t, input.Run(v, paths, nil, input.RunOptions{Workers: 3}, func(r validate.Result) error {
		tally.Add(r, 0)
		return rep.Result(r)
	}))
	require.NoError(t, rep.Close(tally.Summary()))
	return out.String(), tally.Summary()
}

func compileSchema(t *testing.T, file, url string) *jsonschema.Schema {
	t.Helper()
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	c := jsonschema.NewCompiler()
	require.NoError(t, c.AddResource(url, bytes.NewReader(data)))
	s, err := c.Compile(url)
	require.NoError(t, err)
	return s
}

func TestJSONReportFollowsItsSchema(t *testing.T) {
	out, sum := render(t, "json")
	var doc any
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	s := compileSchema(t, "report.schema.json", "https://payhooks.dev/schemas/report/validate-report.json")
	require.NoError(t, s.Validate(doc))
	var rep struct {
		Results []validate.Result `json:"results"`
		Summary report.Summary    `json:"summary"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	assert.Equal(t, sum.Payloads, len(rep.Results))
	assert.Equal(t, 1, sum.Unreadable)
	assert.True(t, rep.Summary.Failed)
	// NDJSON lines are numbered, and the bad line does not stop the good ones.
	var lines []int
	for _, r := range rep.Results {
		if strings.HasSuffix(r.Source, "mixed.ndjson") {
			lines = append(lines, r.Line)
		}
	}
	assert.Equal(t, []int{1, 2, 4}, lines)
}

func TestSARIFReportFollowsTheOASISSchema(t *testing.T) {
	out, sum := render(t, "sarif")
	var doc any
	require.NoError(t, json.Unmarshal([]byte(out), &doc), out)
	// testdata/sarif-schema-2.1.0.json: the OASIS SARIF 2.1.0 schema
	// (oasis-tcs/sarif-spec, sarif-2.1/schema, commit e058381).
	s := compileSchema(t, "testdata/sarif-schema-2.1.0.json", "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json")
	require.NoError(t, s.Validate(doc))
	var sarif struct {
		Runs []struct {
			Tool struct {
				Driver struct {
					Rules []struct{ ID string } `json:"rules"`
				} `json:"driver"`
			} `json:"tool"`
			Results []struct {
				RuleID    string `json:"ruleId"`
				RuleIndex int    `json:"ruleIndex"`
				Level     string `json:"level"`
			} `json:"results"`
		} `json:"runs"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &sarif))
	require.Len(t, sarif.Runs, 1)
	rules := sarif.Runs[0].Tool.Driver.Rules
	assert.Len(t, rules, len(drift.Kinds), "one rule per kind")
	total := sum.Findings[drift.Breaking] + sum.Findings[drift.Warning] + sum.Findings[drift.Info]
	assert.Len(t, sarif.Runs[0].Results, total)
	for _, r := range sarif.Runs[0].Results {
		assert.Equal(t, r.RuleID, rules[r.RuleIndex].ID)
		assert.Equal(t, map[string]string{"missing_required": "error", "type_mismatch": "error", "invalid_json": "error", "unknown_enum_value": "warning", "unknown_event": "warning", "constraint_violation": "warning", "missing_expected": "warning", "duplicate_key": "warning", "unknown_property": "note", "payload_too_large": "error"}[r.RuleID], r.Level)
	}
}

func TestJUnitReportCountsAddUp(t *testing.T) {
	out, sum := render(t, "junit")
	type testcase struct {
		Name    string    `xml:"name,attr"`
		Failure *struct{} `xml:"failure"`
		Error   *struct{} `xml:"error"`
	}
	type suite struct {
		Tests    int        `xml:"tests,attr"`
		Failures int        `xml:"failures,attr"`
		Errors   int        `xml:"errors,attr"`
		Cases    []testcase `xml:"testcase"`
	}
	var doc struct {
		XMLName  xml.Name `xml:"testsuites"`
		Tests    int      `xml:"tests,attr"`
		Failures int      `xml:"failures,attr"`
		Errors   int      `xml:"errors,attr"`
		Suites   []suite  `xml:"testsuite"`
	}
	require.NoError(t, xml.Unmarshal([]byte(out), &doc), out)
	require.Len(t, doc.Suites, 1)
	s := doc.Suites[0]
	failures, errors := 0, 0
	for _, c := range s.Cases {
		if c.Failure != nil {
			failures++
		}
		if c.Error != nil {
			errors++
		}
	}
	assert.Equal(t, sum.Payloads+sum.Unreadable, len(s.Cases), "one test case per payload")
	assert.Equal(t, len(s.Cases), s.Tests)
	assert.Equal(t, failures, s.Failures)
	assert.Equal(t, errors, s.Errors)
	assert.Equal(t, 1, errors)
	assert.Equal(t, s.Tests, doc.Tests)
	assert.Equal(t, s.Failures, doc.Failures)
	assert.Greater(t, failures, 0)
}

func TestGitHubAnnotations(t *testing.T) {
	out, _ := render(t, "github")
	assert.Contains(t, out, "::error file=../../schemas/tazapay/drift/checkout.paid-old-shape.json,line=13,title=type_mismatch (tazapay checkout.paid)::/data/amount: expected integer, got string \"6700\"\n")
	assert.Contains(t, out, "::warning file=../../schemas/tazapay/drift/checkout.paid-old-shape.json,line=12,title=constraint_violation (tazapay checkout.paid)::/data/invoice_currency")
	assert.Contains(t, out, "::warning file=../../schemas/tazapay/drift/checkout.paid-old-shape.json,line=12,title=constraint_violation")
	assert.Regexp(t, `::error file=.*mixed.ndjson,line=2,title=invalid_json`, out)
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		assert.Regexp(t, `^::(error|warning|notice) [^:]*::`, line)
	}
}

func TestTextReportEndsWithASummaryLine(t *testing.T) {
	out, _ := render(t, "text")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	assert.Regexp(t, `^\d+ payloads?: \d+ clean, \d+ with findings \(breaking \d+, warning \d+, info \d+\), 1 unreadable; fail-on breaking: FAIL$`, lines[len(lines)-1])
	assert.NotContains(t, out, "\x1b[", "no colour unless asked")
}

// The JSON report writes each result as encoding/json would, without
// HTML escaping, byte for byte: plain and escaped strings, lines, no
// findings, nil findings.
func TestJSONResultIsEncodingJSONs(t *testing.T) {
	results := []validate.Result{
		{Source: "a.ndjson", Line: 7, Provider: "rapyd", Event: "PAYMENT_COMPLETED", Findings: []drift.Finding{}},
		{Source: "<stdin>", Provider: "", Event: ""},
		{Source: "dir/é \"q\" \\ \t\x01\u2028<&>\xff.json", Provider: "finmo", Event: "CHECKOUT_COMPLETED", Findings: []drift.Finding{
			{Pointer: "/data/a~1b", Kind: drift.UnknownProperty, Severity: drift.Info, Message: `property "a/b" is not in the schema`},
			{Pointer: "", Kind: drift.InvalidJSON, Severity: drift.Breaking, Message: "line\nbreak"},
		}},
	}
	var out bytes.Buffer
	rep, err := report.New("json", &out, report.Options{})
	require.NoError(t, err)
	var want strings.Builder
	want.WriteString("{\"results\":[\n")
	for i, r := range results {
		require.NoError(t, rep.Result(r))
		var one bytes.Buffer
		enc := json.NewEncoder(&one)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(r))
		if i > 0 {
			want.WriteString(",\n")
		}
		want.WriteString(strings.TrimSuffix(one.String(), "\n"))
	}
	assert.Equal(t, want.String(), out.String())
}
