package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/payhooks/payhooks/webhook/drift"
)

// Delivery is one received webhook as a generated handler decoded it.
type Delivery struct {
	Provider string
	// Event is the event name the delivery carries ("" when none).
	Event string
	// ID is the delivery id the provider keeps across retries ("" when the
	// body has none, and then it is not deduplicated).
	ID string
	// Value is the decoded event: a *…Event of the generated package, or
	// its *UnknownEvent.
	Value any
	// Known says whether the schemas document the event.
	Known bool
	// Body is the raw body as received and verified. Value's strings and
	// raw values share its memory (the handler reads each body into a
	// buffer of its own and hands it over rather than copying it): read it
	// and keep it, never write to it.
	Body []byte
	// Request is the HTTP request the delivery came in, for callbacks and
	// observers that keep or log deliveries (payhooks listen writes it to
	// its captures). It is set for every request, rejected ones included.
	Request RequestInfo
}

// RequestInfo is what a handler keeps of the HTTP request besides its body.
// Header is the request's own map: read it, do not keep it past the call.
type RequestInfo struct {
	Method     string
	Path       string
	Header     http.Header
	ReceivedAt time.Time
}

// DriftChecker checks a received body against the provider's schema for
// event, the event the handler found it names (Config.Decode; "" when it
// names none), so the body is not read for its event twice.
type DriftChecker interface {
	Check(event string, body []byte) []drift.Finding
}

// Config is what a generated handler hands to NewCore.
type Config struct {
	Provider string
	Scheme   Scheme
	Secrets  Secrets
	// Decode parses a verified body into a Delivery; an error is a value
	// the generated types cannot hold. The body is the core's own buffer,
	// which nothing writes to afterwards: the decoded value may share it.
	Decode func(path string, body []byte) (Delivery, error)
	// DecodeChecksJSON says Decode fails on any body that is not valid
	// JSON, as generated Parse functions do (they check what they read),
	// so the body is not checked beforehand: only when Decode fails, to
	// answer "malformed JSON" rather than a decode error.
	DecodeChecksJSON bool
	// Registered reports whether a callback is registered for an event.
	Registered func(event string) bool
	// Dispatch runs the registered callback of d's event.
	Dispatch func(ctx context.Context, d Delivery) error
	// Drift is the generated package's schema check, used unless an option
	// replaces or disables it.
	Drift DriftChecker
}

// Core is the http.Handler behind every generated handler: POST only, a
// body cap, signature verification on the raw body, JSON and type checks,
// drift reporting, deduplication and dispatch to typed callbacks.
//
// Status codes: 405 not POST; 413 body over the cap; 401 missing or bad
// signature (no callback runs); 400 malformed JSON, a value the types cannot
// hold, or drift in strict mode; 200 unknown or unregistered events
// (reported), duplicates of a completed delivery, and success; 409 while
// another copy of the same delivery is being handled; 500 when the callback
// fails or panics (so the provider retries); 503 when the deduplication
// store cannot be reached, or a capture required by WithCapture cannot be
// stored. Every answer is a line of plain text; all but the 200s the core
// words itself ("ok", "ok: not handled", "ok: duplicate delivery", which
// the server labels text/plain) set Content-Type and
// X-Content-Type-Options: nosniff.
type Core struct {
	cfg      Config
	verifier Verifier
	// signsURL says the scheme signs the request's URL, which is then
	// worded for it (a string a delivery otherwise need not build).
	signsURL bool
	o        options
}

// Option tunes a handler.
type Option func(*options)

type options struct {
	maxBody     int64
	store       Store
	window      time.Duration
	lease       time.Duration
	drift       DriftChecker
	noDrift     bool
	strict      drift.Severity
	onDrift     func(context.Context, Delivery, []drift.Finding)
	onUnhandled func(context.Context, Delivery)
	logger      *slog.Logger
	verify      VerifyOptions
	skipVerify  bool
	publicURL   func(*http.Request) string
	observer    func(context.Context, Outcome)
	budget      *BodyBudget
	bodyTimeout time.Duration

	capture        CaptureSink
	captureMode    CaptureMode
	captureSet     bool
	keepSignatures bool
}

