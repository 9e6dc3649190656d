// Package deliveries is what the tests of a receiver (payhooks listen, and
// its package) share: posting a delivery, and reading back the captures it
// left.
package deliveries

import (
	"bufio"
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/payhooks/payhooks/internal/capture"
)

// Post sends body to url with header and returns the status and the first
// line of the answer.
func Post(t testing.TB, url string, body []byte, header http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	line, _ := bufio.NewReader(resp.Body).ReadString('\n')
	return resp.StatusCode, strings.TrimSpace(line)
}

// Captures reads every capture in dir by file name, and fails on any file
// there that is not a complete one.
func Captures(t testing.TB, dir string) map[string]capture.File {
	t.Helper()
	out := map[string]capture.File{}
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		require.NoError(t, err)
		require.True(t, strings.HasSuffix(e.Name(), capture.Suffix), "only complete captures in the folder, found %s", e.Name())
		c, err := capture.Parse(data)
		require.NoError(t, err, "%s is a complete capture", e.Name())
		out[e.Name()] = c
	}
	return out
}
