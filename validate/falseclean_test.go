package validate

import (
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook/drift"
)

// checkBoth runs a payload through a schema on both engines, requires them
// to agree on each finding's kind, severity and pointer, and returns the
// reference engine's findings.
func checkBoth(t *testing.T, schema, body string) []drift.Finding {
	t.Helper()
	v, err := suiteValidator([]byte(schema))
	require.NoError(t, err, schema)
	p := Payload{Provider: "suite", Event: "case", Body: []byte(body)}
	fast, reference := v.Check(p).Findings, v.referenceOf(p).Findings
	require.Equal(t, findingKeys(reference), findingKeys(fast), "%s with %s: the engines disagree:\nfast:      %+v\nreference: %+v", schema, body, fast, reference)
	return reference
}

// Each payload here the schema refuses; the fast engine once called every
// one of them clean, where the reference engine reported drift.
func TestFastEngineNeverCallsRefusedPayloadsClean(t *testing.T) {
	for _, tc := range []struct {
		name, schema, body string
		want               []string // kind severity pointer
	}{
		// A string enum or const without "type" takes no object or array.
		{"const, an array", `{"properties": {"s": {"const": "a"}}}`, `{"s": ["a"]}`, []string{"constraint_violation warning /s"}},
		{"const, an object", `{"properties": {"s": {"const": "a"}}}`, `{"s": {"x": 1}}`, []string{"constraint_violation warning /s"}},
		{"enum, an object", `{"properties": {"s": {"enum": ["a", "b"]}}}`, `{"s": {"x": 1}}`, []string{"type_mismatch breaking /s"}},
		{"enum inside a union", `{"oneOf": [{"enum": ["a"]}, {"type": "integer"}]}`, `[1]`, []string{"type_mismatch breaking "}},
		// A union's siblings still apply.
		{"pattern beside anyOf", `{"pattern": "^z", "anyOf": [{"type": "string"}, {"type": "integer"}]}`, `"abc"`, []string{"constraint_violation warning "}},
		{"enum beside oneOf", `{"enum": ["x", "y"], "oneOf": [{"type": "string"}, {"type": "null"}]}`, `"q"`, []string{"unknown_enum_value warning "}},
		{"maxLength beside oneOf", `{"maxLength": 1, "oneOf": [{"type": "string"}, {"type": "null"}]}`, `"ab"`, []string{"constraint_violation warning "}},
		{"format beside anyOf", `{"format": "date-time", "anyOf": [{"type": "string"}, {"type": "null"}]}`, `"soon"`, []string{"constraint_violation warning "}},
		// A oneOf variant the fast engine cannot judge may fit too.
		{"oneOf, a keyword it hands over", `{"oneOf": [{"type": "integer"}, {"type": "integer", "minimum": 5}]}`, `7`, []string{"type_mismatch breaking "}},
		{"oneOf, an escaped string", `{"oneOf": [{"type": "string"}, {"type": "string", "pattern": "^a"}]}`, `"\u0061bc"`, []string{"type_mismatch breaking "}},
		// A leap second passes the date-time format but no time.Time holds
		// it, so the variant the generated types read as time.Time does not
		// fit: the pattern's variant alone does, on both engines.
		{"oneOf, a leap second", `{"oneOf": [{"type": "string", "format": "date-time"}, {"type": "string", "pattern": "^2016"}]}`, `"2016-12-31T23:59:60Z"`, []string{}},
		{"oneOf, a date-time two variants hold", `{"oneOf": [{"type": "string", "format": "date-time"}, {"type": "string", "pattern": "^2016"}]}`, `"2016-12-31T23:59:59Z"`, []string{"type_mismatch breaking "}},
		// additionalProperties applies to every member its own schema does
		// not declare.
		{"additionalProperties, a member $ref declares", `{"$ref": "#/$defs/a", "additionalProperties": {"type": "boolean"}, "$defs": {"a": {"properties": {"foo": {}}}}}`, `{"foo": 1}`, []string{"type_mismatch breaking /foo"}},
		{"additionalProperties, a member allOf declares", `{"allOf": [{"properties": {"foo": {"type": "integer"}}}], "additionalProperties": {"type": "boolean"}}`, `{"foo": 1}`, []string{"type_mismatch breaking /foo"}},
		{"additionalProperties, a member only required names", `{"required": ["foo"], "additionalProperties": {"type": "boolean"}}`, `{"foo": 1}`, []string{"type_mismatch breaking /foo"}},
		// An empty enum matches nothing (the engine alone would take anything).
		{"empty enum", `{"properties": {"s": {"enum": []}}}`, `{"s": "a"}`, []string{"unknown_enum_value warning /s"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, findingKeys(checkBoth(t, tc.schema, tc.body)))
		})
	}
}

