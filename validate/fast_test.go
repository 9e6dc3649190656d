package validate

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/santhosh-tekuri/jsonschema/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/testonly/race"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
)

// fastOf is the fast engine's judgement of a payload as Check addresses it.
func (v *Validator) fastOf(p Payload) (Result, bool, string) {
	prov, event := v.address(p, webhook.Addressing.FirstMember)
	return v.fastCheck(p, prov, event)
}

// referenceOf is the reference engine's result for a payload as Check
// addresses it.
func (v *Validator) referenceOf(p Payload) Result {
	prov, event := v.address(p, webhook.Addressing.Member)
	return v.checkReference(p, prov, event)
}

// The fast engine decides every bundled example itself: the speed is real
// on real payloads, not a fallback in disguise.
func TestFastEngineDecidesEveryExample(t *testing.T) {
	cat, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	v, err := New(cat)
	require.NoError(t, err)
	for _, p := range cat.Providers {
		for _, ex := range p.Examples {
			body, err := fs.ReadFile(schemas.FS, ex.Path)
			require.NoError(t, err)
			path := ""
			if p.Addressing.PathPrefix != "" {
				path = p.Addressing.PathPrefix + ex.Event
			}
			r, ok, _ := v.fastOf(Payload{Source: ex.Path, Body: body, Path: path})
			require.True(t, ok, "%s: the fast engine handed a clean example to the reference", ex.Path)
			assert.Equal(t, p.Name, r.Provider)
			assert.Equal(t, ex.Event, r.Event)
			assert.Empty(t, r.Findings)
		}
		for _, d := range p.Drift {
			body, err := fs.ReadFile(schemas.FS, d.Path)
			require.NoError(t, err)
			r, ok, _ := v.fastOf(Payload{Body: body, Provider: d.Expect.Provider, Event: d.Expect.Event})
			if len(d.Expect.Findings) == 0 {
				assert.True(t, ok && len(r.Findings) == 0, "%s: a clean doc sample is judged clean", d.Path)
			} else {
				assert.True(t, !ok || len(r.Findings) > 0, "%s: drift must not pass as clean", d.Path)
			}
		}
	}
}

// The fast engine allocates nothing on a clean payload: a handler's check,
// given the event the handler read, allocates nothing at all; payhooks
// validate, which reads the event from the body itself, allocates its
// name, once.
func TestFastEngineAllocatesNothingOnCleanPayloads(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector makes sync.Pool drop items; make test runs this test again without -race")
	}
	v, err := New(schemas.FS)
	require.NoError(t, err)
	for _, c := range []struct{ provider, event, file string }{
		{"finmo", "CHECKOUT_COMPLETED", "finmo/examples/CHECKOUT_COMPLETED.json"},
		{"rapyd", "PAYMENT_CANCELED", "rapyd/examples/PAYMENT_CANCELED.json"},
		{"tazapay", "checkout.expired", "tazapay/examples/checkout.expired.json"},
	} {
		body, err := fs.ReadFile(schemas.FS, c.file)
		require.NoError(t, err)
		handler := ForProvider(v, c.provider)
		allocs := testing.AllocsPerRun(200, func() {
			if findings := handler.Check(c.event, body); len(findings) != 0 {
				t.Fatal(findings)
			}
		})
		assert.Zero(t, allocs, "%s: a handler's check", c.file)
		p := Payload{Body: body}
		allocs = testing.AllocsPerRun(200, func() {
			if _, ok, _ := v.fastOf(p); !ok {
				t.Fatal("not clean")
			}
		})
		assert.LessOrEqual(t, allocs, 1.0, "%s: detected, then checked", c.file)
	}
}

