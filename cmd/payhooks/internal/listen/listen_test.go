package listen_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/listen"
	"github.com/payhooks/payhooks/internal/capture"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/testonly/deliveries"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/dircapture"
)

// secrets are every bundled provider's, as payhooks listen reads them.
var secrets = map[string]string{
	"PAYHOOKS_FINMO_TOKEN":      "e2e-token",
	"PAYHOOKS_RAPYD_ACCESS_KEY": "e2e-access", "PAYHOOKS_RAPYD_SECRET_KEY": "e2e-secret",
	"PAYHOOKS_TAZAPAY_SECRET":  "e2e-secret",
	"PAYHOOKS_AUGUSTUS_SECRET": "e2e-secret",
	// Adyen's HMAC keys are hex.
	"PAYHOOKS_ADYENPAYMENT_SECRET": adyenKey, "PAYHOOKS_ADYENTOKENIZATION_SECRET": adyenKey, "PAYHOOKS_ADYENTRANSFER_SECRET": adyenKey,
}

const adyenKey = "44782def547aaa06c910c43932b1eb0c71fc68d9d0c057550aae0f5ddc8f1d3c"

// receiver is the listen receiver on a loopback test server.
type receiver struct {
	url, dir string
	cat      *catalog.Catalog
	mu       sync.Mutex
	out      bytes.Buffer
}

func (r *receiver) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.Write(p)
}

// lines is what the receiver printed.
func (r *receiver) lines() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.out.String()
}

// config is how payhooks listen configures the receiver for the bundled
// schemas, writing captures to a folder of the test's and lines to out.
func config(t testing.TB, out io.Writer) listen.Config {
	t.Helper()
	cat, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	v, err := validate.New(cat)
	require.NoError(t, err)
	sink, err := dircapture.Open(t.TempDir())
	require.NoError(t, err)
	return listen.Config{
		Catalog: cat, Validator: v, Sink: sink, Out: out, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		MaxBody: webhook.DefaultMaxBodyBytes, Store: webhook.NewMemoryStore(0, nil),
		Tolerance: webhook.DefaultTolerance, BodyTimeout: 10 * time.Second,
	}
}

// serve starts the receiver for every bundled provider, with the secrets
// set and the defaults payhooks listen starts it with, changed by tune.
func serve(t *testing.T, tune ...func(*listen.Config)) *receiver {
	t.Helper()
	for k, v := range secrets {
		t.Setenv(k, v)
	}
	r := &receiver{}
	cfg := config(t, r)
	r.dir, r.cat = cfg.Sink.(*dircapture.Sink).Dir(), cfg.Catalog
	for _, f := range tune {
		f(&cfg)
	}
	mux, served, err := listen.New(cfg)
	require.NoError(t, err)
	require.Len(t, served, len(r.cat.Providers), "every provider with its secrets set is served")
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	r.url = srv.URL
	return r
}

// signed signs body for url with scheme, as of at.
func signed(t *testing.T, scheme webhook.Scheme, secrets webhook.Secrets, url string, body []byte, at time.Time) http.Header {
	t.Helper()
	s, err := webhook.NewSigner(scheme, secrets, webhook.VerifyOptions{Now: func() time.Time { return at }})
	require.NoError(t, err)
	h := http.Header{}
	require.NoError(t, s.Sign(h, url, body))
	return h
}

func example(t *testing.T, path string) []byte {
	t.Helper()
	data, err := fs.ReadFile(schemas.FS, path)
	require.NoError(t, err)
	return data
}

// edited is a bundled example with its top-level members changed by edit.
func edited(t *testing.T, path string, edit func(doc map[string]any)) []byte {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(example(t, path), &doc))
	edit(doc)
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

// finmoDelivery is Finmo's checkout example with its delivery id replaced.
func finmoDelivery(t *testing.T, id string) []byte {
	t.Helper()
	return edited(t, "finmo/examples/CHECKOUT_COMPLETED.json", func(doc map[string]any) { doc["webhook_notification_id"] = id })
}

