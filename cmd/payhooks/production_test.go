package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rhysd/actionlint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The nightly workflow of docs/production.md passes actionlint, and each
// payhooks command in it parses.
func TestNightlyWorkflowPassesActionlint(t *testing.T) {
	doc := string(must(os.ReadFile("../../docs/production.md")))
	_, after, ok := strings.Cut(doc, "<!-- nightly-workflow")
	require.True(t, ok, "docs/production.md marks its workflow")
	block := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindStringSubmatch(after)
	require.NotNil(t, block)
	dir := t.TempDir()
	path := filepath.Join(dir, ".github", "workflows", "nightly.yml")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(block[1]), 0o644))
	var out bytes.Buffer
	linter, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{WorkingDir: dir})
	require.NoError(t, err)
	errs, err := linter.Lint(path, []byte(block[1]), nil)
	require.NoError(t, err)
	assert.Empty(t, errs, "actionlint: %s", out.String())

	commands := regexp.MustCompile(`(?m)^\s*(payhooks validate .*)$`).FindAllStringSubmatch(block[1], -1)
	require.NotEmpty(t, commands)
	for _, m := range commands {
		line := strings.ReplaceAll(m[1], `"$day"`, "2026-01-01")
		args := strings.Fields(line)[1:]
		require.True(t, strings.HasPrefix(args[len(args)-1], "s3://"), line)
		args = append(args[:len(args)-1], "-h") // the location aside: flags only
		_, stderr, code := payhooks(t, "", nil, args...)
		assert.Equal(t, 0, code, "%s: %s", m[1], stderr)
	}
}
