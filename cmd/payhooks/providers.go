package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strings"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/importer"
	"github.com/payhooks/payhooks/generator/load"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/tooling/openapicheck"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
)

// bundledSchemas is the -schemas value naming the schemas payhooks carries.
const bundledSchemas = "bundled"

// schemaDirs are the -schemas flags: one folder of schemas, or several
// whose providers are used together, "bundled" naming the bundled ones.
type schemaDirs []string

func (d *schemaDirs) String() string { return strings.Join(*d, ",") }

func (d *schemaDirs) Set(dir string) error {
	*d = append(*d, dir)
	return nil
}

// folder is the one folder of schemas on disk the flags name, or "" for
// the bundled ones or several.
func (d schemaDirs) folder() string {
	if len(d) != 1 || d[0] == bundledSchemas {
		return ""
	}
	return d[0]
}

func addSchemasFlag(fl *flag.FlagSet) *schemaDirs {
	dirs := &schemaDirs{}
	fl.Var(dirs, "schemas", "`DIR` of schemas, one folder per provider (default: the bundled ones); repeat it to use the\nproviders of several together, \""+bundledSchemas+"\" naming the bundled ones: -schemas bundled -schemas DIR")
	return dirs
}

// schemaFolder returns the schemas -schemas names: the bundled ones by
// default, one folder, or the provider folders of several, each provider
// from one place only.
func schemaFolder(dirs schemaDirs) (fs.FS, error) {
	folders := make([]fs.FS, len(dirs))
	for i, dir := range dirs {
		if dir == bundledSchemas {
			folders[i] = schemas.FS
			continue
		}
		info, err := os.Stat(dir)
		if err != nil {
			return nil, err
		}
		if !info.IsDir() {
			return nil, fmt.Errorf("%q is not a folder", dir)
		}
		folders[i] = os.DirFS(dir)
	}
	switch len(folders) {
	case 0:
		return schemas.FS, nil
	case 1:
		return folders[0], nil
	}
	files, from := map[string][]byte{}, map[string]string{}
	for i, folder := range folders {
		err := fs.WalkDir(folder, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.Contains(p, "/") {
				return err // only provider folders: a top-level README is not a provider
			}
			provider, _, _ := strings.Cut(p, "/")
			if other, ok := from[provider]; ok && other != dirs[i] {
				return fmt.Errorf("provider %q is in both %s and %s; give it once", provider, other, dirs[i])
			}
			from[provider] = dirs[i]
			files[p], err = fs.ReadFile(folder, p)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return fsOf(files), nil
}

// newValidator reads a schema folder for the CLI and compiles it: its
// OpenAPI documents checked with kin-openapi first, as generate does.
func newValidator(fsys fs.FS, opts ...validate.Option) (*catalog.Catalog, *validate.Validator, error) {
	cat, err := catalog.Load(fsys)
	if err != nil {
		return nil, nil, err
	}
	for _, p := range cat.Providers {
		if err := checkOpenAPI(cat, p); err != nil {
			return nil, nil, err
		}
	}
	v, err := validate.New(cat, opts...)
	return cat, v, err
}

// newValidatorOnUse is newValidator for the commands that check payloads
// as they come (validate, listen): a provider's document is checked and
// its schemas compiled when its first payload needs them, so a run pays
// only for the providers it meets (checking and compiling all seven
// bundled ones took 0.4 s, a hundred times one payload's check).
func newValidatorOnUse(fsys fs.FS, opts ...validate.Option) (*catalog.Catalog, *validate.Validator, error) {
	cat, err := catalog.Load(fsys)
	if err != nil {
		return nil, nil, err
	}
	v, err := validate.New(cat, append(opts, validate.Lazily(func(name string) error {
		p, err := cat.Find(name)
		if err != nil {
			return err
		}
		return checkOpenAPI(cat, p)
	}))...)
	return cat, v, err
}

// checkOpenAPI checks a provider's OpenAPI document with kin-openapi,
// unless it is a bundled document as payhooks carries it, which the
// tests check (TestBundledDocumentsPassKinOpenAPI).
func checkOpenAPI(cat *catalog.Catalog, p *catalog.Provider) error {
	if p.Kind != catalog.OpenAPI || isBundled(cat.FS, p.Root) {
		return nil
	}
	if err := openapicheck.Check(cat.FS, p.Root); err != nil {
		return fmt.Errorf("load provider %q: %w", p.Name, err)
	}
	return nil
}

// isBundled reports whether the file name of fsys is the bundled file of
// that name, byte for byte.
func isBundled(fsys fs.FS, name string) bool {
	if fsys == schemas.FS {
		return true
	}
	bundled, err := fs.ReadFile(schemas.FS, name)
	if err != nil {
		return false
	}
	data, err := fs.ReadFile(fsys, name)
	return err == nil && bytes.Equal(data, bundled)
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
	width := 0
	for _, p := range cat.Providers {
		width = max(width, len(p.Name))
	}
	for _, p := range cat.Providers {
		fmt.Fprintf(&b, "  %-*s  %s\n", width, p.Name, envList(p))
	}
	return b.String()
}

// signatureFlags declare a signing scheme on the command line, the generic
// hmac scheme with its parameters: shared by schemas init and import,
// generate -openapi (where they are the provider's scheme) and listen and
// send (where they replace the scheme a provider's schema declares).
type signatureFlags struct {
	scheme, header                         *string
	digest, encoding, key, prefix, message *string
}

func addSignatureFlags(fl *flag.FlagSet, schemeUsage string) *signatureFlags {
	return &signatureFlags{
		scheme:   fl.String("signature", "", schemeUsage+": one of "+strings.Join(webhook.Schemes, ", ")),
		header:   fl.String("header", "", "the header the signature is in, when not the scheme's own (hmac: required)"),
		digest:   fl.String("hmac-digest", "", "hmac: sha256 (default) or sha512"),
		encoding: fl.String("hmac-encoding", "", "hmac: how the signature is written, hex (default) or base64"),
		key:      fl.String("hmac-key", "", "hmac: how the secret is written, raw (default), hex or base64"),
		prefix:   fl.String("hmac-prefix", "", "hmac: text before the signature, e.g. sha256="),
		message:  fl.String("hmac-message", "", "hmac: what is signed, {body} (default) or a template of text, {body} and {header:Name}"),
	}
}

// set reports whether any of the flags was given.
func (f *signatureFlags) set() bool {
	return *f.scheme != "" || *f.header != "" || f.hmacSet()
}

func (f *signatureFlags) hmacSet() bool {
	return *f.digest != "" || *f.encoding != "" || *f.key != "" || *f.prefix != "" || *f.message != ""
}

// resolve is the scheme the flags declare, checked: based on base (a
// provider's declared scheme) for the flags not given, or on nothing.
func (f *signatureFlags) resolve(base webhook.Scheme) (webhook.Scheme, error) {
	s := base
	if *f.scheme != "" && *f.scheme != base.Name {
		s = webhook.Scheme{Name: *f.scheme}
	}
	if *f.header != "" {
		s.Header = *f.header
	}
	switch {
	case s.Name == "":
		return s, fmt.Errorf("-signature is required")
	case s.Name == webhook.SchemeHMAC:
		h := webhook.HMAC{}
		if s.HMAC != nil {
			h = *s.HMAC
		}
		for _, p := range []struct{ to, from *string }{{&h.Digest, f.digest}, {&h.Encoding, f.encoding}, {&h.Key, f.key}, {&h.Prefix, f.prefix}, {&h.Message, f.message}} {
			if *p.from != "" {
				*p.to = *p.from
			}
		}
		s.HMAC = &h
		if s.Header == "" {
			return s, fmt.Errorf("-signature hmac needs -header, the header the signature is in")
		}
	case f.hmacSet():
		return s, fmt.Errorf("the -hmac-… flags declare the generic hmac scheme; %q has parameters of its own", s.Name)
	}
	if err := s.Check(); err != nil {
		return s, fmt.Errorf("-signature: %w", err)
	}
	return s, nil
}

// override replaces the declared scheme of the provider named name with
// the one the flags give, for listen and send.
func (f *signatureFlags) override(cat *catalog.Catalog, name string) error {
	if !f.set() {
		return nil
	}
	p := cat.Provider(name)
	if name == "" || p == nil {
		return fmt.Errorf("-signature and its flags replace one provider's scheme: name it with -provider")
	}
	s, err := f.resolve(p.Signature)
	if err != nil {
		return err
	}
	p.Signature = s
	return nil
}

// providerFlags say which provider a command brings in and how it signs,
// and where its event and delivery id are when not found: shared by
// schemas import, schemas init and generate -openapi.
type providerFlags struct {
	name, disc, id *string
	signature      *signatureFlags
	events         *eventFlags // schemas import and generate -openapi only
}

// eventFlags say how a document without webhooks describes its events as
// component schemas (package importer finds each when not given).
type eventFlags struct {
	extension, envelope, payload, from, fixtures *string
}

// addEventFlags registers the flags of the events-as-components convention.
func (f *providerFlags) addEventFlags(fl *flag.FlagSet) {
	f.events = &eventFlags{
		extension: fl.String("event-extension", "", "with no webhooks in the document: the extension tagging the component schemas that are\nevents, such as x-stripeEvent (default: the one whose values an envelope lists)"),
		envelope:  fl.String("envelope", "", "with component events: the component every delivery follows (default: the one whose\ntop-level property lists every tagged event)"),
		payload:   fl.String("payload", "", "with component events: the payload's pointer in the envelope, such as /data/object\n(default: the envelope member declaring what the tagged schemas declare)"),
		from:      fl.String("events-from", "", "with component events: another version of the document whose tagged components give\nthe events, for one that tags none"),
		fixtures:  fl.String("fixtures", "", "with component events: a JSON file of sample objects by component name ({\"resources\":\n{...}} as Stripe's fixtures3.json), to build an example of each event from"),
	}
}

// addProviderFlags registers them; required says when -provider and
// -signature are ("required", "with -openapi"), and found how a command
// finds the discriminator and delivery id it is not given.
func addProviderFlags(fl *flag.FlagSet, required, found string) *providerFlags {
	return &providerFlags{
		name:      fl.String("provider", "", "the provider's name: its folder and Go package ("+required+")"),
		signature: addSignatureFlags(fl, "its signing scheme ("+required+")"),
		disc:      fl.String("discriminator", "", "the body member naming the event, as a pointer (default: "+found+")"),
		id:        fl.String("delivery-id", "", "the delivery id, as a pointer (default: "+found+"), or "+webhook.BodyDeliveryID+" for the SHA-256 of the body; unique per delivery, since a repeated id is acknowledged as a duplicate without its callback"),
	}
}

// check checks the name and the scheme.
func (f *providerFlags) check() (webhook.Scheme, error) {
	if *f.name == "" || *f.signature.scheme == "" {
		return webhook.Scheme{}, fmt.Errorf("-provider and -signature are required")
	}
	if err := load.CheckPackageName(*f.name); err != nil {
		return webhook.Scheme{}, fmt.Errorf("-provider: %w", err)
	}
	return f.signature.resolve(webhook.Scheme{})
}

// options are the importer's options.
func (f *providerFlags) options() (importer.Options, error) {
	signature, err := f.check()
	if err != nil {
		return importer.Options{}, err
	}
	opts := importer.Options{Name: *f.name, Signature: signature, Discriminator: *f.disc, DeliveryID: *f.id}
	if e := f.events; e != nil {
		opts.EventExtension, opts.Envelope, opts.Payload = *e.extension, *e.envelope, *e.payload
		for _, file := range []struct {
			flag, name string
			to         *[]byte
		}{{"-events-from", *e.from, &opts.EventsFrom}, {"-fixtures", *e.fixtures, &opts.Fixtures}} {
			if file.name == "" {
				continue
			}
			if *file.to, err = readBounded(file.name, maxDocumentBytes); err != nil {
				return importer.Options{}, fmt.Errorf("%s: %w", file.flag, err)
			}
		}
	}
	return opts, nil
}
