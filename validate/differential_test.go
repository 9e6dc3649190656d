package validate_test

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/corpus"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
)

func engines(t testing.TB) (fast, reference *validate.Validator) {
	t.Helper()
	fast, err := validate.New(schemas.FS, validate.WithEngine(validate.Fast))
	require.NoError(t, err)
	reference, err = validate.New(schemas.FS, validate.WithEngine(validate.Reference))
	require.NoError(t, err)
	return fast, reference
}

// agreeOn fails, printing the input, when the engines differ on p.
func agreeOn(t *testing.T, fast, reference *validate.Validator, p validate.Payload) {
	t.Helper()
	f, r := fast.Check(p), reference.Check(p)
	if f.Provider != r.Provider || f.Event != r.Event || len(f.Findings) != len(r.Findings) {
		t.Fatalf("engines disagree on %q (path %q, provider %q, event %q):\nfast:      %+v\nreference: %+v", p.Body, p.Path, p.Provider, p.Event, f, r)
	}
	for i := range f.Findings {
		a, b := f.Findings[i], r.Findings[i]
		if a.Pointer != b.Pointer || a.Kind != b.Kind || a.Severity != b.Severity || a.Message != b.Message || a.Line != b.Line {
			t.Fatalf("engines disagree on %q:\nfast:      %+v\nreference: %+v", p.Body, f.Findings, r.Findings)
		}
	}
}

func TestEnginesAgreeOnTheCorpus(t *testing.T) {
	fast, reference := engines(t)
	for _, c := range corpus.Payloads(t, corpus.Examples, corpus.Drift) {
		for _, p := range []validate.Payload{
			{Body: c.Data},
			{Body: c.Data, Provider: "augustus"},
			{Body: c.Data, Path: "/api/service/webhook-event/checkout_session_completed"},
			{Body: c.Data, Provider: "rapyd", Event: "PAYMENT_FAILED"},
			{Body: c.Data, Line: 7},
		} {
			agreeOn(t, fast, reference, p)
		}
	}
}

// The table of TestFindingKinds, through both engines.
func TestEnginesAgreeOnEveryKindVariant(t *testing.T) {
	fast, reference := engines(t)
	for _, body := range kindVariants(t) {
		agreeOn(t, fast, reference, validate.Payload{Body: body})
		agreeOn(t, fast, reference, validate.Payload{Body: body, Path: "/api/service/webhook-event/checkout_session_completed"})
	}
}

// FuzzEnginesAgree mutates corpus payloads; any disagreement between the
// fast and the reference engine fails with the input.
func FuzzEnginesAgree(f *testing.F) {
	for _, c := range corpus.Payloads(f, corpus.Examples, corpus.Drift) {
		f.Add(c.Data, "")
	}
	f.Add([]byte(`{"type": "PAYMENT_COMPLETED", "id": "x", "data": {"id": "p", "amount": 1.0, "currency_code": "USD"}}`), "")
	f.Add([]byte(`{"type": "checkout.paid", "id": "e", "created_at": "2023-12-25 21:59:59", "data": {"id": "c", "amount": 1, "invoice_currency": "USD"}}`), "")
	f.Add([]byte(`{"type": "checkout.paid", "id": "e", "created_at": 1, "new": {"x": [1]}, "data": {"id": "c", "amount": 1, "invoice_currency": "USD", "payment_status": "refunded", "customer_details": {"phone": {"ext": "1"}}}}`), "")
	// Scalar drift the fast engine words itself: a quoted amount, a null,
	// a pattern, format and const each refused.
	f.Add([]byte(`{"type": "PAYMENT_COMPLETED", "id": "x", "data": {"id": "p", "amount": "1", "currency_code": "usd", "created_at": null}}`), "")
	f.Add([]byte(`{"event_type": "PAYIN", "event_name": "CHECKOUT_COMPLETED", "event_detail": {"amount": true, "currency": "AU", "created_at": "2022-13-20T13:16:11Z"}}`), "")
	// Adyen's tagged unions and string lengths.
	f.Add([]byte(`{"type": "balancePlatform.transfer.updated", "environment": "test", "data": {"amount": {"currency": "EURO", "value": 1}, "categoryData": {"type": "internal"}, "counterparty": {"bankAccount": {"accountIdentification": {"type": "iban", "type": "usLocal", "iban": "X"}}}}}`), "")
	fast, reference := engines(f)
	f.Fuzz(func(t *testing.T, body []byte, path string) {
		agreeOn(t, fast, reference, validate.Payload{Body: body, Path: path})
	})
}

