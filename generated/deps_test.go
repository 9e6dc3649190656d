package generated_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What a consumer's webhook receiver links through a generated package: the
// runtime and the drift-check core, not the CLI's reporters, input readers,
// capture files or OpenAPI loader and their dependencies.
func TestGeneratedPackagesLinkOnlyTheRuntime(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	forbidden := []string{
		"encoding/xml", // JUnit and SARIF reporters
		"github.com/payhooks/payhooks/validate/report",
		"github.com/payhooks/payhooks/validate/input",
		"github.com/payhooks/payhooks/internal/tooling/capture",
		"github.com/payhooks/payhooks/internal/tooling/atomicfile",
		"github.com/payhooks/payhooks/internal/tooling/openapicheck",
		"github.com/getkin/kin-openapi",
		"github.com/santhosh-tekuri/jsonschema/v6",
		"github.com/oasdiff/",
		"go.yaml.in/",
		"golang.org/x/text/", // not the standard library's vendored copy
		"github.com/payhooks/payhooks/generator",
		"github.com/dave/jennifer",
		"github.com/redis/go-redis",
	}
	for _, pkg := range []string{"finmo", "rapyd", "tazapay", "augustus"} {
		out, err := exec.Command("go", "list", "-deps", "./"+pkg).Output()
		require.NoError(t, err)
		for _, dep := range strings.Fields(string(out)) {
			for _, f := range forbidden {
				assert.False(t, strings.HasPrefix(dep, f), "generated/%s links %s", pkg, dep)
			}
		}
	}
}
