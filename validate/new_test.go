package validate_test

import (
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook/drift"
)

const provider = `{
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "title": "Acme", "description": "Acme webhooks.",
  "x-payhooks-provider": {"discriminator": {"in": "body", "pointer": "/type"}, "delivery_id": "/id"},
  "type": "object", "required": ["id", "type"],
  "properties": {"id": {"type": "string"}, "type": {"type": "string"}}
}`

func event(body string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "x-payhooks-event": "paid", ` + body + `}`)}
}

// Broken schemas fail at compile time with the file, the pointer and what is
// wrong, and nothing is fetched.
func TestNewRejectsBrokenSchemas(t *testing.T) {
	cases := map[string]struct {
		event *fstest.MapFile
		want  []string
	}{
		"remote ref": {
			event: event(`"$ref": "https://example.com/other.json"`),
			want:  []string{`compile event "paid" of "acme" (acme/events/paid.json#)`, `"https://example.com/other.json" leaves the schema folder`},
		},
		"ref leaving the folder": {
			event: event(`"$ref": "../../outside.json"`),
			want:  []string{`acme/events/paid.json`, `leaves the schema folder`},
		},
		"missing fragment": {
			event: event(`"$ref": "../acme.json#/$defs/nothing"`),
			want:  []string{`acme/events/paid.json`, `/$defs/nothing`},
		},
		"not a schema": {
			event: event(`"type": 12`),
			want:  []string{`acme/events/paid.json`, `/type`},
		},
		"no event name": {
			event: &fstest.MapFile{Data: []byte(`{"type": "object"}`)},
			want:  []string{`load provider "acme"`, `acme/events/paid.json: missing "x-payhooks-event"`},
		},
		"not JSON": {
			event: &fstest.MapFile{Data: []byte(`{"type": `)},
			want:  []string{`acme/events/paid.json`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{"acme/acme.json": {Data: []byte(provider)}, "acme/events/paid.json": tc.event}
			_, err := validate.New(fsys)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestNewAcceptsAUsersOwnProvider(t *testing.T) {
	fsys := fstest.MapFS{
		"acme/acme.json":        {Data: []byte(provider)},
		"acme/events/paid.json": event(`"$ref": "../acme.json", "properties": {"amount": {"type": "integer"}}`),
	}
	v, err := validate.New(fsys)
	require.NoError(t, err)
	r := v.Check(validate.Payload{Body: []byte(`{"id": "1", "type": "paid", "amount": "3"}`)})
	assert.Equal(t, "acme", r.Provider)
	assert.Equal(t, "paid", r.Event)
	require.Len(t, r.Findings, 1)
	assert.Equal(t, drift.Finding{Pointer: "/amount", Kind: drift.TypeMismatch, Severity: drift.Breaking, Message: `expected integer, got string "3"`, Line: 1}, r.Findings[0])
}
