package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/tooling/capture"
	"github.com/payhooks/payhooks/internal/tooling/safetext"
	"github.com/payhooks/payhooks/internal/tooling/words"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/drift"
	"github.com/payhooks/payhooks/webhook/redisstore"
)

// routeFlags collects repeated -route provider=/path flags.
type routeFlags map[string]string

func (r routeFlags) String() string { return fmt.Sprint(map[string]string(r)) }

func (r routeFlags) Set(v string) error {
	name, path, ok := strings.Cut(v, "=")
	if !ok || name == "" || !strings.HasPrefix(path, "/") {
		return fmt.Errorf("want provider=/path, got %q", v)
	}
	for _, c := range path {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune("/-._~", c)) {
			return fmt.Errorf("path %q: only letters, digits and / - . _ ~ may stand in a route", path)
		}
	}
	r[name] = path
	return nil
}

func runListen(args []string, stdout, stderr io.Writer) int {
	cmd := newCommand("payhooks listen", "", stdout, stderr)
	fl := cmd.fl
	addr := fl.String("addr", "127.0.0.1:8080", "address to listen on")
	dir := fl.String("dir", "captures", "folder to write one capture file per accepted delivery into (created if missing)")
	schemaDir := addSchemasFlag(fl)
	routes := routeFlags{}
	fl.Var(routes, "route", "serve a provider at another path: provider=/path (repeatable)")
	maxBody := rangeFlag[int64](fl, "max-body", webhook.DefaultMaxBodyBytes, 1, validate.MaxPayloadBytes, "largest body accepted, in `bytes` (413 past it)")
	skipVerify := fl.Bool("insecure-skip-verify", false, "accept unsigned deliveries (local experiments only)")
	tolerance := rangeFlag(fl, "tolerance", webhook.DefaultTolerance, 0, 24*time.Hour, "how far a signed timestamp (Rapyd, Standard Webhooks) may be from now, a `duration`; 0 turns the replay window off")
	keepSignatures := fl.Bool("keep-signatures", false, "keep signature headers in captures, which a replay of the exact request needs (default: stored as \"REDACTED\")")
	readTimeout := rangeFlag(fl, "read-timeout", 10*time.Second, 10*time.Millisecond, time.Hour, "how long (a `duration`) a client may take to send a request's headers and body")
	dedupe := fl.String("dedupe", "memory", "deduplication store: memory, or redis://host:port/db to share one between replicas")
	only := fl.String("provider", "", "serve this provider only (default: every provider whose secrets are set)")
	signature := addSignatureFlags(fl, "verify -provider's deliveries with this scheme instead of the one its schema declares")
	fsys, _ := schemaFolder(nil)
	fl.Usage = func() {
		out := fl.Output()
		fmt.Fprint(out, "Usage: payhooks listen [flags]\n\nReceives deliveries for every provider, verifies them, and writes each accepted one to\n-dir as <provider>-<delivery id>.capture.json before answering.\n\nSecrets come from the environment:\n")
		if cat, err := catalog.Load(fsys); err == nil {
			fmt.Fprint(out, secretsHelp(cat))
		}
		fmt.Fprint(out, "\nA provider whose secrets are unset is not served.\n\n")
		fl.PrintDefaults()
	}
	if code, done := cmd.parse(args); done {
		return code
	}
	fail := cmd.fail
	if len(cmd.args) > 0 {
		return fail("unexpected arguments %q", cmd.args)
	}
	fsys, err := schemaFolder(*schemaDir)
	if err != nil {
		return fail("-schemas: %v", err)
	}
	cat, v, err := newValidator(fsys)
	if err != nil {
		return fail("%v", err)
	}
	if err := os.MkdirAll(*dir, 0o755); err != nil {
		return fail("-dir: %v", err)
	}
	if err := capture.CheckWritable(*dir); err != nil {
		return fail("-dir: %v", err)
	}
	if n, err := capture.Clean(*dir); err != nil {
		return fail("-dir: %v", err)
	} else if n > 0 {
		fmt.Fprintf(stderr, "payhooks listen: removed %s whose writer is gone\n", words.Count(n, "partial capture", "partial captures"))
	}
	store, closeStore, err := redisstore.Open(*dedupe)
	if err != nil {
		return fail("-dedupe: %v", err)
	}
	defer closeStore()
	for name := range routes {
		if cat.Provider(name) == nil {
			return fail("-route: %v", unknownProvider(cat, name))
		}
	}
	if *only != "" && cat.Provider(*only) == nil {
		return fail("-provider: %v", unknownProvider(cat, *only))
	}
	if err := signature.override(cat, *only); err != nil {
		return fail("%v", err)
	}
	for _, p := range cat.Providers {
		if err := knownScheme(p); err != nil {
			return fail("%v", err)
		}
	}
	if *skipVerify {
		fmt.Fprintln(stderr, "payhooks listen: WARNING: -insecure-skip-verify: signatures are NOT verified; anyone can post deliveries. Use for local experiments only.")
	}

	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	var unserved []string
	mux, served, err := newListener(listenConfig{
		catalog: cat, validator: v, dir: *dir, out: stdout, logger: logger, routes: routes,
		maxBody: *maxBody, store: store, skipVerify: *skipVerify, tolerance: *tolerance, only: *only,
		keepSignatures: *keepSignatures, bodyTimeout: *readTimeout,
		notServed: func(p *catalog.Provider, _ error) { unserved = append(unserved, p.Name) },
	})
	if len(unserved) > 0 {
		printLine(stderr, "payhooks listen: not serving %s: secrets unset (payhooks listen -h names each provider's variables)", strings.Join(unserved, ", "))
	}
	if err != nil {
		return fail("%v", err)
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fail("%v", err)
	}
	// A client that trickles its request is cut off after -read-timeout,
	// well inside the shutdown grace period below; what all clients hold
	// before a handler runs is bounded by the guard (listen_guard.go).
	guard := newConnGuard()
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: *readTimeout, ReadTimeout: *readTimeout,
		WriteTimeout: *readTimeout + time.Minute, IdleTimeout: time.Minute, MaxHeaderBytes: 64 << 10, ConnState: guard.connState}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	printLine(stderr, "payhooks listen: on http://%s, capturing to %s: %s", ln.Addr(), *dir, strings.Join(served, ", "))
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(guard.listener(ln)) }()
	select {
	case err := <-serveErr:
		return fail("%v", err)
	case <-ctx.Done():
	}
	fmt.Fprintln(stderr, "payhooks listen: shutting down; finishing deliveries in flight")
	shutdown, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return fail("shutdown: %v", err)
	}
	fmt.Fprintln(stderr, "payhooks listen: stopped")
	return exitOK
}

