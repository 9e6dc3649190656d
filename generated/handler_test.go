package generated_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generated/adyentokenization"
	"github.com/payhooks/payhooks/generated/adyentransfer"
	"github.com/payhooks/payhooks/generated/augustus"
	"github.com/payhooks/payhooks/generated/finmo"
	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/generated/tazapay"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
)

// recorder counts callbacks and decides what they return.
type recorder struct {
	mu     sync.Mutex
	calls  []any
	result func(n int) error
}

func (r *recorder) call(e any) error {
	r.mu.Lock()
	r.calls = append(r.calls, e)
	n := len(r.calls)
	r.mu.Unlock()
	if r.result != nil {
		return r.result(n)
	}
	return nil
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.calls)
}

// last is the event of the latest callback.
func (r *recorder) last() any {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.calls[len(r.calls)-1]
}

// provider wires one generated package into the shared table.
type provider struct {
	name    string
	scheme  webhook.Scheme
	secrets webhook.Secrets
	wrong   webhook.Secrets
	example string // a bundled example of event
	event   string
	other   string // a second event, left unregistered
	path    string // where the example is POSTed
	// addressing is the generated package's Addressing.
	addressing webhook.Addressing
	drift      func() (webhook.DriftChecker, error)
	// build returns a handler with a callback for event only.
	build func(t *testing.T, rec *recorder, opts ...webhook.Option) http.Handler
}

func providers() []provider {
	return []provider{
		{
			name: "finmo", scheme: finmo.Scheme, addressing: finmo.Addressing, drift: finmo.Drift, secrets: webhook.Secrets{Token: "fin-tk-1"}, wrong: webhook.Secrets{Token: "fin-tk-2"},
			example: "finmo/examples/CHECKOUT_COMPLETED.json", event: "CHECKOUT_COMPLETED", other: "finmo/examples/CHECKOUT_CANCELLED.json", path: "/finmo",
			build: func(t *testing.T, rec *recorder, opts ...webhook.Option) http.Handler {
				h, err := finmo.NewHandler(webhook.Secrets{Token: "fin-tk-1"}, opts...)
				require.NoError(t, err)
				h.OnCheckoutCompleted(func(_ context.Context, e *finmo.CheckoutCompletedEvent) error { return rec.call(e) })
				return h
			},
		},
		{
			name: "rapyd", scheme: rapyd.Scheme, addressing: rapyd.Addressing, drift: rapyd.Drift, secrets: webhook.Secrets{AccessKey: "rak", SecretKey: "rsk-1"}, wrong: webhook.Secrets{AccessKey: "rak", SecretKey: "rsk-2"},
			example: "rapyd/examples/PAYMENT_COMPLETED.json", event: "PAYMENT_COMPLETED", other: "rapyd/examples/PAYMENT_FAILED.json", path: "/rapyd",
			build: func(t *testing.T, rec *recorder, opts ...webhook.Option) http.Handler {
				h, err := rapyd.NewHandler(webhook.Secrets{AccessKey: "rak", SecretKey: "rsk-1"}, opts...)
				require.NoError(t, err)
				h.OnPaymentCompleted(func(_ context.Context, e *rapyd.PaymentCompletedEvent) error { return rec.call(e) })
				return h
			},
		},
		{
			name: "tazapay", scheme: tazapay.Scheme, addressing: tazapay.Addressing, drift: tazapay.Drift, secrets: webhook.Secrets{Secret: "taz-1"}, wrong: webhook.Secrets{Secret: "taz-2"},
			example: "tazapay/examples/checkout.paid.json", event: "checkout.paid", other: "tazapay/examples/checkout.expired.json", path: "/tazapay",
			build: func(t *testing.T, rec *recorder, opts ...webhook.Option) http.Handler {
				h, err := tazapay.NewHandler(webhook.Secrets{Secret: "taz-1"}, opts...)
				require.NoError(t, err)
				h.OnCheckoutPaid(func(_ context.Context, e *tazapay.CheckoutPaidEvent) error { return rec.call(e) })
				return h
			},
		},
		{
			name: "augustus", scheme: augustus.Scheme, addressing: augustus.Addressing, drift: augustus.Drift, secrets: webhook.Secrets{Secret: "ivy-1"}, wrong: webhook.Secrets{Secret: "ivy-2"},
			example: "augustus/examples/checkout_session_completed.json", event: "checkout_session_completed", other: "augustus/examples/checkout_session_expired.json",
			path: "/api/service/webhook-event/checkout_session_completed",
			build: func(t *testing.T, rec *recorder, opts ...webhook.Option) http.Handler {
				h, err := augustus.NewHandler(webhook.Secrets{Secret: "ivy-1"}, opts...)
				require.NoError(t, err)
				h.OnCheckoutSessionCompleted(func(_ context.Context, e *augustus.CheckoutSessionCompletedEvent) error { return rec.call(e) })
				return h
			},
		},
		{
			// Adyen's keys are hex; deliveries are keyed on the body's SHA-256.
			name: "adyentransfer", scheme: adyentransfer.Scheme, addressing: adyentransfer.Addressing, drift: adyentransfer.Drift, secrets: webhook.Secrets{Secret: "44782def547aaa06c910c43932b1eb0c"}, wrong: webhook.Secrets{Secret: "44782def547aaa06c910c43932b1eb0d"},
			example: "adyentransfer/examples/balancePlatform.transfer.updated.json", event: "balancePlatform.transfer.updated", other: "adyentransfer/examples/balancePlatform.transfer.created.json", path: "/adyen",
			build: func(t *testing.T, rec *recorder, opts ...webhook.Option) http.Handler {
				h, err := adyentransfer.NewHandler(webhook.Secrets{Secret: "44782def547aaa06c910c43932b1eb0c"}, opts...)
				require.NoError(t, err)
				h.OnBalancePlatformTransferUpdated(func(_ context.Context, e *adyentransfer.BalancePlatformTransferUpdatedEvent) error {
					return rec.call(e)
				})
				return h
			},
		},
		{
			name: "adyentokenization", scheme: adyentokenization.Scheme, addressing: adyentokenization.Addressing, drift: adyentokenization.Drift, secrets: webhook.Secrets{Secret: "0a1b2c3d"}, wrong: webhook.Secrets{Secret: "0a1b2c3e"},
			example: "adyentokenization/examples/recurring.token.created.json", event: "recurring.token.created", other: "adyentokenization/examples/recurring.token.disabled.json", path: "/adyen-tokens",
			build: func(t *testing.T, rec *recorder, opts ...webhook.Option) http.Handler {
				h, err := adyentokenization.NewHandler(webhook.Secrets{Secret: "0a1b2c3d"}, opts...)
				require.NoError(t, err)
				h.OnRecurringTokenCreated(func(_ context.Context, e *adyentokenization.RecurringTokenCreatedEvent) error { return rec.call(e) })
				return h
			},
		},
	}
}

