package webhook

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/race"
	"github.com/payhooks/payhooks/internal/testonly/rounds"
)

// Callbacks and observers get the request they came in as a value
// (webhook.RequestInfo), for rejected requests too, so a tool that keeps
// deliveries (payhooks listen) needs nothing passed through the context.
func TestRequestInfoReachesCallbackAndObserver(t *testing.T) {
	var dispatched Delivery
	var outcomes []Outcome
	core := ivyCore(t, func(_ context.Context, d Delivery) error { dispatched = d; return nil },
		WithObserver(func(_ context.Context, o Outcome) { outcomes = append(outcomes, o) }))

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

// unwrapping is middleware's ResponseWriter: it hides the server's, and
// offers it through Unwrap as http.ResponseController expects.
type unwrapping struct{ http.ResponseWriter }

func (u unwrapping) Unwrap() http.ResponseWriter { return u.ResponseWriter }

// A client that sends its headers and then trickles the body is cut off
// after the body timeout, also behind middleware that wraps the
// ResponseWriter, and its request is answered without being dispatched.
func TestBodyTimeoutCutsOffATricklingClient(t *testing.T) {
	core, err := NewCore(Config{
		Provider:   "augustus",
		Scheme:     Scheme{Name: SchemeIvy},
		Secrets:    Secrets{Secret: "ivy_secret"},
		Decode:     func(string, []byte) (Delivery, error) { return Delivery{}, nil },
		Registered: func(string) bool { return true },
		Dispatch:   func(context.Context, Delivery) error { t.Error("dispatched a body never sent"); return nil },
	}, WithBodyTimeout(200*time.Millisecond))
	require.NoError(t, err)
	for name, h := range map[string]http.Handler{
		"bare":             core,
		"behind a wrapper": http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { core.ServeHTTP(unwrapping{w}, r) }),
	} {
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(h) // 127.0.0.1
			defer srv.Close()
			c, err := net.Dial("tcp", srv.Listener.Addr().String())
			require.NoError(t, err)
			defer c.Close()
			start := time.Now()
			fmt.Fprintf(c, "POST /augustus/e HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
			require.NoError(t, c.SetReadDeadline(time.Now().Add(10*time.Second)))
			resp, err := http.ReadResponse(bufio.NewReader(c), nil)
			require.NoError(t, err, "answered while the body is still owed")
			resp.Body.Close()
			assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
			assert.Less(t, time.Since(start), 5*time.Second, "cut off by the body timeout, not the test's")
		})
	}
}

// A duplicate is acknowledged without its callback, and the log says so at
// debug level (a provider's retries are routine, not warnings).
func TestDuplicateIsLoggedAtDebug(t *testing.T) {
	var logs strings.Builder
	calls := 0
	core := ivyCore(t, func(context.Context, Delivery) error { calls++; return nil },
		WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	body := `{"id":"d1"}`
	for range 2 {
		req := httptest.NewRequest(http.MethodPost, "/augustus/e", strings.NewReader(body))
		req.Header.Set("X-Ivy-Signature", hex.EncodeToString(hmacSHA256([]byte("ivy_secret"), []byte(body))))
		rec := httptest.NewRecorder()
		core.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code)
	}
	assert.Equal(t, 1, calls)
	assert.Contains(t, logs.String(), `level=DEBUG msg="payhooks: duplicate delivery acknowledged; its callback ran before" provider=augustus event=e delivery_id=d1`)
}

// ivyCore is a core for Augustus-signed deliveries (secret "ivy_secret")
// whose id is /id and event "e", dispatching to dispatch.
func ivyCore(t *testing.T, dispatch func(context.Context, Delivery) error, opts ...Option) *Core {
	t.Helper()
	core, err := NewCore(Config{
		Provider: "augustus",
		Scheme:   Scheme{Name: SchemeIvy},
		Secrets:  Secrets{Secret: "ivy_secret"},
		Decode: func(_ string, body []byte) (Delivery, error) {
			id, _ := StringAt(body, "/id")
			return Delivery{ID: id, Event: "e", Known: true}, nil
		},
		Registered: func(string) bool { return true },
		Dispatch:   dispatch,
	}, append([]Option{WithClock(clock)}, opts...)...)
	require.NoError(t, err)
	return core
}

// headerOnly is a ResponseWriter that keeps only the header map, emptied
// (not remade) for each request, so that what a delivery allocates is the
// handler's own.
type headerOnly struct {
	h    http.Header
	code int
}

