package stripebench

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook/drift"
)

// receiverEvents are the events docs/providers.md's recommended command
// generates: what a typical Stripe receiver handles.
var receiverEvents = []string{"payment_intent.succeeded", "charge.succeeded", "invoice.paid", "customer.subscription.updated", "checkout.session.completed"}

// Generated for five events (generate -events), the package has their
// types and no other event's, and embeds a document cut to them that
// still compiles: their fixture deliveries check as they do against the
// whole document (clean but for the fixture's one known drift), and a delivery of another event gets the one
// unknown_event an unknown event gets. (Its cold build is measured in
// docs/providers.md, not here: about a minute of CPU.)
func TestFiveEventsGenerateASubset(t *testing.T) {
	bin, err := payhooksBin()
	require.NoError(t, err)
	out := t.TempDir()
	cmd := exec.Command(bin, "generate", "-schemas", schemaDir, "-events", strings.Join(receiverEvents, ","), "-out", out)
	stdout, err := cmd.Output()
	var exit *exec.ExitError
	errors.As(err, &exit)
	require.NoError(t, err, "%s", exitStderr(exit))
	assert.Contains(t, string(stdout), "10 files in "+out, "an events.go, handler.go, openapi.go and schemas.go, a file per event and the document")
	pkg := filepath.Join(out, "stripe")
	assert.NoFileExists(t, filepath.Join(pkg, "customer_created.go"))
	assert.FileExists(t, filepath.Join(pkg, "invoice_paid.go"))
	var lines, types int
	sources, err := filepath.Glob(filepath.Join(pkg, "*.go"))
	require.NoError(t, err)
	for _, f := range sources {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		lines += bytes.Count(data, []byte("\n"))
		types += bytes.Count(data, []byte("\ntype "))
	}
	cut, err := os.ReadFile(filepath.Join(pkg, "schema", "stripe", "openapi.json"))
	require.NoError(t, err)
	t.Logf("five events: %d lines, %d types, an embedded document of %d bytes", lines, types, len(cut))
	var doc struct {
		Webhooks map[string]json.RawMessage `json:"webhooks"`
	}
	require.NoError(t, json.Unmarshal(cut, &doc))
	assert.Len(t, doc.Webhooks, len(receiverEvents))
	full, err := os.ReadFile(filepath.Join(schemaDir, "stripe", "openapi.json"))
	require.NoError(t, err)
	assert.Less(t, len(cut), len(full)*3/4, "the document is cut to what the five reach")

	v, err := validate.New(os.DirFS(filepath.Join(pkg, "schema")))
	require.NoError(t, err, "the cut document compiles: no reference left dangling")
	for _, event := range receiverEvents {
		r := v.Check(validate.Payload{Source: event, Body: oneDelivery(t, event)})
		assert.Equal(t, event, r.Event)
		for _, f := range r.Findings { // as against the whole document (TestEveryFixtureEndToEnd)
			assert.True(t, f.Kind == drift.UnknownProperty && f.Pointer == fixtureDrift, "%s: %s %s: %s", event, f.Kind, f.Pointer, f.Message)
		}
	}
	other := v.Check(validate.Payload{Source: "customer.created", Body: oneDelivery(t, "customer.created")})
	require.Len(t, other.Findings, 1)
	assert.Equal(t, drift.UnknownEvent, other.Findings[0].Kind)
	assert.Equal(t, drift.Warning, other.Findings[0].Severity)
}
