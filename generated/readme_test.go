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

// snippetImports are the packages the documents' Go snippets may use, by
// the name they are used under.
var snippetImports = map[string]string{
	"bytes": "bytes", "context": "context", "fmt": "fmt", "fs": "io/fs", "io": "io", "json": "encoding/json",
	"http": "net/http", "httptest": "net/http/httptest", "testing": "testing", "time": "time",
	"finmo": "github.com/payhooks/payhooks/generated/finmo", "rapyd": "github.com/payhooks/payhooks/generated/rapyd",
	"tazapay": "github.com/payhooks/payhooks/generated/tazapay", "augustus": "github.com/payhooks/payhooks/generated/augustus",
	"schemas": "github.com/payhooks/payhooks/schemas", "webhook": "github.com/payhooks/payhooks/webhook",
	"redisstore": "github.com/payhooks/payhooks/webhook/redisstore", "s3capture": "github.com/payhooks/payhooks/webhook/s3capture",
}

// snippetDocs are the documents whose Go snippets are compiled and run.
var snippetDocs = []string{"../README.md", "../docs/generated-code.md", "../docs/receiving.md"}

// readmeHarness runs the snippets as a user's code would: the README's
// mount with a signed Rapyd delivery; every Rapyd payload (examples and doc
// samples) and one without data through printPayment; a signed Finmo
// delivery through receiver's mux; the Redis handler built. The README's
// test of a callback runs as the test it is.
const readmeHarness = `package readme

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook"
)

type paid struct{ ids []string }

func (p *paid) MarkPaid(_ context.Context, id string) error { p.ids = append(p.ids, id); return nil }

type shop struct{ paid map[string]string }

func (s *shop) MarkPaid(_ context.Context, id string, amount webhook.Decimal) error {
	s.paid[id] = amount.String()
	return nil
}

func TestSnippets(t *testing.T) {
	t.Setenv("PAYHOOKS_FINMO_TOKEN", "readme")
	t.Setenv("PAYHOOKS_RAPYD_ACCESS_KEY", "readme")
	t.Setenv("PAYHOOKS_RAPYD_SECRET_KEY", "readme")

	mux, s := http.NewServeMux(), &shop{paid: map[string]string{}}
	if err := mount(mux, s); err != nil {
		t.Fatal(err)
	}
	body, _ := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	signer, _ := webhook.NewSigner(rapyd.Scheme, rapyd.SecretsFromEnv(), webhook.VerifyOptions{})
	r := httptest.NewRequest(http.MethodPost, "http://shop.example/rapyd", bytes.NewReader(body))
	if err := signer.Sign(r.Header, "http://shop.example/rapyd", body); err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)
	if w.Code != http.StatusOK || s.paid["payment_73e7b358841400509e208bd1213e38a7"] != "1099.5" {
		t.Fatalf("mount: answer %d %q, paid %v", w.Code, w.Body.String(), s.paid)
	}

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

	o := &paid{}
	fin, err := receiver(o)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = fs.ReadFile(schemas.FS, "finmo/examples/CHECKOUT_COMPLETED.json")
	r = httptest.NewRequest(http.MethodPost, "/finmo", bytes.NewReader(body))
	r.Header.Set("x-security-token", "readme")
	w = httptest.NewRecorder()
	fin.ServeHTTP(w, r)
	if w.Code != http.StatusOK || len(o.ids) != 1 || o.ids[0] != "xo_6aaf0e35a0d744c885d81b1a02602027" {
		t.Fatalf("receiver: answer %d %q, marked %v", w.Code, w.Body.String(), o.ids)
	}
	if _, err := sharedRapydHandler(); err != nil {
		t.Fatal(err)
	}
}
`

// Every Go snippet of the README and the docs it links compiles, passes go
// vet and runs: a snippet is package-level code (functions and types, a
// test function in a test file) whose imports are added from what it uses;
// a snippet marked as a file of a user's module (readme-file) is run by the
// consumer-module test in cmd/payhooks instead.
func TestReadmeSnippetsCompileAndRun(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: runs go test on the snippets")
	}
	// Inside the module (testdata keeps it out of ./...), so the snippets
	// import this checkout's packages.
	require.NoError(t, os.MkdirAll("testdata", 0o755))
	dir, err := os.MkdirTemp("testdata", "readme-")
	require.NoError(t, err)
	t.Cleanup(func() { os.RemoveAll(dir); os.Remove("testdata") })
	var written []string
	for _, doc := range snippetDocs {
		text, err := os.ReadFile(doc)
		require.NoError(t, err)
		for i, b := range regexp.MustCompile("(?s)(<!-- readme-file: [^>]*-->\n)?```go\n(.*?)```").FindAllStringSubmatch(string(text), -1) {
			if b[1] != "" {
				continue
			}
			code := b[2]
			var imports []string
			uncommented := regexp.MustCompile(`(?m)(^|\s)//.*$`).ReplaceAllString(code, "") // a comment, not "http://"
			for name, path := range snippetImports {
				if regexp.MustCompile(`\b` + name + `\.`).MatchString(uncommented) {
					imports = append(imports, `"`+path+`"`)
				}
			}
			slices.Sort(imports)
			name := strings.TrimSuffix(filepath.Base(doc), ".md") + "-" + string(rune('a'+i))
			if strings.Contains(code, "func Test") {
				name += "_test"
			}
			src := "package readme\n\nimport (\n\t" + strings.Join(imports, "\n\t") + "\n)\n\n" + code
			require.NoError(t, os.WriteFile(filepath.Join(dir, name+".go"), []byte(src), 0o644))
			written = append(written, name)
		}
	}
	require.Equal(t, []string{"README-a", "README-c_test", "README-d", "generated-code-a", "receiving-a", "receiving-b"}, written,
		"the snippets: mount, a callback's test and a capturing handler (README; the last compiled and vetted, its S3 sink tested in webhook/s3capture), Parse (generated-code), the handler and the Redis store (receiving)")
	require.NoError(t, os.WriteFile(filepath.Join(dir, "readme_test.go"), []byte(readmeHarness), 0o644))
	out, err := exec.Command("go", "vet", "./"+dir).CombinedOutput()
	require.NoError(t, err, "go vet: %s", out)
	out, err = exec.Command("go", "test", "-count=1", "./"+dir).CombinedOutput()
	require.NoError(t, err, "go test: %s", out)
}
