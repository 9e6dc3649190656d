package generated_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/testonly/rounds"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
)

// BenchmarkHandler compares, per provider and on the same signed example,
// a bare handler that only reads the body with the generated handler's
// full path (verify, drift check, decode, dedupe, dispatch), the same
// without the drift check, and two of its parts alone on the same
// requests: the signature check and the drift check. Every iteration is a
// new delivery id, so deduplication stores an id each time rather than
// short-cutting.
func BenchmarkHandler(b *testing.B) {
	cat, err := catalog.Load(schemas.FS)
	require.NoError(b, err)
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	})
	for _, p := range providers() {
		body := p.body(b)
		t := &testing.T{}
		verify, check := handlerParts(b, p)
		cases := []struct {
			name string
			h    http.Handler
		}{
			{"bare-read-body", bare},
			{"part-verify", verify},
			{"part-drift-check", check},
			{"payhooks", p.build(t, &recorder{}, quiet())},
			{"payhooks-without-drift", p.build(t, &recorder{}, quiet(), webhook.WithoutDrift())},
		}
		for _, c := range cases {
			b.Run(p.name+"/"+c.name, func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				// Signed deliveries with fresh ids are built outside the
				// timer, a batch at a time, so memory stays bounded.
				const batch = 4096
				reqs := make([]*http.Request, batch)
				pointer := cat.Provider(p.name).Addressing.DeliveryID
				build := func(from int) { newDeliveries(b, p, pointer, body, from, reqs) }
				build(0)
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if i > 0 && i%batch == 0 {
						b.StopTimer()
						build(i)
						b.StartTimer()
					}
					w := httptest.NewRecorder()
					c.h.ServeHTTP(w, reqs[i%batch])
					if w.Code != http.StatusOK {
						b.Fatalf("%d %s", w.Code, w.Body)
					}
				}
			})
		}
	}
}

// handlerParts returns two handlers that do one part of a generated
// handler's work each, as it does it: verify the signature, and check the
// body for drift (of the event the handler has read by then).
func handlerParts(b *testing.B, p provider) (verify, check http.Handler) {
	b.Helper()
	verifier, err := webhook.NewVerifier(p.scheme, p.secrets, webhook.VerifyOptions{})
	require.NoError(b, err)
	verify = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := verifier.Verify(webhook.Request{Header: r.Header, URL: "http://" + r.Host + r.URL.RequestURI(), Body: body}); err != nil {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	drift, err := p.drift()
	require.NoError(b, err)
	check = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if findings := drift.Check(p.event, body); len(findings) > 0 {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	return verify, check
}

// newDeliveries fills reqs with signed requests of body, each a new
// delivery numbered from from: a new delivery id, or for a provider keyed
// on the body (pointer is webhook.BodyDeliveryID), a new body.
func newDeliveries(b *testing.B, p provider, pointer string, body []byte, from int, reqs []*http.Request) {
	b.Helper()
	for j := range reqs {
		id := strconv.Itoa(from + j)
		unique := bytes.Replace(body, []byte(`"id": "`), []byte(`"id": "`+id+`-`), 1)
		if pointer != webhook.BodyDeliveryID {
			var err error
			unique, err = webhook.SetString(body, pointer, "d"+id)
			require.NoError(b, err)
		}
		reqs[j] = p.request(b, p.path, unique, &p.secrets)
	}
}

// turn is how many deliveries each part of a comparison handles before
// the next part's turn.
const turn = 1024

// perOp reports each part's total time over its turns, with name, in µs an
// op, and returns the totals.
func perOp(b *testing.B, names []string, took [][]time.Duration) []time.Duration {
	b.Helper()
	spent := make([]time.Duration, len(took))
	for k, turns := range took {
		spent[k] = rounds.Total(turns)
		b.ReportMetric(float64(spent[k].Nanoseconds())/1e3/float64(b.N), names[k]+"-µs")
	}
	return spent
}

// BenchmarkHandlerRatio measures the README's handler table: the full path
// and its two unavoidable parts (verify, drift check), as BenchmarkHandler
// does, but in turns of 1 024 new deliveries each (the three in an order
// that turns each turn), so that the machine's changes of speed during the
// run fall on all three alike. An op is one delivery through each; the
// metrics are µs per delivery, full ÷ (verify + drift), the figure the
// target is set on, as the median of the turns' ratios (full/parts) and
// as the ratio of the totals (full/parts-total).
//
//	go test -run '^$' -bench HandlerRatio -benchtime 100000x ./generated
func BenchmarkHandlerRatio(b *testing.B) {
	cat, err := catalog.Load(schemas.FS)
	require.NoError(b, err)
	for _, p := range providers() {
		b.Run(p.name, func(b *testing.B) {
			body := p.body(b)
			verify, check := handlerParts(b, p)
			handlers := []http.Handler{p.build(&testing.T{}, &recorder{}, quiet()), verify, check}
			pointer := cat.Provider(p.name).Addressing.DeliveryID
			var reqs [3][turn]*http.Request
			names := []string{"full", "verify", "drift"}
			// A turn's requests are built, and the garbage of building them
			// collected, before any is timed: that work would otherwise fall
			// on whichever handler runs first.
			took := rounds.InTurns(b, turn, names, func(from, n int) {
				for k := range handlers {
					newDeliveries(b, p, pointer, body, k*b.N+from, reqs[k][:n])
				}
			}, func(k, i int) error {
				w := httptest.NewRecorder()
				if handlers[k].ServeHTTP(w, reqs[k][i]); w.Code != http.StatusOK {
					return fmt.Errorf("%d %s", w.Code, w.Body)
				}
				return nil
			})
			spent := perOp(b, names, took)
			full, parts := make([]float64, len(took[0])), make([]float64, len(took[0]))
			for t := range full {
				full[t], parts[t] = float64(took[0][t]), float64(took[1][t]+took[2][t])
			}
			b.ReportMetric(rounds.MedianRatio(full, parts), "full/parts")
			b.ReportMetric(float64(spent[0])/float64(spent[1]+spent[2]), "full/parts-total")
		})
	}
}

// BenchmarkDriftCheckPasses measures what DriftChecker.Check(event, body)
// saved a handler: the drift check as a handler runs it, given the event
// its decode read, beside the same check finding the event in the body
// itself first, as it did before (validate.Check with the provider and the
// request path: the event pointer read again, then the fast engine's
// pass), on the same body in turns (rounds.InTurns); an op is one check of each.
// The metrics are µs per check and given ÷ detecting.
func BenchmarkDriftCheckPasses(b *testing.B) {
	v, err := validate.New(schemas.FS)
	require.NoError(b, err)
	for _, p := range providers() {
		b.Run(p.name, func(b *testing.B) {
			body := p.body(b)
			handler, err := p.drift()
			require.NoError(b, err)
			event, err := p.addressing.Event(p.path, body)
			require.NoError(b, err)
			clean := func(findings []drift.Finding) error {
				if len(findings) > 0 {
					return fmt.Errorf("drift in a bundled example: %v", findings)
				}
				return nil
			}
			b.SetBytes(int64(len(body)))
			names := []string{"given", "detecting"}
			spent := perOp(b, names, rounds.InTurns(b, turn, names, func(int, int) {}, func(k, _ int) error {
				if k == 0 {
					return clean(handler.Check(event, body))
				}
				return clean(v.Check(validate.Payload{Provider: p.name, Path: p.path, Body: body}).Findings)
			}))
			b.ReportMetric(float64(spent[0])/float64(spent[1]), "given/detecting")
		})
	}
}
