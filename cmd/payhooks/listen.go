package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/listen"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/validate"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/metrics"
	"github.com/payhooks/payhooks/webhook/redisstore"
	"github.com/prometheus/client_golang/prometheus"
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
	dir := fl.String("dir", "captures", "where to write one capture per accepted delivery: a folder (created if missing) or s3://BUCKET/PREFIX (endpoint and credentials from AWS_ENDPOINT_URL_S3, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION)")
	metricsAddr := fl.String("metrics-addr", "", "serve Prometheus metrics of deliveries, drift and captures at http://`ADDR`/metrics (\"\": off)")
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
	cat, v, err := newValidatorOnUse(fsys)
	if err != nil {
		return fail("%v", err)
	}
	sink, err := openCaptureSink(*dir, stderr)
	if err != nil {
		return fail("-dir: %v", err)
	}
	store, closeStore, err := redisstore.Open(*dedupe)
	if err != nil {
		return fail("-dedupe: %v", err)
	}
	defer closeStore()
	for name := range routes {
		if _, err := cat.Find(name); err != nil {
			return fail("-route: %v", err)
		}
	}
	if *only != "" {
		if _, err := cat.Find(*only); err != nil {
			return fail("-provider: %v", err)
		}
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
	var m *metrics.Metrics
	if *metricsAddr != "" {
		m = metrics.New(prometheus.DefaultRegisterer)
	}
	mux, served, err := listen.New(listen.Config{
		Catalog: cat, Validator: v, Sink: sink, Out: stdout, Logger: logger, Routes: routes, Metrics: m,
		MaxBody: *maxBody, Store: store, SkipVerify: *skipVerify, Tolerance: *tolerance, Only: *only,
		KeepSignatures: *keepSignatures, BodyTimeout: *readTimeout,
		NotServed: func(p *catalog.Provider, _ error) { unserved = append(unserved, p.Name) },
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
	// before a handler runs is bounded by the guard (package listen).
	guard := listen.NewConnGuard()
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: *readTimeout, ReadTimeout: *readTimeout,
		WriteTimeout: *readTimeout + time.Minute, IdleTimeout: time.Minute, MaxHeaderBytes: 64 << 10, ConnState: guard.ConnState}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	serveErr := make(chan error, 2)
	if m != nil {
		metricsSrv, err := serveMetrics(*metricsAddr, serveErr)
		if err != nil {
			return fail("-metrics-addr: %v", err)
		}
		defer metricsSrv.Close()
		printLine(stderr, "payhooks listen: metrics on http://%s/metrics", metricsSrv.Addr)
	}
	printLine(stderr, "payhooks listen: on http://%s, capturing to %s: %s", ln.Addr(), *dir, strings.Join(served, ", "))
	go func() { serveErr <- srv.Serve(guard.Listener(ln)) }()
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
