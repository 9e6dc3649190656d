package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/cmd/payhooks/internal/listen"
	"github.com/payhooks/payhooks/internal/capture"
	"github.com/payhooks/payhooks/internal/catalog"
	"github.com/payhooks/payhooks/internal/testonly/deliveries"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook"
)

var secretsEnv = []string{
	"PAYHOOKS_FINMO_TOKEN=e2e-token",
	"PAYHOOKS_RAPYD_ACCESS_KEY=e2e-access", "PAYHOOKS_RAPYD_SECRET_KEY=e2e-secret",
	"PAYHOOKS_TAZAPAY_SECRET=e2e-secret",
	"PAYHOOKS_AUGUSTUS_SECRET=e2e-secret",
	// Adyen's HMAC keys are hex.
	"PAYHOOKS_ADYENPAYMENT_SECRET=" + adyenKey, "PAYHOOKS_ADYENTOKENIZATION_SECRET=" + adyenKey, "PAYHOOKS_ADYENTRANSFER_SECRET=" + adyenKey,
}

const adyenKey = "44782def547aaa06c910c43932b1eb0c71fc68d9d0c057550aae0f5ddc8f1d3c"

// listening is a payhooks listen process.
type listening struct {
	cmd    *exec.Cmd
	url    string
	mu     sync.Mutex
	stdout bytes.Buffer
	stderr bytes.Buffer
	done   chan error
}

// startListen runs payhooks listen on a free loopback port and waits until
// it serves.
func startListen(t *testing.T, args ...string) *listening {
	t.Helper()
	return startListenEnv(t, nil, args...)
}

// startListenEnv is startListen with more environment variables.
func startListenEnv(t *testing.T, env []string, args ...string) *listening {
	t.Helper()
	cmd := exec.Command(binary, append([]string{"listen", "-addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(append(os.Environ(), secretsEnv...), env...)
	l := &listening{cmd: cmd, done: make(chan error, 1)}
	stderr, err := cmd.StderrPipe()
	require.NoError(t, err)
	cmd.Stdout = lockedWriter{&l.mu, &l.stdout}
	require.NoError(t, cmd.Start())
	addr := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			l.mu.Lock()
			l.stderr.WriteString(line + "\n")
			l.mu.Unlock()
			if m := regexp.MustCompile(`on (http://[0-9.:]+),`).FindStringSubmatch(line); m != nil {
				addr <- m[1]
			}
		}
		l.done <- cmd.Wait()
	}()
	select {
	case l.url = <-addr:
	case err := <-l.done:
		t.Fatalf("listen exited: %v\n%s", err, l.logs())
	case <-time.After(30 * time.Second):
		t.Fatal("listen did not start")
	}
	t.Cleanup(func() { l.cmd.Process.Kill() })
	return l
}

func (l *listening) logs() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.stdout.String() + l.stderr.String()
}