func TestFastFormatsAreNoLooserThanTheEngine(t *testing.T) {
	for _, s := range []string{"2023-12-25T21:59:59Z", "2023-12-25t21:59:59.123456789z", "2024-02-29T00:00:00+05:30", "2023-02-29T00:00:00Z", "2023-12-25T24:00:00Z", "2023-12-25T23:59:60Z", "2023-12-25 21:59:59", "2023-12-25T21:59:59", "2023-12-25T21:59:59.Z", "2023-12-25T21:59:59+24:00",
		"2016-12-31T15:59:60-08:00", "2016-12-31T23:58:60Z", "2023-12-25T+1:00:00Z"} {
		assert.Equal(t, jsonschema.Formats["date-time"](s), dateTime([]byte(s)), s)
	}
	assert.True(t, dateTime([]byte("2022-03-25T03:50:09.449Z")))
	assert.False(t, dateTime([]byte("2023-02-29T00:00:00Z")))
	// The engine takes a signed zone field; time.Time does not.
	assert.True(t, dateTime([]byte("0000-01-01T00:00:00++0:00")))
	assert.False(t, goTimeHolds([]byte("0000-01-01T00:00:00++0:00")))
	assert.True(t, goTimeHolds([]byte("2024-02-29T00:00:00+05:30")))
	assert.True(t, uuid([]byte("11fc3c4a-d938-48aa-b8fd-c00b8f180b7f")))
	assert.False(t, uuid([]byte("11fc3c4a-d938-48aa-b8fd-c00b8f180b7")))
}

// FuzzFastFormats: the fast format checks agree exactly with the engine's
// own, and whatever the fast engine judges clean the generated types hold.
func FuzzFastFormats(f *testing.F) {
	for _, s := range []string{"2023-12-25T21:59:59Z", "2024-02-29T23:59:59.5-00:00", "11fc3c4a-d938-48aa-b8fd-c00b8f180b7f", "x",
		"2016-12-31T23:59:60Z", "2016-12-31T15:59:60-08:00", "2016-12-31T23:59:60+01:00", "2023-12-25T+1:-0:09Z",
		"2016-12-31t23:59:60z", "2023-12-25 21:59:59", "2023-02-29 21:59:59", "2024-02-29 24:00:00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if dateTime([]byte(s)) != jsonschema.Formats["date-time"](s) {
			t.Fatalf("date-time disagrees on %q", s)
		}
		if goTimeHolds([]byte(s)) && goTime.holds(s) != nil {
			t.Fatalf("fast date-time judges %q clean, time.Time does not hold it: %v", s, goTime.holds(s))
		}
		if localDateTime([]byte(s)) && goDateTime.holds(s) != nil {
			t.Fatalf("fast date and time accepts %q, webhook.DateTime does not: %v", s, goDateTime.holds(s))
		}
		if uuid([]byte(s)) != jsonschema.Formats["uuid"](s) {
			t.Fatalf("uuid disagrees on %q", s)
		}
	})
}

// Additive drift (unknown properties and enum values) and missing required
// properties are classified in the fast pass itself, with the reference
// engine's pointers, messages and lines.
func TestFastEngineClassifiesAdditiveDrift(t *testing.T) {
	fast, err := New(schemas.FS)
	require.NoError(t, err)
	ref, err := New(schemas.FS, WithEngine(Reference))
	require.NoError(t, err)
	body, err := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	require.NoError(t, err)
	drifted := strings.Replace(string(body), `"status": "CLO"`, `"status": "PEN", "risk": {"score": 1}`, 1)
	drifted = strings.Replace(drifted, `"percent": 100,`, `"percent": 100, "fee_share": 0,`, 1)
	drifted = strings.Replace(drifted, `"id": "wh_1a2b3c4d5e6f708192a3b4c5d6e7f802",`, ``, 1)
	p := Payload{Body: []byte(drifted)}
	got, ok, _ := fast.fastOf(p)
	require.True(t, ok, "the fast engine classifies unknown properties and enum values itself")
	want := ref.Check(p)
	assert.Equal(t, want, got)
	var kinds []drift.Kind
	for _, f := range got.Findings {
		kinds = append(kinds, f.Kind)
	}
	assert.Equal(t, []drift.Kind{drift.UnknownProperty, drift.UnknownProperty, drift.UnknownEnumValue, drift.MissingRequired}, kinds)
	assert.Equal(t, "/data/ewallets/0/fee_share", got.Findings[0].Pointer)
	assert.Equal(t, "/id", got.Findings[3].Pointer)
}

