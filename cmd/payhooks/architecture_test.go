package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docs/architecture.md shows the package import graph; this test computes
// it with go list and fails, printing the block to paste, when a package or
// an import changed and the document did not.
func TestDocsImportGraphIsGoList(t *testing.T) {
	want := importGraph(t)
	doc := string(must(os.ReadFile("../../docs/architecture.md")))
	_, after, ok := strings.Cut(doc, "<!-- import-graph")
	require.True(t, ok, "docs/architecture.md marks its import graph")
	block := regexp.MustCompile("(?s)```\n(.*?)```").FindStringSubmatch(after)
	require.NotNil(t, block)
	if want != block[1] && *update {
		require.NoError(t, os.WriteFile("../../docs/architecture.md", []byte(strings.Replace(doc, block[1], want, 1)), 0o644))
		return
	}
	if want != block[1] {
		t.Errorf("docs/architecture.md's import graph is stale (go test ./cmd/payhooks -run TestDocsImportGraphIsGoList -update); it is:\n%s", want)
	}
}

// docs/architecture.md's layout names every package of the module.
func TestDocsLayoutNamesEveryPackage(t *testing.T) {
	readme := string(must(os.ReadFile("../../docs/architecture.md")))
	_, layout, ok := strings.Cut(readme, "## Layout")
	require.True(t, ok)
	layout, _, _ = strings.Cut(layout, "\n## ")
	for _, p := range modulePackages(t) {
		if strings.HasPrefix(p.rel, "generated/") {
			continue // generated/ stands for the packages go generate writes
		}
		base := p.rel[strings.LastIndex(p.rel, "/")+1:]
		assert.True(t, strings.Contains(layout, p.rel) || strings.Contains(layout, "  "+base+"/"),
			"docs/architecture.md's layout does not name package %q", p.rel)
	}
}

type modulePackage struct {
	rel     string   // path inside the module
	imports []string // what it imports: module packages by their path inside the module, others by module path
}

// modulePackages lists the module's non-test packages as go list sees them.
func modulePackages(t *testing.T) []modulePackage {
	t.Helper()
	cmd := exec.Command("go", "list", "-json=ImportPath,Imports,Module", "./...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	require.NoError(t, err, "go list")
	const module = "github.com/payhooks/payhooks"
	dec := json.NewDecoder(strings.NewReader(string(out)))
	var pkgs []modulePackage
	for {
		var p struct {
			ImportPath string
			Imports    []string
		}
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else {
			require.NoError(t, err)
		}
		mp := modulePackage{rel: strings.TrimPrefix(p.ImportPath, module+"/")}
		for _, imp := range p.Imports {
			switch {
			case strings.HasPrefix(imp, module+"/"):
				mp.imports = append(mp.imports, strings.TrimPrefix(imp, module+"/"))
			case strings.Contains(strings.Split(imp, "/")[0], "."):
				mp.imports = append(mp.imports, thirdPartyModule(imp))
			}
		}
		slices.Sort(mp.imports)
		mp.imports = slices.Compact(mp.imports)
		pkgs = append(pkgs, mp)
	}
	return pkgs
}

// thirdPartyModule shortens an import path to its module's, which is what
// go.mod and the README's dependency section name.
func thirdPartyModule(imp string) string {
	parts := strings.Split(imp, "/")
	n := 3
	if len(parts) > 3 && regexp.MustCompile(`^v[0-9]+$`).MatchString(parts[3]) {
		n = 4
	}
	return strings.Join(parts[:min(n, len(parts))], "/")
}

// importGraph is the README's block: one line per package, standard
// library left out, the packages go generate writes merged into one line.
func importGraph(t *testing.T) string {
	t.Helper()
	var lines []modulePackage
	generated := -1
	for _, p := range modulePackages(t) {
		if strings.HasPrefix(p.rel, "generated/") {
			if generated < 0 {
				generated = len(lines)
				lines = append(lines, modulePackage{rel: "generated/*"})
			}
			merged := append(lines[generated].imports, p.imports...)
			slices.Sort(merged)
			lines[generated].imports = slices.Compact(merged)
			continue
		}
		lines = append(lines, p)
	}
	var b strings.Builder
	for _, p := range lines {
		imports := strings.Join(p.imports, ", ")
		if imports == "" {
			imports = "(standard library only)"
		}
		fmt.Fprintf(&b, "%-22s → %s\n", p.rel, imports)
	}
	return b.String()
}
