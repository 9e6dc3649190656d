package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// consumerModule makes a throwaway module that requires this checkout
// (replaced, offline), and returns it with a runner of commands inside it.
func consumerModule(t *testing.T) (string, func(env []string, args ...string) string) {
	t.Helper()
	root, err := filepath.Abs("../..")
	require.NoError(t, err)
	dir := t.TempDir()
	run := func(env []string, args ...string) string {
		t.Helper()
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = dir
		cmd.Env = append(append(os.Environ(), "GOFLAGS=-mod=mod", "GOPROXY=off", "GOSUMDB=off", "GOWORK=off"), env...)
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s:\n%s", strings.Join(args, " "), out)
		return string(out)
	}
	writeFile(t, dir, "go.mod", "module example.com/shop\n\ngo "+strings.TrimPrefix(runtime.Version(), "go")+"\n")
	writeFile(t, dir, "go.sum", string(must(os.ReadFile(filepath.Join(root, "go.sum")))))
	run(nil, "go", "mod", "edit", "-replace", "github.com/payhooks/payhooks="+root)
	return dir, run
}

// samples writes one payload per event, as NDJSON.
func samples(t *testing.T, dir string, events ...string) string {
	t.Helper()
	var b strings.Builder
	for i, e := range events {
		line, err := json.Marshal(map[string]any{"id": fmt.Sprintf("evt_%d", i), "type": e, "data": map[string]any{"amount": i}})
		require.NoError(t, err)
		b.Write(append(line, '\n'))
	}
	return writeFile(t, dir, "samples.ndjson", b.String())
}