// setAt returns the example at file with the value at ptr (object members
// only) replaced: the drift a provider makes in every delivery.
func setAt(t *testing.T, file, ptr string, value any) []byte {
	t.Helper()
	body, err := fs.ReadFile(schemas.FS, file)
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(body, &doc))
	tokens := strings.Split(ptr[1:], "/")
	obj := doc
	for _, tok := range tokens[:len(tokens)-1] {
		obj = obj[tok].(map[string]any)
	}
	obj[tokens[len(tokens)-1]] = value
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

// Breaking scalar drift (a quoted amount, a null where none is allowed)
// and constraint violations on plain strings are judged by the fast engine
// itself, in the reference engine's words, instead of being handed over.
func TestFastEngineJudgesScalarDrift(t *testing.T) {
	fast, err := New(schemas.FS)
	require.NoError(t, err)
	reference, err := New(schemas.FS, WithEngine(Reference))
	require.NoError(t, err)
	const finmo = "finmo/examples/CHECKOUT_COMPLETED.json"
	const rapyd = "rapyd/examples/PAYMENT_COMPLETED.json"
	cases := []struct {
		body []byte
		kind drift.Kind
		msg  string
	}{
		{setAt(t, finmo, "/event_detail/amount", "6700"), drift.TypeMismatch, `expected number, got string "6700"`},
		{setAt(t, finmo, "/event_detail/amount", nil), drift.TypeMismatch, "null where not allowed: expected number"},
		{setAt(t, finmo, "/event_detail/amount", true), drift.TypeMismatch, "expected number, got boolean true"},
		{setAt(t, finmo, "/event_detail/org_id", 42), drift.TypeMismatch, "expected string, got number 42"},
		{setAt(t, finmo, "/event_detail/currency", "aud"), drift.ConstraintViolation, `string "aud" does not match pattern '^[A-Z]{3}$'`},
		{setAt(t, rapyd, "/trigger_operation_id", "op_1"), drift.ConstraintViolation, `string "op_1" is not a valid uuid`},
		{setAt(t, finmo, "/event_type", "PAYIN"), drift.ConstraintViolation, `expected "CHECKOUT", got string "PAYIN"`},
		{setAt(t, finmo, "/event_type", 7), drift.TypeMismatch, "expected string, got number 7"},
		{setAt(t, rapyd, "/data/amount", "6700"), drift.TypeMismatch, `expected number, got string "6700"`},
		{setAt(t, "adyentransfer/examples/balancePlatform.transfer.updated.json", "/data/amount/currency", "EURO"), drift.ConstraintViolation, "maxLength: length must be <= 3, but got 4"},
		{setAt(t, "adyentransfer/examples/balancePlatform.transfer.updated.json", "/data/amount/currency", "€"), drift.ConstraintViolation, "minLength: length must be >= 3, but got 1"},
	}
	for _, tc := range cases {
		got := fastDecides(t, fast, reference, tc.body, tc.msg)
		if assert.Len(t, got, 1, tc.msg) {
			assert.Equal(t, tc.kind, got[0].Kind)
			assert.Equal(t, tc.msg, got[0].Message)
		}
	}
}

// A union of objects that a property tells apart (Adyen's accountIdentification:
// sixteen variants, each with its own "type") is decided in the fast pass by
// that property; an object the tag does not place, or drift inside the
// variant, goes to the reference engine, and both engines agree.
func TestFastEngineDecidesATaggedUnion(t *testing.T) {
	fast, err := New(schemas.FS)
	require.NoError(t, err)
	reference, err := New(schemas.FS, WithEngine(Reference))
	require.NoError(t, err)
	body, err := fs.ReadFile(schemas.FS, "adyentransfer/examples/balancePlatform.transfer.updated.5.json")
	require.NoError(t, err)
	const iban = `"iban": "FR0000000000000000000000117",
          "type": "iban"`
	require.Contains(t, string(body), iban)
	cases := []struct {
		name, with string
		judged     bool
	}{
		{"the variant its tag names", iban, true},
		{"an unknown member in it", `"iban": "FR0000000000000000000000117", "bic": "X", "type": "iban"`, true},
		{"a tag no variant has", `"iban": "FR0000000000000000000000117", "type": "ibanV2"`, false},
		{"no tag", `"iban": "FR0000000000000000000000117"`, false},
		{"the tag of another variant", `"iban": "FR0000000000000000000000117", "type": "usLocal"`, false},
		{"the tag twice, differing", `"type": "usLocal", "iban": "FR0000000000000000000000117", "type": "iban"`, false},
		{"a required member missing", `"type": "iban"`, false},
	}
	for _, tc := range cases {
		p := Payload{Body: []byte(strings.Replace(string(body), iban, tc.with, 1))}
		got, judged, _ := fast.fastOf(p)
		assert.Equal(t, tc.judged, judged, tc.name)
		want := reference.Check(p)
		if judged {
			assert.Equal(t, want.Findings, got.Findings, tc.name)
		}
		assert.Equal(t, want, fast.Check(p), tc.name)
	}
}

