package generated_test

import (
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What a consumer's webhook receiver links through a generated package: the
// runtime and the drift-check core, not the CLI's reporters, input readers,
// or OpenAPI loader, nor the capture sinks and metrics a receiver adds by
// importing them, and their dependencies.
func TestGeneratedPackagesLinkOnlyTheRuntime(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	forbidden := []string{
		"encoding/xml", // JUnit and SARIF reporters
		"github.com/payhooks/payhooks/validate/report",
		"github.com/payhooks/payhooks/validate/input",
		"github.com/payhooks/payhooks/internal/tooling/", // the OpenAPI check, the CLI's words, …
		"github.com/payhooks/payhooks/internal/capture",  // capture files: webhook/dircapture's and s3capture's
		"github.com/payhooks/payhooks/internal/atomicfile",
		"github.com/payhooks/payhooks/internal/testonly/",
		"github.com/payhooks/payhooks/cmd/",
		"github.com/payhooks/payhooks/schemas", // generated packages embed their own copy
		"github.com/getkin/kin-openapi",
		"github.com/santhosh-tekuri/jsonschema/v6",
		"github.com/oasdiff/",
		"go.yaml.in/",
		"golang.org/x/text/", // not the standard library's vendored copy
		"github.com/payhooks/payhooks/generator",
		"github.com/dave/jennifer",
		"github.com/redis/go-redis",
		// Capture sinks and metrics are packages of their own.
		"github.com/payhooks/payhooks/webhook/s3capture",
		"github.com/payhooks/payhooks/webhook/dircapture",
		"github.com/payhooks/payhooks/webhook/metrics",
		"github.com/aws/",
		"github.com/prometheus/",
		"google.golang.org/protobuf",
	}
	for _, pkg := range []string{"finmo", "rapyd", "tazapay", "augustus", "adyenpayment", "adyentokenization", "adyentransfer", "../cmd/example-receiver"} {
		out, err := exec.Command("go", "list", "-deps", "./"+pkg).Output()
		require.NoError(t, err)
		for _, dep := range strings.Fields(string(out)) {
			if strings.HasSuffix(pkg, "/"+path.Base(dep)) && strings.HasPrefix(dep, "github.com/payhooks/payhooks/cmd/") {
				continue // the program itself
			}
			for _, f := range forbidden {
				assert.False(t, strings.HasPrefix(dep, f), "generated/%s links %s", pkg, dep)
			}
		}
	}
}

// A receiver that captures to a folder links nothing of the S3 client or
// of Prometheus; one with metrics links no S3 client.
func TestCaptureSinksLinkOnlyWhatTheyUse(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	for pkg, forbidden := range map[string][]string{
		"../webhook/dircapture": {"github.com/aws/", "github.com/prometheus/", "github.com/payhooks/payhooks/webhook/s3capture"},
		"../webhook/metrics":    {"github.com/aws/", "github.com/payhooks/payhooks/webhook/s3capture", "github.com/payhooks/payhooks/internal/atomicfile"},
		"../webhook/s3capture":  {"github.com/prometheus/"},
	} {
		out, err := exec.Command("go", "list", "-deps", pkg).Output()
		require.NoError(t, err)
		deps := strings.Fields(string(out))
		for _, dep := range deps {
			for _, f := range forbidden {
				assert.False(t, strings.HasPrefix(dep, f), "%s links %s", pkg, dep)
			}
		}
	}
}

// A program that only calls Parse links none of the drift check's
// compiling (validate.New and what it calls): the handler compiles the
// schemas at its first Drift, and nothing else refers to it.
func TestParseOnlyLinksNoSchemaCompiling(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a program")
	}
	bin := filepath.Join(t.TempDir(), "parseonly")
	out, err := exec.Command("go", "build", "-o", bin, "./testdata/parseonly").CombinedOutput()
	require.NoError(t, err, "%s", out)
	symbols, err := exec.Command("go", "tool", "nm", bin).Output()
	require.NoError(t, err)
	for _, s := range []string{"payhooks/validate.New", "payhooks/internal/catalog.Load", "payhooks/validate.ForProvider"} {
		assert.False(t, strings.Contains(string(symbols), s), "a program that only parses links %s", s)
	}
	assert.True(t, strings.Contains(string(symbols), "payhooks/generated/finmo.Parse"), "the program is what it says")
}
