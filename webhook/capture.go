package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/payhooks/payhooks/webhook/drift"
)

// Capture is the record of one verified delivery that WithCapture hands
// to a CaptureSink: what payhooks validate needs to check it again later,
// in CI, against the schemas of the day. Sinks store it in the capture
// format of payhooks listen, named after its delivery (see package
// webhook/dircapture).
type Capture struct {
	Provider string
	// Event is the event name the body carries ("" when none).
	Event string
	// DeliveryID is the id the provider keeps across retries; "" when the
	// body has none. A provider keyed on its body has its BodyID here.
	DeliveryID string
	// KeyedOnBody says DeliveryID is the body's BodyID, so a sink names
	// the capture after it without hashing the body again (see
	// webhook.KeyedOnBody).
	KeyedOnBody bool
	ReceivedAt  time.Time
	Method      string
	Path        string
	// Header is a copy of the request's headers, secret-bearing ones (and
	// signatures, unless WithCaptureSignatures) replaced by Redacted.
	Header http.Header
	// Body is the request body exactly as received. It is the handler's
	// own buffer: read it, never write to it.
	Body []byte
	// Findings are the drift findings of the body (nil when drift is not
	// checked).
	Findings []drift.Finding
}

// Redacted replaces the values of secret-bearing headers in a capture.
const Redacted = "REDACTED"

// CaptureSink stores captures durably. Put must be safe for concurrent
// use, return only once c is stored (or fail), and never replace a
// capture already stored under c's name: it then returns an error that
// wraps ErrCaptureExists, so a retried delivery keeps its first capture.
type CaptureSink interface {
	Put(ctx context.Context, c *Capture) error
}

// ErrCaptureExists says a delivery's capture is stored already.
var ErrCaptureExists = errors.New("capture already stored")

// CaptureStatus says what became of a delivery's capture, in Outcome.
type CaptureStatus int

const (
	// NotCaptured: no sink, or the request was not a verified, well-formed
	// delivery.
	NotCaptured CaptureStatus = iota
	// Captured: stored before the answer.
	Captured
	// AlreadyCaptured: a capture of the delivery was stored already (a
	// retry); it is kept as it was.
	AlreadyCaptured
	// CaptureFailed: required mode could not store it; the answer was 503.
	CaptureFailed
	// CaptureQueued: sampled mode queued it for its sink.
	CaptureQueued
	// CaptureDropped: sampled mode's queue was full; the capture is lost
	// and counted.
	CaptureDropped
	// CaptureUnsampled: sampled mode left the delivery out of its sample.
	CaptureUnsampled
)

var captureStatusNames = [...]string{"none", "stored", "exists", "failed", "queued", "dropped", "unsampled"}

// String is the status's word, as metrics label it.
func (s CaptureStatus) String() string {
	if int(s) < len(captureStatusNames) {
		return captureStatusNames[s]
	}
	return fmt.Sprintf("CaptureStatus(%d)", int(s))
}

// CaptureMode is required (CaptureRequired) or sampled (CaptureSampled).
type CaptureMode struct{ sampler *CaptureSampler }

// CaptureRequired answers a delivery 2xx only once its capture is stored;
// when the sink fails the answer is 503 and no callback runs, so the
// provider retries: nothing acknowledged is missing from the captures.
var CaptureRequired = CaptureMode{}

// CaptureSampled captures a share of deliveries through s's bounded
// queue, best effort: a delivery is never held up or refused for its
// capture, and what is lost is counted (CaptureSampler.Stats).
func CaptureSampled(s *CaptureSampler) CaptureMode { return CaptureMode{sampler: s} }

// WithCapture writes every delivery the handler acknowledges to sink, in
// mode, before its callback runs: deliveries of unknown or unhandled
// events and drifted ones included. A duplicate of a delivery handled
// already is not captured again, nor is a request the handler refuses (a
// bad signature, malformed JSON, drift in strict mode: the drift hook and
// the observer see those).
func WithCapture(sink CaptureSink, mode CaptureMode) Option {
	return func(o *options) { o.capture, o.captureMode, o.captureSet = sink, mode, true }
}

// WithCaptureSignatures keeps signature headers in captures, which a
// replay of the exact request needs; by default they are stored as
// Redacted. Headers that carry the secret itself are always redacted.
func WithCaptureSignatures() Option { return func(o *options) { o.keepSignatures = true } }

// alwaysRedacted are credentials headers no capture keeps, whatever the
// scheme.
var alwaysRedacted = []string{"Authorization", "Proxy-Authorization", "Cookie"}

// newCapture builds d's capture record.
func (c *Core) newCapture(d Delivery, findings []drift.Finding) *Capture {
	redact := make(map[string]bool, 8)
	for _, h := range alwaysRedacted {
		redact[h] = true
	}
	for _, h := range c.cfg.Scheme.SecretHeaders() {
		redact[http.CanonicalHeaderKey(h)] = true
	}
	if !c.o.keepSignatures {
		for _, h := range c.cfg.Scheme.SignatureHeaders() {
			redact[http.CanonicalHeaderKey(h)] = true
		}
	}
	header := make(http.Header, len(d.Request.Header))
	for name, values := range d.Request.Header {
		if redact[http.CanonicalHeaderKey(name)] {
			values = []string{Redacted}
		}
		header[name] = append([]string(nil), values...)
	}
	return &Capture{
		Provider: d.Provider, Event: d.Event, DeliveryID: d.ID, KeyedOnBody: KeyedOnBody(d.ID, d.Body),
		ReceivedAt: d.Request.ReceivedAt, Method: d.Request.Method, Path: d.Request.Path,
		Header: header, Body: d.Body, Findings: findings,
	}
}

// capture stores d's capture in the configured mode and says what became
// of it.
func (c *Core) capture(ctx context.Context, d Delivery, findings []drift.Finding) CaptureStatus {
	if s := c.o.captureMode.sampler; s != nil {
		return s.offer(c.o.capture, c.newCapture(d, findings), c.o.logger)
	}
	err := c.o.capture.Put(ctx, c.newCapture(d, findings))
	switch {
	case err == nil:
		return Captured
	case errors.Is(err, ErrCaptureExists):
		return AlreadyCaptured
	}
	c.o.logger.ErrorContext(ctx, "payhooks: cannot store the capture; answering 503 so the provider retries",
		"provider", d.Provider, "event", d.Event, "delivery_id", d.ID, "error", err)
	return CaptureFailed
}