func (l *listening) stop(t *testing.T, sig os.Signal) error {
	t.Helper()
	require.NoError(t, l.cmd.Process.Signal(sig))
	select {
	case err := <-l.done:
		return err
	case <-time.After(40 * time.Second):
		t.Fatal("listen did not stop")
		return nil
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (w lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

// send runs payhooks send with the listener's secrets.
func send(t *testing.T, env []string, args ...string) (string, string, int) {
	t.Helper()
	return payhooks(t, "", append(append([]string{}, secretsEnv...), env...), append([]string{"send"}, args...)...)
}

// Every bundled event of every provider, sent through the real binaries,
// leaves one capture with the body byte for byte, and validate finds no
// drift in the folder.
func TestSendToListenEveryEvent(t *testing.T) {
	dir := t.TempDir()
	l := startListen(t, "-dir", dir)
	cat, err := catalog.Load(schemas.FS)
	require.NoError(t, err)
	want := map[string][]byte{}
	for _, p := range cat.Providers {
		for _, ex := range p.Examples {
			file := filepath.Join(t.TempDir(), "example.json")
			body, err := fs.ReadFile(schemas.FS, ex.Path)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(file, body, 0o600))
			stdout, stderr, code := send(t, nil, "-provider", p.Name, "-event", ex.Event, "-file", file, l.url)
			require.Equal(t, 0, code, "%s %s: %s %s", p.Name, ex.Event, stdout, stderr)
			assert.Contains(t, stdout, "sent 1: 2xx 1, 4xx 0, 5xx 0, errors 0, p50 ")
			id, ok := p.Addressing.ID(body)
			require.True(t, ok)
			if name := listen.CaptureName(p, id, body); want[name] == nil {
				// The first of the examples with one delivery id (Adyen's
				// tokenization examples share theirs) is what is kept.
				want[name] = body
			}
		}
	}
	got := deliveries.Captures(t, dir)
	require.Len(t, got, len(want), l.logs())
	for name, body := range want {
		c, ok := got[name]
		if assert.True(t, ok, "capture %s", name) {
			assert.Equal(t, string(body), c.Body, "%s: the body byte for byte", name)
			assert.Equal(t, "POST", c.Method)
			_, err := time.Parse(time.RFC3339Nano, c.ReceivedAt)
			assert.NoError(t, err)
		}
	}
	finmo := got[capture.Name("finmo", "webhook_73b60c829761415480973dfb2932e9b2")]
	assert.Equal(t, []string{capture.Redacted}, finmo.Headers["X-Security-Token"], "the static token is redacted")

	stdout, stderr, code := payhooks(t, "", nil, "validate", "-format", "json", "-fail-on", "info", dir)
	assert.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, `"with_findings":0`)
	assert.Contains(t, stdout, fmt.Sprintf(`"payloads":%d`, len(want)))

	require.NoError(t, l.stop(t, syscall.SIGTERM))
	assert.Contains(t, l.logs(), "payhooks listen: stopped")
	assert.Regexp(t, `200 augustus checkout_session_completed 65a0c0de0000000000000004 captured augustus-65a0c0de0000000000000004.capture.json; drift: none`, l.logs())
}

func TestListenStartUpFailures(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "file")
	require.NoError(t, os.WriteFile(file, nil, 0o644))
	_, stderr, code := payhooks(t, "", secretsEnv, "listen", "-addr", "127.0.0.1:0", "-dir", filepath.Join(file, "captures"))
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "-dir")

	readOnly := readOnlyDir(t)
	_, stderr, code = payhooks(t, "", secretsEnv, "listen", "-addr", "127.0.0.1:0", "-dir", readOnly)
	assert.Equal(t, 2, code, "a folder it cannot write fails at start-up")
	assert.Contains(t, stderr, "cannot write in")

	_, stderr, code = payhooks(t, "", nil, "listen", "-addr", "127.0.0.1:0", "-dir", dir)
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "no provider has its secrets set")
	assert.Contains(t, stderr, "not serving adyenpayment, adyentokenization, adyentransfer, augustus, finmo, rapyd, tazapay: secrets unset (payhooks listen -h names each provider's variables)\n")
	assert.Equal(t, 1, strings.Count(stderr, "PAYHOOKS_RAPYD_ACCESS_KEY")+strings.Count(stderr, "not serving"), "one line, no variable named twice")

	_, stderr, code = payhooks(t, "", []string{"PAYHOOKS_RAPYD_ACCESS_KEY=x"}, "listen", "-addr", "127.0.0.1:0", "-dir", dir)
	assert.Equal(t, 2, code, "secrets set but incomplete stop listen")
	assert.Equal(t, 1, strings.Count(stderr, "PAYHOOKS_RAPYD_SECRET_KEY"), stderr)

	_, _, code = payhooks(t, "", secretsEnv, "listen", "-route", "paypal=/s", "-dir", dir)
	assert.Equal(t, 2, code)
}

func TestSendUsage(t *testing.T) {
	for _, args := range [][]string{
		{"send"}, {"send", "http://127.0.0.1:1"}, {"send", "-provider", "finmo", "http://127.0.0.1:1"},
		{"send", "-provider", "paypal", "-event", "x", "http://127.0.0.1:1"},
		{"send", "-provider", "finmo", "-event", "NOPE", "http://127.0.0.1:1"},
		{"send", "-provider", "finmo", "-event", "CHECKOUT_COMPLETED", "ftp://x"},
	} {
		_, stderr, code := payhooks(t, "", secretsEnv, args...)
		assert.Equal(t, 2, code, "%v: %s", args, stderr)
	}
	_, stderr, code := payhooks(t, "", nil, "send", "-provider", "tazapay", "-event", "checkout.paid", "http://127.0.0.1:1")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "set PAYHOOKS_TAZAPAY_SECRET")
	stdout, _, code := send(t, nil, "-provider", "finmo", "-event", "CHECKOUT_COMPLETED", "http://127.0.0.1:1")
	assert.Equal(t, 1, code, "nothing listening: an error, exit 1")
	assert.Contains(t, stdout, "sent 1: 2xx 0, 4xx 0, 5xx 0, errors 1")
}