// untyped is Augustus's example without its "type": the path names the
// event.
func untyped(t *testing.T) []byte {
	t.Helper()
	return edited(t, "augustus/examples/checkout_session_completed.json", func(doc map[string]any) { delete(doc, "type") })
}

var (
	finmoToken   = http.Header{"X-Security-Token": {"e2e-token"}}
	rapyd        = webhook.Scheme{Name: webhook.SchemeRapyd}
	rapydSecrets = webhook.Secrets{AccessKey: "e2e-access", SecretKey: "e2e-secret"}
	ivy          = webhook.Scheme{Name: webhook.SchemeIvy}
	ivySecrets   = webhook.Secrets{Secret: "e2e-secret"}
)

// Forged, stale, oversized and malformed deliveries get their documented
// codes and leave no capture; a duplicate leaves one.
func TestRefusals(t *testing.T) {
	r := serve(t, func(c *listen.Config) { c.MaxBody = 3000; c.Tolerance = 5 * time.Minute })
	payment := example(t, "rapyd/examples/PAYMENT_COMPLETED.json")
	code, _ := deliveries.Post(t, r.url+"/rapyd", payment, signed(t, rapyd, webhook.Secrets{AccessKey: "e2e-access", SecretKey: "forged"}, r.url+"/rapyd", payment, time.Now()))
	assert.Equal(t, http.StatusUnauthorized, code, "forged")
	code, _ = deliveries.Post(t, r.url+"/rapyd", payment, signed(t, rapyd, rapydSecrets, r.url+"/rapyd", payment, time.Now().Add(-time.Hour)))
	assert.Equal(t, http.StatusUnauthorized, code, "stale")
	code, _ = deliveries.Post(t, r.url+"/rapyd", payment, nil)
	assert.Equal(t, http.StatusUnauthorized, code, "unsigned")
	big := example(t, "rapyd/examples/PAYMENT_CANCELED.json") // 4 KiB, over MaxBody
	code, _ = deliveries.Post(t, r.url+"/rapyd", big, signed(t, rapyd, rapydSecrets, r.url+"/rapyd", big, time.Now()))
	assert.Equal(t, http.StatusRequestEntityTooLarge, code, "oversized")
	malformed := []byte(`{"id": "65a0", "type": "checkout_session_completed",`)
	path := "/api/service/webhook-event/checkout_session_completed"
	code, _ = deliveries.Post(t, r.url+path, malformed, signed(t, ivy, ivySecrets, "", malformed, time.Now()))
	assert.Equal(t, http.StatusBadRequest, code, "malformed")
	assert.Empty(t, deliveries.Captures(t, r.dir), "refused deliveries leave no capture")

	session := example(t, "augustus/examples/checkout_session_completed.json")
	for i := 0; i < 3; i++ {
		code, _ := deliveries.Post(t, r.url+path, session, signed(t, ivy, ivySecrets, "", session, time.Now()))
		assert.Equal(t, http.StatusOK, code, "delivery %d", i)
	}
	assert.Len(t, deliveries.Captures(t, r.dir), 1, "a duplicate delivery leaves one capture")
	assert.Contains(t, r.lines(), "ok: duplicate delivery")
	assert.Contains(t, r.lines(), "200 augustus checkout_session_completed 65a0c0de0000000000000004 captured augustus-65a0c0de0000000000000004.capture.json; drift: none")
}