// Where the verdict is the same, so are the findings: a schema whose type
// refuses the value says nothing of the enum its $ref leads to, on either
// engine.
func TestEnginesGiveOneFindingForATypeBesideARef(t *testing.T) {
	got := checkBoth(t, `{"properties": {"s": {"$ref": "#/$defs/e", "type": "string"}}, "$defs": {"e": {"enum": ["a", "b"]}}}`, `{"s": 1}`)
	require.Len(t, got, 1)
	assert.Equal(t, drift.TypeMismatch, got[0].Kind)
	assert.Equal(t, "expected string, got number 1", got[0].Message)
}

// The members additionalProperties: false closes out are reported one by
// one, in pointer order, the same on every run (the engine's own message
// lists them in map order).
func TestClosedOutMembersAreReportedInOrder(t *testing.T) {
	for range 20 {
		got := checkBoth(t, `{"properties": {"a": {}}, "additionalProperties": false}`, `{"z": 1, "y": 2, "a": 0, "x": 3}`)
		assert.Equal(t, []string{"unknown_property info /x", "unknown_property info /y", "unknown_property info /z"}, findingKeys(got))
		assert.Equal(t, `property "x" is not in the schema, which closes the object to other members`, got[0].Message)
	}
}

// The bundled case: Tazapay's data.object is a const without a type; an
// object there is drift the default engine reports.
func TestTazapayObjectInPlaceOfItsConstIsReported(t *testing.T) {
	v, err := New(schemas.FS)
	require.NoError(t, err)
	body, err := fs.ReadFile(schemas.FS, "tazapay/examples/checkout.paid.json")
	require.NoError(t, err)
	const from = `"object": "checkout"`
	require.Contains(t, string(body), from)
	drifted := []byte(strings.Replace(string(body), from, `"object": {"x": 1}`, 1))
	r := v.Check(Payload{Body: drifted})
	found := false
	for _, f := range r.Findings {
		found = found || f.Pointer == "/data/object" && f.Kind == drift.ConstraintViolation
	}
	assert.Equal(t, v.referenceOf(Payload{Body: drifted}).Findings, r.Findings)
	assert.True(t, found, "constraint_violation /data/object")
}

// The keywords Stripe's document leans on (an enum holding null or
// booleans, more required names than a word has bits) keep the fast
// engine's verdicts honest when they meet the cases above.
func TestStripeShapedKeywordsNeverCallRefusedPayloadsClean(t *testing.T) {
	many := make([]string, 70)
	for i := range many {
		many[i] = `"m` + strconv.Itoa(i) + `"`
	}
	required := `{"type": "object", "required": [` + strings.Join(many, ",") + `]}`
	for _, tc := range []struct {
		name, schema, body string
		want               []string
	}{
		{"enum with null, an object", `{"properties": {"s": {"enum": ["a", null]}}}`, `{"s": {"x": 1}}`, []string{"type_mismatch breaking /s"}},
		{"enum with null, null", `{"properties": {"s": {"enum": ["a", null]}}}`, `{"s": null}`, []string{}},
		{"enum with null beside anyOf", `{"enum": ["a", null], "anyOf": [{"type": "string"}, {"type": "null"}]}`, `"q"`, []string{"unknown_enum_value warning "}},
		// The contract's unknown_enum_value is "a string outside a documented
		// enum"; any other value outside it is a type the schema never sends.
		{"enum of booleans, a string", `{"properties": {"b": {"enum": [true]}}}`, `{"b": "true"}`, []string{"unknown_enum_value warning /b"}},
		{"enum of booleans, the other one", `{"properties": {"b": {"enum": [true]}}}`, `{"b": false}`, []string{"type_mismatch breaking /b"}},
		{"seventy required, the last missing", required, `{` + strings.Join(withValues(many[:69]), ",") + `}`, []string{"missing_required breaking /m69"}},
		{"seventy required, all there", required, `{` + strings.Join(withValues(many), ",") + `}`, []string{}},
		{"seventy required, additionalProperties beside", strings.TrimSuffix(required, "}") + `, "additionalProperties": {"type": "boolean"}}`, `{"m0": 1,` + strings.Join(withValues(many[1:]), ",") + `}`, []string{"type_mismatch breaking /m0"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.want, findingKeys(checkBoth(t, tc.schema, tc.body)))
		})
	}
}

func withValues(names []string) []string {
	members := make([]string, len(names))
	for i, n := range names {
		members[i] = n + `: true`
	}
	return members
}
