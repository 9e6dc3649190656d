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
	workflow := lintedWorkflow(t, "../../README.md", "<!-- github-workflow")

	// Each payhooks command line of the workflow parses.
	for _, m := range regexp.MustCompile(`run: (payhooks validate [^>|\n]*)`).FindAllStringSubmatch(workflow, -1) {
		args := strings.Fields(m[1])[1:]
		args = append(args[:len(args)-1], "-h") // the folder aside: flags only
		_, stderr, code := payhooks(t, "", nil, args...)
		assert.Equal(t, 0, code, "%s: %s", m[1], stderr)
	}
}

// lintedWorkflow is the YAML block after marker in the document doc,
// which it checks with actionlint.
func lintedWorkflow(t *testing.T, doc, marker string) string {
	t.Helper()
	text := string(must(os.ReadFile(doc)))
	_, after, ok := strings.Cut(text, marker)
	require.True(t, ok, "%s marks its workflow with %s", doc, marker)
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
	return block[1]
}