// Defaults.
const (
	DefaultMaxBodyBytes = 1 << 20
	// DefaultWindow outlasts every bundled provider's retry schedule (Finmo
	// 24 h after the first failure, Tazapay 24 h, Augustus about 54 h).
	DefaultWindow = 72 * time.Hour
	// DefaultLease is how long a claim lasts when its holder dies mid-call.
	DefaultLease = 5 * time.Minute
)

// MaxBodyLimit is the largest body cap a handler takes: a body is held in
// memory whole.
const MaxBodyLimit = 1 << 30

// WithMaxBodyBytes caps the body (default 1 MiB, at most MaxBodyLimit);
// past it the answer is 413.
func WithMaxBodyBytes(n int64) Option { return func(o *options) { o.maxBody = n } }

// WithStore sets the deduplication store (default: a MemoryStore).
func WithStore(s Store) Option { return func(o *options) { o.store = s } }

// WithWindow sets how long a completed delivery id is remembered.
func WithWindow(d time.Duration) Option { return func(o *options) { o.window = d } }

// WithLease sets how long a claim lasts if its holder dies.
func WithLease(d time.Duration) Option { return func(o *options) { o.lease = d } }

// WithDriftChecker replaces the schema check.
func WithDriftChecker(d DriftChecker) Option { return func(o *options) { o.drift = d } }

// WithoutDrift turns the schema check off.
func WithoutDrift() Option { return func(o *options) { o.noDrift = true } }

// WithStrict rejects with 400 a delivery with a drift finding of severity
// at least min (drift.Breaking, drift.Warning or drift.Info) instead of
// dispatching it.
func WithStrict(min drift.Severity) Option { return func(o *options) { o.strict = min } }

// WithDriftHook receives the findings of each delivery that has any
// (default: one slog warning per finding).
func WithDriftHook(fn func(context.Context, Delivery, []drift.Finding)) Option {
	return func(o *options) { o.onDrift = fn }
}

// WithUnhandledHook receives each delivery acknowledged without a callback:
// an unknown event or one with no callback registered (default: a slog
// line).
func WithUnhandledHook(fn func(context.Context, Delivery)) Option {
	return func(o *options) { o.onUnhandled = fn }
}

// WithLogger sets the logger of the default hooks and of failures.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithClock sets the clock signature timestamps are checked against.
func WithClock(now func() time.Time) Option { return func(o *options) { o.verify.Now = now } }

// WithTolerance sets how far a signed timestamp may be from now, either way
// (default DefaultTolerance, for every scheme that signs one); 0 turns the
// window off, leaving deduplication as the only defence against a replay.
func WithTolerance(d time.Duration) Option {
	return func(o *options) {
		if d <= 0 {
			d = -1
		}
		o.verify.Tolerance = d
	}
}

// WithPublicURL tells the handler the URL a request was sent to, for schemes
// that sign it (Rapyd), when a proxy in front changes it. The default is
// the request's scheme, host and path.
func WithPublicURL(fn func(*http.Request) string) Option {
	return func(o *options) { o.publicURL = fn }
}

// WithInsecureSkipVerify accepts unsigned deliveries. For local experiments
// only; every request logs a warning.
func WithInsecureSkipVerify() Option { return func(o *options) { o.skipVerify = true } }

// NewCore builds the handler core; it fails when the scheme's secrets are
// missing.
func NewCore(cfg Config, opts ...Option) (*Core, error) {
	c := &Core{cfg: cfg, o: options{maxBody: DefaultMaxBodyBytes, window: DefaultWindow, lease: DefaultLease, bodyTimeout: DefaultBodyTimeout}}
	for _, opt := range opts {
		opt(&c.o)
	}
	if c.o.maxBody < 1 || c.o.maxBody > MaxBodyLimit {
		return nil, fmt.Errorf("%s handler: WithMaxBodyBytes(%d): want 1 to %d", cfg.Provider, c.o.maxBody, int64(MaxBodyLimit))
	}
	if c.o.budget == nil {
		c.o.budget = NewBodyBudget(max(DefaultBodyBudget, c.o.maxBody+1))
	}
	if c.o.logger == nil {
		c.o.logger = slog.Default()
	}
	if c.o.store == nil {
		c.o.store = NewMemoryStore(0, c.o.verify.Now)
	}
	if c.o.drift == nil && !c.o.noDrift {
		c.o.drift = cfg.Drift
	}
	if c.o.noDrift {
		c.o.drift = nil
	}
	if c.o.onDrift == nil {
		c.o.onDrift = c.logDrift
	}
	if c.o.onUnhandled == nil {
		c.o.onUnhandled = c.logUnhandled
	}
	if c.o.captureSet && c.o.capture == nil {
		return nil, fmt.Errorf("%s handler: WithCapture: no sink", cfg.Provider)
	}
	if c.o.strict != "" {
		if _, err := drift.ParseSeverity(string(c.o.strict)); err != nil {
			return nil, fmt.Errorf("%s handler: WithStrict: %w", cfg.Provider, err)
		}
	}
	if !c.o.skipVerify {
		v, err := NewVerifier(cfg.Scheme, cfg.Secrets, c.o.verify)
		if err != nil {
			// Say where the secrets come from: most handlers read them with
			// SecretsFromEnv.
			return nil, fmt.Errorf("%s handler: %w (SecretsFromEnv reads %s)", cfg.Provider, err, strings.Join(EnvNames(cfg.Provider, cfg.Scheme), ", "))
		}
		c.verifier = v
		_, c.signsURL = v.(interface{ signsURL() })
	}
	return c, nil
}

