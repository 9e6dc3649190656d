package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strings"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/genwrite"
	"github.com/payhooks/payhooks/cmd/payhooks/internal/importer"
	"github.com/payhooks/payhooks/generator"
	"github.com/payhooks/payhooks/generator/load"
	"github.com/payhooks/payhooks/internal/tooling/words"
)

func runGenerate(args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks generate", "Usage: payhooks generate [flags]\n\nGenerates Go types, one package per provider, from webhook schemas.\n\n", stdout, stderr)
	fl := cmd.fl
	schemaDir := addSchemasFlag(fl)
	out := fl.String("out", "generated", "folder to write one package per provider into")
	pkg := fl.String("package", "", "Go package name, when generating one provider (default: the provider's folder name)")
	providers := fl.String("providers", "", "comma-separated providers to generate (default: all)")
	events := fl.String("events", "", "`LIST` of the events to generate, comma-separated, each a name or a prefix ending in *\n(payment_intent.*,charge.succeeded), for the one provider generated: only their types,\ncallbacks and schemas; a delivery of another is an unknown event (default: all)")
	check := fl.Bool("check", false, "write nothing; exit 1 and print a diff when the output would change")
	document := fl.String("openapi", "", "a provider's OpenAPI webhooks document: import it (with -provider, -signature and\nschemas import's other flags) and generate its package, in one step")
	imp := addProviderFlags(fl, "required with -openapi", "found from the webhooks")
	imp.addEventFlags(fl)
	if code, done := cmd.parse(args); done {
		return code
	}
	fail := cmd.fail
	if len(cmd.args) > 0 {
		return fail("unexpected arguments %q", cmd.args)
	}
	if *pkg != "" {
		if err := load.CheckPackageName(*pkg); err != nil {
			return fail("-package: %v", err)
		}
	}
	var fsys fs.FS
	var err error
	switch {
	case *document != "" && (len(*schemaDir) > 0 || *providers != ""):
		return fail("-openapi generates the one provider it imports; leave out -schemas and -providers")
	case *document != "":
		if fsys, err = importedFolder(*document, imp); err != nil {
			return fail("-openapi: %v", err)
		}
	default:
		if fsys, err = schemaFolder(*schemaDir); err != nil {
			return fail("-schemas: %v", err)
		}
	}
	var only []string
	if *providers != "" {
		only = strings.Split(*providers, ",")
	}
	var chosen []string
	if *events != "" {
		for _, e := range strings.Split(*events, ",") {
			chosen = append(chosen, strings.TrimSpace(e))
		}
	}
	files, err := generator.Generate(fsys, generator.Options{Providers: only, Package: *pkg, Events: chosen})
	var unknown *load.ProvidersError
	var unmatched *load.EventsError
	switch {
	case errors.As(err, &unknown):
		return fail("-providers: %v", unknown)
	case errors.As(err, &unmatched) && *document == "" && *providers == "":
		return fail("-events: %v; name one with -providers", unmatched)
	case errors.As(err, &unmatched):
		return fail("-events: %v", unmatched)
	case err != nil:
		printLine(stderr, "payhooks generate: %v", err)
		return exitFailed
	}
	changes, err := genwrite.Plan(*out, files)
	if err != nil {
		return fail("%v", err)
	}
	if *check {
		if len(changes) == 0 {
			return exitOK
		}
		for _, c := range changes {
			fmt.Fprint(stdout, c.Diff())
		}
		printLine(stderr, "payhooks generate: stale generated files: %d would change; run: %s", len(changes), rerunWithout(args, "-check"))
		return exitFailed
	}
	if err := genwrite.Apply(*out, changes); err != nil {
		return fail("%v", err)
	}
	printLine(stdout, "payhooks generate: %s in %s, %d changed", words.Count(len(files), "file", "files"), *out, len(changes))
	return exitOK
}

// importedFolder imports an OpenAPI document in memory, as schemas import
// would write it (its examples left out: generating does not read them).
func importedFolder(document string, flags *providerFlags) (fs.FS, error) {
	opts, err := flags.options()
	if err != nil {
		return nil, err
	}
	data, err := readBounded(document, maxDocumentBytes)
	if err != nil {
		return nil, err
	}
	r, err := importer.Import(data, opts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", document, err)
	}
	root := path.Join(opts.Name, "openapi.json")
	return fsOf(map[string][]byte{root: r.Files[root]}), nil
}

// rerunWithout is the command line that was run, without flag, quoted
// for a shell: the command that makes the output fresh.
func rerunWithout(args []string, flag string) string {
	words := []string{"payhooks", "generate"}
	for _, a := range args {
		if a == flag || a == "-"+flag || strings.HasPrefix(a, flag+"=") || strings.HasPrefix(a, "-"+flag+"=") {
			continue
		}
		words = append(words, shellQuote(a))
	}
	return strings.Join(words, " ")
}

// shellQuote quotes a word for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