func (p provider) body(t testing.TB) []byte {
	t.Helper()
	data, err := fs.ReadFile(schemas.FS, p.example)
	require.NoError(t, err)
	return data
}

// request builds a POST signed with secrets (nil headers when unsigned).
func (p provider) request(t testing.TB, path string, body []byte, secrets *webhook.Secrets) *http.Request {
	t.Helper()
	r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1"+path, bytes.NewReader(body))
	if secrets != nil {
		s, err := webhook.NewSigner(p.scheme, *secrets, webhook.VerifyOptions{})
		require.NoError(t, err)
		require.NoError(t, s.Sign(r.Header, r.URL.String(), body))
	}
	return r
}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

// quiet keeps handler logs out of test output but lets tests see them.
func quiet() webhook.Option {
	return webhook.WithLogger(discardLogger())
}

func TestHandlerStatusCodes(t *testing.T) {
	for _, p := range providers() {
		t.Run(p.name, func(t *testing.T) {
			body := p.body(t)
			signed := func(b []byte) *http.Request { return p.request(t, p.path, b, &p.secrets) }

			t.Run("valid delivery: 200 and one typed callback", func(t *testing.T) {
				rec := &recorder{}
				w := serve(p.build(t, rec, quiet()), signed(body))
				assert.Equal(t, http.StatusOK, w.Code, w.Body.String())
				require.Equal(t, 1, rec.count())
				assert.Contains(t, strings.ToLower(typeName(rec.calls[0])), strings.ToLower(strings.NewReplacer("_", "", ".", "").Replace(p.event)))
			})
			tamper := map[string]*http.Request{
				"one byte of body": func() *http.Request {
					r := signed(body)
					changed := bytes.Replace(body, []byte(`"`), []byte(`'`), 1)
					if p.name == "finmo" { // a static token does not cover the body
						return p.request(t, p.path, body, nil)
					}
					r.Body = ioNopCloser(changed)
					return r
				}(),
				"no signature": p.request(t, p.path, body, nil),
				"wrong secret": p.request(t, p.path, body, &p.wrong),
				"another provider's signature": func() *http.Request {
					other := providers()[(indexOf(p.name)+1)%len(providers())]
					return other.request(t, p.path, body, &other.secrets)
				}(),
			}
			for name, r := range tamper {
				t.Run(name+": 401, no callback", func(t *testing.T) {
					rec := &recorder{}
					w := serve(p.build(t, rec, quiet()), r)
					assert.Equal(t, http.StatusUnauthorized, w.Code, w.Body.String())
					assert.Zero(t, rec.count())
					assert.Contains(t, w.Body.String(), "signature: ")
				})
			}
			t.Run("GET: 405", func(t *testing.T) {
				rec := &recorder{}
				w := serve(p.build(t, rec, quiet()), httptest.NewRequest(http.MethodGet, p.path, nil))
				assert.Equal(t, http.StatusMethodNotAllowed, w.Code)
				assert.Equal(t, "POST", w.Header().Get("Allow"))
			})
			t.Run("oversized: 413", func(t *testing.T) {
				rec := &recorder{}
				w := serve(p.build(t, rec, quiet(), webhook.WithMaxBodyBytes(256)), signed(body))
				assert.Equal(t, http.StatusRequestEntityTooLarge, w.Code)
				assert.Zero(t, rec.count())
			})
			t.Run("malformed JSON: 400", func(t *testing.T) {
				rec := &recorder{}
				// A trailing comma inside a nested object, so the top level
				// (which Tazapay's signature reads) still parses.
				last := bytes.LastIndexByte(body, '}')
				inner := bytes.LastIndexByte(body[:last], '}')
				broken := append(append(append([]byte{}, body[:inner]...), ',', '}'), body[inner+1:]...)
				w := serve(p.build(t, rec, quiet()), signed(broken))
				assert.Equal(t, http.StatusBadRequest, w.Code, w.Body.String())
				assert.Contains(t, w.Body.String(), "malformed JSON")
				assert.Zero(t, rec.count())
			})
			t.Run("unregistered event: 200 and reported", func(t *testing.T) {
				rec := &recorder{}
				var unhandled []webhook.Delivery
				other, err := fs.ReadFile(schemas.FS, p.other)
				require.NoError(t, err)
				path := p.path
				if p.name == "augustus" {
					path = "/api/service/webhook-event/checkout_session_expired"
				}
				w := serve(p.build(t, rec, quiet(), webhook.WithUnhandledHook(func(_ context.Context, d webhook.Delivery) { unhandled = append(unhandled, d) })), p.request(t, path, other, &p.secrets))
				assert.Equal(t, http.StatusOK, w.Code, w.Body.String())
				assert.Zero(t, rec.count())
				require.Len(t, unhandled, 1)
				assert.True(t, unhandled[0].Known)
			})
			t.Run("callback error: 500, the retry runs it, then duplicates are acknowledged", func(t *testing.T) {
				rec := &recorder{result: func(n int) error {
					if n == 1 {
						return errors.New("database down")
					}
					return nil
				}}
				h := p.build(t, rec, quiet())
				assert.Equal(t, http.StatusInternalServerError, serve(h, signed(body)).Code)
				assert.Equal(t, http.StatusOK, serve(h, signed(body)).Code)
				w := serve(h, signed(body))
				assert.Equal(t, http.StatusOK, w.Code)
				assert.Contains(t, w.Body.String(), "duplicate")
				assert.Equal(t, 2, rec.count(), "failed once, ran once more, never again")
			})
			t.Run("callback panic: 500", func(t *testing.T) {
				rec := &recorder{result: func(int) error { panic("boom") }}
				w := serve(p.build(t, rec, quiet()), signed(body))
				assert.Equal(t, http.StatusInternalServerError, w.Code)
				assert.NotContains(t, w.Body.String(), "boom")
			})
			t.Run("store unreachable: 503, no callback", func(t *testing.T) {
				rec := &recorder{}
				w := serve(p.build(t, rec, quiet(), webhook.WithStore(failingStore{})), signed(body))
				assert.Equal(t, http.StatusServiceUnavailable, w.Code)
				assert.Zero(t, rec.count())
			})
		})
	}
}