// A capture is replayed with its original body.
func TestSendReplaysACapture(t *testing.T) {
	first, second := t.TempDir(), t.TempDir()
	a := startListen(t, "-dir", first)
	_, _, code := send(t, nil, "-provider", "tazapay", "-event", "checkout.created", a.url)
	require.Equal(t, 0, code)
	got := deliveries.Captures(t, first)
	require.Len(t, got, 1)
	b := startListen(t, "-dir", second)
	for name := range got {
		_, stderr, code := send(t, nil, "-provider", "tazapay", "-file", filepath.Join(first, name), b.url)
		require.Equal(t, 0, code, stderr)
		replayed := deliveries.Captures(t, second)
		require.Contains(t, replayed, name)
		assert.Equal(t, got[name].Body, replayed[name].Body)
		var doc map[string]any
		require.NoError(t, json.Unmarshal([]byte(replayed[name].Body), &doc))
	}
}

// A provider that names the event in the path gets a file's delivery on
// the path of the event the body names, -event or not.
func TestSendFileToTheEventsPath(t *testing.T) {
	paths := make(chan string, 1)
	receiver := httptest.NewServer(http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { paths <- r.URL.Path }))
	defer receiver.Close()
	body, err := fs.ReadFile(schemas.FS, "augustus/examples/checkout_session_updated.json")
	require.NoError(t, err)
	file := writeFile(t, t.TempDir(), "delivery.json", string(body))
	_, stderr, code := send(t, nil, "-provider", "augustus", "-file", file, receiver.URL)
	require.Equal(t, 0, code, stderr)
	assert.Equal(t, "/api/service/webhook-event/checkout_session_updated", <-paths)
}

// SIGTERM while a delivery is half sent: listen finishes it (200 and a
// capture), then exits 0.
func TestListenFinishesDeliveriesInFlight(t *testing.T) {
	dir := t.TempDir()
	l := startListen(t, "-dir", dir)
	body, err := fs.ReadFile(schemas.FS, "augustus/examples/checkout_session_updated.json")
	require.NoError(t, err)
	h := http.Header{}
	signer, err := webhook.NewSigner(webhook.Scheme{Name: webhook.SchemeIvy}, webhook.Secrets{Secret: "e2e-secret"}, webhook.VerifyOptions{})
	require.NoError(t, err)
	require.NoError(t, signer.Sign(h, "", body))
	conn, err := net.Dial("tcp", strings.TrimPrefix(l.url, "http://"))
	require.NoError(t, err)
	defer conn.Close()
	head := "POST /api/service/webhook-event/checkout_session_updated HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" +
		"X-Ivy-Signature: " + h.Get("X-Ivy-Signature") + "\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\n\r\n"
	_, err = conn.Write(append([]byte(head), body[:len(body)/2]...))
	require.NoError(t, err)
	time.Sleep(200 * time.Millisecond) // the server is reading the body
	require.NoError(t, l.cmd.Process.Signal(syscall.SIGTERM))
	time.Sleep(200 * time.Millisecond)
	_, err = conn.Write(body[len(body)/2:])
	require.NoError(t, err)
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	select {
	case err := <-l.done:
		assert.NoError(t, err, "listen exits 0 after a clean shutdown")
	case <-time.After(30 * time.Second):
		t.Fatal("listen did not stop")
	}
	assert.Len(t, deliveries.Captures(t, dir), 1)
	assert.Contains(t, l.logs(), "finishing deliveries in flight")
}

