package generated_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook"
)

// BenchmarkHandler compares, per provider and on the same signed example,
// a bare handler that only reads the body with the generated handler's
// full path (verify, drift check, decode, dedupe, dispatch), the same
// without the drift check, and two of its parts alone on the same
// requests: the signature check and the drift check. Every iteration is a
// new delivery id, so deduplication stores an id each time rather than
// short-cutting.
func BenchmarkHandler(b *testing.B) {
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	})
	cat, err := catalog.Load(schemas.FS)
	require.NoError(b, err)
	for _, p := range providers() {
		body := p.body(b)
		t := &testing.T{}
		verifier, err := webhook.NewVerifier(p.scheme, p.secrets, webhook.VerifyOptions{})
		require.NoError(b, err)
		verify := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if err := verifier.Verify(webhook.Request{Header: r.Header, URL: "http://" + r.Host + r.URL.RequestURI(), Body: body}); err != nil {
				w.WriteHeader(http.StatusUnauthorized)
				return
			}
			w.WriteHeader(http.StatusOK)
		})
		drift, err := p.drift()
		require.NoError(b, err)
		check := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			body, _ := io.ReadAll(r.Body)
			if findings := drift.Check(r.URL.Path, body); len(findings) > 0 {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			w.WriteHeader(http.StatusOK)
		})
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
				pointer := cat.Provider(p.name).DeliveryID
				build := func(from int) {
					for j := range reqs {
						id := strconv.Itoa(from + j)
						// A new delivery id, or for a provider keyed on the
						// body, a new body.
						unique := bytes.Replace(body, []byte(`"id": "`), []byte(`"id": "`+id+`-`), 1)
						if pointer != webhook.BodyDeliveryID {
							var err error
							unique, err = webhook.SetString(body, pointer, "d"+id)
							require.NoError(b, err)
						}
						reqs[j] = p.request(b, p.path, unique, &p.secrets)
					}
				}
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
