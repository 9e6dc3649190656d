package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/webhook"
)

// Every command and subcommand answers -h, and "payhooks help COMMAND",
// with its usage on stdout and exit status 0.
func TestHelpForEveryCommand(t *testing.T) {
	for _, c := range commandTable() {
		if c.name == "help" {
			continue
		}
		words := strings.Fields(c.name)
		stdout, stderr, code := payhooks(t, "", nil, append(words, "-h")...)
		assert.Equal(t, 0, code, "%s -h: %s", c.name, stderr)
		assert.Empty(t, stderr, c.name)
		assert.Contains(t, stdout, "Usage: payhooks "+c.name, c.name)
		help, _, code := payhooks(t, "", nil, append([]string{"help"}, words...)...)
		assert.Equal(t, 0, code)
		assert.Equal(t, stdout, help, "help %s is %s -h", c.name, c.name)
	}
	for _, args := range [][]string{{"-h"}, {"help"}, {"--help"}, {"schemas", "-h"}, {"help", "schemas"}} {
		stdout, stderr, code := payhooks(t, "", nil, args...)
		assert.Equal(t, 0, code, "%v", args)
		assert.Empty(t, stderr)
		assert.Contains(t, stdout, "payhooks schemas export -out DIR [flags]", "%v", args)
	}
}

func TestVersionFromBuildInfo(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"-version"}, {"--version"}} {
		stdout, _, code := payhooks(t, "", nil, args...)
		assert.Equal(t, 0, code)
		assert.Regexp(t, `^payhooks (\(devel\)|v\S+)( \(.*\))?, go1\.\d+`, stdout, "the module version and the Go that built it")
	}
	// -ldflags still overrides it, for release builds.
	bin := filepath.Join(t.TempDir(), "payhooks")
	out, err := exec.Command("go", "build", "-ldflags", "-X main.version=v9.9.9", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, string(out))
	out, err = exec.Command(bin, "version").Output()
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(out), "payhooks v9.9.9"), string(out))
}

