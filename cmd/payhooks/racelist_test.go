package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// make test runs the tree with the race detector, under which the tests
// that count allocations or memory skip themselves (or their counting
// part); the Makefile runs them once more without it. Every test that
// reads race.Enabled is on that second run's list, with its package, and
// every name on the list is such a test, so none is skipped in CI by a
// list that went stale.
func TestRaceSkippedTestsRunWithoutRace(t *testing.T) {
	makefile := string(must(os.ReadFile("../../Makefile")))
	m := regexp.MustCompile(`\$\(GO\) test -count=1 -run '\^\(([A-Za-z|]+)\)\$\$' ((?:\./[a-z/]+ ?)+)\n`).FindStringSubmatch(makefile)
	require.NotNil(t, m, "the Makefile's run without the race detector")
	listed := map[string]bool{}
	for _, name := range strings.Split(m[1], "|") {
		listed[name] = true
	}
	packages := map[string]bool{}
	for _, p := range strings.Fields(m[2]) {
		packages[p] = true
	}

	var missing []string
	found := map[string]bool{}
	err := filepath.WalkDir("../..", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".") && p != "../.." || p == "../../bench"):
			return filepath.SkipDir // bench/peers runs without the race detector
		case d.IsDir() || !strings.HasSuffix(p, "_test.go"):
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), p, nil, 0)
		require.NoError(t, err)
		pkg := "./" + filepath.ToSlash(filepath.Dir(strings.TrimPrefix(p, "../../")))
		for _, decl := range f.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || !strings.HasPrefix(fn.Name.Name, "Test") || !readsRaceEnabled(fn) {
				continue
			}
			found[fn.Name.Name] = true
			if !listed[fn.Name.Name] || !packages[pkg] {
				missing = append(missing, pkg+" "+fn.Name.Name)
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, missing, "tests that skip under the race detector and that the Makefile does not run without it")
	for name := range listed {
		assert.True(t, found[name], "the Makefile runs %s without the race detector, but no test of that name reads race.Enabled", name)
	}
}

// readsRaceEnabled says fn's body reads race.Enabled.
func readsRaceEnabled(fn *ast.FuncDecl) bool {
	found := false
	ast.Inspect(fn, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "Enabled" {
			if x, ok := sel.X.(*ast.Ident); ok && x.Name == "race" {
				found = true
			}
		}
		return !found
	})
	return found
}