// Event names that make file names Go ignores (ping_test.go is a test),
// builds on one platform only (payment_windows.go, order_js.go,
// notify_386.go, x_linux.go), hides (".go"), or that go:embed and Windows
// refuse (CON, a:b), and event names with nothing to keep (~, ., .., ""):
// init and import name their files so every one is portable, and the
// package generated from them compiles, every file of it on every
// platform. Provider names that cannot be a package are refused.
func TestGenerateFromHostileNames(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a module")
	}
	mod, run := consumerModule(t)
	schemasDir := filepath.Join(mod, "schemas")
	in := t.TempDir()
	scaffold := func(provider string, events ...string) {
		t.Helper()
		_, stderr, code := payhooks(t, "", nil, "schemas", "init", "-provider", provider, "-signature", "ivy", "-out", schemasDir, samples(t, t.TempDir(), events...))
		require.Equal(t, exitOK, code, stderr)
	}
	scaffold("acme", "ping_test", "payment_windows", "order_js", "notify_386", "x.linux", "CON", "a:b", "~")
	doc := writeFile(t, in, "hooks.json", `{
  "openapi": "3.1.0", "info": {"title": "Hooks", "version": "1"},
  "webhooks": {
    "":             {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/E"}, "example": {"id": "1", "type": ""}}}}, "responses": {"200": {"description": "OK"}}}},
    "aux":          {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/E"}, "example": {"id": "2", "type": "aux"}}}}, "responses": {"200": {"description": "OK"}}}},
    "notify_arm64": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/E"}, "example": {"id": "3", "type": "notify_arm64"}}}}, "responses": {"200": {"description": "OK"}}}},
    "a/b":          {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/E"}, "example": {"id": "4", "type": "a/b"}}}}, "responses": {"200": {"description": "OK"}}}}
  },
  "components": {"schemas": {"E": {"type": "object", "required": ["id", "type"], "properties": {"id": {"type": "string"}, "type": {"type": "string", "enum": ["", "aux", "notify_arm64", "a/b"]}}}}}
}`)
	_, stderr, code := payhooks(t, "", nil, "schemas", "import", "-provider", "hooks", "-signature", "ivy", "-out", schemasDir, doc)
	require.Equal(t, exitOK, code, stderr)

	generateAndVet := func() {
		t.Helper()
		_, stderr, code = payhooks(t, "", nil, "generate", "-schemas", schemasDir, "-out", filepath.Join(mod, "gen"))
		require.Equal(t, exitOK, code, stderr)
		run(nil, "go", "mod", "tidy", "-e")
		run(nil, "go", "vet", "./...")
		for _, platform := range [][]string{{"GOOS=linux", "GOARCH=amd64"}, {"GOOS=windows", "GOARCH=386"}, {"GOOS=js", "GOARCH=wasm"}, {"GOOS=darwin", "GOARCH=arm64"}} {
			out := run(platform, "go", "list", "-f", "{{.ImportPath}} {{len .GoFiles}} ignored:{{.IgnoredGoFiles}} tests:{{.TestGoFiles}}", "./gen/...")
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				assert.Contains(t, line, " ignored:[] tests:[]", "%v: every generated file builds", platform)
			}
		}
		run([]string{"GOOS=windows", "GOARCH=386"}, "go", "vet", "./gen/...")
	}
	generateAndVet()
	// One Go name each: ~, . and .. all make X, a collision refused with
	// the events named, so they stand in providers of their own.
	scaffold("dot", ".")
	scaffold("dotdot", "..")
	generateAndVet()
	// Every file init and import wrote has a portable name.
	require.NoError(t, filepath.WalkDir(schemasDir, func(p string, d os.DirEntry, err error) error {
		require.NoError(t, err)
		name := d.Name()
		assert.Regexp(t, `^[A-Za-z0-9][A-Za-z0-9._~-]*$`, name, p)
		assert.NotRegexp(t, `(?i)^(con|prn|aux|nul|com\d|lpt\d)(\.|$)`, name, p)
		return nil
	}))
	examples, err := filepath.Glob(filepath.Join(schemasDir, "*", "examples"))
	require.NoError(t, err)
	require.Len(t, examples, 4)
	stdout, stderr, code := payhooks(t, "", nil, append([]string{"validate", "-schemas", schemasDir}, examples...)...)
	require.Equal(t, exitOK, code, "every example is its event's: %s%s", stdout, stderr)

	// Names that cannot be a package's, nor its folder's.
	for _, name := range []string{"main", "con", "func"} {
		_, stderr, code := payhooks(t, "", nil, "schemas", "init", "-provider", name, "-signature", "ivy", "-out", t.TempDir(), samples(t, t.TempDir(), "paid"))
		assert.Equal(t, exitCantRun, code, name)
		assert.Contains(t, stderr, fmt.Sprintf("-provider: package name %q", name))
	}
	for _, name := range []string{"main", "con", "NUL"} {
		_, stderr, code := payhooks(t, "", nil, "generate", "-providers", "finmo", "-package", name, "-out", t.TempDir())
		assert.Equal(t, exitCantRun, code, name)
		assert.Contains(t, stderr, fmt.Sprintf("-package: package name %q", name))
	}
	// A folder named main makes package mainhooks; one named con, which
	// Windows and go:embed refuse, is refused with its file.
	named := t.TempDir()
	rename := func(name string) { // the provider dot, as name
		t.Helper()
		require.NoError(t, filepath.WalkDir(filepath.Join(schemasDir, "dot"), func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			rel, err := filepath.Rel(filepath.Join(schemasDir, "dot"), p)
			if err != nil {
				return err
			}
			if rel == "dot.json" {
				rel = name + ".json"
			}
			data := strings.NewReplacer("/dot/", "/"+name+"/", `"dot"`, `"`+name+`"`, "dot.json", name+".json").Replace(string(must(os.ReadFile(p))))
			writeFile(t, filepath.Join(named, name), rel, data)
			return nil
		}))
	}
	rename("main")
	out := filepath.Join(t.TempDir(), "gen")
	_, stderr, code = payhooks(t, "", nil, "generate", "-schemas", named, "-out", out)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, string(must(os.ReadFile(filepath.Join(out, "mainhooks", "events.go")))), "package mainhooks")
	rename("con")
	_, stderr, code = payhooks(t, "", nil, "generate", "-schemas", named, "-out", t.TempDir())
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, stderr, `schema file "con/con.json": the generated package embeds it, but "con" is a device name on Windows: rename it`)
}
