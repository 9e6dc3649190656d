package validate_test

import (
	"encoding/json"
	"io/fs"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/jsonpointer"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
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
	for _, p := range fast.Catalog().Providers {
		subject := want[p.Name]
		name, ok := jsonpointer.TopLevel(subject)
		require.True(t, ok, p.Name)
		for _, ex := range p.Examples {
			body, err := fs.ReadFile(schemas.FS, ex.Path)
			require.NoError(t, err)
			payload := validate.Payload{Source: ex.Path, Body: without(t, body, name), Provider: p.Name, Event: ex.Event}
			for _, v := range []*validate.Validator{fast, reference} {
				r := v.Check(payload)
				assert.Equal(t, []validate.Finding{{Pointer: subject, Kind: validate.MissingRequired, Severity: validate.Breaking,
					Message: `required property "` + name + `" is missing`, Line: 1}}, r.Findings, ex.Path)
			}
		}
	}
}

// Adyen's categoryData is a oneOf of four closed objects, told apart by a
// "type" the transfer document does not require. {"priority": "regular"}
// fits only BankCategoryData in Adyen's own document (the others close
// priority out); it is clean on both engines, as Python's jsonschema finds it
// against the document (internal/importer's tests).
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
