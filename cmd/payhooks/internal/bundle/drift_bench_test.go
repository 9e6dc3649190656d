package bundle_test

import (
	"context"
	"encoding/json"
	"io/fs"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/bundle"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/compile"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
)

// BenchmarkDrift stands beside export rather than in package validate
// because kin-openapi, one of the contenders, reads the OpenAPI documents
// export writes.

// driftPayloads is one example per provider, the same bytes for every
// contender.
var driftPayloads = []struct{ provider, event, file string }{
	{"finmo", "CHECKOUT_COMPLETED", "finmo/examples/CHECKOUT_COMPLETED.json"},
	{"rapyd", "PAYMENT_COMPLETED", "rapyd/examples/PAYMENT_COMPLETED.json"},
	{"tazapay", "checkout.paid", "tazapay/examples/checkout.paid.json"},
	{"augustus", "checkout_session_completed", "augustus/examples/checkout_session_completed.json"},
	// Adyen's own document, imported: tagged unions (the bank account
	// identification of sixteen variants) and string lengths.
	{"adyentransfer", "balancePlatform.transfer.updated", "adyentransfer/examples/balancePlatform.transfer.updated.5.json"},
}

// BenchmarkDrift compares, per provider and on the same payload: checking
// the bytes are JSON at all (json.Valid), decoding them (json.Unmarshal into
// any), validating an already-decoded value with santhosh-tekuri/jsonschema
// v5 alone, kin-openapi's own schema validation including its decode
// (Augustus, the OpenAPI provider), and payhooks' full drift check (decode,
// detect, validate, classify, unknown properties). Compare MB/s across
// sub-benchmarks of one run.
func BenchmarkDrift(b *testing.B) {
	cat, err := catalog.Load(schemas.FS)
	require.NoError(b, err)
	v, err := validate.New(cat)
	require.NoError(b, err)
	ref, err := validate.New(schemas.FS, validate.WithEngine(validate.Reference))
	require.NoError(b, err)
	c, err := compile.NewCompiler(schemas.FS, compile.Options{})
	require.NoError(b, err)
	for _, bp := range driftPayloads {
		body, err := fs.ReadFile(schemas.FS, bp.file)
		require.NoError(b, err)
		ev := cat.Provider(bp.provider).Event(bp.event)
		schema, err := c.CompileAt(ev.Schema, ev.Pointer)
		require.NoError(b, err)
		run := func(name string, fn func(b *testing.B)) {
			b.Run(bp.provider+"/"+name, func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				fn(b)
			})
		}
		run("json.Valid", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if !json.Valid(body) {
					b.Fatal("invalid")
				}
			}
		})
		run("json.Unmarshal-any", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				var doc any
				if err := json.Unmarshal(body, &doc); err != nil {
					b.Fatal(err)
				}
			}
		})
		run("jsonschema-v5-only", func(b *testing.B) {
			var doc any
			require.NoError(b, json.Unmarshal(body, &doc))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if err := schema.Validate(doc); err != nil {
					b.Fatal(err)
				}
			}
		})
		{
			kin := kinSchema(b, bp.provider, bp.event)
			run("kin-openapi-with-decode", func(b *testing.B) {
				for i := 0; i < b.N; i++ {
					var doc any
					if err := json.Unmarshal(body, &doc); err != nil {
						b.Fatal(err)
					}
					if err := kin.VisitJSON(doc); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
		run("payhooks-reference", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if r := ref.Check(validate.Payload{Body: body}); len(r.Findings) != 0 {
					b.Fatal(r.Findings)
				}
			}
		})
		run("payhooks-fast", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				if r := v.Check(validate.Payload{Body: body}); len(r.Findings) != 0 {
					b.Fatal(r.Findings)
				}
			}
		})
	}
}

// kinSchema loads a provider's OpenAPI 3.1 document with kin-openapi (the
// exported one for the JSON Schema providers, Augustus's own otherwise)
// and returns an event's request body schema.
func kinSchema(b *testing.B, provider, event string) *openapi3.Schema {
	b.Helper()
	cat, err := catalog.Load(schemas.FS)
	require.NoError(b, err)
	files, err := bundle.Export(cat, bundle.Options{Version: "bench"})
	require.NoError(b, err)
	doc, err := openapi3.NewLoader().LoadFromData(files[provider+"/openapi.json"])
	require.NoError(b, err)
	require.NoError(b, doc.Validate(context.Background()))
	return doc.Webhooks[event].Post.RequestBody.Value.Content.Get("application/json").Schema.Value
}
