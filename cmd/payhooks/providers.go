package main

import (
	"flag"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/payhooks/payhooks/generator/load"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/importer"
	"github.com/payhooks/payhooks/internal/openapicheck"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
)

// schemaFolder returns the bundled schemas, or the folder given by -schemas.
func schemaFolder(dir string) (fs.FS, error) {
	if dir == "" {
		return schemas.FS, nil
	}
	info, err := os.Stat(dir)
	if err != nil {
		return nil, err
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%q is not a folder", dir)
	}
	return os.DirFS(dir), nil
}

// newValidator compiles a schema folder for the CLI: its OpenAPI documents
// checked with kin-openapi first, as generate does.
func newValidator(fsys fs.FS, opts ...validate.Option) (*validate.Validator, error) {
	cat, err := catalog.Load(fsys)
	if err != nil {
		return nil, err
	}
	if err := openapicheck.Catalog(cat); err != nil {
		return nil, err
	}
	return validate.NewFromCatalog(cat, opts...)
}

// unknownProvider says that name is not a provider of cat, and lists them.
func unknownProvider(cat *catalog.Catalog, name string) error {
	names := make([]string, len(cat.Providers))
	for i, p := range cat.Providers {
		names[i] = p.Name
	}
	return fmt.Errorf("unknown provider %q (known: %s)", name, strings.Join(names, ", "))
}

// knownScheme fails, naming the schema file and pointer, when a provider's
// schema declares a signing scheme payhooks does not have.
func knownScheme(p *catalog.Provider) error {
	if ptr, err := p.SignatureProblem(); err != nil {
		return fmt.Errorf("%s: %s: %w", p.Root, ptr, err)
	}
	return nil
}

// schemeOf is the signing scheme a provider's schema declares.
func schemeOf(p *catalog.Provider) webhook.Scheme {
	return p.Signature
}

// envList names the environment variables a provider's secrets come from,
// for messages.
func envList(p *catalog.Provider) string {
	return strings.Join(webhook.EnvNames(p.Name, schemeOf(p)), ", ")
}

// secretsHelp lists the environment variables each provider reads.
func secretsHelp(cat *catalog.Catalog) string {
	var b strings.Builder
	for _, p := range cat.Providers {
		fmt.Fprintf(&b, "  %-9s %s\n", p.Name, envList(p))
	}
	return b.String()
}

// providerFlags say which provider a command brings in and how it signs,
// and where its event and delivery id are when not found: shared by
// schemas import, schemas init and generate -openapi.
type providerFlags struct {
	name, scheme, header, disc, id *string
}

// addProviderFlags registers them; found says how a command finds the
// discriminator and delivery id it is not given.
func addProviderFlags(fl *flag.FlagSet, found string) *providerFlags {
	return &providerFlags{
		name:   fl.String("provider", "", "the provider's name: its folder and Go package (required)"),
		scheme: fl.String("signature", "", "its signing scheme (required): one of "+fmt.Sprint(webhook.Schemes)),
		header: fl.String("header", "", "the header the scheme reads, when not its own"),
		disc:   fl.String("discriminator", "", "the body member naming the event, as a pointer (default: "+found+")"),
		id:     fl.String("delivery-id", "", "the delivery id, as a pointer (default: "+found+"), or "+webhook.BodyDeliveryID+" for the SHA-256 of the body; unique per delivery, since a repeated id is acknowledged as a duplicate without its callback"),
	}
}

// check checks the name and the scheme.
func (f *providerFlags) check() (webhook.Scheme, error) {
	if *f.name == "" || *f.scheme == "" {
		return webhook.Scheme{}, fmt.Errorf("-provider and -signature are required")
	}
	if err := load.CheckPackageName(*f.name); err != nil {
		return webhook.Scheme{}, fmt.Errorf("-provider: %w", err)
	}
	signature := webhook.Scheme{Name: *f.scheme, Header: *f.header}
	if err := signature.Check(); err != nil {
		return webhook.Scheme{}, fmt.Errorf("-signature: %w", err)
	}
	return signature, nil
}

// options are the importer's options.
func (f *providerFlags) options() (importer.Options, error) {
	signature, err := f.check()
	if err != nil {
		return importer.Options{}, err
	}
	return importer.Options{Name: *f.name, Signature: signature, Discriminator: *f.disc, DeliveryID: *f.id}, nil
}

// refusedExamples compiles a provider folder held in memory (files by path,
// NAME/…) and checks each of its examples, in path order: the results
// with findings. An error is a folder whose schemas do not compile.
func refusedExamples(files map[string][]byte) ([]validate.Result, error) {
	v, err := newValidator(fsOf(files))
	if err != nil {
		return nil, err
	}
	var refused []validate.Result
	for _, p := range slices.Sorted(maps.Keys(files)) {
		if path.Base(path.Dir(p)) != "examples" {
			continue
		}
		if r := v.Check(validate.Payload{Source: p, Body: files[p]}); len(r.Findings) > 0 {
			refused = append(refused, r)
		}
	}
	return refused, nil
}
