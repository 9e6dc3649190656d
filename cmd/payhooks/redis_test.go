package main

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/testonly/deliveries"
)

// redisURL is the Redis .ci/run started, or one this test starts; without
// redis-server the test skips on a developer's machine and fails in CI.
func redisURL(t *testing.T) string {
	t.Helper()
	if url := os.Getenv("PAYHOOKS_TEST_REDIS_URL"); url != "" {
		return url
	}
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("redis-server is missing in CI")
		}
		t.Skip("redis-server is not installed (apt-get install redis-server); CI runs this test")
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	cmd := exec.Command(bin, "--port", fmt.Sprint(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no")
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			c.Close()
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	return fmt.Sprintf("redis://127.0.0.1:%d/0", port)
}

// Two listen replicas sharing Redis capture a delivery sent to both once.
func TestListenReplicasShareRedis(t *testing.T) {
	url := redisURL(t)
	a, b := t.TempDir(), t.TempDir()
	la := startListen(t, "-dir", a, "-dedupe", url)
	lb := startListen(t, "-dir", b, "-dedupe", url)
	// A fresh id per run, so a shared Redis from earlier runs does not see it.
	stdout, _, code := send(t, nil, "-provider", "finmo", "-event", "CHECKOUT_CREATED", "-count", "2", la.url)
	require.Equal(t, 0, code, stdout)
	require.Len(t, okIDs(t, stdout), 2)
	// Replay both captures of replica A at replica B: already done there.
	for name := range deliveries.Captures(t, a) {
		out, _, code := send(t, nil, "-provider", "finmo", "-file", a+"/"+name, lb.url)
		require.Equal(t, 0, code, out)
	}
	assert.Len(t, deliveries.Captures(t, a), 2)
	assert.Empty(t, deliveries.Captures(t, b), "replica B saw the ids done in the shared store")
	assert.Contains(t, lb.logs(), "ok: duplicate delivery")

	_, stderr, code := payhooks(t, "", secretsEnv, "listen", "-addr", "127.0.0.1:0", "-dir", t.TempDir(), "-dedupe", "redis://127.0.0.1:1/0")
	assert.Equal(t, 2, code, "an unreachable Redis fails at start-up")
	assert.Contains(t, stderr, "no answer from Redis")
}