func (w *headerOnly) Header() http.Header               { return w.h }
func (w *headerOnly) Write(b []byte) (int, error)       { return len(b), nil }
func (w *headerOnly) WriteString(s string) (int, error) { return len(s), nil }
func (w *headerOnly) WriteHeader(code int)              { w.code = code }

// A delivery costs the core two allocations besides the signature check's
// and the decoder's: its body and its id's key in the store. The
// acknowledgement (no header), the store's entry, the hold on the body, the URL
// (for a scheme that does not sign it) and a detached context for the
// memory store cost nothing.
func TestCoreAllocationsADelivery(t *testing.T) {
	if race.Enabled {
		t.Skip("the race detector adds allocations; make test runs this test again without it")
	}
	core := ivyCore(t, func(context.Context, Delivery) error { return nil })
	const runs = 100
	reqs := make([]*http.Request, runs+1) // AllocsPerRun runs once more to warm up
	bodies := make([]*strings.Reader, len(reqs))
	for i := range reqs {
		body := fmt.Sprintf(`{"id":"d%d"}`, i)
		bodies[i] = strings.NewReader(body)
		reqs[i] = httptest.NewRequest(http.MethodPost, "/augustus/e", bodies[i])
		reqs[i].Header.Set("X-Ivy-Signature", hex.EncodeToString(hmacSHA256([]byte("ivy_secret"), []byte(body))))
	}
	body := []byte(`{"id":"d0"}`)
	verify := testing.AllocsPerRun(runs, func() {
		require.NoError(t, core.verifier.Verify(Request{Header: reqs[0].Header, Body: body}))
	})
	decode := testing.AllocsPerRun(runs, func() {
		_, err := core.cfg.Decode("/augustus/e", body)
		require.NoError(t, err)
	})
	w := &headerOnly{h: http.Header{}}
	next := 0
	allocs := testing.AllocsPerRun(runs, func() {
		clear(w.h)
		core.ServeHTTP(w, reqs[next])
		require.Equal(t, http.StatusOK, w.code)
		next++
	})
	assert.LessOrEqual(t, allocs-verify-decode, 2.0, "%v in all, %v verifying, %v decoding", allocs, verify, decode)
}

// headerCounter is a ResponseWriter that counts the calls to Header.
type headerCounter struct {
	headerOnly
	calls int
}

func (w *headerCounter) Header() http.Header { w.calls++; return w.h }

// The handler's own acknowledgements set no header: each costs a header
// map and its copy at WriteHeader, on the path every delivery takes, and
// they echo nothing of the request. Served, they still arrive as plain
// text, which the server finds itself; every other answer, a callback's
// 200 included (its words are the callback's), sets both headers.
func TestAcknowledgementsSetNoHeader(t *testing.T) {
	var answer error
	var message string
	observe := WithObserver(func(_ context.Context, o Outcome) { message = o.Message })
	handled := ivyCore(t, func(context.Context, Delivery) error { return answer }, observe, quiet)
	unhandled, err := NewCore(Config{
		Provider:   "augustus",
		Scheme:     Scheme{Name: SchemeIvy},
		Secrets:    Secrets{Secret: "ivy_secret"},
		Decode:     func(string, []byte) (Delivery, error) { return Delivery{Event: "e"}, nil },
		Registered: func(string) bool { return false },
		Dispatch:   func(context.Context, Delivery) error { return nil },
	}, observe, quiet)
	require.NoError(t, err)
	serve := func(core *Core, body, signature string) (*headerCounter, string) {
		req := httptest.NewRequest(http.MethodPost, "/augustus/e", strings.NewReader(body))
		req.Header.Set("X-Ivy-Signature", signature)
		w := &headerCounter{headerOnly: headerOnly{h: http.Header{}}}
		core.ServeHTTP(w, req)
		return w, message
	}
	sign := func(body string) string { return hex.EncodeToString(hmacSHA256([]byte("ivy_secret"), []byte(body))) }
	for _, c := range []struct {
		core      *Core
		body      string
		signature string
		answer    error
		code      int
		message   string
		headers   int
	}{
		{handled, `{"id":"a"}`, sign(`{"id":"a"}`), nil, http.StatusOK, "ok", 0},
		{handled, `{"id":"a"}`, sign(`{"id":"a"}`), nil, http.StatusOK, "ok: duplicate delivery", 0},
		{unhandled, `{"id":"b"}`, sign(`{"id":"b"}`), nil, http.StatusOK, "ok: not handled", 0},
		{handled, `{"id":"c"}`, sign(`{"id":"c"}`), &StatusError{Code: http.StatusOK, Message: "kept for later"}, http.StatusOK, "kept for later", 1},
		{handled, `{"id":"d"}`, "00", nil, http.StatusUnauthorized, "", 1},
	} {
		answer = c.answer
		w, message := serve(c.core, c.body, c.signature)
		require.Equal(t, c.code, w.code, message)
		if c.message != "" {
			assert.Equal(t, c.message, message)
		}
		assert.Equal(t, c.headers, w.calls, "%d %s", w.code, message)
		if c.headers > 0 {
			assert.Equal(t, []string{"nosniff"}, w.h["X-Content-Type-Options"], message)
		}
	}

	server := httptest.NewServer(handled)
	defer server.Close()
	body := `{"id":"served"}`
	req, err := http.NewRequest(http.MethodPost, server.URL+"/augustus/e", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("X-Ivy-Signature", sign(body))
	resp, err := server.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "ok\n", string(got))
	assert.Equal(t, "text/plain; charset=utf-8", resp.Header.Get("Content-Type"))
}

