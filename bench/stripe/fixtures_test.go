package stripebench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/bench/stripe/stripe"
	"github.com/payhooks/payhooks/generator/load"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
)

// The documents make stripe-import writes (from stripe-mock v0.203.0) and
// the provider folder payhooks schemas import made of them.
const (
	specFile     = ".docs/spec3.beta.sdk.json"
	fixturesFile = ".docs/fixtures3.beta.json"
	olderFile    = ".docs/spec3.beta.sdk.v0.162.0.json"
	schemaDir    = "schemas"
)

// delivery is one event built from Stripe's fixtures: the fixture of the
// envelope (event), its type set to the event and its data.object to the
// fixture of one resource the event carries.
type delivery struct {
	event, resource string
	body            []byte
}

// stripeData is what the tests read of the document and the fixtures,
// once per test binary.
var stripeData = sync.OnceValues(func() (*fixtureSet, error) {
	var spec struct {
		Components struct {
			Schemas map[string]struct {
				Event      *struct{ Type string } `json:"x-stripeEvent"`
				Properties map[string]struct {
					Ref   string `json:"$ref"`
					AnyOf []struct {
						Ref string `json:"$ref"`
					} `json:"anyOf"`
				} `json:"properties"`
			} `json:"schemas"`
		} `json:"components"`
	}
	var fixtures struct {
		Resources map[string]json.RawMessage `json:"resources"`
	}
	for file, v := range map[string]any{specFile: &spec, fixturesFile: &fixtures} {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("%w (make stripe-import writes it)", err)
		}
		if err := json.Unmarshal(data, v); err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
	}
	set := &fixtureSet{resources: map[string][]string{}, fixtures: fixtures.Resources}
	for _, s := range spec.Components.Schemas {
		if s.Event == nil {
			continue
		}
		object := s.Properties["object"]
		refs := []string{object.Ref}
		if object.Ref == "" {
			refs = nil
			for _, v := range object.AnyOf {
				refs = append(refs, v.Ref)
			}
		}
		for _, ref := range refs {
			set.resources[s.Event.Type] = append(set.resources[s.Event.Type], strings.TrimPrefix(ref, "#/components/schemas/"))
		}
	}
	return set, nil
})

type fixtureSet struct {
	resources map[string][]string // event → the resources its data.object may be
	fixtures  map[string]json.RawMessage
}

// deliveries builds every event of every resource that has a fixture,
// each with a delivery id of its own; the events none of whose
// resources has one are returned apart.
func (s *fixtureSet) deliveries(t testing.TB) (out []delivery, without []string) {
	for _, event := range slices.Sorted(maps.Keys(s.resources)) {
		built := false
		for _, resource := range s.resources[event] {
			object, ok := s.fixtures[resource]
			if !ok {
				continue
			}
			out = append(out, delivery{event, resource, s.build(t, event, object, fmt.Sprintf("evt_%d", len(out)+1))})
			built = true
		}
		if !built {
			without = append(without, event)
		}
	}
	return out, without
}

// build is the envelope's fixture with the event, the object and the id.
func (s *fixtureSet) build(t testing.TB, event string, object json.RawMessage, id string) []byte {
	var envelope map[string]any
	require.NoError(t, json.Unmarshal(s.fixtures["event"], &envelope))
	envelope["id"], envelope["type"] = id, event
	envelope["data"] = map[string]any{"object": object}
	body, err := json.Marshal(envelope)
	require.NoError(t, err)
	return body
}

// fixtureDrift is where Stripe's own fixtures and Stripe's own document
// disagree: the subscription fixture's pending_update carries
// cancel_at_period_end, which the document's subscriptions_resource_pending_update
// does not declare. An unknown_property (info) is what payhooks reports,
// for every event carrying a subscription; nothing else may differ.
const fixtureDrift = "/data/object/pending_update/cancel_at_period_end"

