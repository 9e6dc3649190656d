package schemas_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/schemas"
)

// wantEvents is every checkout event the project promises a schema and an
// example for.
var wantEvents = map[string][]string{
	"finmo":    {"CHECKOUT_CANCELLED", "CHECKOUT_COMPLETED", "CHECKOUT_CREATED", "CHECKOUT_EXPIRED"},
	"rapyd":    {"PAYMENT_CANCELED", "PAYMENT_CAPTURED", "PAYMENT_COMPLETED", "PAYMENT_EXPIRED", "PAYMENT_FAILED", "PAYMENT_REVERSED", "PAYMENT_SUCCEEDED", "PAYMENT_UPDATED"},
	"tazapay":  {"checkout.created", "checkout.expired", "checkout.paid", "checkout.tax_invoice_generated", "payment_attempt.created", "payment_attempt.failed", "payment_attempt.processing", "payment_attempt.succeeded"},
	"augustus": {"checkout_session_completed", "checkout_session_created", "checkout_session_expired", "checkout_session_updated"},
	// Adyen: the webhooks keys of its three documents (cmd/payhooks/internal/importer/testdata/adyen).
	"adyenpayment":      {"balancePlatform.incomingTransfer.created", "balancePlatform.incomingTransfer.updated", "balancePlatform.outgoingTransfer.created", "balancePlatform.outgoingTransfer.updated", "balancePlatform.payment.created", "balancePlatform.payment.updated"},
	"adyentokenization": {"recurring.token.alreadyExisting", "recurring.token.created", "recurring.token.disabled", "recurring.token.updated"},
	"adyentransfer":     {"balancePlatform.transfer.created", "balancePlatform.transfer.updated"},
}

func loadCatalog(t *testing.T) *catalog.Catalog {
	t.Helper()
	cat, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	return cat
}

func TestEveryDocumentedEventHasASchemaAndAnExample(t *testing.T) {
	cat := loadCatalog(t)
	var providers []string
	for _, p := range cat.Providers {
		providers = append(providers, p.Name)
	}
	assert.ElementsMatch(t, []string{"adyenpayment", "adyentokenization", "adyentransfer", "augustus", "finmo", "rapyd", "tazapay"}, providers)
	for name, events := range wantEvents {
		p := cat.Provider(name)
		require.NotNil(t, p, name)
		var got []string
		for _, e := range p.Events {
			got = append(got, e.Name)
		}
		assert.Equal(t, events, got, "events of %s", name)
		withExample := map[string]bool{}
		for _, ex := range p.Examples {
			withExample[ex.Event] = true
		}
		for _, e := range events {
			assert.True(t, withExample[e], "%s %s has no example in %s/examples/", name, e, name)
		}
	}
	assert.Equal(t, "jsonschema", string(cat.Provider("finmo").Kind))
	assert.Equal(t, "openapi", string(cat.Provider("augustus").Kind))
}

// Every schema compiles as 2020-12 with formats asserted and no loader
// that could reach the network.
func TestEverySchemaCompiles(t *testing.T) {
	cat := loadCatalog(t)
	c, err := compile.NewCompiler(schemas.FS, compile.Options{})
	require.NoError(t, err)
	for _, p := range cat.Providers {
		if p.Kind == catalog.JSONSchema {
			_, err := c.CompileAt(p.Root, "")
			assert.NoError(t, err, p.Root)
		}
		for _, e := range p.Events {
			_, err := c.CompileAt(e.Schema, e.Pointer)
			assert.NoError(t, err, "%s#%s", e.Schema, e.Pointer)
		}
	}
}

func TestAugustusOpenAPILoadsAndValidatesWithKinOpenAPI(t *testing.T) {
	data, err := fs.ReadFile(schemas.FS, "augustus/openapi.json")
	require.NoError(t, err)
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	doc, err := loader.LoadFromData(data)
	require.NoError(t, err)
	require.NoError(t, doc.Validate(context.Background()))
	assert.True(t, doc.IsOpenAPI31OrLater())
	for _, e := range wantEvents["augustus"] {
		require.Contains(t, doc.Webhooks, e)
		require.NotNil(t, doc.Paths.Find("/api/service/webhook-event/"+e), e)
		body := doc.Paths.Find("/api/service/webhook-event/" + e).Post.RequestBody.Value
		schema := body.Content.Get("application/json").Schema.Value
		assert.ElementsMatch(t, []string{"id", "type", "date", "payload"}, schema.Required)
		assert.Equal(t, []any{e}, schema.Properties["type"].Value.Enum)
	}
	scheme := doc.Components.SecuritySchemes["ivySignature"].Value
	assert.Equal(t, "X-Ivy-Signature", scheme.Name)
}