// Every answer but an acknowledgement is plain text the browser must not
// sniff. The reply's
// header values are its own: a middleware that changes or appends to one
// changes neither the other header nor the next reply.
func TestReplyHeadersAreEachReplysOwn(t *testing.T) {
	core := ivyCore(t, func(context.Context, Delivery) error { return nil })
	serve := func() http.Header {
		req := httptest.NewRequest(http.MethodGet, "/augustus/e", nil)
		rec := httptest.NewRecorder()
		core.ServeHTTP(rec, req)
		require.Equal(t, http.StatusMethodNotAllowed, rec.Code)
		return rec.Header()
	}
	first := serve()
	assert.Equal(t, []string{"text/plain; charset=utf-8"}, first["Content-Type"])
	assert.Equal(t, []string{"nosniff"}, first["X-Content-Type-Options"])
	first["Content-Type"][0] = "text/html"
	first["Content-Type"] = append(first["Content-Type"], "image/png")
	assert.Equal(t, []string{"nosniff"}, first["X-Content-Type-Options"])

	next := serve()
	assert.Equal(t, []string{"text/plain; charset=utf-8"}, next["Content-Type"])
	assert.Equal(t, []string{"nosniff"}, next["X-Content-Type-Options"])
}

// serverWriter does to an answer what net/http's response does: a header
// map made for each request, copied at WriteHeader when the handler asked
// for it, and a body without a Content-Type sniffed for one.
type serverWriter struct {
	header  http.Header
	asked   bool
	sent    http.Header
	sniffed string
}

func (w *serverWriter) Header() http.Header { w.asked = true; return w.header }

func (w *serverWriter) WriteHeader(int) {
	if w.asked {
		w.sent = w.header.Clone()
	}
}

func (w *serverWriter) Write(b []byte) (int, error) {
	if w.sniffed == "" && len(w.sent["Content-Type"]) == 0 {
		w.sniffed = http.DetectContentType(b)
	}
	return len(b), nil
}

// BenchmarkAcknowledgementInAServer compares, in turns (rounds.InTurns),
// reply's two kinds of 200 as a server handles them (serverWriter): a
// callback's answer, with both headers (the header map's first group and
// its copy at WriteHeader), and an acknowledgement, without them (its body
// sniffed for a Content-Type). The metrics are ns per answer and
// sniffed ÷ headers.
//
//	go test -run '^$' -bench AcknowledgementInAServer -benchtime 2000000x ./webhook
func BenchmarkAcknowledgementInAServer(b *testing.B) {
	names := []string{"headers", "sniffed"}
	messages := []string{"kept for later", ackHandled}
	took := rounds.InTurns(b, 1024, names, func(int, int) {}, func(k, _ int) error {
		w := &serverWriter{header: http.Header{}}
		reply(w, http.StatusOK, messages[k])
		if (k == 0) != (w.sent != nil) || w.sent == nil && w.sniffed == "" {
			return fmt.Errorf("%q: headers %v, sniffed %q", messages[k], w.sent, w.sniffed)
		}
		return nil
	})
	headers, sniffed := rounds.Total(took[0]), rounds.Total(took[1])
	b.ReportMetric(float64(headers.Nanoseconds())/float64(b.N), "headers-ns")
	b.ReportMetric(float64(sniffed.Nanoseconds())/float64(b.N), "sniffed-ns")
	b.ReportMetric(float64(sniffed)/float64(headers), "sniffed/headers")
}
