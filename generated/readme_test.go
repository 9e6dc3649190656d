package generated_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// snippetImports are the packages README snippets may use, by the name
// they are used under.
var snippetImports = map[string]string{
	"context": "context", "fmt": "fmt", "io": "io", "json": "encoding/json", "http": "net/http", "time": "time",
	"finmo": "github.com/payhooks/payhooks/generated/finmo", "rapyd": "github.com/payhooks/payhooks/generated/rapyd",
	"tazapay": "github.com/payhooks/payhooks/generated/tazapay", "augustus": "github.com/payhooks/payhooks/generated/augustus",
	"webhook": "github.com/payhooks/payhooks/webhook", "redisstore": "github.com/payhooks/payhooks/webhook/redisstore",
}

// readmeHarness runs the README's snippets as a user's code would: every
// Rapyd payload (examples and doc samples) and one without data through
// printPayment; a signed Finmo delivery through receiver's mux; the Redis
// handler built.
const readmeHarness = `package readme

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/payhooks/payhooks/schemas"
)

type paid struct{ ids []string }

func (p *paid) MarkPaid(_ context.Context, id string) error { p.ids = append(p.ids, id); return nil }

func TestSnippets(t *testing.T) {
	files, _ := fs.Glob(schemas.FS, "rapyd/*/*.json")
	files = append(files, "")
	for _, f := range files {
		body := []byte(` + "`" + `{"id": "wh_1", "type": "PAYMENT_COMPLETED"}` + "`" + `) // no data: getters give zero values
		if f != "" {
			body, _ = fs.ReadFile(schemas.FS, f)
		}
		var out bytes.Buffer
		if err := printPayment(&out, body); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}

	t.Setenv("PAYHOOKS_FINMO_TOKEN", "readme")
	t.Setenv("PAYHOOKS_RAPYD_ACCESS_KEY", "readme")
	t.Setenv("PAYHOOKS_RAPYD_SECRET_KEY", "readme")
	o := &paid{}
	mux, err := receiver(o)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := fs.ReadFile(schemas.FS, "finmo/examples/CHECKOUT_COMPLETED.json")
	r := httptest.NewRequest(http.MethodPost, "/finmo", bytes.NewReader(body))
	r.Header.Set("x-security-token", "readme")
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	if w.Code != http.StatusOK || len(o.ids) != 1 || o.ids[0] != "xo_6aaf0e35a0d744c885d81b1a02602027" {
		t.Fatalf("answer %d %q, marked %v", w.Code, w.Body.String(), o.ids)
	}
	if _, err := sharedRapydHandler(); err != nil {
		t.Fatal(err)
	}
}
`

// Every Go snippet of the README compiles, passes go vet and runs: a
// snippet is package-level code (functions and types) whose imports are
// added from what it uses.
func TestReadmeSnippetsCompileAndRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test on the snippets")
	}
	readme, err := os.ReadFile("../README.md")
	require.NoError(t, err)
	blocks := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	// Inside the module (testdata keeps it out of ./...), so the snippets
	// import this checkout's packages.
	require.NoError(t, os.MkdirAll("testdata", 0o755))
	dir, err := os.MkdirTemp("testdata", "readme-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir); os.Remove("testdata") })
	written := 0
	for i, b := range blocks {
		code := b[1]
		if strings.TrimSpace(regexp.MustCompile(`(?m)^//go:generate .*$`).ReplaceAllString(code, "")) == "" {
			continue // a go:generate line, run by the consumer-module test in cmd/payhooks
		}
		var imports []string
		uncommented := regexp.MustCompile(`//.*`).ReplaceAllString(code, "")
		for name, path := range snippetImports {
			if regexp.MustCompile(`\b` + name + `\.`).MatchString(uncommented) {
				imports = append(imports, `"`+path+`"`)
			}
		}
		slices.Sort(imports)
		src := "package readme\n\nimport (\n\t" + strings.Join(imports, "\n\t") + "\n)\n\n" + code
		require.NoError(t, os.WriteFile(filepath.Join(dir, "snippet"+string(rune('a'+i))+".go"), []byte(src), 0o644))
		written++
	}
	require.Equal(t, 3, written, "the README's Go snippets: Parse, the handler, the Redis store")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "readme_test.go"), []byte(readmeHarness), 0o644))
	out, err := exec.Command("go", "vet", "./"+dir).CombinedOutput()
	require.NoError(t, err, "go vet: %s", out)
	out, err = exec.Command("go", "test", "-count=1", "./"+dir).CombinedOutput()
	require.NoError(t, err, "go test: %s", out)
}