// Flags may follow the arguments, as go test users expect; "--" ends them.
func TestFlagsAnywhere(t *testing.T) {
	stdout, stderr, code := payhooks(t, "", nil, "validate", examples+"/finmo/examples", "-format", "json")
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"payloads":4`)
	_, stderr, code = payhooks(t, "", nil, "validate", "--", "-format")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `read "-format"`, "after --, a path")
	_, stderr, code = payhooks(t, "", nil, "validate", "-nope", examples)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "flag provided but not defined: -nope\nRun 'payhooks validate -h' for usage.")
}

func TestMistypedCommandsAndProviders(t *testing.T) {
	for args, want := range map[string]string{
		"validat":        `Did you mean "payhooks validate"?`,
		"schemas exprot": `Did you mean "payhooks schemas export"?`,
		"lisen":          `Did you mean "payhooks listen"?`,
	} {
		_, stderr, code := payhooks(t, "", nil, strings.Fields(args)...)
		assert.Equal(t, 2, code, args)
		assert.Contains(t, stderr, want, args)
	}
	_, stderr, code := payhooks(t, "", nil, "generate", "-providers", "rapid", "-out", t.TempDir())
	assert.Equal(t, 2, code, "a bad flag value")
	assert.Contains(t, stderr, `-providers: unknown provider "rapid" (known: adyenpayment, adyentokenization, adyentransfer, augustus, finmo, rapyd, tazapay)`)
	_, stderr, code = payhooks(t, "", secretsEnv, "send", "-provider", "rapid", "-event", "x", "http://127.0.0.1:1")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, `(known: adyenpayment, adyentokenization, adyentransfer, augustus, finmo, rapyd, tazapay)`)
}

// send prints why the receiver refused a delivery.
func TestSendPrintsTheReceiversReason(t *testing.T) {
	l := startListen(t, "-dir", t.TempDir())
	stdout, _, code := send(t, []string{"PAYHOOKS_RAPYD_SECRET_KEY=wrong"}, "-provider", "rapyd", "-event", "PAYMENT_COMPLETED", l.url)
	assert.Equal(t, 1, code)
	assert.Regexp(t, `401 rapyd PAYMENT_COMPLETED wh_\S+ \S+: signature: header "signature" does not match`, stdout)
}

// A scheme payhooks does not have fails where it is written, not as a
// provider "without secrets".
func TestUnknownSchemeNamesTheSchema(t *testing.T) {
	schemasDir := schemasWithScheme(t, "hmac-md5")
	for _, args := range [][]string{
		{"listen", "-schemas", schemasDir, "-addr", "127.0.0.1:0", "-dir", t.TempDir()},
		{"send", "-schemas", schemasDir, "-provider", "augustus", "-event", "checkout_session_created", "http://127.0.0.1:1"},
	} {
		_, stderr, code := payhooks(t, "", secretsEnv, args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Contains(t, stderr, `augustus/openapi.json: /x-payhooks-provider/signature/scheme: unknown signature scheme "hmac-md5"`, "%v", args)
	}
}

func TestWording(t *testing.T) {
	body := readExample(t, "tazapay/drift/checkout.paid-old-shape.json")
	stdout, _, _ := payhooks(t, body, nil, "validate", "-")
	assert.Contains(t, stdout, "<stdin>  tazapay checkout.paid")
	assert.Contains(t, stdout, "1 payload: 0 clean")
	stdout, _, _ = payhooks(t, body, nil, "validate", "-format", "github", "-")
	assert.NotContains(t, stdout, "file=-")
	assert.Contains(t, stdout, "::error title=type_mismatch (tazapay checkout.paid)::/data/amount")
	assert.Contains(t, stdout, "::notice title=payhooks validate::1 payload, 1 with findings")
}

// The completion scripts know every command and every flag, and bash
// and zsh accept them.
func TestCompletion(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		stdout, stderr, code := payhooks(t, "", nil, "completion", shell)
		require.Equal(t, 0, code, stderr)
		for _, word := range []string{"validate", "export", "-fail-on", "-keep-signatures", "-strip-extensions"} {
			if shell == "fish" && strings.HasPrefix(word, "-") {
				word = "-o " + word[1:] // fish's old-style option
			}
			assert.Contains(t, stdout, word, "%s completes %s", shell, word)
		}
		if shell == "bash" {
			script := writeFile(t, t.TempDir(), "payhooks.bash", stdout)
			out, err := exec.Command("bash", "-n", script).CombinedOutput()
			assert.NoError(t, err, "bash -n: %s", out)
			// Complete as bash would, the cursor on the last word.
			for line, want := range map[string]string{
				"payhooks schemas ex":                             "export",
				"payhooks validate -format ":                      "text json junit github sarif",
				"payhooks validate -fail-on w":                    "warning",
				"payhooks validate captures/ -fa":                 "-fail-on",
				"payhooks validate -format json captures/ -en":    "-engine",
				"payhooks help ":                                  "generate validate listen send schemas version completion",
				"payhooks help schemas i":                         "import init",
				"payhooks send -provider rapyd -event PAYMENT_CO": "PAYMENT_COMPLETED",
				"payhooks listen -provider ta":                    "tazapay",
				"payhooks schemas init -signature hm":             "hmac",
			} {
				words := strings.Split(line, " ")
				cmd := exec.Command("bash", append([]string{"-c", `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _payhooks payhooks "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"; echo "${COMPREPLY[@]}"`}, append([]string{"bash", script}, words...)...)...)
				out, err := cmd.Output()
				require.NoError(t, err)
				assert.Equal(t, want+"\n", string(out), "%q", line)
			}
		}
	}
	_, _, code := payhooks(t, "", nil, "completion", "powershell")
	assert.Equal(t, 2, code)
}

// Every flag completion offers values for is a flag of its command, and a
// value-taking one.
func TestCompletionValuesNameRealFlags(t *testing.T) {
	c := newCompletions()
	for key := range flagValues() {
		cmd, f, _ := strings.Cut(key, " -")
		if cmd == "*" {
			found := false
			for path := range c.valued {
				found = found || slices.Contains(c.valued[path], "-"+f)
			}
			assert.True(t, found, "no command has -%s", f)
			continue
		}
		assert.Contains(t, c.valued[cmd], "-"+f, "%s has no flag -%s taking a value", cmd, f)
		assert.NotEmpty(t, c.values[key], key)
	}
}

// The CLI manual (this package's doc comment) lists every command of the
// table and names every flag of every command.
func TestManualMatchesHelp(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	manual := string(doc)
	// One recommendation everywhere: the README's file, with the tool directive.
	assert.NotContains(t, manual, "go:generate go run", "the manual recommends what the README does")
	for _, line := range strings.Split(strings.TrimSpace(readmeFile(t, "internal/webhooks/generate.go")), "\n") {
		if strings.HasPrefix(line, "//go:generate") {
			assert.Contains(t, manual, "\t"+line+"\n", "the manual gives the README's go:generate line")
		}
	}
	for _, c := range commandTable() {
		line := strings.TrimSpace("payhooks " + c.name + " " + c.args)
		assert.Contains(t, manual, "\t"+line+"\n", "the manual's usage lists %q", line)
		fl := flagsOf(c)
		if fl == nil {
			continue
		}
		fl.VisitAll(func(f *flag.Flag) {
			assert.Contains(t, manual, "-"+f.Name, "the manual describes %s -%s", c.name, f.Name)
		})
	}
}

var update = flag.Bool("update", false, "rewrite docs/cli.md's command reference and docs/architecture.md's import graph")

// docs/cli.md ends with the help of every command, as each prints it.
func TestCLIReferenceIsTheHelp(t *testing.T) {
	const marker = "<!-- help: written by TestCLIReferenceIsTheHelp -->\n"
	path := filepath.Join("..", "..", "docs", "cli.md")
	doc := string(must(os.ReadFile(path)))
	head, _, ok := strings.Cut(doc, marker)
	require.True(t, ok, "docs/cli.md marks its reference")
	var b strings.Builder
	for _, c := range commandTable() {
		args := append(strings.Fields(c.name), "-h")
		if c.name == "help" {
			args = []string{"help"}
		}
		var out, errOut strings.Builder
		require.Equal(t, exitOK, run(args, strings.NewReader(""), &out, &errOut), c.name)
		fmt.Fprintf(&b, "\n## payhooks %s\n\n```\n%s```\n", c.name, out.String())
	}
	want := head + marker + b.String()
	if *update {
		require.NoError(t, os.WriteFile(path, []byte(want), 0o644))
	}
	if doc != want {
		t.Errorf("docs/cli.md's command reference is stale: go test ./cmd/payhooks -run TestCLIReferenceIsTheHelp -update")
	}
}

// Help says what each flag needs, once and plainly.
func TestHelpWording(t *testing.T) {
	help := func(args ...string) string {
		stdout, stderr, code := payhooks(t, "", nil, append(args, "-h")...)
		require.Equal(t, exitOK, code, stderr)
		return stdout
	}
	generate := help("generate")
	assert.Contains(t, generate, "the provider's name: its folder and Go package (required with -openapi)")
	assert.Contains(t, generate, "its signing scheme (required with -openapi)")
	assert.NotContains(t, generate, "(required)", "generate needs -provider and -signature only with -openapi")
	assert.Contains(t, help("listen"), "keep signature headers in captures, which a replay of the exact request needs (default: stored as \"REDACTED\")")
	// schemas/README.md sends a reader to the schemes -signature lists.
	assert.Contains(t, string(must(os.ReadFile("../../schemas/README.md"))), "those `-signature` lists (`payhooks schemas init -h`)")
	init := help("schemas", "init")
	for _, scheme := range webhook.Schemes {
		assert.Contains(t, init, scheme)
	}
}
