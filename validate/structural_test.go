package validate_test

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook/drift"
)

// without returns the JSON object body with its top-level member name
// removed.
func without(t *testing.T, body []byte, name string) []byte {
	t.Helper()
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &doc))
	require.Contains(t, doc, name)
	delete(doc, name)
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

// A delivery without the event's subject (Rapyd's and Tazapay's data,
// Finmo's event_detail, Augustus's payload, the Adyen providers' data) is
// breaking drift on both engines, whether or not a document marks the
// subject required: no consumer can act on it.
func TestADeliveryWithoutItsSubjectIsBreaking(t *testing.T) {
	fast, reference := engines(t)
	want := map[string]string{"rapyd": "/data", "tazapay": "/data", "finmo": "/event_detail", "augustus": "/payload",
		"adyenpayment": "/data", "adyentokenization": "/data", "adyentransfer": "/data"}
	for _, p := range bundledCatalog(t).Providers {
		subject := want[p.Name]
		name, ok := jsonpointer.TopLevel(subject)
		require.True(t, ok, p.Name)
		for _, ex := range p.Examples {
			body, err := fs.ReadFile(schemas.FS, ex.Path)
			require.NoError(t, err)
			payload := validate.Payload{Source: ex.Path, Body: without(t, body, name), Provider: p.Name, Event: ex.Event}
			for _, v := range []*validate.Validator{fast, reference} {
				r := v.Check(payload)
				assert.Equal(t, []drift.Finding{{Pointer: subject, Kind: drift.MissingRequired, Severity: drift.Breaking,
					Message: `required property "` + name + `" is missing`, Line: 1}}, r.Findings, ex.Path)
			}
		}
	}
}

// Adyen's categoryData is a oneOf of four closed objects, told apart by a
// "type" the transfer document does not require. {"priority": "regular"}
// fits only BankCategoryData in Adyen's own document (the others close
// priority out); it is clean on both engines, as Python's jsonschema finds it
// against the document (cmd/payhooks/internal/importer's tests).
func TestAUnionOfClosedVariantsPicksTheVariantTheDocumentPicks(t *testing.T) {
	fast, reference := engines(t)
	body, err := fs.ReadFile(schemas.FS, "adyentransfer/examples/balancePlatform.transfer.updated.2.json")
	require.NoError(t, err)
	const tagged = `"categoryData": {
      "priority": "regular",
      "type": "bank"
    }`
	require.Contains(t, string(body), tagged)
	for _, tc := range []struct {
		categoryData string
		want         []string // kind pointer
	}{
		{`{"priority": "regular"}`, nil},
		{`{"priority": "regular", "type": "bank"}`, nil},
		{`{"modificationMerchantReference": "r", "paymentMerchantReference": "p"}`, nil},
		// Fits two variants as written: ambiguous in the document too.
		{`{"modificationMerchantReference": "r"}`, []string{"type_mismatch /data/categoryData"}},
		// Fits one variant once closed objects are read as open: that one,
		// and its closed-out member is additive drift.
		{`{"priority": "regular", "bankRef": "x"}`, []string{"unknown_property /data/categoryData/bankRef"}},
	} {
		drifted := strings.Replace(string(body), tagged, `"categoryData": `+tc.categoryData, 1)
		for name, v := range map[string]*validate.Validator{"fast": fast, "reference": reference} {
			r := v.Check(validate.Payload{Body: []byte(drifted)})
			var got []string
			for _, f := range r.Findings {
				got = append(got, string(f.Kind)+" "+f.Pointer)
			}
			assert.Equal(t, tc.want, got, "%s engine on %s: %+v", name, tc.categoryData, r.Findings)
		}
	}
}

// A member every documented sample of the event shows, which no document
// marks required (Rapyd's payment amount, currency_code, status, …), absent:
// a warning, missing_expected, on both engines; the payload stays valid at
// the default -fail-on breaking.
func TestAnAbsentExpectedMemberIsAWarning(t *testing.T) {
	fast, reference := engines(t)
	body, err := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(body, &doc))
	data := doc["data"].(map[string]any)
	for _, name := range []string{"amount", "currency_code", "status"} {
		delete(data, name)
	}
	delete(doc, "extended_timestamp")
	drifted, err := json.Marshal(doc)
	require.NoError(t, err)
	for name, v := range map[string]*validate.Validator{"fast": fast, "reference": reference} {
		r := v.Check(validate.Payload{Body: drifted})
		var got []string
		for _, f := range r.Findings {
			got = append(got, string(f.Severity)+" "+string(f.Kind)+" "+f.Pointer)
		}
		assert.Equal(t, []string{
			"warning missing_expected /data/amount", "warning missing_expected /data/currency_code",
			"warning missing_expected /data/status", "warning missing_expected /extended_timestamp",
		}, got, "%s engine: %+v", name, r.Findings)
		if len(r.Findings) > 0 {
			assert.Equal(t, `property "amount" is missing, which every documented sample shows (R-canceled)`, r.Findings[0].Message)
		}
	}
}

// A subject below the top level (Stripe's /data/object, what
// schemas import makes of the events-as-components convention's payload)
// is structural too: on both engines, a delivery without it, or without
// the member above it, is breaking at the first member missing, whether or
// not the schemas require it; with it, the delivery is clean.
func TestANestedSubjectIsStructural(t *testing.T) {
	fsys := fstest.MapFS{
		"acme/acme.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema",
  "x-payhooks-provider": {"discriminator": {"in": "body", "pointer": "/type"}, "delivery_id": "/id", "subject": "/data/object"},
  "type": "object", "properties": {"id": {"type": "string"}, "type": {"type": "string"},
    "data": {"type": "object", "properties": {"object": {"type": "object"}, "previous_attributes": {"type": "object"}}}}}`)},
		"acme/events/paid.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "x-payhooks-event": "paid", "$ref": "../acme.json"}`)},
	}
	fast, err := validate.New(fsys)
	require.NoError(t, err)
	reference, err := validate.New(fsys, validate.WithEngine(validate.Reference))
	require.NoError(t, err)
	for body, want := range map[string][]drift.Finding{
		`{"id": "1", "type": "paid", "data": {"object": {}}}`:                           nil,
		`{"id": "1", "type": "paid", "data": {"previous_attributes": {}}}`:              {{Pointer: "/data/object", Kind: drift.MissingRequired, Severity: drift.Breaking, Message: `required property "object" is missing`, Line: 1}},
		`{"id": "1", "type": "paid"}`:                                                   {{Pointer: "/data", Kind: drift.MissingRequired, Severity: drift.Breaking, Message: `required property "data" is missing`, Line: 1}},
		`{"id": "1", "type": "paid", "data": {"object": {}, "previous_attributes": 1}}`: {{Pointer: "/data/previous_attributes", Kind: drift.TypeMismatch, Severity: drift.Breaking, Message: "expected object, got number 1", Line: 1}},
	} {
		for name, v := range map[string]*validate.Validator{"fast": fast, "reference": reference} {
			r := v.Check(validate.Payload{Body: []byte(body)})
			assert.Equal(t, "acme", r.Provider, body)
			if want == nil {
				assert.Empty(t, r.Findings, "%s: %s", name, body)
				continue
			}
			assert.Equal(t, want, r.Findings, "%s: %s", name, body)
		}
	}
}