// shutdownGrace is how long listen waits for deliveries in flight after
// SIGINT or SIGTERM.
const shutdownGrace = 30 * time.Second

// listenBodyBudget bounds the request bodies all providers hold at once.
const listenBodyBudget = 32 << 20

// listenConfig is what newListener builds the receiver from.
type listenConfig struct {
	catalog    *catalog.Catalog
	validator  *validate.Validator
	dir        string
	out        io.Writer
	logger     *slog.Logger
	routes     map[string]string
	maxBody    int64
	store      webhook.Store
	skipVerify bool
	tolerance  time.Duration
	// keepSignatures keeps signature headers in captures.
	keepSignatures bool
	bodyTimeout    time.Duration
	// notServed hears of each provider left out for want of secrets.
	notServed func(*catalog.Provider, error)
	// only names the one provider to serve ("": all).
	only string
}

// newListener builds the mux serving every provider whose secrets are set,
// and lists what it serves.
func newListener(cfg listenConfig) (*http.ServeMux, []string, error) {
	l := &listener{providers: map[string]*catalog.Provider{}, dir: cfg.dir, out: cfg.out, keepSignatures: cfg.keepSignatures}
	mux := http.NewServeMux()
	var served []string
	budget := webhook.NewBodyBudget(max(listenBodyBudget, cfg.maxBody+1))
	for _, p := range cfg.catalog.Providers {
		if cfg.only != "" && p.Name != cfg.only {
			continue
		}
		l.providers[p.Name] = p
		route := p.Route()
		if r, ok := cfg.routes[p.Name]; ok {
			route = r
		}
		opts := []webhook.Option{
			webhook.WithMaxBodyBytes(cfg.maxBody), webhook.WithStore(cfg.store), webhook.WithLogger(cfg.logger),
			webhook.WithTolerance(cfg.tolerance), webhook.WithBodyBudget(budget), webhook.WithBodyTimeout(cfg.bodyTimeout),
			webhook.WithDriftHook(func(context.Context, webhook.Delivery, []drift.Finding) {}),
			webhook.WithUnhandledHook(func(context.Context, webhook.Delivery) {}),
			webhook.WithObserver(l.print),
		}
		if cfg.skipVerify {
			opts = append(opts, webhook.WithInsecureSkipVerify())
		}
		core, err := webhook.NewCore(webhook.Config{
			Provider:   p.Name,
			Scheme:     schemeOf(p),
			Secrets:    webhook.SecretsFromEnv(p.Name),
			Decode:     decodeAny(p, route),
			Registered: func(string) bool { return true },
			Dispatch:   l.store(p),
			Drift:      validate.ForProvider(cfg.validator, p.Name),
		}, opts...)
		if err != nil {
			// Secrets that are set but unusable are a mistake to fix, not a
			// provider to leave out.
			if anySet(webhook.EnvNames(p.Name, schemeOf(p))) {
				return nil, nil, err // it names the provider and its variables
			}
			if cfg.notServed != nil {
				cfg.notServed(p, err)
			}
			continue
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

// listener writes captures and prints one line per delivery.
type listener struct {
	providers      map[string]*catalog.Provider // by name
	dir            string
	keepSignatures bool
	mu             sync.Mutex
	out            io.Writer
	// alreadyCaptured holds the captures a delivery found already written
	// (by an earlier run whose memory store forgot it), until print says so.
	alreadyCaptured sync.Map
}

// store is the core's callback: it writes the capture durably, and answers
// 503 when it cannot, so the provider retries rather than losing it.
func (l *listener) store(p *catalog.Provider) func(context.Context, webhook.Delivery) error {
	return func(_ context.Context, d webhook.Delivery) error {
		redact := schemeOf(p).SecretHeaders()
		if !l.keepSignatures {
			redact = append(redact, schemeOf(p).SignatureHeaders()...)
		}
		c, err := capture.New(d.Request.Method, d.Request.Path, d.Request.Header, d.Body, d.Request.ReceivedAt, redact...)
		if err != nil {
			return &webhook.StatusError{Code: http.StatusBadRequest, Message: err.Error(), Err: err}
		}
		file := captureName(p, d.ID, d.Body)
		switch err := capture.Write(l.dir, file, c); {
		case errors.Is(err, capture.ErrExists):
			// Acknowledge only a copy of the very delivery stored there.
			old, rerr := capture.Read(l.dir, file)
			if rerr != nil || captureName(p, deliveryID(p, old.Body), []byte(old.Body)) != file {
				err := fmt.Errorf("%s holds another delivery", file)
				return &webhook.StatusError{Code: http.StatusServiceUnavailable, Message: "cannot store the delivery; retry later", Err: err}
			}
			l.alreadyCaptured.Store(file, true)
		case err != nil:
			return &webhook.StatusError{Code: http.StatusServiceUnavailable, Message: "cannot store the delivery; retry later", Err: err}
		}
		return nil
	}
}

// captureName is the file a delivery is captured in: named after its
// delivery id, or, when the provider keys deliveries on their body or the
// delivery has no id, after its webhook.BodyID, in file names no id has.
func captureName(p *catalog.Provider, deliveryID string, body []byte) string {
	if p.Addressing.DeliveryID == webhook.BodyDeliveryID || deliveryID == "" {
		return capture.BodyName(p.Name, webhook.BodyID(body))
	}
	return capture.Name(p.Name, deliveryID)
}

func deliveryID(p *catalog.Provider, body string) string {
	id, _ := p.Addressing.ID([]byte(body))
	return id
}

// print writes one line per delivery: status, provider, event, delivery
// id, what happened and the drift summary.
func (l *listener) print(_ context.Context, o webhook.Outcome) {
	detail := o.Message
	if o.Dispatched {
		file := captureName(l.providers[o.Delivery.Provider], o.Delivery.ID, o.Delivery.Body)
		detail = "captured " + file
		if _, already := l.alreadyCaptured.LoadAndDelete(file); already {
			detail += " (already captured)"
		}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	// Event, id and the message can come from the request: escaped, so no
	// request can print a line of its own.
	fmt.Fprintf(l.out, "%d %s %s %s %s; drift: %s\n", o.Code, orDash(o.Delivery.Provider), safetext.Escape(orDash(o.Delivery.Event)),
		safetext.Escape(orDash(o.Delivery.ID)), safetext.Escape(detail), driftSummary(o.Findings))
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
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
