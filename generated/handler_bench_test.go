package generated_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/payhooks/payhooks/webhook"
)

// BenchmarkHandler compares, per provider and on the same signed example,
// a bare handler that only reads the body with the generated handler's
// full path (verify, JSON check, drift check, decode, dedupe, dispatch),
// and the same without the drift check. Every iteration is a new delivery
// id, so deduplication stores an id each time rather than short-cutting.
func BenchmarkHandler(b *testing.B) {
	bare := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.WriteHeader(http.StatusOK)
	})
	for _, p := range providers() {
		body := p.body(b)
		t := &testing.T{}
		cases := []struct {
			name string
			h    http.Handler
		}{
			{"bare-read-body", bare},
			{"payhooks", p.build(t, &recorder{}, quiet())},
			{"payhooks-without-drift", p.build(t, &recorder{}, quiet(), webhook.WithoutDrift())},
		}
		for _, c := range cases {
			b.Run(p.name+"/"+c.name, func(b *testing.B) {
				b.SetBytes(int64(len(body)))
				b.ReportAllocs()
				reqs := make([]*http.Request, b.N)
				for i := range reqs {
					unique := bytes.Replace(body, []byte(`"id": "`), []byte(`"id": "`+strconv.Itoa(i)+`-`), 1)
					if p.name == "finmo" {
						unique = bytes.Replace(body, []byte(`"webhook_notification_id": "`), []byte(`"webhook_notification_id": "`+strconv.Itoa(i)+`-`), 1)
					}
					reqs[i] = p.request(b, p.path, unique, &p.secrets)
				}
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					w := httptest.NewRecorder()
					c.h.ServeHTTP(w, reqs[i])
					if w.Code != http.StatusOK {
						b.Fatalf("%d %s", w.Code, w.Body)
					}
				}
			})
		}
	}
}