// Every event whose object has a fixture, each resource of a union in
// turn: it validates with the right event detected on both engines (clean
// but for the fixture drift above), decodes into its generated type and
// encodes back to the same JSON, and the generated handler answers 200 to
// a Stripe-signed delivery (its callback called once with that type), 401
// to a forged one and 401 to one signed outside the 300 s window.
func TestEveryFixtureEndToEnd(t *testing.T) {
	set, err := stripeData()
	require.NoError(t, err)
	deliveries, without := set.deliveries(t)
	events := map[string]bool{}
	for _, d := range deliveries {
		events[d.event] = true
	}
	t.Logf("%d events, %d with a fixture (%d deliveries, unions counted once per resource); without: %v", len(set.resources), len(events), len(deliveries), without)
	require.GreaterOrEqual(t, len(events), 296, "the events whose object has a fixture")

	var engines []*validate.Validator
	for _, e := range []validate.Engine{validate.Fast, validate.Reference} {
		v, err := validate.New(os.DirFS(schemaDir), validate.WithEngine(e))
		require.NoError(t, err)
		engines = append(engines, v)
	}

	now := time.Unix(1_800_000_000, 0)
	secrets := webhook.Secrets{Secret: "whsec_fixture_test"}
	calls := map[string][]string{} // event → the Go type each callback got
	var drifted []string
	h, err := stripe.NewHandler(secrets, webhook.WithClock(func() time.Time { return now }),
		webhook.WithDriftHook(func(_ context.Context, d webhook.Delivery, _ []drift.Finding) { drifted = append(drifted, d.Event) }))
	require.NoError(t, err)
	register(t, h, func(event string, e any) { calls[event] = append(calls[event], reflect.TypeOf(e).Elem().Name()) })
	signer := func(at time.Time, s webhook.Secrets) webhook.Signer {
		sg, err := webhook.NewSigner(stripe.Scheme, s, webhook.VerifyOptions{Now: func() time.Time { return at }})
		require.NoError(t, err)
		return sg
	}
	post := func(body []byte, sg webhook.Signer) int {
		req := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/stripe", bytes.NewReader(body))
		require.NoError(t, sg.Sign(req.Header, "http://127.0.0.1/stripe", body))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		return w.Code
	}

	withDrift := 0
	for _, d := range deliveries {
		name := d.event + " (" + d.resource + ")"
		var findings [2][]drift.Finding
		for i, v := range engines {
			r := v.Check(validate.Payload{Source: name, Body: d.body})
			assert.Equal(t, d.event, r.Event, "%s: the event detected", name)
			findings[i] = r.Findings
		}
		assert.Equal(t, findings[0], findings[1], "%s: the two engines agree", name)
		for _, f := range findings[0] {
			assert.True(t, f.Kind == drift.UnknownProperty && f.Pointer == fixtureDrift, "%s: %s %s: %s", name, f.Kind, f.Pointer, f.Message)
		}
		if len(findings[0]) > 0 {
			withDrift++
		}

		e, err := stripe.Parse(d.body)
		require.NoError(t, err, name)
		require.Equal(t, stripe.EventName(d.event), e.Name(), name)
		assert.Equal(t, load.GoName(d.event)+"Event", reflect.TypeOf(e).Elem().Name(), name)
		again, err := json.Marshal(e)
		require.NoError(t, err, name)
		assert.JSONEq(t, string(d.body), string(again), "%s: decode then encode gives the same JSON", name)

		before := len(calls[d.event])
		assert.Equal(t, http.StatusOK, post(d.body, signer(now, secrets)), "%s: signed", name)
		assert.Len(t, calls[d.event], before+1, "%s: the callback ran once", name)
		assert.Equal(t, http.StatusUnauthorized, post(d.body, signer(now, webhook.Secrets{Secret: "whsec_forged"})), "%s: forged", name)
		assert.Equal(t, http.StatusUnauthorized, post(d.body, signer(now.Add(-301*time.Second), secrets)), "%s: signed 301 s ago", name)
		assert.Len(t, calls[d.event], before+1, "%s: no callback for a refused delivery", name)
	}
	t.Logf("%d deliveries carry the fixture drift at %s; the drift hook saw %d", withDrift, fixtureDrift, len(drifted))
	assert.Equal(t, withDrift, len(drifted), "the handler reports each drifted delivery to its hook and still dispatches it")
	for event, types := range calls {
		for _, ty := range types {
			assert.Equal(t, load.GoName(event)+"Event", ty, event)
		}
	}
}

// register gives h a callback for every event (the generated
// On<Event> methods, found by name), each calling got with the event's
// name and the typed event.
func register(t testing.TB, h *stripe.Handler, got func(event string, e any)) {
	hv := reflect.ValueOf(h)
	for _, name := range stripe.Events {
		m := hv.MethodByName("On" + load.GoName(string(name)))
		require.True(t, m.IsValid(), "On%s", load.GoName(string(name)))
		fn := m.Type().In(0)
		m.Call([]reflect.Value{reflect.MakeFunc(fn, func(args []reflect.Value) []reflect.Value {
			got(string(name), args[1].Interface())
			return []reflect.Value{reflect.Zero(fn.Out(0))}
		})})
	}
}

// make stripe-import ran payhooks schemas import -provider stripe
// -signature stripe spec3.beta.sdk.json, no other flag: what it decided,
// with its reasons, is in the folder's README.md, as it printed it.
func TestImportDecidedWithoutFlags(t *testing.T) {
	notes, err := os.ReadFile(schemaDir + "/stripe/README.md")
	require.NoError(t, err)
	for _, want := range []string{
		"Imported by `payhooks schemas import` from `spec3.beta.sdk.json`.",
		"- events: the 303 component schemas tagged x-stripeEvent, an extension naming the event each carries (-event-extension to choose another)",
		"- envelope: #/components/schemas/event, the one component schema with a top-level property listing every tagged event (-envelope to choose another)",
		"- payload /data/object: the envelope's data declares what the tagged schemas declare (object), so they describe it, and /data/object is the one member every one of them requires (-payload to choose another)",
		"- discriminator /type: the body property whose const or enum names each webhook",
		"- delivery id /id: a top-level string of every webhook's body, named like an id",
		"- pruned to what the events reach: 2103 of 2377 components kept; the API's paths (624 operations) dropped, payhooks reads deliveries only",
	} {
		assert.Contains(t, string(notes), want)
	}
	assert.Len(t, stripe.Events, 303)
}
