package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/importer"
	"github.com/payhooks/payhooks/internal/tooling/words"
)

// maxDocumentBytes bounds an OpenAPI document read by schemas import.
const maxDocumentBytes = importer.MaxDocumentBytes

func runImport(args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks schemas import", "Usage: payhooks schemas import -provider NAME -signature SCHEME [flags] DOCUMENT\n\nImports a provider's OpenAPI 3.0 or 3.1 webhooks document (JSON or YAML) as DIR/NAME:\nthe document with x-payhooks-provider added, every example it gives per webhook, and\nREADME.md with what was decided. Examples the document's own schemas refuse are kept as\nknown-drift samples (DIR/NAME/drift). Nothing is written when the import fails.\n\n", stdout, stderr)
	flags := addProviderFlags(cmd.fl, "required", "found from the webhooks")
	flags.addEventFlags(cmd.fl)
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
	_, v, err := newValidator(fsOf(r.Files))
	if err != nil {
		return fail("%s: the imported schemas do not compile: %v", cmd.args[0], err)
	}
	if err := r.KeepAsDrift(r.RefusedExamples(v)); err != nil {
		return fail("%s: %v", cmd.args[0], err)
	}
	r.AddReadme(cmd.args[0])
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
	for _, note := range r.Notes {
		printLine(stdout, "  %s", note)
	}
	printLine(stdout, "payhooks schemas import: %s in %s; then: payhooks generate -schemas %s", words.Count(len(files), "file", "files"), target, *out)
	return exitOK
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
