package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The nightly workflow of docs/production.md passes actionlint, and each
// payhooks command in it parses.
func TestNightlyWorkflowPassesActionlint(t *testing.T) {
	workflow := lintedWorkflow(t, "../../docs/production.md", "<!-- nightly-workflow")
	commands := regexp.MustCompile(`(?m)^\s*(payhooks validate .*)$`).FindAllStringSubmatch(workflow, -1)
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
