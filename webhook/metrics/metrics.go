// Package metrics counts what webhook handlers see, for Prometheus: the
// deliveries by provider, event and outcome, the drift findings by kind
// and severity, the handlers' latency, and what became of captures. A
// Metrics is fed by a handler's observer (webhook.WithObserver(m.Observe));
// payhooks listen -metrics-addr serves it. It is a package of its own, on
// Prometheus' client_golang, so that a receiver without metrics links
// none of it.
package metrics

import (
	"context"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/payhooks/payhooks/webhook"
)

// Metrics holds the collectors New registers.
type Metrics struct {
	deliveries *prometheus.CounterVec
	findings   *prometheus.CounterVec
	latency    *prometheus.HistogramVec
	captures   *prometheus.CounterVec
	reg        prometheus.Registerer
}

// New registers payhooks' collectors with reg (prometheus.DefaultRegisterer
// for the process's /metrics); it panics, as prometheus.MustRegister
// does, when they are registered there already.
func New(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "payhooks_deliveries_total",
			Help: "Requests to webhook handlers, by provider, event (\"\" before the signature is verified), outcome (dispatched, acknowledged, rejected, failed) and HTTP status.",
		}, []string{"provider", "event", "outcome", "code"}),
		findings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "payhooks_drift_findings_total",
			Help: "Schema drift findings in verified deliveries, by provider, event, kind and severity.",
		}, []string{"provider", "event", "kind", "severity"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "payhooks_handler_duration_seconds",
			Help:    "Time from a request's arrival to its answer, by provider and outcome.",
			Buckets: prometheus.DefBuckets,
		}, []string{"provider", "outcome"}),
		captures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "payhooks_captures_total",
			Help: "Captures of verified deliveries, by provider and status (stored, exists, failed; sampled mode: queued, dropped, unsampled).",
		}, []string{"provider", "status"}),
		reg: reg,
	}
	reg.MustRegister(m.deliveries, m.findings, m.latency, m.captures)
	return m
}

// Observe counts one request's outcome: pass it to webhook.WithObserver.
func (m *Metrics) Observe(_ context.Context, o webhook.Outcome) {
	provider, event := label(o.Delivery.Provider), label(o.Delivery.Event)
	outcome := outcomeOf(o)
	m.deliveries.WithLabelValues(provider, event, outcome, strconv.Itoa(o.Code)).Inc()
	m.latency.WithLabelValues(provider, outcome).Observe(o.Elapsed.Seconds())
	for _, f := range o.Findings {
		m.findings.WithLabelValues(provider, event, label(string(f.Kind)), label(string(f.Severity))).Inc()
	}
	if o.Capture != webhook.NotCaptured {
		m.captures.WithLabelValues(provider, o.Capture.String()).Inc()
	}
}

// outcomeOf names what the handler did: dispatched to a callback,
// acknowledged without one (unknown or unhandled events, duplicates),
// rejected (4xx: the provider does not retry) or failed (5xx: it does).
func outcomeOf(o webhook.Outcome) string {
	switch {
	case o.Dispatched:
		return "dispatched"
	case o.Code < 300:
		return "acknowledged"
	case o.Code < 500:
		return "rejected"
	}
	return "failed"
}

// label bounds a value from a delivery (an event name is the sender's) to
// 64 bytes of valid UTF-8.
func label(s string) string {
	if len(s) > 64 {
		s = s[:64]
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	return s
}

// WatchSampler exports what a sampled capture's queue did in the
// background: payhooks_capture_queue_results_total by result (stored,
// exists, failed) and payhooks_capture_queue_length. Drops are counted
// where they happen, in payhooks_captures_total{status="dropped"}.
func (m *Metrics) WatchSampler(s *webhook.CaptureSampler) {
	result := func(name string, get func(webhook.SamplerStats) uint64) prometheus.Collector {
		return prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name:        "payhooks_capture_queue_results_total",
			Help:        "Sampled captures the queue's workers stored, found stored already, or failed to store.",
			ConstLabels: prometheus.Labels{"result": name},
		}, func() float64 { return float64(get(s.Stats())) })
	}
	m.reg.MustRegister(
		result("stored", func(st webhook.SamplerStats) uint64 { return st.Stored }),
		result("exists", func(st webhook.SamplerStats) uint64 { return st.Existing }),
		result("failed", func(st webhook.SamplerStats) uint64 { return st.Failed }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "payhooks_capture_queue_length",
			Help: "Sampled captures waiting for a worker.",
		}, func() float64 { return float64(s.Stats().Queued) }),
	)
}
