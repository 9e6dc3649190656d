package main

import (
	"archive/zip"
	"bytes"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readmeBlock is a shell block of the README: what it is run as (its
// readme-commands label) and its commands, one a line.
type readmeBlock struct {
	label    string
	commands []string
}

// readmeBlocks reads every ```sh block of the README; each must say, in the
// comment before it, how a test runs it.
func readmeBlocks(t *testing.T) []readmeBlock {
	t.Helper()
	readme := string(must(os.ReadFile("../../README.md")))
	var blocks []readmeBlock
	for _, m := range regexp.MustCompile("(?s)(?:<!-- readme-commands: ([a-z-]+) -->\n)?```sh\n(.*?)```").FindAllStringSubmatch(readme, -1) {
		require.NotEmpty(t, m[1], "every sh block of the README says how a test runs it (<!-- readme-commands: … -->):\n%s", m[2])
		blocks = append(blocks, readmeBlock{m[1], strings.Split(strings.TrimSpace(m[2]), "\n")})
	}
	return blocks
}

// readmeFile is the README's Go block marked as the file path of a user's
// module.
func readmeFile(t *testing.T, path string) string {
	t.Helper()
	readme := string(must(os.ReadFile("../../README.md")))
	m := regexp.MustCompile("(?s)<!-- readme-file: " + regexp.QuoteMeta(path) + " -->\n```go\n(.*?)```").FindStringSubmatch(readme)
	require.NotNil(t, m, "the README gives %s", path)
	return m[1]
}

// releasedModule serves this checkout as a released module, v0.1.0 of
// github.com/payhooks/payhooks, from a module proxy in a folder, so that the
// README's "@latest" commands run as printed, offline. The dependencies come
// from the module cache's own download folder, and everything is extracted
// into a module cache of the test's own: the user's is not touched.
//
// Made once per test binary (the builds from its module cache are then
// cached for every test that uses it) and removed by TestMain.
func releasedModule(t *testing.T) []string {
	t.Helper()
	released.once.Do(func() { released.env, released.err = makeReleasedModule() })
	require.NoError(t, released.err)
	return released.env
}

var released struct {
	once sync.Once
	dir  string
	env  []string
	err  error
}

// removeReleasedModule removes what releasedModule made: the module cache is
// read-only, as go leaves it.
func removeReleasedModule() {
	if released.dir == "" {
		return
	}
	clean := exec.Command("go", "clean", "-modcache")
	clean.Env = append(os.Environ(), released.env...)
	clean.Run()
	os.RemoveAll(released.dir)
}

func makeReleasedModule() ([]string, error) {
	root, err := filepath.Abs("../..")
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "payhooks-released-")
	if err != nil {
		return nil, err
	}
	released.dir = dir
	proxy := filepath.Join(dir, "proxy", "github.com", "payhooks", "payhooks", "@v")
	const version = "v0.1.0"
	ls := exec.Command("git", "ls-files", "--cached", "--others", "--exclude-standard")
	ls.Dir = root
	files, err := ls.Output()
	if err != nil {
		return nil, fmt.Errorf("git ls-files: %w", err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	list := strings.Split(strings.TrimSpace(string(files)), "\n")
	// bench/peers, bench/stripe, bench/stripe/older: modules of their own,
	// which a module's zip leaves out.
	var nested []string
	for _, f := range list {
		if dir, ok := strings.CutSuffix(f, "/go.mod"); ok {
			nested = append(nested, dir+"/")
		}
	}
	for _, f := range list {
		info, err := os.Lstat(filepath.Join(root, f))
		if err != nil || !info.Mode().IsRegular() || slices.ContainsFunc(nested, func(dir string) bool { return strings.HasPrefix(f, dir) }) {
			continue // deleted in the work tree; a link; a module of its own
		}
		w, err := zw.Create("github.com/payhooks/payhooks@" + version + "/" + f)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(must(os.ReadFile(filepath.Join(root, f)))); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	for name, data := range map[string][]byte{
		"list": []byte(version + "\n"), version + ".info": []byte(`{"Version":"` + version + `","Time":"2026-01-01T00:00:00Z"}`),
		version + ".mod": must(os.ReadFile(filepath.Join(root, "go.mod"))), version + ".zip": buf.Bytes(),
	} {
		if err := os.MkdirAll(proxy, 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(proxy, name), data, 0o644); err != nil {
			return nil, err
		}
	}
	download := strings.TrimSpace(string(must(exec.Command("go", "env", "GOMODCACHE").Output()))) + "/cache/download"
	return []string{
		"GOPROXY=file://" + filepath.Join(dir, "proxy") + ",file://" + download, "GOMODCACHE=" + filepath.Join(dir, "modcache"),
		"GOSUMDB=off", "GOFLAGS=", "GOWORK=off", "GOTOOLCHAIN=local",
	}, nil
}

// shell runs one command line of the README with bash in dir.
func shell(t *testing.T, dir string, env []string, line string) (string, int) {
	t.Helper()
	cmd := exec.Command("bash", "-c", line)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case assert.ErrorAs(t, err, &exit, "%s", line):
		return string(out), exit.ExitCode()
	}
	return string(out), -1
}

// Every command of the README, run as printed, in README order, in a
// folder holding what the README says a reader has (samples/ of a provider
// of their own, last-release/ with a bundle published before) and a link
// to this checkout's schemas/: payhooks installed with go install
// …@latest from a released module, listen started in the background,
// deliveries sent and captured, captures validated, schemas exported and
// diffed, a provider scaffolded and used beside the bundled ones. The one
// change: 127.0.0.1:8080 becomes a free port. Every command exits 0, but
// validate, which exits 1 on the drift the captures hold; a comment
// "# says: …" is asserted in the command's output. The consumer-module
// blocks are run by TestGenerateInAConsumerModule, and make demo and make
// test, as printed, by .ci/run (checked here).
func TestReadmeCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: installs payhooks and runs every command of the README")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	sandbox := t.TempDir()
	require.NoError(t, os.Symlink(filepath.Join(root, "schemas"), filepath.Join(sandbox, "schemas")))
	require.NoError(t, os.CopyFS(filepath.Join(sandbox, "samples"), os.DirFS("testdata/init/acme")))
	_, stderr, code := payhooks(t, "", nil, "schemas", "export", "-version", "v1", "-out", filepath.Join(sandbox, "last-release"))
	require.Equal(t, exitOK, code, stderr)

	bin := filepath.Join(sandbox, "bin")
	env := append(releasedModule(t), "GOBIN="+bin, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"), "PAYHOOKS_ACME_SECRET=acme-secret")
	env = append(env, secretsEnv...)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().String()
	l.Close()

	ci := string(must(os.ReadFile(filepath.Join(root, ".ci", "run"))))
	ran := map[string]int{}
	for _, b := range readmeBlocks(t) {
		ran[b.label]++
		switch b.label {
		case "shop", "shop-from-checkout":
			continue // TestGenerateInAConsumerModule
		case "ci":
			for _, line := range b.commands {
				command, _, _ := strings.Cut(line, "#")
				assert.Contains(t, ci, "\n"+strings.TrimSpace(command)+"\n", ".ci/run runs the README's %q as printed", command)
			}
			continue
		case "install", "sandbox":
		default:
			t.Fatalf("README block labelled %q: no test runs it", b.label)
		}
		for _, line := range b.commands {
			line = strings.ReplaceAll(line, "127.0.0.1:8080", port)
			_, says, _ := strings.Cut(line, "# says: ")
			if background, ok := strings.CutSuffix(strings.TrimSpace(line), "&"); ok {
				startBackground(t, sandbox, env, background, port)
				continue
			}
			out, code := shell(t, sandbox, env, line)
			validate := strings.HasPrefix(line, "payhooks validate ")
			assert.True(t, code == 0 || validate && code == 1, "%s: exit %d\n%s", line, code, out)
			if says != "" {
				assert.Contains(t, out, strings.TrimSpace(says), line)
			}
		}
	}
	assert.Equal(t, map[string]int{"install": 1, "ci": 2, "shop-from-checkout": 1, "shop": 1, "sandbox": 4}, ran, "the README's blocks")
	assert.FileExists(t, filepath.Join(bin, "payhooks"), "go install …@latest installed it")
	captured, err := filepath.Glob(filepath.Join(sandbox, "captures", "*.capture.json"))
	require.NoError(t, err)
	assert.Len(t, captured, 3, "rapyd, tazapay, and tazapay again with a fresh id")
	for _, f := range []string{"drift.sarif", "drift.json", ".payhooks-baseline.json", "CHANGELOG.md", "payhooks-schemas/index.json", "schemas-acme/acme/acme.json"} {
		assert.FileExists(t, filepath.Join(sandbox, f))
	}
}

// startBackground starts a README command that ends in "&" and waits until
// it serves on addr; it is stopped with SIGINT when the test ends.
func startBackground(t *testing.T, dir string, env []string, line, addr string) {
	t.Helper()
	cmd := exec.Command("bash", "-c", "exec "+line)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	t.Cleanup(func() {
		cmd.Process.Signal(syscall.SIGINT)
		cmd.Wait()
	})
	for range 300 {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s did not start:\n%s", line, out.String())
}

// A throwaway module outside this one uses payhooks exactly as the README
// says: its file internal/webhooks/generate.go, then its commands, from a
// released module (served by a local proxy) and again from a checkout
// (replace and @v0.0.0). The output lands beside that file
// (internal/webhooks/rapyd, not internal/webhooks/internal/webhooks); a
// go:generate line of the module's own over its own schema (a union, an
// enum, a nullable date-time and a money field) generates beside it; go mod
// tidy keeps the tool; code using the result compiles, passes vet and runs.
func TestGenerateInAConsumerModule(t *testing.T) {
	if testing.Short() {
		t.Skip("-short: builds a module")
	}
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	blocks := map[string][]string{}
	for _, b := range readmeBlocks(t) {
		blocks[b.label] = b.commands
	}
	for _, route := range []string{"released", "from a checkout"} {
		t.Run(route, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "shop")
			var env, commands []string
			if route == "released" {
				env, commands = releasedModule(t), blocks["shop"]
			} else {
				require.NoError(t, os.Symlink(root, filepath.Join(filepath.Dir(dir), "payhooks")))
				env = []string{"GOFLAGS=-mod=mod", "GOPROXY=off", "GOSUMDB=off", "GOWORK=off", "GOTOOLCHAIN=local"}
				commands = append(append([]string{}, blocks["shop-from-checkout"]...), blocks["shop"][1:]...)
				writeFile(t, dir, "go.sum", string(must(os.ReadFile(filepath.Join(root, "go.sum")))))
			}
			goVersion := strings.TrimPrefix(runtime.Version(), "go")
			writeFile(t, dir, "go.mod", "module example.com/shop\n\ngo "+goVersion+"\n")
			writeFile(t, dir, "internal/webhooks/generate.go", readmeFile(t, "internal/webhooks/generate.go"))
			writeConsumerSchema(t, dir)
			for _, line := range commands {
				out, code := shell(t, dir, env, line)
				require.Equal(t, 0, code, "%s:\n%s", line, out)
			}
			gomod := string(must(os.ReadFile(filepath.Join(dir, "go.mod"))))
			assert.Contains(t, gomod, "tool github.com/payhooks/payhooks/cmd/payhooks")
			assert.FileExists(t, filepath.Join(dir, "internal", "webhooks", "rapyd", "rapyd.go"), "the output lands beside generate.go")
			assert.NoDirExists(t, filepath.Join(dir, "internal", "webhooks", "internal"))
			assert.FileExists(t, filepath.Join(dir, "webhooks", "acme", "payment_paid.go"))
			writeFile(t, dir, "main.go", consumerMain)
			// -e: offline, tidy cannot look up the modules only tests of
			// dependencies import; it still decides what this module requires.
			for _, line := range []string{"go mod tidy -e", "go vet ./..."} {
				out, code := shell(t, dir, env, line)
				require.Equal(t, 0, code, "%s:\n%s", line, out)
			}
			assert.Contains(t, string(must(os.ReadFile(filepath.Join(dir, "go.mod")))), "tool github.com/payhooks/payhooks/cmd/payhooks", "go mod tidy keeps the tool")
			out, code := shell(t, dir, env, "go run .")
			require.Equal(t, 0, code, out)
			lines := strings.Split(strings.TrimSpace(out), "\n")
			require.Len(t, lines, 3, out)
			assert.Equal(t, "1.01 disputed false true tok_1", lines[0])
			assert.JSONEq(t, `{"id": "d1", "kind": "payment.paid", "amount": 1.01, "status": "disputed", "settled_at": null, "source": "tok_1", "note": "kept"}`, lines[1])
			assert.Equal(t, "8", lines[2])
		})
	}
}

// writeConsumerSchema gives the module a provider of its own, and the
// go:generate line that generates it.
func writeConsumerSchema(t *testing.T, dir string) {
	t.Helper()
	writeFile(t, dir, "schemas/acme/acme.json", `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Acme", "description": "Acme payment webhooks.",
  "x-payhooks-provider": {"discriminator": {"in": "body", "pointer": "/kind"}, "delivery_id": "/id", "signature": {"scheme": "ivy"}},
  "$ref": "#/$defs/envelope",
  "$defs": {"envelope": {"type": "object", "required": ["id", "kind"], "properties": {"id": {"type": "string"}, "kind": {"type": "string"}}}}
}`)
	writeFile(t, dir, "schemas/acme/events/paid.json", `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Paid", "description": "A payment was made.", "x-payhooks-event": "payment.paid",
  "$ref": "../acme.json#/$defs/envelope",
  "required": ["amount"],
  "properties": {
    "kind": {"const": "payment.paid"},
    "amount": {"type": "number", "x-payhooks-money": "major-units"},
    "status": {"type": "string", "enum": ["paid", "refunded"]},
    "settled_at": {"type": ["string", "null"], "format": "date-time"},
    "source": {"oneOf": [{"title": "Card", "type": "object", "properties": {"last4": {"type": "string"}}}, {"title": "Token", "type": "string"}]}
  }
}`)
	writeFile(t, dir, "webhooks/gen.go", "// Package webhooks holds the shop's own providers.\npackage webhooks\n\n//go:generate go tool payhooks generate -schemas ../schemas -out .\n")
}

const consumerMain = `package main

import (
	"encoding/json"
	"fmt"

	"example.com/shop/internal/webhooks/rapyd"
	"example.com/shop/webhooks/acme"
)

func main() {
	e, err := acme.Parse([]byte(` + "`" + `{"id": "d1", "kind": "payment.paid", "amount": 1.01, "status": "disputed", "settled_at": null, "source": "tok_1", "note": "kept"}` + "`" + `))
	if err != nil {
		panic(err)
	}
	paid := e.(*acme.PaymentPaidEvent)
	out, _ := json.Marshal(paid)
	fmt.Println(paid.Amount, *paid.Status, paid.Status.Known(), paid.SettledAt == nil, *paid.Source.Token)
	fmt.Println(string(out))
	fmt.Println(len(rapyd.Events))
}
`