// The handler's own acknowledgements: the 200 answers whose text is fixed.
const (
	ackHandled   = "ok"
	ackUnhandled = "ok: not handled"
	ackDuplicate = "ok: duplicate delivery"
)

// reply answers code and msg as plain text. An acknowledgement of the
// handler's own sets no header: its text echoes nothing of the request, so
// there is nothing for nosniff to guard, and the server labels it
// text/plain itself (it sniffs a body without a Content-Type). Setting a
// header costs every delivery the header map's first group and its copy at
// WriteHeader (net/http copies it as httptest does): a third of the bytes
// a delivery allocated.
func reply(w http.ResponseWriter, code int, msg string) {
	if !acknowledges(code, msg) {
		// The keys are canonical already, so they are set directly, and
		// both values share one new array (one allocation, not two); each
		// its own, so whatever a middleware appends or changes stays in
		// this reply.
		h := w.Header()
		values := [2]string{"text/plain; charset=utf-8", "nosniff"}
		h["Content-Type"] = values[0:1:1]
		h["X-Content-Type-Options"] = values[1:2:2]
	}
	w.WriteHeader(code)
	io.WriteString(w, msg)
	io.WriteString(w, "\n")
}

// acknowledges says whether code and msg are one of the handler's own
// acknowledgements.
func acknowledges(code int, msg string) bool {
	return code == http.StatusOK && (msg == ackHandled || msg == ackUnhandled || msg == ackDuplicate)
}

// Outcome is what became of one request, for WithObserver.
type Outcome struct {
	// Delivery is what was decoded (empty before verification).
	Delivery Delivery
	Code     int
	Message  string
	// Findings are the drift findings, when the check ran.
	Findings []drift.Finding
	// Dispatched says whether the callback ran and succeeded.
	Dispatched bool
	// Capture says what became of the delivery's capture (WithCapture).
	Capture CaptureStatus
	// Elapsed is how long the request took, from its arrival to its
	// answer written.
	Elapsed time.Duration
}

// WithObserver is called once per request, after the answer is written,
// with its outcome: for logging, metrics or a capture tool.
func WithObserver(fn func(context.Context, Outcome)) Option {
	return func(o *options) { o.observer = fn }
}

// ServeHTTP implements http.Handler.
func (c *Core) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	var out Outcome
	out.Code, out.Message = c.handle(w, r, start, &out)
	if out.Code == http.StatusMethodNotAllowed {
		w.Header().Set("Allow", http.MethodPost)
	}
	if out.Code == http.StatusConflict || out.Code == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	reply(w, out.Code, out.Message)
	if c.o.observer != nil {
		out.Elapsed = time.Since(start)
		c.o.observer(r.Context(), out)
	}
}

