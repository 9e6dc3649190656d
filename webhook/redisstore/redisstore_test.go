package redisstore_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/generated/rapyd"
	"github.com/payhooks/payhooks/schemas"
	"github.com/payhooks/payhooks/webhook"
	"github.com/payhooks/payhooks/webhook/redisstore"
)

// redisServer is a redis-server this test started on a free loopback port.
type redisServer struct {
	url string
	cmd *exec.Cmd
}

// startRedis runs Debian's redis-server for one test. Without it the test
// is skipped on a developer's machine and fails in CI, which installs it.
func startRedis(t testing.TB) *redisServer {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server is missing in CI: .ci/run installs Debian's redis-server")
		}
		t.Skip("redis-server is not installed (apt-get install redis-server); CI installs it and runs this test")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes")
	require.NoError(t, cmd.Start())
	s := &redisServer{url: fmt.Sprintf("redis://127.0.0.1:%d/0", port), cmd: cmd}
	t.Cleanup(s.stop)
	store, err := redisstore.New(s.url)
	require.NoError(t, err)
	defer store.Close()
	for i := 0; ; i++ {
		if store.Ping(context.Background()) == nil {
			return s
		}
		require.Less(t, i, 100, "redis-server did not start")
		time.Sleep(20 * time.Millisecond)
	}
}

func (s *redisServer) stop() {
	if s.cmd.Process != nil {
		s.cmd.Process.Kill()
		s.cmd.Wait()
	}
}

// sharedURL is the Redis .ci/run started (PAYHOOKS_TEST_REDIS_URL), or one
// of the test's own.
func sharedURL(t testing.TB) string {
	t.Helper()
	if url := os.Getenv("PAYHOOKS_TEST_REDIS_URL"); url != "" {
		return url
	}
	return startRedis(t).url
}

