package generator_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generator"
	"github.com/payhooks/payhooks/generator/load"
	"github.com/payhooks/payhooks/schemas"
)

// Generating some events of a JSON Schema provider writes their files
// only, and embeds only their schemas beside the root.
func TestGenerateChosenEventsOfAJSONSchemaProvider(t *testing.T) {
	files, err := generator.Generate(schemas.FS, generator.Options{Providers: []string{"rapyd"}, Events: []string{"PAYMENT_COMPLETED", "PAYMENT_CA*"}})
	require.NoError(t, err)
	assert.Equal(t, []string{
		"rapyd/events.go", "rapyd/handler.go", "rapyd/payment_canceled.go", "rapyd/payment_captured.go", "rapyd/payment_completed.go", "rapyd/rapyd.go",
		"rapyd/schema/rapyd/events/PAYMENT_CANCELED.json", "rapyd/schema/rapyd/events/PAYMENT_CAPTURED.json", "rapyd/schema/rapyd/events/PAYMENT_COMPLETED.json",
		"rapyd/schema/rapyd/rapyd.json", "rapyd/schemas.go",
	}, slices.Sorted(maps.Keys(files)))
	events := string(files["rapyd/events.go"])
	assert.Contains(t, events, "var Events = []EventName{EventPaymentCanceled, EventPaymentCaptured, EventPaymentCompleted}")
	assert.Contains(t, events, `It has 3 of the 8 events of its schemas, chosen with payhooks generate -events`)
	assert.NotContains(t, string(files["rapyd/handler.go"]), "OnPaymentFailed")
	assert.Contains(t, string(files["rapyd/schemas.go"]), `//go:embed "schema/rapyd/events/PAYMENT_COMPLETED.json"`)
	assert.NotContains(t, string(files["rapyd/schemas.go"]), "PAYMENT_FAILED")
	full, err := generator.Generate(schemas.FS, generator.Options{Providers: []string{"rapyd"}})
	require.NoError(t, err)
	assert.Equal(t, full["rapyd/schema/rapyd/rapyd.json"], files["rapyd/schema/rapyd/rapyd.json"], "files kept are copied byte for byte")
}

// An event file another kept file refers to stays embedded (its event
// then stays known to the drift check); one nothing refers to goes.
func TestChosenEventsKeepTheFilesTheyReferTo(t *testing.T) {
	root := `{"$schema": "https://json-schema.org/draft/2020-12/schema", "title": "acme",
	  "x-payhooks-provider": {"discriminator": {"in": "body", "pointer": "/type"}, "delivery_id": "/id", "signature": {"scheme": "ivy"}},
	  "type": "object", "properties": {"id": {"type": "string"}, "type": {"type": "string"}}}`
	event := func(name, extra string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte(`{"$schema": "https://json-schema.org/draft/2020-12/schema", "x-payhooks-event": "` + name + `", "$ref": "../acme.json",
		  "$defs": {"Card": {"type": "object", "properties": {"last4": {"type": "string"}}}},
		  "properties": {"card": {"$ref": "` + extra + `#/$defs/Card"}}}`)}
	}
	fsys := fstest.MapFS{
		"acme/acme.json":            {Data: []byte(root)},
		"acme/events/paid.json":     event("paid", ""),
		"acme/events/refunded.json": event("refunded", "paid.json"),
		"acme/events/failed.json":   event("failed", ""),
	}
	files, err := generator.Generate(fsys, generator.Options{Events: []string{"refunded"}})
	require.NoError(t, err)
	var embedded []string
	for name := range files {
		if rest, ok := strings.CutPrefix(name, "acme/schema/"); ok {
			embedded = append(embedded, rest)
		}
	}
	assert.ElementsMatch(t, []string{"acme/acme.json", "acme/events/paid.json", "acme/events/refunded.json"}, embedded)
	assert.Contains(t, string(files["acme/paid.go"]), "type Card struct", "the type refunded reaches, in the file of its schema")
	assert.NotContains(t, string(files["acme/paid.go"]), "PaidEvent", "the event referred to is embedded, not generated")
}

// Patterns that cannot be met are refused, naming the pattern, as an
// EventsError the CLI tells apart (a flag to fix, not a schema).
func TestChosenEventsErrors(t *testing.T) {
	for _, c := range []struct {
		opts generator.Options
		want string
	}{
		{generator.Options{Providers: []string{"finmo"}, Events: []string{"CHECKOUT_COMPLTED"}},
			`"CHECKOUT_COMPLTED" matches no event of provider "finmo" (its events: CHECKOUT_CANCELLED, CHECKOUT_COMPLETED, CHECKOUT_CREATED, CHECKOUT_EXPIRED)`},
		{generator.Options{Providers: []string{"adyenpayment"}, Events: []string{"balancePlatform.payment.created", "balancePlatform.nosuch.*"}},
			`"balancePlatform.nosuch.*" matches no event of provider "adyenpayment" (near: balancePlatform.incomingTransfer.created, balancePlatform.incomingTransfer.updated, balancePlatform.outgoingTransfer.created, balancePlatform.outgoingTransfer.updated, balancePlatform.payment.created, balancePlatform.payment.updated)`},
		{generator.Options{Providers: []string{"finmo"}, Events: []string{"CHECKOUT_*_X"}},
			`"CHECKOUT_*_X": "*" may only end a pattern (a prefix such as "payment_intent.*")`},
		{generator.Options{Providers: []string{"finmo"}, Events: []string{"CHECKOUT_CREATED", ""}},
			`an empty event name; list names separated by commas`},
		{generator.Options{Providers: []string{"finmo", "rapyd"}, Events: []string{"CHECKOUT_CREATED"}},
			`events are chosen for one provider at a time, not 2 (finmo, rapyd)`},
	} {
		_, err := generator.Generate(schemas.FS, c.opts)
		assert.EqualError(t, err, c.want)
		var chosen *load.EventsError
		assert.ErrorAs(t, err, &chosen)
	}
}