// An enum that lists null too (what OpenAPI 3.0's nullable enum becomes,
// on every one of Stripe's) or booleans (Stripe's deleted: [true]) is the
// fast engine's to judge: null and the listed boolean pass, an unknown
// string is an unknown_enum_value, a number a type_mismatch, as the
// reference engine says; before, each such payload went to the reference
// engine, at ten to a hundred times the cost (Stripe's invoice.paid:
// 1.4 ms a check, 25 µs after). So is an unknown member of an object
// whose union (anyOf [object, null]) its kind decides.
func TestFastEngineJudgesNullableEnums(t *testing.T) {
	fsys := fstest.MapFS{
		"acme/acme.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema",
  "x-payhooks-provider": {"discriminator": {"in": "body", "pointer": "/type"}, "delivery_id": "/id"},
  "type": "object", "properties": {"id": {"type": "string"}, "type": {"type": "string"}}}`)},
		"acme/events/paid.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "x-payhooks-event": "paid",
  "$ref": "../acme.json", "properties": {"status": {"type": ["string", "null"], "enum": ["open", "paid", null]}, "deleted": {"type": "boolean", "enum": [true]},
    "gone": {"type": ["string", "null"], "enum": [null]},
    "pending": {"anyOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "null"}]}}}`)},
	}
	fast, err := New(fsys)
	require.NoError(t, err)
	reference, err := New(fsys, WithEngine(Reference))
	require.NoError(t, err)
	p := Payload{Body: []byte(`{"id": "1", "type": "paid", "deleted": false}`)}
	_, judged, _ := fast.fastOf(p)
	assert.False(t, judged, "a boolean the enum does not list: the reference engine words it")
	assert.Equal(t, drift.TypeMismatch, fast.Check(p).Findings[0].Kind)
	p = Payload{Body: []byte(`{"id": "1", "type": "paid", "pending": {"a": 5}}`)}
	_, judged, _ = fast.fastOf(p)
	assert.False(t, judged, "breaking drift inside a union: the reference engine words it")
	assert.Equal(t, reference.Check(p), fast.Check(p))
	for body, kinds := range map[string][]drift.Kind{
		`{"id": "1", "type": "paid", "status": null}`:   nil,
		`{"id": "1", "type": "paid", "status": "paid"}`: nil,
		`{"id": "1", "type": "paid", "status": "void"}`: {drift.UnknownEnumValue},
		`{"id": "1", "type": "paid", "status": 7}`:      {drift.TypeMismatch},
		`{"id": "1", "type": "paid", "deleted": true}`:  nil,
		// An enum of null alone lists no string.
		`{"id": "1", "type": "paid", "gone": null}`: nil,
		`{"id": "1", "type": "paid", "gone": "x"}`:  {drift.UnknownEnumValue},
		// A union whose one variant of the value's kind decides it
		// (Stripe's nullable objects): a member it does not declare.
		`{"id": "1", "type": "paid", "pending": {"a": "x", "b": 1}}`: {drift.UnknownProperty},
		`{"id": "1", "type": "paid", "pending": null}`:               nil,
	} {
		assert.Equal(t, kinds, kindsOf(fastDecides(t, fast, reference, []byte(body), body)), body)
	}
}