// handle runs one request, which arrived at start, through the checks and
// the callback, filling in out, and says what to answer. out is the
// caller's, not a value handed back: an Outcome is a few hundred bytes, and
// copying it on every return was a cost of every delivery.
func (c *Core) handle(w http.ResponseWriter, r *http.Request, start time.Time, out *Outcome) (code int, msg string) {
	receivedAt := start
	if c.o.verify.Now != nil {
		receivedAt = c.o.verify.Now()
	}
	received := RequestInfo{Method: r.Method, Path: r.URL.Path, Header: r.Header, ReceivedAt: receivedAt}
	out.Delivery = Delivery{Provider: c.cfg.Provider, Request: received}
	if r.Method != http.MethodPost {
		return http.StatusMethodNotAllowed, "method " + r.Method + " not allowed: webhooks are POSTed"
	}
	var deadline time.Time
	if c.o.bodyTimeout > 0 {
		deadline = start.Add(c.o.bodyTimeout)
	}
	held, err := readBody(w, r, c.o.maxBody, c.o.budget, deadline)
	defer held.release()
	switch {
	case errors.Is(err, errBodyTooLarge):
		return http.StatusRequestEntityTooLarge, fmt.Sprintf("body larger than %d bytes", c.o.maxBody)
	case errors.Is(err, errOverBudget):
		return http.StatusServiceUnavailable, "too many bodies in flight; retry later"
	case err != nil:
		return http.StatusBadRequest, "cannot read body: " + oneLine(err.Error())
	}
	body := held.data
	ctx := r.Context()
	if c.o.skipVerify {
		c.o.logger.WarnContext(ctx, "payhooks: signature NOT verified (insecure skip verify)", "provider", c.cfg.Provider)
	} else if err := c.verifier.Verify(c.signed(r, body)); err != nil {
		return http.StatusUnauthorized, err.Error()
	}
	if !c.cfg.DecodeChecksJSON {
		if reason, bad := malformedJSON(body); bad {
			return http.StatusBadRequest, reason
		}
	}
	d, decodeErr := c.cfg.Decode(r.URL.Path, body)
	if decodeErr != nil && c.cfg.DecodeChecksJSON {
		if reason, bad := malformedJSON(body); bad {
			return http.StatusBadRequest, reason
		}
	}
	if !utf8.Valid(body) {
		return http.StatusBadRequest, "malformed JSON: the body is not UTF-8"
	}
	d.Provider, d.Body, d.Request = c.cfg.Provider, body, received
	out.Delivery = d
	if c.o.drift != nil {
		if out.Findings = c.o.drift.Check(d.Event, body); len(out.Findings) > 0 {
			c.o.onDrift(ctx, d, out.Findings)
		}
	}
	if f, ok := c.strictViolation(out.Findings); ok {
		return http.StatusBadRequest, fmt.Sprintf("schema drift (%s): %s %s: %s", f.Severity, f.Kind, pointerText(f.Pointer), oneLine(f.Message))
	}
	if decodeErr != nil {
		return http.StatusBadRequest, "cannot decode: " + oneLine(decodeErr.Error())
	}
	// A delivery to acknowledge is captured first (WithCapture).
	captureFailed := func() bool {
		if c.o.capture != nil {
			out.Capture = c.capture(ctx, d, out.Findings)
		}
		return out.Capture == CaptureFailed
	}
	if !d.Known || !c.cfg.Registered(d.Event) {
		if captureFailed() {
			return http.StatusServiceUnavailable, "cannot store the delivery; retry later"
		}
		c.o.onUnhandled(ctx, d)
		return http.StatusOK, ackUnhandled
	}
	// Ids are kept per provider: two providers may use the same id.
	key := c.cfg.Provider + ":" + d.ID
	if d.ID != "" {
		res, err := c.o.store.Claim(ctx, key, c.o.lease)
		switch {
		case err != nil:
			c.o.logger.ErrorContext(ctx, "payhooks: deduplication store unavailable", "provider", c.cfg.Provider, "delivery_id", d.ID, "error", err)
			return http.StatusServiceUnavailable, "deduplication store unavailable; retry later"
		case res == Done:
			c.o.logger.DebugContext(ctx, "payhooks: duplicate delivery acknowledged; its callback ran before", "provider", c.cfg.Provider, "event", d.Event, "delivery_id", d.ID)
			return http.StatusOK, ackDuplicate
		case res == InProgress:
			return http.StatusConflict, "another copy of this delivery is being handled; retry later"
		}
	}
	if captureFailed() {
		if d.ID != "" {
			if rerr := c.o.store.Release(context.WithoutCancel(ctx), key); rerr != nil {
				c.o.logger.ErrorContext(ctx, "payhooks: cannot release an uncaptured delivery; its retry waits for the lease", "provider", c.cfg.Provider, "delivery_id", d.ID, "error", rerr)
			}
		}
		return http.StatusServiceUnavailable, "cannot store the delivery; retry later"
	}
	if err := c.dispatch(ctx, d); err != nil {
		if d.ID != "" {
			if rerr := c.o.store.Release(context.WithoutCancel(ctx), key); rerr != nil {
				c.o.logger.ErrorContext(ctx, "payhooks: cannot release a failed delivery; its retry waits for the lease", "provider", c.cfg.Provider, "delivery_id", d.ID, "error", rerr)
			}
		}
		c.o.logger.ErrorContext(ctx, "payhooks: callback failed", "provider", c.cfg.Provider, "event", d.Event, "delivery_id", d.ID, "error", err)
		var se *StatusError
		if errors.As(err, &se) {
			return se.Code, se.Message
		}
		return http.StatusInternalServerError, "callback failed; retry later"
	}
	if d.ID != "" {
		if err := c.o.store.Complete(c.detached(ctx), key, c.o.window); err != nil {
			c.o.logger.ErrorContext(ctx, "payhooks: cannot mark delivery done; a retry may run it again", "provider", c.cfg.Provider, "delivery_id", d.ID, "error", err)
		}
	}
	out.Dispatched = true
	return http.StatusOK, ackHandled
}

