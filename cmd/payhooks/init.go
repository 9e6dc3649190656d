package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/payhooks/payhooks/internal/atomicfile"
	"github.com/payhooks/payhooks/internal/infer"
	"github.com/payhooks/payhooks/internal/words"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/validate/input"
)

func runInit(args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks schemas init", "Usage: payhooks schemas init -provider NAME -signature SCHEME [flags] SAMPLE...\n\nScaffolds a provider folder, DIR/NAME, from sample payloads, read as validate reads its\ninputs (files, folders, NDJSON, captures): the envelope, the discriminator, the delivery\nid, one event schema per event, shared shapes in $defs, and the samples as examples. It\nprints what it guessed and why, and checks that the schemas accept every sample before\nwriting.\n\n", stdout, stderr)
	flags := addProviderFlags(cmd.fl, "required", "guessed")
	out := cmd.fl.String("out", "schemas", "the schema folder to add the provider to")
	force := cmd.fl.Bool("force", false, "replace DIR/NAME when it exists")
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
	samples, err := readSamples(cmd.args)
	if err != nil {
		return fail("%v", err)
	}
	p, err := infer.Scaffold(samples, infer.ProviderOptions{Name: *name, Signature: signature, Discriminator: *flags.disc, DeliveryID: *flags.id, IDBase: *idBase})
	if err != nil {
		return fail("%v", err)
	}
	if err := acceptsItsSamples(p.Files); err != nil {
		return fail("%v", err)
	}
	files := map[string][]byte{}
	for path, data := range p.Files {
		rel, err := filepath.Rel(*name, filepath.FromSlash(path))
		if err != nil {
			return fail("%v", err)
		}
		files[rel] = data
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fail("%v", err)
	}
	if err := atomicfile.ReplaceDir(target, files); err != nil {
		return fail("%v", err)
	}
	for _, note := range p.Notes {
		fmt.Fprintln(stdout, "  "+note)
	}
	fmt.Fprintf(stdout, "payhooks schemas init: %s in %s; review them, then: payhooks generate -schemas %s\n", words.Count(len(files), "file", "files"), target, *out)
	return exitOK
}

// readSamples reads the samples as validate reads its inputs (files,
// folders, NDJSON, captures: package input), one payload each.
func readSamples(args []string) ([]infer.Sample, error) {
	var samples []infer.Sample
	err := input.Read(args, nil, func(p validate.Payload) error {
		source := p.Source
		if p.Line > 0 {
			source = fmt.Sprintf("%s:%d", p.Source, p.Line)
		}
		switch {
		case p.Err != nil:
			return p.Err
		case p.TooLarge:
			return fmt.Errorf("%s: larger than %d MiB; a sample is one delivery", source, validate.MaxPayloadBytes>>20)
		case p.Skipped != "":
			return nil
		}
		samples = append(samples, infer.Sample{Source: source, Body: p.Body})
		return nil
	})
	return samples, err
}

// acceptsItsSamples checks the scaffold compiles and validates every
// example it holds without a finding: a scaffold that refuses the payloads
// it was made from is a bug, never written.
func acceptsItsSamples(files map[string][]byte) error {
	refused, err := refusedExamples(files)
	if err != nil {
		return fmt.Errorf("the scaffold does not compile: %w", err)
	}
	if len(refused) > 0 {
		r := refused[0]
		f := r.Findings[0]
		return fmt.Errorf("the scaffold refuses its own sample %s: %s %s: %s", r.Source, f.Kind, f.Pointer, f.Message)
	}
	return nil
}
