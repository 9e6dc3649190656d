// Package listen is the receiver behind payhooks listen: one handler core
// (webhook.Core) per provider of a schema folder whose secrets are set, on
// its route, that verifies each delivery, checks it for drift, and stores
// its capture in a webhook.CaptureSink (a folder, object storage) before
// answering, printing one line per delivery and counting it when metrics
// are on; and the connection guard it serves behind (guard.go).
// Flags, the server's life and its signals are the command's.
package listen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/payhooks/payhooks/internal/capture"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/tooling/safetext"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
	"github.com/payhooks/payhooks/webhook/metrics"
)

// BodyBudget bounds the request bodies all providers hold at once.
const BodyBudget = 32 << 20

// Config is what New builds the receiver from.
type Config struct {
	Catalog   *catalog.Catalog
	Validator *validate.Validator
	// Sink stores every accepted delivery's capture before it is answered;
	// Out hears one line per delivery, Logger the handlers' failures.
	Sink   webhook.CaptureSink
	Out    io.Writer
	Logger *slog.Logger
	// Metrics, when set, counts deliveries, drift and captures.
	Metrics *metrics.Metrics
	// Routes serve providers at other paths than their own (provider →
	// path).
	Routes     map[string]string
	MaxBody    int64
	Store      webhook.Store
	SkipVerify bool
	Tolerance  time.Duration
	// KeepSignatures keeps signature headers in captures.
	KeepSignatures bool
	BodyTimeout    time.Duration
	// NotServed hears of each provider left out for want of secrets.
	NotServed func(*catalog.Provider, error)
	// Only names the one provider to serve ("": all).
	Only string
}

// New builds the mux serving every provider whose secrets are set, and
// lists what it serves ("rapyd /rapyd").
func New(cfg Config) (*http.ServeMux, []string, error) {
	l := &listener{providers: map[string]*catalog.Provider{}, out: cfg.Out, metrics: cfg.Metrics}
	mux := http.NewServeMux()
	var served []string
	budget := webhook.NewBodyBudget(max(BodyBudget, cfg.MaxBody+1))
	for _, p := range cfg.Catalog.Providers {
		if cfg.Only != "" && p.Name != cfg.Only {
			continue
		}
		l.providers[p.Name] = p
		route := p.Route()
		if r, ok := cfg.Routes[p.Name]; ok {
			route = r
		}
		opts := []webhook.Option{
			webhook.WithMaxBodyBytes(cfg.MaxBody), webhook.WithStore(cfg.Store), webhook.WithLogger(cfg.Logger),
			webhook.WithTolerance(cfg.Tolerance), webhook.WithBodyBudget(budget), webhook.WithBodyTimeout(cfg.BodyTimeout),
			webhook.WithDriftHook(func(context.Context, webhook.Delivery, []drift.Finding) {}),
			webhook.WithUnhandledHook(func(context.Context, webhook.Delivery) {}),
			webhook.WithObserver(l.print),
			webhook.WithCapture(cfg.Sink, webhook.CaptureRequired),
		}
		if cfg.KeepSignatures {
			opts = append(opts, webhook.WithCaptureSignatures())
		}
		if cfg.SkipVerify {
			opts = append(opts, webhook.WithInsecureSkipVerify())
		}
		core, err := webhook.NewCore(webhook.Config{
			Provider:   p.Name,
			Scheme:     p.Signature,
			Secrets:    webhook.SecretsFromEnv(p.Name),
			Decode:     decodeAny(p, route),
			Registered: func(string) bool { return true },
			// The capture, stored before the callback runs, is all listen
			// does with a delivery.
			Dispatch: func(context.Context, webhook.Delivery) error { return nil },
			Drift:    validate.ForProvider(cfg.Validator, p.Name),
		}, opts...)
		if err != nil {
			// Secrets that are set but unusable are a mistake to fix, not a
			// provider to leave out.
			if anySet(webhook.EnvNames(p.Name, p.Signature)) {
				return nil, nil, err // it names the provider and its variables
			}
			if cfg.NotServed != nil {
				cfg.NotServed(p, err)
			}
			continue
		}
		// Only the providers served are checked and compiled, now.
		if err := cfg.Validator.Compile(p.Name); err != nil {
			return nil, nil, err
		}
		pattern := route
		if strings.HasSuffix(route, "/") {
			pattern += "{event}"
		}
		if err := handle(mux, pattern, core); err != nil {
			return nil, nil, fmt.Errorf("-route %s=%s: %v", p.Name, route, err)
		}
		served = append(served, p.Name+" "+pattern)
	}
	if len(served) == 0 {
		return nil, nil, errors.New("no provider has its secrets set; nothing to serve (see payhooks listen -h)")
	}
	return mux, served, nil
}