// malformedJSON says why body is not valid JSON, as the answer to send.
func malformedJSON(body []byte) (string, bool) {
	if json.Valid(body) {
		return "", false
	}
	var v json.RawMessage
	reason := "not JSON"
	if err := json.Unmarshal(body, &v); err != nil {
		reason = err.Error()
	}
	return "malformed JSON: " + oneLine(reason), true
}

// StatusError is a callback error that chooses the answer: a callback that
// knows the failure is temporary (a full disk, say) returns one with 503.
// Any other error answers 500.
type StatusError struct {
	Code    int
	Message string
	Err     error
}

func (e *StatusError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("%d %s", e.Code, e.Message)
	}
	return fmt.Sprintf("%d %s: %v", e.Code, e.Message, e.Err)
}

func (e *StatusError) Unwrap() error { return e.Err }

// dispatch runs the callback, turning a panic into an error.
func (c *Core) dispatch(ctx context.Context, d Delivery) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("callback panicked: %v\n%s", p, debug.Stack())
		}
	}()
	return c.cfg.Dispatch(ctx, d)
}

// detached is ctx without its cancellation, for marking a delivery done
// after its callback ran even when the client has gone. The MemoryStore
// never reads its context, so it is handed ctx as it is (WithoutCancel
// allocates).
func (c *Core) detached(ctx context.Context) context.Context {
	if _, ok := c.o.store.(*MemoryStore); ok {
		return ctx
	}
	return context.WithoutCancel(ctx)
}

// signed is what the verifier reads of r: its URL only for a scheme that
// signs it.
func (c *Core) signed(r *http.Request, body []byte) Request {
	if !c.signsURL {
		return Request{Header: r.Header, Body: body}
	}
	return Request{Header: r.Header, URL: c.url(r), Body: body}
}

func (c *Core) url(r *http.Request) string {
	if c.o.publicURL != nil {
		return c.o.publicURL(r)
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host + r.URL.RequestURI()
}

func (c *Core) strictViolation(findings []drift.Finding) (drift.Finding, bool) {
	if c.o.strict == "" {
		return drift.Finding{}, false
	}
	for _, f := range findings {
		if f.Severity.AtLeast(c.o.strict) {
			return f, true
		}
	}
	return drift.Finding{}, false
}

func (c *Core) logDrift(ctx context.Context, d Delivery, findings []drift.Finding) {
	for _, f := range findings {
		c.o.logger.WarnContext(ctx, "payhooks: schema drift",
			"provider", d.Provider, "event", d.Event, "delivery_id", d.ID,
			"pointer", f.Pointer, "kind", f.Kind, "severity", f.Severity, "message", f.Message)
	}
}

func (c *Core) logUnhandled(ctx context.Context, d Delivery) {
	reason := "no callback registered"
	if !d.Known {
		reason = "event not in the schemas"
	}
	c.o.logger.InfoContext(ctx, "payhooks: delivery acknowledged without a callback",
		"provider", d.Provider, "event", d.Event, "delivery_id", d.ID, "reason", reason)
}

func oneLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	if len(s) > 300 {
		s = s[:297] + "..."
	}
	return s
}

func pointerText(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}
