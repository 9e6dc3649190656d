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
	"github.com/payhooks/payhooks/webhook/drift"
)

// mutate loads a bundled example and changes it: set puts value at ptr
// (creating the last token), del removes ptr.
func mutate(t *testing.T, example string, edits ...func(doc any)) []byte {
	t.Helper()
	data, err := fs.ReadFile(schemas.FS, example)
	require.NoError(t, err)
	var doc any
	require.NoError(t, json.Unmarshal(data, &doc))
	for _, e := range edits {
		e(doc)
	}
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

func parent(doc any, ptr string) (map[string]any, string) {
	i := strings.LastIndexByte(ptr, '/')
	p, ok := jsonpointer.Get(doc, ptr[:i])
	if !ok {
		panic("no parent for " + ptr)
	}
	return p.(map[string]any), jsonpointer.Unescape(ptr[i+1:])
}

func set(ptr string, value any) func(any) {
	return func(doc any) { m, k := parent(doc, ptr); m[k] = value }
}

func del(ptr string) func(any) {
	return func(doc any) { m, k := parent(doc, ptr); delete(m, k) }
}

type want struct {
	pointer string
	kind    drift.Kind
}

// kindVariants are the bodies of TestFindingKinds' table.
func kindVariants(t *testing.T) [][]byte {
	t.Helper()
	var out [][]byte
	for _, tc := range kindCases(t) {
		out = append(out, tc.body)
	}
	return out
}

type kindCase struct {
	name     string
	body     []byte
	path     string
	provider string
	event    string
	want     []want
	message  string
}

func TestFindingKinds(t *testing.T) {
	v := bundled(t)
	for _, tc := range kindCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			r := v.Check(validate.Payload{Source: "x.json", Body: tc.body, Path: tc.path, Provider: tc.provider, Event: tc.event})
			var got []want
			for _, f := range r.Findings {
				got = append(got, want{f.Pointer, f.Kind})
				assert.Equal(t, f.Kind.Severity(), f.Severity)
			}
			assert.Equal(t, tc.want, got, "findings: %+v", r.Findings)
			if tc.message != "" && assert.NotEmpty(t, r.Findings) {
				assert.Contains(t, r.Findings[0].Message, tc.message)
			}
		})
	}
}

