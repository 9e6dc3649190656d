package main

import (
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"
)

// cmdSpec is one command of the CLI. The table is the one source of the
// dispatch, the top-level usage, "payhooks help", the suggestions for a
// mistyped command and the shell completions.
type cmdSpec struct {
	name    string // "validate", or "schemas export"
	args    string // what follows the name in the usage line
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commandTable lists every command, in the order the usage shows them.
func commandTable() []*cmdSpec {
	return []*cmdSpec{
		{"generate", "[flags]", "generate Go types from the schemas", func(a []string, _ io.Reader, o, e io.Writer) int { return runGenerate(a, o, e) }},
		{"validate", "[flags] PATH...", "check payloads against the schemas", runValidate},
		{"listen", "[flags]", "receive and capture deliveries", func(a []string, _ io.Reader, o, e io.Writer) int { return runListen(a, o, e) }},
		{"send", "[flags] URL", "send signed example or captured deliveries", func(a []string, _ io.Reader, o, e io.Writer) int { return runSend(a, o, e) }},
		{"schemas export", "-out DIR [flags]", "publish the schemas for other languages", func(a []string, _ io.Reader, o, e io.Writer) int { return runExport(a, o, e) }},
		{"schemas diff", "[flags] OLD NEW", "classify the changes between two bundles", func(a []string, _ io.Reader, o, e io.Writer) int { return runDiff(a, o, e) }},
		{"schemas import", "-provider NAME -signature SCHEME [flags] DOCUMENT", "import a provider's OpenAPI webhooks document", func(a []string, _ io.Reader, o, e io.Writer) int { return runImport(a, o, e) }},
		{"schemas init", "-provider NAME -signature SCHEME [flags] SAMPLE...", "scaffold a provider from sample payloads", func(a []string, _ io.Reader, o, e io.Writer) int { return runInit(a, o, e) }},
		{"schemas learn", "[flags] INPUT...", "propose the schema edits the drift in payloads calls for", runLearn},
		{"version", "", "print the version", runVersion},
		{"completion", "bash|zsh|fish", "print a shell completion script", runCompletion},
		{"help", "[COMMAND]", "show a command's usage", nil}, // dispatched by run itself
	}
}

// topUsage is the usage of payhooks itself.
func topUsage() string {
	return "payhooks turns webhook schemas into Go and catches provider drift.\n\n" + listUsage("") +
		"\nRun \"payhooks help COMMAND\" or \"payhooks COMMAND -h\" for a command's flags.\n"
}

// listUsage lists the commands whose name starts with prefix, one usage
// line and summary each.
func listUsage(prefix string) string {
	var lines [][2]string
	width := 0
	for _, c := range commandTable() {
		if strings.HasPrefix(c.name, prefix) {
			line := strings.TrimSpace("payhooks " + c.name + " " + c.args)
			lines = append(lines, [2]string{line, c.summary})
			width = max(width, len(line))
		}
	}
	var b strings.Builder
	b.WriteString("Usage:\n\n")
	for _, l := range lines {
		fmt.Fprintf(&b, "\t%-*s  %s\n", width, l[0], l[1])
	}
	return b.String()
}

// find returns the command args name and the arguments after its name;
// group is the first word when it names a group of commands ("schemas")
// but no command of it.
func find(args []string) (spec *cmdSpec, rest []string, group string) {
	for _, c := range commandTable() {
		words := strings.Fields(c.name)
		if len(args) >= len(words) && slices.Equal(args[:len(words)], words) {
			return c, args[len(words):], ""
		}
		if len(words) > 1 && len(args) > 0 && args[0] == words[0] {
			group = words[0]
		}
	}
	return nil, nil, group
}

// groupUsage lists the commands of a group.
func groupUsage(group string) string { return listUsage(group + " ") }

// suggest names the command closest to a mistyped one, if any is close.
func suggest(typed string, group string) string {
	best, bestDistance := "", 3
	for _, c := range commandTable() {
		name := c.name
		if group != "" {
			var ok bool
			if name, ok = strings.CutPrefix(name, group+" "); !ok {
				continue
			}
		} else {
			name = strings.Fields(name)[0]
		}
		if d := editDistance(typed, name); d < bestDistance {
			best, bestDistance = strings.TrimSpace(group+" "+name), d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("\nDid you mean \"payhooks %s\"?\n", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// flagsOf returns a command's flag set, learnt from the command itself.
func flagsOf(c *cmdSpec) *flag.FlagSet {
	if c.run == nil {
		return nil
	}
	probe := &flagProbe{}
	c.run(nil, nil, probe, io.Discard)
	return probe.flags
}

func runVersion(args []string, _ io.Reader, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks version", "Usage: payhooks version\n\nPrints the module version payhooks was built from, its VCS revision when the\nbuild recorded one, and the Go version, as go version -m shows them.\n", stdout, stderr)
	if code, done := cmd.parse(args); done {
		return code
	}
	if len(cmd.args) > 0 {
		return cmd.usage()
	}
	fmt.Fprintln(stdout, versionLine())
	return exitOK
}
