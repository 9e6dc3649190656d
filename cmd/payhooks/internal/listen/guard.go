package listen

import (
	"bytes"
	"container/list"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Before a request reaches a handler, net/http holds what it has read of
// its headers, about 200 bytes per header line however short the line: a
// thousand clients each sending 6 000 tiny headers and never the blank line
// that ends them held a gigabyte, which no body budget sees. The guard
// bounds it for all connections together:
//
//   - at most listenMaxHeaderLines header lines per request (431);
//   - at most listenMaxConnections connections at once, and the header
//     bytes of every request in flight (read or being handled) under
//     listenHeaderBudget. Past either, the connection that has been sending
//     its headers longest is answered 503 with Retry-After and closed to
//     make room: a real delivery sends its headers at once, so a flood of
//     stalled clients pushes out its own. Only when no connection is still
//     sending headers is the newcomer refused instead.
//
// So listen's memory is at most about listenMaxConnections × 60 KiB (a
// connection's buffers and the map of at most listenMaxHeaderLines
// headers) plus twice the header budget plus the body budget.
const (
	listenMaxConnections = 2048
	listenMaxHeaderLines = 100
	listenHeaderBudget   = 8 << 20
)

// ConnGuard counts connections and header bytes across a listener's
// connections, and bounds them (see the limits above). Serve behind it with
// Listener and ConnState.
type ConnGuard struct {
	conns       atomic.Int64
	headerBytes atomic.Int64
	maxConns    int64
	maxLines    int
	budget      int64

	mu sync.Mutex
	// reading lists the connections sending a request's headers, the one
	// that started longest ago first.
	reading list.List
}

// NewConnGuard returns a guard with listen's limits.
func NewConnGuard() *ConnGuard {
	return &ConnGuard{maxConns: listenMaxConnections, maxLines: listenMaxHeaderLines, budget: listenHeaderBudget}
}

// Listener wraps ln so that every connection it accepts is guarded.
func (g *ConnGuard) Listener(ln net.Listener) net.Listener { return guardedListener{ln, g} }

// ConnState is the http.Server's ConnState hook: a connection that has
// answered a request (idle) starts reading the next one's headers, and one
// that is gone gives its header bytes and its place back.
func (g *ConnGuard) ConnState(c net.Conn, state http.ConnState) {
	gc, ok := c.(*guardedConn)
	if !ok {
		return
	}
	switch state {
	case http.StateIdle:
		gc.nextRequest()
	case http.StateClosed, http.StateHijacked:
		gc.giveBack()
	}
}

// evictOldest closes the connection, other than except, that has been
// sending its headers longest, answering it 503 with why, and says whether
// there was one.
func (g *ConnGuard) evictOldest(except *guardedConn, why string) bool {
	for {
		g.mu.Lock()
		e := g.reading.Front()
		for e != nil && e.Value.(*guardedConn) == except {
			e = e.Next()
		}
		if e == nil {
			g.mu.Unlock()
			return false
		}
		victim := e.Value.(*guardedConn)
		g.reading.Remove(e)
		victim.listed = nil
		g.mu.Unlock()
		if victim.evict(why) {
			return true
		}
	}
}

type guardedListener struct {
	net.Listener
	g *ConnGuard
}

func (l guardedListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		if l.g.conns.Add(1) > l.g.maxConns && !l.g.evictOldest(nil, tooManyConnections) {
			l.g.conns.Add(-1)
			refuse(c, http.StatusServiceUnavailable, tooManyConnections)
			continue
		}
		gc := &guardedConn{Conn: c, g: l.g}
		gc.startHeaders()
		return gc, nil
	}
}

// refuse answers a connection whose request net/http has not read, and
// closes it.
func refuse(c net.Conn, code int, msg string) {
	c.SetWriteDeadline(time.Now().Add(time.Second))
	retry := ""
	if code == http.StatusServiceUnavailable {
		retry = "Retry-After: 5\r\n"
	}
	fmt.Fprintf(c, "HTTP/1.1 %d %s\r\n%sContent-Type: text/plain; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s\n",
		code, http.StatusText(code), retry, len(msg)+1, msg)
	c.Close()
}

