package importer

import (
	"encoding/json"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generator"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
)

var acme = Options{Name: "acme", Signature: webhook.Scheme{Name: webhook.SchemeStripe}}

// A document that describes its events as tagged component schemas, under
// an extension name of its own, imports with no flag: each decision
// printed with its reason and the flag that overrides it, one webhook per
// tagged schema (the envelope with the discriminator pinned and the
// tagged schema applied at the payload's member), pruned to what the
// events reach.
func TestComponentEventsFoundWithoutFlags(t *testing.T) {
	r, err := Import(read(t, "components.json"), acme)
	require.NoError(t, err)
	assert.Equal(t, []string{"order.created", "order.shipped", "refund.created"}, r.Events)
	notes := strings.Join(r.Notes, "\n")
	for _, want := range []string{
		"events: the 3 component schemas tagged x-acmeEvent, an extension naming the event each carries (-event-extension to choose another)",
		"envelope: #/components/schemas/notification, the one component schema with a top-level property listing every tagged event (-envelope to choose another)",
		"payload /payload/resource: the envelope's payload declares what the tagged schemas declare (resource), so they describe it, and /payload/resource is the one member every one of them requires (-payload to choose another)",
		"1 event the envelope's /kind lists no component describes: order.archived; deliveries of them are unknown events (acknowledged, reported)",
		"pruned to what the events reach: 13 of 15 components kept; the API's paths (1 operation) dropped, payhooks reads deliveries only",
		"discriminator /kind: the body property whose const or enum names each webhook",
		"delivery id /id: a top-level string of every webhook's body, named like an id",
	} {
		assert.Contains(t, notes, want)
	}
	doc := imported(t, r, "acme/openapi.json")
	assert.NotContains(t, doc, "paths")
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	assert.NotContains(t, schemas, "invoice", "no event reaches it")
	assert.NotContains(t, schemas, "notification", "each event's schema holds the envelope's members")
	body := schemas["notification.refund.created"].(map[string]any)
	assert.Equal(t, "#/components/schemas/notification.refund.created",
		doc["webhooks"].(map[string]any)["refund.created"].(map[string]any)["post"].(map[string]any)["requestBody"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)["$ref"])
	props := body["properties"].(map[string]any)
	assert.Equal(t, map[string]any{"type": "string", "enum": []any{"refund.created"}}, props["kind"])
	assert.Equal(t, map[string]any{"allOf": []any{
		map[string]any{"$ref": "#/components/schemas/notification_payload"},
		map[string]any{"$ref": "#/components/schemas/refund.created"},
	}}, props["payload"])
	assert.Equal(t, "An order was placed.", schemas["notification.order.created"].(map[string]any)["description"], "the tagged schema describes its event")

	// The folder validates deliveries and generates Go: a union for the
	// resource of refund.created, an id-or-object union for the
	// expandable customer, which may be null.
	v := validator(t, r)
	for payload, findings := range map[string]int{
		`{"id": "n1", "kind": "order.created", "payload": {"resource": {"id": "o1", "object": "order", "customer": null}}}`:                                                0,
		`{"id": "n2", "kind": "order.created", "payload": {"resource": {"id": "o1", "object": "order", "customer": {"id": "c1", "object": "customer", "deleted": true}}}}`: 0,
		`{"id": "n3", "kind": "refund.created", "payload": {"resource": {"id": "c1", "object": "credit", "balance": 5}}}`:                                                  0,
		`{"id": "n4", "kind": "order.shipped", "payload": {"resource": {"id": 7, "object": "order", "customer": "cus_1"}}}`:                                                1,
	} {
		res := check(v, payload)
		assert.Len(t, res.Findings, findings, "%s: %+v", payload, res.Findings)
	}
	all := strings.Join(generate(t, r), "\n")
	for _, want := range []string{
		"type RefundCreatedEvent struct",
		"type OrderCustomer struct {\n\t// Name",    // the component's name
		"type OrderCustomer2 struct {\n\t// String", // the inline union gives way
		"Customer *Customer",
		"if kind == webhookimpl.KindObject {", // the union of a union takes object once
		"Resource RefundCreatedEventPayloadResource",
		"Deleted *bool",
		"Metadata map[string]string",
	} {
		assert.True(t, strings.Contains(all, want), "the generated Go has %q", want)
	}
}

