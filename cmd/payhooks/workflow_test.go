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

// The GitHub Actions workflow the README gives passes actionlint, and runs
// payhooks with flags it has.
func TestReadmeWorkflowPassesActionlint(t *testing.T) {
	readme := string(must(os.ReadFile("../../README.md")))
	_, after, ok := strings.Cut(readme, "<!-- github-workflow")
	require.True(t, ok, "the README marks its workflow")
	block := regexp.MustCompile("(?s)```yaml\n(.*?)```").FindStringSubmatch(after)
	require.NotNil(t, block)
	dir := t.TempDir()
	path := filepath.Join(dir, ".github", "workflows", "drift.yml")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, []byte(block[1]), 0o644))

	var out bytes.Buffer
	linter, err := actionlint.NewLinter(&out, &actionlint.LinterOptions{WorkingDir: dir})
	require.NoError(t, err)
	errs, err := linter.Lint(path, []byte(block[1]), nil)
	require.NoError(t, err)
	assert.Empty(t, errs, "actionlint: %s", out.String())

	// Each payhooks command line of the workflow parses.
	for _, m := range regexp.MustCompile(`run: (payhooks validate [^>|\n]*)`).FindAllStringSubmatch(block[1], -1) {
		args := strings.Fields(m[1])[1:]
		args = append(args[:len(args)-1], "-h") // the folder aside: flags only
		_, stderr, code := payhooks(t, "", nil, args...)
		assert.Equal(t, 0, code, "%s: %s", m[1], stderr)
	}
}