// An object with more than 64 required properties (Stripe's invoice marks
// about a hundred) is the fast engine's too: complete, it is judged clean,
// and a missing one is named as the reference engine names it.
func TestFastEngineTracksManyRequired(t *testing.T) {
	var props, required, full []string
	for i := range 100 {
		props = append(props, fmt.Sprintf(`"p%d": {"type": "integer"}`, i))
		required = append(required, fmt.Sprintf(`"p%d"`, i))
		full = append(full, fmt.Sprintf(`"p%d": %d`, i, i))
	}
	fsys := fstest.MapFS{
		"acme/acme.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema",
  "x-payhooks-provider": {"discriminator": {"in": "body", "pointer": "/type"}, "delivery_id": "/id"},
  "type": "object", "properties": {"id": {"type": "string"}, "type": {"type": "string"}}}`)},
		"acme/events/paid.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "x-payhooks-event": "paid",
  "$ref": "../acme.json", "properties": {"invoice": {"type": "object", "properties": {` + strings.Join(props, ", ") + `}, "required": [` + strings.Join(required, ", ") + `]}}}`)},
	}
	fast, err := New(fsys)
	require.NoError(t, err)
	reference, err := New(fsys, WithEngine(Reference))
	require.NoError(t, err)
	for _, invoice := range []string{strings.Join(full, ", "), strings.Join(full[:70], ", ") + ", " + strings.Join(full[71:], ", ")} {
		fastDecides(t, fast, reference, []byte(`{"id": "1", "type": "paid", "invoice": {`+invoice+`}}`), "")
	}
	got := fast.Check(Payload{Body: []byte(`{"id": "1", "type": "paid", "invoice": {` + strings.Join(full[:99], ", ") + `}}`)})
	require.Len(t, got.Findings, 1)
	assert.Equal(t, "/invoice/p99", got.Findings[0].Pointer)
}

// Expected members are tracked like required ones, up to maxRequired: an
// object of 100 expected members, one absent, is the fast engine's to judge
// (missing_expected, as the reference engine's walk words it), where a
// 64-bit set would lose the members past the 64th.
func TestFastEngineTracksManyExpected(t *testing.T) {
	var props, full []string
	for i := range 100 {
		props = append(props, fmt.Sprintf(`"p%d": {"type": "integer", "x-payhooks-expected": "every sample"}`, i))
		full = append(full, fmt.Sprintf(`"p%d": %d`, i, i))
	}
	fsys := fstest.MapFS{
		"acme/acme.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema",
  "x-payhooks-provider": {"discriminator": {"in": "body", "pointer": "/type"}, "delivery_id": "/id"},
  "type": "object", "properties": {"id": {"type": "string"}, "type": {"type": "string"}}}`)},
		"acme/events/paid.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "x-payhooks-event": "paid",
  "$ref": "../acme.json", "properties": {"invoice": {"type": "object", "properties": {` + strings.Join(props, ", ") + `}}}}`)},
	}
	fast, err := New(fsys)
	require.NoError(t, err)
	reference, err := New(fsys, WithEngine(Reference))
	require.NoError(t, err)
	for _, missing := range []int{-1, 3, 70, 99} {
		var invoice []string
		for i, member := range full {
			if i != missing {
				invoice = append(invoice, member)
			}
		}
		got := fastDecides(t, fast, reference, []byte(`{"id": "1", "type": "paid", "invoice": {`+strings.Join(invoice, ", ")+`}}`), fmt.Sprintf("missing p%d", missing))
		if missing >= 0 {
			require.Len(t, got, 1)
			assert.Equal(t, drift.MissingExpected, got[0].Kind)
			assert.Equal(t, fmt.Sprintf("/invoice/p%d", missing), got[0].Pointer)
		}
	}
}

