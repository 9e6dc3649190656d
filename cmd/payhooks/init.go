package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/infer"
	"github.com/payhooks/payhooks/internal/tooling/words"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/validate/input"
)

func runInit(args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks schemas init", "Usage: payhooks schemas init -provider NAME -signature SCHEME [flags] SAMPLE...\n\nScaffolds a provider folder, DIR/NAME, from sample payloads, read as validate reads its\ninputs (files, folders, NDJSON, captures): the envelope, the discriminator, the delivery\nid, one event schema per event, shared shapes in $defs, and the first samples of each\nevent as examples. It prints what it guessed and why, and checks that the schemas accept\nevery sample before writing.\n\n", stdout, stderr)
	flags := addProviderFlags(cmd.fl, "required", "guessed")
	out := cmd.fl.String("out", "schemas", "the schema folder to add the provider to")
	force := cmd.fl.Bool("force", false, "replace DIR/NAME when it exists: the files an earlier init wrote there (others stay)")
	idBase := cmd.fl.String("id-base", "", "begin each schema's $id with this URL, e.g. https://schemas.example.com/ (default: no $id; files are known by their paths)")
	if code, done := cmd.parse(args); done {
		return code
	}
	fail := cmd.fail
	if len(cmd.args) == 0 {
		return cmd.usage()
	}
	signature, err := flags.check()
	if err != nil {
		return fail("%v", err)
	}
	name := flags.name
	target := filepath.Join(*out, *name)
	if entries, err := os.ReadDir(target); err == nil && len(entries) > 0 && !*force {
		return fail("%q already holds files; pass -force to replace them", target)
	}
	if slices.Contains(cmd.args, "-") {
		return fail("init reads its samples twice: give files or folders, not - (stdin)")
	}
	samples := sampleReader(cmd.args)
	p, err := infer.Scaffold(samples, infer.ProviderOptions{Name: *name, Signature: signature, Discriminator: *flags.disc, DeliveryID: *flags.id, IDBase: *idBase})
	if err != nil {
		return fail("%v", err)
	}
	_, v, err := newValidator(fsOf(p.Files))
	if err != nil {
		return fail("the scaffold does not compile: %v", err)
	}
	if err := infer.AcceptsItsSamples(v, samples); err != nil {
		return fail("%v", err)
	}
	files := map[string][]byte{}
	for p, data := range p.Files {
		files[strings.TrimPrefix(p, *name+"/")] = data
	}
	// With -force, what an earlier init wrote goes; anything else stays.
	scaffolded := func(rel string) bool { return rel == *name+".json" || jsonIn(rel, "events", "examples") }
	if err := writeProvider(*out, *name, files, scaffolded); err != nil {
		return fail("%v", err)
	}
	for _, note := range p.Notes {
		printLine(stdout, "  %s", note)
	}
	printLine(stdout, "payhooks schemas init: %s in %s; review them, then: payhooks generate -schemas %s", words.Count(len(files), "file", "files"), target, *out)
	return exitOK
}

// sampleReader reads the samples as validate reads its inputs (files,
// folders, NDJSON, captures: package input), one payload each, anew at
// each call.
func sampleReader(args []string) infer.Samples {
	return func(yield func(infer.Sample) error) error {
		return input.Read(args, nil, func(p validate.Payload) error {
			source := p.Source
			if p.Line > 0 {
				source = fmt.Sprintf("%s:%d", p.Source, p.Line)
			}
			if _, skipped := input.IsSkipped(p.Err); skipped {
				return nil
			}
			switch {
			case p.Err != nil:
				return p.Err
			case p.TooLarge:
				return fmt.Errorf("%s: larger than %d MiB; a sample is one delivery", source, validate.MaxPayloadBytes>>20)
			}
			return yield(infer.Sample{Source: source, Body: p.Body})
		})
	}
}
