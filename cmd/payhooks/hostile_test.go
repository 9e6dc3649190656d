package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/deliveries"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook"
)

// finmoDelivery is Finmo's checkout example with its delivery id replaced,
// and the token header it is sent with.
func finmoDelivery(t *testing.T, id string) []byte {
	t.Helper()
	data, err := fs.ReadFile(schemas.FS, "finmo/examples/CHECKOUT_COMPLETED.json")
	require.NoError(t, err)
	var doc map[string]any
	require.NoError(t, json.Unmarshal(data, &doc))
	doc["webhook_notification_id"] = id
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return out
}

var finmoToken = http.Header{"X-Security-Token": {"e2e-token"}}

// Ids that the old capture name folded together, plus ids too long for a
// file name: each must land in a file of its own holding that exact id.
var collidingIDs = []string{
	"a/b", "a_b", "é", "ü", ".hidden", "hidden", "..", "...", "evt_A", "evt_a",
	"a\\b", "a b", "a\x00b", strings.Repeat("x", 237), strings.Repeat("y", 300), strings.Repeat("z", 100_000),
}

// capturedIDs maps every delivery id found in dir's captures to how many
// captures hold it.
func capturedIDs(t *testing.T, dir string) map[string]int {
	t.Helper()
	ids := map[string]int{}
	for name, c := range deliveries.Captures(t, dir) {
		assert.Less(t, len(name), 200, "file name %q", name)
		id, ok := webhook.StringAt([]byte(c.Body), "/webhook_notification_id")
		require.True(t, ok, name)
		ids[id]++
	}
	return ids
}

// Two listen processes on one folder, each given every id at once, twice:
// one capture per distinct id, none replaced (one after another, and what
// the receiver prints: package listen's tests).
func TestListenCapturesEveryDistinctID(t *testing.T) {
	t.Run("at once, to two listen processes on one folder", func(t *testing.T) {
		dir := t.TempDir()
		a, b := startListen(t, "-dir", dir), startListen(t, "-dir", dir)
		var wg sync.WaitGroup
		codes := make(chan string, 4*len(collidingIDs))
		for round := 0; round < 2; round++ {
			for _, id := range collidingIDs {
				for _, l := range []*listening{a, b} {
					wg.Add(1)
					go func(url, id string) {
						defer wg.Done()
						// 409 says another copy is in hand: retry, as a
						// provider does.
						code, msg := deliveries.Post(t, url+"/finmo", finmoDelivery(t, id), finmoToken)
						for i := 0; code == http.StatusConflict && i < 50; i++ {
							time.Sleep(20 * time.Millisecond)
							code, msg = deliveries.Post(t, url+"/finmo", finmoDelivery(t, id), finmoToken)
						}
						codes <- fmt.Sprintf("%d %q %s", code, id, msg)
					}(l.url, id)
				}
			}
		}
		wg.Wait()
		close(codes)
		for c := range codes {
			assert.True(t, strings.HasPrefix(c, "200 "), c)
		}
		ids := capturedIDs(t, dir)
		require.Len(t, ids, len(collidingIDs), "one capture per distinct id, none replaced")
		for _, id := range collidingIDs {
			assert.Equal(t, 1, ids[id], "id %q", id)
		}
	})
}

// A second listen on the same folder, started and stopped again and again,
// never removes the first one's captures in flight; a partial file whose
// writer is gone is removed.
func TestListenSharesItsFolder(t *testing.T) {
	dir := t.TempDir()
	abandoned := filepath.Join(dir, ".partial-crashed")
	require.NoError(t, os.WriteFile(abandoned, []byte(`{"half`), 0o644))
	// A writer in another process (this one) holding its lock.
	inFlight, err := os.CreateTemp(dir, ".partial-")
	require.NoError(t, err)
	defer inFlight.Close()
	require.NoError(t, lockForTest(t, inFlight))

	a := startListen(t, "-dir", dir)
	assert.Contains(t, a.logs(), "removed 1 partial capture whose writer is gone")
	assert.NoFileExists(t, abandoned)
	assert.FileExists(t, inFlight.Name(), "a locked partial file is another writer's")

	stop := make(chan struct{})
	restarts := make(chan int)
	go func() {
		n := 0
		defer func() { restarts <- n }()
		for {
			select {
			case <-stop:
				return
			default:
			}
			b := startListen(t, "-dir", dir)
			b.cmd.Process.Kill()
			<-b.done
			n++
		}
	}()
	var failed []string
	for i := 0; i < 400; i++ {
		id := "churn_" + strconv.Itoa(i)
		if code, msg := deliveries.Post(t, a.url+"/finmo", finmoDelivery(t, id), finmoToken); code != http.StatusOK {
			failed = append(failed, fmt.Sprintf("%s: %d %s", id, code, msg))
		}
	}
	close(stop)
	n := <-restarts
	assert.Empty(t, failed, "no delivery refused while a second listen restarted %d times", n)
	assert.Greater(t, n, 0)
	assert.FileExists(t, inFlight.Name())
	require.NoError(t, os.Remove(inFlight.Name()))
	assert.Len(t, capturedIDs(t, dir), 400)
}