func kindCases(t *testing.T) []kindCase {
	t.Helper()
	const (
		finmo    = "finmo/examples/CHECKOUT_COMPLETED.json"
		finmoCx  = "finmo/examples/CHECKOUT_CANCELLED.json"
		rapyd    = "rapyd/examples/PAYMENT_COMPLETED.json"
		tazapay  = "tazapay/examples/checkout.paid.json"
		attempt  = "tazapay/examples/payment_attempt.created.json"
		augustus = "augustus/examples/checkout_session_completed.json"
	)
	return []kindCase{
		{name: "union no variant fits", body: mutate(t, finmo, set("/event_detail/associated_payin_id", "payin_1")),
			want:    []want{{"/event_detail/associated_payin_id", drift.TypeMismatch}},
			message: `no variant of the union fits: expected object or array or null, got string "payin_1"`},
		{name: "a null union, as Finmo sends empty fields", body: mutate(t, finmo, set("/event_detail/associated_payin_id", nil))},
		{name: "union variant chosen by kind reports inside it", body: mutate(t, finmoCx, set("/event_detail/associated_payin_id/au_bank_npp", 5)),
			want: []want{{"/event_detail/associated_payin_id/au_bank_npp", drift.TypeMismatch}}},
		{name: "null where not allowed", body: mutate(t, rapyd, set("/data/amount", nil)),
			want: []want{{"/data/amount", drift.TypeMismatch}}, message: "null where not allowed: expected number"},
		{name: "string where a number belongs", body: mutate(t, rapyd, set("/data/amount", "997")),
			want: []want{{"/data/amount", drift.TypeMismatch}}, message: `expected number, got string "997"`},
		{name: "unknown enum value", body: mutate(t, rapyd, set("/data/status", "PEN")),
			want: []want{{"/data/status", drift.UnknownEnumValue}}},
		{name: "enum of the wrong type is a type mismatch only", body: mutate(t, rapyd, set("/data/status", 3)),
			want: []want{{"/data/status", drift.TypeMismatch}}},
		{name: "unknown enum value in a payment attempt", body: mutate(t, attempt, set("/data/status", "refunded")),
			want: []want{{"/data/status", drift.UnknownEnumValue}}},
		{name: "open list is not an enum", body: mutate(t, tazapay, set("/data/status", "archived"))},
		{name: "extra nested property", body: mutate(t, tazapay, set("/data/customer_details/phone/extension", "12")),
			want: []want{{"/data/customer_details/phone/extension", drift.UnknownProperty}}},
		{name: "extra top-level property", body: mutate(t, rapyd, set("/livemode", false)),
			want: []want{{"/livemode", drift.UnknownProperty}}},
		{name: "free-form metadata takes anything", body: mutate(t, finmo, set("/event_detail/metadata/new-key", map[string]any{"x": 1}))},
		{name: "missing type (Augustus, detected from the path)", body: mutate(t, augustus, del("/type")),
			path: "/api/service/webhook-event/checkout_session_completed",
			want: []want{{"/type", drift.MissingRequired}}},
		{name: "missing delivery id", body: mutate(t, finmo, del("/webhook_notification_id")),
			want: []want{{"/webhook_notification_id", drift.MissingRequired}}},
		{name: "missing delivery id", body: mutate(t, tazapay, del("/id")),
			want: []want{{"/id", drift.MissingRequired}}},
		{name: "missing amount: no document requires it", body: mutate(t, tazapay, del("/data/amount"))},
		{name: "missing amount, which every documented Rapyd payment shows", body: mutate(t, rapyd, del("/data/amount")),
			want: []want{{"/data/amount", drift.MissingExpected}}, message: `property "amount" is missing, which every documented sample shows (R-canceled)`},
		{name: "missing subject: no document requires it, no consumer can act without it", body: mutate(t, rapyd, del("/data")),
			want: []want{{"/data", drift.MissingRequired}}},
		{name: "a payload missing its discriminator", body: mutate(t, rapyd, del("/type")),
			want: []want{{"/type", drift.MissingRequired}}},
		{name: "a discriminator of another type", body: mutate(t, rapyd, set("/type", 7)),
			want: []want{{"/type", drift.TypeMismatch}}, message: "expected string, got number 7"},
		{name: "an Augustus payload missing its discriminator", body: mutate(t, augustus, del("/type")),
			want: []want{{"/type", drift.MissingRequired}}, message: `required property "type" is missing: it names the event`},
		{name: "unknown event", body: mutate(t, finmo, set("/event_name", "CHECKOUT_REFUNDED")),
			want: []want{{"/event_name", drift.UnknownEvent}}},
		{name: "unknown Augustus event in the body, whatever the path", body: mutate(t, augustus, set("/type", "checkout_session_paid")),
			path: "/api/service/webhook-event/checkout_session_completed",
			want: []want{{"/type", drift.UnknownEvent}}},
		{name: "an Augustus type that names nothing: not the path's event", body: mutate(t, augustus, set("/type", 5)),
			path: "/api/service/webhook-event/checkout_session_completed",
			want: []want{{"/type", drift.TypeMismatch}}, message: "expected string (the event name), got number 5"},
		{name: "unknown Augustus event in the path of a body naming none", body: mutate(t, augustus, del("/type")),
			path: "/api/service/webhook-event/checkout_session_paid",
			want: []want{{"/type", drift.UnknownEvent}}},
		{name: "format", body: mutate(t, rapyd, set("/trigger_operation_id", "op_1")),
			want: []want{{"/trigger_operation_id", drift.ConstraintViolation}}, message: `string "op_1" is not a valid uuid`},
		{name: "a date-time time.Time cannot hold", body: mutate(t, finmo, set("/created_at", "yesterday")),
			want: []want{{"/created_at", drift.TypeMismatch}}, message: `expected RFC 3339 date-time, got string "yesterday"`},
		{name: "a leap second, valid RFC 3339 that time.Time cannot hold", body: mutate(t, finmo, set("/created_at", "2016-12-31T23:59:60Z")),
			want: []want{{"/created_at", drift.TypeMismatch}}, message: `expected RFC 3339 date-time, got string "2016-12-31T23:59:60Z" (second out of range)`},
		{name: "a lower-case t and z: the same instant", body: mutate(t, finmo, set("/created_at", "2016-12-31t23:59:59z"))},
		{name: "an integer past int64", body: mutate(t, tazapay, set("/data/amount", json.Number("99999999999999999999"))),
			want: []want{{"/data/amount", drift.TypeMismatch}}, message: "expected integer that fits 64 bits, got number 99999999999999999999"},
		{name: "an integer past int64, spelled with an exponent", body: mutate(t, tazapay, set("/data/amount", json.Number("1e19"))),
			want: []want{{"/data/amount", drift.TypeMismatch}}, message: "expected integer that fits 64 bits, got number 1e19"},
		{name: "an integer with an exponent that fits", body: mutate(t, tazapay, set("/data/amount", json.Number("6.7e3")))},
		{name: "Tazapay created_at: a date that does not exist", body: mutate(t, tazapay, set("/created_at", "2023-02-30 21:59:59")),
			want: []want{{"/created_at", drift.TypeMismatch}}},
		{name: "pattern", body: mutate(t, rapyd, set("/data/currency_code", "usd")),
			want: []want{{"/data/currency_code", drift.ConstraintViolation}}},
		{name: "const", body: mutate(t, tazapay, set("/object", "evt")),
			want: []want{{"/object", drift.ConstraintViolation}}},
		{name: "Tazapay created_at in every documented shape: seconds", body: mutate(t, tazapay, set("/created_at", 958793503))},
		{name: "Tazapay created_at: date and time", body: mutate(t, tazapay, set("/created_at", "2023-12-25 21:59:59"))},
		{name: "Tazapay created_at: neither", body: mutate(t, tazapay, set("/created_at", "Dec 25")),
			want: []want{{"/created_at", drift.TypeMismatch}}},
		{name: "not JSON", body: []byte("<html>502 Bad Gateway</html>"),
			want: []want{{"", drift.InvalidJSON}}},
		{name: "truncated", body: []byte(`{"type": "PAYMENT_COMPLETED", "data": {`),
			want: []want{{"", drift.InvalidJSON}}, message: "truncated"},
		{name: "invalid UTF-8", body: []byte("{\"type\": \"PAYMENT_COMPLETED\", \"x\": \"\xff\"}"),
			want: []want{{"", drift.InvalidJSON}}, message: "invalid UTF-8 at byte 36"},
		{name: "trailing garbage", body: []byte(`{"a": 1} {"b": 2}`),
			want: []want{{"", drift.InvalidJSON}}},
		{name: "duplicate key", body: []byte(strings.Replace(string(mutate(t, rapyd)), `"type":"PAYMENT_COMPLETED"`, `"type":"PAYMENT_COMPLETED","type":"PAYMENT_FAILED"`, 1)),
			want: []want{{"/type", drift.DuplicateKey}}},
		{name: "huge number keeps its digits", body: mutate(t, rapyd, set("/data/amount", json.Number("1"+strings.Repeat("0", 400))))},
		{name: "huge number where a string belongs", body: mutate(t, rapyd, set("/data/id", json.Number("1"+strings.Repeat("0", 400)))),
			want: []want{{"/data/id", drift.TypeMismatch}}},
		{name: "number beyond math/big", body: mutate(t, rapyd, set("/data/created_at", json.Number("1e999999999"))),
			want: []want{{"/data/created_at", drift.InvalidJSON}}, message: "number 1e999999999 is out of the range"},
		{name: "provider override with a wrong event", body: mutate(t, rapyd), provider: "rapyd", event: "PAYMENT_FAILED",
			want: []want{{"/type", drift.ConstraintViolation}}},
	}
}

func TestDeepNestingIsAFindingNotACrash(t *testing.T) {
	v := bundled(t)
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	r := v.Check(validate.Payload{Body: []byte(`{"type": "PAYMENT_COMPLETED", "data": ` + deep + `}`)})
	require.Len(t, r.Findings, 1)
	assert.Equal(t, drift.InvalidJSON, r.Findings[0].Kind)
	assert.Contains(t, r.Findings[0].Message, "exceeded max depth")
}

func TestSeverityOrder(t *testing.T) {
	assert.True(t, drift.Breaking.AtLeast(drift.Warning))
	assert.True(t, drift.Warning.AtLeast(drift.Warning))
	assert.False(t, drift.Info.AtLeast(drift.Warning))
	_, err := drift.ParseSeverity("fatal")
	assert.EqualError(t, err, `unknown severity "fatal" (want breaking, warning or info)`)
}
