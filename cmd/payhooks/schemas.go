package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/bundle"
	"github.com/payhooks/payhooks/internal/atomicfile"
	"github.com/payhooks/payhooks/internal/tooling/words"
	"github.com/payhooks/payhooks/webhook/drift"
)

func runExport(args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks schemas export", "Usage: payhooks schemas export -out DIR [flags]\n\nWrites, per provider, a self-contained JSON Schema 2020-12 file per event, the envelope,\nan OpenAPI 3.1 document, and DIR/index.json listing them. Each schema comes in a default\nflavour, as tolerant as validate at -fail-on breaking, and a strict one (*.strict.json),\nas strict as validate at -fail-on warning.\n\n", stdout, stderr)
	fl := cmd.fl
	out := fl.String("out", "", "folder to write the bundle into (required)")
	force := fl.Bool("force", false, "write into a folder that already holds files; of those, only what an earlier export wrote is replaced")
	strip := fl.Bool("strip-extensions", false, "remove every x- keyword, payhooks' and the providers' (index.json then lists none)")
	schemaDir := addSchemasFlag(fl)
	version := fl.String("version", "", "version written into index.json (default: the schemas' own, \"sha256-\" and 12 hex digits of a digest of\nevery schema file, so the same schemas always carry the same version)")
	changelogFrom := fl.String("changelog-from", "", "an earlier bundle: write CHANGELOG.md with the changes since it")
	if code, done := cmd.parse(args); done {
		return code
	}
	fail := cmd.fail
	if *out == "" || len(cmd.args) > 0 {
		return cmd.usage()
	}
	if entries, err := os.ReadDir(*out); err == nil && len(entries) > 0 && !*force {
		return fail("%q already holds files; pass -force to replace them", *out)
	}
	fsys, err := schemaFolder(*schemaDir)
	if err != nil {
		return fail("-schemas: %v", err)
	}
	cat, _, err := newValidator(fsys)
	if err != nil {
		return fail("%v", err) // export only schemas that compile
	}
	if *version == "" {
		if *version, err = bundle.Version(fsys); err != nil {
			return fail("%v", err)
		}
	}
	files, err := bundle.Export(cat, bundle.Options{Version: *version, Strip: *strip})
	if err != nil {
		return fail("%v", err)
	}
	if *changelogFrom != "" {
		tmp := fsOf(files)
		changes, oi, ni, err := bundle.Diff(os.DirFS(*changelogFrom), tmp)
		if err != nil {
			return fail("-changelog-from: %v", err)
		}
		files["CHANGELOG.md"] = []byte(bundle.Changelog(changes, oi, ni))
	}
	if err := writeBundle(*out, files); err != nil {
		return fail("%v", err)
	}
	printLine(stdout, "payhooks schemas export: %s in %s (version %s)", words.Count(len(files), "file", "files"), *out, *version)
	return exitOK
}

// writeBundle writes an exported bundle into dir: each provider folder
// replaced in one step, then index.json, which lists them. What the folder
// held besides stays; of the files an earlier export's index.json listed,
// those this one does not write go.
func writeBundle(dir string, files map[string][]byte) error {
	d, err := atomicfile.CreateDir(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	old, err := d.ReadFile("index.json")
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	// index.json last: a reader that finds it finds what it lists.
	return d.ReplaceFolders(files, bundle.Listed(old), "index.json")
}

func runDiff(args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks schemas diff", "Usage: payhooks schemas diff [flags] OLD NEW\n\nClassifies every change between two exported bundles: "+drift.SeverityChoices()+".\n\n", stdout, stderr)
	fl := cmd.fl
	format := fl.String("format", "markdown", "output: markdown (a changelog) or json")
	failOn := fl.String("fail-on", "", "exit 1 when a change is at least this severe: "+drift.SeverityChoices())
	if code, done := cmd.parse(args); done {
		return code
	}
	fail := cmd.fail
	if len(cmd.args) != 2 {
		return cmd.usage()
	}
	var threshold drift.Severity
	if *failOn != "" {
		var err error
		if threshold, err = drift.ParseSeverity(*failOn); err != nil {
			return fail("-fail-on: %v", err)
		}
	}
	changes, oi, ni, err := bundle.Diff(os.DirFS(cmd.args[0]), os.DirFS(cmd.args[1]))
	if err != nil {
		return fail("%v", err)
	}
	switch *format {
	case "markdown":
		fmt.Fprint(stdout, bundle.Changelog(changes, oi, ni))
	case "json":
		if changes == nil {
			changes = []bundle.Change{}
		}
		data, _ := json.MarshalIndent(map[string]any{"old": oi.Version, "new": ni.Version, "changes": changes}, "", "  ")
		fmt.Fprintln(stdout, string(data))
	default:
		return fail("-format: unknown format %q (want markdown or json)", *format)
	}
	if threshold != "" {
		for _, c := range changes {
			if c.Severity.AtLeast(threshold) {
				return exitFailed
			}
		}
	}
	return exitOK
}