// vmHWM reads a process's peak resident memory in bytes.
func vmHWM(t *testing.T, pid int) int64 {
	t.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	require.NoError(t, err)
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			require.NoError(t, err)
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

// slowAttack is one way many clients each start a request and never
// finish it, holding what listen has read of it.
type slowAttack struct {
	name    string
	clients int
	// atOnce says a real delivery is accepted during the attack, not
	// only once the stalled clients time out.
	atOnce bool
	// start writes one client's request, short of its end.
	start func(c net.Conn)
}

var slowAttacks = []slowAttack{
	// A declared 1 MiB body, all of it but the last byte.
	{"body", 1000, false, func(c net.Conn) {
		const size = 1 << 20
		fmt.Fprintf(c, "POST /finmo HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n", size)
		c.Write(bytes.Repeat([]byte("x"), size-1)) // refused ones are cut off mid-write
	}},
	// 6 000 small headers (50 KB, under the header cap), and no blank
	// line: 300 clients held 341 MB, 1 000 held 1 083 MB.
	{"headers", 1000, true, func(c net.Conn) {
		var b bytes.Buffer
		b.WriteString("POST /finmo HTTP/1.1\r\nHost: x\r\n")
		for i := 0; i < 6000; i++ {
			fmt.Fprintf(&b, "X-%d: 1\r\n", i)
		}
		c.Write(b.Bytes())
	}},
	// Under the header-line limit: 90 headers of 700 bytes (63 KB, under
	// the header cap), and no blank line.
	{"large headers", 1000, true, func(c net.Conn) {
		var b bytes.Buffer
		b.WriteString("POST /finmo HTTP/1.1\r\nHost: x\r\n")
		for i := 0; i < 90; i++ {
			fmt.Fprintf(&b, "X-%d: %s\r\n", i, strings.Repeat("v", 700))
		}
		c.Write(b.Bytes())
	}},
	// More connections than listen serves at once, each with a request
	// line and nothing more.
	{"connections", 3000, true, func(c net.Conn) {
		fmt.Fprintf(c, "POST /finmo HTTP/1.1\r\n")
	}},
}

// Thousands of clients each start a request and stall: a body declared as
// 1 MiB sent all but its last byte, thousands of tiny headers or nearly
// 64 KB of them without their end, or a request line alone on more
// connections than listen serves. listen's memory stays under 256 MiB:
// bodies are held under the body budget (503 and Retry-After past it),
// headers under the header-line limit and budget and connections under
// their cap (cmd/payhooks/internal/listen/guard.go). A real delivery is answered all along:
// accepted at once through the header and connection floods, which the
// guard pushes out to make room for it, and through the body flood once
// the stalled clients time out.
func TestListenUnderSlowAttacks(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc to read memory")
	}
	for _, attack := range slowAttacks {
		t.Run(attack.name, func(t *testing.T) {
			dir := t.TempDir()
			l := startListen(t, "-dir", dir, "-read-timeout", "3s")
			host := strings.TrimPrefix(l.url, "http://")
			clients := attack.clients
			var wg sync.WaitGroup
			conns := make(chan net.Conn, clients)
			for i := 0; i < clients; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c, err := net.Dial("tcp", host)
					if err != nil {
						return
					}
					conns <- c
					c.SetWriteDeadline(time.Now().Add(5 * time.Second))
					attack.start(c)
				}()
			}
			wg.Wait()
			peak := vmHWM(t, l.cmd.Process.Pid)
			t.Logf("peak resident memory under %d stalled clients (%s): %d MiB", clients, attack.name, peak>>20)
			assert.Less(t, peak, int64(256<<20))

			code, msg := deliveries.Post(t, l.url+"/finmo", finmoDelivery(t, "during_attack"), finmoToken)
			assert.Contains(t, []int{http.StatusOK, http.StatusServiceUnavailable}, code, msg)
			if attack.atOnce {
				assert.Equal(t, http.StatusOK, code, msg)
			}
			// Once -read-timeout has cut the stalled clients off, deliveries pass.
			deadline := time.Now().Add(20 * time.Second)
			for code != http.StatusOK && time.Now().Before(deadline) {
				time.Sleep(500 * time.Millisecond)
				code, msg = deliveries.Post(t, l.url+"/finmo", finmoDelivery(t, "during_attack"), finmoToken)
			}
			assert.Equal(t, http.StatusOK, code, msg)
			close(conns)
			for c := range conns {
				c.Close()
			}
			peak = vmHWM(t, l.cmd.Process.Pid)
			t.Logf("peak resident memory over the whole attack: %d MiB", peak>>20)
			assert.Less(t, peak, int64(256<<20))
		})
	}
}