// The event is read the way a decoder reads it: a name written with an
// escape ("\u0074ype" is "type") counts, and the last of repeated names
// wins (the fast engine refuses a body with a repeated name, and the
// reference engine reads it as webhook.Addressing.Member does).
func TestEnginesAgreeOnAnEscapedDiscriminatorName(t *testing.T) {
	fast, reference := engines(t)
	paid, err := fs.ReadFile(schemas.FS, "tazapay/examples/checkout.paid.json")
	require.NoError(t, err)
	open := strings.TrimSuffix(strings.TrimSpace(string(paid)), "}")
	for suffix, want := range map[string]string{
		`, "\u0074ype": "checkout.expired"}`:                          "checkout.expired",
		`, "\u0074ype": "checkout.expired", "type": "checkout.paid"}`: "checkout.paid",
		`, "t\u0079pe": "checkout.created"}`:                          "checkout.created",
	} {
		body := []byte(open + suffix)
		agreeOn(t, fast, reference, validate.Payload{Body: body})
		assert.Equal(t, want, reference.Check(validate.Payload{Body: body}).Event, suffix)
	}
}

// Adyen's tagged unions, varied systematically: each tag set to every
// other variant's value, to an unknown one, removed, repeated; a member of
// the variant removed, changed in type, or added. The engines agree on
// every variation.
func TestEnginesAgreeOnTaggedUnions(t *testing.T) {
	fast, reference := engines(t)
	tags := []string{"iban", "usLocal", "ukLocal", "numberAndBic", "sgLocal", "bank", "internal", "issuedCard", "platformPayment", "nope", ""}
	matched, varied := 0, 0
	require.NoError(t, fs.WalkDir(schemas.FS, "adyentransfer/examples", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		body, err := fs.ReadFile(schemas.FS, p)
		require.NoError(t, err)
		text := string(body)
		for _, m := range regexp.MustCompile(`"type": "(iban|bank|internal|issuedCard|platformPayment|usLocal|ukLocal)"`).FindAllStringIndex(text, -1) {
			matched++
			tag := text[m[0]:m[1]]
			var variants []string
			for _, other := range tags {
				variants = append(variants, text[:m[0]]+`"type": "`+other+`"`+text[m[1]:])
			}
			variants = append(variants,
				text[:m[0]]+`"kind": "x"`+text[m[1]:],                                   // no tag
				text[:m[0]]+`"type": "usLocal", `+tag+text[m[1]:],                       // repeated, last wins
				text[:m[0]]+tag+`, "type": "usLocal"`+text[m[1]:],                       // repeated, other last
				text[:m[0]]+tag+`, "extra": {"a": [1]}`+text[m[1]:],                     // unknown member
				text[:m[0]]+tag+`, "iban": 7`+text[m[1]:],                               // a member of the wrong type
				text[:m[0]]+`"type": 1`+text[m[1]:],                                     // a tag of the wrong type
				text[:m[0]]+`"t\u0079pe": "`+strings.Split(tag, `"`)[3]+`"`+text[m[1]:], // an escaped name
			)
			for _, v := range variants {
				varied++
				agreeOn(t, fast, reference, validate.Payload{Body: []byte(v)})
				agreeOn(t, fast, reference, validate.Payload{Body: []byte(v), Provider: "adyentransfer", Event: "balancePlatform.transfer.updated"})
			}
		}
		return nil
	}))
	assert.Positive(t, matched)
	t.Logf("%d tags varied into %d payloads", matched, varied)
}
