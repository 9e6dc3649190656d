package generated_test

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generated/adyenpayment"
	"github.com/payhooks/payhooks/generated/adyentokenization"
	"github.com/payhooks/payhooks/generated/adyentransfer"
	"github.com/payhooks/payhooks/generated/augustus"
	"github.com/payhooks/payhooks/generated/finmo"
	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/generated/tazapay"
	"github.com/payhooks/payhooks/internal/testonly/corpus"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
)

// FuzzParse mutates the bundled examples and drift samples and feeds them to
// every provider's Parse: it never panics, it accepts only valid JSON (the
// typed decoders check what they read, with no json.Valid pass first),
// whatever it accepts encodes back to valid JSON, and the event does not
// change when the caller overwrites the buffer it parsed.
func FuzzParse(f *testing.F) {
	for _, c := range corpus.Payloads(f, corpus.Examples, corpus.Drift) {
		f.Add(c.Data)
	}
	// Invalid JSON in places each typed decoder reads.
	for _, bad := range []string{
		`{"type": "PAYMENT_COMPLETED", "id": "x", "data": {"amount": 01}}`,
		`{"type": "PAYMENT_COMPLETED", "id": "x", "data": {"amount": 1.}}`,
		`{"type": "PAYMENT_COMPLETED", "id": "x", "data": {"paid": tru}}`,
		`{"type": "PAYMENT_COMPLETED", "id": "x\q", "data": {}}`,
		"{\"type\": \"PAYMENT_COMPLETED\", \"id\": \"a\tb\", \"data\": {}}",
		`{"type": "PAYMENT_COMPLETED", "id": "x", "data": {"metadata": {"a": [1,]}}}`,
		`{"type": "PAYMENT_COMPLETED", "id": "x", "data": {}, "extra": {"a" 1}}`,
		`{"type": "PAYMENT_COMPLETED", "id": "x", "data": {},}`,
		`{"type": "PAYMENT_COMPLETED", "id": "x", "data": {}} x`,
		`{"id": "evt_1", "type": "checkout.paid", "created_at": "2023-12-25 21:59:59", "data": {"amount": -}}`,
	} {
		f.Add([]byte(bad))
	}
	parsers := []func([]byte) (any, error){
		func(b []byte) (any, error) { return finmo.Parse(b) },
		func(b []byte) (any, error) { return rapyd.Parse(b) },
		func(b []byte) (any, error) { return tazapay.Parse(b) },
		func(b []byte) (any, error) {
			return augustus.Parse("/api/service/webhook-event/checkout_session_updated", b)
		},
		func(b []byte) (any, error) { return augustus.Parse("", b) },
		func(b []byte) (any, error) { return adyenpayment.Parse(b) },
		func(b []byte) (any, error) { return adyentokenization.Parse(b) },
		func(b []byte) (any, error) { return adyentransfer.Parse(b) },
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, parse := range parsers {
			reused := bytes.Clone(body)
			e, err := parse(reused)
			if err != nil {
				continue
			}
			require.True(t, json.Valid(body), "accepted invalid JSON %q", body)
			out, err := json.Marshal(e)
			require.NoError(t, err, "%q", body)
			require.True(t, json.Valid(out), "%q → %q", body, out)
			// The event shares nothing with the buffer it was parsed from,
			// which its caller may reuse.
			for i := range reused {
				reused[i] = '0'
			}
			again, err := json.Marshal(e)
			require.NoError(t, err, "%q", body)
			require.Equal(t, string(out), string(again), "the event changed with the buffer it was parsed from: %q", body)
		}
	})
}

// decodeRefusal is a handler's 400 for a value the types cannot hold (a
// decode error at a pointer), not for a path naming another event.
var decodeRefusal = regexp.MustCompile(`^cannot decode: decode \S+ event ".*": (/|\(root\))`)

// FuzzHandler feeds arbitrary bodies to every generated handler, both
// unsigned (never a 2xx) and correctly signed (never a panic, only the
// documented answers, and a body refused because the types cannot hold a
// value has a breaking finding in the drift check: one rule for both).
func FuzzHandler(f *testing.F) {
	for _, p := range providers() {
		data, err := fs.ReadFile(schemas.FS, p.example)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte(`{"id": "evt_1", "created_at": 1, "type": "checkout.paid", "data": []}`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"id": "evt_1", "created_at": 1e999999999, "type": "checkout.paid", "data": {}}`)) // once crashed the schema engine
	// Values the types cannot hold, which validate once passed.
	f.Add([]byte(`{"id": "evt_1", "created_at": "2016-12-31T23:59:60Z", "type": "checkout.paid", "data": {"amount": 99999999999999999999}}`))
	type built struct {
		p     provider
		h     http.Handler
		drift webhook.DriftChecker
	}
	var handlers []built
	for _, p := range providers() {
		drift, err := p.drift()
		require.NoError(f, err)
		handlers = append(handlers, built{p, p.build(&testing.T{}, &recorder{}, quiet()), drift})
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, b := range handlers {
			unsigned := serve(b.h, b.p.request(t, b.p.path, body, nil))
			require.Equal(t, http.StatusUnauthorized, unsigned.Code, "%s: unsigned %q", b.p.name, body)
			r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1"+b.p.path, bytes.NewReader(body))
			signer, err := webhook.NewSigner(b.p.scheme, b.p.secrets, webhook.VerifyOptions{})
			require.NoError(t, err)
			if signer.Sign(r.Header, r.URL.String(), body) != nil {
				continue // Tazapay cannot sign a body without a top-level id and created_at
			}
			w := serve(b.h, r)
			require.Contains(t, []int{http.StatusOK, http.StatusBadRequest}, w.Code, "%s: %q → %d %s", b.p.name, body, w.Code, w.Body.String())
			if w.Code == http.StatusBadRequest && decodeRefusal.MatchString(w.Body.String()) {
				event, _ := b.p.addressing.Event(b.p.path, body)
				require.True(t, slices.ContainsFunc(b.drift.Check(event, body), func(f drift.Finding) bool { return f.Severity == drift.Breaking }),
					"%s: %q refused (%s) with no breaking drift finding", b.p.name, body, w.Body.String())
			}
		}
	})
}
