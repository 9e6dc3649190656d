package main

import (
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/payhooks/payhooks/internal/atomicfile"
	"github.com/payhooks/payhooks/internal/infer"
	"github.com/payhooks/payhooks/validate"
)

// maxSampleBytes bounds one sample file: a delivery, not a data dump.
const maxSampleBytes = 16 << 20

func runInit(args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks schemas init", "Usage: payhooks schemas init -provider NAME -signature SCHEME [flags] SAMPLE...\n\nScaffolds a provider folder, DIR/NAME, from sample payloads (files, or folders of *.json):\nthe envelope, the discriminator, the delivery id, one event schema per event, shared shapes\nin $defs, and the samples as examples. It prints what it guessed and why, and checks that\nthe schemas accept every sample before writing.\n\n", stdout, stderr)
	flags := addProviderFlags(cmd.fl, "guessed")
	out := cmd.fl.String("out", "schemas", "the schema folder to add the provider to")
	force := cmd.fl.Bool("force", false, "replace DIR/NAME when it exists")
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
	p, err := infer.Scaffold(samples, infer.ProviderOptions{Name: *name, Scheme: signature.Name, Header: signature.Header, Discriminator: *flags.disc, DeliveryID: *flags.id})
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
	fmt.Fprintf(stdout, "payhooks schemas init: %d files in %s; review them, then: payhooks generate -schemas %s\n", len(files), target, *out)
	return exitOK
}

// readSamples reads the sample files, and the *.json files of folders.
func readSamples(args []string) ([]infer.Sample, error) {
	var paths []string
	for _, arg := range args {
		info, err := os.Stat(arg)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			paths = append(paths, arg)
			continue
		}
		matches, err := filepath.Glob(filepath.Join(arg, "*.json"))
		if err != nil {
			return nil, err
		}
		slices.Sort(matches)
		paths = append(paths, matches...)
	}
	samples := make([]infer.Sample, 0, len(paths))
	for _, p := range paths {
		data, err := readBounded(p, maxSampleBytes)
		if err != nil {
			return nil, err
		}
		samples = append(samples, infer.Sample{Source: p, Body: data})
	}
	return samples, nil
}

// acceptsItsSamples checks the scaffold compiles and validates every
// example it holds without a finding: a scaffold that refuses the payloads
// it was made from is a bug, never written.
func acceptsItsSamples(files map[string][]byte) error {
	fsys := fsOf(files)
	v, err := newValidator(fsys)
	if err != nil {
		return fmt.Errorf("the scaffold does not compile: %w", err)
	}
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Base(filepath.Dir(p)) != "examples" {
			return err
		}
		r := v.Check(validate.Payload{Source: p, Body: files[p]})
		if len(r.Findings) > 0 {
			f := r.Findings[0]
			return fmt.Errorf("the scaffold refuses its own sample %s: %s %s: %s", p, f.Kind, f.Pointer, f.Message)
		}
		return nil
	})
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