// Every example of Adyen's three documents, signed with Adyen's formula
// (HMAC-SHA256 of the raw body under the hex-decoded key, base64, in
// HmacSignature), is taken once; forged, or signed for another body, it is
// refused and leaves nothing. Adyen's payment and transfer webhooks carry no
// id kept across retries: a retry, the same bytes, is a duplicate.
func TestAdyenSignedIsTakenAndForgedRefused(t *testing.T) {
	r := serve(t)
	post := func(p *catalog.Provider, body []byte, key string) (int, string) {
		mac := hmac.New(sha256.New, mustHex(t, key))
		mac.Write(body)
		return deliveries.Post(t, r.url+"/"+p.Name, body, http.Header{"Hmacsignature": {base64.StdEncoding.EncodeToString(mac.Sum(nil))}})
	}
	forgedKey := strings.Repeat("ab", 32)
	// Each signed body is taken once: a repeat (a retry, or one of the two
	// examples Adyen gives twice, byte for byte) is acknowledged as a
	// duplicate.
	seen := map[string]bool{}
	examples, duplicates := 0, 0
	take := func(p *catalog.Provider, what string, body []byte) {
		code, answer := post(p, body, adyenKey)
		require.Equal(t, http.StatusOK, code, "%s: %s", what, answer)
		if seen[string(body)] {
			duplicates++
		}
		seen[string(body)] = true
	}
	for _, name := range []string{"adyenpayment", "adyentokenization", "adyentransfer"} {
		p := r.cat.Provider(name)
		require.NotNil(t, p, name)
		require.Equal(t, "adyen-hmac", p.Signature.Name)
		for _, ex := range p.Examples {
			examples++
			body := example(t, ex.Path)
			if p.Addressing.DeliveryID != webhook.BodyDeliveryID {
				// Adyen's four tokenization examples share one eventId; real
				// deliveries do not.
				var err error
				body, err = webhook.SetString(body, p.Addressing.DeliveryID, ex.Event)
				require.NoError(t, err)
			}
			code, answer := post(p, body, forgedKey)
			assert.Equal(t, http.StatusUnauthorized, code, "%s forged: %s", ex.Path, answer)
			take(p, ex.Path, body)
			take(p, ex.Path+" retried", body)
			if p.Addressing.DeliveryID == webhook.BodyDeliveryID {
				// Keyed on the body: one byte more is another delivery.
				take(p, ex.Path+" with a space more", append([]byte("{ "), body[1:]...))
			}
		}
	}
	assert.Equal(t, 32, examples, "every example of the three documents")
	got := deliveries.Captures(t, r.dir)
	assert.Len(t, got, len(seen), "one capture per delivery: forged ones and repeats leave none\n%s", r.lines())
	assert.Equal(t, 34, duplicates, "32 retries, and the example Adyen gives twice, as it is and with a space more")
	assert.Equal(t, duplicates, strings.Count(r.lines(), "ok: duplicate delivery"), "each repeat acknowledged as a duplicate")
	v, err := validate.New(r.cat)
	require.NoError(t, err)
	for name, c := range got {
		assert.Empty(t, v.Check(validate.Payload{Source: name, Path: c.Path, Body: []byte(c.Body)}).Findings, "%s: no drift", name)
	}
}

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// Ids that an early capture name folded together, plus ids too long for a
// file name: each lands in a file of its own holding that exact id, and a
// true retry is still one capture.
func TestEveryDistinctIDIsCapturedApart(t *testing.T) {
	ids := []string{
		"a/b", "a_b", "é", "ü", ".hidden", "hidden", "..", "...", "evt_A", "evt_a",
		"a\\b", "a b", "a\x00b", strings.Repeat("x", 237), strings.Repeat("y", 300), strings.Repeat("z", 100_000),
	}
	r := serve(t)
	for _, id := range append(ids, "a/b") {
		code, msg := deliveries.Post(t, r.url+"/finmo", finmoDelivery(t, id), finmoToken)
		require.Equal(t, http.StatusOK, code, "id %q: %s", id, msg)
	}
	got := map[string]int{}
	for name, c := range deliveries.Captures(t, r.dir) {
		assert.Less(t, len(name), 200, "file name %q", name)
		id, ok := webhook.StringAt([]byte(c.Body), "/webhook_notification_id")
		require.True(t, ok, name)
		got[id]++
	}
	require.Len(t, got, len(ids), "one capture per distinct id")
	for _, id := range ids {
		assert.Equal(t, 1, got[id], "id %q", id)
	}
	assert.Equal(t, 1, strings.Count(r.lines(), "ok: duplicate delivery"), "the retry")
}

