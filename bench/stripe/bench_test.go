package stripebench

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	stripego "github.com/stripe/stripe-go/v82"
	stripegowebhook "github.com/stripe/stripe-go/v82/webhook"

	"github.com/payhooks/payhooks/bench/stripe/stripe"
	"github.com/payhooks/payhooks/internal/testonly/rounds"
	"github.com/payhooks/payhooks/webhook"
)

// benchEvents are the events the side-by-side benchmark receives, each
// with the stripe-go type its users decode data.object into.
var benchEvents = []struct {
	event string
	into  func() any
}{
	{"payment_intent.succeeded", func() any { return &stripego.PaymentIntent{} }},
	{"charge.succeeded", func() any { return &stripego.Charge{} }},
	{"invoice.paid", func() any { return &stripego.Invoice{} }},
	{"customer.subscription.updated", func() any { return &stripego.Subscription{} }},
	{"checkout.session.completed", func() any { return &stripego.CheckoutSession{} }},
}

// BenchmarkSideBySide receives each event, built from Stripe's fixtures,
// three ways: stripe-go as its users do (webhook.ConstructEvent, then
// json.Unmarshal of event.Data.Raw into the resource's type), payhooks'
// verify and typed decode (the generated Parse), and payhooks' verify,
// typed decode and drift check of the event the decode names, as a
// generated handler runs them. The three run in turns of 256 deliveries,
// so that the machine's changes of speed fall on all alike; an op is one
// delivery through each. Metrics: µs per delivery of each, and stripe-go's
// time over each payhooks path (above 1: payhooks is faster).
func BenchmarkSideBySide(b *testing.B) {
	const secret = "whsec_bench"
	for _, ev := range benchEvents {
		b.Run(ev.event, func(b *testing.B) {
			body := benchBody(b, ev.event)
			verifier, err := webhook.NewVerifier(stripe.Scheme, webhook.Secrets{Secret: secret}, webhook.VerifyOptions{})
			require.NoError(b, err)
			drift, err := stripe.Drift()
			require.NoError(b, err)
			header := stripegowebhook.GenerateTestSignedPayload(&stripegowebhook.UnsignedPayload{Payload: body, Secret: secret, Timestamp: time.Now()}).Header
			req := webhook.Request{Header: http.Header{"Stripe-Signature": {header}}, Body: body}
			paths := []func() error{
				func() error {
					e, err := stripegowebhook.ConstructEvent(body, header, secret)
					if err != nil {
						return err
					}
					return json.Unmarshal(e.Data.Raw, ev.into())
				},
				func() error {
					if err := verifier.Verify(req); err != nil {
						return err
					}
					_, err := stripe.Parse(body)
					return err
				},
				func() error {
					if err := verifier.Verify(req); err != nil {
						return err
					}
					// As the handler does: the decode names the event the
					// drift check is given.
					e, err := stripe.Parse(body)
					if err != nil {
						return err
					}
					for _, f := range drift.Check(string(e.Name()), body) {
						if f.Pointer != fixtureDrift { // Stripe's subscription fixture, as in TestEveryFixtureEndToEnd
							b.Fatalf("drift: %v", f)
						}
					}
					return nil
				},
			}
			for _, p := range paths {
				require.NoError(b, p(), "each path takes the delivery")
			}
			b.SetBytes(int64(len(body)))
			names := []string{"stripego", "decode", "drift+decode"}
			took := rounds.InTurns(b, 256, names, func(int, int) {}, func(k, _ int) error { return paths[k]() })
			var spent [3]time.Duration
			for k := range spent {
				spent[k] = rounds.Total(took[k])
				b.ReportMetric(float64(spent[k].Nanoseconds())/1e3/float64(b.N), names[k]+"-µs")
			}
			b.ReportMetric(float64(spent[0])/float64(spent[1]), "x-decode")
			b.ReportMetric(float64(spent[0])/float64(spent[2]), "x-drift+decode")
		})
	}
}

// benchBody is the event built from the fixtures, with the API version
// stripe-go expects (ConstructEvent refuses another).
func benchBody(b *testing.B, event string) []byte {
	var m map[string]any
	require.NoError(b, json.Unmarshal(oneDelivery(b, event), &m))
	m["api_version"] = stripego.APIVersion
	body, err := json.Marshal(m)
	require.NoError(b, err)
	return body
}
