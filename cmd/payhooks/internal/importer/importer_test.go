package importer

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/webhook"
)

func read(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return data
}

func imported(t *testing.T, r *Result, name string) map[string]any {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(r.Files[name], &doc))
	return doc
}

func TestImport31(t *testing.T) {
	r, err := Import(read(t, "shop31.json"), Options{Name: "shop", Signature: webhook.Scheme{Name: webhook.SchemeAdyenHMAC}})
	require.NoError(t, err)
	assert.Equal(t, []string{"order.created", "order.paid"}, r.Events)
	doc := imported(t, r, "shop/openapi.json")
	assert.Equal(t, map[string]any{
		"name": "shop", "title": "Shop webhooks",
		"discriminator": map[string]any{"in": "body", "pointer": "/type"},
		"delivery_id":   "/id",
		"subject":       "/order",
		"signature":     map[string]any{"scheme": "adyen-hmac"},
	}, doc["x-payhooks-provider"])
	// Closedness is the document's: kept, to tell union variants apart.
	assert.Equal(t, false, doc["components"].(map[string]any)["schemas"].(map[string]any)["Order"].(map[string]any)["additionalProperties"])
	assert.Contains(t, r.Notes, "discriminator /type: the body property whose const or enum names each webhook (not marked required everywhere; payhooks reads it anyway)")
	assert.Contains(t, r.Notes, "subject /order: the object every webhook carries; structural, like the discriminator (absent, it is breaking drift)")
	assert.Contains(t, strings.Join(r.Notes, "\n"), "additionalProperties: false in 2 schemas (first #/components/schemas/Order) kept")
	// Examples given by reference, inline, and as example.
	assert.JSONEq(t, `{"id": "ev_1", "type": "order.created", "order": {"id": "o1", "total": 9.5}}`, string(r.Files["shop/examples/order.created.json"]))
	assert.JSONEq(t, `{"id": "ev_2", "type": "order.created", "order": {"id": "o2", "total": 3}}`, string(r.Files["shop/examples/order.created.2.json"]))
	assert.Contains(t, r.Files, "shop/examples/order.paid.json")
}

func TestImport30YAML(t *testing.T) {
	r, err := Import(read(t, "shop30.yaml"), Options{Name: "shop", Signature: webhook.Scheme{Name: webhook.SchemeIvy}})
	require.NoError(t, err)
	doc := imported(t, r, "shop/openapi.json")
	assert.Equal(t, "3.1.0", doc["openapi"])
	assert.NotContains(t, doc, "x-webhooks")
	assert.Contains(t, doc["webhooks"], "refund.created")
	assert.Contains(t, string(r.Files["shop/openapi.json"]), `"null"`)
	assert.NotContains(t, string(r.Files["shop/openapi.json"]), "nullable")
	assert.Equal(t, "/kind", doc["x-payhooks-provider"].(map[string]any)["discriminator"].(map[string]any)["pointer"])
	assert.Equal(t, "/eventId", doc["x-payhooks-provider"].(map[string]any)["delivery_id"])
	assert.JSONEq(t, `{"eventId": "r1", "kind": "refund.created", "reason": null}`, string(r.Files["shop/examples/refund.created.json"]))
	// The inline request schema gets a component, so its event type a name.
	assert.Contains(t, r.Notes, "inline request schemas moved to components/schemas, so each event type has a name: RefundCreatedRequest")
	assert.Equal(t, "#/components/schemas/RefundCreatedRequest",
		doc["webhooks"].(map[string]any)["refund.created"].(map[string]any)["post"].(map[string]any)["requestBody"].(map[string]any)["content"].(map[string]any)["application/json"].(map[string]any)["schema"].(map[string]any)["$ref"])
}

// What the importer cannot express is refused with the document pointer.
func TestImportRefusals(t *testing.T) {
	opts := Options{Name: "shop", Signature: webhook.Scheme{Name: webhook.SchemeIvy}}
	for doc, want := range map[string]string{
		`{"openapi": "2.0"}`:               `#/openapi: version "2.0"`,
		`{"openapi": "3.1.0", "info": {}}`: "#/webhooks: the document declares no webhooks",
		`{"openapi": "3.1.0", "webhooks": {"a": {"post": {"requestBody": {"$ref": "other.json#/x"}}}}}`:                                         "#/webhooks/a/post/requestBody/$ref: a reference to another file",
		`{"openapi": "3.1.0", "webhooks": {"a": {"get": {}}}}`:                                                                                  "#/webhooks/a: no post operation",
		`{"openapi": "3.1.0", "webhooks": {"a": {"post": {}}}}`:                                                                                 "#/webhooks/a/post: no requestBody",
		`{"openapi": "3.1.0", "webhooks": {"a": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}}}}}`: "pass -discriminator",
		`{"openapi": "3.0.0", "paths": {}}`:                                                                                                     "#/webhooks: the document declares no webhooks (3.1 webhooks, or 3.0 x-webhooks), and no component schemas",
		`openapi: [`:                                                                                                                            "read the document as YAML",
		`[]`:                                                                                                                                    "the document is not an object",
	} {
		_, err := Import([]byte(doc), opts)
		require.Error(t, err, doc)
		assert.Contains(t, err.Error(), want, doc)
	}
	_, err := Import(read(t, "shop31.json"), Options{Name: "shop", Signature: webhook.Scheme{Name: webhook.SchemeIvy}, Discriminator: "type"})
	assert.ErrorContains(t, err, `-discriminator "type": give a top-level property as a pointer`)
}