// A listener restarted on the same folder forgets what its memory store
// saw; a provider's retry of a delivery captured before the restart is
// acknowledged (the capture holds that very delivery) and said so, and the
// capture is not rewritten.
func TestListenRestartAcknowledgesWhatIsAlreadyCaptured(t *testing.T) {
	dir := t.TempDir()
	body := readExample(t, "tazapay/examples/checkout.paid.json")
	file := filepath.Join(t.TempDir(), "paid.json")
	require.NoError(t, os.WriteFile(file, []byte(body), 0o600))

	first := startListen(t, "-dir", dir)
	_, stderr, code := send(t, nil, "-provider", "tazapay", "-file", file, first.url)
	require.Equal(t, 0, code, stderr)
	require.NoError(t, first.stop(t, os.Interrupt))
	before := deliveries.Captures(t, dir)
	require.Len(t, before, 1)
	var name string
	for name = range before {
	}
	assert.Contains(t, first.logs(), "captured "+name+"; drift")

	second := startListen(t, "-dir", dir)
	_, stderr, code = send(t, nil, "-provider", "tazapay", "-file", file, second.url)
	require.Equal(t, 0, code, stderr)
	require.NoError(t, second.stop(t, os.Interrupt))
	assert.Contains(t, second.logs(), "200 tazapay checkout.paid")
	assert.Contains(t, second.logs(), "captured "+name+" (already captured); drift")
	assert.Equal(t, before, deliveries.Captures(t, dir), "the capture is kept as it was")
}

// Replays say what became of them: two doc samples are two deliveries, the
// same one twice is a duplicate and send prints the receiver's reason,
// -fresh-id re-keys a replay, and a file that is not a delivery is refused.
func TestSendSaysWhatBecameOfAReplay(t *testing.T) {
	dir := t.TempDir()
	l := startListen(t, "-dir", dir)
	drift := "../../schemas/tazapay/drift/"
	for _, f := range []string{"checkout.created-doc-sample.json", "checkout.expired-doc-sample.json"} {
		stdout, stderr, code := send(t, nil, "-provider", "tazapay", "-file", drift+f, l.url)
		require.Equal(t, exitOK, code, stdout+stderr)
		assert.NotContains(t, stdout, "duplicate", "each doc sample is a delivery of its own")
	}
	assert.Len(t, deliveries.Captures(t, dir), 2)

	stdout, _, code := send(t, nil, "-provider", "tazapay", "-file", drift+"checkout.created-doc-sample.json", l.url)
	require.Equal(t, exitOK, code)
	assert.Regexp(t, `(?m)^200 tazapay checkout.created evt_auigfianfoangohud01 \S+: ok: duplicate delivery$`, stdout)
	stdout, _, code = send(t, nil, "-provider", "tazapay", "-fresh-id", "-file", drift+"checkout.created-doc-sample.json", l.url)
	require.Equal(t, exitOK, code)
	assert.NotContains(t, stdout, "duplicate")
	assert.Contains(t, stdout, "200 tazapay checkout.created evt_auigfianfoangohud01-")
	assert.Len(t, deliveries.Captures(t, dir), 3)

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-provider", "paypal", "-event", "x"}, `-provider: unknown provider "paypal" (known: adyenpayment`},
		{[]string{"-provider", "paypal"}, `-provider: unknown provider "paypal"`},
		{[]string{"-provider", "tazapay", "-file", "../../schemas/tazapay/expected/checkout.created-doc-sample.json"}, "no event at /type: not a tazapay delivery"},
		{[]string{"-provider", "adyentransfer", "-event", "balancePlatform.transfer.updated", "-fresh-id"}, "-fresh-id: adyentransfer keys a delivery on the SHA-256 of its body"},
	} {
		_, stderr, code := send(t, nil, append(tc.args, l.url)...)
		assert.Equal(t, exitCantRun, code, tc.args)
		assert.Contains(t, stderr, tc.want, tc.args)
	}
	assert.Len(t, deliveries.Captures(t, dir), 3, "nothing refused was sent")

	// A provider keyed on its body: -count N sends N copies of one
	// delivery, and send says so rather than claiming N deliveries.
	stdout, stderr, code := send(t, nil, "-provider", "adyentransfer", "-event", "balancePlatform.transfer.updated", "-count", "2", l.url)
	require.Equal(t, exitOK, code, stdout+stderr)
	assert.Contains(t, stderr, "adyentransfer keys a delivery on the SHA-256 of its body: the 2 copies are one delivery, acknowledged once and then as duplicates")
	assert.Contains(t, stdout, ": ok: duplicate delivery\n")
	assert.Len(t, deliveries.Captures(t, dir), 4)
}