// The signed body names the event; a path naming another one is refused and
// nothing is captured. A body without the event takes it from the path, on
// the provider's route or another one given.
func TestTheSignedBodyNamesTheEvent(t *testing.T) {
	r := serve(t, func(c *listen.Config) { c.Routes = map[string]string{"augustus": "/ivy/"} })
	body := example(t, "augustus/examples/checkout_session_created.json")
	h := signed(t, ivy, ivySecrets, "", body, time.Now())
	code, msg := deliveries.Post(t, r.url+"/ivy/checkout_session_completed", body, h)
	assert.Equal(t, http.StatusBadRequest, code)
	assert.Contains(t, msg, `the request path names event "checkout_session_completed" but the signed body names "checkout_session_created"`)
	assert.Empty(t, deliveries.Captures(t, r.dir))
	code, _ = deliveries.Post(t, r.url+"/ivy/checkout_session_created", body, h)
	assert.Equal(t, http.StatusOK, code)

	body = untyped(t)
	code, _ = deliveries.Post(t, r.url+"/ivy/checkout_session_completed", body, signed(t, ivy, ivySecrets, "", body, time.Now()))
	assert.Equal(t, http.StatusOK, code)
	assert.Contains(t, r.lines(), "200 augustus checkout_session_completed 65a0c0de0000000000000004 captured augustus-65a0c0de0000000000000004.capture.json; drift: 1 breaking")
}

// Rapyd's signed timestamp is held to a 5-minute window by default, and
// captures keep signatures only when asked.
func TestReplayDefences(t *testing.T) {
	body := example(t, "rapyd/examples/PAYMENT_COMPLETED.json")
	r := serve(t)
	code, msg := deliveries.Post(t, r.url+"/rapyd", body, signed(t, rapyd, rapydSecrets, r.url+"/rapyd", body, time.Now().Add(-time.Hour)))
	assert.Equal(t, http.StatusUnauthorized, code, "a delivery signed an hour ago is a replay")
	assert.Contains(t, msg, "outside the 5m0s tolerance")
	h := signed(t, rapyd, rapydSecrets, r.url+"/rapyd", body, time.Now())
	h.Set("Timestamp", "abc")
	code, msg = deliveries.Post(t, r.url+"/rapyd", body, h)
	assert.Equal(t, http.StatusUnauthorized, code)
	assert.Contains(t, msg, `timestamp "abc" is not Unix seconds`)
	code, _ = deliveries.Post(t, r.url+"/rapyd", body, signed(t, rapyd, rapydSecrets, r.url+"/rapyd", body, time.Now()))
	assert.Equal(t, http.StatusOK, code)
	for _, c := range deliveries.Captures(t, r.dir) {
		assert.Equal(t, []string{capture.Redacted}, c.Headers["Signature"], "signatures are redacted by default")
		assert.NotEqual(t, []string{capture.Redacted}, c.Headers["Salt"])
	}

	kept := serve(t, func(c *listen.Config) { c.Tolerance = 0; c.KeepSignatures = true })
	h = signed(t, rapyd, rapydSecrets, kept.url+"/rapyd", body, time.Now().Add(-time.Hour))
	code, _ = deliveries.Post(t, kept.url+"/rapyd", body, h)
	assert.Equal(t, http.StatusOK, code, "a tolerance of 0 turns the window off")
	for _, c := range deliveries.Captures(t, kept.dir) {
		assert.Equal(t, []string{h.Get("Signature")}, c.Headers["Signature"])
	}
}