// What a client the guard refuses or evicts is told, with 503.
const (
	tooManyConnections = "too many connections; retry later"
	tooManyHeaders     = "too many request headers in flight; retry later"
)

// errRefused ends a connection the guard has answered itself.
var errRefused = errors.New("refused by the connection guard")

// guardedConn follows the headers of the request being read on it.
type guardedConn struct {
	net.Conn
	g *ConnGuard

	mu        sync.Mutex
	listed    *list.Element // its place in g.reading, guarded by g.mu
	inHeaders bool          // reading a request's headers
	lines     int           // lines of them read, the request line included
	lineLen   int           // bytes of the current line, but CR
	held      int64         // header bytes counted against the budget
	refused   bool
	closeOnce sync.Once
}

func (c *guardedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n == 0 {
		return n, err
	}
	tooMany, refused := c.account(p[:n])
	switch {
	case refused:
		return 0, errRefused
	case tooMany:
		c.refuse(http.StatusRequestHeaderFieldsTooLarge, fmt.Sprintf("more than %d header fields", c.g.maxLines))
		return 0, errRefused
	}
	// Over the budget: stalled connections make room, or this one goes.
	for c.g.headerBytes.Load() > c.g.budget {
		if !c.g.evictOldest(c, tooManyHeaders) {
			c.refuse(http.StatusServiceUnavailable, tooManyHeaders)
			return 0, errRefused
		}
	}
	return n, err
}

// account follows the header lines in data: tooMany says the request has
// more than the guard takes, refused that the connection was answered.
func (c *guardedConn) account(data []byte) (tooMany, refused bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.refused || !c.inHeaders {
		return false, c.refused
	}
	read := len(data)
	for i := 0; i < len(data); {
		nl := bytes.IndexByte(data[i:], '\n')
		if nl < 0 {
			c.lineLen += len(data) - i - bytes.Count(data[i:], []byte{'\r'})
			break
		}
		c.lineLen += nl - bytes.Count(data[i:i+nl], []byte{'\r'})
		i += nl + 1
		if c.lineLen == 0 && c.lines > 0 {
			c.endHeaders() // the blank line: the body follows
			read = i
			break
		}
		c.lines++
		c.lineLen = 0
		if c.lines > 1+c.g.maxLines {
			return true, false
		}
	}
	c.held += int64(read)
	c.g.headerBytes.Add(int64(read))
	return false, false
}

// refuse answers the connection itself, unless it was answered already.
func (c *guardedConn) refuse(code int, msg string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.refused {
		c.refused = true
		c.release()
		refuse(c.Conn, code, msg)
	}
}

// evict answers and closes a connection still sending its headers, and
// says whether it was.
func (c *guardedConn) evict(why string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.inHeaders || c.refused {
		return false
	}
	c.refused = true
	c.release()
	refuse(c.Conn, http.StatusServiceUnavailable, why)
	return true
}

// startHeaders follows a new request's headers.
func (c *guardedConn) startHeaders() {
	c.inHeaders, c.lines, c.lineLen = true, 0, 0
	c.g.mu.Lock()
	if c.listed == nil {
		c.listed = c.g.reading.PushBack(c)
	}
	c.g.mu.Unlock()
}

// endHeaders takes the connection off the list of those sending headers.
func (c *guardedConn) endHeaders() {
	c.inHeaders = false
	c.g.mu.Lock()
	if c.listed != nil {
		c.g.reading.Remove(c.listed)
		c.listed = nil
	}
	c.g.mu.Unlock()
}

// release gives back the header bytes and stops following headers; c.mu
// is held.
func (c *guardedConn) release() {
	c.g.headerBytes.Add(-c.held)
	c.held = 0
	c.endHeaders()
}

// nextRequest gives back the last request's header bytes and follows the
// headers of the next.
func (c *guardedConn) nextRequest() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.release()
	if !c.refused {
		c.startHeaders()
	}
}

// giveBack returns the connection's header bytes and its place.
func (c *guardedConn) giveBack() {
	c.mu.Lock()
	c.release()
	c.mu.Unlock()
	c.closeOnce.Do(func() { c.g.conns.Add(-1) })
}

func (c *guardedConn) Close() error {
	c.giveBack()
	return c.Conn.Close()
}