func TestHandlerDrift(t *testing.T) {
	p := providers()[1] // rapyd
	drifted := bytes.Replace(p.body(t), []byte(`"status": "CLO"`), []byte(`"status": "PEN", "risk_level": "low"`), 1)
	t.Run("default: reported to the hook and dispatched", func(t *testing.T) {
		rec := &recorder{}
		var got []drift.Finding
		h := p.build(t, rec, quiet(), webhook.WithDriftHook(func(_ context.Context, _ webhook.Delivery, f []drift.Finding) { got = append(got, f...) }))
		w := serve(h, p.request(t, p.path, drifted, &p.secrets))
		assert.Equal(t, http.StatusOK, w.Code)
		assert.Equal(t, 1, rec.count())
		require.Len(t, got, 2)
		assert.Equal(t, drift.Finding{Pointer: "/data/risk_level", Kind: "unknown_property", Severity: "info", Message: `property "risk_level" is not in the schema`, Line: 11}, got[0], "the finding names its line in the body")
		assert.Equal(t, drift.UnknownEnumValue, got[1].Kind)
	})
	t.Run("default hook: one slog line per finding", func(t *testing.T) {
		var logs bytes.Buffer
		h := p.build(t, &recorder{}, webhook.WithLogger(jsonLogger(&logs)))
		serve(h, p.request(t, p.path, drifted, &p.secrets))
		lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
		require.Len(t, lines, 2)
		assert.Contains(t, lines[0], `"msg":"payhooks: schema drift"`)
		assert.Contains(t, lines[0], `"pointer":"/data/risk_level"`)
	})
	t.Run("strict: 400, no callback", func(t *testing.T) {
		rec := &recorder{}
		w := serve(p.build(t, rec, quiet(), webhook.WithStrict(drift.Warning)), p.request(t, p.path, drifted, &p.secrets))
		assert.Equal(t, http.StatusBadRequest, w.Code)
		assert.Contains(t, w.Body.String(), "unknown_enum_value /data/status")
		assert.Zero(t, rec.count())
	})
	t.Run("a value the type cannot hold: 400 naming the pointer", func(t *testing.T) {
		rec := &recorder{}
		bad := bytes.Replace(p.body(t), []byte(`"amount": 1099.5`), []byte(`"amount": "1,099.5"`), 1)
		w := serve(p.build(t, rec, quiet()), p.request(t, p.path, bad, &p.secrets))
		assert.Equal(t, http.StatusBadRequest, w.Code)
		assert.Contains(t, w.Body.String(), "/data/amount: expected number, got string")
		assert.Zero(t, rec.count())
	})
	t.Run("a quoted amount: dispatched with its digits, the breaking drift reported", func(t *testing.T) {
		rec := &recorder{}
		var got []drift.Finding
		quoted := bytes.Replace(p.body(t), []byte(`"amount": 1099.5`), []byte(`"amount": "1099.50"`), 1)
		h := p.build(t, rec, quiet(), webhook.WithDriftHook(func(_ context.Context, _ webhook.Delivery, f []drift.Finding) { got = append(got, f...) }))
		w := serve(h, p.request(t, p.path, quoted, &p.secrets))
		assert.Equal(t, http.StatusOK, w.Code, w.Body.String())
		require.Equal(t, 1, rec.count())
		assert.Equal(t, "1099.50", rec.last().(*rapyd.PaymentCompletedEvent).GetData().GetAmount().String())
		require.Len(t, got, 1)
		assert.Equal(t, drift.Finding{Pointer: "/data/amount", Kind: "type_mismatch", Severity: "breaking", Message: `expected number, got string "1099.50"`, Line: 9}, got[0])

		strict := serve(p.build(t, &recorder{}, quiet(), webhook.WithStrict(drift.Breaking)), p.request(t, p.path, quoted, &p.secrets))
		assert.Equal(t, http.StatusBadRequest, strict.Code, "strict mode refuses it")
	})
	t.Run("unknown event: 200 and reported", func(t *testing.T) {
		rec := &recorder{}
		var unhandled []webhook.Delivery
		unknown := bytes.Replace(p.body(t), []byte(`"type": "PAYMENT_COMPLETED"`), []byte(`"type": "PAYMENT_DISPUTED"`), 1)
		h := p.build(t, rec, quiet(), webhook.WithUnhandledHook(func(_ context.Context, d webhook.Delivery) { unhandled = append(unhandled, d) }))
		w := serve(h, p.request(t, p.path, unknown, &p.secrets))
		assert.Equal(t, http.StatusOK, w.Code)
		require.Len(t, unhandled, 1)
		assert.False(t, unhandled[0].Known)
		assert.Equal(t, "PAYMENT_DISPUTED", unhandled[0].Event)
	})
}

