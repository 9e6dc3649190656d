package webhook

import (
	"context"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memorySink keeps captures by delivery id, failing while down, and can
// hold every Put until released.
type memorySink struct {
	mu    sync.Mutex
	got   map[string]*Capture
	down  bool
	block chan struct{}
}

func (s *memorySink) Put(_ context.Context, c *Capture) error {
	if s.block != nil {
		<-s.block
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.down:
		return errors.New("store unreachable")
	case s.got[c.DeliveryID] != nil:
		return ErrCaptureExists
	}
	if s.got == nil {
		s.got = map[string]*Capture{}
	}
	s.got[c.DeliveryID] = c
	return nil
}

func ivyPost(core http.Handler, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/augustus/e", strings.NewReader(body))
	req.Header.Set("X-Ivy-Signature", hex.EncodeToString(hmacSHA256([]byte("ivy_secret"), []byte(body))))
	req.Header.Set("Authorization", "Bearer secret")
	rec := httptest.NewRecorder()
	core.ServeHTTP(rec, req)
	return rec
}

var quiet = WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))

// Required mode: the capture is stored before the callback runs and the
// answer is written; a sink that fails answers 503, runs no callback and
// releases the id, so the provider's retry is captured and dispatched.
func TestRequiredCaptureAnswers503WhenTheSinkFails(t *testing.T) {
	sink := &memorySink{down: true}
	calls := 0
	var outcome Outcome
	core := ivyCore(t, func(context.Context, Delivery) error { calls++; return nil }, quiet,
		WithCapture(sink, CaptureRequired), WithObserver(func(_ context.Context, o Outcome) { outcome = o }))
	rec := ivyPost(core, `{"id":"d1"}`)
	assert.Equal(t, http.StatusServiceUnavailable, rec.Code)
	assert.Equal(t, "5", rec.Header().Get("Retry-After"))
	assert.Equal(t, 0, calls)
	assert.Equal(t, CaptureFailed, outcome.Capture)

	sink.down = false
	rec = ivyPost(core, `{"id":"d1"}`)
	require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
	assert.Equal(t, 1, calls)
	assert.Equal(t, Captured, outcome.Capture)
	c := sink.got["d1"]
	require.NotNil(t, c)
	assert.Equal(t, `{"id":"d1"}`, string(c.Body))
	assert.Equal(t, "augustus", c.Provider)
	assert.Equal(t, "e", c.Event)
	assert.Equal(t, fixedNow, c.ReceivedAt)
	assert.Equal(t, []string{Redacted}, c.Header["X-Ivy-Signature"], "signatures are redacted by default")
	assert.Equal(t, []string{Redacted}, c.Header["Authorization"])

	// A duplicate is not captured again; an unhandled event is captured.
	rec = ivyPost(core, `{"id":"d1"}`)
	assert.Equal(t, http.StatusOK, rec.Code)
	assert.Equal(t, NotCaptured, outcome.Capture)
}

// WithCaptureSignatures keeps signatures, never secrets.
func TestCaptureSignaturesKeepsSignaturesOnly(t *testing.T) {
	sink := &memorySink{}
	core := ivyCore(t, func(context.Context, Delivery) error { return nil }, WithCapture(sink, CaptureRequired), WithCaptureSignatures())
	require.Equal(t, http.StatusOK, ivyPost(core, `{"id":"d2"}`).Code)
	assert.NotEqual(t, []string{Redacted}, sink.got["d2"].Header["X-Ivy-Signature"])
	assert.Equal(t, []string{Redacted}, sink.got["d2"].Header["Authorization"])
}

// Sampled mode never holds a delivery up: with the sink stuck, deliveries
// past the queue are answered 200 at once and their captures dropped and
// counted; Close drains the queue once the sink comes back.
func TestSampledCaptureDropsWhenTheQueueIsFull(t *testing.T) {
	sink := &memorySink{block: make(chan struct{})}
	sampler, err := NewCaptureSampler(SamplerOptions{Rate: 1, Queue: 2, Workers: 1})
	require.NoError(t, err)
	calls := 0
	core := ivyCore(t, func(context.Context, Delivery) error { calls++; return nil }, quiet, WithCapture(sink, CaptureSampled(sampler)))
	start := time.Now()
	for _, id := range []string{"a", "b", "c", "d", "e", "f"} {
		require.Equal(t, http.StatusOK, ivyPost(core, `{"id":"`+id+`"}`).Code)
	}
	assert.Less(t, time.Since(start), 5*time.Second)
	assert.Equal(t, 6, calls)
	close(sink.block)
	require.NoError(t, sampler.Close(context.Background()))
	st := sampler.Stats()
	assert.EqualValues(t, 6, st.Stored+st.Dropped, "%+v", st)
	assert.GreaterOrEqual(t, st.Dropped, uint64(3), "a queue of 2 and one worker hold 3: %+v", st)
	assert.Len(t, sink.got, int(st.Stored))
}

// A rate samples by the delivery id: every copy of a delivery alike, and
// about the share asked for.
func TestSampledCaptureSamplesByDeliveryID(t *testing.T) {
	sampler, err := NewCaptureSampler(SamplerOptions{Rate: 0.25})
	require.NoError(t, err)
	defer sampler.Close(context.Background())
	in := 0
	for i := range 4000 {
		c := &Capture{Provider: "p", DeliveryID: "id-" + strings.Repeat("x", i%7) + string(rune('a'+i%26)) + time.Duration(i).String()}
		first := sampler.sampled(c)
		assert.Equal(t, first, sampler.sampled(c))
		if first {
			in++
		}
	}
	assert.InDelta(t, 1000, in, 150)
	_, err = NewCaptureSampler(SamplerOptions{Rate: 0})
	assert.EqualError(t, err, "capture sampler: rate 0: want above 0 and at most 1")
	_, err = NewCore(Config{Provider: "x"}, WithCapture(nil, CaptureRequired))
	assert.EqualError(t, err, "x handler: WithCapture: no sink")
}

// A capture says whether its id is its body's key, so that sinks name it
// without hashing the body again; a provider's id of the same shape is not
// taken for one.
func TestCaptureSaysWhetherItIsKeyedOnItsBody(t *testing.T) {
	sink := &memorySink{}
	core, err := NewCore(Config{
		Provider: "augustus",
		Scheme:   Scheme{Name: SchemeIvy},
		Secrets:  Secrets{Secret: "ivy_secret"},
		Decode: func(_ string, body []byte) (Delivery, error) {
			id, _ := Addressing{DeliveryID: BodyDeliveryID}.ID(body)
			return Delivery{ID: id, Event: "e", Known: true}, nil
		},
		Registered: func(string) bool { return true },
		Dispatch:   func(context.Context, Delivery) error { return nil },
	}, WithClock(clock), WithCapture(sink, CaptureRequired))
	require.NoError(t, err)
	body := `{"amount":1}`
	require.Equal(t, http.StatusOK, ivyPost(core, body).Code)
	c := sink.got[BodyID([]byte(body))]
	require.NotNil(t, c)
	assert.True(t, c.KeyedOnBody)

	hostile := BodyID([]byte(body))
	byID := &memorySink{}
	core = ivyCore(t, func(context.Context, Delivery) error { return nil }, WithCapture(byID, CaptureRequired))
	require.Equal(t, http.StatusOK, ivyPost(core, `{"id":"`+hostile+`"}`).Code)
	require.NotNil(t, byID.got[hostile])
	assert.False(t, byID.got[hostile].KeyedOnBody)
}