// A union only one variant of which takes the value's kind (Stripe's
// nullable objects, anyOf [object, null]) is decided by that variant, and
// the trial of the union around it weighs what the variant says: the fast
// engine records there what the reference engine's walk places there too
// (an unknown or closed-out member, an absent expected one), hands over
// what the reference engine words from the schema engine's errors (a
// missing required member), and, inside another union's trial, a value the
// variant refuses rules that variant out instead of leaving the union
// undecided.
func TestFastEngineDecidesAUnionByTheValuesKind(t *testing.T) {
	fsys := fstest.MapFS{
		"acme/acme.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema",
  "x-payhooks-provider": {"discriminator": {"in": "body", "pointer": "/type"}, "delivery_id": "/id"},
  "type": "object", "properties": {"id": {"type": "string"}, "type": {"type": "string"}}}`)},
		"acme/events/paid.json": {Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "x-payhooks-event": "paid",
  "$ref": "../acme.json", "properties": {
    "pending": {"anyOf": [{"type": "object", "properties": {"a": {"type": "string"}, "b": {"type": "integer", "x-payhooks-expected": "every sample"}}, "required": ["a"]}, {"type": "null"}]},
    "closed": {"oneOf": [{"type": "object", "additionalProperties": false, "properties": {"a": {"type": "string"}}}, {"type": "null"}]},
    "code": {"oneOf": [{"anyOf": [{"type": "string", "enum": ["x"]}, {"type": "integer"}]}, {"type": "string", "enum": ["y"]}]}}}`)},
	}
	fast, err := New(fsys)
	require.NoError(t, err)
	reference, err := New(fsys, WithEngine(Reference))
	require.NoError(t, err)
	for body, kinds := range map[string][]drift.Kind{
		`{"id": "1", "type": "paid", "pending": {"a": "x", "b": 1}}`: nil,
		`{"id": "1", "type": "paid", "pending": {"a": "x"}}`:         {drift.MissingExpected},
		`{"id": "1", "type": "paid", "closed": {"a": "x", "z": 1}}`:  {drift.UnknownProperty},
		`{"id": "1", "type": "paid", "code": "x"}`:                   nil,
		`{"id": "1", "type": "paid", "code": "y"}`:                   nil,
		`{"id": "1", "type": "paid", "code": 5}`:                     nil,
	} {
		assert.Equal(t, kinds, kindsOf(fastDecides(t, fast, reference, []byte(body), body)), body)
	}
	for _, body := range []string{
		`{"id": "1", "type": "paid", "pending": {"b": 1}}`, // missing_required, inside the variant
		`{"id": "1", "type": "paid", "code": "z"}`,         // no variant takes it
		`{"id": "1", "type": "paid", "code": "\u0079"}`,    // an escaped string: undecided
	} {
		p := Payload{Body: []byte(body)}
		_, judged, _ := fast.fastOf(p)
		assert.False(t, judged, "the reference engine words it: %s", body)
		assert.Equal(t, reference.Check(p), fast.Check(p), body)
	}
	missing := fast.Check(Payload{Body: []byte(`{"id": "1", "type": "paid", "pending": {"b": 1}}`)})
	require.Len(t, missing.Findings, 1)
	assert.Equal(t, drift.MissingRequired, missing.Findings[0].Kind)
}

// A handler's check judges the body as the event the handler read, and
// reads no event of its own: given another event than the body names, it
// checks the body as that one.
func TestDriftCheckTakesTheHandlersEvent(t *testing.T) {
	v, err := New(schemas.FS)
	require.NoError(t, err)
	body, err := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	require.NoError(t, err)
	check := ForProvider(v, "rapyd")
	assert.Empty(t, check.Check("PAYMENT_COMPLETED", body))
	findings := check.Check("NO_SUCH_EVENT", body)
	require.Len(t, findings, 1)
	assert.Equal(t, drift.UnknownEvent, findings[0].Kind)
	assert.Contains(t, findings[0].Message, `"NO_SUCH_EVENT" is not in the schemas`, "the handler's event, not the body's")
}

// fastDecides requires the fast engine to judge body alone, and to find
// what the reference engine finds; it returns the findings (msg names the
// case in failures).
func fastDecides(t *testing.T, fast, reference *Validator, body []byte, msg string) []drift.Finding {
	t.Helper()
	p := Payload{Body: body}
	got, judged, _ := fast.fastOf(p)
	require.True(t, judged, "handed over: %s", msg)
	assert.Equal(t, reference.Check(p).Findings, got.Findings, msg)
	return got.Findings
}

// kindsOf is the kinds of findings, in order.
func kindsOf(findings []drift.Finding) []drift.Kind {
	var kinds []drift.Kind
	for _, f := range findings {
		kinds = append(kinds, f.Kind)
	}
	return kinds
}