// handle registers pattern on mux, turning ServeMux's panic on a pattern it
// refuses (two providers on one path) into an error.
func handle(mux *http.ServeMux, pattern string, h http.Handler) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%v", p)
		}
	}()
	mux.Handle(pattern, h)
	return nil
}

func anySet(env []string) bool {
	for _, name := range env {
		if os.Getenv(name) != "" {
			return true
		}
	}
	return false
}

// listener prints one line per delivery, and counts it.
type listener struct {
	providers map[string]*catalog.Provider // by name
	metrics   *metrics.Metrics
	mu        sync.Mutex
	out       io.Writer
}

// CaptureName is the name a delivery of p with the id Addressing.ID read
// is captured under, as the sinks name it (capture.NameOf): after its
// delivery id, or, when the provider keys deliveries on their body (the id
// is its webhook.BodyID already) or the delivery has no id, after its
// webhook.BodyID, in names no id has.
func CaptureName(p *catalog.Provider, deliveryID string, body []byte) string {
	return capture.NameOf(p.Name, deliveryID, p.Addressing.DeliveryID == webhook.BodyDeliveryID, body)
}

// print writes one line per delivery: status, provider, event, delivery
// id, what happened and the drift summary.
func (l *listener) print(ctx context.Context, o webhook.Outcome) {
	if l.metrics != nil {
		l.metrics.Observe(ctx, o)
	}
	detail := o.Message
	if o.Dispatched {
		detail = "captured " + CaptureName(l.providers[o.Delivery.Provider], o.Delivery.ID, o.Delivery.Body)
		if o.Capture == webhook.AlreadyCaptured {
			detail += " (already captured)"
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	// Event, id and the message can come from the request: escaped, so no
	// request can print a line of its own.
	fmt.Fprintf(l.out, "%d %s %s %s %s; drift: %s\n", o.Code, safetext.Field(o.Delivery.Provider), safetext.Field(o.Delivery.Event),
		safetext.Field(o.Delivery.ID), safetext.Escape(detail), driftSummary(o.Findings))
}

func driftSummary(findings []drift.Finding) string {
	if len(findings) == 0 {
		return "none"
	}
	count := map[drift.Severity]int{}
	for _, f := range findings {
		count[f.Severity]++
	}
	var parts []string
	for _, s := range drift.Severities {
		if count[s] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", count[s], s))
		}
	}
	return strings.Join(parts, ", ")
}

// decodeAny reads the event and delivery id of any delivery, known event or
// not, as the provider's Addressing says (a provider that names the event
// in the path, on another -route, has it after that route): listen
// captures everything it accepts.
func decodeAny(p *catalog.Provider, route string) func(string, []byte) (webhook.Delivery, error) {
	a := p.Addressing
	if a.PathPrefix != "" && strings.HasSuffix(route, "/") {
		a.PathPrefix = route
	}
	return func(path string, body []byte) (webhook.Delivery, error) {
		d := webhook.Delivery{Known: true}
		d.ID, _ = a.ID(body)
		event, err := a.Event(path, body)
		d.Event = event
		return d, err
	}
}