// Every example validates against its event's schema with the engine alone
// (the drift validator adds unknown-property findings on top; see
// validate's own tests).
func TestEveryExampleValidatesAgainstItsEvent(t *testing.T) {
	cat := loadCatalog(t)
	c, err := compile.NewCompiler(schemas.FS, compile.Options{})
	require.NoError(t, err)
	for _, p := range cat.Providers {
		for _, ex := range p.Examples {
			ev := p.Event(ex.Event)
			s, err := c.CompileAt(ev.Schema, ev.Pointer)
			require.NoError(t, err)
			assert.NoError(t, s.Validate(readJSON(t, ex.Path)), ex.Path)
		}
	}
}

// Every doc sample fails at each breaking or warning pointer its
// expectation (expected/) names, and only a sample with such findings fails (unknown
// properties and events are not schema errors: the schemas stay open).
func TestEveryDriftSampleFailsForItsReason(t *testing.T) {
	cat := loadCatalog(t)
	c, err := compile.NewCompiler(schemas.FS, compile.Options{})
	require.NoError(t, err)
	for _, p := range cat.Providers {
		for _, d := range p.Drift {
			assert.NotEmpty(t, d.Expect.Why, d.Path)
			if d.Expect.Event == "" {
				continue // an unknown event: no event schema to fail
			}
			ev := p.Event(d.Expect.Event)
			require.NotNil(t, ev, d.Path)
			s, err := c.CompileAt(ev.Schema, ev.Pointer)
			require.NoError(t, err)
			verr := s.Validate(readJSON(t, d.Path))
			schemaErrors := 0
			for _, f := range d.Expect.Findings {
				if f.Kind != "unknown_property" {
					schemaErrors++
				}
			}
			if schemaErrors == 0 {
				assert.NoError(t, verr, "%s: a doc sample with no finding is valid", d.Path)
				continue
			}
			require.Error(t, verr, d.Path)
			var ve *jsonschema.ValidationError
			require.ErrorAs(t, verr, &ve)
			locations := leafLocations(ve)
			for _, f := range d.Expect.Findings {
				if f.Kind == "unknown_property" {
					continue
				}
				loc := f.Pointer
				if f.Kind == "missing_required" {
					loc = path.Dir(loc)
					if loc == "/" {
						loc = ""
					}
				}
				assert.Contains(t, locations, loc, "%s: expected a schema error at %q (%s)", d.Path, loc, f.Kind)
			}
		}
	}
}

func TestIDsAreUniqueAndFollowTheFilePath(t *testing.T) {
	seen := map[string]string{}
	forEachSchemaFile(t, func(p string, doc map[string]any) {
		id, ok := doc["$id"].(string)
		if _, isOpenAPI := doc["openapi"]; isOpenAPI {
			return // OpenAPI documents are known by their path
		}
		require.True(t, ok, "%s has no $id", p)
		assert.Equal(t, schemas.BaseURI+p, id, "%s: $id must be the base URI plus the path", p)
		if prev, dup := seen[id]; dup {
			t.Errorf("%s and %s share $id %s", prev, p, id)
		}
		seen[id] = p
		assert.NotEmpty(t, doc["title"], "%s: title", p)
		assert.NotEmpty(t, doc["description"], "%s: description", p)
	})
}

// Every $ref resolves inside schemas/: to a file the folder holds and to a
// value at its fragment. Nothing remote.
func TestEveryRefResolvesInsideTheFolder(t *testing.T) {
	docs := map[string]any{}
	forEachSchemaFile(t, func(p string, doc map[string]any) { docs[schemas.BaseURI+p] = doc })
	forEachSchemaFile(t, func(p string, doc map[string]any) {
		base, err := url.Parse(schemas.BaseURI + p)
		require.NoError(t, err)
		walkRefs(doc, "", func(at, ref string) {
			u, err := base.Parse(ref)
			if !assert.NoError(t, err, "%s#%s: $ref %q", p, at, ref) {
				return
			}
			frag := u.Fragment
			u.Fragment = ""
			target, ok := docs[u.String()]
			if !assert.True(t, ok, "%s#%s: $ref %q leaves schemas/ (%s)", p, at, ref, u) {
				return
			}
			_, ok = jsonpointer.Get(target, frag)
			assert.True(t, ok, "%s#%s: $ref %q: no value at #%s", p, at, ref, frag)
		})
	})
}