// Copies of one delivery arriving at the same moment run the callback once;
// the copies answered 409 retry and are then acknowledged as duplicates.
func TestConcurrentDuplicatesRunOnce(t *testing.T) {
	for _, p := range providers() {
		t.Run(p.name, func(t *testing.T) {
			rec := &recorder{result: func(int) error { time.Sleep(5 * time.Millisecond); return nil }}
			h := p.build(t, rec, quiet())
			body := p.body(t)
			var ok, conflict atomic.Int32
			var wg sync.WaitGroup
			for i := 0; i < 32; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						switch serve(h, p.request(t, p.path, body, &p.secrets)).Code {
						case http.StatusOK:
							ok.Add(1)
							return
						case http.StatusConflict:
							conflict.Add(1)
							time.Sleep(time.Millisecond)
						default:
							t.Error("unexpected status")
							return
						}
					}
				}()
			}
			wg.Wait()
			assert.Equal(t, 1, rec.count(), "exactly one callback per delivery id")
			assert.Equal(t, int32(32), ok.Load())
		})
	}
}

func TestNewHandlerNeedsItsSecrets(t *testing.T) {
	_, err := rapyd.NewHandler(webhook.Secrets{AccessKey: "a"})
	assert.EqualError(t, err, `rapyd handler: scheme "rapyd" needs a secret key (SecretsFromEnv reads PAYHOOKS_RAPYD_ACCESS_KEY, PAYHOOKS_RAPYD_SECRET_KEY, PAYHOOKS_RAPYD_WEBHOOK_URL)`)
	_, err = finmo.NewHandler(webhook.Secrets{})
	assert.EqualError(t, err, `finmo handler: scheme "static-token" needs a token (SecretsFromEnv reads PAYHOOKS_FINMO_TOKEN)`)
	h, err := finmo.NewHandler(webhook.Secrets{}, webhook.WithInsecureSkipVerify(), quiet())
	require.NoError(t, err, "local experiments may skip verification, loudly")
	w := serve(h, httptest.NewRequest(http.MethodPost, "/finmo", bytes.NewReader(providers()[0].body(t))))
	assert.Equal(t, http.StatusOK, w.Code)
}