// A delivery id or request path holding a newline cannot print a forged
// line.
func TestWhatIsPrintedIsEscaped(t *testing.T) {
	r := serve(t)
	forged := "x\n200 finmo CHECKOUT_COMPLETED forged captured finmo-forged.capture.json; drift: none\x1b[2K"
	code, _ := deliveries.Post(t, r.url+"/finmo", finmoDelivery(t, forged), finmoToken)
	require.Equal(t, http.StatusOK, code)

	// Augustus: a body without "type" takes the event from the path.
	body := untyped(t)
	deliveries.Post(t, r.url+"/api/service/webhook-event/paid%0A200%20rapyd%20PAYMENT_COMPLETED%20forged", body, signed(t, ivy, ivySecrets, "", body, time.Now()))

	for _, line := range strings.Split(r.lines(), "\n") {
		assert.NotContains(t, line, "\x1b")
		assert.False(t, strings.HasPrefix(line, "200 finmo CHECKOUT_COMPLETED forged"), "forged line %q", line)
		assert.False(t, strings.HasPrefix(line, "200 rapyd PAYMENT_COMPLETED forged"), "forged line %q", line)
	}
	assert.Contains(t, r.lines(), `x\n200 finmo CHECKOUT_COMPLETED forged`, "printed, escaped")
}

// withoutID is a Finmo delivery with no webhook_notification_id at all.
func withoutID(t *testing.T, note string) []byte {
	t.Helper()
	var doc map[string]any
	require.NoError(t, json.Unmarshal(finmoDelivery(t, "x"), &doc))
	delete(doc, "webhook_notification_id")
	doc["note"] = note
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

// A delivery without an id is captured under its body's hash, in file
// names no delivery id can take: a real delivery whose id spells that hash
// (in today's form or the old "body-" one) is a delivery of its own, in
// either order, never "already captured" and lost.
func TestBodyKeysStayApartFromDeliveryIDs(t *testing.T) {
	r := serve(t)
	idless := withoutID(t, "first")
	sum := sha256.Sum256(idless)
	spellings := []string{webhook.BodyID(idless), "body-" + hex.EncodeToString(sum[:8])}
	require.Equal(t, "sha256-"+hex.EncodeToString(sum[:]), spellings[0], "one convention: webhook.BodyID")

	code, msg := deliveries.Post(t, r.url+"/finmo", idless, finmoToken)
	require.Equal(t, http.StatusOK, code, msg)
	for _, id := range spellings {
		code, msg = deliveries.Post(t, r.url+"/finmo", finmoDelivery(t, id), finmoToken)
		require.Equal(t, http.StatusOK, code, msg)
	}
	// The other order: ids first, then the bodies they spell.
	later := withoutID(t, "second")
	laterSum := sha256.Sum256(later)
	for _, id := range []string{webhook.BodyID(later), "body-" + hex.EncodeToString(laterSum[:8])} {
		code, msg = deliveries.Post(t, r.url+"/finmo", finmoDelivery(t, id), finmoToken)
		require.Equal(t, http.StatusOK, code, msg)
	}
	code, msg = deliveries.Post(t, r.url+"/finmo", later, finmoToken)
	require.Equal(t, http.StatusOK, code, msg)
	// A retry of an id-less delivery is one capture still.
	code, msg = deliveries.Post(t, r.url+"/finmo", idless, finmoToken)
	require.Equal(t, http.StatusOK, code, msg)

	got := deliveries.Captures(t, r.dir)
	assert.Len(t, got, 6, "two id-less bodies and four ids, each kept")
	assert.Equal(t, string(idless), got[capture.BodyName("finmo", webhook.BodyID(idless))].Body)
	assert.Equal(t, string(later), got[capture.BodyName("finmo", webhook.BodyID(later))].Body)
	for _, id := range append(spellings, webhook.BodyID(later)) {
		assert.Contains(t, got[capture.Name("finmo", id)].Body, id)
	}
	assert.Contains(t, r.lines(), "(already captured)", "the retry of the id-less delivery")
}
