package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/posix"
)

// usersFiles puts in dir what a user's folder holds: a file of their own,
// a repository, a link, a script and an empty folder.
func usersFiles(t *testing.T, dir string) {
	t.Helper()
	writeFile(t, dir, "main.go", "package main\n")
	writeFile(t, dir, ".git/HEAD", "ref: refs/heads/main\n")
	script := writeFile(t, dir, "tools/run.sh", "#!/bin/sh\n")
	require.NoError(t, os.Chmod(script, 0o755))
	require.NoError(t, os.Symlink("main.go", filepath.Join(dir, "link.go")))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "empty"), 0o750))
}

// assertUsersFiles checks that what usersFiles put in dir is as it was.
func assertUsersFiles(t *testing.T, dir string) {
	t.Helper()
	for name, want := range map[string]string{"main.go": "package main\n", ".git/HEAD": "ref: refs/heads/main\n"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if assert.NoError(t, err, "%s: the user's %s stays", dir, name) {
			assert.Equal(t, want, string(data))
		}
	}
	if info, err := os.Stat(filepath.Join(dir, "tools", "run.sh")); assert.NoError(t, err) {
		assert.Equal(t, fs.FileMode(0o755), info.Mode().Perm(), "%s: the script keeps its mode", dir)
	}
	target, err := os.Readlink(filepath.Join(dir, "link.go"))
	if assert.NoError(t, err, "%s: the link stays a link", dir) {
		assert.Equal(t, "main.go", target)
	}
	if info, err := os.Stat(filepath.Join(dir, "empty")); assert.NoError(t, err, "%s: the empty folder stays", dir) {
		assert.Equal(t, fs.FileMode(0o750), info.Mode().Perm())
	}
}

// Every command that writes a folder writes only what it makes: run into
// a folder of the user's (and, where it rewrites a folder of its own, with
// the user's files inside that too), it leaves them as they were.
func TestWritingCommandsKeepTheUsersFiles(t *testing.T) {
	posix.SetUmask(t, 0o022)
	drift := filepath.Join(examples, "tazapay", "drift")
	doc := filepath.Join("internal", "importer", "testdata", "shop31.json")
	run := func(t *testing.T, args ...string) {
		t.Helper()
		_, stderr, code := payhooks(t, "", nil, args...)
		require.Equal(t, exitOK, code, stderr)
	}
	t.Run("generate", func(t *testing.T) {
		out := t.TempDir()
		usersFiles(t, out)
		usersFiles(t, filepath.Join(out, "finmo"))
		run(t, "generate", "-out", out)
		assertUsersFiles(t, out)
		assertUsersFiles(t, filepath.Join(out, "finmo"))
		info, err := os.Stat(filepath.Join(out, "finmo", "events.go"))
		require.NoError(t, err)
		assert.Equal(t, fs.FileMode(0o644), info.Mode().Perm(), "generated files are 0644, as go and gofmt write them")
		info, err = os.Stat(filepath.Join(out, "finmo", "schema", "finmo", "finmo.json"))
		require.NoError(t, err)
		assert.Equal(t, fs.FileMode(0o644), info.Mode().Perm())
	})
	t.Run("schemas export", func(t *testing.T) {
		out := t.TempDir()
		usersFiles(t, out)
		run(t, "schemas", "export", "-force", "-out", out)
		usersFiles(t, filepath.Join(out, "finmo"))
		run(t, "schemas", "export", "-force", "-out", out)
		assertUsersFiles(t, out)
		assertUsersFiles(t, filepath.Join(out, "finmo"))
		assert.FileExists(t, filepath.Join(out, "index.json"))
	})
	// init and import add a provider folder beside the user's files, and
	// with -force replace only their own files in it.
	for _, c := range []struct{ provider, root string }{{"shop", "openapi.json"}, {"acme", "acme.json"}} {
		command, input := "import", doc
		if c.provider == "acme" {
			command, input = "init", "testdata/init/acme"
		}
		t.Run("schemas "+command, func(t *testing.T) {
			out := t.TempDir()
			usersFiles(t, out)
			run(t, "schemas", command, "-provider", c.provider, "-signature", "adyen-hmac", "-out", out, input)
			usersFiles(t, filepath.Join(out, c.provider))
			run(t, "schemas", command, "-force", "-provider", c.provider, "-signature", "adyen-hmac", "-out", out, input)
			assertUsersFiles(t, out)
			assertUsersFiles(t, filepath.Join(out, c.provider))
			assert.FileExists(t, filepath.Join(out, c.provider, c.root))
		})
	}
	t.Run("schemas learn -out", func(t *testing.T) {
		out := t.TempDir()
		usersFiles(t, out)
		run(t, "schemas", "learn", "-out", out, drift)
		assertUsersFiles(t, out)
		assert.FileExists(t, filepath.Join(out, "tazapay", "events", "payment_attempt.requires_action.json"))
	})
	t.Run("schemas learn in place", func(t *testing.T) {
		dir := t.TempDir()
		require.NoError(t, os.CopyFS(dir, os.DirFS(examples)))
		usersFiles(t, dir)
		usersFiles(t, filepath.Join(dir, "tazapay"))
		root := filepath.Join(dir, "tazapay", "tazapay.json")
		require.NoError(t, os.Chmod(root, 0o664))
		run(t, "schemas", "learn", "-schemas", dir, "-out", dir, drift)
		assertUsersFiles(t, dir)
		assertUsersFiles(t, filepath.Join(dir, "tazapay"))
		info, err := os.Stat(root)
		require.NoError(t, err)
		assert.Equal(t, fs.FileMode(0o664), info.Mode().Perm(), "a rewritten file keeps its mode")
		data, err := os.ReadFile(root)
		require.NoError(t, err)
		assert.Contains(t, string(data), `"null"`, "the edit is there")
	})
}

// generate refuses to write through a link that leads out of -out: no
// schema copy lands outside, no payhooks-headed file there is removed.
func TestGenerateRefusesLinksOutOfTheOutput(t *testing.T) {
	outside := t.TempDir()
	victim := writeFile(t, outside, "finmo/old.go", "// Code generated by payhooks from finmo/finmo.json. DO NOT EDIT.\n\npackage finmo\n")
	out := t.TempDir()
	require.NoError(t, os.Symlink(filepath.Join(outside, "finmo"), filepath.Join(out, "finmo")))
	_, stderr, code := payhooks(t, "", nil, "generate", "-out", out, "-providers", "finmo")
	assert.Equal(t, exitCantRun, code)
	assert.Contains(t, stderr, filepath.Join(out, "finmo")+" is a symbolic link to "+filepath.Join(outside, "finmo")+", outside "+out+": payhooks does not write through it")
	assert.FileExists(t, victim)
	entries, err := os.ReadDir(filepath.Join(outside, "finmo"))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "nothing written outside -out")

	// A link that stays inside -out is written through, and kept.
	require.NoError(t, os.Remove(filepath.Join(out, "finmo")))
	require.NoError(t, os.Mkdir(filepath.Join(out, "real"), 0o755))
	require.NoError(t, os.Symlink("real", filepath.Join(out, "finmo")))
	_, stderr, code = payhooks(t, "", nil, "generate", "-out", out, "-providers", "finmo")
	require.Equal(t, exitOK, code, stderr)
	assert.FileExists(t, filepath.Join(out, "real", "events.go"))
	target, err := os.Readlink(filepath.Join(out, "finmo"))
	require.NoError(t, err)
	assert.Equal(t, "real", target)
	assert.False(t, strings.Contains(stderr, "symbolic"))
}