func newStore(t testing.TB, url string) *redisstore.Store {
	t.Helper()
	s, err := redisstore.New(url)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func TestStoreSemantics(t *testing.T) {
	url := sharedURL(t)
	s := newStore(t, url)
	ctx := context.Background()
	id := fmt.Sprintf("semantics-%d", time.Now().UnixNano())
	claim := func(st *redisstore.Store, lease time.Duration) webhook.ClaimResult {
		r, err := st.Claim(ctx, id, lease)
		require.NoError(t, err)
		return r
	}
	other := newStore(t, url) // another replica
	assert.Equal(t, webhook.Claimed, claim(s, time.Minute))
	assert.Equal(t, webhook.InProgress, claim(other, time.Minute))
	require.NoError(t, other.Release(ctx, id), "a replica that holds no claim releases nothing")
	assert.Equal(t, webhook.InProgress, claim(other, time.Minute))
	require.NoError(t, s.Release(ctx, id))
	assert.Equal(t, webhook.Claimed, claim(other, 300*time.Millisecond), "a released claim can be taken")
	time.Sleep(400 * time.Millisecond)
	assert.Equal(t, webhook.Claimed, claim(s, time.Minute), "the claim of a replica that died expires")
	require.NoError(t, other.Release(ctx, id), "a lapsed claim's holder cannot release the new one")
	assert.Equal(t, webhook.InProgress, claim(other, time.Minute))
	require.NoError(t, s.Complete(ctx, id, 300*time.Millisecond))
	assert.Equal(t, webhook.Done, claim(other, time.Minute))
	time.Sleep(400 * time.Millisecond)
	assert.Equal(t, webhook.Claimed, claim(other, time.Minute), "after the window the id is forgotten")

	_, err := redisstore.New("http://127.0.0.1:6379")
	assert.Error(t, err)
}

// handlerPair is two Rapyd handler replicas sharing one Redis.
func handlerPair(t *testing.T, url string, callback func(context.Context, *rapyd.PaymentCompletedEvent) error) []http.Handler {
	t.Helper()
	var out []http.Handler
	for i := 0; i < 2; i++ {
		h, err := rapyd.NewHandler(webhook.Secrets{AccessKey: "ak", SecretKey: "sk"}, webhook.WithStore(newStore(t, url)),
			webhook.WithoutDrift(), webhook.WithLogger(quietLogger()))
		require.NoError(t, err)
		h.OnPaymentCompleted(callback)
		out = append(out, h)
	}
	return out
}

func delivery(t testing.TB, id string) *http.Request {
	t.Helper()
	body, err := fs.ReadFile(schemas.FS, "rapyd/examples/PAYMENT_COMPLETED.json")
	require.NoError(t, err)
	body, err = webhook.SetString(body, "/id", id)
	require.NoError(t, err)
	r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1/rapyd", bytes.NewReader(body))
	signer, err := webhook.NewSigner(rapyd.Scheme, webhook.Secrets{AccessKey: "ak", SecretKey: "sk"}, webhook.VerifyOptions{})
	require.NoError(t, err)
	require.NoError(t, signer.Sign(r.Header, r.URL.String(), body))
	return r
}

func serve(h http.Handler, r *http.Request) int {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

// deliverUntilAccepted sends one copy the way a provider retries: again on
// 409 and 5xx, until a 200.
func deliverUntilAccepted(t *testing.T, h http.Handler, id string) {
	t.Helper()
	for attempt := 0; attempt < 200; attempt++ {
		switch code := serve(h, delivery(t, id)); {
		case code == http.StatusOK:
			return
		case code == http.StatusConflict || code >= 500:
			time.Sleep(2 * time.Millisecond)
		default:
			t.Errorf("delivery %s: unexpected %d", id, code)
			return
		}
	}
	t.Errorf("delivery %s never accepted", id)
}

// Hundreds of ids, each sent several times to both replicas at once: every
// callback runs exactly once. A callback failing the first time runs again
// on the retry, and then never more.
func TestTwoReplicasRunEachDeliveryOnce(t *testing.T) {
	url := sharedURL(t)
	run := fmt.Sprint(time.Now().UnixNano())
	var mu sync.Mutex
	calls := map[string]int{}
	failFirst := map[string]bool{}
	handlers := handlerPair(t, url, func(_ context.Context, e *rapyd.PaymentCompletedEvent) error {
		mu.Lock()
		defer mu.Unlock()
		calls[e.ID]++
		if strings.HasSuffix(e.ID, "-flaky") && !failFirst[e.ID] {
			failFirst[e.ID] = true
			return fmt.Errorf("first attempt fails")
		}
		return nil
	})
	const ids, copies = 300, 3
	var wg sync.WaitGroup
	for i := 0; i < ids; i++ {
		id := fmt.Sprintf("wh_%s_%d", run, i)
		if i%10 == 0 {
			id += "-flaky"
		}
		for c := 0; c < copies; c++ {
			for _, h := range handlers {
				wg.Add(1)
				go func(h http.Handler) {
					defer wg.Done()
					deliverUntilAccepted(t, h, id)
				}(h)
			}
		}
	}
	wg.Wait()
	require.Len(t, calls, ids)
	for id, n := range calls {
		want := 1
		if strings.HasSuffix(id, "-flaky") {
			want = 2 // failed once, ran once more
		}
		assert.Equal(t, want, n, id)
	}
}

// Redis stopped mid-run: the answers become 503 and no callback runs
// without a claim.
func TestRedisStoppedMidRun(t *testing.T) {
	srv := startRedis(t)
	var callbacks atomic.Int32
	handlers := handlerPair(t, srv.url, func(context.Context, *rapyd.PaymentCompletedEvent) error {
		callbacks.Add(1)
		return nil
	})
	run := fmt.Sprint(time.Now().UnixNano())
	for i := 0; i < 20; i++ {
		assert.Equal(t, http.StatusOK, serve(handlers[i%2], delivery(t, fmt.Sprintf("wh_%s_%d", run, i))))
	}
	require.Equal(t, int32(20), callbacks.Load())
	srv.stop()
	for i := 20; i < 40; i++ {
		assert.Equal(t, http.StatusServiceUnavailable, serve(handlers[i%2], delivery(t, fmt.Sprintf("wh_%s_%d", run, i))))
	}
	assert.Equal(t, int32(20), callbacks.Load(), "no callback runs without a claim")
}