// Each decision can be given instead of found, and a wrong one is refused
// with what to pass.
func TestComponentEventFlags(t *testing.T) {
	doc := read(t, "components.json")
	given := acme
	given.EventExtension, given.Envelope, given.Payload = "x-acmeEvent", "notification", "/payload/resource"
	r, err := Import(doc, given)
	require.NoError(t, err)
	assert.Equal(t, []string{"order.created", "order.shipped", "refund.created"}, r.Events)
	assert.Contains(t, r.Notes, "events: the 3 component schemas tagged x-acmeEvent (given)")
	assert.Contains(t, r.Notes, "envelope: #/components/schemas/notification, given")
	assert.Contains(t, r.Notes, "payload /payload/resource: given; the tagged schemas apply at /payload")
	for _, tc := range []struct {
		opts Options
		want string
	}{
		{Options{EventExtension: "x-resourceId"}, `no component schema has a top-level property naming every event tagged x-resourceId by enum or const; pass -envelope (and -discriminator)`},
		{Options{EventExtension: "x-nothing"}, `-event-extension "x-nothing": no component schema carries it with an event name`},
		{Options{Envelope: "order"}, `-envelope "order": no top-level property of it names every tagged event by enum or const; pass -discriminator`},
		{Options{Envelope: "nowhere"}, `-envelope "nowhere": no such component schema`},
		{Options{Payload: "/body"}, `-payload "/body": the envelope has no member "body"`},
		{Options{Payload: "data"}, `-payload "data": give a JSON pointer into the envelope, such as /data/object`},
	} {
		opts := tc.opts
		opts.Name, opts.Signature = acme.Name, acme.Signature
		_, err := Import(doc, opts)
		assert.ErrorContains(t, err, tc.want)
	}
	// Two schemas that could each be the envelope: refused, naming both.
	var twice map[string]any
	require.NoError(t, json.Unmarshal(doc, &twice))
	schemas := twice["components"].(map[string]any)["schemas"].(map[string]any)
	schemas["notification_v2"] = schemas["notification"]
	data, err := json.Marshal(twice)
	require.NoError(t, err)
	_, err = Import(data, acme)
	assert.ErrorContains(t, err, "(x-acmeEvent: envelope notification, discriminator /kind; x-acmeEvent: envelope notification_v2, discriminator /kind); pass -event-extension, -envelope and -discriminator")
	_, err = Import([]byte(`{"openapi": "3.0.0", "paths": {}}`), acme)
	assert.ErrorContains(t, err, "#/webhooks: the document declares no webhooks (3.1 webhooks, or 3.0 x-webhooks), and no component schemas that could stand for events")
}

// An older version of the document that tags no event takes them from a
// newer one: those whose resources it describes.
func TestComponentEventsFromAnotherDocument(t *testing.T) {
	var older map[string]any
	require.NoError(t, json.Unmarshal(read(t, "components.json"), &older))
	schemas := older["components"].(map[string]any)["schemas"].(map[string]any)
	for _, key := range []string{"order.created", "order.shipped", "refund.created", "refund"} {
		delete(schemas, key)
	}
	data, err := json.Marshal(older)
	require.NoError(t, err)
	_, err = Import(data, acme)
	require.Error(t, err, "no tags of its own")
	opts := acme
	opts.EventsFrom = read(t, "components.json")
	r, err := Import(data, opts)
	require.NoError(t, err)
	assert.Equal(t, []string{"order.created", "order.shipped"}, r.Events)
	assert.Contains(t, r.Notes, "events: taken from the other document (this one tags none): 2 of 3, those whose resources this document describes")
	assert.Contains(t, r.Notes, "left out, their resources not in this document: refund.created")
}

// Fixtures give each event an example: the envelope's sample with the
// event, the first of its resources that has a sample, and an id of its
// own; an event none of whose resources has a sample gets none, and the
// examples validate clean.
func TestComponentEventFixtures(t *testing.T) {
	opts := acme
	opts.Fixtures = read(t, "components-fixtures.json")
	r, err := Import(read(t, "components.json"), opts)
	require.NoError(t, err)
	assert.Contains(t, r.Notes, "examples: 3 of 3 events from the fixtures: the envelope's sample with the event, its resource's sample at /payload/resource and a delivery id of its own")
	created, shipped := r.Files["acme/examples/order.created.json"], r.Files["acme/examples/order.shipped.json"]
	var c, s map[string]any
	require.NoError(t, json.Unmarshal(created, &c))
	require.NoError(t, json.Unmarshal(shipped, &s))
	assert.Equal(t, "order.shipped", s["kind"])
	assert.Equal(t, map[string]any{"resource": map[string]any{"id": "ord_1", "object": "order", "customer": "cus_1", "note": nil, "metadata": map[string]any{"channel": "web"}}}, s["payload"])
	assert.Regexp(t, `^ntf_[0-9a-f]{12}$`, s["id"])
	assert.NotEqual(t, c["id"], s["id"], "each example a delivery of its own")
	assert.JSONEq(t, `{"resource": {"id": "crd_1", "object": "credit", "balance": 500}}`, mustJSON(t, imported(t, &Result{Files: map[string][]byte{"x": r.Files["acme/examples/refund.created.json"]}}, "x")["payload"]), "refund has no sample: the union's next resource")
	v := validator(t, r)
	for _, name := range []string{"acme/examples/order.created.json", "acme/examples/order.shipped.json", "acme/examples/refund.created.json"} {
		assert.Empty(t, check(v, string(r.Files[name])).Findings, name)
	}
	noEnvelope := Options{Name: "acme", Signature: acme.Signature, Fixtures: []byte(`{"resources": {"order": {}}}`)}
	_, err = Import(read(t, "components.json"), noEnvelope)
	assert.ErrorContains(t, err, `the fixtures have no sample of the envelope "notification"`)
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	data, err := json.Marshal(v)
	require.NoError(t, err)
	return string(data)
}

// fsOf is an import's files as a schema folder.
func fsOf(r *Result) fstest.MapFS {
	fsys := fstest.MapFS{}
	for p, content := range r.Files {
		fsys[p] = &fstest.MapFile{Data: content}
	}
	return fsys
}

func validator(t *testing.T, r *Result) *validate.Validator {
	t.Helper()
	v, err := validate.New(fsOf(r))
	require.NoError(t, err)
	return v
}

func check(v *validate.Validator, payload string) validate.Result {
	return v.Check(validate.Payload{Source: "payload.json", Body: []byte(payload)})
}

// generate returns the Go the import generates, a file a string.
func generate(t *testing.T, r *Result) []string {
	t.Helper()
	files, err := generator.Generate(fsOf(r), generator.Options{})
	require.NoError(t, err)
	var out []string
	for _, content := range files {
		out = append(out, string(content))
	}
	return out
}