// A declared length over the cap is refused before the body is sent, also
// to a client that waits for "100 Continue".
func TestListenRefusesDeclaredOversizeAtOnce(t *testing.T) {
	l := startListen(t, "-dir", t.TempDir(), "-max-body", "4096")
	c, err := net.Dial("tcp", strings.TrimPrefix(l.url, "http://"))
	require.NoError(t, err)
	defer c.Close()
	fmt.Fprintf(c, "POST /finmo HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\nExpect: 100-continue\r\n\r\n")
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	require.NoError(t, err, "answered without sending a byte of the body")
	assert.Equal(t, http.StatusRequestEntityTooLarge, resp.StatusCode)
}

// schemasWithScheme copies the bundled schemas with Augustus signing by
// another scheme.
func schemasWithScheme(t *testing.T, scheme string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS(examples)))
	doc := filepath.Join(dir, "augustus", "openapi.json")
	data, err := os.ReadFile(doc)
	require.NoError(t, err)
	data = bytes.ReplaceAll(data, []byte(`"scheme": "ivy"`), []byte(`"scheme": "`+scheme+`"`))
	data = bytes.ReplaceAll(data, []byte(`"x-payhooks-signature": "ivy"`), []byte(`"x-payhooks-signature": "`+scheme+`"`))
	require.NoError(t, os.WriteFile(doc, data, 0o644))
	return dir
}

// Bad flag values and unusable secrets are refused at start-up with exit
// status 2 and a message naming the flag or variable, never a panic or a
// server that cannot verify.
func TestBadFlagsAndSecretsFailAtStartUp(t *testing.T) {
	dir := t.TempDir()
	for _, route := range []string{"finmo=/rapyd", "finmo=/a b{", "finmo=/{x}", "finmo=rapyd"} {
		_, stderr, code := payhooks(t, "", secretsEnv, "listen", "-addr", "127.0.0.1:0", "-dir", dir, "-route", route)
		assert.Equal(t, 2, code, "%s: %s", route, stderr)
		assert.Contains(t, stderr, "-route", route)
		assert.NotContains(t, stderr, "panic", route)
	}

	std := schemasWithScheme(t, webhook.SchemeStandardWebhooks)
	spaces := []string{"PAYHOOKS_AUGUSTUS_SECRET=   "}
	_, stderr, code := payhooks(t, "", spaces, "send", "-schemas", std, "-provider", "augustus", "-event", "checkout_session_created", "http://127.0.0.1:1")
	assert.Equal(t, 2, code, stderr)
	assert.Contains(t, stderr, "PAYHOOKS_AUGUSTUS_SECRET")
	assert.NotContains(t, stderr, "panic")
	_, stderr, code = payhooks(t, "", append(append([]string{}, secretsEnv...), spaces...), "listen", "-schemas", std, "-addr", "127.0.0.1:0", "-dir", dir)
	assert.Equal(t, 2, code, "a secret that is set but unusable stops listen: %s", stderr)
	assert.Contains(t, stderr, "PAYHOOKS_AUGUSTUS_SECRET")

	for _, url := range []string{"redis://user:s3cret@host:port/0", "redis://:s3cret@ho st/0", "redis://:s3cret@127.0.0.1:1/0"} {
		_, stderr, code = payhooks(t, "", secretsEnv, "listen", "-addr", "127.0.0.1:0", "-dir", dir, "-dedupe", url)
		assert.Equal(t, 2, code, stderr)
		assert.Contains(t, stderr, "-dedupe")
		assert.NotContains(t, stderr, "s3cret", "the password is never printed")
	}
}
