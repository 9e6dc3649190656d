package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every test helper of the module (a function of a _test.go file, or of
// internal/testonly, that takes a *testing.T, B or F or a testing.TB and
// uses it) calls its Helper first, so a failure points at the test's line,
// not the helper's.
func TestTestHelpersCallHelper(t *testing.T) {
	var missing []string
	err := filepath.WalkDir("../..", func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.IsDir() && (d.Name() == "testdata" || d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".") && p != "../.." || p == "../../bench"):
			return filepath.SkipDir // bench/peers is a module of its own
		case d.IsDir() || !strings.HasSuffix(p, ".go"):
			return nil
		case !strings.HasSuffix(p, "_test.go") && !strings.Contains(filepath.ToSlash(p), "/internal/testonly/"):
			return nil
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, nil, 0)
		require.NoError(t, err)
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && isHelperWithoutHelper(fn) {
				missing = append(missing, fset.Position(fn.Pos()).String()+" "+fn.Name.Name)
			}
		}
		return nil
	})
	require.NoError(t, err)
	assert.Empty(t, missing, "test helpers that do not call t.Helper()")
}

// isHelperWithoutHelper says fn is a test helper that reports through its
// testing value without calling that value's Helper.
func isHelperWithoutHelper(fn *ast.FuncDecl) bool {
	for _, prefix := range []string{"Test", "Benchmark", "Fuzz", "Example"} {
		if strings.HasPrefix(fn.Name.Name, prefix) || fn.Body == nil {
			return false
		}
	}
	tb := ""
	for _, field := range fn.Type.Params.List {
		if isTestingType(field.Type) && len(field.Names) > 0 && field.Names[0].Name != "_" {
			tb = field.Names[0].Name
		}
	}
	if tb == "" {
		return false
	}
	used, helper := false, false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.Ident:
			used = used || n.Name == tb
		case *ast.SelectorExpr:
			if x, ok := n.X.(*ast.Ident); ok && x.Name == tb && n.Sel.Name == "Helper" {
				helper = true
			}
		}
		return true
	})
	return used && !helper
}

// isTestingType says e is *testing.T, *testing.B, *testing.F or testing.TB.
func isTestingType(e ast.Expr) bool {
	if star, ok := e.(*ast.StarExpr); ok {
		e = star.X
	}
	sel, ok := e.(*ast.SelectorExpr)
	if !ok {
		return false
	}
	pkg, ok := sel.X.(*ast.Ident)
	return ok && pkg.Name == "testing" && strings.Contains("T B F TB", sel.Sel.Name)
}
