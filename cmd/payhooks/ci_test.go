package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/tooling/capture"
)

// lineCount is how many lines a file has.
func lineCount(t *testing.T, name string) int {
	t.Helper()
	data, err := os.ReadFile(name)
	require.NoError(t, err)
	return strings.Count(strings.TrimSuffix(string(data), "\n"), "\n") + 1
}

// driftInputs writes a capture, a plain payload and an NDJSON file, each
// with findings, and returns their folder.
func driftInputs(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	body := readExample(t, "tazapay/drift/checkout.paid-old-shape.json")
	c, err := capture.New("POST", "/tazapay", http.Header{}, []byte(body), time.Now())
	require.NoError(t, err)
	require.NoError(t, capture.Write(dir, capture.Name("tazapay", "evt_auigfianfoangohuehg"), c))
	writeFile(t, dir, "plain.json", body)
	writeFile(t, dir, "lines.ndjson", compact(t, body)+"\n"+compact(t, body)+"\n")
	return dir
}

// Every line a CI format names exists in the file it names: a capture's
// findings sit on the line of its "body" member.
func TestValidateReportsNameLinesThatExist(t *testing.T) {
	dir := driftInputs(t)
	captureFile, err := filepath.Glob(filepath.Join(dir, "*"+capture.Suffix))
	require.NoError(t, err)
	require.Len(t, captureFile, 1)

	out, _, code := payhooks(t, "", nil, "validate", "-format", "github", dir)
	assert.Equal(t, 1, code)
	seen := map[string]bool{}
	for _, m := range regexp.MustCompile(`file=([^,]+),line=(\d+)`).FindAllStringSubmatch(out, -1) {
		line, _ := strconv.Atoi(m[2])
		assert.LessOrEqual(t, line, lineCount(t, m[1]), "github: %s line %d", m[1], line)
		seen[m[1]] = true
	}
	assert.Len(t, seen, 3, out)
	captured := string(must(os.ReadFile(captureFile[0])))
	bodyLine := strings.Count(captured[:strings.Index(captured, `"body":`)], "\n") + 1
	assert.Contains(t, out, "file="+captureFile[0]+",line="+strconv.Itoa(bodyLine)+",", "the capture's findings on its \"body\" line")

	out, _, code = payhooks(t, "", nil, "validate", "-format", "sarif", dir)
	assert.Equal(t, 1, code)
	var sarif struct {
		Runs []struct {
			Results []struct {
				Locations []struct {
					Physical struct {
						Artifact struct{ URI string } `json:"artifactLocation"`
						Region   struct{ StartLine int }
					} `json:"physicalLocation"`
					Logical []struct{ FullyQualifiedName string } `json:"logicalLocations"`
				}
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &sarif))
	n := 0
	for _, r := range sarif.Runs[0].Results {
		loc := r.Locations[0]
		assert.LessOrEqual(t, loc.Physical.Region.StartLine, lineCount(t, loc.Physical.Artifact.URI), "sarif: %s", loc.Physical.Artifact.URI)
		assert.NotEmpty(t, loc.Logical[0].FullyQualifiedName, "the JSON pointer in the body")
		n++
	}
	assert.Equal(t, 8, n, "two findings in each of four payloads")
}

// A baseline matches array positions as one, and SARIF keeps what it
// accepted, marked as suppressed.
func TestValidateBaselineAcrossArrayItemsAndInSARIF(t *testing.T) {
	dir := t.TempDir()
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(readExample(t, "rapyd/examples/PAYMENT_COMPLETED.json")), &doc))
	wallets := doc["data"].(map[string]any)["ewallets"].([]any)
	wallet := wallets[0].(map[string]any)
	wallet["percent"] = "100"
	doc["data"].(map[string]any)["ewallets"] = []any{wallet}
	first, _ := json.Marshal(doc)
	other := map[string]any{}
	for k, v := range wallet {
		other[k] = v
	}
	doc["data"].(map[string]any)["ewallets"] = []any{map[string]any{"ewallet_id": "ewallet_2", "percent": 0}, other}
	second, _ := json.Marshal(doc)
	writeFile(t, dir, "first.json", string(first))
	secondFile := writeFile(t, t.TempDir(), "second.json", string(second))

	baseline := filepath.Join(t.TempDir(), "baseline.json")
	_, stderr, code := payhooks(t, "", nil, "validate", "-write-baseline", baseline, dir)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "wrote 1 accepted finding to")
	assert.Contains(t, string(must(os.ReadFile(baseline))), `"pointer": "/data/ewallets/*/percent"`)

	out, _, code := payhooks(t, "", nil, "validate", "-baseline", baseline, secondFile)
	assert.Equal(t, 0, code, "the same drift in another item is accepted: %s", out)
	assert.Contains(t, out, "1 payload: 0 clean, 0 with findings (breaking 0, warning 0, info 0), 1 baselined")

	out, _, code = payhooks(t, "", nil, "validate", "-baseline", baseline, "-format", "sarif", secondFile)
	assert.Equal(t, 0, code)
	assert.Contains(t, out, `"suppressions":[{"kind":"external","status":"accepted"`)
	assert.Contains(t, out, `/data/ewallets/1/percent`)
}