type failingStore struct{}

func (failingStore) Claim(context.Context, string, time.Duration) (webhook.ClaimResult, error) {
	return 0, errors.New("connection refused")
}
func (failingStore) Complete(context.Context, string, time.Duration) error { return nil }
func (failingStore) Release(context.Context, string) error                 { return nil }

func indexOf(name string) int {
	for i, p := range providers() {
		if p.name == name {
			return i
		}
	}
	return -1
}

// A signed Augustus body names its event; re-posted to another event's path
// it is refused, and no callback runs.
func TestHandlerTakesTheEventFromTheSignedBody(t *testing.T) {
	p := providers()[3] // augustus
	require.Equal(t, "augustus", p.name)
	created, err := fs.ReadFile(schemas.FS, "augustus/examples/checkout_session_created.json")
	require.NoError(t, err)
	rec := &recorder{}
	h := p.build(t, rec, quiet()) // registers OnCheckoutSessionCompleted
	w := serve(h, p.request(t, "/api/service/webhook-event/checkout_session_completed", created, &p.secrets))
	assert.Equal(t, http.StatusBadRequest, w.Code)
	assert.Contains(t, w.Body.String(), `the request path names event "checkout_session_completed" but the signed body names "checkout_session_created"`)
	assert.Zero(t, rec.count())

	// A body without "type" falls back to the path.
	untyped := bytes.Replace(p.body(t), []byte(`"type": "checkout_session_completed",`), nil, 1)
	require.NotEqual(t, p.body(t), untyped)
	w = serve(h, p.request(t, p.path, untyped, &p.secrets))
	assert.Equal(t, http.StatusOK, w.Code, w.Body.String())
	assert.Equal(t, 1, rec.count())

	// Only an absent "type" does: one that is there but names nothing is
	// refused like a mismatch (it was dispatched as the path's event).
	for _, value := range []string{`5`, `null`, `{"name": "checkout_session_completed"}`, `["checkout_session_completed"]`, `true`} {
		unusable := bytes.Replace(p.body(t), []byte(`"type": "checkout_session_completed"`), []byte(`"type": `+value), 1)
		require.NotEqual(t, p.body(t), unusable)
		w = serve(h, p.request(t, p.path, unusable, &p.secrets))
		assert.Equal(t, http.StatusBadRequest, w.Code, "type %s: %s", value, w.Body)
		assert.Contains(t, w.Body.String(), "the signed body's /type is ", value)
		_, err := augustus.Parse(p.path, unusable)
		assert.ErrorContains(t, err, "not an event name", value)
	}
	assert.Equal(t, 1, rec.count(), "no callback ran for them")
}

