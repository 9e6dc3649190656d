package webhook

import (
	"bufio"
	"context"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
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
