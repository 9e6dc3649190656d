package main

import (
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/payhooks/payhooks/internal/catalog"
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