// Bodies are held under a budget: a declared length over the cap is 413
// before the body is read, and past the budget a request is 503 with
// Retry-After.
func TestHandlerBodyBounds(t *testing.T) {
	p := providers()[0]
	h := p.build(t, &recorder{}, quiet(), webhook.WithMaxBodyBytes(1000), webhook.WithBodyBudget(webhook.NewBodyBudget(1500)))
	r := p.request(t, p.path, p.body(t), &p.secrets)
	r.ContentLength = 1 << 30
	r.Body = io.NopCloser(failingReader{t})
	assert.Equal(t, http.StatusRequestEntityTooLarge, serve(h, r).Code)

	// Two bodies of 900 bytes at once do not fit a 1500-byte budget.
	block := make(chan struct{})
	first := p.request(t, p.path, nil, &p.secrets)
	first.ContentLength = 900
	first.Body = io.NopCloser(io.MultiReader(bytes.NewReader(bytes.Repeat([]byte(" "), 899)), blockingReader(block)))
	done := make(chan int)
	go func() { done <- serve(h, first).Code }()
	time.Sleep(50 * time.Millisecond)
	second := p.request(t, p.path, bytes.Repeat([]byte(" "), 900), &p.secrets)
	w := serve(h, second)
	assert.Equal(t, http.StatusServiceUnavailable, w.Code)
	assert.Equal(t, "5", w.Header().Get("Retry-After"))
	close(block)
	<-done
	assert.NotEqual(t, http.StatusServiceUnavailable, serve(h, p.request(t, p.path, p.body(t)[:0], &p.secrets)).Code, "the budget is given back")
}

type failingReader struct{ t *testing.T }

func (f failingReader) Read([]byte) (int, error) {
	f.t.Error("the body was read")
	return 0, io.EOF
}

// blockingReader returns EOF once done is closed.
type blockingReader chan struct{}

func (b blockingReader) Read([]byte) (int, error) {
	<-b
	return 0, io.EOF
}

// Every payload the providers document (the examples and the doc samples
// beside them, drift included) decodes into the generated types, and the
// handler acknowledges it with 200, reporting exactly the drift its
// expectation names: a provider's own documented payload is never a 400.
func TestEveryDocumentedPayloadIsDelivered(t *testing.T) {
	cat, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	for _, p := range providers() {
		cp := cat.Provider(p.name)
		require.NotNil(t, cp)
		type sample struct {
			path, event string
			want        []catalog.ExpectedFinding
		}
		var samples []sample
		for _, ex := range cp.Examples {
			samples = append(samples, sample{ex.Path, ex.Event, []catalog.ExpectedFinding{}})
		}
		for _, d := range cp.Drift {
			samples = append(samples, sample{d.Path, d.Expect.Event, d.Expect.Findings})
		}
		for _, s := range samples {
			t.Run(s.path, func(t *testing.T) {
				body, err := fs.ReadFile(schemas.FS, s.path)
				require.NoError(t, err)
				path := p.path
				if cp.Addressing.PathPrefix != "" {
					path = cp.Addressing.PathPrefix + s.event
				}
				_, _, err = parse(t, p.name, s.event, body)
				require.NoError(t, err, "the generated types decode it")

				got := []catalog.ExpectedFinding{}
				h := p.build(t, &recorder{}, quiet(), webhook.WithDriftHook(func(_ context.Context, _ webhook.Delivery, fs []drift.Finding) {
					for _, f := range fs {
						got = append(got, catalog.ExpectedFinding{Pointer: f.Pointer, Kind: f.Kind, Severity: f.Severity})
					}
				}))
				w := serve(h, p.request(t, path, body, &p.secrets))
				assert.Equal(t, http.StatusOK, w.Code, w.Body.String())
				assert.Equal(t, s.want, got)
			})
		}
	}
}
