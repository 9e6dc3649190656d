package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/importer"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/tooling/words"
)

// maxDocumentBytes bounds an OpenAPI document read by schemas import.
const maxDocumentBytes = importer.MaxDocumentBytes

func runImport(args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks schemas import", "Usage: payhooks schemas import -provider NAME -signature SCHEME [flags] DOCUMENT\n\nImports a provider's OpenAPI 3.0 or 3.1 webhooks document (JSON or YAML) as DIR/NAME:\nthe document with x-payhooks-provider added, every example it gives per webhook, and\nREADME.md with what was decided. Examples the document's own schemas refuse are kept as\nknown-drift samples (DIR/NAME/drift). Nothing is written when the import fails.\n\n", stdout, stderr)
	flags := addProviderFlags(cmd.fl, "required", "found from the webhooks")
	out := cmd.fl.String("out", "schemas", "the schema folder to add the provider to")
	force := cmd.fl.Bool("force", false, "replace DIR/NAME when it exists: the files an earlier import wrote there (others stay)")
	if code, done := cmd.parse(args); done {
		return code
	}
	fail := cmd.fail
	if len(cmd.args) != 1 {
		return cmd.usage()
	}
	opts, err := flags.options()
	if err != nil {
		return fail("%v", err)
	}
	target := filepath.Join(*out, opts.Name)
	if entries, err := os.ReadDir(target); err == nil && len(entries) > 0 && !*force {
		return fail("%q already holds files; pass -force to replace them", target)
	}
	data, err := readBounded(cmd.args[0], maxDocumentBytes)
	if err != nil {
		return fail("%v", err)
	}
	r, err := importer.Import(data, opts)
	if err != nil {
		return fail("%s: %v", cmd.args[0], err)
	}
	drifted, err := keepContradictionsAsDrift(r.Files, opts.Name)
	if err != nil {
		return fail("%s: %v", cmd.args[0], err)
	}
	notes := append(r.Notes, drifted...)
	r.Files[path.Join(opts.Name, "README.md")] = []byte(importNotes(opts.Name, cmd.args[0], notes))
	files := map[string][]byte{}
	for p, data := range r.Files {
		files[strings.TrimPrefix(p, opts.Name+"/")] = data
	}
	// With -force, what an earlier import wrote goes; anything else stays.
	imported := func(rel string) bool {
		return rel == "openapi.json" || rel == "README.md" || jsonIn(rel, "examples", "drift")
	}
	if err := writeProvider(*out, opts.Name, files, imported); err != nil {
		return fail("%v", err)
	}
	for _, note := range notes {
		printLine(stdout, "  %s", note)
	}
	printLine(stdout, "payhooks schemas import: %s in %s; then: payhooks generate -schemas %s", words.Count(len(files), "file", "files"), target, *out)
	return exitOK
}

// keepContradictionsAsDrift validates every imported example against the
// imported schemas: one they refuse (a provider's example contradicting
// its own schema) moves to drift/ with the findings it must keep giving,
// as the bundled providers' doc samples do. It returns a note for each.
func keepContradictionsAsDrift(files map[string][]byte, name string) ([]string, error) {
	refused, err := refusedExamples(files)
	if err != nil {
		return nil, fmt.Errorf("the imported schemas do not compile: %w", err)
	}
	examples := 0
	for p := range files {
		if path.Base(path.Dir(p)) == "examples" {
			examples++
		}
	}
	var notes []string
	for _, r := range refused {
		p := r.Source
		base := strings.TrimSuffix(path.Base(p), ".json")
		expect := catalog.Expectation{
			Why:      "The document's own example contradicts its schema (found by payhooks schemas import).",
			Provider: r.Provider,
			Event:    r.Event,
		}
		for _, f := range r.Findings {
			expect.Findings = append(expect.Findings, catalog.ExpectedFinding{Pointer: f.Pointer, Kind: f.Kind, Severity: f.Severity})
		}
		data, err := json.MarshalIndent(expect, "", "  ")
		if err != nil {
			return nil, err
		}
		drift := path.Join(name, "drift", base+"-example.json")
		files[drift] = files[p]
		files[catalog.ExpectationPath(drift)] = append(data, '\n')
		delete(files, p)
		f := r.Findings[0]
		for _, g := range r.Findings[1:] {
			if g.Severity.AtLeast(f.Severity) && g.Severity != f.Severity {
				f = g // the most severe, first in pointer order
			}
		}
		notes = append(notes, fmt.Sprintf("known drift: the example %s contradicts the schema (%s %s: %s); kept as %s", path.Base(p), f.Kind, f.Pointer, f.Message, drift))
	}
	if len(refused) > 0 {
		notes = append(notes, fmt.Sprintf("%s of %d contradict the document's own schemas: kept in %s/drift with the findings they must keep giving", words.Count(len(refused), "example", "examples"), examples, name))
	}
	return notes, nil
}

func importNotes(name, source string, notes []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\nImported by `payhooks schemas import` from `%s`. What it decided:\n\n", name, filepath.Base(source))
	for _, n := range notes {
		fmt.Fprintf(&b, "- %s\n", n)
	}
	return b.String()
}

// readBounded reads a file of at most limit bytes.
func readBounded(name string, limit int64) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("%s: larger than %d MiB; a sample is one delivery", name, limit>>20)
	}
	return data, nil
}
