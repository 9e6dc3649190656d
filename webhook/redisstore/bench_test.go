package redisstore_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/webhook"
)

// BenchmarkHandlerStore compares the Rapyd handler's path (verify, decode,
// dedupe, dispatch; the drift check off to isolate the store) with the
// in-memory store and with Redis on loopback, in one run. Each iteration
// is a new delivery id, so each claims and completes a key.
func BenchmarkHandlerStore(b *testing.B) {
	url := sharedURL(b)
	for _, c := range []struct {
		name  string
		store webhook.Store
	}{{"memory", webhook.NewMemoryStore(0, nil)}, {"redis", newStore(b, url)}} {
		b.Run(c.name, func(b *testing.B) {
			h, err := rapyd.NewHandler(webhook.Secrets{AccessKey: "ak", SecretKey: "sk"}, webhook.WithStore(c.store), webhook.WithoutDrift(), webhook.WithLogger(quietLogger()))
			require.NoError(b, err)
			h.OnPaymentCompleted(func(context.Context, *rapyd.PaymentCompletedEvent) error { return nil })
			run := time.Now().UnixNano()
			const batch = 2048
			reqs := make([]*http.Request, batch)
			build := func(from int) {
				for j := range reqs {
					reqs[j] = delivery(b, fmt.Sprintf("bench_%s_%d_%d", c.name, run, from+j))
				}
			}
			build(0)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if i > 0 && i%batch == 0 {
					b.StopTimer()
					build(i)
					b.StartTimer()
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, reqs[i%batch])
				if w.Code != http.StatusOK {
					b.Fatal(w.Code, w.Body)
				}
			}
		})
	}
}
