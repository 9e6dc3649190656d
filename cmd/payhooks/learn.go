package main

import (
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/learn"
	"github.com/payhooks/payhooks/generator"
	"github.com/payhooks/payhooks/internal/atomicfile"
	"github.com/payhooks/payhooks/internal/tooling/words"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/validate/input"
)

func runLearn(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks schemas learn", "Usage: payhooks schemas learn [flags] INPUT...\n\nReads payloads as validate does (files, folders, NDJSON, captures, - for stdin), gathers\nevery finding, and proposes the schema edits that would make them clean, each with its\nevidence, how consumers see it and what changes in generated Go. -out writes the edited\nschema folder (the same folder for in place), changing nothing but the edits.\n\n", stdout, stderr)
	schemaDir := addSchemasFlag(cmd.fl)
	out := cmd.fl.String("out", "", "write the schema folder with the applied proposals here (may be -schemas)")
	format := cmd.fl.String("format", "text", "report format: text (a review), json (everything), patch (one RFC 6902 JSON Patch per schema file)")
	minCount := rangeFlag(cmd.fl, "min-count", 1, 1, 1<<30, "apply a proposal only when at least `N` payloads show it")
	relax := cmd.fl.Bool("relax", false, "let constraint violations drop the pattern, format or length they break (otherwise: review by hand)")
	provider := cmd.fl.String("provider", "", "provider of every payload (skips detection)")
	event := cmd.fl.String("event", "", "event of every payload (skips detection)")
	if code, done := cmd.parse(args); done {
		return code
	}
	fail := cmd.fail
	switch {
	case len(cmd.args) == 0:
		return cmd.usage()
	case *format != "text" && *format != "json" && *format != "patch":
		return fail("-format: %q is not text, json or patch", *format)
	}
	if len(*schemaDir) > 1 && *out != "" {
		return fail("-out writes one schema folder: learn from one -schemas folder to write it")
	}
	fsys, err := schemaFolder(*schemaDir)
	if err != nil {
		return fail("-schemas: %v", err)
	}
	cat, v, err := newValidator(fsys)
	if err != nil {
		return fail("%v", err)
	}
	if *provider != "" {
		if _, err := cat.Find(*provider); err != nil {
			return fail("-provider: %v", err)
		}
	}
	l := learn.From(cat, v, learn.Options{MinCount: *minCount, Relax: *relax})
	unreadable := 0
	err = input.Read(cmd.args, stdin, func(p validate.Payload) error {
		p.Provider, p.Event = *provider, *event
		r := l.Add(p)
		if _, skipped := input.IsSkipped(r.Err); r.Err != nil && !skipped {
			unreadable++
			printLine(stderr, "payhooks schemas learn: %s: %v", r.Source, r.Err)
		}
		return nil
	})
	if err != nil {
		return fail("%v", err)
	}
	if unreadable > 0 && *out != "" {
		return fail("%s could not be read; nothing written to %s", words.Count(unreadable, "payload", "payloads"), *out)
	}
	proposals, err := l.Proposals()
	if err != nil {
		return fail("%v", err)
	}
	if *out != "" {
		changed, err := writeLearned(fsys, schemaDir.folder(), *out, proposals)
		if err != nil {
			return fail("-out: %v", err)
		}
		defer printLine(stderr, "payhooks schemas learn: %s changed in %s", words.Count(changed, "file", "files"), *out)
	}
	report := learn.NewReport(l, proposals)
	report.Written = *out != ""
	switch *format {
	case "json":
		err = report.WriteJSON(stdout)
	case "patch":
		err = report.WritePatch(stdout)
	default:
		err = report.WriteText(stdout)
	}
	if err != nil {
		return fail("%v", err)
	}
	if unreadable > 0 {
		return exitCantRun // unreadable input, as validate says it
	}
	return exitOK
}

// writeLearned writes the schema folder with the applied proposals' edits
// into dir: the new folder compiles, or nothing is written. In place (dir
// is the -schemas folder) only the provider folders with edits are
// rewritten, each with only its edited files changed; elsewhere every
// provider folder of the schemas is written. Either way each folder is
// replaced in one step and whatever else dir holds stays as it was
// (package atomicfile). It returns how many files changed.
func writeLearned(fsys fs.FS, schemaDir, dir string, proposals []learn.Proposal) (int, error) {
	changed, err := learn.Apply(fsys, proposals)
	if err != nil {
		return 0, err
	}
	files := map[string][]byte{}
	if err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files[p], err = fs.ReadFile(fsys, p)
		return err
	}); err != nil {
		return 0, err
	}
	maps.Copy(files, changed)
	if _, _, err := newValidator(fsOf(files)); err != nil {
		return 0, fmt.Errorf("the learned schemas do not compile: %w", err)
	}
	if _, err := generator.Generate(fsOf(files), generator.Options{}); err != nil {
		return 0, fmt.Errorf("the learned schemas do not generate Go (edit them by hand): %w", err)
	}
	write := files
	if sameFolder(schemaDir, dir) {
		write = changed
	}
	d, err := atomicfile.CreateDir(dir)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	if err := d.ReplaceFolders(write, nil, ""); err != nil {
		return 0, err
	}
	return len(changed), nil
}

// sameFolder reports whether two folder names are one folder.
func sameFolder(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	ia, err := os.Stat(a)
	if err != nil {
		return false
	}
	ib, err := os.Stat(b)
	return err == nil && os.SameFile(ia, ib)
}
