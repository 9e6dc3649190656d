package generated_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generated/tazapay"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
)

// withMember returns body with the member at a top-level or second-level
// pointer set to the raw JSON value.
func withMember(t *testing.T, body []byte, ptr, raw string) []byte {
	t.Helper()
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(body, &doc))
	names := strings.Split(strings.TrimPrefix(ptr, "/"), "/")
	if len(names) == 1 {
		doc[names[0]] = json.RawMessage(raw)
	} else {
		var inner map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(doc[names[0]], &inner))
		inner[names[1]] = json.RawMessage(raw)
		doc[names[0]] = must(json.Marshal(inner))
	}
	return must(json.Marshal(doc))
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// One rule for what the generated types hold, in validate and in the
// handler: a value the types cannot hold is a breaking finding in validate
// (both engines) and a 400 from the handler, every time; drift that loses
// nothing is a breaking finding too, but decodes and is acknowledged; a
// value validate passes always decodes. Before, 99999999999999999999 was
// clean in validate and refused by tazapay.Parse forever, and a leap second
// or a lower-case "t" passed validate and failed the handler.
func TestValidateAndHandlerAgreeOnWhatTheTypesHold(t *testing.T) {
	const (
		clean    = "clean"    // no finding, decodes, 200
		lossless = "lossless" // a breaking finding, decodes, 200
		lost     = "lost"     // a breaking finding, does not decode, 400
	)
	cases := []struct{ pointer, value, want string }{
		{"/data/amount", `6700`, clean},
		{"/data/amount", `6700.0`, clean},
		{"/data/amount", `6.7e3`, clean},
		{"/data/amount", `9223372036854775807`, clean},
		{"/data/amount", `-9223372036854775808`, clean},
		{"/data/amount", `"6700"`, lossless},
		{"/data/amount", `"6.7e3"`, lossless},
		{"/data/amount", `99999999999999999999`, lost},
		{"/data/amount", `9223372036854775808`, lost},
		{"/data/amount", `-9223372036854775809`, lost},
		{"/data/amount", `1e19`, lost},
		{"/data/amount", `1e400`, lost},
		{"/data/amount", `"99999999999999999999"`, lost},
		{"/data/amount", `67.5`, lost},
		{"/data/amount", `"67,00"`, lost},
		{"/data/amount", `null`, lossless}, // optional: nil, and written back as null
		{"/data/expiry_at", `1703541601`, clean},
		{"/data/expiry_at", `1e30`, lost},
		{"/data/expires_at", `"2023-12-25T22:00:01.538212317Z"`, clean},
		{"/data/expires_at", `"2023-12-25t22:00:01z"`, clean},
		{"/data/expires_at", `"2023-12-25T22:00:01+05:30"`, clean},
		{"/data/expires_at", `"2016-12-31T23:59:60Z"`, lost},
		{"/data/expires_at", `"2023-02-30T22:00:01Z"`, lost},
		{"/data/expires_at", `"yesterday"`, lost},
		{"/data/expires_at", `1703541601`, lost},
		{"/created_at", `"2023-12-25 21:59:59"`, clean},
		{"/created_at", `"2023-12-25T21:59:59z"`, clean},
		{"/created_at", `958793503`, clean},
		{"/created_at", `"2023-02-30 21:59:59"`, lost},
		{"/created_at", `"2016-12-31T23:59:60Z"`, lost},
		{"/created_at", `1e400`, lost},
	}
	example, err := schemas.FS.Open("tazapay/examples/checkout.paid.json")
	require.NoError(t, err)
	var original json.RawMessage
	require.NoError(t, json.NewDecoder(example).Decode(&original))
	var engines []*validate.Validator
	for _, e := range []validate.Engine{validate.Fast, validate.Reference} {
		v, err := validate.New(schemas.FS, validate.WithEngine(e))
		require.NoError(t, err)
		engines = append(engines, v)
	}
	p := providers()[2]
	require.Equal(t, "tazapay", p.name)
	for _, tc := range cases {
		body := withMember(t, original, tc.pointer, tc.value)
		at := tc.pointer + " = " + tc.value

		var breaking []drift.Finding
		for i, v := range engines {
			r := v.Check(validate.Payload{Source: "case.json", Body: body})
			var here []drift.Finding
			for _, f := range r.Findings {
				if f.Severity == drift.Breaking {
					here = append(here, f)
				}
			}
			if i == 0 {
				breaking = here
			} else {
				assert.Equal(t, breaking, here, "%s: the engines disagree", at)
			}
		}
		_, parseErr := tazapay.Parse(body)
		rec := &recorder{}
		var heard []drift.Finding
		h := p.build(t, rec, quiet(), webhook.WithDriftHook(func(_ context.Context, _ webhook.Delivery, f []drift.Finding) { heard = f }))
		w := serve(h, p.request(t, p.path, body, &p.secrets))

		switch tc.want {
		case clean:
			assert.Empty(t, breaking, at)
			assert.NoError(t, parseErr, at)
			assert.Equal(t, http.StatusOK, w.Code, "%s: %s", at, w.Body)
		case lossless:
			assert.NotEmpty(t, breaking, at)
			assert.NoError(t, parseErr, at)
			assert.Equal(t, http.StatusOK, w.Code, "%s: acknowledged: %s", at, w.Body)
			assert.NotEmpty(t, heard, "%s: the drift hook hears of it", at)
		case lost:
			if assert.NotEmpty(t, breaking, "%s: validate must say what the handler refuses", at) {
				assert.Equal(t, tc.pointer, breaking[0].Pointer, at)
			}
			assert.Error(t, parseErr, at)
			assert.Equal(t, http.StatusBadRequest, w.Code, "%s: %s", at, w.Body)
			assert.Zero(t, rec.count(), at)
		}
	}
}
