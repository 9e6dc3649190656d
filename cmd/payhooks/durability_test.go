package main

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/capture"
	"github.com/payhooks/payhooks/internal/testonly/deliveries"
)

// okIDs reads the delivery ids payhooks send reported a 2xx for.
func okIDs(t *testing.T, out string) []string {
	t.Helper()
	var ids []string
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) >= 4 && len(f[0]) == 3 && f[0][0] == '2' {
			ids = append(ids, f[3])
		}
	}
	return ids
}

// listen under load, killed with SIGKILL mid-run and restarted: every
// delivery that got a 2xx has a complete capture, and no capture is torn.
func TestListenSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 5000 deliveries")
	}
	dir := t.TempDir()
	l := startListen(t, "-dir", dir)
	cmd := exec.Command(binary, "send", "-provider", "rapyd", "-event", "PAYMENT_COMPLETED", "-count", "5000", "-concurrency", "64", "-timeout", "5s", l.url)
	cmd.Env = append(os.Environ(), secretsEnv...)
	var out bytes.Buffer
	cmd.Stdout = &out
	require.NoError(t, cmd.Start())
	deadline := time.Now().Add(60 * time.Second)
	for {
		entries, _ := os.ReadDir(dir)
		if len(entries) >= 1000 || time.Now().After(deadline) {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	require.NoError(t, l.cmd.Process.Signal(syscall.SIGKILL))
	<-l.done
	_ = cmd.Wait() // exit 1: the requests after the kill failed
	ids := okIDs(t, out.String())
	require.NotEmpty(t, ids)
	assert.Contains(t, out.String(), "sent 5000: 2xx ")
	assert.Less(t, len(ids), 5000, "the kill came mid-run")

	// Restart: partial files from the crash are cleaned, captures stay.
	restarted := startListen(t, "-dir", dir)
	require.NoError(t, restarted.stop(t, syscall.SIGINT))
	got := deliveries.Captures(t, dir) // fails on any file that is not a complete capture
	for _, id := range ids {
		c, ok := got[capture.Name("rapyd", id)]
		if assert.True(t, ok, "delivery %s was acknowledged but has no capture", id) {
			assert.Contains(t, c.Body, `"id": "`+id+`"`)
		}
	}
	t.Logf("%d acknowledged before the kill, %d captures (a capture may exist for a delivery whose answer the kill cut off)", len(ids), len(got))
	matches, _ := filepath.Glob(filepath.Join(dir, ".partial-*"))
	assert.Empty(t, matches)
}

// A full disk answers 503, so the provider retries, and leaves no capture
// behind for the refused deliveries.
func TestListenFullDiskAnswers503(t *testing.T) {
	dir := mountTmpfs(t, "48k")
	l := startListen(t, "-dir", dir)
	stdout, _, code := send(t, nil, "-provider", "rapyd", "-event", "PAYMENT_CANCELED", "-count", "30", l.url)
	assert.Equal(t, 1, code)
	assert.Regexp(t, `sent 30: 2xx \d+, 4xx 0, 5xx \d+, errors 0`, stdout)
	assert.Contains(t, stdout, "\n503 rapyd PAYMENT_CANCELED")
	ids := okIDs(t, stdout)
	got := deliveries.Captures(t, dir)
	assert.Len(t, got, len(ids), "exactly the acknowledged deliveries are captured")
	assert.Contains(t, l.logs(), "cannot store the delivery; retry later")
}
