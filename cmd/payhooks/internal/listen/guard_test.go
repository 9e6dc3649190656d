package listen

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// guarded serves a handler that reads the body behind a guard with small
// limits (on /block, it waits for unblock to be closed first), and returns
// its address.
func guarded(t *testing.T, g *ConnGuard, unblock chan struct{}) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	srv := &http.Server{ConnState: g.ConnState, ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/block" {
			<-unblock
		}
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "%d headers, %d bytes", len(r.Header), len(body))
	})}
	go srv.Serve(g.Listener(ln))
	t.Cleanup(func() { srv.Close() })
	return ln.Addr().String()
}

func request(headers int, body string) string { return requestTo("/", headers, body) }

func requestTo(path string, headers int, body string) string {
	var b strings.Builder
	b.WriteString("POST " + path + " HTTP/1.1\r\nHost: x\r\n")
	for i := 2; i < headers; i++ { // Host and Content-Length are two of them
		fmt.Fprintf(&b, "X-%d: v\r\n", i)
	}
	fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(body), body)
	return b.String()
}

func answer(t *testing.T, c net.Conn, r *bufio.Reader) (int, string) {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(r, nil)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, strings.TrimSpace(string(body))
}

// The guard counts header lines per request and header bytes across
// connections, follows keep-alive connections from request to request (a
// body full of newlines is no header), and answers what is over a limit
// itself.
func TestConnGuard(t *testing.T) {
	g := &ConnGuard{maxConns: 3, maxLines: 5, budget: 600}
	unblock := make(chan struct{})
	addr := guarded(t, g, unblock)
	dial := func() (net.Conn, *bufio.Reader) {
		c, err := net.Dial("tcp", addr)
		require.NoError(t, err)
		t.Cleanup(func() { c.Close() })
		return c, bufio.NewReader(c)
	}

	c, r := dial()
	for i := 0; i < 3; i++ {
		fmt.Fprint(c, request(5, strings.Repeat("line\n", 50)))
		code, msg := answer(t, c, r)
		assert.Equal(t, http.StatusOK, code, msg)
		assert.Equal(t, "4 headers, 250 bytes", msg, "request %d on one connection (Host is no header to net/http)", i)
	}
	fmt.Fprint(c, request(6, ""))
	code, msg := answer(t, c, r)
	assert.Equal(t, http.StatusRequestHeaderFieldsTooLarge, code)
	assert.Equal(t, "more than 5 header fields", msg)

	// Header bytes held by a request that never ends count against every
	// other request's: past the budget the stalled one makes room, or,
	// when it is the one over, is refused.
	stalled, stalledR := dial()
	fmt.Fprint(stalled, "POST / HTTP/1.1\r\nX-A: "+strings.Repeat("a", 560)+"\r\n")
	require.Eventually(t, func() bool { return g.headerBytes.Load() > 560 }, 5*time.Second, 10*time.Millisecond)
	served, servedR := dial()
	fmt.Fprint(served, request(3, ""))
	code, _ = answer(t, served, servedR)
	assert.Equal(t, http.StatusOK, code)
	code, msg = answer(t, stalled, stalledR)
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Equal(t, "too many request headers in flight; retry later", msg)
	c, r = dial()
	fmt.Fprint(c, "POST / HTTP/1.1\r\nX-A: "+strings.Repeat("a", 700)+"\r\n")
	code, msg = answer(t, c, r)
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Equal(t, "too many request headers in flight; retry later", msg)
	require.Eventually(t, func() bool { return g.headerBytes.Load() == 0 }, 5*time.Second, 10*time.Millisecond, "given back")

	// Past the connections it serves at once, the one that has been
	// sending its headers longest makes room: a real delivery is served
	// through a flood of stalled connections.
	// The connection served above is kept alive, and is evicted above only
	// when net/http has marked it idle by then: close it too.
	c.Close()
	served.Close()
	require.Eventually(t, func() bool { return g.conns.Load() == 0 }, 5*time.Second, 10*time.Millisecond)
	type open struct {
		c net.Conn
		r *bufio.Reader
	}
	var stalledConns []open
	for len(stalledConns) < 3 {
		c, r := dial()
		stalledConns = append(stalledConns, open{c, r})
		require.Eventually(t, func() bool { return g.conns.Load() == int64(len(stalledConns)) }, 5*time.Second, 10*time.Millisecond)
	}
	c, r = dial()
	fmt.Fprint(c, request(3, ""))
	code, _ = answer(t, c, r)
	assert.Equal(t, http.StatusOK, code)
	code, msg = answer(t, stalledConns[0].c, stalledConns[0].r)
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Equal(t, "too many connections; retry later", msg)

	// When every connection is past its headers, the new one is refused.
	for _, s := range stalledConns {
		s.c.Close()
	}
	require.Eventually(t, func() bool { return g.conns.Load() <= 1 }, 5*time.Second, 10*time.Millisecond)
	// The connection served above is kept alive, and is evicted above only
	// when net/http has marked it idle by then: close it too.
	c.Close()
	served.Close()
	require.Eventually(t, func() bool { return g.conns.Load() == 0 }, 5*time.Second, 10*time.Millisecond)
	var busy []open
	for len(busy) < 3 {
		c, r := dial()
		fmt.Fprint(c, requestTo("/block", 3, ""))
		busy = append(busy, open{c, r})
	}
	require.Eventually(t, func() bool { g.mu.Lock(); defer g.mu.Unlock(); return g.conns.Load() == 3 && g.reading.Len() == 0 },
		5*time.Second, 10*time.Millisecond)
	c, r = dial()
	code, msg = answer(t, c, r)
	assert.Equal(t, http.StatusServiceUnavailable, code)
	assert.Equal(t, "too many connections; retry later", msg)
	close(unblock)
	for _, b := range busy {
		code, _ := answer(t, b.c, b.r)
		assert.Equal(t, http.StatusOK, code)
	}
}
