package sender

import (
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/webhook"
)

// Many deliveries, each a new one (fresh id, re-signed); the receiver's
// reason comes back with a refusal; the summary adds up.
func TestSendManyDeliveries(t *testing.T) {
	var mu sync.Mutex
	ids := map[string]bool{}
	verifier, err := webhook.NewVerifier(webhook.Scheme{Name: webhook.SchemeIvy}, webhook.Secrets{Secret: "s"}, webhook.VerifyOptions{})
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := verifier.Verify(webhook.Request{Header: r.Header, Body: body}); err != nil {
			http.Error(w, err.Error()+"\nmore detail", http.StatusUnauthorized)
			return
		}
		id, _ := webhook.StringAt(body, "/id")
		mu.Lock()
		ids[id] = true
		mu.Unlock()
	}))
	defer srv.Close()
	signer, err := webhook.NewSigner(webhook.Scheme{Name: webhook.SchemeIvy}, webhook.Secrets{Secret: "s"}, webhook.VerifyOptions{})
	require.NoError(t, err)
	var all []Result
	for r := range Send(Options{URL: srv.URL, Signer: signer, Body: []byte(`{"id": "d1", "n": 1}`), Addressing: webhook.Addressing{DeliveryID: "/id"}, Count: 20, Concurrency: 4, Timeout: 5 * time.Second}) {
		all = append(all, r)
	}
	require.Len(t, all, 20)
	assert.Len(t, ids, 20, "every delivery a new id")
	line, ok := Summarize(all)
	assert.True(t, ok)
	assert.Regexp(t, `^sent 20: 2xx 20, 4xx 0, 5xx 0, errors 0, p50 \S+, p99 \S+$`, line)

	wrong, _ := webhook.NewSigner(webhook.Scheme{Name: webhook.SchemeIvy}, webhook.Secrets{Secret: "other"}, webhook.VerifyOptions{})
	r := <-Send(Options{URL: srv.URL, Signer: wrong, Body: []byte(`{"id": "d1"}`), Addressing: webhook.Addressing{DeliveryID: "/id"}, Count: 1, Concurrency: 1, Timeout: 5 * time.Second})
	assert.Equal(t, http.StatusUnauthorized, r.Status)
	assert.Equal(t, "d1", r.ID, "one delivery keeps its id")
	assert.Equal(t, `signature: header "X-Ivy-Signature" does not match the body`, r.Reason, "the first line of the answer")
	_, ok = Summarize([]Result{r})
	assert.False(t, ok)
}

// No more workers start than there are deliveries: -concurrency 10000000
// -count 2 started ten million goroutines (17.5 GB).
func TestSendStartsNoMoreWorkersThanDeliveries(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer srv.Close()
	signer, err := webhook.NewSigner(webhook.Scheme{Name: webhook.SchemeIvy}, webhook.Secrets{Secret: "s"}, webhook.VerifyOptions{})
	require.NoError(t, err)
	before := runtime.NumGoroutine()
	results := Send(Options{URL: srv.URL, Signer: signer, Body: []byte(`{"id": "d1"}`), Addressing: webhook.Addressing{DeliveryID: "/id"}, Count: 2, Concurrency: 100_000, Timeout: 5 * time.Second})
	time.Sleep(100 * time.Millisecond) // the workers are up, their requests held by the server
	assert.Less(t, runtime.NumGoroutine()-before, 100, "goroutines for 2 deliveries")
	close(release)
	n := 0
	for range results {
		n++
	}
	assert.Equal(t, 2, n)
}
