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

// The tiers, by where a package stands: what receivers link (webhook/…,
// validate, the generated packages and the internal/ packages directly
// below internal/), the tools' libraries that receivers never link
// (generator/…, validate/input, validate/report, schemas and
// internal/tooling/…), the CLI's own packages (cmd/payhooks and
// cmd/payhooks/internal/…), and what only tests import
// (internal/testonly/…). docs/architecture.md says the same.
var tiers = []tier{
	{"receivers", func(rel string) bool {
		return rel == "validate" || rel == "webhook" || strings.HasPrefix(rel, "webhook/") || rel == "generated" || strings.HasPrefix(rel, "generated/") ||
			rel == "cmd/example-receiver" || strings.HasPrefix(rel, "internal/") && strings.Count(rel, "/") == 1 && !slices.Contains([]string{"internal/tooling", "internal/testonly"}, rel)
	}, []string{"github.com/santhosh-tekuri/jsonschema/v5", "github.com/redis/go-redis/v9", // webhook/redisstore
		"github.com/aws/aws-sdk-go-v2", "github.com/aws/smithy-go", // webhook/s3capture
		"github.com/prometheus/client_golang"}}, // webhook/metrics
	{"tools", func(rel string) bool {
		return rel == "generator" || strings.HasPrefix(rel, "generator/") || rel == "validate/input" || rel == "validate/report" || rel == "schemas" || strings.HasPrefix(rel, "internal/tooling/")
	}, []string{"github.com/dave/jennifer", "github.com/getkin/kin-openapi"}},
	{"cli", func(rel string) bool {
		return rel == "cmd/payhooks" || strings.HasPrefix(rel, "cmd/payhooks/internal/")
	},
		[]string{"golang.org/x/term", "github.com/pmezard/go-difflib", "github.com/oasdiff/yaml"}},
	{"tests", func(rel string) bool { return strings.HasPrefix(rel, "internal/testonly/") }, []string{"github.com/stretchr/testify"}},
}

// tier is one of them: which packages are in it, and the third-party
// modules its packages may import.
type tier struct {
	name    string
	in      func(rel string) bool
	thirdOK []string
}

// tierOf is the index in tiers of a package's tier, or -1.
func tierOf(rel string) int {
	return slices.IndexFunc(tiers, func(tr tier) bool { return tr.in(rel) })
}

// Every package has a tier; it imports packages of its own tier or of one
// before it (receivers nothing but receivers; the CLI anything but
// test-only packages), third-party modules its tier may have, and a
// program of a tier links nothing of a later one: a receiver links no
// generator, reporter, input reader or CLI package.
func TestPackageTiers(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	pkgs := modulePackages(t)
	for _, p := range pkgs {
		tier := tierOf(p.rel)
		if !assert.GreaterOrEqual(t, tier, 0, "%s has no tier: place it by who links it (docs/architecture.md)", p.rel) {
			continue
		}
		for _, imp := range p.imports {
			third := strings.Contains(strings.Split(imp, "/")[0], ".")
			switch other := tierOf(imp); {
			case third:
				ok := false
				for _, tr := range tiers[:tier+1] {
					ok = ok || slices.Contains(tr.thirdOK, imp)
				}
				assert.True(t, ok, "%s (%s) imports %s, which its tier does not bring", p.rel, tiers[tier].name, imp)
			case tiers[tier].name == "tests":
				assert.True(t, other <= tier, "%s imports %s", p.rel, imp)
			default:
				assert.True(t, other >= 0 && other <= tier && tiers[other].name != "tests",
					"%s (%s) imports %s (%s)", p.rel, tiers[tier].name, imp, tierName(other))
			}
		}
	}
	// What receivers link, all of it (the generated packages, the example
	// receiver and every public package of the runtime a receiver may add:
	// capture sinks, metrics, the Redis store): every receiver-tier
	// internal package is in it (it is there because receivers need it),
	// and nothing of the tools or the CLI.
	const module = "github.com/payhooks/payhooks/"
	cmd := exec.Command("go", "list", "-deps", "./cmd/example-receiver", "./generated/...", "./webhook/...")
	cmd.Dir = "../.."
	out, err := cmd.Output()
	require.NoError(t, err)
	linked := map[string]bool{}
	for _, dep := range strings.Fields(string(out)) {
		if rel, ok := strings.CutPrefix(dep, module); ok {
			linked[rel] = true
			assert.Equal(t, "receivers", tierName(tierOf(rel)), "a receiver links %s", rel)
		}
	}
	for _, p := range pkgs {
		if strings.HasPrefix(p.rel, "internal/") && tierName(tierOf(p.rel)) == "receivers" {
			assert.True(t, linked[p.rel], "%s stands with what receivers link, but none does: it belongs with the tools", p.rel)
		}
	}
}

func tierName(i int) string {
	if i < 0 {
		return "no tier"
	}
	return tiers[i].name
}