// Each event schema pins the discriminator to its own event name.
func TestEventSchemasNameTheirDiscriminatorValue(t *testing.T) {
	cat := loadCatalog(t)
	for _, p := range cat.Providers {
		if p.Kind != catalog.JSONSchema {
			continue
		}
		for _, e := range p.Events {
			doc := readJSON(t, e.Schema).(map[string]any)
			prop := strings.TrimPrefix(p.Addressing.EventPointer, "/")
			c, _ := jsonpointer.Get(doc, "/properties/"+prop+"/const")
			assert.Equal(t, e.Name, c, "%s: the discriminator const must equal x-payhooks-event", e.Schema)
		}
	}
}

func forEachSchemaFile(t *testing.T, fn func(p string, doc map[string]any)) {
	t.Helper()
	var files []string
	require.NoError(t, fs.WalkDir(schemas.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".json") && !strings.Contains(p, "/examples/") && !strings.Contains(p, "/drift/") && !strings.Contains(p, "/expected/") {
			files = append(files, p)
		}
		return err
	}))
	slices.Sort(files)
	require.NotEmpty(t, files)
	for _, f := range files {
		fn(f, readJSON(t, f).(map[string]any))
	}
}

func walkRefs(v any, at string, fn func(at, ref string)) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if k == "$ref" {
				if ref, ok := child.(string); ok {
					fn(at, ref)
				}
				continue
			}
			walkRefs(child, jsonpointer.Append(at, k), fn)
		}
	case []any:
		for i, child := range x {
			walkRefs(child, jsonpointer.AppendIndex(at, i), fn)
		}
	}
}

func leafLocations(ve *jsonschema.ValidationError) []string {
	if len(ve.Causes) == 0 {
		return []string{ve.InstanceLocation}
	}
	var out []string
	for _, c := range ve.Causes {
		out = append(out, leafLocations(c)...)
	}
	return out
}

func readJSON(t *testing.T, p string) any {
	t.Helper()
	data, err := fs.ReadFile(schemas.FS, p)
	require.NoError(t, err)
	var v any
	require.NoError(t, json.Unmarshal(data, &v), p)
	return v
}

// Replayed one after another (payhooks send), bundled samples are distinct
// deliveries: no two share a delivery id, except where the provider's own
// document repeats one (schemas/README.md, Adyen), kept as published.
func TestSamplesHaveDistinctDeliveryIDs(t *testing.T) {
	published := map[string]string{
		"adyentokenization": "all four of Adyen's examples carry eventId QBQQ9DLNRHHKGK38",
		"adyenpayment":      "two of Adyen's examples are the same bytes",
	}
	cat := loadCatalog(t)
	for _, p := range cat.Providers {
		files := []string{}
		for _, ex := range p.Examples {
			files = append(files, ex.Path)
		}
		for _, d := range p.Drift {
			files = append(files, d.Path)
		}
		seen := map[string]string{}
		for _, f := range files {
			data, err := fs.ReadFile(schemas.FS, f)
			require.NoError(t, err)
			id, ok := p.Addressing.ID(data)
			require.True(t, ok, "%s has no delivery id at %s", f, p.Addressing.DeliveryID)
			if prev, dup := seen[id]; dup && published[p.Name] == "" {
				t.Errorf("%s and %s share the delivery id %q: replayed, the second is a duplicate", prev, f, id)
			}
			seen[id] = f
		}
	}
}

// The claims table of README.md cites every provider's subject, which is
// structural, and every source an x-payhooks-expected names is one of the
// sources it defines.
func TestStructuralAndExpectedClaimsAreCited(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	require.NoError(t, err)
	claims := string(readme)
	for _, p := range loadCatalog(t).Providers {
		require.NotEmpty(t, p.Addressing.Subject, p.Name)
		if !strings.HasPrefix(p.Name, "adyen") {
			assert.Contains(t, claims, "(`subject: "+p.Addressing.Subject+"`)", "%s's subject in the claims table", p.Name)
		}
	}
	sources := map[string]bool{}
	require.NoError(t, fs.WalkDir(schemas.FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !compile.IsSchemaFile(p) {
			return err
		}
		data, err := fs.ReadFile(schemas.FS, p)
		require.NoError(t, err)
		var doc any
		require.NoError(t, json.Unmarshal(data, &doc))
		var walk func(v any)
		walk = func(v any) {
			switch x := v.(type) {
			case map[string]any:
				if s, ok := x["x-payhooks-expected"].(string); ok {
					sources[s] = true
				}
				for _, c := range x {
					walk(c)
				}
			case []any:
				for _, c := range x {
					walk(c)
				}
			}
		}
		walk(doc)
		return nil
	}))
	assert.NotEmpty(t, sources)
	for s := range sources {
		assert.Contains(t, claims, "**"+s+"**", "x-payhooks-expected names %q, a source the claims define", s)
		assert.Contains(t, claims, "x-payhooks-expected: "+s, "a row of the claims table says what %q marks expected", s)
	}
}