// FuzzImport: on any document the importer answers, never panics.
func FuzzImport(f *testing.F) {
	for _, name := range []string{"shop31.json", "shop30.yaml", "components.json"} {
		data, err := os.ReadFile("testdata/" + name)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte(`{"openapi": "3.1.0", "webhooks": {"a": {"$ref": "#/webhooks/a"}}}`))
	opts := Options{Name: "shop", Signature: webhook.Scheme{Name: webhook.SchemeIvy}}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Import(data, opts)
		if err == nil {
			require.Contains(t, r.Files, "shop/openapi.json")
		}
	})
}

// A webhook whose body does not name it (Adyen's Management document:
// terminalAssignment.completed has no type) is named: found, the import
// stops and says which; given -discriminator, the notes say plainly that
// it cannot be routed.
func TestImportNamesTheWebhooksThatCannotBeRouted(t *testing.T) {
	var doc map[string]any
	require.NoError(t, json.Unmarshal(read(t, "shop31.json"), &doc))
	doc["webhooks"].(map[string]any)["terminal.done"] = map[string]any{"post": map[string]any{
		"requestBody": map[string]any{"content": map[string]any{"application/json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Terminal"}}}},
		"responses":   map[string]any{"200": map[string]any{"description": "OK"}},
	}}
	doc["components"].(map[string]any)["schemas"].(map[string]any)["Terminal"] = map[string]any{
		"type": "object", "required": []any{"id"}, "properties": map[string]any{"id": map[string]any{"type": "string"}},
	}
	data, err := json.Marshal(doc)
	require.NoError(t, err)

	_, err = Import(data, Options{Name: "shop", Signature: webhook.Scheme{Name: webhook.SchemeAdyenHMAC}})
	require.Error(t, err)
	assert.Equal(t, "no body property names every webhook by const or enum; the closest, /type, names 2 of 3, not: terminal.done (its body has no type); pass -discriminator /type to import anyway (those webhooks cannot be routed), or another pointer", err.Error())

	r, err := Import(data, Options{Name: "shop", Signature: webhook.Scheme{Name: webhook.SchemeAdyenHMAC}, Discriminator: "/type"})
	require.NoError(t, err)
	assert.Contains(t, r.Notes, "WARNING: 1 webhook cannot be routed: terminal.done (its body has no type)")
	assert.Contains(t, r.Notes, "events: 3 webhooks (order.created, order.paid, terminal.done)")

	// One webhook is "1 webhook".
	one, err := Import(read(t, "shop30.yaml"), Options{Name: "shop", Signature: webhook.Scheme{Name: webhook.SchemeIvy}})
	require.NoError(t, err)
	assert.Contains(t, one.Notes, "events: 1 webhook (refund.created)")
}

// Of several body properties that name every webhook, the one whose name
// says it names the event is the discriminator (package guess ranks names
// for init and import alike); two such still need -discriminator. The
// delivery id is the string whose name alone says it identifies the
// delivery, never an order's id.
func TestImportGuessesByName(t *testing.T) {
	doc := func(props string) []byte {
		return []byte(`{"openapi": "3.1.0", "info": {"title": "t", "version": "1"}, "webhooks": {"paid": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object", "properties": {` + props + `, "data": {"type": "object", "properties": {"a": {"type": "string"}}}}}}}}}}}}`)
	}
	opts := Options{Name: "shop", Signature: webhook.Scheme{Name: webhook.SchemeIvy}}
	r, err := Import(doc(`"object": {"const": "paid"}, "event_type": {"const": "paid"}, "order_id": {"type": "string"}, "delivery_id": {"type": "string"}`), opts)
	require.NoError(t, err)
	ext := imported(t, r, "shop/openapi.json")["x-payhooks-provider"].(map[string]any)
	assert.Equal(t, "/event_type", ext["discriminator"].(map[string]any)["pointer"])
	assert.Equal(t, "/delivery_id", ext["delivery_id"])
	assert.Equal(t, "/data", ext["subject"])

	_, err = Import(doc(`"type": {"const": "paid"}, "kind": {"const": "paid"}, "id": {"type": "string"}`), opts)
	assert.ErrorContains(t, err, "several body properties name every webhook by const or enum (kind, type); pass -discriminator")
	_, err = Import(doc(`"type": {"const": "paid"}, "order_id": {"type": "string"}`), opts)
	assert.ErrorContains(t, err, "no top-level string property of every webhook is named like a delivery id")
}
