package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/payhooks/payhooks/internal/atomicfile"
	"github.com/payhooks/payhooks/internal/bundle"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
)

func runExport(args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks schemas export", "Usage: payhooks schemas export -out DIR [flags]\n\nWrites, per provider, a self-contained JSON Schema 2020-12 file per event, the envelope,\nan OpenAPI 3.1 document, and DIR/index.json listing them. Each schema comes in a default\nflavour, as tolerant as validate at -fail-on breaking, and a strict one (*.strict.json),\nas strict as validate at -fail-on warning.\n\n", stdout, stderr)
	fl := cmd.fl
	out := fl.String("out", "", "folder to write the bundle into (required)")
	force := fl.Bool("force", false, "replace a folder that already holds files")
	strip := fl.Bool("strip-extensions", false, "remove every x- keyword, payhooks' and the providers' (index.json then lists none)")
	schemaDir := fl.String("schemas", "", "folder of schemas (default: the bundled ones)")
	version := fl.String("version", schemas.Version, "version written into index.json")
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
	if _, err := newValidator(fsys); err != nil {
		return fail("%v", err) // export only schemas that compile
	}
	cat, err := catalog.Load(fsys)
	if err != nil {
		return fail("%v", err)
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
	if err := atomicfile.ReplaceDir(*out, files); err != nil {
		return fail("%v", err)
	}
	fmt.Fprintf(stdout, "payhooks schemas export: %d files in %s (version %s)\n", len(files), *out, *version)
	return exitOK
}

func runDiff(args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks schemas diff", "Usage: payhooks schemas diff [flags] OLD NEW\n\nClassifies every change between two exported bundles: breaking, warning or info.\n\n", stdout, stderr)
	fl := cmd.fl
	format := fl.String("format", "markdown", "output: markdown (a changelog) or json")
	failOn := fl.String("fail-on", "", "exit 1 when a change is at least this severe: breaking, warning or info")
	if code, done := cmd.parse(args); done {
		return code
	}
	fail := cmd.fail
	if len(cmd.args) != 2 {
		return cmd.usage()
	}
	var threshold validate.Severity
	if *failOn != "" {
		var err error
		if threshold, err = validate.ParseSeverity(*failOn); err != nil {
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
			if validate.Severity(c.Severity).AtLeast(threshold) {
				return exitFailed
			}
		}
	}
	return exitOK
}
