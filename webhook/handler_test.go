package webhook

import (
	"context"
	"encoding/hex"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Callbacks and observers get the request they came in as a value
// (webhook.RequestInfo), for rejected requests too, so a tool that keeps
// deliveries (payhooks listen) needs nothing passed through the context.
func TestRequestInfoReachesCallbackAndObserver(t *testing.T) {
	var dispatched Delivery
	var outcomes []Outcome
	core, err := NewCore(Config{
		Provider: "augustus",
		Scheme:   Scheme{Name: SchemeIvy},
		Secrets:  Secrets{Secret: "ivy_secret"},
		Decode: func(_ string, body []byte) (Delivery, error) {
			id, _ := StringAt(body, "/id")
			return Delivery{ID: id, Event: "e", Known: true}, nil
		},
		Registered: func(string) bool { return true },
		Dispatch:   func(_ context.Context, d Delivery) error { dispatched = d; return nil },
	}, WithClock(clock), WithObserver(func(_ context.Context, o Outcome) { outcomes = append(outcomes, o) }))
	require.NoError(t, err)

	body := `{"id":"d1"}`
	req := httptest.NewRequest(http.MethodPost, "/augustus/e", strings.NewReader(body))
	req.Header.Set("X-Ivy-Signature", hex.EncodeToString(hmacSHA256([]byte("ivy_secret"), []byte(body))))
	req.Header.Set("X-Trace", "t-1")
	rec := httptest.NewRecorder()
	core.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())

	want := RequestInfo{Method: http.MethodPost, Path: "/augustus/e", Header: req.Header, ReceivedAt: fixedNow}
	assert.Equal(t, want, dispatched.Request)
	require.Len(t, outcomes, 1)
	assert.True(t, outcomes[0].Dispatched)
	assert.Equal(t, want, outcomes[0].Delivery.Request)
	assert.Equal(t, "d1", outcomes[0].Delivery.ID)

	// A request refused before decoding still says where it came from.
	bad := httptest.NewRequest(http.MethodPost, "/augustus/e", strings.NewReader(body))
	bad.Header.Set("X-Ivy-Signature", "00")
	core.ServeHTTP(httptest.NewRecorder(), bad)
	require.Len(t, outcomes, 2)
	assert.Equal(t, http.StatusUnauthorized, outcomes[1].Code)
	assert.False(t, outcomes[1].Dispatched)
	assert.Equal(t, "/augustus/e", outcomes[1].Delivery.Request.Path)
	assert.Equal(t, fixedNow, outcomes[1].Delivery.Request.ReceivedAt)
}
