package infer

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/webhook"
)

func schemaOf(t *testing.T, docs ...string) string {
	t.Helper()
	n := New()
	for _, doc := range docs {
		dec := json.NewDecoder(bytes.NewReader([]byte(doc)))
		dec.UseNumber()
		var v any
		require.NoError(t, dec.Decode(&v))
		n.Add(v)
	}
	data, err := json.Marshal(n.Schema())
	require.NoError(t, err)
	return string(data)
}

func TestSchemaFromSamples(t *testing.T) {
	for _, tc := range []struct {
		docs []string
		want string
	}{
		{[]string{`"a"`, `"b"`}, `{"type":"string"}`},
		{[]string{`"a"`, `null`}, `{"type":["string","null"]}`},
		{[]string{`1`, `2.5`}, `{"type":"number"}`},
		// Several types: a oneOf the generator makes a union of.
		{[]string{`1`, `"x"`}, `{"oneOf":[{"type":"string"},{"type":"integer"}]}`},
		{[]string{`{"a": 1}`, `"2023-11-14T22:13:20Z"`, `null`}, `{"oneOf":[{"type":"object","required":["a"],"properties":{"a":{"type":"integer"}}},{"type":"string","format":"date-time"},{"type":"null"}]}`},
		{[]string{`"2023-11-14T22:13:20Z"`, `"2023-11-14T22:13:20.5+01:00"`}, `{"type":"string","format":"date-time"}`},
		{[]string{`"2023-12-25 21:59:59"`}, `{"type":"string","x-payhooks-timestamp":"2006-01-02 15:04:05"}`},
		{[]string{`"11fc3c4a-d938-48aa-b8fd-c00b8f180b7f"`}, `{"type":"string","format":"uuid"}`},
		{[]string{`"a@b.example"`}, `{"type":"string","format":"email"}`},
		{[]string{`"https://x.example/a"`}, `{"type":"string","format":"uri"}`},
		{[]string{`1700000000`, `1700000100`}, `{"type":"integer","x-payhooks-timestamp":"unix-seconds"}`},
		{[]string{`1700000000000`}, `{"type":"integer","x-payhooks-timestamp":"unix-milliseconds"}`},
		{[]string{`17`}, `{"type":"integer"}`},
		{[]string{`{"a": 1, "b": "x"}`, `{"a": 2}`}, `{"type":"object","required":["a"],"properties":{"a":{"type":"integer"},"b":{"type":"string"}}}`},
		{[]string{`[{"a": true}, {"a": false, "c": null}]`}, `{"type":"array","items":{"type":"object","required":["a"],"properties":{"a":{"type":"boolean"},"c":{"type":"null"}}}}`},
		{[]string{`[]`}, `{"type":"array"}`},
	} {
		assert.Equal(t, tc.want, schemaOf(t, tc.docs...), "%v", tc.docs)
	}
}

// The guesses, each with the reason printed to the user.
func TestScaffoldGuesses(t *testing.T) {
	samples := []Sample{
		{"a.json", []byte(`{"event_id": "e1", "event_name": "PAID", "event_type": "CHECKOUT", "data": {"x": 1}}`)},
		{"b.json", []byte(`{"event_id": "e2", "event_name": "FAILED", "event_type": "CHECKOUT", "data": {"x": 2}}`)},
		{"c.json", []byte(`{"event_id": "e3", "event_name": "PAID", "event_type": "CHECKOUT", "data": {"x": 3}}`)},
	}
	p, err := Scaffold(SamplesOf(samples), ProviderOptions{Name: "shop", Signature: webhook.Scheme{Name: "ivy"}})
	require.NoError(t, err)
	assert.Contains(t, p.Notes[0], "discriminator /event_name", "more values than event_type, both named like events")
	assert.Contains(t, p.Notes[1], "delivery id /event_id")
	assert.Contains(t, p.Notes[2], "subject /data: the largest member that is an object in every sample")
	assert.Contains(t, string(p.Files["shop/shop.json"]), `"subject": "/data"`)
	assert.Contains(t, p.Notes, `envelope: "data", "event_id", "event_name", "event_type", which every sample has in one shape`)
	assert.Contains(t, p.Files, "shop/examples/PAID.2.json")

	_, err = Scaffold(SamplesOf(samples[:1]), ProviderOptions{Name: "shop", Signature: webhook.Scheme{Name: "ivy"}, Discriminator: "/data"})
	assert.EqualError(t, err, "a.json: -discriminator /data is not a string there")
	// An event name that cannot name a file gets a hashed one.
	p, err = Scaffold(SamplesOf([]Sample{{"x.json", []byte(`{"type": "../up", "id": "1"}`)}}), ProviderOptions{Name: "shop", Signature: webhook.Scheme{Name: "ivy"}})
	require.NoError(t, err)
	assert.Contains(t, p.Files, "shop/events/up~"+catalog.HashedBase("../up")[3:]+".json")
	_, err = Scaffold(SamplesOf([]Sample{{"x.json", []byte(`{"type": "", "id": "1"}`)}}), ProviderOptions{Name: "shop", Signature: webhook.Scheme{Name: "ivy"}, Discriminator: "/type"})
	assert.EqualError(t, err, `x.json: the discriminator /type is empty: no event to name; pass -discriminator`)
	_, err = Scaffold(SamplesOf([]Sample{{"x.json", []byte(`{"a": 1} {"a": 2}`)}}), ProviderOptions{Name: "shop", Signature: webhook.Scheme{Name: "ivy"}})
	assert.ErrorContains(t, err, "x.json: more than one JSON value")
}

// An object place with more than MaxProperties names, most of them in
// few objects, is a map: its rare names fold into one additionalProperties
// schema, and what the node keeps stays bounded however many keys come.
func TestNodeFoldsAMap(t *testing.T) {
	n := New()
	for i := range 5000 {
		n.Add(map[string]any{"amount": json.Number("1"), "metadata": map[string]any{fmt.Sprintf("order_%d", i): "x"}, fmt.Sprintf("k_%d", i): json.Number("2")})
	}
	names, always := n.Properties()
	assert.Equal(t, []string{"amount", "metadata"}, names, "the fields stay, the keys fold")
	assert.True(t, always["amount"])
	require.NotNil(t, n.Extra())
	assert.Equal(t, 5000, n.Extra().Seen(), "every key's value")
	data, err := json.Marshal(n.Schema())
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"object","required":["amount","metadata"],"properties":{
		"amount":{"type":"integer"},
		"metadata":{"type":"object","additionalProperties":{"type":"string"}}},
		"additionalProperties":{"type":"integer"}}`, string(data))
	metadata := n.Property("metadata")
	names, _ = metadata.Properties()
	assert.Empty(t, names)

	// A wide object whose every name is in every object is a struct.
	wide := New()
	for range 3 {
		doc := map[string]any{}
		for i := range 2 * MaxProperties {
			doc[fmt.Sprintf("f%d", i)] = true
		}
		wide.Add(doc)
	}
	names, _ = wide.Properties()
	assert.Len(t, names, 2*MaxProperties)
	assert.Nil(t, wide.Extra())
}
